//! The link flow as a pure state machine: no browser, no clock, no I/O.
//!
//! Each transition is a method that changes the state and returns the
//! [`Effect`]s the shell must perform (send a request, start a timer, call
//! the host, show or hide the modal). The browser shell (`widget`) performs
//! them and feeds the results back in; host tests drive the same methods.
//!
//! ```
//! use keet_link::flow::{Effect, Flow, Request};
//! let (flow, effects) = Flow::start();
//! assert!(!flow.is_ready());
//! assert!(matches!(effects[..], [Effect::Send(Request::Session)]));
//! ```

use std::time::Duration;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::protocol::{
    is_display_safe, is_https_or_loopback_url, wire_enum, ErrorBody, ErrorCode, ExitReason,
    FieldErrorCode, FormStep, SecretValues, SessionResponse, Step, SubmitRequest, SubmitResponse,
    SuccessMetadata,
};

/// How long one request may take before it is aborted and treated as a network failure.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// Automatic retries of one request (429, 5xx, network) before the flow gives up.
pub const MAX_AUTOMATIC_RETRIES: u8 = 3;
/// How long the success view shows before `onSuccess` and closing.
pub const SUCCESS_VIEW_DURATION: Duration = Duration::from_millis(900);
/// The first backoff after a 5xx or network failure; doubled each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(400);
/// The longest `Retry-After` the flow waits for automatically.
const LONGEST_AUTOMATIC_WAIT: Duration = Duration::from_secs(10);

// ------------------------------------------------------ host-facing data ----

/// An error as the host sees it: `{ code, message, field? }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeetLinkError {
    /// Machine-readable, e.g. `TOKEN_EXPIRED` or `INVALID_CONFIG`.
    pub code: String,
    /// A sentence for a developer or a person.
    pub message: String,
    /// The config field or form field concerned, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl KeetLinkError {
    /// An error about `field`.
    pub fn about(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            field: Some(field.to_owned()),
        }
    }

    fn general(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.to_owned(),
            message: message.into(),
            field: None,
        }
    }
}

wire_enum! {
    /// `onExit`'s `metadata.status`: where the user was when the flow ended.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ExitStatus {
        /// Closed on the login step.
        RequiresCredentials = "requires_credentials",
        /// Closed on the code step.
        RequiresCode = "requires_code",
        /// The integration locked the account.
        Locked = "locked",
        /// An error the user could not get past.
        Error = "error",
        /// The link token expired or was refused.
        Expired = "expired",
    }
}

/// `onExit`'s metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExitMetadata {
    /// Where the flow ended.
    pub status: ExitStatus,
    /// `ls_…`, once the session was loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_session_id: Option<String>,
}

wire_enum! {
    /// The names `onEvent` receives, in the order the contract lists them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum EventName {
        /// The modal opened.
        Open = "OPEN",
        /// The modal shows another view (`metadata.view`).
        TransitionView = "TRANSITION_VIEW",
        /// The login form was sent.
        SubmitCredentials = "SUBMIT_CREDENTIALS",
        /// The code form was sent.
        SubmitMfa = "SUBMIT_MFA",
        /// Something went wrong (`metadata.errorCode`).
        Error = "ERROR",
        /// The user left (close button, Escape, backdrop, `exit()`).
        Exit = "EXIT",
        /// The public token is being handed to `onSuccess`.
        Handoff = "HANDOFF",
    }
}

wire_enum! {
    /// The views of the modal, as `TRANSITION_VIEW` names them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ViewName {
        /// The login form.
        Credentials = "CREDENTIALS",
        /// The code form.
        Mfa = "MFA",
        /// Linked.
        Success = "SUCCESS",
        /// The account is locked.
        Locked = "LOCKED",
        /// The link token expired.
        Expired = "EXPIRED",
        /// An error with a way out.
        Error = "ERROR",
    }
}

/// `onEvent`'s metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventMetadata {
    /// `ls_…`, once the session was loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_session_id: Option<String>,
    /// On `TRANSITION_VIEW`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<ViewName>,
    /// On `ERROR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
}

/// A call the shell makes to the host (JS callbacks, or Rust ones).
#[derive(Clone, PartialEq, Eq)]
pub enum Notification {
    /// `onLoad()`.
    Load,
    /// `onSuccess(publicToken, metadata)`.
    Success {
        /// `public_sandbox_…`.
        public_token: String,
        /// Integration, username, session id.
        metadata: SuccessMetadata,
    },
    /// `onValidationError(errors)`.
    ValidationError(Vec<KeetLinkError>),
    /// `onExit(error, metadata)`.
    Exit {
        /// `null` when the user simply closed the modal.
        error: Option<KeetLinkError>,
        /// Where the flow ended.
        metadata: ExitMetadata,
    },
    /// `onEvent(name, metadata)`.
    Event {
        /// Which event.
        name: EventName,
        /// Its details.
        metadata: EventMetadata,
    },
    /// One `console.warn` for a misuse (e.g. `open()` before ready).
    Warn(&'static str),
}

impl std::fmt::Debug for Notification {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Load => f.write_str("Load"),
            // The public token is a credential: never in Debug output.
            Self::Success { metadata, .. } => f
                .debug_struct("Success")
                .field("public_token", &"[redacted]")
                .field("metadata", metadata)
                .finish(),
            Self::ValidationError(errors) => {
                f.debug_tuple("ValidationError").field(errors).finish()
            }
            Self::Exit { error, metadata } => f
                .debug_struct("Exit")
                .field("error", error)
                .field("metadata", metadata)
                .finish(),
            Self::Event { name, metadata } => f
                .debug_struct("Event")
                .field("name", name)
                .field("metadata", metadata)
                .finish(),
            Self::Warn(message) => f.debug_tuple("Warn").field(message).finish(),
        }
    }
}

// --------------------------------------------------------------- effects ----

/// A request the shell sends for the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    /// `GET /v1/link/session`.
    Session,
    /// `POST /v1/link/session/submit` under `idempotency_key`.
    Submit {
        /// Reused by every retry of one user action.
        idempotency_key: String,
        /// The step and the typed values; `Debug` shows field names only.
        body: SubmitRequest,
    },
    /// `POST /v1/link/session/exit`; its answer does not matter to the flow.
    Exit(ExitReason),
}

/// A timer the flow asks for; the shell calls [`Flow::timer_fired`] when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Load the session again.
    RetrySession,
    /// Send the pending submit again, with the same key.
    RetrySubmit,
    /// The success view has shown long enough.
    Handoff,
}

/// What the shell must do after a transition, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send a request; report with `session_loaded`/`session_failed` or
    /// `submit_succeeded`/`submit_failed`.
    Send(Request),
    /// Start a timer.
    Start(Timer, Duration),
    /// Abort every request in flight and cancel every timer.
    CancelAll,
    /// Call the host.
    Notify(Notification),
    /// Show the modal: lock scroll, remember the focused element.
    ShowModal,
    /// Hide the modal: restore scroll and focus.
    HideModal,
    /// Move focus to the first invalid field, else the first field, else the
    /// primary button, once the view has rendered.
    MoveFocus,
}

/// Why a request did not produce a usable answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The API answered with an error status.
    Api {
        /// The HTTP status.
        status: u16,
        /// The error body, if it parsed.
        body: Option<ErrorBody>,
        /// `Retry-After`, on 429.
        retry_after: Option<Duration>,
    },
    /// `fetch` rejected: offline, DNS, CORS, connection reset.
    Network,
    /// No answer within [`REQUEST_TIMEOUT`].
    Timeout,
    /// A success status whose body is not what the contract says.
    Malformed,
}

impl Failure {
    fn code(&self) -> String {
        match self {
            Self::Api {
                body: Some(body), ..
            } if body.error.code != ErrorCode::Unknown => body.error.code.as_str().to_owned(),
            Self::Api { status, .. } if *status >= 500 => "INTERNAL_ERROR".to_owned(),
            Self::Api { .. } => "API_ERROR".to_owned(),
            Self::Network => "NETWORK_ERROR".to_owned(),
            Self::Timeout => "TIMEOUT".to_owned(),
            Self::Malformed => "MALFORMED_RESPONSE".to_owned(),
        }
    }

    fn message(&self) -> String {
        match self {
            Self::Api {
                body: Some(body), ..
            } => body.error.message.clone(),
            Self::Api { status, .. } => format!("The Keet API answered with HTTP {status}."),
            Self::Network => "The Keet API could not be reached.".to_owned(),
            Self::Timeout => "The Keet API did not answer in time.".to_owned(),
            Self::Malformed => {
                "The Keet API sent an answer this widget does not understand.".to_owned()
            }
        }
    }

    fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether waiting and sending the same request again may help.
    fn is_transient(&self) -> bool {
        match self {
            Self::Api { status, .. } => *status == 429 || *status >= 500,
            Self::Network | Self::Timeout | Self::Malformed => true,
        }
    }

    fn wait_before_retry(&self, retries_so_far: u8) -> Duration {
        match self {
            Self::Api {
                retry_after: Some(wait),
                ..
            } => (*wait).min(LONGEST_AUTOMATIC_WAIT),
            Self::Api { status: 429, .. } => Duration::from_secs(1),
            _ => FIRST_BACKOFF * 2u32.saturating_pow(retries_so_far.into()),
        }
    }

    fn as_error(&self) -> KeetLinkError {
        KeetLinkError::general(&self.code(), self.message())
    }
}

// ----------------------------------------------------------------- state ----

/// What the header of the modal shows, from the loaded session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// `ls_…`.
    pub id: String,
    /// e.g. `"Amazon Business"`.
    pub integration: String,
    /// `#RRGGBB`, already checked.
    pub brand_color: String,
    /// The customer's name, if given.
    pub company_name: Option<String>,
    /// The customer's logo, only if it is `https:` (or loopback in development).
    pub company_logo_uri: Option<String>,
}

/// Which kind of form a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// The login form.
    Credentials,
    /// The code form.
    Mfa,
}

/// A form on screen: the server's step, what the user typed, and the errors.
pub struct Form {
    /// The server's description of the step.
    pub step: FormStep,
    /// Login or code.
    pub kind: StepKind,
    values: Vec<Zeroizing<String>>,
    errors: Vec<Option<String>>,
    /// An error about the whole form rather than one field.
    pub form_error: Option<String>,
}

impl std::fmt::Debug for Form {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Field names only: values may be passwords or codes.
        let names: Vec<_> = self.step.fields.iter().map(|field| &field.name).collect();
        f.debug_struct("Form")
            .field("kind", &self.kind)
            .field("fields", &names)
            .field("errors", &self.errors)
            .finish_non_exhaustive()
    }
}

impl Form {
    fn new(step: FormStep, kind: StepKind) -> Self {
        let count = step.fields.len();
        Self {
            step,
            kind,
            values: (0..count).map(|_| Zeroizing::new(String::new())).collect(),
            errors: vec![None; count],
            form_error: None,
        }
    }

    /// What the user typed into field `index` (empty after a submit for secrets).
    pub fn value(&self, index: usize) -> &str {
        self.values.get(index).map_or("", |v| v.as_str())
    }

    /// The message shown under field `index`, if any.
    pub fn error(&self, index: usize) -> Option<&str> {
        self.errors.get(index).and_then(|e| e.as_deref())
    }

    /// The index of the first field with an error.
    pub fn first_invalid(&self) -> Option<usize> {
        self.errors.iter().position(Option::is_some)
    }

    fn view(&self) -> ViewName {
        match self.kind {
            StepKind::Credentials => ViewName::Credentials,
            StepKind::Mfa => ViewName::Mfa,
        }
    }

    /// Checks every field; true when all pass.
    fn check(&mut self) -> bool {
        for (index, field) in self.step.fields.iter().enumerate() {
            self.errors[index] = field
                .check_value(&self.values[index])
                .err()
                .map(|(_, message)| message);
        }
        self.errors.iter().all(Option::is_none)
    }

    /// The submit body; secret fields are emptied in the form (and so in the
    /// DOM, which renders the form), their memory wiped.
    fn take_submission(&mut self) -> SubmitRequest {
        let mut values = SecretValues::default();
        for (index, field) in self.step.fields.iter().enumerate() {
            values
                .0
                .insert(field.name.clone(), self.values[index].to_string());
            if field.kind.is_secret() {
                // Replacing drops the old Zeroizing string, which wipes it.
                self.values[index] = Zeroizing::new(String::new());
            }
        }
        SubmitRequest {
            step_id: self.step.id.clone(),
            values,
        }
    }

    /// Wipes what was typed into password and code fields.
    fn clear_secrets(&mut self) {
        for (index, field) in self.step.fields.iter().enumerate() {
            if field.kind.is_secret() {
                self.values[index] = Zeroizing::new(String::new());
            }
        }
    }

    /// Puts the server's field errors on their fields.
    fn apply_server_errors(&mut self, body: &ErrorBody) {
        for error in &body.errors {
            let name = error.field.strip_prefix("values.").unwrap_or(&error.field);
            match self.step.fields.iter().position(|f| f.name == name) {
                Some(index) => self.errors[index] = Some(error.message.clone()),
                None => self.form_error = Some(error.message.clone()),
            }
        }
        if body.errors.is_empty() {
            self.form_error = Some(body.error.message.clone());
        }
    }
}

/// One user action being sent: kept until answered, so that retries send
/// the same body under the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sending {
    idempotency_key: String,
    body: SubmitRequest,
    retries: u8,
    /// A retry timer is running: the view shows "retrying".
    pub waiting_to_retry: bool,
}

impl Sending {
    fn request(&self) -> Request {
        Request::Submit {
            idempotency_key: self.idempotency_key.clone(),
            body: self.body.clone(),
        }
    }
}

/// What the open modal shows.
#[derive(Debug)]
pub enum Screen {
    /// A form, and the submit in flight if any.
    Form {
        /// The form.
        form: Form,
        /// The submit in flight (or waiting to be retried).
        sending: Option<Sending>,
    },
    /// Linked; `onSuccess` follows after [`SUCCESS_VIEW_DURATION`].
    Success {
        /// Handed to `onSuccess`.
        handoff: Box<Handoff>,
    },
    /// The integration locked the account.
    Locked {
        /// Shown and passed to `onExit`.
        error: KeetLinkError,
    },
    /// The link token expired or was refused mid-flow.
    Expired {
        /// Shown and passed to `onExit`.
        error: KeetLinkError,
    },
    /// An error the automatic retries did not fix.
    Failed {
        /// Shown and passed to `onExit`.
        error: KeetLinkError,
        /// The form to return to on "Try again".
        form: Form,
        /// The submit to send again on "Try again", if that can help.
        retry: Option<Sending>,
    },
}

/// A public token waiting to be handed to `onSuccess`.
pub struct Handoff {
    public_token: Zeroizing<String>,
    metadata: SuccessMetadata,
}

impl std::fmt::Debug for Handoff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handoff")
            .field("public_token", &"[redacted]")
            .field("metadata", &self.metadata)
            .finish()
    }
}

impl Screen {
    fn view(&self) -> ViewName {
        match self {
            Self::Form { form, .. } => form.view(),
            Self::Success { .. } => ViewName::Success,
            Self::Locked { .. } => ViewName::Locked,
            Self::Expired { .. } => ViewName::Expired,
            Self::Failed { .. } => ViewName::Error,
        }
    }
}

#[derive(Debug)]
enum Stage {
    Loading {
        retries: u8,
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
    /// `onLoad` fires once per widget, not again after a reload of the session.
    load_announced: bool,
}

impl Flow {
    /// A new flow, already loading its session.
    pub fn start() -> (Self, Vec<Effect>) {
        let flow = Self {
            stage: Stage::Loading { retries: 0 },
            session: None,
            load_announced: false,
        };
        (flow, vec![Effect::Send(Request::Session)])
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
        Effect::Notify(Notification::Event {
            name,
            metadata: EventMetadata {
                link_session_id: self.session.as_ref().map(|s| s.id.clone()),
                view,
                error_code,
            },
        })
    }

    fn transition(&self, view: ViewName) -> Effect {
        self.event_with(EventName::TransitionView, Some(view), None)
    }

    fn error_event(&self, code: &str) -> Effect {
        self.event_with(EventName::Error, None, Some(code.to_owned()))
    }

    // ----------------------------------------------------------- loading ----

    /// The session arrived.
    pub fn session_loaded(&mut self, response: SessionResponse) -> Vec<Effect> {
        if !matches!(self.stage, Stage::Loading { .. }) {
            return Vec::new();
        }
        let session = response.session;
        let (form_step, kind) = match session.step {
            Step::Credentials(step) => (step, StepKind::Credentials),
            Step::Mfa(step) => (step, StepKind::Mfa),
            Step::Done => return self.session_failed(Failure::Malformed),
        };
        if form_step.fields.is_empty() || !is_hex_colour(&session.integration.brand_color) {
            return self.session_failed(Failure::Malformed);
        }
        self.session = Some(SessionSummary {
            id: session.id,
            integration: session.integration.name,
            brand_color: session.integration.brand_color,
            // The server refuses such names; a name that could still spoof
            // what the user reads is not shown at all.
            company_name: session
                .company_name
                .filter(|name| !name.trim().is_empty() && is_display_safe(name)),
            company_logo_uri: session
                .company_logo_uri
                .filter(|uri| is_https_or_loopback_url(uri)),
        });
        self.stage = Stage::Ready {
            form: Form::new(form_step, kind),
        };
        if std::mem::replace(&mut self.load_announced, true) {
            Vec::new()
        } else {
            vec![Effect::Notify(Notification::Load)]
        }
    }

    /// Loading the session failed.
    pub fn session_failed(&mut self, failure: Failure) -> Vec<Effect> {
        let Stage::Loading { retries } = self.stage else {
            return Vec::new();
        };
        if failure.is_transient() {
            if retries < MAX_AUTOMATIC_RETRIES {
                self.stage = Stage::Loading {
                    retries: retries + 1,
                };
                return vec![Effect::Start(
                    Timer::RetrySession,
                    failure.wait_before_retry(retries),
                )];
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
        let error = KeetLinkError::about("linkToken", &failure.code(), failure.message());
        vec![Effect::Notify(Notification::ValidationError(vec![error]))]
    }

    // -------------------------------------------------------------- modal ----

    /// `open()`: shows the modal if ready.
    pub fn open(&mut self) -> Vec<Effect> {
        match std::mem::replace(&mut self.stage, Stage::Finished) {
            Stage::Ready { form } => {
                let view = form.view();
                self.stage = Stage::Open {
                    screen: Screen::Form {
                        form,
                        sending: None,
                    },
                };
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
                    Stage::Loading { .. } | Stage::Unavailable | Stage::Rejected => {
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
    pub fn input(&mut self, index: usize, value: &str) {
        if let Stage::Open {
            screen:
                Screen::Form {
                    form,
                    sending: None,
                },
        } = &mut self.stage
        {
            if index < form.values.len() {
                form.values[index] = Zeroizing::new(value.to_owned());
                form.errors[index] = None;
                form.form_error = None;
            }
        }
    }

    /// The user submitted the form; `idempotency_key` is a fresh UUID v4.
    pub fn submit(&mut self, idempotency_key: String) -> Vec<Effect> {
        let Stage::Open {
            screen: Screen::Form { form, sending },
        } = &mut self.stage
        else {
            return Vec::new();
        };
        if sending.is_some() {
            return Vec::new();
        }
        if !form.check() {
            return vec![Effect::MoveFocus];
        }
        let body = form.take_submission();
        let event = match form.kind {
            StepKind::Credentials => EventName::SubmitCredentials,
            StepKind::Mfa => EventName::SubmitMfa,
        };
        let pending = Sending {
            idempotency_key,
            body,
            retries: 0,
            waiting_to_retry: false,
        };
        let request = pending.request();
        *sending = Some(pending);
        vec![self.event(event), Effect::Send(request)]
    }

    /// The submit was answered with success.
    pub fn submit_succeeded(&mut self, response: SubmitResponse) -> Vec<Effect> {
        if !self.is_sending() {
            return Vec::new();
        }
        let next = match response.step {
            Step::Credentials(step) => Form::new(step, StepKind::Credentials),
            Step::Mfa(step) => Form::new(step, StepKind::Mfa),
            Step::Done => {
                let (Some(public_token), Some(metadata)) =
                    (response.public_token, response.metadata)
                else {
                    return self.submit_failed(Failure::Malformed);
                };
                self.stage = Stage::Open {
                    screen: Screen::Success {
                        handoff: Box::new(Handoff {
                            public_token: Zeroizing::new(public_token),
                            metadata,
                        }),
                    },
                };
                return vec![
                    self.transition(ViewName::Success),
                    Effect::MoveFocus,
                    Effect::Start(Timer::Handoff, SUCCESS_VIEW_DURATION),
                ];
            }
        };
        if next.step.fields.is_empty() {
            return self.submit_failed(Failure::Malformed);
        }
        let view = next.view();
        self.stage = Stage::Open {
            screen: Screen::Form {
                form: next,
                sending: None,
            },
        };
        vec![self.transition(view), Effect::MoveFocus]
    }

    /// The submit failed.
    pub fn submit_failed(&mut self, failure: Failure) -> Vec<Effect> {
        let Stage::Open {
            screen:
                Screen::Form {
                    form,
                    sending: slot,
                },
        } = &mut self.stage
        else {
            return Vec::new();
        };
        if slot.is_none() {
            return Vec::new();
        }
        // Wrong credentials or code, or values the server refused: on the fields.
        if let Failure::Api {
            status: 400,
            body: Some(body),
            ..
        } = &failure
        {
            form.apply_server_errors(body);
            let code = match body.errors.first() {
                Some(error) if error.code != FieldErrorCode::Unknown => error.code.as_str(),
                _ => body.error.code.as_str(),
            }
            .to_owned();
            *slot = None;
            return vec![self.error_event(&code), Effect::MoveFocus];
        }
        let Some(sending) = slot.as_mut() else {
            return Vec::new();
        };
        if failure.is_transient() && sending.retries < MAX_AUTOMATIC_RETRIES {
            let wait = failure.wait_before_retry(sending.retries);
            sending.retries += 1;
            sending.waiting_to_retry = true;
            return vec![Effect::Start(Timer::RetrySubmit, wait)];
        }
        let code = failure.code();
        let error = failure.as_error();
        let Stage::Open {
            screen: Screen::Form { form, sending },
        } = std::mem::replace(&mut self.stage, Stage::Finished)
        else {
            return Vec::new();
        };
        let (screen, mut effects) = match failure.status() {
            Some(401 | 403) => {
                let error = KeetLinkError::about("linkToken", &code, failure.message());
                (
                    Screen::Expired {
                        error: error.clone(),
                    },
                    vec![Effect::Notify(Notification::ValidationError(vec![error]))],
                )
            }
            Some(423) => (Screen::Locked { error }, Vec::new()),
            _ => {
                let retry = sending.filter(|_| failure.is_transient()).map(|mut s| {
                    s.retries = 0;
                    s.waiting_to_retry = false;
                    s
                });
                (Screen::Failed { error, form, retry }, Vec::new())
            }
        };
        let view = screen.view();
        self.stage = Stage::Open { screen };
        effects.splice(0..0, [self.error_event(&code)]);
        effects.extend([self.transition(view), Effect::MoveFocus]);
        effects
    }

    /// "Try again" on the error view: the same submit, under the same key.
    pub fn try_again(&mut self) -> Vec<Effect> {
        let Stage::Open {
            screen: Screen::Failed { retry: Some(_), .. },
        } = &self.stage
        else {
            return Vec::new();
        };
        let Stage::Open {
            screen: Screen::Failed { form, retry, .. },
        } = std::mem::replace(&mut self.stage, Stage::Finished)
        else {
            return Vec::new();
        };
        let view = form.view();
        let request = retry.as_ref().map(Sending::request);
        self.stage = Stage::Open {
            screen: Screen::Form {
                form,
                sending: retry,
            },
        };
        let mut effects = vec![self.transition(view)];
        effects.extend(request.map(Effect::Send));
        effects
    }

    /// A timer the flow started has ended.
    pub fn timer_fired(&mut self, timer: Timer) -> Vec<Effect> {
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
            ) if sending.waiting_to_retry => {
                sending.waiting_to_retry = false;
                vec![Effect::Send(sending.request())]
            }
            (Timer::Handoff, Stage::Open { .. }) => self.hand_off(),
            _ => Vec::new(),
        }
    }

    fn hand_off(&mut self) -> Vec<Effect> {
        let Stage::Open {
            screen: Screen::Success { handoff },
        } = std::mem::replace(&mut self.stage, Stage::Finished)
        else {
            return Vec::new();
        };
        let Handoff {
            public_token,
            metadata,
        } = *handoff;
        // Hidden before onSuccess, as before onExit: the host page is usable
        // again (focus back, not inert) when its callback runs.
        vec![
            self.event(EventName::Handoff),
            Effect::HideModal,
            Effect::Notify(Notification::Success {
                public_token: public_token.to_string(),
                metadata,
            }),
        ]
    }

    /// The user closed the modal (close button, Escape, backdrop), or the
    /// host called `exit()`. `onExit` fires after the modal is hidden (so
    /// focus is already back on the page). Closing a form does not end the
    /// session: `isReady` stays true and `open()` resumes at the same step.
    /// Closing an error view ends it.
    pub fn close(&mut self) -> Vec<Effect> {
        match &self.stage {
            Stage::Open {
                screen: Screen::Success { .. },
            } => return self.hand_off(),
            Stage::Open { .. } => {}
            Stage::Destroyed => {
                return vec![Effect::Notify(Notification::Warn(
                    "keet-link: exit() was called after destroy(); nothing happened",
                ))]
            }
            _ => {
                return vec![Effect::Notify(Notification::Warn(
                    "keet-link: exit() was called while the modal is closed; nothing happened",
                ))]
            }
        }
        let Stage::Open { screen } = std::mem::replace(&mut self.stage, Stage::Finished) else {
            return Vec::new();
        };
        let mut follow_up = None;
        let (status, error) = match screen {
            Screen::Form { mut form, sending } => {
                form.clear_secrets();
                let status = match form.kind {
                    StepKind::Credentials => ExitStatus::RequiresCredentials,
                    StepKind::Mfa => ExitStatus::RequiresCode,
                };
                if sending.is_some() {
                    // The abandoned submit may have moved the session on:
                    // ask the server where it stands before offering it again.
                    self.stage = Stage::Loading { retries: 0 };
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
            Screen::Success { .. } => return Vec::new(),
        };
        let link_session_id = self.session.as_ref().map(|s| s.id.clone());
        let mut effects = vec![
            Effect::CancelAll,
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
    pub fn destroy(&mut self) -> Vec<Effect> {
        if self.is_destroyed() {
            return Vec::new();
        }
        let was_open = self.is_open();
        let mut effects = vec![Effect::CancelAll];
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

fn is_hex_colour(value: &str) -> bool {
    value.len() == 7 && value.starts_with('#') && value[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Black or white, whichever reads better on `background` (`#RRGGBB`), by
/// WCAG relative luminance; used for text on the integration's brand colour.
///
/// ```
/// use keet_link::flow::readable_text_on;
/// assert_eq!(readable_text_on("#FF9900"), "#000000"); // Amazon orange
/// assert_eq!(readable_text_on("#0A66C2"), "#FFFFFF"); // LinkedIn blue
/// ```
pub fn readable_text_on(background: &str) -> &'static str {
    if !is_hex_colour(background) {
        return "#FFFFFF";
    }
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&background[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    // Contrast against white is (1.05)/(L+0.05); against black (L+0.05)/0.05.
    if (luminance + 0.05) / 0.05 > 1.05 / (luminance + 0.05) {
        "#000000"
    } else {
        "#FFFFFF"
    }
}

/// Formats 16 random bytes as a UUID v4 (RFC 9562), for `Idempotency-Key`.
///
/// ```
/// use keet_link::flow::uuid_v4;
/// let id = uuid_v4([0xff; 16]);
/// assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
/// ```
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        out.push(char::from_digit(u32::from(byte & 0x0f), 16).unwrap_or('0'));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::{
        FieldError, FieldKind, FieldSpec, IntegrationBrand, LinkSession, Ok as WireOk,
    };

    fn field(name: &str, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            name: name.into(),
            label: name.into(),
            kind,
            autocomplete: None,
            required: true,
            max_length: Some(256),
            length: (kind == FieldKind::Otp).then_some(6),
        }
    }

    fn login_step() -> FormStep {
        FormStep {
            id: "st_login".into(),
            prompt: None,
            fields: vec![
                field("username", FieldKind::Text),
                field("password", FieldKind::Password),
            ],
        }
    }

    fn code_step() -> FormStep {
        FormStep {
            id: "st_code".into(),
            prompt: Some("Enter the code".into()),
            fields: vec![field("code", FieldKind::Otp)],
        }
    }

    fn session(logo: Option<&str>) -> SessionResponse {
        SessionResponse {
            status: WireOk::Ok,
            session: LinkSession {
                id: "ls_1".into(),
                integration: IntegrationBrand {
                    name: "Instagram".into(),
                    brand_color: "#E1306C".into(),
                },
                company_name: Some("Acme".into()),
                company_logo_uri: logo.map(Into::into),
                expires_at: "2030-01-01T00:00:00Z".into(),
                step: Step::Credentials(login_step()),
            },
        }
    }

    #[test]
    fn a_company_name_that_could_spoof_the_text_is_not_shown() {
        let (mut flow, _) = Flow::start();
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
            }),
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
        let (mut flow, _) = Flow::start();
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
        let (mut flow, effects) = Flow::start();
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
        let (mut flow, _) = Flow::start();
        flow.session_loaded(session(Some("javascript:alert(1)")));
        assert_eq!(flow.session().unwrap().company_logo_uri, None);
        let flow = ready_flow();
        assert!(flow.session().unwrap().company_logo_uri.is_some());
    }

    #[test]
    fn expired_link_token_at_start_reports_a_validation_error() {
        let (mut flow, _) = Flow::start();
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
        let (mut flow, _) = Flow::start();
        for attempt in 0..MAX_AUTOMATIC_RETRIES {
            let effects = flow.session_failed(Failure::Network);
            let [Effect::Start(Timer::RetrySession, wait)] = effects[..] else {
                panic!("{effects:?}")
            };
            assert_eq!(wait, FIRST_BACKOFF * 2u32.pow(attempt.into()));
            assert_eq!(
                flow.timer_fired(Timer::RetrySession),
                [Effect::Send(Request::Session)]
            );
        }
        let effects = flow.session_failed(Failure::Network);
        assert_eq!(event_names(&effects), [EventName::Error]);
        assert!(!flow.is_ready());
    }

    #[test]
    fn rate_limited_load_waits_for_retry_after() {
        let (mut flow, _) = Flow::start();
        let effects = flow.session_failed(Failure::Api {
            status: 429,
            body: None,
            retry_after: Some(Duration::from_secs(2)),
        });
        assert_eq!(
            effects,
            [Effect::Start(Timer::RetrySession, Duration::from_secs(2))]
        );
        flow.timer_fired(Timer::RetrySession);
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
        let (mut flow, _) = Flow::start();
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
                crate::protocol::FieldErrorCode::InvalidCredentials,
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
        let effects = flow.submit_succeeded(SubmitResponse {
            status: WireOk::Ok,
            step: Step::Mfa(code_step()),
            public_token: None,
            metadata: None,
        });
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
    fn success_shows_then_hands_off_exactly_once_and_closes() {
        let mut flow = open_flow_with_login("user_good", "pass_good");
        flow.submit("k1".into());
        let effects = flow.submit_succeeded(done());
        assert!(effects.contains(&Effect::Start(Timer::Handoff, SUCCESS_VIEW_DURATION)));
        assert!(matches!(flow.screen(), Some(Screen::Success { .. })));
        let effects = flow.timer_fired(Timer::Handoff);
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
        assert!(flow.timer_fired(Timer::Handoff).is_empty(), "never twice");
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
        assert_eq!(effects[0], Effect::CancelAll);
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
        assert!(matches!(
            effects[..],
            [Effect::Start(Timer::RetrySubmit, _)]
        ));
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
        assert!(notifications(&effects).iter().any(
            |n| matches!(n, Notification::ValidationError(e) if e[0].code == "TOKEN_EXPIRED")
        ));
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
        let effects = flow.submit_failed(Failure::Api {
            status: 429,
            body: None,
            retry_after: Some(Duration::from_secs(3)),
        });
        assert_eq!(
            effects,
            [Effect::Start(Timer::RetrySubmit, Duration::from_secs(3))]
        );
        let Some(Screen::Form {
            sending: Some(sending),
            ..
        }) = flow.screen()
        else {
            panic!()
        };
        assert!(sending.waiting_to_retry, "the view shows 'retrying'");
        let effects = flow.timer_fired(Timer::RetrySubmit);
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
            assert!(matches!(
                effects[..],
                [Effect::Start(Timer::RetrySubmit, _)]
            ));
            assert_eq!(flow.timer_fired(Timer::RetrySubmit).len(), 1);
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
        assert_eq!(flow.submit_succeeded(done()).len(), 3);
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
            [Effect::CancelAll, Effect::HideModal],
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
        flow.submit_succeeded(SubmitResponse {
            status: WireOk::Ok,
            step: Step::Mfa(code_step()),
            public_token: None,
            metadata: None,
        });
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
    fn answers_after_close_are_ignored() {
        let mut flow = open_flow_with_login("user_good", "pass_good");
        flow.submit("k".into());
        flow.close();
        assert!(flow.submit_succeeded(done()).is_empty());
        assert!(flow.submit_failed(Failure::Network).is_empty());
        assert!(flow.timer_fired(Timer::RetrySubmit).is_empty());
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
        let effects = flow.timer_fired(Timer::Handoff);
        assert!(!format!("{effects:?}").contains("public_sandbox_abc"));
    }

    #[test]
    fn text_on_brand_colours_is_readable() {
        assert_eq!(readable_text_on("#FF9900"), "#000000");
        assert_eq!(readable_text_on("#25D366"), "#000000");
        assert_eq!(readable_text_on("#000000"), "#FFFFFF");
        assert_eq!(readable_text_on("#0A66C2"), "#FFFFFF");
        // Facebook blue: black reaches 4.95:1, white only 4.24:1.
        assert_eq!(readable_text_on("#1877F2"), "#000000");
        assert_eq!(readable_text_on("not a colour"), "#FFFFFF");
    }

    #[test]
    fn uuid_has_version_and_variant_bits() {
        let id = uuid_v4([0; 16]);
        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
        assert_eq!(id.len(), 36);
    }
}
