//! What the open modal shows, and the session it belongs to.

use keet_link_protocol::secret::Secret;

use super::effects::Request;
use super::form::Form;
use super::host_types::{KeetLinkError, ViewName};
use super::renewal::Renewal;
use keet_link_protocol::{SubmitRequest, SuccessMetadata};

/// What the header of the modal shows, from the loaded session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionSummary {
    /// `ls_…`.
    pub id: String,
    /// e.g. `"Amazon Business"`; empty until the user chose one on the
    /// integration step.
    pub integration: String,
    /// `#RRGGBB`, already checked.
    pub brand_color: String,
    /// The customer's name, if given.
    pub company_name: Option<String>,
    /// The customer's logo, only if it is `https:` (or loopback in development).
    pub company_logo_uri: Option<String>,
    /// The service's password reset page, only if it is `https:` (or loopback).
    pub forgot_password_url: Option<String>,
    /// The service's login help, only if it is `https:` (or loopback).
    pub help_url: Option<String>,
    /// A first link, or the repair of a broken login.
    pub mode: keet_link_protocol::LinkMode,
}

/// The colour of a session's header before the user chose an integration.
pub const NEUTRAL_BRAND_COLOR: &str = "#4F46E5";

impl SessionSummary {
    /// The customer's name, or `fallback` (the words for "this app") when
    /// the link config gave none.
    pub fn company_or(&self, fallback: &str) -> String {
        self.company_name
            .clone()
            .unwrap_or_else(|| fallback.to_owned())
    }
}

/// A page of the service's own that the login form links to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpLink {
    /// Resetting a forgotten password.
    ForgotPassword,
    /// Help with logging in.
    Help,
}

/// One user action being sent: kept until answered, so that retries send
/// the same body under the same key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sending {
    pub(super) idempotency_key: String,
    pub(super) body: SubmitRequest,
    pub(super) retries: u8,
    /// Where this action stands with the host's link tokens (renewed at
    /// most once: an expiry after that ends the flow, no loops).
    pub(super) renewal: Renewal,
    /// Sent again for a code form after a renewal: the code form that
    /// follows says a new code was sent.
    pub(super) resumes_code_step: bool,
    /// Asks whether an approve step was approved: every attempt is a new
    /// action under a new key, which the shell makes.
    pub(super) poll: bool,
}

impl Sending {
    /// A new action: `body` under `idempotency_key`.
    pub(super) fn new(idempotency_key: String, body: SubmitRequest) -> Self {
        Self {
            idempotency_key,
            body,
            retries: 0,
            renewal: Renewal::NotYet,
            resumes_code_step: false,
            poll: false,
        }
    }

    /// A poll of the approve step `step_id`; `renewal_key` is what a login
    /// sent again after a renewal goes under (see `Form::renewal_key`).
    pub(super) fn poll(step_id: String, renewal_key: String) -> Self {
        Self {
            poll: true,
            ..Self::new(
                renewal_key,
                SubmitRequest {
                    step_id,
                    values: Default::default(),
                },
            )
        }
    }

    pub(super) fn request(&self) -> Request {
        match self.poll {
            true => Request::Poll {
                step_id: self.body.step_id.clone(),
            },
            false => Request::Submit {
                idempotency_key: self.idempotency_key.clone(),
                body: self.body.clone(),
            },
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
#[derive(Debug)]
pub struct Handoff {
    pub(super) public_token: Secret,
    pub(super) metadata: SuccessMetadata,
}

impl Screen {
    pub(super) fn view(&self) -> ViewName {
        match self {
            Self::Form { form, .. } => form.view(),
            Self::Success { .. } => ViewName::Success,
            Self::Locked { .. } => ViewName::Locked,
            Self::Expired { .. } => ViewName::Expired,
            Self::Failed { .. } => ViewName::Error,
        }
    }
}
