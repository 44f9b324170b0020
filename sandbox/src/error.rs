//! The sandbox's one error type, and how it becomes the contract's JSON body.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use keet_link_protocol::{ErrorBody, ErrorCode, FieldError};

/// Everything an API call can answer instead of success. Messages are for a
/// person and never contain a token, a password, a code or internal detail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// 401 `MISSING_TOKEN`.
    #[error("{0}")]
    MissingToken(&'static str),
    /// 401 `INVALID_TOKEN`.
    #[error("{0}")]
    InvalidToken(&'static str),
    /// 401 `TOKEN_EXPIRED`.
    #[error("{0}")]
    TokenExpired(&'static str),
    /// 403 `FORBIDDEN`.
    #[error("{0}")]
    Forbidden(&'static str),
    /// 403 `ORIGIN_NOT_ALLOWED`: the page's origin is not registered for the key.
    #[error("This page's origin may not use Keet Link with this API key: register the origin of the page (and of the link frame, if you host it) for your key. In the sandbox, that is --allowed-origins.")]
    OriginNotAllowed,
    /// 400 `VALIDATION_ERROR` with one entry per field.
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    /// 404 `NOT_FOUND`.
    #[error("{0}")]
    NotFound(&'static str),
    /// 405 `METHOD_NOT_ALLOWED`.
    #[error("This path does not accept that method.")]
    MethodNotAllowed,
    /// 409 `CONFLICT`.
    #[error("{0}")]
    Conflict(&'static str),
    /// 408 `REQUEST_TIMEOUT`: the body did not arrive in time.
    #[error("The request body did not arrive in time; send it again.")]
    RequestTimeout,
    /// 413 `PAYLOAD_TOO_LARGE`.
    #[error("The request body is larger than 64 KiB.")]
    PayloadTooLarge,
    /// 415 `UNSUPPORTED_MEDIA_TYPE`.
    #[error("The request body must be JSON, sent with Content-Type: application/json.")]
    UnsupportedMediaType,
    /// 423 `ACCOUNT_LOCKED`.
    #[error(
        "The integration has locked this account. The user must unlock it with the service first."
    )]
    AccountLocked,
    /// 409 `APPROVAL_DENIED`: the login was denied on the other device.
    #[error("The end user denied this login on their other device; the link session is over.")]
    ApprovalDenied,
    /// 429 `RATE_LIMITED`, with `Retry-After`.
    #[error("Too many requests. Retry after {retry_after_secs} seconds.")]
    RateLimited {
        /// Whole seconds until a request will be accepted again.
        retry_after_secs: u64,
    },
    /// An answer remembered under an idempotency key before a restart,
    /// replayed as it was sent.
    #[error("{}", .0.error.message)]
    Remembered(Box<ErrorBody>),
    /// 500 `INTERNAL_ERROR`. The detail goes to the log, never to the client.
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl ApiError {
    /// The contract's `error.code`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::MissingToken(_) => ErrorCode::MissingToken,
            Self::InvalidToken(_) => ErrorCode::InvalidToken,
            Self::TokenExpired(_) => ErrorCode::TokenExpired,
            Self::Forbidden(_) => ErrorCode::Forbidden,
            Self::OriginNotAllowed => ErrorCode::OriginNotAllowed,
            Self::Validation(_) => ErrorCode::ValidationError,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::MethodNotAllowed => ErrorCode::MethodNotAllowed,
            Self::Conflict(_) => ErrorCode::Conflict,
            Self::RequestTimeout => ErrorCode::RequestTimeout,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            Self::AccountLocked => ErrorCode::AccountLocked,
            Self::ApprovalDenied => ErrorCode::ApprovalDenied,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Remembered(body) => body.error.code,
            Self::Internal(_) => ErrorCode::InternalError,
        }
    }

    /// The JSON body sent to the client.
    pub fn body(&self) -> ErrorBody {
        match self {
            Self::Validation(errors) => ErrorBody::validation(errors.clone()),
            Self::Remembered(body) => (**body).clone(),
            Self::Internal(_) => ErrorBody::new(
                ErrorCode::InternalError,
                "Something went wrong on our side. Retry the request with the same Idempotency-Key.",
            ),
            other => ErrorBody::new(other.code(), other.to_string()),
        }
    }

    /// A `VALIDATION_ERROR` about one field.
    pub fn field(
        field: impl Into<String>,
        code: keet_link_protocol::FieldErrorCode,
        message: impl Into<String>,
    ) -> Self {
        Self::Validation(vec![FieldError::new(field, code, message)])
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(detail) = &self {
            tracing::error!(detail, "internal error");
        }
        let status = StatusCode::from_u16(self.code().http_status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = (status, axum::Json(self.body())).into_response();
        if let Self::RateLimited { retry_after_secs } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        if let Self::MissingToken(_) | Self::InvalidToken(_) | Self::TokenExpired(_) = self {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"keet\""),
            );
        }
        response
    }
}
