//! Token renewal: a `linkToken` function gives a new token mid-flow, and
//! the user's action goes on in the new session.

use super::*;

/// A renewable flow, loaded and open, with a login typed.
fn renewable_flow_with_login(username: &str, password: &str) -> Flow {
    let (mut flow, _) = Flow::start_renewable(Locale::En, true);
    flow.session_loaded(session(None));
    flow.open();
    flow.input(0, username);
    flow.input(1, password);
    flow
}

/// The session of a new link token: another id and step ids.
fn renewed_session(step: Step) -> SessionResponse {
    let mut response = session(None);
    response.session.id = "ls_2".into();
    response.session.step = step;
    response
}

fn renewed_login_step() -> Step {
    Step::Credentials(FormStep {
        id: "st_login_2".into(),
        ..login_step()
    })
}

fn sent_submission(effects: &[Effect]) -> Option<(&str, &keet_link_protocol::SubmitRequest)> {
    effects.iter().find_map(|effect| match effect {
        Effect::Send(Request::Submit {
            idempotency_key,
            body,
        }) => Some((idempotency_key.as_str(), body)),
        _ => None,
    })
}

#[test]
fn a_login_refused_for_an_expired_token_goes_on_with_a_renewed_one_without_an_error_view() {
    let mut flow = renewable_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    let effects = flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![]));
    assert_eq!(effects, [Effect::RenewToken]);
    assert!(flow.is_sending(), "the form stays on screen, sending");

    let effects = flow.token_renewed();
    assert_eq!(event_names(&effects), [EventName::TokenRefreshed]);
    assert!(effects.contains(&Effect::Send(Request::Session)));

    let effects = flow.session_loaded(renewed_session(renewed_login_step()));
    let (key, body) = sent_submission(&effects).expect("the login is sent again");
    assert_eq!(key, "k1", "the same user action");
    assert_eq!(body.step_id, "st_login_2", "to the new session's step");
    assert_eq!(body.values.get("password"), Some("pass_good"));
    assert!(notifications(&effects).is_empty(), "no error, no onLoad");
    assert_eq!(flow.session().unwrap().id, "ls_2");
    match flow.screen() {
        Some(Screen::Form { form, .. }) => assert_eq!(form.value(0), "user_good"),
        other => panic!("the login form, not {other:?}"),
    }

    let effects = flow.submit_succeeded(done());
    assert!(matches!(flow.screen(), Some(Screen::Success { .. })));
    assert!(!effects
        .iter()
        .any(|e| matches!(e, Effect::Notify(Notification::ValidationError(_)))));
}

#[test]
fn a_code_refused_for_an_expired_token_logs_in_again_and_asks_for_the_new_code() {
    let mut flow = renewable_flow_with_login("user_mfa", "pass_good");
    flow.submit("k1".into());
    flow.submit_succeeded(code_answer());
    flow.input(0, "123456");
    flow.submit("k2".into());
    assert_eq!(
        flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![])),
        [Effect::RenewToken]
    );
    flow.token_renewed();
    // The new token's session starts over at the login.
    let effects = flow.session_loaded(renewed_session(renewed_login_step()));
    let (_, body) = sent_submission(&effects).expect("the kept login is sent");
    assert_eq!(body.step_id, "st_login_2");
    assert_eq!(body.values.get("username"), Some("user_mfa"));
    assert_eq!(body.values.get("password"), Some("pass_good"));
    assert_eq!(event_names(&effects), [EventName::TransitionView]);

    flow.submit_succeeded(code_answer());
    match flow.screen() {
        Some(Screen::Form {
            form,
            sending: None,
        }) => {
            assert_eq!(form.kind, StepKind::Mfa);
            assert!(form.code_resent, "the view says a new code was sent");
        }
        other => panic!("the code form, not {other:?}"),
    }
}

#[test]
fn a_second_expiry_in_the_same_action_shows_the_expired_view_with_no_loop() {
    let mut flow = renewable_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![]));
    flow.token_renewed();
    flow.session_loaded(renewed_session(renewed_login_step()));
    let effects = flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![]));
    assert!(!effects.contains(&Effect::RenewToken));
    assert!(matches!(flow.screen(), Some(Screen::Expired { .. })));
    assert!(notifications(&effects)
        .iter()
        .any(|n| matches!(n, Notification::ValidationError(e) if e[0].code == "TOKEN_EXPIRED")));
}

#[test]
fn a_renewal_that_fails_shows_the_expired_view_and_says_why_without_the_value() {
    let mut flow = renewable_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![]));
    let effects = flow.token_renewal_failed("linkToken() rejected.");
    assert!(matches!(flow.screen(), Some(Screen::Expired { .. })));
    let errors = notifications(&effects)
        .into_iter()
        .find_map(|n| match n {
            Notification::ValidationError(errors) => Some(errors.clone()),
            _ => None,
        })
        .expect("onValidationError");
    assert_eq!(errors[0].code, "TOKEN_EXPIRED");
    assert_eq!(errors[0].field.as_deref(), Some("linkToken"));
    assert!(errors[0].message.ends_with("linkToken() rejected."));
    assert_eq!(flow.token_renewed(), [], "an answer after the failure");
}

#[test]
fn without_a_first_token_the_flow_asks_for_one_and_a_failure_is_a_config_error() {
    let (mut flow, effects) = Flow::start_renewable(Locale::En, false);
    assert_eq!(effects, [Effect::RenewToken]);
    assert_eq!(flow.token_renewed(), [Effect::Send(Request::Session)]);
    let effects = flow.session_loaded(session(None));
    assert_eq!(notifications(&effects), [&Notification::Load]);

    let (mut flow, _) = Flow::start_renewable(Locale::En, false);
    let effects = flow.token_renewal_failed("linkToken() gave something that is not a link token.");
    assert!(notifications(&effects)
        .iter()
        .any(|n| matches!(n, Notification::ValidationError(e) if e[0].code == "INVALID_CONFIG")));
    assert!(!flow.is_ready());
}

#[test]
fn a_token_expired_before_the_first_load_is_renewed_once() {
    let (mut flow, _) = Flow::start_renewable(Locale::En, true);
    let effects = flow.session_failed(api(401, ErrorCode::TokenExpired, vec![]));
    assert_eq!(effects, [Effect::RenewToken]);
    flow.token_renewed();
    let effects = flow.session_failed(api(401, ErrorCode::TokenExpired, vec![]));
    assert!(notifications(&effects)
        .iter()
        .any(|n| matches!(n, Notification::ValidationError(_))));
}

#[test]
fn a_string_token_never_asks_for_a_new_one() {
    let mut flow = open_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    let effects = flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![]));
    assert!(!effects.contains(&Effect::RenewToken));
    let (mut flow, _) = Flow::start(Locale::En);
    assert!(!flow
        .session_failed(api(401, ErrorCode::TokenExpired, vec![]))
        .contains(&Effect::RenewToken));
}

#[test]
fn closing_while_a_token_is_renewed_drops_the_renewal() {
    let mut flow = renewable_flow_with_login("user_good", "pass_good");
    flow.submit("k1".into());
    flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![]));
    flow.close();
    // The new token arrives after the close: kept by the shell, nothing to resume.
    assert_eq!(flow.token_renewed(), []);
    assert!(!flow.is_open());
}

/// Whether the form on screen keeps a login for a renewal.
fn keeps_a_login(flow: &Flow) -> bool {
    matches!(flow.screen(), Some(Screen::Form { form, .. }) if form.kept_login.is_some())
}

#[test]
fn the_login_kept_for_a_renewal_never_shows_in_debug_output_and_is_dropped_on_success() {
    let mut flow = renewable_flow_with_login("user_mfa", "hunter2-secret");
    flow.submit("k1".into());
    flow.submit_succeeded(code_answer());
    assert!(keeps_a_login(&flow), "kept on the code step");
    assert!(!format!("{flow:?}").contains("hunter2"));
    flow.input(0, "123456");
    flow.submit("k2".into());
    flow.submit_succeeded(done());
    assert!(!keeps_a_login(&flow), "dropped once linked");

    // Never kept without a token function.
    let mut flow = open_flow_with_login("user_mfa", "hunter2-secret");
    flow.submit("k1".into());
    flow.submit_succeeded(code_answer());
    assert!(!keeps_a_login(&flow));
}

#[test]
fn a_poll_refused_for_an_expired_token_logs_in_again_under_the_logins_key() {
    let mut flow = renewable_flow_with_login("user_push", "pass_good");
    flow.submit("k1".into());
    flow.submit_succeeded(SubmitResponse {
        step: Step::Approve(FormStep {
            poll_after_seconds: Some(2),
            ..FormStep::of_fields("st_push".into(), None, Vec::new())
        }),
        ..code_answer()
    });
    let due = flow.deadline(Timer::Poll).expect("a poll is pending");
    let effects = flow.handle_timeout(due);
    assert!(matches!(effects[..], [Effect::Send(Request::Poll { .. })]));
    assert_eq!(
        flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![])),
        [Effect::RenewToken]
    );
    flow.token_renewed();
    let effects = flow.session_loaded(renewed_session(renewed_login_step()));
    let (key, body) = sent_submission(&effects).expect("the kept login is sent");
    assert_eq!(key, "k1", "the login's key, unused in the new session");
    assert_eq!(body.step_id, "st_login_2");
    assert_eq!(body.values.get("username"), Some("user_push"));
    assert_eq!(flow.poll_timeout(), None, "no poll while logging in again");
}
