//! What the host receives: the callbacks' names and payloads, the event and
//! view names, and the errors. These are the host-facing contract
//! (`spec/keet-link.d.ts`; `tests/contracts.rs` holds them to it).

use serde::{Deserialize, Serialize};

use keet_link_protocol::secret::Secret;
use keet_link_protocol::write::{JsonWriter, Write};
use keet_link_protocol::{wire_enum, LinkMode, SuccessMetadata};

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

    pub(super) fn general(code: &str, message: impl Into<String>) -> Self {
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
        /// Closed on the choice of integration.
        RequiresIntegration = "requires_integration",
        /// Closed while waiting for approval on another device.
        RequiresApproval = "requires_approval",
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
        /// The user asked for a new one-time code.
        ResendCode = "RESEND_CODE",
        /// The user opened the service's password reset page (a new tab).
        ForgotPassword = "FORGOT_PASSWORD",
        /// The user opened the service's login help (a new tab).
        OpenHelp = "OPEN_HELP",
        /// The link token expired and the host's `linkToken` function gave a
        /// new one: the flow goes on in a new link session.
        TokenRefreshed = "TOKEN_REFRESHED",
        /// Something on the host page covers the framed modal (or fades or
        /// transforms it), as the browser reports it: typing and sending
        /// wait until it is fully visible again.
        FrameCovered = "FRAME_COVERED",
        /// The user chose an integration from the list
        /// (`metadata.integration`).
        SelectIntegration = "SELECT_INTEGRATION",
        /// The modal waits for the user to approve the login on another
        /// device.
        ApprovalWaiting = "APPROVAL_WAITING",
        /// The other device approved the login.
        ApprovalGranted = "APPROVAL_GRANTED",
        /// The other device denied the login (an `ERROR` event with
        /// `APPROVAL_DENIED` follows).
        ApprovalDenied = "APPROVAL_DENIED",
    }
}

/// The event contract's version, as the README and `spec/keet-link.d.ts`
/// publish it. Adding a name keeps the version (hosts ignore names they do
/// not know); renaming or removing a stable name, or changing what it
/// carries, makes a new one.
pub const EVENT_CONTRACT_VERSION: u32 = 1;

/// How far a host may rely on an event name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventStability {
    /// A host may branch on it: its meaning and metadata only change with the
    /// contract's version.
    Stable,
    /// Reports what the user did, for analytics; it may be refined or
    /// replaced within a version.
    Informational,
}

/// What an event's metadata carries beside `linkSessionId`, always.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventCarries {
    /// Nothing more.
    Nothing,
    /// `view`.
    View,
    /// `errorCode`.
    ErrorCode,
    /// `integration`.
    Integration,
}

impl EventName {
    /// Whether a host may branch on this name (`spec/keet-link.d.ts` splits
    /// the names the same way; `tests/contracts.rs` checks it).
    pub const fn stability(self) -> EventStability {
        match self {
            Self::Open
            | Self::TransitionView
            | Self::SubmitCredentials
            | Self::SubmitMfa
            | Self::Error
            | Self::Exit
            | Self::Handoff
            | Self::SelectIntegration => EventStability::Stable,
            Self::ResendCode
            | Self::ForgotPassword
            | Self::OpenHelp
            | Self::TokenRefreshed
            | Self::FrameCovered
            | Self::ApprovalWaiting
            | Self::ApprovalGranted
            | Self::ApprovalDenied => EventStability::Informational,
        }
    }

    /// The metadata this name always carries (the flow asserts it on every
    /// event; the declarations' metadata map is checked against it).
    pub const fn carries(self) -> EventCarries {
        match self {
            Self::TransitionView => EventCarries::View,
            Self::Error => EventCarries::ErrorCode,
            Self::SelectIntegration => EventCarries::Integration,
            _ => EventCarries::Nothing,
        }
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
        /// The choice of integration.
        Integration = "INTEGRATION",
        /// Waiting for approval on another device.
        Approve = "APPROVE",
    }
}

/// `onEvent`'s metadata.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventMetadata {
    /// `ls_…`, once the session was loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_session_id: Option<String>,
    /// `link` or `relink`, once the session was loaded: on every event, an
    /// addition within the contract's version 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<keet_link_protocol::LinkMode>,
    /// On `TRANSITION_VIEW`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub view: Option<ViewName>,
    /// On `ERROR`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// On `SELECT_INTEGRATION`: the name chosen.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integration: Option<String>,
}

/// A call the shell makes to the host (JS callbacks, or Rust ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notification {
    /// `onLoad()`.
    Load,
    /// `onSuccess(publicToken, metadata)`.
    Success {
        /// `public_sandbox_…`.
        public_token: Secret,
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

/// A host callback as every host spells it: its name in the config and its
/// arguments' names, in order (`<keet-link>`'s event `detail` uses them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallbackSpec {
    /// `onSuccess`.
    pub name: &'static str,
    /// `["publicToken", "metadata"]`.
    pub args: &'static [&'static str],
}

/// One host callback, for a Rust host (the Leptos API): what its function
/// receives. Implemented once per callback, beside [`Notification`].
pub trait HostCallback {
    /// Its entry in [`Notification::CALLBACKS`].
    const SPEC: CallbackSpec;
    /// What the Rust function receives (a tuple of the arguments).
    type Args;
    /// The arguments, when `notification` calls this callback.
    fn args_of(notification: Notification) -> Option<Self::Args>;
}

/// The host callbacks, one type each, for [`HostCallback`].
pub mod callbacks {
    use super::{
        CallbackSpec, EventMetadata, EventName, ExitMetadata, HostCallback, KeetLinkError,
        Notification,
    };
    use keet_link_protocol::secret::Secret;
    use keet_link_protocol::SuccessMetadata;

    /// Declares each callback's type: its name and arguments' names, what a
    /// Rust function receives, and the notification that calls it.
    macro_rules! host_callbacks {
        ($(
            $(#[$doc:meta])*
            $callback:ident = $name:literal [$($argument:literal),*]: $args:ty,
                $notification:pat => $value:expr;
        )+) => {
            $(
                $(#[$doc])*
                pub struct $callback;

                impl HostCallback for $callback {
                    const SPEC: CallbackSpec = CallbackSpec { name: $name, args: &[$($argument),*] };
                    type Args = $args;
                    fn args_of(notification: Notification) -> Option<Self::Args> {
                        match notification {
                            $notification => Some($value),
                            _ => None,
                        }
                    }
                }
            )+

            /// Every callback, in the declaration's (the contract's) order.
            pub(super) const ALL: &[CallbackSpec] = &[$($callback::SPEC),+];
        };
    }

    host_callbacks! {
        /// `onSuccess(publicToken, metadata)`.
        OnSuccess = "onSuccess" ["publicToken", "metadata"]: (Secret, SuccessMetadata),
            Notification::Success { public_token, metadata } => (public_token, metadata);
        /// `onValidationError(errors)`.
        OnValidationError = "onValidationError" ["errors"]: (Vec<KeetLinkError>,),
            Notification::ValidationError(errors) => (errors,);
        /// `onExit(error, metadata)`.
        OnExit = "onExit" ["error", "metadata"]: (Option<KeetLinkError>, ExitMetadata),
            Notification::Exit { error, metadata } => (error, metadata);
        /// `onEvent(eventName, metadata)`.
        OnEvent = "onEvent" ["eventName", "metadata"]: (EventName, EventMetadata),
            Notification::Event { name, metadata } => (name, metadata);
        /// `onLoad()`.
        OnLoad = "onLoad" []: (), Notification::Load => ();
    }
}

impl Notification {
    /// Every host callback, in the contract's order (`KeetLinkConfig` in
    /// `spec/keet-link.d.ts`). The one table the hosts derive from: the
    /// in-page JS host, the frame and the Leptos API by name; the loader and
    /// `<keet-link>` through the copies `tests/contracts.rs` writes into
    /// `js/host.js` and `js/element.d.ts`.
    pub const CALLBACKS: &'static [CallbackSpec] = callbacks::ALL;

    /// The host callback this notification calls; `None` for a warning,
    /// which goes to the console.
    pub fn callback_name(&self) -> Option<&'static str> {
        use callbacks::*;
        let spec = match self {
            Self::Success { .. } => OnSuccess::SPEC,
            Self::ValidationError(_) => OnValidationError::SPEC,
            Self::Exit { .. } => OnExit::SPEC,
            Self::Event { .. } => OnEvent::SPEC,
            Self::Load => OnLoad::SPEC,
            Self::Warn(_) => return None,
        };
        Some(spec.name)
    }

    /// The callback's arguments, in order: serialises as an array, so every
    /// shell (the in-page JS host, the link frame's port) passes the same
    /// payloads without naming them again.
    pub fn callback_args(&self) -> CallbackArgs<'_> {
        CallbackArgs(self)
    }

    /// The notification a call of the host callback `name` with `args` (an
    /// array, as [`Self::callback_args`] writes it) stands for: for a host
    /// that receives the calls by name (the Leptos API in the framed mode).
    /// `None` for an unknown name or arguments of another shape.
    pub fn from_callback_args<'de, D: serde::Deserializer<'de>>(
        name: &str,
        args: D,
    ) -> Option<Self> {
        use callbacks::*;
        let notification = match name {
            _ if name == OnSuccess::SPEC.name => {
                // Straight into a Secret: no plain copy of the token.
                let (public_token, metadata) = Deserialize::deserialize(args).ok()?;
                Self::Success {
                    public_token,
                    metadata,
                }
            }
            _ if name == OnValidationError::SPEC.name => {
                Self::ValidationError(<(Vec<KeetLinkError>,)>::deserialize(args).ok()?.0)
            }
            _ if name == OnExit::SPEC.name => {
                let (error, metadata) = Deserialize::deserialize(args).ok()?;
                Self::Exit { error, metadata }
            }
            _ if name == OnEvent::SPEC.name => {
                let (name, metadata) = Deserialize::deserialize(args).ok()?;
                Self::Event { name, metadata }
            }
            _ if name == OnLoad::SPEC.name => Self::Load,
            _ => return None,
        };
        Some(notification)
    }
}

/// The arguments of a notification's callback; see [`Notification::callback_args`].
pub struct CallbackArgs<'a>(&'a Notification);

impl Serialize for CallbackArgs<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        fn pair<S: serde::Serializer>(
            serializer: S,
            first: &impl Serialize,
            second: &impl Serialize,
        ) -> Result<S::Ok, S::Error> {
            let mut args = serializer.serialize_tuple(2)?;
            args.serialize_element(first)?;
            args.serialize_element(second)?;
            args.end()
        }
        match self.0 {
            Notification::Load | Notification::Warn(_) => serializer.serialize_tuple(0)?.end(),
            Notification::Success {
                public_token,
                metadata,
            } => pair(serializer, public_token, metadata),
            Notification::ValidationError(errors) => {
                let mut args = serializer.serialize_tuple(1)?;
                args.serialize_element(errors)?;
                args.end()
            }
            Notification::Exit { error, metadata } => pair(serializer, error, metadata),
            Notification::Event { name, metadata } => pair(serializer, name, metadata),
        }
    }
}

// The payloads written by hand (keet_link_protocol::write): what serde
// writes, without serde's serializer in the wasm. `tests` compare the two.

impl Write for KeetLinkError {
    fn write(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.string_member("code", &self.code);
        out.string_member("message", &self.message);
        out.optional_member("field", self.field.as_deref());
        out.end_object();
    }
}

impl Write for ExitMetadata {
    fn write(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.string_member("status", self.status.as_str());
        out.optional_member("linkSessionId", self.link_session_id.as_deref());
        out.end_object();
    }
}

impl Write for EventMetadata {
    fn write(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.optional_member("linkSessionId", self.link_session_id.as_deref());
        out.optional_member("mode", self.mode.map(LinkMode::as_str));
        out.optional_member("view", self.view.map(ViewName::as_str));
        out.optional_member("errorCode", self.error_code.as_deref());
        out.optional_member("integration", self.integration.as_deref());
        out.end_object();
    }
}

impl Write for CallbackArgs<'_> {
    /// An array of the callback's arguments, as `Serialize` writes it.
    fn write(&self, out: &mut JsonWriter) {
        out.begin_array();
        match self.0 {
            Notification::Load | Notification::Warn(_) => {}
            Notification::Success {
                public_token,
                metadata,
            } => {
                out.string(public_token.expose());
                metadata.write(out);
            }
            Notification::ValidationError(errors) => errors.write(out),
            Notification::Exit { error, metadata } => {
                match error {
                    Some(error) => error.write(out),
                    None => out.null(),
                }
                metadata.write(out);
            }
            Notification::Event { name, metadata } => {
                out.string(name.as_str());
                metadata.write(out);
            }
        }
        out.end_array();
    }
}
