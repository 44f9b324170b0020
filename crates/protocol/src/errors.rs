//! The error body of every failed call, and its codes.

use serde::{Deserialize, Serialize};

use super::*;

/// The `code` of a widget error when `fetch` failed (offline, DNS, CORS):
/// one of the codes the widget adds to the API's, defined once for the flow
/// that reports them and the words that explain them.
pub const NETWORK_ERROR: &str = "NETWORK_ERROR";
/// The `code` of a widget error when the API did not answer in time.
pub const TIMEOUT: &str = "TIMEOUT";

wire_enum! {
    /// The `error.code` of an error body: one per row of the contract's table.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum ErrorCode {
        /// 401: no `Authorization: Bearer <non-empty>` header.
        MissingToken = "MISSING_TOKEN",
        /// 401: unknown, malformed or revoked credential.
        InvalidToken = "INVALID_TOKEN",
        /// 401: a credential past its lifetime.
        TokenExpired = "TOKEN_EXPIRED",
        /// 403: a credential of the wrong kind, or an API key from a browser.
        Forbidden = "FORBIDDEN",
        /// 403: the page that runs the widget (or embeds the link frame) is
        /// on an origin not registered for the API key.
        OriginNotAllowed = "ORIGIN_NOT_ALLOWED",
        /// 400: the body failed validation; `errors` lists each field.
        ValidationError = "VALIDATION_ERROR",
        /// 404: unknown path or resource.
        NotFound = "NOT_FOUND",
        /// 405: a known path with a method it does not serve (project decision).
        MethodNotAllowed = "METHOD_NOT_ALLOWED",
        /// 409: e.g. a submit to a finished session.
        Conflict = "CONFLICT",
        /// 408: the request's body did not arrive in time (project decision).
        RequestTimeout = "REQUEST_TIMEOUT",
        /// 413: body over 64 KiB.
        PayloadTooLarge = "PAYLOAD_TOO_LARGE",
        /// 415: a body that is not `application/json` (project decision).
        UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE",
        /// 423: the integration locked the end user's account.
        AccountLocked = "ACCOUNT_LOCKED",
        /// 409: the end user denied the login on their other device (an
        /// approve step); the session is over (project decision: 409, as
        /// for any session that cannot go on).
        ApprovalDenied = "APPROVAL_DENIED",
        /// 429: too many requests; see `Retry-After`.
        RateLimited = "RATE_LIMITED",
        /// 500: never with internal detail.
        InternalError = "INTERNAL_ERROR",
        /// A code this build does not know yet (newer server).
        #[serde(other)]
        Unknown = "UNKNOWN",
    }
}

impl ErrorCode {
    /// The HTTP status that carries this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::MissingToken | Self::InvalidToken | Self::TokenExpired => 401,
            Self::Forbidden | Self::OriginNotAllowed => 403,
            Self::ValidationError => 400,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict | Self::ApprovalDenied => 409,
            Self::RequestTimeout => 408,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::AccountLocked => 423,
            Self::RateLimited => 429,
            Self::InternalError | Self::Unknown => 500,
        }
    }
}

wire_enum! {
    /// The `code` of one entry in a validation error's `errors` list.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum FieldErrorCode {
        /// A required field is missing or empty.
        Required = "REQUIRED",
        /// The value has the wrong JSON type.
        InvalidType = "INVALID_TYPE",
        /// The value does not have the expected form (email, phone, URL, code).
        InvalidFormat = "INVALID_FORMAT",
        /// The value is longer than allowed.
        TooLong = "TOO_LONG",
        /// The value is not one of the allowed values (e.g. an unknown integration).
        InvalidValue = "INVALID_VALUE",
        /// The body has a field the API does not know.
        UnknownField = "UNKNOWN_FIELD",
        /// The same key appears twice in one JSON object.
        DuplicateField = "DUPLICATE_FIELD",
        /// The body is not valid JSON.
        MalformedJson = "MALFORMED_JSON",
        /// Wrong login for the integration.
        InvalidCredentials = "INVALID_CREDENTIALS",
        /// Wrong one-time code.
        InvalidCode = "INVALID_CODE",
        /// A public token that was already exchanged.
        PublicTokenUsed = "PUBLIC_TOKEN_USED",
        /// A public token past its lifetime.
        PublicTokenExpired = "PUBLIC_TOKEN_EXPIRED",
        /// An unknown public token.
        InvalidPublicToken = "INVALID_PUBLIC_TOKEN",
        /// A code this build does not know yet (newer server).
        #[serde(other)]
        Unknown = "UNKNOWN",
    }
}

/// One entry of a validation error's `errors` list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// Where the problem is, as a dotted path (`values.password`) or a header name.
    pub field: String,
    /// What kind of problem it is.
    pub code: FieldErrorCode,
    /// A sentence for a person.
    pub message: String,
}

impl FieldError {
    /// A field error at `field`.
    pub fn new(field: impl Into<String>, code: FieldErrorCode, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

/// The `error` object of an error body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// Machine-readable code.
    pub code: ErrorCode,
    /// A sentence for a person; never a token or a stack trace.
    pub message: String,
}

/// Every error body: `{ "status": "error", "error": {…}, "errors": [ … ]? }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Always `"error"`.
    #[serde(default)]
    pub status: ErrorStatus,
    /// What went wrong.
    pub error: ErrorDetail,
    /// Per-field problems, only on `VALIDATION_ERROR`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

impl ErrorBody {
    /// An error body with no per-field list.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            status: ErrorStatus::Error,
            error: ErrorDetail {
                code,
                message: message.into(),
            },
            errors: Vec::new(),
        }
    }

    /// A `VALIDATION_ERROR` body listing `errors`.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let message = match errors.as_slice() {
            [only] => only.message.clone(),
            _ => "The request has invalid fields.".to_owned(),
        };
        Self {
            errors,
            ..Self::new(ErrorCode::ValidationError, message)
        }
    }
}
