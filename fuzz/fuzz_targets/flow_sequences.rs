//! The flow driven as the shell drives it, through its one door
//! (`Flow::handle`), in any order a browser allows: answers (good,
//! malformed, failed) only to requests it sent and that were not
//! cancelled, the clock moved on by any amount, and user and host actions
//! at any time. The actions are structured (`Action`, derived with
//! `Arbitrary`), so the fuzzer's mutations stay meaningful. It never panics (the flow's `debug_assert!`s
//! included), and: `onSuccess` at most once, nothing sent or shown after
//! `destroy()`, no timer pending after it, no deadline left in the past
//! once the flow was told the time, an open modal only on a ready flow,
//! no approval polled while the modal is closed, and every payload the
//! host receives written by hand as serde writes it.
#![no_main]

use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::Arbitrary;
use keet_link::flow::{Effect, Failure, Flow, HelpLink, Input, Notification, Request, Timer};
use keet_link::i18n::Locale;
use keet_link::protocol::{ErrorBody, ErrorCode, ResendResponse, SessionResponse, SubmitResponse};
use libfuzzer_sys::fuzz_target;

struct Answers {
    session: SessionResponse,
    /// A session with no integration: its step is the choice of one.
    picker: SessionResponse,
    /// The answer to the choice: the login, and the integration chosen.
    chosen: SubmitResponse,
    approve: SubmitResponse,
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
            picker: serde_json::from_str(
                r##"{"status":"ok","session":{"id":"ls_1","expiresAt":"2030-01-01T00:00:00Z","step":{"type":"integration","id":"st_pick","options":[{"name":"Instagram","brandColor":"#E1306C"},{"name":"X","brandColor":"#000000"}]}}}"##,
            )
            .expect("a session at its integration step"),
            chosen: parse_submit(&format!(
                r##"{{"status":"ok","step":{},"integration":{{"name":"X","brandColor":"#000000"}}}}"##,
                step("credentials", "username")
            )),
            approve: parse_submit(
                r#"{"status":"ok","step":{"type":"approve","id":"st_push","prompt":"Tap yes","pollAfterSeconds":2,"codeInstead":true}}"#,
            ),
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

/// How a request fails.
#[derive(Arbitrary, Debug)]
enum FailureKind {
    Network,
    Timeout,
    Malformed,
    Invalid,
    Expired,
    Locked,
    Denied,
    RateLimited { retry_after_seconds: u8 },
    ServerError,
}

impl FailureKind {
    fn failure(&self) -> Failure {
        let api = |status: u16, code: ErrorCode| Failure::Api {
            status,
            body: Some(ErrorBody::new(code, "message")),
            retry_after: None,
        };
        match self {
            Self::Network => Failure::Network,
            Self::Timeout => Failure::Timeout,
            Self::Malformed => Failure::Malformed,
            Self::Invalid => api(400, ErrorCode::ValidationError),
            Self::Expired => api(401, ErrorCode::TokenExpired),
            Self::Locked => api(423, ErrorCode::AccountLocked),
            Self::Denied => api(409, ErrorCode::ApprovalDenied),
            Self::RateLimited {
                retry_after_seconds,
            } => Failure::Api {
                status: 429,
                body: None,
                retry_after: Some(Duration::from_secs(u64::from(*retry_after_seconds))),
            },
            Self::ServerError => api(500, ErrorCode::InternalError),
        }
    }
}

/// A good answer to a submit: the next step.
#[derive(Arbitrary, Debug)]
enum NextStep {
    Credentials,
    /// For a session: the picker; for a submit, the login after a choice.
    Chosen,
    Approve,
    Code,
    Done,
    DoneWithoutToken,
}

/// What the oldest request in flight gets back.
#[derive(Arbitrary, Debug)]
enum Answer {
    Good(NextStep),
    Failed(FailureKind),
}

/// One thing that happens to the widget, as a browser allows it.
#[derive(Arbitrary, Debug)]
enum Action {
    /// An answer to the oldest request still in flight.
    Answer(Answer),
    /// The clock moves on: to the next deadline and past it by up to
    /// 12.75 s (so several may fall due at once), or by a little.
    Wait {
        to_deadline: bool,
        by_50ms: u8,
    },
    Open,
    Type {
        index: u8,
        text: String,
    },
    /// Typing into the list of integrations' search box.
    Search {
        text: String,
    },
    Submit,
    TryAgain,
    Close,
    Destroy,
    Resend,
    /// Back from a login to the list of integrations.
    Back,
    UseCodeInstead,
    HelpOpened {
        forgot_password: bool,
    },
    /// The host's answer to a renewal, possibly late or after a close.
    RenewalAnswered {
        gave_a_token: bool,
    },
}

/// How the host made the widget: a link token, or a `linkToken` function
/// (with or without a first token).
#[derive(Arbitrary, Debug)]
enum Start {
    Token,
    Function { first_token: bool },
}

#[derive(Arbitrary, Debug)]
struct Run {
    start: Start,
    actions: Vec<Action>,
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
            // What the host receives, written by hand as the widget sends
            // it, is what serde writes.
            if let Effect::Notify(notification) = &effect {
                let args = notification.callback_args();
                let by_hand: serde_json::Value =
                    serde_json::from_str(&keet_link::protocol::write::to_json(&args))
                        .expect("valid JSON");
                assert_eq!(by_hand, serde_json::to_value(&args).unwrap());
            }
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

fuzz_target!(|run: Run| {
    let answers = answers();
    let (mut flow, effects) = match run.start {
        Start::Token => Flow::start(Locale::En),
        Start::Function { first_token } => Flow::start_renewable(Locale::En, first_token),
    };
    let mut shell = Shell::default();
    shell.perform(effects);
    let mut keys = 0u32;
    let mut key = || {
        keys += 1;
        format!("key-{keys}")
    };
    for action in run.actions {
        if matches!(
            action,
            Action::Open
                | Action::Submit
                | Action::TryAgain
                | Action::Close
                | Action::Back
                | Action::UseCodeInstead
        ) {
            shell.renewals_since_action = 0;
        }
        let input = match action {
            Action::Answer(answer) if !shell.requests.is_empty() => {
                match (shell.requests.remove(0), answer) {
                    (Request::Session, Answer::Good(NextStep::Chosen)) => {
                        Some(Input::SessionLoaded(answers.picker.clone()))
                    }
                    (Request::Session, Answer::Good(_)) => {
                        Some(Input::SessionLoaded(answers.session.clone()))
                    }
                    (Request::Session, Answer::Failed(how)) => {
                        Some(Input::SessionFailed(how.failure()))
                    }
                    (Request::Submit { .. } | Request::Poll { .. }, Answer::Good(next)) => {
                        Some(Input::SubmitSucceeded(match next {
                            NextStep::Credentials => answers.credentials.clone(),
                            NextStep::Chosen => answers.chosen.clone(),
                            NextStep::Approve => answers.approve.clone(),
                            NextStep::Code => answers.code.clone(),
                            NextStep::Done => answers.done.clone(),
                            NextStep::DoneWithoutToken => answers.done_without_token.clone(),
                        }))
                    }
                    (Request::Submit { .. } | Request::Poll { .. }, Answer::Failed(how)) => {
                        Some(Input::SubmitFailed(how.failure()))
                    }
                    (Request::Resend { .. }, Answer::Good(_)) => {
                        Some(Input::ResendSucceeded(answers.resent.clone()))
                    }
                    (Request::Resend { .. }, Answer::Failed(how)) => {
                        Some(Input::ResendFailed(how.failure()))
                    }
                    // The answer to an exit changes nothing.
                    (Request::Exit(_), _) => None,
                }
            }
            Action::Answer(_) => None,
            Action::Wait {
                to_deadline,
                by_50ms,
            } => {
                let by = Duration::from_millis(u64::from(by_50ms) * 50);
                shell.now = match flow.poll_timeout() {
                    Some(deadline) if to_deadline => shell.now.max(deadline) + by,
                    _ => shell.now + by,
                };
                Some(Input::Timeout)
            }
            Action::Open => Some(Input::Open),
            Action::Type { index, text } => Some(Input::Typed {
                index: usize::from(index % 3),
                value: text.into(),
            }),
            Action::Search { text } => Some(Input::Searched(text)),
            Action::Submit => Some(Input::Submit {
                idempotency_key: key(),
            }),
            Action::TryAgain => Some(Input::TryAgain),
            Action::Back => Some(Input::Back),
            Action::UseCodeInstead => Some(Input::UseCodeInstead {
                idempotency_key: key(),
            }),
            Action::Close => Some(Input::Close),
            Action::Destroy => {
                shell.destroyed = true;
                Some(Input::Destroy)
            }
            Action::Resend => Some(Input::Resend {
                idempotency_key: key(),
            }),
            Action::HelpOpened { forgot_password } => Some(Input::HelpOpened(if forgot_password {
                HelpLink::ForgotPassword
            } else {
                HelpLink::Help
            })),
            Action::RenewalAnswered { gave_a_token } if shell.renewals > 0 => {
                shell.renewals -= 1;
                Some(if gave_a_token {
                    Input::TokenRenewed
                } else {
                    Input::TokenRenewalFailed("linkToken() rejected.")
                })
            }
            Action::RenewalAnswered { .. } => None,
        };
        let Some(input) = input else { continue };
        let only_time = matches!(input, Input::Timeout);
        shell.perform(flow.handle(input, shell.now));
        // Time alone fires everything due (another input may start a timer
        // due at once, which the shell's next wake-up handles).
        assert!(
            !only_time
                || flow
                    .poll_timeout()
                    .is_none_or(|deadline| deadline > shell.now),
            "a deadline left in the past"
        );
        assert!(!flow.is_open() || flow.is_ready(), "open but not ready");
        // The list's search holds for any text (each option checked alike).
        if let Some(form) = flow.form_on_screen() {
            assert!(form.options_shown() <= form.step.options.len());
        }
        assert!(
            flow.is_open() || flow.deadline(Timer::Poll).is_none(),
            "an approval polled while the modal is closed"
        );
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
