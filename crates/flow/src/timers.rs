//! The flow's timers, as a sans-IO core keeps them: each pending timer with
//! its deadline on the shell's clock. The shell asks when to wake
//! ([`Flow::poll_timeout`]) and tells the time with every input
//! ([`Flow::handle`]).

use std::time::Duration;

use super::{impossible, too_late, Effect, Flow, Request, Screen, Stage, Timer};

impl Flow {
    /// When the shell must next call [`Flow::handle`] (with
    /// [`Input::Timeout`](crate::Input::Timeout), if nothing else happened): the earliest
    /// deadline of a pending timer, on the shell's clock; `None` when
    /// nothing is pending (after `destroy()`, always).
    pub fn poll_timeout(&self) -> Option<Duration> {
        self.armed.iter().map(|&(_, at)| at).min()
    }

    /// When `timer` fires, on the shell's clock, if it is pending.
    pub fn deadline(&self, timer: Timer) -> Option<Duration> {
        self.armed
            .iter()
            .find(|&&(armed, _)| armed == timer)
            .map(|&(_, at)| at)
    }

    /// Tells the flow the time on the shell's clock (monotonic, from an
    /// origin of the shell's choosing; an earlier time than before counts as
    /// no time passing). Every timer due by `now` fires, earliest first. The
    /// shell calls this when [`Flow::poll_timeout`] comes, and before every
    /// other input, so that the timers a transition starts count from the
    /// present.
    pub(crate) fn handle_timeout(&mut self, now: Duration) -> Vec<Effect> {
        self.now = self.now.max(now);
        let mut effects = Vec::new();
        // At most as many turns as timers were pending: a firing that starts
        // a timer due at once cannot loop.
        for _ in 0..self.armed.len() {
            let due = self
                .armed
                .iter()
                .enumerate()
                .filter(|&(_, &(_, at))| at <= self.now)
                .min_by_key(|&(_, &(_, at))| at);
            let Some((index, _)) = due else { break };
            let (timer, _) = self.armed.swap_remove(index);
            effects.extend(self.fire(timer));
        }
        effects
    }

    /// Starts `timer`, due `after` from now; a pending one starts again.
    pub(super) fn start_timer(&mut self, timer: Timer, after: Duration) {
        self.stop_timer(timer);
        self.armed.push((timer, self.now.saturating_add(after)));
    }

    pub(super) fn stop_timer(&mut self, timer: Timer) {
        self.armed.retain(|&(armed, _)| armed != timer);
    }

    /// Cancels every timer, and asks the shell to abort every request.
    pub(super) fn cancel_all(&mut self) -> Effect {
        self.armed.clear();
        Effect::AbortRequests
    }

    /// A pending timer is due (and already off the pending list).
    pub(super) fn fire(&mut self, timer: Timer) -> Vec<Effect> {
        match (timer, &mut self.stage) {
            (Timer::RetrySession, Stage::Loading { .. }) => vec![Effect::Send(Request::Session)],
            (
                Timer::RetrySubmit,
                Stage::Open {
                    screen:
                        Screen::Form {
                            sending: Some(sending),
                            ..
                        },
                },
            ) => vec![Effect::Send(sending.request())],
            (Timer::Handoff, Stage::Open { .. }) => self.hand_off(),
            (
                Timer::ResendTick,
                Stage::Open {
                    screen: Screen::Form { form, .. },
                },
            ) => {
                form.resend_wait = form.resend_wait.map(|wait| wait.saturating_sub(1));
                self.count_down();
                Vec::new()
            }
            // The code step gave way to another screen between two ticks.
            (Timer::ResendTick, _) => too_late(),
            (Timer::Poll, _) => self.poll(),
            _ => impossible("an armed timer outlived the stage that started it"),
        }
    }
}
