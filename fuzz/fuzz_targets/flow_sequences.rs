//! The flow driven as the shell drives it, in any order a browser allows:
//! answers (good, malformed, failed) only to requests it sent and that were
//! not cancelled, the clock moved on by any amount, and user and host
//! actions at any time. It never panics (the flow's `debug_assert!`s
//! included), and: `onSuccess` at most once, nothing sent or shown after
//! `destroy()`, no timer pending after it, no deadline left in the past
//! once the flow was told the time, and an open modal only on a ready flow.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use keet_link::flow::HelpLink;
use keet_link::flow::{Effect, Failure, Flow, Notification, Request};
use keet_link::i18n::Locale;
use keet_link::protocol::{ErrorBody, ErrorCode, ResendResponse, SessionResponse, SubmitResponse};
use libfuzzer_sys::fuzz_target;

struct Answers {
    session: SessionResponse,
    credentials: SubmitResponse,
    code: SubmitResponse,
    done: SubmitResponse,
    done_without_token: SubmitResponse,
    resent: ResendResponse,
}

fn answers() -> &'static Answers {
    static ANSWERS: OnceLock<Answers> = OnceLock::new();
    ANSWERS.get_or_init(|| {
        let step = |kind: &str, field: &str| {
            format!(
                r#"{{"type":"{kind}","id":"st_{field}","fields":[{{"name":"{field}","label":"L","kind":"text","required":true,"maxLength":64}}]}}"#
            )
        };
        let submit = |step: &str| format!(r#"{{"status":"ok","step":{step}}}"#);
        let parse_submit = |text: &str| serde_json::from_str(text).expect("a submit answer");
        Answers {
            session: serde_json::from_str(&format!(
                r##"{{"status":"ok","session":{{"id":"ls_1","integration":{{"name":"Instagram","brandColor":"#E1306C"}},"expiresAt":"2030-01-01T00:00:00Z","step":{}}}}}"##,
                step("credentials", "username")
            ))
            .expect("a session"),
            credentials: parse_submit(&submit(&step("credentials", "username"))),
            code: parse_submit(&submit(&step("mfa", "code").replace(
                r#""id":"#,
                r#""resendAfterSeconds":2,"id":"#,
            ))),
            resent: serde_json::from_str(&submit(&step("mfa", "code").replace(
                r#""id":"#,
                r#""resendAfterSeconds":1,"id":"#,
            )))
            .expect("a resend answer"),
            done: parse_submit(
                r#"{"status":"ok","step":{"type":"done"},"publicToken":"public_sandbox_1","metadata":{"integration":"Instagram","linkSessionId":"ls_1"}}"#,
            ),
            done_without_token: parse_submit(r#"{"status":"ok","step":{"type":"done"}}"#),
        }
    })
}

fn failure(byte: u8) -> Failure {
    let api = |status: u16, code: ErrorCode| Failure::Api {
        status,
        body: Some(ErrorBody::new(code, "message")),
        retry_after: None,
    };
    match byte % 8 {
        0 => Failure::Network,
        1 => Failure::Timeout,
        2 => Failure::Malformed,
        3 => api(400, ErrorCode::ValidationError),
        4 => api(401, ErrorCode::TokenExpired),
        5 => api(423, ErrorCode::AccountLocked),
        6 => Failure::Api {
            status: 429,
            body: None,
            retry_after: Some(Duration::from_secs(u64::from(byte))),
        },
        _ => api(500, ErrorCode::InternalError),
    }
}

#[derive(Default)]
struct Shell {
    requests: Vec<Request>,
    /// The shell's clock.
    now: Duration,
    successes: usize,
    /// Set by the harness when it calls `destroy()`, not read from the flow.
    destroyed: bool,
    /// Link tokens asked for and not yet answered.
    renewals: u32,
    /// Tokens asked for since the user's last action (open, submit, try
    /// again, close): at most one for the load and one for the action.
    renewals_since_action: u32,
}

impl Shell {
    fn perform(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::Send(request) => {
                    assert!(!self.destroyed, "sent {request:?} after destroy()");
                    self.requests.push(request);
                }
                Effect::AbortRequests => self.requests.clear(),
                Effect::ShowModal => assert!(!self.destroyed, "shown after destroy()"),
                Effect::RenewToken => {
                    self.renewals += 1;
                    self.renewals_since_action += 1;
                }
                Effect::Notify(Notification::Success { .. }) => self.successes += 1,
                _ => {}
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let answers = answers();
    // An odd first byte: a host with a `linkToken` function (and with no
    // first token when it is 1 mod 4).
    let (mut flow, effects) = match data.first() {
        Some(byte) if byte % 2 == 1 => Flow::start_renewable(Locale::En, byte % 4 != 1),
        _ => Flow::start(Locale::En),
    };
    let mut shell = Shell::default();
    shell.perform(effects);
    let mut keys = 0u32;
    for pair in data.chunks(2) {
        let (action, argument) = (pair[0], pair.get(1).copied().unwrap_or(0));
        if matches!(action % 13, 5 | 7 | 8 | 9) {
            shell.renewals_since_action = 0;
        }
        let effects = match action % 13 {
            // An answer to the oldest request still in flight.
            0..=3 if !shell.requests.is_empty() => match shell.requests.remove(0) {
                Request::Session if action % 13 == 0 => {
                    flow.session_loaded(answers.session.clone())
                }
                Request::Session => flow.session_failed(failure(argument)),
                Request::Submit { .. } => match (action % 13, argument % 4) {
                    (0, 0) => flow.submit_succeeded(answers.credentials.clone()),
                    (0, 1) => flow.submit_succeeded(answers.code.clone()),
                    (0, 2) => flow.submit_succeeded(answers.done_without_token.clone()),
                    (0 | 1, _) => flow.submit_succeeded(answers.done.clone()),
                    _ => flow.submit_failed(failure(argument)),
                },
                Request::Exit(_) => Vec::new(),
                Request::Resend { .. } if action % 13 == 0 => {
                    flow.resend_succeeded(answers.resent.clone())
                }
                Request::Resend { .. } => flow.resend_failed(failure(argument)),
            },
            // The clock moves on: to the next deadline and past it by up to
            // 12.75 s (so several may fall due at once), or by a little.
            4 => {
                let by = Duration::from_millis(u64::from(argument) * 50);
                shell.now = match flow.poll_timeout() {
                    Some(deadline) if argument % 2 == 0 => shell.now.max(deadline) + by,
                    _ => shell.now + by,
                };
                let effects = flow.handle_timeout(shell.now);
                assert!(
                    flow.poll_timeout()
                        .is_none_or(|deadline| deadline > shell.now),
                    "a deadline left in the past"
                );
                effects
            }
            5 => flow.open(),
            6 => {
                flow.input(usize::from(argument % 3), format!("value {argument}"));
                Vec::new()
            }
            7 => {
                keys += 1;
                flow.submit(format!("key-{keys}"))
            }
            8 => flow.try_again(),
            9 => flow.close(),
            10 if argument == 0 => {
                shell.destroyed = true;
                flow.destroy()
            }
            11 if argument % 2 == 0 => {
                keys += 1;
                flow.resend(format!("key-{keys}"))
            }
            11 => flow.help_opened(if argument % 4 == 1 {
                HelpLink::ForgotPassword
            } else {
                HelpLink::Help
            }),
            // The host's answer to a renewal, possibly late or after a close.
            12 if shell.renewals > 0 => {
                shell.renewals -= 1;
                if argument % 3 == 0 {
                    flow.token_renewal_failed("linkToken() rejected.")
                } else {
                    flow.token_renewed()
                }
            }
            _ => Vec::new(),
        };
        shell.perform(effects);
        assert!(!flow.is_open() || flow.is_ready(), "open but not ready");
        assert!(!shell.destroyed || !flow.is_open(), "open after destroy()");
        assert!(
            !shell.destroyed || flow.poll_timeout().is_none(),
            "a timer pending after destroy()"
        );
        assert!(shell.successes <= 1, "onSuccess {} times", shell.successes);
        assert!(
            shell.renewals_since_action <= 2,
            "{} renewals in one user action: a loop",
            shell.renewals_since_action
        );
    }
});
