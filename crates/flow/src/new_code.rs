//! The code step's "Send a new code": the request, its answers, and the
//! countdown until the next one may be asked for.

use super::{
    too_late, Effect, EventName, Failure, Flow, Form, Request, Screen, Stage, StepKind, Timer,
    RESEND_TICK,
};
use keet_link_protocol::{ResendResponse, Step};

impl Flow {
    /// The user asked for a new one-time code; `idempotency_key` is a fresh
    /// UUID v4. Only on a code form whose countdown has ended, with nothing
    /// in flight.
    pub(crate) fn resend(&mut self, idempotency_key: String) -> Vec<Effect> {
        let Some((form, None)) = self.open_form() else {
            return too_late();
        };
        if form.kind != StepKind::Mfa || form.resend_wait != Some(0) || form.resending.is_some() {
            return too_late();
        }
        form.resending = Some(idempotency_key.clone());
        form.code_resent = false;
        form.form_error = None;
        vec![
            self.event(EventName::ResendCode),
            Effect::Send(Request::Resend { idempotency_key }),
        ]
    }

    /// A new code was sent: the view says so, and the next countdown starts.
    pub(crate) fn resend_succeeded(&mut self, response: ResendResponse) -> Vec<Effect> {
        let Some(form) = self.resending_form() else {
            return too_late();
        };
        form.resending = None;
        form.code_resent = true;
        if let Step::Mfa(step) = response.step {
            form.resend_wait = step.resend_after_seconds;
            if step.prompt.is_some() {
                form.step.prompt = step.prompt;
            }
        }
        self.count_down();
        Vec::new()
    }

    /// No new code: too soon (the countdown starts again from the server's
    /// `Retry-After`), none left, or a failure the user may try again after.
    pub(crate) fn resend_failed(&mut self, failure: Failure) -> Vec<Effect> {
        let texts = self.locale.texts();
        let Some(form) = self.resending_form() else {
            return too_late();
        };
        form.resending = None;
        match &failure {
            Failure::Api {
                status: 429,
                retry_after,
                ..
            } => {
                let wait = retry_after.map_or(1, |wait| wait.as_secs().max(1));
                form.resend_wait = Some(u32::try_from(wait).unwrap_or(u32::MAX));
            }
            Failure::Api { status: 409, .. } => {
                form.resend_wait = None;
                form.form_error = Some(texts.resend_limit.to_owned());
            }
            _ => form.form_error = Some(crate::failure_text(texts, &failure.code()).to_owned()),
        }
        self.count_down();
        vec![self.error_event(&failure.code())]
    }

    /// The code form with a new-code request in flight, if it is on screen.
    pub(super) fn resending_form(&mut self) -> Option<&mut Form> {
        self.open_form()
            .map(|(form, _)| form)
            .filter(|form| form.resending.is_some())
    }

    /// Starts the next second of the new-code countdown, if the form on
    /// screen is counting down.
    pub(super) fn count_down(&mut self) {
        let counting = matches!(
            &self.stage,
            Stage::Open { screen: Screen::Form { form, .. } } if form.resend_wait.is_some_and(|wait| wait > 0)
        );
        if counting {
            self.start_timer(Timer::ResendTick, RESEND_TICK);
        }
    }
}
