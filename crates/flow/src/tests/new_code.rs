//! The code step's "Send a new code": its countdown, its answers, and a tick
//! that comes too late.

use super::*;

/// A flow on the code step, whose new code may be asked for in `wait` seconds.
fn code_flow(wait: u32) -> (Flow, Vec<Effect>) {
    let mut flow = open_flow_with_login("user_mfa", "pass_good");
    flow.submit("k1".into());
    let effects = flow.submit_succeeded(SubmitResponse {
        status: WireOk::Ok,
        step: Step::Mfa(FormStep {
            resend_after_seconds: Some(wait),
            ..code_step()
        }),
        public_token: None,
        metadata: None,
        integration: None,
    });
    (flow, effects)
}

fn resend_state(flow: &Flow) -> (Option<u32>, bool, bool, Option<String>) {
    match flow.screen() {
        Some(Screen::Form { form, .. }) => (
            form.resend_wait,
            form.is_resending(),
            form.code_resent,
            form.form_error.clone(),
        ),
        _ => panic!("a form"),
    }
}

#[test]
fn the_new_code_button_counts_down_then_sends_once_and_counts_down_again() {
    let (mut flow, _) = code_flow(2);
    assert_eq!(wait_for(&flow, Timer::ResendTick), Some(RESEND_TICK));
    assert_eq!(
        flow.resend("too-early".into()),
        [],
        "not before the countdown ends"
    );
    assert_eq!(fire(&mut flow, Timer::ResendTick), []);
    assert_eq!(resend_state(&flow).0, Some(1));
    assert_eq!(wait_for(&flow, Timer::ResendTick), Some(RESEND_TICK));
    assert_eq!(fire(&mut flow, Timer::ResendTick), []);
    assert_eq!(resend_state(&flow).0, Some(0));
    assert_eq!(flow.poll_timeout(), None, "0: the countdown stops");

    let effects = flow.resend("r1".into());
    assert_eq!(event_names(&effects), [EventName::ResendCode]);
    assert!(effects.contains(&Effect::Send(Request::Resend {
        idempotency_key: "r1".into()
    })));
    assert_eq!(flow.resend("r2".into()), [], "one request at a time");

    let effects = flow.resend_succeeded(ResendResponse {
        status: WireOk::Ok,
        step: Step::Mfa(FormStep {
            resend_after_seconds: Some(30),
            ..code_step()
        }),
    });
    assert_eq!(effects, []);
    assert_eq!(wait_for(&flow, Timer::ResendTick), Some(RESEND_TICK));
    assert_eq!(resend_state(&flow), (Some(30), false, true, None));
}

#[test]
fn a_new_code_too_soon_waits_for_retry_after_and_none_left_hides_the_button() {
    let (mut flow, _) = code_flow(0);
    flow.resend("r1".into());
    let effects = flow.resend_failed(rate_limited(7));
    assert_eq!(event_names(&effects), [EventName::Error]);
    assert_eq!(wait_for(&flow, Timer::ResendTick), Some(RESEND_TICK));
    assert_eq!(resend_state(&flow).0, Some(7));

    let (mut flow, _) = code_flow(0);
    flow.resend("r1".into());
    flow.resend_failed(Failure::Api {
        status: 409,
        body: None,
        retry_after: None,
    });
    let (wait, resending, _, form_error) = resend_state(&flow);
    assert_eq!((wait, resending), (None, false));
    assert_eq!(form_error.as_deref(), Some(Locale::En.texts().resend_limit));
}

#[test]
fn a_countdown_tick_after_the_code_step_is_gone_does_nothing() {
    let (mut flow, _) = code_flow(5);
    flow.input(0, "123456");
    flow.submit("k2".into());
    flow.submit_succeeded(done());
    // The success view hands off; the tick that comes after it does nothing.
    let effects = wait(&mut flow, RESEND_TICK);
    assert_eq!(event_names(&effects), [EventName::Handoff]);
    assert_eq!(flow.poll_timeout(), None);
}
