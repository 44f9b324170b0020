//! The choice of integration, and the approve step's polling.

use super::*;
use keet_link_protocol::{IntegrationOption, CODE_INSTEAD};

fn picker_step() -> FormStep {
    FormStep {
        options: [("Instagram", "#E1306C"), ("LinkedIn", "#0A66C2")]
            .map(|(name, colour)| IntegrationOption {
                name: name.into(),
                brand_color: colour.into(),
            })
            .to_vec(),
        ..FormStep::of_fields("st_pick".into(), None, Vec::new())
    }
}

/// An open flow whose session has no integration yet.
fn open_picker() -> Flow {
    let (mut flow, _) = Flow::start(Locale::En);
    let mut response = session(None);
    response.session.integration = None;
    response.session.step = Step::Integration(picker_step());
    flow.session_loaded(response);
    flow.open();
    flow
}

fn linkedin_login() -> SubmitResponse {
    SubmitResponse {
        step: Step::Credentials(FormStep {
            id: "st_login_li".into(),
            ..login_step()
        }),
        integration: Some(Box::new(IntegrationBrand {
            name: "LinkedIn".into(),
            brand_color: "#0A66C2".into(),
            forgot_password_url: None,
            help_url: None,
        })),
        ..code_answer()
    }
}

fn view_on_screen(flow: &Flow) -> ViewName {
    flow.screen().expect("open").view()
}

#[test]
fn the_picker_chooses_an_integration_and_the_user_can_go_back_to_the_list() {
    let mut flow = open_picker();
    assert_eq!(view_on_screen(&flow), ViewName::Integration);
    assert_eq!(flow.session().unwrap().integration, "", "none chosen yet");
    let form = flow.form_on_screen().unwrap();
    assert_eq!(form.step.fields[0].name, INTEGRATION_FIELD);
    assert_eq!(form.step.fields[0].options[1].value, "LinkedIn");

    // Nothing chosen: nothing sent.
    assert_eq!(flow.submit("k0".into()), [Effect::MoveFocus]);
    flow.input(0, "LinkedIn");
    let effects = flow.submit("k1".into());
    let Some(Notification::Event { name, metadata }) = notifications(&effects).first().copied()
    else {
        panic!("no event: {effects:?}")
    };
    assert_eq!(*name, EventName::SelectIntegration);
    assert_eq!(metadata.integration.as_deref(), Some("LinkedIn"));
    let Some(Effect::Send(Request::Submit { body, .. })) = effects.last() else {
        panic!("nothing sent: {effects:?}")
    };
    assert_eq!(body.values.get("integration"), Some("LinkedIn"));

    flow.submit_succeeded(linkedin_login());
    assert_eq!(view_on_screen(&flow), ViewName::Credentials);
    assert_eq!(flow.session().unwrap().integration, "LinkedIn");
    assert_eq!(flow.session().unwrap().brand_color, "#0A66C2");
    assert!(flow.form_on_screen().unwrap().can_go_back());

    let effects = flow.handle(Input::Back, flow.now);
    assert_eq!(
        effects,
        [flow.transition(ViewName::Integration), Effect::MoveFocus]
    );
    assert_eq!(view_on_screen(&flow), ViewName::Integration);
    // Another choice is sent under the same step.
    flow.input(0, "Instagram");
    let effects = flow.submit("k2".into());
    assert!(matches!(
        effects.last(),
        Some(Effect::Send(Request::Submit { body, .. })) if body.step_id == "st_pick"
    ));
    // Closing on the list says where the user was.
    let (mut flow, _) = (open_picker(), ());
    let closed = flow.close();
    assert!(notifications(&closed).iter().any(|n| matches!(
        n,
        Notification::Exit { metadata, .. } if metadata.status == ExitStatus::RequiresIntegration
    )));
}

#[test]
fn searching_the_list_narrows_it_by_name_in_any_case_and_going_back_to_it_shows_it_whole() {
    let mut flow = open_picker();
    let shown = |flow: &Flow| {
        let form = flow.form_on_screen().unwrap();
        let names = ["Instagram", "LinkedIn"];
        let shown: Vec<&str> = names
            .into_iter()
            .filter(|name| form.shows_option(name))
            .collect();
        assert_eq!(form.options_shown(), shown.len());
        shown
    };
    assert_eq!(shown(&flow), ["Instagram", "LinkedIn"], "no search: all");
    assert!(flow
        .handle(Input::Searched(" LINK ".into()), flow.now)
        .is_empty());
    assert_eq!(shown(&flow), ["LinkedIn"], "trimmed, in any case");
    flow.handle(Input::Searched("IN".into()), flow.now);
    assert_eq!(shown(&flow), ["Instagram", "LinkedIn"]);
    flow.handle(Input::Searched("tiktok".into()), flow.now);
    assert_eq!(shown(&flow), Vec::<&str>::new());

    // A login reached from the list has no search; back on the list, the
    // search is gone, for another choice.
    flow.handle(Input::Searched("linked".into()), flow.now);
    flow.input(0, "LinkedIn");
    flow.submit("k1".into());
    flow.submit_succeeded(linkedin_login());
    flow.handle(Input::Searched("other".into()), flow.now);
    assert_eq!(
        flow.form_on_screen().unwrap().query(),
        "",
        "a login has no search"
    );
    flow.handle(Input::Back, flow.now);
    assert_eq!(flow.form_on_screen().unwrap().query(), "");
    assert_eq!(shown(&flow), ["Instagram", "LinkedIn"]);
}

#[test]
fn a_session_with_no_integration_and_no_picker_is_refused_as_malformed() {
    let (mut flow, _) = Flow::start(Locale::En);
    let mut response = session(None);
    response.session.integration = None;
    flow.session_loaded(response);
    assert!(!flow.is_ready());
}

fn approve_answer(poll_after_seconds: u32) -> SubmitResponse {
    SubmitResponse {
        step: Step::Approve(FormStep {
            poll_after_seconds: Some(poll_after_seconds),
            code_instead: true,
            ..FormStep::of_fields("st_push".into(), Some("Tap yes".into()), Vec::new())
        }),
        ..code_answer()
    }
}

/// An open flow on the approve step, polled every `seconds`.
fn approve_flow(seconds: u32) -> Flow {
    let mut flow = open_flow_with_login("user_push", "pass_good");
    flow.submit("k1".into());
    let effects = flow.submit_succeeded(approve_answer(seconds));
    assert_eq!(
        event_names(&effects),
        [EventName::TransitionView, EventName::ApprovalWaiting]
    );
    assert_eq!(view_on_screen(&flow), ViewName::Approve);
    flow
}

fn poll_of(step_id: &str) -> Effect {
    Effect::Send(Request::Poll {
        step_id: step_id.into(),
    })
}

#[test]
fn the_approve_step_polls_on_its_own_clock_until_approved() {
    let mut flow = approve_flow(2);
    assert_eq!(wait_for(&flow, Timer::Poll), Some(Duration::from_secs(2)));
    assert_eq!(wait(&mut flow, Duration::from_millis(1999)), []);
    assert_eq!(
        wait(&mut flow, Duration::from_millis(1)),
        [poll_of("st_push")]
    );
    assert_eq!(
        flow.poll_timeout(),
        None,
        "one poll in flight, none pending"
    );
    // Still waiting: the next poll two seconds after this answer.
    assert_eq!(flow.submit_succeeded(approve_answer(2)), []);
    assert_eq!(wait_for(&flow, Timer::Poll), Some(Duration::from_secs(2)));
    fire(&mut flow, Timer::Poll);
    let effects = flow.submit_succeeded(done());
    assert_eq!(
        event_names(&effects),
        [EventName::ApprovalGranted, EventName::TransitionView]
    );
    assert!(matches!(flow.screen(), Some(Screen::Success { .. })));
    assert_eq!(flow.deadline(Timer::Poll), None);
}

#[test]
fn a_step_that_asks_to_poll_at_once_is_polled_no_faster_than_every_second() {
    let flow = approve_flow(0);
    assert_eq!(wait_for(&flow, Timer::Poll), Some(Duration::from_secs(1)));
}

#[test]
fn a_denial_shows_the_error_and_stops_polling() {
    let mut flow = approve_flow(2);
    fire(&mut flow, Timer::Poll);
    let effects = flow.submit_failed(api(409, ErrorCode::ApprovalDenied, vec![]));
    assert_eq!(
        event_names(&effects),
        [
            EventName::ApprovalDenied,
            EventName::Error,
            EventName::TransitionView
        ]
    );
    assert_eq!(flow.failure_on_screen(), Some("APPROVAL_DENIED"));
    assert_eq!(flow.poll_timeout(), None);
}

#[test]
fn an_expiry_while_waiting_shows_the_expired_view_and_stops_polling() {
    let mut flow = approve_flow(2);
    fire(&mut flow, Timer::Poll);
    let effects = flow.submit_failed(api(401, ErrorCode::TokenExpired, vec![]));
    assert!(notifications(&effects)
        .iter()
        .any(|n| matches!(n, Notification::ValidationError(_))));
    assert_eq!(view_on_screen(&flow), ViewName::Expired);
    assert_eq!(flow.poll_timeout(), None);
}

#[test]
fn closing_while_waiting_leaves_no_timer_and_opening_again_polls_again() {
    let mut flow = approve_flow(2);
    let closed = flow.close();
    assert!(notifications(&closed).iter().any(|n| matches!(
        n,
        Notification::Exit { metadata, .. } if metadata.status == ExitStatus::RequiresApproval
    )));
    assert_eq!(flow.poll_timeout(), None);
    flow.open();
    assert_eq!(wait_for(&flow, Timer::Poll), Some(Duration::from_secs(2)));

    // Closed with a poll in flight: the session is asked where it stands.
    fire(&mut flow, Timer::Poll);
    let closed = flow.close();
    assert!(closed.contains(&Effect::Send(Request::Session)));
    assert_eq!(flow.poll_timeout(), None);
    // Its answer comes too late to matter.
    assert_eq!(flow.submit_succeeded(approve_answer(2)), []);
    assert_eq!(flow.poll_timeout(), None);
}

#[test]
fn use_a_code_instead_waits_for_the_poll_in_flight_then_asks_for_the_code() {
    let mut flow = approve_flow(2);
    fire(&mut flow, Timer::Poll);
    assert_eq!(
        flow.handle(
            Input::UseCodeInstead {
                idempotency_key: "k2".into()
            },
            flow.now
        ),
        []
    );
    let effects = flow.submit_succeeded(approve_answer(2));
    let [Effect::Send(Request::Submit {
        idempotency_key,
        body,
    })] = &effects[..]
    else {
        panic!("the code was not asked for: {effects:?}")
    };
    assert_eq!(idempotency_key, "k2");
    assert_eq!(body.values.get(CODE_INSTEAD.0), Some(CODE_INSTEAD.1));
    assert_eq!(flow.poll_timeout(), None, "no poll while asking");
    flow.submit_succeeded(code_answer());
    assert_eq!(view_on_screen(&flow), ViewName::Mfa);
    assert_eq!(flow.deadline(Timer::Poll), None);
}
