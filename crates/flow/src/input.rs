//! What the flow is told: one [`Input`] per event, handed to
//! [`Flow::handle`] with the shell's clock, in the style of a sans-IO
//! protocol core (str0m's `handle_input`).

use std::time::Duration;

use keet_link_protocol::secret::Secret;
use keet_link_protocol::{ResendResponse, SessionResponse, SubmitResponse};

use super::{Effect, Failure, Flow, HelpLink};

/// Everything that can happen to a flow: the host's and the user's actions,
/// the answers to its requests, the host's link tokens, and the passing of
/// time.
#[derive(Debug)]
pub enum Input {
    /// Only the time passed: every timer due by then fires.
    Timeout,
    /// The session arrived (`GET /v1/link/session`).
    SessionLoaded(SessionResponse),
    /// Loading the session failed.
    SessionFailed(Failure),
    /// `open()`: show the modal, if ready.
    Open,
    /// The user typed `value` into field `index`.
    Typed {
        /// The field's place in the step.
        index: usize,
        /// What the field holds now.
        value: Secret,
    },
    /// What the user typed into the list of integrations' search box.
    Searched(String),
    /// The user submitted the form; the key is a fresh UUID v4.
    Submit {
        /// The `Idempotency-Key` of this action (and its retries).
        idempotency_key: String,
    },
    /// The submit was answered with success.
    SubmitSucceeded(SubmitResponse),
    /// The submit failed.
    SubmitFailed(Failure),
    /// The user asked for a new one-time code; the key is a fresh UUID v4.
    Resend {
        /// The `Idempotency-Key` of this request.
        idempotency_key: String,
    },
    /// A new code was sent.
    ResendSucceeded(ResendResponse),
    /// No new code.
    ResendFailed(Failure),
    /// The user opened the service's own page (forgot password, help).
    HelpOpened(HelpLink),
    /// "Try again" on the error view.
    TryAgain,
    /// The user went back from the login to the list of integrations.
    Back,
    /// "Use a code instead" on the approve step; the key is a fresh UUID v4.
    UseCodeInstead {
        /// The `Idempotency-Key` of this action.
        idempotency_key: String,
    },
    /// The user closed the modal, or the host called `exit()`.
    Close,
    /// `destroy()`: the one input that does not first fire what is due.
    Destroy,
    /// The browser says whether the open modal is fully visible (`false`)
    /// or covered, faded or transformed by the host page (`true`).
    Covered(bool),
    /// The host gave a new link token, and the shell uses it from now on.
    TokenRenewed,
    /// The host's `linkToken` function gave no token; why, without the value.
    TokenRenewalFailed(&'static str),
}

impl Flow {
    /// Tells the flow the time on the shell's clock (as
    /// [`Flow::handle_timeout`]: every timer due by `now` fires first), then
    /// `input`; returns what the shell must do, in order. The one way in:
    /// the shell calls it for every event, and [`Flow::poll_timeout`] says
    /// when to call it with [`Input::Timeout`].
    ///
    /// ```
    /// use std::time::Duration;
    /// use keet_link_flow::{Effect, Failure, Flow, Input, Request};
    /// use keet_link_i18n::Locale;
    /// let (mut flow, _) = Flow::start(Locale::En);
    /// let now = Duration::ZERO;
    /// assert!(flow.handle(Input::SessionFailed(Failure::Network), now).is_empty());
    /// let due = flow.poll_timeout().expect("a retry is pending");
    /// assert_eq!(flow.handle(Input::Timeout, due), [Effect::Send(Request::Session)]);
    /// ```
    pub fn handle(&mut self, input: Input, now: Duration) -> Vec<Effect> {
        if let Input::Destroy = input {
            // Nothing due matters any more: destroy() cancels every timer and
            // hands over a success already earned, and a timer fired first
            // would only send a request that is aborted at once.
            return self.destroy();
        }
        let mut effects = self.handle_timeout(now);
        effects.extend(match input {
            Input::Timeout => Vec::new(),
            Input::SessionLoaded(response) => self.session_loaded(response),
            Input::SessionFailed(failure) => self.session_failed(failure),
            Input::Open => self.open(),
            Input::Typed { index, value } => {
                self.input(index, value);
                Vec::new()
            }
            Input::Searched(query) => {
                self.searched(query);
                Vec::new()
            }
            Input::Submit { idempotency_key } => self.submit(idempotency_key),
            Input::SubmitSucceeded(response) => self.submit_succeeded(response),
            Input::SubmitFailed(failure) => self.submit_failed(failure),
            Input::Resend { idempotency_key } => self.resend(idempotency_key),
            Input::ResendSucceeded(response) => self.resend_succeeded(response),
            Input::ResendFailed(failure) => self.resend_failed(failure),
            Input::HelpOpened(link) => self.help_opened(link),
            Input::TryAgain => self.try_again(),
            Input::Back => self.back(),
            Input::UseCodeInstead { idempotency_key } => self.use_code_instead(idempotency_key),
            Input::Close => self.close(),
            Input::Destroy => self.destroy(),
            Input::Covered(covered) => self.covered_changed(covered),
            Input::TokenRenewed => self.token_renewed(),
            Input::TokenRenewalFailed(reason) => self.token_renewal_failed(reason),
        });
        effects
    }
}
