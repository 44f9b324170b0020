//! The flow's transitions, driven as the shell drives them.

use super::*;
use keet_link_protocol::{
    ErrorBody, ErrorCode, FieldError, FieldKind, FieldSpec, FormStep, IntegrationBrand, LinkMode,
    LinkSession, Ok as WireOk, ResendResponse, Step, SuccessMetadata,
};

mod payloads;
mod second_steps;

fn field(name: &str, kind: FieldKind) -> FieldSpec {
    FieldSpec {
        name: name.into(),
        label: name.into(),
        kind,
        autocomplete: None,
        required: true,
        max_length: Some(256),
        length: (kind == FieldKind::Otp).then_some(6),
        value: None,
        read_only: false,
        options: Vec::new(),
    }
}

fn login_step() -> FormStep {
    FormStep::of_fields(
        "st_login".into(),
        None,
        vec![
            field("username", FieldKind::Text),
            field("password", FieldKind::Password),
        ],
    )
}

/// The answer to a login that asks for a code.
fn code_answer() -> SubmitResponse {
    SubmitResponse {
        status: WireOk::Ok,
        step: Step::Mfa(code_step()),
        public_token: None,
        metadata: None,
        integration: None,
    }
}

fn code_step() -> FormStep {
    FormStep::of_fields(
        "st_code".into(),
        Some("Enter the code".into()),
        vec![field("code", FieldKind::Otp)],
    )
}

/// A 429 whose `Retry-After` is `seconds`.
fn rate_limited(seconds: u64) -> Failure {
    Failure::Api {
        status: 429,
        body: None,
        retry_after: Some(Duration::from_secs(seconds)),
    }
}

/// How long until `timer` fires, if it is pending.
fn wait_for(flow: &Flow, timer: Timer) -> Option<Duration> {
    flow.deadline(timer).map(|at| at - flow.now)
}

/// Moves the flow's clock to `timer`'s deadline: what fires then.
fn fire(flow: &mut Flow, timer: Timer) -> Vec<Effect> {
    let at = flow
        .deadline(timer)
        .unwrap_or_else(|| panic!("{timer:?} is not pending"));
    flow.handle_timeout(at)
}

/// Moves the flow's clock on by `by`: whatever fires meanwhile.
fn wait(flow: &mut Flow, by: Duration) -> Vec<Effect> {
    let now = flow.now + by;
    flow.handle_timeout(now)
}

fn session(logo: Option<&str>) -> SessionResponse {
    SessionResponse {
        status: WireOk::Ok,
        session: LinkSession {
            id: "ls_1".into(),
            integration: Some(IntegrationBrand {
                name: "Instagram".into(),
                brand_color: "#E1306C".into(),
                forgot_password_url: Some(
                    "https://www.instagram.com/accounts/password/reset/".into(),
                ),
                help_url: Some("http://help.example/".into()),
            }),
            company_name: Some("Acme".into()),
            company_logo_uri: logo.map(Into::into),
            expires_at: "2030-01-01T00:00:00Z".into(),
            mode: LinkMode::Link,
            step: Step::Credentials(login_step()),
        },
    }
}

#[test]
fn a_company_name_that_could_spoof_the_text_is_not_shown() {
    let (mut flow, _) = Flow::start(Locale::En);
    let mut response = session(None);
    response.session.company_name = Some("Acme\u{202E}evil".into());
    flow.session_loaded(response);
    assert!(flow.is_ready());
    assert_eq!(flow.session().unwrap().company_name, None);
}

fn api(status: u16, code: ErrorCode, errors: Vec<FieldError>) -> Failure {
    Failure::Api {
        status,
        body: Some(ErrorBody {
            errors,
            ..ErrorBody::new(code, "message from the API")
        }),
        retry_after: None,
    }
}

fn done() -> SubmitResponse {
    SubmitResponse {
        status: WireOk::Ok,
        step: Step::Done,
        public_token: Some("public_sandbox_abc".into()),
        metadata: Some(SuccessMetadata {
            integration: "Instagram".into(),
            username: Some("user_good".into()),
            link_session_id: "ls_1".into(),
            mode: LinkMode::Link,
        }),
        integration: None,
    }
}

fn notifications(effects: &[Effect]) -> Vec<&Notification> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify(n) => Some(n),
            _ => None,
        })
        .collect()
}

fn event_names(effects: &[Effect]) -> Vec<EventName> {
    notifications(effects)
        .into_iter()
        .filter_map(|n| match n {
            Notification::Event { name, .. } => Some(*name),
            _ => None,
        })
        .collect()
}

fn ready_flow() -> Flow {
    let (mut flow, _) = Flow::start(Locale::En);
    flow.session_loaded(session(Some("https://cdn.example/logo.png")));
    flow
}

fn open_flow_with_login(username: &str, password: &str) -> Flow {
    let mut flow = ready_flow();
    flow.open();
    flow.input(0, username);
    flow.input(1, password);
    flow
}

#[test]
fn becomes_ready_and_calls_on_load_once_the_session_loads() {
    let (mut flow, effects) = Flow::start(Locale::En);
    assert_eq!(effects, [Effect::Send(Request::Session)]);
    assert!(!flow.is_ready());
    let effects = flow.session_loaded(session(None));
    assert!(flow.is_ready());
    assert_eq!(notifications(&effects), [&Notification::Load]);
    // A duplicate answer changes nothing and does not call onLoad again.
    assert!(flow.session_loaded(session(None)).is_empty());
}

#[test]
fn refuses_a_logo_that_is_not_https() {
    let (mut flow, _) = Flow::start(Locale::En);
    flow.session_loaded(session(Some("javascript:alert(1)")));
    assert_eq!(flow.session().unwrap().company_logo_uri, None);
    let flow = ready_flow();
    assert!(flow.session().unwrap().company_logo_uri.is_some());
}

#[test]
fn a_logo_or_help_page_on_this_machine_is_followed_only_when_the_api_is_local() {
    let local = |allowed: bool| {
        let (mut flow, _) = Flow::start(Locale::En);
        flow.allow_loopback_links(allowed);
        let mut answer = session(Some("http://127.0.0.1:8080/logo.svg"));
        answer.session.integration.as_mut().unwrap().help_url =
            Some("https://localhost/help".into());
        flow.session_loaded(answer);
        let session = flow.session().unwrap().clone();
        (session.company_logo_uri, session.help_url)
    };
    assert_eq!(local(false), (None, None), "a production widget");
    assert_eq!(
        local(true),
        (
            Some("http://127.0.0.1:8080/logo.svg".into()),
            Some("https://localhost/help".into())
        ),
        "against the sandbox"
    );
}

#[test]
fn a_page_on_an_origin_the_api_refuses_gets_a_validation_error_and_no_new_token() {
    // With a token function, a 403 would otherwise ask for a new token.
    let (mut flow, _) = Flow::start_renewable(Locale::En, true);
    let effects = flow.session_failed(api(403, ErrorCode::OriginNotAllowed, vec![]));
    let [Notification::ValidationError(errors)] = notifications(&effects)[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(effects.len(), 1, "no RenewToken: {effects:?}");
    assert_eq!(errors[0].code, "ORIGIN_NOT_ALLOWED");
    assert_eq!(errors[0].field, None, "not about the link token");
    assert!(!flow.is_ready());
}

#[test]
fn expired_link_token_at_start_reports_a_validation_error() {
    let (mut flow, _) = Flow::start(Locale::En);
    let effects = flow.session_failed(api(401, ErrorCode::TokenExpired, vec![]));
    let [Notification::ValidationError(errors)] = notifications(&effects)[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(errors[0].code, "TOKEN_EXPIRED");
    assert_eq!(errors[0].field.as_deref(), Some("linkToken"));
    assert!(!flow.is_ready());
    let warned = flow.open();
    assert!(matches!(
        notifications(&warned)[..],
        [Notification::Warn(_)]
    ));
}

#[test]
fn retries_loading_after_server_errors_then_gives_up() {
    let (mut flow, _) = Flow::start(Locale::En);
    for attempt in 0..MAX_AUTOMATIC_RETRIES {
        assert_eq!(flow.session_failed(Failure::Network), []);
        let backoff = FIRST_BACKOFF * 2u32.pow(attempt.into());
        assert_eq!(wait_for(&flow, Timer::RetrySession), Some(backoff));
        assert_eq!(flow.poll_timeout(), Some(flow.now + backoff));
        assert_eq!(
            wait(&mut flow, backoff - Duration::from_millis(1)),
            [],
            "not before its backoff"
        );
        assert_eq!(
            wait(&mut flow, Duration::from_millis(1)),
            [Effect::Send(Request::Session)]
        );
        assert_eq!(flow.poll_timeout(), None);
    }
    let effects = flow.session_failed(Failure::Network);
    assert_eq!(event_names(&effects), [EventName::Error]);
    assert!(!flow.is_ready());
}

#[test]
fn a_timer_counts_from_the_time_last_told_and_a_clock_going_back_changes_nothing() {
    let (mut flow, _) = Flow::start(Locale::En);
    assert_eq!(flow.handle_timeout(Duration::from_secs(5)), []);
    assert_eq!(
        flow.handle_timeout(Duration::from_secs(1)),
        [],
        "back in time"
    );
    flow.session_failed(Failure::Network);
    let due = Duration::from_secs(5) + FIRST_BACKOFF;
    assert_eq!(flow.poll_timeout(), Some(due));
    assert_eq!(flow.handle_timeout(due - Duration::from_millis(1)), []);
    assert_eq!(flow.handle_timeout(due), [Effect::Send(Request::Session)]);
}

#[test]
fn a_late_wake_up_fires_every_due_timer_and_hands_off_once() {
    // From a code step still counting down, success: the hand-off (0.9 s)
    // and the countdown's tick (1 s) are both pending.
    let mut flow = open_flow_with_login("user_mfa", "pass_good");
    flow.submit("k1".into());
    flow.submit_succeeded(SubmitResponse {
        step: Step::Mfa(FormStep {
            resend_after_seconds: Some(30),
            ..code_step()
        }),
        ..code_answer()
    });
    flow.input(0, "123456");
    flow.submit("k2".into());
    flow.submit_succeeded(done());
    assert_eq!(flow.poll_timeout(), Some(SUCCESS_VIEW_DURATION));
    assert!(flow.deadline(Timer::ResendTick).is_some());
    let effects = flow.handle_timeout(Duration::from_secs(60));
    assert_eq!(event_names(&effects), [EventName::Handoff]);
    assert_eq!(
        notifications(&effects)
            .iter()
            .filter(|n| matches!(n, Notification::Success { .. }))
            .count(),
        1
    );
    assert_eq!(flow.poll_timeout(), None);
}

#[test]
fn rate_limited_load_waits_for_retry_after() {
    let (mut flow, _) = Flow::start(Locale::En);
    let effects = flow.session_failed(rate_limited(2));
    assert_eq!(effects, []);
    assert_eq!(
        wait_for(&flow, Timer::RetrySession),
        Some(Duration::from_secs(2))
    );
    assert_eq!(
        fire(&mut flow, Timer::RetrySession),
        [Effect::Send(Request::Session)]
    );
    flow.session_loaded(session(None));
    assert!(flow.is_ready());
}

#[test]
fn opens_modal_when_ready_with_open_and_view_events() {
    let mut flow = ready_flow();
    let effects = flow.open();
    assert!(flow.is_open());
    assert_eq!(effects[0], Effect::ShowModal);
    assert_eq!(
        event_names(&effects),
        [EventName::Open, EventName::TransitionView]
    );
    assert!(effects.contains(&Effect::MoveFocus));
    assert!(flow.open().is_empty(), "open while open is a no-op");
}

#[test]
fn open_before_ready_warns_once_and_does_nothing() {
    let (mut flow, _) = Flow::start(Locale::En);
    let effects = flow.open();
    assert!(matches!(
        notifications(&effects)[..],
        [Notification::Warn(_)]
    ));
    assert!(!flow.is_open());
}

#[test]
fn empty_fields_show_errors_and_send_nothing() {
    let mut flow = ready_flow();
    flow.open();
    let effects = flow.submit("k1".into());
    assert_eq!(effects, [Effect::MoveFocus]);
    let Some(Screen::Form {
        form,
        sending: None,
    }) = flow.screen()
    else {
        panic!()
    };
    assert!(form.error(0).is_some() && form.error(1).is_some());
    assert_eq!(form.first_invalid(), Some(0));
}

#[test]
fn typing_clears_that_fields_error() {
    let mut flow = ready_flow();
    flow.open();
    flow.submit("k1".into());
    flow.input(0, "user_good");
    let Some(Screen::Form { form, .. }) = flow.screen() else {
        panic!()
    };
    assert_eq!(form.error(0), None);
    assert!(form.error(1).is_some());
}

#[test]
fn submit_sends_once_and_clears_the_password_from_the_form() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    let effects = flow.submit("key-1".into());
    assert_eq!(event_names(&effects), [EventName::SubmitCredentials]);
    let Some(Effect::Send(Request::Submit {
        idempotency_key,
        body,
    })) = effects.last()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(idempotency_key, "key-1");
    assert_eq!(body.step_id, "st_login");
    assert_eq!(body.values.get("password"), Some("pass_good"));
    let Some(Screen::Form { form, .. }) = flow.screen() else {
        panic!()
    };
    assert_eq!(form.value(1), "", "the password left the form");
    assert_eq!(form.value(0), "user_good", "the username stays");
    assert!(flow.is_sending());
    assert!(flow.submit("key-2".into()).is_empty(), "no double submit");
    flow.input(0, "someone else");
    let Some(Screen::Form { form, .. }) = flow.screen() else {
        panic!()
    };
    assert_eq!(
        form.value(0),
        "user_good",
        "inputs are frozen while sending"
    );
}

#[test]
fn wrong_password_shows_field_error_and_allows_retry() {
    let mut flow = open_flow_with_login("user_good", "nope");
    flow.submit("k1".into());
    let effects = flow.submit_failed(api(
        400,
        ErrorCode::ValidationError,
        vec![FieldError::new(
            "values.password",
            keet_link_protocol::FieldErrorCode::InvalidCredentials,
            "The username or password is incorrect.",
        )],
    ));
    let [Notification::Event {
        name: EventName::Error,
        metadata,
    }] = notifications(&effects)[..]
    else {
        panic!("{effects:?}")
    };
    assert_eq!(metadata.error_code.as_deref(), Some("INVALID_CREDENTIALS"));
    let Some(Screen::Form {
        form,
        sending: None,
    }) = flow.screen()
    else {
        panic!()
    };
    assert_eq!(
        form.error(1),
        Some("The username or password is incorrect.")
    );
    flow.input(1, "pass_good");
    assert!(matches!(
        flow.submit("k2".into()).last(),
        Some(Effect::Send(_))
    ));
}

#[test]
fn code_step_follows_credentials_for_user_mfa() {
    let mut flow = open_flow_with_login("user_mfa", "pass_good");
    flow.submit("k1".into());
    let effects = flow.submit_succeeded(code_answer());
    let [Notification::Event { metadata, .. }] = notifications(&effects)[..] else {
        panic!()
    };
    assert_eq!(metadata.view, Some(ViewName::Mfa));
    flow.input(0, "12345");
    assert_eq!(
        flow.submit("k2".into()),
        [Effect::MoveFocus],
        "5 digits refused locally"
    );
    flow.input(0, "123456");
    let effects = flow.submit("k3".into());
    assert_eq!(event_names(&effects), [EventName::SubmitMfa]);
}

#[test]
fn a_code_pasted_with_spaces_or_dashes_keeps_its_digits() {
    let mut flow = open_flow_with_login("user_mfa", "pass_good");
    flow.submit("k1".into());
    flow.submit_succeeded(code_answer());
    let typed_value = |flow: &Flow| match flow.screen() {
        Some(Screen::Form { form, .. }) => form.value(0).to_owned(),
        _ => panic!("the code form"),
    };
    flow.input(0, "123 456");
    assert_eq!(typed_value(&flow), "123456");
    flow.input(0, "123-456\n");
    assert_eq!(typed_value(&flow), "123456");
    let effects = flow.submit("k2".into());
    assert_eq!(event_names(&effects), [EventName::SubmitMfa]);
}

#[test]
fn success_shows_then_hands_off_exactly_once_and_closes() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    let effects = flow.submit_succeeded(done());
    assert_eq!(event_names(&effects), [EventName::TransitionView]);
    assert_eq!(wait_for(&flow, Timer::Handoff), Some(SUCCESS_VIEW_DURATION));
    assert!(matches!(flow.screen(), Some(Screen::Success { .. })));
    let effects = fire(&mut flow, Timer::Handoff);
    assert_eq!(event_names(&effects), [EventName::Handoff]);
    let successes: Vec<_> = notifications(&effects)
        .into_iter()
        .filter(|n| matches!(n, Notification::Success { .. }))
        .collect();
    assert_eq!(successes.len(), 1);
    assert_eq!(effects[1], Effect::HideModal, "hidden before onSuccess");
    assert!(matches!(
        effects.last(),
        Some(Effect::Notify(Notification::Success { .. }))
    ));
    assert!(!flow.is_ready() && !flow.is_open());
    assert_eq!(flow.poll_timeout(), None, "never twice");
    assert!(wait(&mut flow, SUCCESS_VIEW_DURATION).is_empty());
    assert!(flow
        .destroy()
        .iter()
        .all(|e| !matches!(e, Effect::Notify(Notification::Success { .. }))));
}

#[test]
fn closing_during_the_success_view_hands_off_instead_of_exiting() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    flow.submit_succeeded(done());
    let effects = flow.close();
    assert!(notifications(&effects)
        .iter()
        .any(|n| matches!(n, Notification::Success { .. })));
    assert!(!notifications(&effects)
        .iter()
        .any(|n| matches!(n, Notification::Exit { .. })));
}

#[test]
fn destroy_during_the_success_view_still_calls_on_success() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    flow.submit_succeeded(done());
    let effects = flow.destroy();
    assert_eq!(effects[0], Effect::AbortRequests);
    assert_eq!(flow.poll_timeout(), None, "no timer outlives destroy()");
    assert!(notifications(&effects)
        .iter()
        .any(|n| matches!(n, Notification::Success { .. })));
    assert!(flow.is_destroyed());
    assert!(flow.destroy().is_empty(), "idempotent");
    assert!(matches!(
        notifications(&flow.open())[..],
        [Notification::Warn(_)]
    ));
}

#[test]
fn done_without_a_public_token_is_treated_as_a_malformed_answer() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    let effects = flow.submit_succeeded(SubmitResponse {
        public_token: None,
        ..done()
    });
    assert_eq!(effects, []);
    assert!(flow.is_waiting_to_retry());
}

#[test]
fn locked_account_shows_locked_view_and_exits_with_locked() {
    let mut flow = open_flow_with_login("user_locked", "x");
    flow.submit("k1".into());
    let effects = flow.submit_failed(api(423, ErrorCode::AccountLocked, vec![]));
    assert_eq!(
        event_names(&effects),
        [EventName::Error, EventName::TransitionView]
    );
    assert!(matches!(flow.screen(), Some(Screen::Locked { .. })));
    let effects = flow.close();
    assert!(effects.contains(&Effect::Send(Request::Exit(ExitReason::Error))));
    let exit = notifications(&effects)
        .into_iter()
        .find_map(|n| match n {
            Notification::Exit { error, metadata } => Some((error.clone(), metadata.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(exit.1.status, ExitStatus::Locked);
    assert_eq!(exit.0.unwrap().code, "ACCOUNT_LOCKED");
}

#[test]
fn token_expiring_mid_flow_reports_validation_error_and_shows_expired() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    let effects = flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![]));
    assert!(notifications(&effects)
        .iter()
        .any(|n| matches!(n, Notification::ValidationError(e) if e[0].code == "TOKEN_EXPIRED")));
    assert!(matches!(flow.screen(), Some(Screen::Expired { .. })));
    let effects = flow.close();
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Send(_))),
        "no exit call with a dead token"
    );
    assert!(notifications(&effects).iter().any(|n| matches!(
        n,
        Notification::Exit {
            metadata: ExitMetadata {
                status: ExitStatus::Expired,
                ..
            },
            ..
        }
    )));
}

#[test]
fn rate_limited_submit_waits_and_retries_with_the_same_key() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("same-key".into());
    let effects = flow.submit_failed(rate_limited(3));
    assert_eq!(effects, []);
    assert_eq!(
        wait_for(&flow, Timer::RetrySubmit),
        Some(Duration::from_secs(3))
    );
    assert!(flow.is_waiting_to_retry(), "the view shows 'retrying'");
    let effects = fire(&mut flow, Timer::RetrySubmit);
    let [Effect::Send(Request::Submit {
        idempotency_key,
        body,
    })] = &effects[..]
    else {
        panic!()
    };
    assert_eq!(idempotency_key, "same-key");
    assert_eq!(
        body.values.get("password"),
        Some("pass_good"),
        "the same body"
    );
}

#[test]
fn server_errors_retry_with_backoff_then_offer_try_again() {
    let mut flow = open_flow_with_login("user_flaky", "pass_good");
    flow.submit("k".into());
    for _ in 0..MAX_AUTOMATIC_RETRIES {
        let effects = flow.submit_failed(api(500, ErrorCode::InternalError, vec![]));
        assert_eq!(effects, []);
        assert!(flow.is_waiting_to_retry());
        assert_eq!(fire(&mut flow, Timer::RetrySubmit).len(), 1);
    }
    let effects = flow.submit_failed(Failure::Timeout);
    assert_eq!(
        event_names(&effects),
        [EventName::Error, EventName::TransitionView]
    );
    assert!(matches!(
        flow.screen(),
        Some(Screen::Failed { retry: Some(_), .. })
    ));
    let effects = flow.try_again();
    let Some(Effect::Send(Request::Submit {
        idempotency_key, ..
    })) = effects.last()
    else {
        panic!("{effects:?}")
    };
    assert_eq!(idempotency_key, "k");
    assert!(flow.is_sending());
    let effects = flow.submit_succeeded(done());
    assert_eq!(event_names(&effects), [EventName::TransitionView]);
    assert!(flow.deadline(Timer::Handoff).is_some());
}

#[test]
fn conflict_offers_no_retry() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k".into());
    flow.submit_failed(api(409, ErrorCode::Conflict, vec![]));
    assert!(matches!(
        flow.screen(),
        Some(Screen::Failed { retry: None, .. })
    ));
    assert!(flow.try_again().is_empty());
}

#[test]
fn closing_the_form_exits_with_requires_credentials_and_keeps_the_session() {
    let mut flow = ready_flow();
    flow.open();
    flow.input(0, "user_good");
    flow.input(1, "typed but never sent");
    let effects = flow.close();
    assert_eq!(
        effects[..2],
        [Effect::AbortRequests, Effect::HideModal],
        "focus returns before onExit"
    );
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Send(_))),
        "the session stays usable"
    );
    assert_eq!(event_names(&effects), [EventName::Exit]);
    assert!(notifications(&effects).iter().any(|n| matches!(
        n,
        Notification::Exit {
            error: None,
            metadata: ExitMetadata {
                status: ExitStatus::RequiresCredentials,
                link_session_id: Some(_)
            }
        }
    )));
    assert!(flow.is_ready() && !flow.is_open());
    assert!(matches!(
        notifications(&flow.close())[..],
        [Notification::Warn(_)]
    ));
    // Reopening resumes the same step, without the unsent password.
    flow.open();
    let Some(Screen::Form { form, .. }) = flow.screen() else {
        panic!()
    };
    assert_eq!((form.value(0), form.value(1)), ("user_good", ""));
}

#[test]
fn closing_on_the_code_step_resumes_there() {
    let mut flow = open_flow_with_login("user_mfa", "pass_good");
    flow.submit("k".into());
    flow.submit_succeeded(code_answer());
    let effects = flow.close();
    assert!(notifications(&effects).iter().any(|n| matches!(
        n,
        Notification::Exit {
            metadata: ExitMetadata {
                status: ExitStatus::RequiresCode,
                ..
            },
            ..
        }
    )));
    flow.open();
    let Some(Screen::Form { form, .. }) = flow.screen() else {
        panic!()
    };
    assert_eq!(form.kind, StepKind::Mfa);
}

#[test]
fn closing_while_sending_reloads_the_session_without_a_second_on_load() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k".into());
    let effects = flow.close();
    assert_eq!(effects.last(), Some(&Effect::Send(Request::Session)));
    assert!(!flow.is_ready());
    let effects = flow.session_loaded(session(None));
    assert!(effects.is_empty(), "onLoad fires once per widget");
    assert!(flow.is_ready());
}

#[test]
fn closing_an_error_view_ends_the_session_on_the_server() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k".into());
    flow.submit_failed(api(409, ErrorCode::Conflict, vec![]));
    let effects = flow.close();
    assert_eq!(
        effects.last(),
        Some(&Effect::Send(Request::Exit(ExitReason::Error)))
    );
    assert!(!flow.is_ready());
}

#[test]
fn a_retry_timer_cancelled_by_a_close_does_not_resend_after_reopening() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("first-key".into());
    flow.submit_failed(Failure::Network);
    assert!(flow.is_waiting_to_retry());
    flow.close();
    assert!(!flow.is_waiting_to_retry(), "the close cancelled it");
    flow.session_loaded(session(None));
    flow.open();
    for (index, value) in ["user_good", "pass_good"].into_iter().enumerate() {
        flow.input(index, value);
    }
    flow.submit("second-key".into());
    // The first retry's deadline passes: nothing is sent again.
    assert!(wait(&mut flow, Duration::from_secs(10)).is_empty());
    assert!(flow.is_sending(), "still waiting for the second submit");
}

#[test]
fn answers_after_close_are_ignored() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k".into());
    flow.close();
    assert!(flow.submit_succeeded(done()).is_empty());
    assert!(flow.submit_failed(Failure::Network).is_empty());
    assert_eq!(flow.poll_timeout(), None);
    assert!(wait(&mut flow, Duration::from_secs(10)).is_empty());
}

#[test]
fn debug_output_never_shows_typed_secrets_or_tokens() {
    let mut flow = open_flow_with_login("user_good", "hunter2-secret");
    let shown = format!("{flow:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    let effects = flow.submit("k".into());
    assert!(!format!("{effects:?}").contains("hunter2"));
    flow.submit_succeeded(done());
    assert!(!format!("{flow:?}").contains("public_sandbox_abc"));
    let effects = fire(&mut flow, Timer::Handoff);
    assert!(!format!("{effects:?}").contains("public_sandbox_abc"));
}

#[test]
fn every_notification_calls_its_callback_with_the_contracts_arguments() {
    let metadata = SuccessMetadata {
        integration: "X".into(),
        username: None,
        link_session_id: "ls_1".into(),
        mode: LinkMode::Link,
    };
    let exit = ExitMetadata {
        status: ExitStatus::Error,
        link_session_id: None,
    };
    let cases = [
        (Notification::Load, Some("onLoad"), "[]"),
        (
            Notification::Success {
                public_token: "public_sandbox_1".into(),
                metadata,
            },
            Some("onSuccess"),
            r#"["public_sandbox_1",{"integration":"X","linkSessionId":"ls_1","mode":"link"}]"#,
        ),
        (
            Notification::ValidationError(vec![KeetLinkError::about("linkToken", "X", "m")]),
            Some("onValidationError"),
            r#"[[{"code":"X","message":"m","field":"linkToken"}]]"#,
        ),
        (
            Notification::Exit {
                error: None,
                metadata: exit,
            },
            Some("onExit"),
            r#"[null,{"status":"error"}]"#,
        ),
        (
            Notification::Event {
                name: EventName::Open,
                metadata: EventMetadata {
                    link_session_id: None,
                    mode: None,
                    view: None,
                    error_code: None,
                    integration: None,
                },
            },
            Some("onEvent"),
            r#"["OPEN",{}]"#,
        ),
        (Notification::Warn("w"), None, "[]"),
    ];
    let mut covered: Vec<&str> = cases.iter().filter_map(|(_, name, _)| *name).collect();
    let mut every: Vec<&str> = Notification::CALLBACKS
        .iter()
        .map(|spec| spec.name)
        .collect();
    every.sort_unstable();
    covered.sort_unstable();
    assert_eq!(covered, every, "a case for every callback");
    for (notification, name, args) in cases {
        assert_eq!(notification.callback_name(), name);
        assert_eq!(
            serde_json::to_string(&notification.callback_args()).unwrap(),
            args
        );
        // A host that receives the call by name gets the same notification back.
        if let Some(name) = name {
            let parsed = &mut serde_json::Deserializer::from_str(args);
            assert_eq!(
                Notification::from_callback_args(name, parsed),
                Some(notification.clone()),
                "{name}"
            );
        }
    }
    let wrong_shape = &mut serde_json::Deserializer::from_str(r#"["OPEN"]"#);
    assert_eq!(
        Notification::from_callback_args("onSuccess", wrong_shape),
        None
    );
    let unknown = &mut serde_json::Deserializer::from_str("[]");
    assert_eq!(
        Notification::from_callback_args("onSomething", unknown),
        None
    );
}

#[test]
fn every_host_callback_is_named_once_with_its_arguments_and_a_rust_type_reads_it() {
    use crate::callbacks::{OnExit, OnLoad};
    use crate::HostCallback;
    let names: Vec<&str> = Notification::CALLBACKS
        .iter()
        .map(|spec| spec.name)
        .collect();
    assert_eq!(
        names,
        [
            "onSuccess",
            "onValidationError",
            "onExit",
            "onEvent",
            "onLoad"
        ]
    );
    assert!(Notification::CALLBACKS
        .iter()
        .all(|spec| spec.args.len() <= 3));
    let exit = Notification::Exit {
        error: None,
        metadata: ExitMetadata {
            status: ExitStatus::RequiresCode,
            link_session_id: None,
        },
    };
    assert_eq!(
        OnExit::args_of(exit.clone()).map(|(error, m)| (error, m.status)),
        Some((None, ExitStatus::RequiresCode))
    );
    assert_eq!(
        OnLoad::args_of(exit),
        None,
        "another callback's notification"
    );
}

#[test]
fn the_services_own_pages_are_kept_only_when_https_and_opening_one_is_an_event() {
    let mut flow = ready_flow();
    let session = flow.session().expect("a session");
    assert_eq!(
        session.forgot_password_url.as_deref(),
        Some("https://www.instagram.com/accounts/password/reset/")
    );
    assert_eq!(session.help_url, None, "plain http: is not linked");
    assert_eq!(
        flow.help_opened(HelpLink::ForgotPassword),
        [],
        "closed: nothing"
    );
    flow.open();
    assert_eq!(
        event_names(&flow.help_opened(HelpLink::ForgotPassword)),
        [EventName::ForgotPassword]
    );
    assert_eq!(
        event_names(&flow.help_opened(HelpLink::Help)),
        [EventName::OpenHelp]
    );
}

mod new_code;
mod renewal;

#[test]
fn a_covered_modal_refuses_typing_and_sending_until_it_is_visible_again() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    let covered = flow.handle(Input::Covered(true), Duration::ZERO);
    assert_eq!(event_names(&covered), [EventName::FrameCovered]);
    assert!(flow.is_covered());
    // A report that changes nothing emits nothing.
    assert!(flow.handle(Input::Covered(true), Duration::ZERO).is_empty());
    flow.input(1, "typed into the overlay");
    assert_eq!(flow.form_on_screen().unwrap().value(1), "pass_good");
    let submit = Input::Submit {
        idempotency_key: "k".into(),
    };
    assert!(flow.handle(submit, Duration::ZERO).is_empty());
    assert!(!flow.is_sending());

    assert!(flow
        .handle(Input::Covered(false), Duration::ZERO)
        .is_empty());
    let submit = Input::Submit {
        idempotency_key: "k".into(),
    };
    let sent = flow.handle(submit, Duration::ZERO);
    assert!(
        sent.iter().any(|e| matches!(e, Effect::Send(_))),
        "{sent:?}"
    );
}

#[test]
fn a_report_from_a_closed_dialog_changes_nothing_and_a_new_dialog_starts_uncovered() {
    let mut flow = ready_flow();
    assert!(flow.handle(Input::Covered(true), Duration::ZERO).is_empty());
    assert!(!flow.is_covered());
    flow.open();
    flow.handle(Input::Covered(true), Duration::ZERO);
    flow.handle(Input::Close, Duration::ZERO);
    assert!(!flow.is_covered());
}

#[test]
fn a_relink_starts_with_the_linked_username_which_typing_cannot_change() {
    let (mut flow, _) = Flow::start(Locale::En);
    let mut answer = session(None);
    answer.session.mode = LinkMode::Relink;
    if let Step::Credentials(step) = &mut answer.session.step {
        step.fields[0].value = Some("user_good".into());
        step.fields[0].read_only = true;
    }
    flow.session_loaded(answer);
    let opened = flow.handle(Input::Open, Duration::ZERO);
    let modes: Vec<_> = opened
        .iter()
        .filter_map(|effect| match effect {
            Effect::Notify(Notification::Event { metadata, .. }) => Some(metadata.mode),
            _ => None,
        })
        .collect();
    assert_eq!(modes, [Some(LinkMode::Relink), Some(LinkMode::Relink)]);
    flow.input(0, "someone_else");
    flow.input(1, "pass_good");
    assert_eq!(flow.form_on_screen().unwrap().value(0), "user_good");
    assert_eq!(flow.session().unwrap().mode, LinkMode::Relink);
}
