//! What a transition asks the shell to do, and how a request failed.

use std::time::Duration;

use super::host_types::{KeetLinkError, Notification};
use super::{FIRST_BACKOFF, LONGEST_AUTOMATIC_WAIT};
use keet_link_protocol::{ErrorBody, ErrorCode, ExitReason, SubmitRequest, NETWORK_ERROR, TIMEOUT};

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
    /// `POST /v1/link/session/submit` of the approve step `step_id` with
    /// empty `values`, under a new `Idempotency-Key` the shell makes: has
    /// the login been approved? Report as a submit.
    Poll {
        /// The approve step.
        step_id: String,
    },
    /// `POST /v1/link/session/exit`; its answer does not matter to the flow.
    Exit(ExitReason),
    /// `POST /v1/link/session/resend` under `idempotency_key`; report with
    /// `resend_succeeded`/`resend_failed`.
    Resend {
        /// One per click of "Send a new code".
        idempotency_key: String,
    },
}

/// A timer the flow keeps: what happens when its deadline comes
/// ([`Flow::poll_timeout`](super::Flow::poll_timeout)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// Load the session again.
    RetrySession,
    /// Send the pending submit again, with the same key.
    RetrySubmit,
    /// The success view has shown long enough.
    Handoff,
    /// One second of the new-code countdown has passed.
    ResendTick,
    /// Time to ask again whether the approve step was approved.
    Poll,
}

/// What the shell must do after a transition, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send a request; report its answer with the matching
    /// [`Input`](super::Input) (`SessionLoaded`/`SessionFailed`,
    /// `SubmitSucceeded`/`SubmitFailed`, `ResendSucceeded`/`ResendFailed`).
    Send(Request),
    /// Abort every request in flight: their answers would come too late.
    AbortRequests,
    /// Call the host.
    Notify(Notification),
    /// Show the modal: lock scroll, remember the focused element.
    ShowModal,
    /// Hide the modal: restore scroll and focus.
    HideModal,
    /// Move focus to the first invalid field, else the first field, else the
    /// primary button, once the view has rendered.
    MoveFocus,
    /// Ask the host for a fresh link token (its `linkToken` function), use it
    /// for every request from now on, and report with
    /// [`Input::TokenRenewed`](super::Input::TokenRenewed) or
    /// [`Input::TokenRenewalFailed`](super::Input::TokenRenewalFailed).
    RenewToken,
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
    pub(super) fn code(&self) -> String {
        match self {
            Self::Api {
                body: Some(body), ..
            } if body.error.code != ErrorCode::Unknown => body.error.code.as_str().to_owned(),
            Self::Api { status, .. } if *status >= 500 => "INTERNAL_ERROR".to_owned(),
            Self::Api { .. } => "API_ERROR".to_owned(),
            Self::Network => NETWORK_ERROR.to_owned(),
            Self::Timeout => TIMEOUT.to_owned(),
            Self::Malformed => "MALFORMED_RESPONSE".to_owned(),
        }
    }

    pub(super) fn message(&self) -> String {
        match self {
            Self::Api {
                body: Some(body), ..
            } => body.error.message.clone(),
            Self::Api { status, .. } => [
                "The Keet API answered with HTTP ",
                &keet_link_i18n::decimal((*status).into()),
                ".",
            ]
            .concat(),
            Self::Network => "The Keet API could not be reached.".to_owned(),
            Self::Timeout => "The Keet API did not answer in time.".to_owned(),
            Self::Malformed => {
                "The Keet API sent an answer this widget does not understand.".to_owned()
            }
        }
    }

    pub(super) fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The API refused the page's origin (`ORIGIN_NOT_ALLOWED`): not the
    /// token's fault, so no new token is asked for.
    pub(super) fn is_origin_refused(&self) -> bool {
        matches!(self, Self::Api { body: Some(body), .. } if body.error.code == ErrorCode::OriginNotAllowed)
    }

    /// Whether waiting and sending the same request again may help.
    pub(super) fn is_transient(&self) -> bool {
        match self {
            Self::Api { status, .. } => *status == 429 || *status >= 500,
            Self::Network | Self::Timeout | Self::Malformed => true,
        }
    }

    pub(super) fn wait_before_retry(&self, retries_so_far: u8) -> Duration {
        match self {
            Self::Api {
                retry_after: Some(wait),
                ..
            } => (*wait).min(LONGEST_AUTOMATIC_WAIT),
            Self::Api { status: 429, .. } => Duration::from_secs(1),
            _ => FIRST_BACKOFF * 2u32.saturating_pow(retries_so_far.into()),
        }
    }

    pub(super) fn as_error(&self) -> KeetLinkError {
        KeetLinkError::general(&self.code(), self.message())
    }

    /// The error when the API refused the link token: about `linkToken`.
    pub(super) fn as_link_token_error(&self) -> KeetLinkError {
        KeetLinkError::about("linkToken", &self.code(), self.message())
    }
}
