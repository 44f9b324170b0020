//! The link flow as a pure state machine: no browser, no clock, no I/O.
//!
//! One way in: [`Flow::handle`] takes an [`Input`] (a user's or host's
//! action, an answer, a new token, or only the time) with the shell's
//! clock, changes the state and returns the [`Effect`]s the shell must
//! perform (send a request, call the host, show or hide the modal). The
//! browser shell (`widget`) performs them and feeds the results back in;
//! the fuzzer drives the same door.
//!
//! The flow owns its timers, as a sans-IO protocol core does: every input
//! tells it the time, and it says when it next needs to be told
//! ([`Flow::poll_timeout`]). The shell keeps one wake-up for that deadline
//! and mirrors nothing.
//!
//! ```
//! use std::time::Duration;
//! use keet_link_flow::{Effect, Failure, Flow, Input, Request};
//! use keet_link_i18n::Locale;
//! let (mut flow, _) = Flow::start(Locale::En);
//! assert!(flow.handle(Input::SessionFailed(Failure::Network), Duration::ZERO).is_empty());
//! // The retry waits for its backoff.
//! let due = flow.poll_timeout().expect("a retry is pending");
//! assert!(flow.handle(Input::Timeout, due - Duration::from_millis(1)).is_empty());
//! assert_eq!(flow.handle(Input::Timeout, due), [Effect::Send(Request::Session)]);
//! assert_eq!(flow.poll_timeout(), None);
//! ```
//!
//! ```
//! use keet_link_flow::{Effect, Flow, Request};
//! use keet_link_i18n::Locale;
//! let (flow, effects) = Flow::start(Locale::En);
//! assert!(!flow.is_ready());
//! assert!(matches!(effects[..], [Effect::Send(Request::Session)]));
//! ```

use std::time::Duration;

use keet_link_protocol::secret::Secret;

use keet_link_i18n::Locale;
use keet_link_protocol::colour::is_hex_colour;
use keet_link_protocol::{
    is_display_safe, is_https_or_loopback_url, is_loopback_url, ErrorCode, ExitReason,
    FieldErrorCode, IntegrationBrand, LinkSession, SessionResponse, SubmitResponse, NETWORK_ERROR,
    TIMEOUT,
};

/// How long one request may take before it is aborted and treated as a network failure.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Automatic retries of one request (429, 5xx, network) before the flow gives up.
pub const MAX_AUTOMATIC_RETRIES: u8 = 3;
/// How long the success view shows before `onSuccess` and closing.
pub const SUCCESS_VIEW_DURATION: Duration = Duration::from_millis(900);
/// One step of the new-code countdown.
pub const RESEND_TICK: Duration = Duration::from_secs(1);
/// The first backoff after a 5xx or network failure; doubled each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(400);
/// The longest `Retry-After` the flow waits for automatically.
const LONGEST_AUTOMATIC_WAIT: Duration = Duration::from_secs(10);

pub mod config;
pub mod host_frame;

mod approval;
mod effects;
mod form;
mod host_types;
mod input;
mod new_code;
mod renewal;
mod screen;
#[cfg(test)]
mod tests;
mod timers;

pub use effects::{Effect, Failure, Request, Timer};
pub use form::{Form, StepKind, INTEGRATION_FIELD};
pub use host_types::{
    callbacks, CallbackArgs, CallbackSpec, EventCarries, EventMetadata, EventName, EventStability,
    ExitMetadata, ExitStatus, HostCallback, KeetLinkError, Notification, ViewName,
    EVENT_CONTRACT_VERSION,
};
pub use input::Input;
use renewal::Renewal;

/// What the user reads for a failure with this error code (the API's
/// `message` is for developers).
pub fn failure_text(texts: &keet_link_i18n::Texts, code: &str) -> &'static str {
    match code {
        NETWORK_ERROR => texts.failed_network,
        TIMEOUT => texts.failed_timeout,
        code if code == ErrorCode::RateLimited.as_str() => texts.failed_rate_limited,
        code if code == ErrorCode::ApprovalDenied.as_str() => texts.approval_denied,
        _ => texts.failed_server,
    }
}
pub use screen::{Handoff, HelpLink, Screen, Sending, SessionSummary, NEUTRAL_BRAND_COLOR};

#[derive(Debug)]
enum Stage {
    /// Started with a `linkToken` function and no token: the host's
    /// function was asked for the first one.
    AwaitingFirstToken,
    Loading {
        retries: u8,
        /// Where this load stands with the host's link tokens.
        renewal: Renewal,
        /// The first load: `onLoad` fires when it succeeds (a reload after
        /// a close mid-submit does not fire it again).
        first: bool,
    },
    /// Loading gave up after retries (network or server trouble).
    Unavailable,
    /// The API refused the link token; `onValidationError` was called.
    Rejected,
    Ready {
        form: Form,
    },
    Open {
        screen: Screen,
    },
    /// Exited or handed off: this link token's session is over.
    Finished,
    Destroyed,
}

/// The whole flow of one widget instance.
#[derive(Debug)]
pub struct Flow {
    stage: Stage,
    session: Option<SessionSummary>,
    /// The timers the flow has started and not yet seen fire or cancelled,
    /// each with its deadline on the shell's clock: the one record of what
    /// is pending (at most one of each [`Timer`]).
    armed: Vec<(Timer, Duration)>,
    /// The latest time the shell told ([`Flow::handle`]): a timer a
    /// transition starts counts from it.
    now: Duration,
    // What the widget was made with, fixed for its life (not state):
    /// The end user's language: the local checks' messages are in it.
    locale: Locale,
    /// The host gave a `linkToken` function: an expired token is renewed
    /// (once per user action) instead of ending the flow.
    can_renew: bool,
    /// Links to this machine (a logo, a help page) are followed: the widget
    /// talks to a local API, the sandbox. Off by default, so that in
    /// production no `companyLogoUri` makes every user's browser fetch a
    /// local address.
    loopback_links: bool,
    /// The browser reports that something on the host page covers the open
    /// modal: nothing is typed or sent until it is visible again. Only a
    /// framed modal in a browser that can tell (IntersectionObserver v2)
    /// ever reports it.
    covered: bool,
}

/// A transition in a state that the code before it has ruled out: loud in
/// tests and debug builds, and in release a no-op rather than a panic.
fn impossible(reason: &'static str) -> Vec<Effect> {
    debug_assert!(false, "impossible flow state: {reason}");
    Vec::new()
}

/// An input that comes too late to matter: an answer or a timer from before
/// a close, a reload or `destroy()`. Expected in a browser, so not an error.
fn too_late() -> Vec<Effect> {
    Vec::new()
}

impl Flow {
    /// A new flow for a user who reads `locale`, already loading its session.
    pub fn start(locale: Locale) -> (Self, Vec<Effect>) {
        let flow = Self {
            stage: Stage::Loading {
                retries: 0,
                renewal: Renewal::NotYet,
                first: true,
            },
            session: None,
            armed: Vec::new(),
            now: Duration::ZERO,
            locale,
            can_renew: false,
            loopback_links: false,
            covered: false,
        };
        (flow, vec![Effect::Send(Request::Session)])
    }

    /// A new flow whose host can give fresh link tokens (a `linkToken`
    /// function). Without a first token (`has_token` false), its first
    /// effect asks the host for one.
    ///
    /// ```
    /// use keet_link_flow::{Effect, Flow};
    /// use keet_link_i18n::Locale;
    /// let (_, effects) = Flow::start_renewable(Locale::En, false);
    /// assert!(matches!(effects[..], [Effect::RenewToken]));
    /// ```
    pub fn start_renewable(locale: Locale, has_token: bool) -> (Self, Vec<Effect>) {
        let (mut flow, effects) = Self::start(locale);
        flow.can_renew = true;
        if has_token {
            return (flow, effects);
        }
        flow.stage = Stage::AwaitingFirstToken;
        (flow, vec![Effect::RenewToken])
    }

    /// Follows links to this machine (`http://127.0.0.1…`, `localhost`) in
    /// the session: only for a widget whose API is on this machine too.
    pub fn allow_loopback_links(&mut self, allowed: bool) {
        self.loopback_links = allowed;
    }

    /// The end user's language.
    pub fn locale(&self) -> Locale {
        self.locale
    }

    /// True once the session was fetched and validated, until the flow ends.
    pub fn is_ready(&self) -> bool {
        matches!(self.stage, Stage::Ready { .. } | Stage::Open { .. })
    }

    /// True while the modal is on screen.
    pub fn is_open(&self) -> bool {
        matches!(self.stage, Stage::Open { .. })
    }

    /// True after `destroy()`.
    pub fn is_destroyed(&self) -> bool {
        matches!(self.stage, Stage::Destroyed)
    }

    /// The loaded session's header data.
    pub fn session(&self) -> Option<&SessionSummary> {
        self.session.as_ref()
    }

    /// The open modal's screen.
    pub fn screen(&self) -> Option<&Screen> {
        match &self.stage {
            Stage::Open { screen } => Some(screen),
            _ => None,
        }
    }

    /// The form on screen, if the open modal shows one: what a form
    /// screen renders (its fields, values, errors, new-code countdown).
    pub fn form_on_screen(&self) -> Option<&Form> {
        match self.screen()? {
            Screen::Form { form, .. } => Some(form),
            _ => None,
        }
    }

    /// The error code of the error view on screen, if it is shown: the view
    /// says what it means in the user's words.
    pub fn failure_on_screen(&self) -> Option<&str> {
        match self.screen()? {
            Screen::Failed { error, .. } => Some(&error.code),
            _ => None,
        }
    }

    /// Whether a failed submit waits for its automatic retry (the view says
    /// "retrying").
    pub fn is_waiting_to_retry(&self) -> bool {
        self.deadline(Timer::RetrySubmit).is_some()
    }

    /// Whether something covers the open modal: its fields and button wait.
    pub fn is_covered(&self) -> bool {
        self.covered
    }

    /// The browser's report that the open modal is covered, or visible
    /// again: `FRAME_COVERED` each time it becomes covered.
    pub(crate) fn covered_changed(&mut self, covered: bool) -> Vec<Effect> {
        if !self.is_open() {
            // A report from a dialog that is gone; the next one reports afresh.
            self.covered = false;
            return too_late();
        }
        let was_covered = std::mem::replace(&mut self.covered, covered);
        match covered && !was_covered {
            true => vec![self.event(EventName::FrameCovered)],
            false => Vec::new(),
        }
    }

    /// Whether a submit is in flight or waiting to be retried.
    pub fn is_sending(&self) -> bool {
        matches!(
            self.stage,
            Stage::Open {
                screen: Screen::Form {
                    sending: Some(_),
                    ..
                }
            }
        )
    }

    fn event(&self, name: EventName) -> Effect {
        self.event_with(name, None, None)
    }

    fn event_with(
        &self,
        name: EventName,
        view: Option<ViewName>,
        error_code: Option<String>,
    ) -> Effect {
        debug_assert_eq!(
            (view.is_some(), error_code.is_some()),
            (
                name.carries() == EventCarries::View,
                name.carries() == EventCarries::ErrorCode
            ),
            "{} carries other metadata than the event contract says",
            name.as_str()
        );
        self.event_of(
            name,
            EventMetadata {
                view,
                error_code,
                ..self.metadata()
            },
        )
    }

    /// The metadata every event carries: the session and its mode.
    fn metadata(&self) -> EventMetadata {
        EventMetadata {
            link_session_id: self.session.as_ref().map(|s| s.id.clone()),
            mode: self.session.as_ref().map(|s| s.mode),
            view: None,
            error_code: None,
            integration: None,
        }
    }

    fn event_of(&self, name: EventName, metadata: EventMetadata) -> Effect {
        debug_assert_eq!(
            metadata.integration.is_some(),
            name.carries() == EventCarries::Integration,
            "{} carries other metadata than the event contract says",
            name.as_str()
        );
        Effect::Notify(Notification::Event { name, metadata })
    }

    fn transition(&self, view: ViewName) -> Effect {
        self.event_with(EventName::TransitionView, Some(view), None)
    }

    fn error_event(&self, code: &str) -> Effect {
        self.event_with(EventName::Error, None, Some(code.to_owned()))
    }

    // ----------------------------------------------------------- loading ----

    /// The session arrived.
    pub(crate) fn session_loaded(&mut self, response: SessionResponse) -> Vec<Effect> {
        match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Open {
                screen:
                    Screen::Form {
                        form,
                        sending: Some(sending),
                    },
            } if sending.renewal == Renewal::LoadingSession => {
                self.resume_after_renewal(form, sending, response.session)
            }
            Stage::Loading {
                retries,
                renewal,
                first,
            } => {
                let Some(form) = self.take_session(response.session) else {
                    self.stage = Stage::Loading {
                        retries,
                        renewal,
                        first,
                    };
                    return self.session_failed(Failure::Malformed);
                };
                self.stage = Stage::Ready { form };
                match first {
                    true => vec![Effect::Notify(Notification::Load)],
                    false => Vec::new(),
                }
            }
            other => {
                self.stage = other;
                too_late()
            }
        }
    }

    /// Keeps a loaded session's header data and returns its first form, or
    /// `None` when the session is not one the widget can show.
    fn take_session(&mut self, session: LinkSession) -> Option<Form> {
        let (form_step, kind) = StepKind::of(session.step)?;
        let form = Form::new(form_step, kind);
        // Only the integration step comes before the session names one.
        let named = session.integration.is_some() || kind == StepKind::Integration;
        if !form.is_usable() || !named {
            return None;
        }
        self.session = Some(SessionSummary {
            id: session.id,
            integration: String::new(),
            brand_color: screen::NEUTRAL_BRAND_COLOR.to_owned(),
            forgot_password_url: None,
            help_url: None,
            // The server refuses such names; a name that could still spoof
            // what the user reads is not shown at all.
            company_name: session
                .company_name
                .filter(|name| !name.trim().is_empty() && is_display_safe(name)),
            company_logo_uri: self.https_only(session.company_logo_uri),
            mode: session.mode,
        });
        match session.integration {
            Some(brand) => self.show_brand(brand).then_some(form),
            None => Some(form),
        }
    }

    /// `url`, if it is `https:` (or loopback, where loopback links are followed).
    fn https_only(&self, url: Option<String>) -> Option<String> {
        url.filter(|url| {
            is_https_or_loopback_url(url) && (self.loopback_links || !is_loopback_url(url))
        })
    }

    /// Shows `brand` in the loaded session's header (the session named it,
    /// or the user chose it); false when its colour is not one.
    fn show_brand(&mut self, brand: IntegrationBrand) -> bool {
        if !is_hex_colour(&brand.brand_color) {
            return false;
        }
        let forgot_password_url = self.https_only(brand.forgot_password_url);
        let help_url = self.https_only(brand.help_url);
        let Some(session) = &mut self.session else {
            return false;
        };
        session.integration = brand.name;
        session.brand_color = brand.brand_color;
        session.forgot_password_url = forgot_password_url;
        session.help_url = help_url;
        true
    }

    /// Loading the session failed.
    pub(crate) fn session_failed(&mut self, failure: Failure) -> Vec<Effect> {
        let (retries, renewal, first) = match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Open {
                screen:
                    Screen::Form {
                        form,
                        sending: Some(sending),
                    },
            } if sending.renewal == Renewal::LoadingSession => {
                return self.renewed_session_failed(form, failure);
            }
            Stage::Loading {
                retries,
                renewal,
                first,
            } => (retries, renewal, first),
            other => {
                self.stage = other;
                return too_late();
            }
        };
        // A page the API does not serve: no token would help.
        if failure.is_origin_refused() {
            self.stage = Stage::Rejected;
            return vec![Effect::Notify(Notification::ValidationError(vec![
                failure.as_error()
            ]))];
        }
        if matches!(failure.status(), Some(401 | 403))
            && self.can_renew
            && renewal == Renewal::NotYet
        {
            let expired = Box::new(failure.as_link_token_error());
            self.stage = Stage::Loading {
                retries,
                renewal: Renewal::AwaitingToken { expired },
                first,
            };
            return vec![Effect::RenewToken];
        }
        if failure.is_transient() {
            if retries < MAX_AUTOMATIC_RETRIES {
                // A renewal spent on this load stays spent.
                let renewal = match renewal {
                    Renewal::NotYet => Renewal::NotYet,
                    _ => Renewal::Spent,
                };
                self.stage = Stage::Loading {
                    retries: retries + 1,
                    renewal,
                    first,
                };
                self.start_timer(Timer::RetrySession, failure.wait_before_retry(retries));
                return Vec::new();
            }
            self.stage = Stage::Unavailable;
            return vec![
                self.error_event(&failure.code()),
                Effect::Notify(Notification::Warn(
                    "keet-link: the link session could not be loaded; isReady stays false",
                )),
            ];
        }
        self.stage = Stage::Rejected;
        let error = failure.as_link_token_error();
        vec![Effect::Notify(Notification::ValidationError(vec![error]))]
    }

    // -------------------------------------------------------------- modal ----

    /// `open()`: shows the modal if ready.
    pub(crate) fn open(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Ready { form } => {
                // A new dialog: its own watcher reports whether it is covered.
                self.covered = false;
                let view = form.view();
                self.stage = Stage::Open {
                    screen: Screen::Form {
                        form,
                        sending: None,
                    },
                };
                // A countdown paused by a close goes on, and so does the
                // wait for an approval.
                self.count_down();
                self.arm_poll();
                vec![
                    Effect::ShowModal,
                    self.event(EventName::Open),
                    self.transition(view),
                    Effect::MoveFocus,
                ]
            }
            stage @ Stage::Open { .. } => {
                self.stage = stage;
                Vec::new()
            }
            stage => {
                let warning = match stage {
                    Stage::AwaitingFirstToken
                    | Stage::Loading { .. }
                    | Stage::Unavailable
                    | Stage::Rejected => {
                        "keet-link: open() was called before isReady; nothing happened"
                    }
                    Stage::Destroyed => "keet-link: open() was called after destroy(); nothing happened",
                    _ => "keet-link: open() was called after this link session ended; create a new link token",
                };
                self.stage = stage;
                vec![Effect::Notify(Notification::Warn(warning))]
            }
        }
    }

    /// The user typed into field `index`.
    pub(crate) fn input(&mut self, index: usize, value: impl Into<Secret>) {
        if self.covered {
            // The fields are read-only while covered; keep them so.
            return;
        }
        if let Some((form, None)) = self.open_form() {
            if let Some(field) = form.step.fields.get(index).filter(|field| !field.read_only) {
                let typed: Secret = value.into();
                form.values[index] = match field.kind.normalise(typed.expose()) {
                    std::borrow::Cow::Borrowed(_) => typed,
                    std::borrow::Cow::Owned(kept) => kept.into(),
                };
                form.errors[index] = None;
                form.form_error = None;
            }
        }
    }

    /// The user typed `query` into the list of integrations' search box.
    pub(crate) fn searched(&mut self, query: String) {
        if let Some((form, _)) = self.open_form() {
            if form.kind == StepKind::Integration {
                form.query = query;
            }
        }
    }

    /// The user submitted the form; `idempotency_key` is a fresh UUID v4.
    pub(crate) fn submit(&mut self, idempotency_key: String) -> Vec<Effect> {
        if self.covered {
            // The user may be typing into what covers the modal, not into it.
            return Vec::new();
        }
        let Stage::Open {
            screen: Screen::Form { form, sending },
        } = &mut self.stage
        else {
            // A submit from a view that is gone (a double click racing a change of screen).
            return too_late();
        };
        if sending.is_some() {
            // The button is aria-disabled while sending; Enter can still get here.
            return Vec::new();
        }
        if !form.check(self.locale.texts()) {
            return vec![Effect::MoveFocus];
        }
        let event = match form.kind {
            StepKind::Integration => EventName::SelectIntegration,
            StepKind::Credentials => EventName::SubmitCredentials,
            StepKind::Mfa => EventName::SubmitMfa,
            // Nothing to send: the flow asks by itself whether it came.
            StepKind::Approve => return Vec::new(),
        };
        let body = form.take_submission();
        let chosen = (event == EventName::SelectIntegration)
            .then(|| body.values.get(form::INTEGRATION_FIELD).map(str::to_owned))
            .flatten();
        let pending = Sending::new(idempotency_key, body);
        let request = pending.request();
        *sending = Some(pending);
        let event = match chosen {
            Some(integration) => self.event_of(
                event,
                EventMetadata {
                    integration: Some(integration),
                    ..self.metadata()
                },
            ),
            None => self.event(event),
        };
        vec![event, Effect::Send(request)]
    }

    /// The submit was answered with success.
    pub(crate) fn submit_succeeded(&mut self, response: SubmitResponse) -> Vec<Effect> {
        let Stage::Open {
            screen:
                Screen::Form {
                    form,
                    sending: Some(sending),
                },
        } = &self.stage
        else {
            return too_late();
        };
        let still_waiting = form.kind == StepKind::Approve
            && response
                .step
                .form()
                .is_some_and(|step| step.id == form.step.id);
        if still_waiting {
            return self.still_waiting();
        }
        let resumes_code_step = sending.resumes_code_step;
        let renewal_key = match form.kind {
            StepKind::Credentials => Some(sending.idempotency_key.clone()),
            _ => form.renewal_key.clone(),
        };
        let was_approve = form.kind == StepKind::Approve;
        // A second step keeps the login that got the user there, for a
        // renewal that must log in again; only with a `linkToken` function.
        let kept_login = match form.kind {
            StepKind::Credentials if self.can_renew => Some(sending.body.clone()),
            StepKind::Mfa | StepKind::Approve => form.kept_login.clone(),
            StepKind::Credentials | StepKind::Integration => None,
        };
        let Some((step, kind)) = StepKind::of(response.step) else {
            let (Some(public_token), Some(metadata)) = (response.public_token, response.metadata)
            else {
                return self.submit_failed(Failure::Malformed);
            };
            self.stage = Stage::Open {
                screen: Screen::Success {
                    handoff: Box::new(Handoff {
                        public_token,
                        metadata,
                    }),
                },
            };
            self.start_timer(Timer::Handoff, SUCCESS_VIEW_DURATION);
            let mut effects = Vec::new();
            if was_approve {
                effects.push(self.event(EventName::ApprovalGranted));
            }
            effects.extend([self.transition(ViewName::Success), Effect::MoveFocus]);
            return effects;
        };
        let mut next = Form::new(step, kind);
        let brand_shown = response
            .integration
            .is_none_or(|brand| self.show_brand(*brand));
        if !next.is_usable() || !brand_shown {
            return self.submit_failed(Failure::Malformed);
        }
        // Logged in again after a renewal on the code step: a new code is on its way.
        next.code_resent = resumes_code_step && next.kind == StepKind::Mfa;
        if matches!(next.kind, StepKind::Mfa | StepKind::Approve) {
            next.kept_login = kept_login;
        }
        if next.kind == StepKind::Approve && next.kept_login.is_some() {
            next.renewal_key = renewal_key;
        }
        let Stage::Open {
            screen: Screen::Form { form: old, .. },
        } = std::mem::replace(&mut self.stage, Stage::Finished)
        else {
            return impossible("the form on screen went away while it was answered");
        };
        if old.kind == StepKind::Integration && next.kind == StepKind::Credentials {
            // The list stays behind the login, to go back to.
            next.back_to = Some(Box::new(old));
        }
        let view = next.view();
        let approve = next.kind == StepKind::Approve;
        self.stage = Stage::Open {
            screen: Screen::Form {
                form: next,
                sending: None,
            },
        };
        self.count_down();
        let mut effects = vec![self.transition(view)];
        if approve {
            self.arm_poll();
            effects.push(self.event(EventName::ApprovalWaiting));
        }
        effects.push(Effect::MoveFocus);
        effects
    }

    /// The user opened one of the service's own pages from the login form
    /// (in a new tab): only reported.
    pub(crate) fn help_opened(&mut self, link: HelpLink) -> Vec<Effect> {
        if !self.is_open() {
            return too_late();
        }
        vec![self.event(match link {
            HelpLink::ForgotPassword => EventName::ForgotPassword,
            HelpLink::Help => EventName::OpenHelp,
        })]
    }

    /// The form on screen and what it is sending, if a form is on screen.
    fn open_form(&mut self) -> Option<(&mut Form, &mut Option<Sending>)> {
        match &mut self.stage {
            Stage::Open {
                screen: Screen::Form { form, sending },
            } => Some((form, sending)),
            _ => None,
        }
    }

    /// The submit failed.
    pub(crate) fn submit_failed(&mut self, failure: Failure) -> Vec<Effect> {
        // The form and what it sends are taken out, and every branch below
        // puts the stage it leads to back: no state is matched twice.
        let (mut form, mut sending) = match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Open {
                screen:
                    Screen::Form {
                        form,
                        sending: Some(sending),
                    },
            } => (form, sending),
            other => {
                self.stage = other;
                return too_late();
            }
        };
        let keep_form = |form, sending| Stage::Open {
            screen: Screen::Form { form, sending },
        };
        // Wrong credentials or code, or values the server refused: on the fields.
        if let Failure::Api {
            status: 400,
            body: Some(body),
            ..
        } = &failure
        {
            form.apply_server_errors(body, self.locale.texts());
            let code = match body.errors.first() {
                Some(error) if error.code != FieldErrorCode::Unknown => error.code.as_str(),
                _ => body.error.code.as_str(),
            }
            .to_owned();
            self.stage = keep_form(form, None);
            return vec![self.error_event(&code), Effect::MoveFocus];
        }
        if failure.is_transient() && sending.retries < MAX_AUTOMATIC_RETRIES {
            let wait = failure.wait_before_retry(sending.retries);
            sending.retries += 1;
            self.stage = keep_form(form, Some(sending));
            self.start_timer(Timer::RetrySubmit, wait);
            return Vec::new();
        }
        let code = failure.code();
        if matches!(failure.status(), Some(401 | 403)) {
            let expired = failure.as_link_token_error();
            if self.can_renew && sending.renewal == Renewal::NotYet {
                // The form stays on screen, sending, while the host gives a
                // new token; the same action then goes on in its session.
                sending.renewal = Renewal::AwaitingToken {
                    expired: Box::new(expired),
                };
                sending.retries = 0;
                self.stage = keep_form(form, Some(sending));
                return vec![Effect::RenewToken];
            }
            return self.show_expired(expired);
        }
        let denied = (code == ErrorCode::ApprovalDenied.as_str())
            .then(|| self.event(EventName::ApprovalDenied));
        let error = failure.as_error();
        let screen = match failure.status() {
            Some(423) => Screen::Locked { error },
            _ => {
                let retry = failure.is_transient().then(|| Sending {
                    retries: 0,
                    ..sending
                });
                Screen::Failed { error, form, retry }
            }
        };
        let view = screen.view();
        self.stage = Stage::Open { screen };
        let mut effects: Vec<Effect> = denied.into_iter().collect();
        effects.extend([
            self.error_event(&code),
            self.transition(view),
            Effect::MoveFocus,
        ]);
        effects
    }

    /// The link token is dead: the expired view, and `onValidationError`.
    fn show_expired(&mut self, error: KeetLinkError) -> Vec<Effect> {
        self.stage = Stage::Open {
            screen: Screen::Expired {
                error: error.clone(),
            },
        };
        vec![
            self.error_event(&error.code),
            Effect::Notify(Notification::ValidationError(vec![error])),
            self.transition(ViewName::Expired),
            Effect::MoveFocus,
        ]
    }

    /// "Try again" on the error view: the same submit, under the same key.
    pub(crate) fn try_again(&mut self) -> Vec<Effect> {
        let (form, retry) = match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Open {
                screen:
                    Screen::Failed {
                        form,
                        retry: Some(retry),
                        ..
                    },
            } => (form, retry),
            other => {
                // The button exists only on a failed view that offers a retry.
                self.stage = other;
                return too_late();
            }
        };
        let view = form.view();
        let request = retry.request();
        self.stage = Stage::Open {
            screen: Screen::Form {
                form,
                sending: Some(retry),
            },
        };
        vec![self.transition(view), Effect::Send(request)]
    }

    /// Hands the earned success to the host, if there is one; nothing otherwise.
    fn hand_off(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Open {
                screen: Screen::Success { handoff },
            } => self.deliver(*handoff),
            other => {
                self.stage = other;
                Vec::new()
            }
        }
    }

    /// Gives the host its success; the stage is already left.
    fn deliver(&mut self, handoff: Handoff) -> Vec<Effect> {
        self.stop_timer(Timer::Handoff);
        let Handoff {
            public_token,
            metadata,
        } = handoff;
        // Hidden before onSuccess, as before onExit: the host page is usable
        // again (focus back, not inert) when its callback runs.
        vec![
            self.event(EventName::Handoff),
            Effect::HideModal,
            Effect::Notify(Notification::Success {
                public_token,
                metadata,
            }),
        ]
    }

    /// The user closed the modal (close button, Escape, backdrop), or the
    /// host called `exit()`. `onExit` fires after the modal is hidden (so
    /// focus is already back on the page). Closing a form does not end the
    /// session: `isReady` stays true and `open()` resumes at the same step.
    /// Closing an error view ends it.
    pub(crate) fn close(&mut self) -> Vec<Effect> {
        self.covered = false;
        let screen = match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Open { screen } => screen,
            other => {
                let warning = match other {
                    Stage::Destroyed => {
                        "keet-link: exit() was called after destroy(); nothing happened"
                    }
                    _ => "keet-link: exit() was called while the modal is closed; nothing happened",
                };
                self.stage = other;
                return vec![Effect::Notify(Notification::Warn(warning))];
            }
        };
        let mut follow_up = None;
        let (status, error) = match screen {
            Screen::Form { mut form, sending } => {
                form.clear_secrets();
                let status = match form.kind {
                    StepKind::Integration => ExitStatus::RequiresIntegration,
                    StepKind::Credentials => ExitStatus::RequiresCredentials,
                    StepKind::Mfa => ExitStatus::RequiresCode,
                    StepKind::Approve => ExitStatus::RequiresApproval,
                };
                if sending.is_some() {
                    // The abandoned submit may have moved the session on:
                    // ask the server where it stands before offering it again.
                    // A renewal under way goes with the action it served.
                    self.stage = Stage::Loading {
                        retries: 0,
                        renewal: Renewal::NotYet,
                        first: false,
                    };
                    follow_up = Some(Request::Session);
                } else {
                    self.stage = Stage::Ready { form };
                }
                (status, None)
            }
            Screen::Locked { error } => {
                follow_up = Some(Request::Exit(ExitReason::Error));
                (ExitStatus::Locked, Some(error))
            }
            // The token is dead: an exit call would only be refused.
            Screen::Expired { error } => (ExitStatus::Expired, Some(error)),
            Screen::Failed { error, .. } => {
                follow_up = Some(Request::Exit(ExitReason::Error));
                (ExitStatus::Error, Some(error))
            }
            // Closing the success view hands the success over at once.
            Screen::Success { handoff } => return self.deliver(*handoff),
        };
        let link_session_id = self.session.as_ref().map(|s| s.id.clone());
        let mut effects = vec![
            self.cancel_all(),
            Effect::HideModal,
            self.event(EventName::Exit),
            Effect::Notify(Notification::Exit {
                error,
                metadata: ExitMetadata {
                    status,
                    link_session_id,
                },
            }),
        ];
        effects.extend(follow_up.map(Effect::Send));
        effects
    }

    /// `destroy()`: ends everything. A success already earned is still handed
    /// to `onSuccess` first, so that no callback is lost. Idempotent.
    pub(crate) fn destroy(&mut self) -> Vec<Effect> {
        if self.is_destroyed() {
            return Vec::new();
        }
        let was_open = self.is_open();
        let mut effects = vec![self.cancel_all()];
        let handoff = self.hand_off();
        let handed_off = !handoff.is_empty();
        effects.extend(handoff);
        if was_open && !handed_off {
            effects.push(Effect::HideModal);
        }
        self.stage = Stage::Destroyed;
        effects
    }
}
