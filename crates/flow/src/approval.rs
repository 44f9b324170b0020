//! The approve step: the flow asks the API, on its own timer, whether the
//! login was approved on the user's other device; the user may ask for a
//! code instead. And the way back from a login to the list of integrations.

use std::time::Duration;

use super::{too_late, Effect, Flow, Screen, Sending, Stage, StepKind, Timer, ViewName};
use keet_link_protocol::{SecretValues, SubmitRequest, CODE_INSTEAD};

/// The shortest wait between two polls, whatever the step says.
const SHORTEST_POLL: Duration = Duration::from_secs(1);
/// The longest wait between two polls, whatever the step says.
const LONGEST_POLL: Duration = Duration::from_secs(60);

impl Flow {
    /// Starts the wait before the next poll, if an approve form is on
    /// screen with nothing in flight.
    pub(super) fn arm_poll(&mut self) {
        let wait = match self.open_form() {
            Some((form, None)) if form.kind == StepKind::Approve => {
                let seconds = form.step.poll_after_seconds.unwrap_or(0);
                Duration::from_secs(seconds.into()).clamp(SHORTEST_POLL, LONGEST_POLL)
            }
            _ => return,
        };
        self.start_timer(Timer::Poll, wait);
    }

    /// The poll timer fired: ask whether the login was approved.
    pub(super) fn poll(&mut self) -> Vec<Effect> {
        match self.open_form() {
            Some((form, sending @ None)) if form.kind == StepKind::Approve => {
                let renewal_key = form.renewal_key.clone().unwrap_or_default();
                let poll = Sending::poll(form.step.id.clone(), renewal_key);
                let request = poll.request();
                *sending = Some(poll);
                vec![Effect::Send(request)]
            }
            // The approve form gave way to another screen meanwhile.
            _ => too_late(),
        }
    }

    /// A poll was answered with the same step: not yet. Poll again later,
    /// or ask for the code the user wanted meanwhile.
    pub(super) fn still_waiting(&mut self) -> Vec<Effect> {
        let Some((form, sending)) = self.open_form() else {
            return too_late();
        };
        *sending = None;
        if let Some(key) = form.code_wanted.take() {
            return self.send_code_instead(key);
        }
        self.arm_poll();
        Vec::new()
    }

    /// "Use a code instead": asked at once, or once the poll in flight is
    /// answered (two answers racing each other would be read in any order).
    pub(crate) fn use_code_instead(&mut self, idempotency_key: String) -> Vec<Effect> {
        let Some((form, sending)) = self.open_form() else {
            return too_late();
        };
        if form.kind != StepKind::Approve || !form.step.code_instead {
            return too_late();
        }
        match sending {
            Some(in_flight) if in_flight.poll => {
                form.code_wanted = Some(idempotency_key);
                Vec::new()
            }
            // Already asking for the code.
            Some(_) => Vec::new(),
            None => self.send_code_instead(idempotency_key),
        }
    }

    fn send_code_instead(&mut self, idempotency_key: String) -> Vec<Effect> {
        self.stop_timer(Timer::Poll);
        let Some((form, sending)) = self.open_form() else {
            return too_late();
        };
        let (name, value) = CODE_INSTEAD;
        let mut values = SecretValues::default();
        values.insert(name.to_owned(), value.into());
        let body = SubmitRequest {
            step_id: form.step.id.clone(),
            values,
        };
        let ask = Sending::new(idempotency_key, body);
        let request = ask.request();
        *sending = Some(ask);
        vec![Effect::Send(request)]
    }

    /// The user went back from the login to the list of integrations
    /// (which the login form keeps); nothing is sent until they choose.
    pub(crate) fn back(&mut self) -> Vec<Effect> {
        let list = match self.open_form() {
            Some((form, None)) => form.back_to.take(),
            _ => None,
        };
        let Some(mut list) = list else {
            return too_late();
        };
        list.clear_errors();
        // The whole list again, for another choice.
        list.query.clear();
        self.stage = Stage::Open {
            screen: Screen::Form {
                form: *list,
                sending: None,
            },
        };
        vec![self.transition(ViewName::Integration), Effect::MoveFocus]
    }
}
