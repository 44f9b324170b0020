//! The wire types of the Keet Link HTTP API, written once and shared by the
//! widget and the sandbox server.
//!
//! The contract is `spec/openapi.yaml` (the project's copy of
//! `shared/spec/link-api.md`). This module has no browser or server code: it
//! is plain serde, so the sandbox depends on it with `default-features = false`.
//!
//! Request bodies refuse unknown fields; response bodies ignore them, so that
//! a newer server never breaks an older widget.

use serde::{Deserialize, Serialize};

use crate::secret::Secret;

/// Largest request body the API accepts, in bytes (64 KiB).
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Longest `endUserId`, in characters.
pub const MAX_END_USER_ID_CHARS: usize = 256;
/// Longest `companyName`, in characters.
pub const MAX_COMPANY_NAME_CHARS: usize = 128;
/// Longest `companyLogoUri`, in characters.
pub const MAX_LOGO_URI_CHARS: usize = 2048;
/// Longest `Idempotency-Key` header value, in characters.
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;
/// Header that makes a submit safe to retry.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// Header that carries an account token to `/v1/linked-accounts/me`.
pub const ACCOUNT_TOKEN_HEADER: &str = "X-Account-Token";

/// Prefix of a sandbox API key.
pub const API_KEY_PREFIX: &str = "sk_sandbox_";
/// Prefix of a sandbox link token.
pub const LINK_TOKEN_PREFIX: &str = "link_sandbox_";
/// Prefix of a sandbox public token.
pub const PUBLIC_TOKEN_PREFIX: &str = "public_sandbox_";
/// Prefix of an account token.
pub const ACCOUNT_TOKEN_PREFIX: &str = "acc_";

/// Declares a wire enum once: each variant beside its wire name. It derives
/// the serde names, `as_str` and `ALL` from that one list, so a new variant
/// cannot miss any of them, and the contract tests (`tests/contracts.rs`)
/// walk `ALL` against `spec/`.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $wire)] $variant, )+
        }

        impl $name {
            /// Every variant, in the order the contract lists them.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }
    };
}
pub(crate) use wire_enum;

/// The API's paths, as `spec/openapi.yaml` lists them (checked by
/// `tests/contracts.rs`).
pub mod paths {
    /// `POST`: a backend creates a link token.
    pub const LINK_TOKEN: &str = "/v1/link/token";
    /// `POST`: a backend exchanges a public token for an account token.
    pub const EXCHANGE_PUBLIC_TOKEN: &str = "/v1/linked-accounts/token";
    /// `GET`, `DELETE`: the account an account token stands for.
    pub const LINKED_ACCOUNT: &str = "/v1/linked-accounts/me";
    /// `GET`: the widget loads its session.
    pub const SESSION: &str = "/v1/link/session";
    /// `POST`: the widget sends a step's values.
    pub const SUBMIT: &str = "/v1/link/session/submit";
    /// `POST`: the widget ends the session.
    pub const EXIT: &str = "/v1/link/session/exit";
    /// Every path above.
    pub const ALL: &[&str] = &[
        LINK_TOKEN,
        EXCHANGE_PUBLIC_TOKEN,
        LINKED_ACCOUNT,
        SESSION,
        SUBMIT,
        EXIT,
    ];
}

/// The `"status": "ok"` marker of every success body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Ok {
    /// The only value: `"ok"`.
    #[default]
    Ok,
}

/// The `"status": "error"` marker of every error body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ErrorStatus {
    /// The only value: `"error"`.
    #[default]
    Error,
}

// ---------------------------------------------------------------- errors ----

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
        /// 400: the body failed validation; `errors` lists each field.
        ValidationError = "VALIDATION_ERROR",
        /// 404: unknown path or resource.
        NotFound = "NOT_FOUND",
        /// 405: a known path with a method it does not serve (project decision).
        MethodNotAllowed = "METHOD_NOT_ALLOWED",
        /// 409: e.g. a submit to a finished session.
        Conflict = "CONFLICT",
        /// 413: body over 64 KiB.
        PayloadTooLarge = "PAYLOAD_TOO_LARGE",
        /// 415: a body that is not `application/json` (project decision).
        UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE",
        /// 423: the integration locked the end user's account.
        AccountLocked = "ACCOUNT_LOCKED",
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
            Self::Forbidden => 403,
            Self::ValidationError => 400,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict => 409,
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

// ---------------------------------------------------------- server calls ----

/// Body of `POST /v1/link/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateLinkTokenRequest {
    /// Who is linking, to what, for whom.
    pub link_config: LinkConfig,
}

/// The `linkConfig` of a link-token request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LinkConfig {
    /// The customer's id for the end user, 1–256 characters.
    pub end_user_id: String,
    /// One of the catalogue's integration names, e.g. `"Instagram"`.
    pub integration: String,
    /// Shown in the modal's header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Shown in the modal's header: `https:`, or loopback `http:` in development.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_logo_uri: Option<String>,
}

impl LinkConfig {
    /// Checks lengths and the logo URL; the integration name is the server's to check.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let user_chars = self.end_user_id.chars().count();
        if self.end_user_id.is_empty() {
            errors.push(FieldError::new(
                "linkConfig.endUserId",
                FieldErrorCode::Required,
                "endUserId must not be empty.",
            ));
        } else if user_chars > MAX_END_USER_ID_CHARS {
            errors.push(FieldError::new(
                "linkConfig.endUserId",
                FieldErrorCode::TooLong,
                format!("endUserId must be at most {MAX_END_USER_ID_CHARS} characters."),
            ));
        } else if self.end_user_id.chars().any(char::is_control) {
            errors.push(FieldError::new(
                "linkConfig.endUserId",
                FieldErrorCode::InvalidFormat,
                "endUserId must not contain control characters (such as NUL or a line break).",
            ));
        }
        if let Some(name) = &self.company_name {
            if name.is_empty() {
                errors.push(FieldError::new(
                    "linkConfig.companyName",
                    FieldErrorCode::Required,
                    "companyName, when given, must not be empty.",
                ));
            } else if name.chars().count() > MAX_COMPANY_NAME_CHARS {
                errors.push(FieldError::new(
                    "linkConfig.companyName",
                    FieldErrorCode::TooLong,
                    format!("companyName must be at most {MAX_COMPANY_NAME_CHARS} characters."),
                ));
            } else if !is_display_safe(name) {
                errors.push(FieldError::new(
                    "linkConfig.companyName",
                    FieldErrorCode::InvalidFormat,
                    "companyName must not contain control, bidirectional-override or invisible formatting characters: the modal shows it to the end user.",
                ));
            }
        }
        if let Some(uri) = &self.company_logo_uri {
            if uri.chars().count() > MAX_LOGO_URI_CHARS {
                errors.push(FieldError::new(
                    "linkConfig.companyLogoUri",
                    FieldErrorCode::TooLong,
                    format!("companyLogoUri must be at most {MAX_LOGO_URI_CHARS} characters."),
                ));
            } else if !is_https_or_loopback_url(uri) {
                errors.push(FieldError::new(
                    "linkConfig.companyLogoUri",
                    FieldErrorCode::InvalidFormat,
                    "companyLogoUri must be an https: URL (http://localhost or http://127.0.0.1 in development).",
                ));
            }
        }
        errors
    }
}

/// Success body of `POST /v1/link/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateLinkTokenResponse {
    /// Always `"ok"`.
    pub status: Ok,
    /// `link_sandbox_…`: hand it to the widget.
    pub link_token: String,
    /// RFC 3339.
    pub expires_at: String,
}

/// Body of `POST /v1/linked-accounts/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExchangePublicTokenRequest {
    /// `public_sandbox_…`, from the widget's `onSuccess`.
    pub public_token: String,
}

/// Success body of `POST /v1/linked-accounts/token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExchangePublicTokenResponse {
    /// Always `"ok"`.
    pub status: Ok,
    /// `acc_…`: the permanent credential; keep it on the server.
    pub account_token: String,
}

/// Success body of `GET /v1/linked-accounts/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkedAccountResponse {
    /// Always `"ok"`.
    pub status: Ok,
    /// The account behind the account token.
    pub linked_account: LinkedAccount,
}

/// One end user's linked account, across every integration they linked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkedAccount {
    /// `la_…`.
    pub id: String,
    /// The customer's id for the end user.
    pub end_user_id: String,
    /// RFC 3339.
    pub created_at: String,
    /// One entry per integration login.
    pub integrations: Vec<LinkedIntegration>,
}

/// One integration login inside a linked account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkedIntegration {
    /// e.g. `"Instagram"`.
    pub integration: String,
    /// The login the user linked with.
    pub username: String,
    /// Whether the login still works.
    pub is_alive: bool,
}

/// A body that is only `{ "status": "ok" }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct OkBody {
    /// Always `"ok"`.
    pub status: Ok,
}

// ---------------------------------------------------------- widget calls ----

/// Success body of `GET /v1/link/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionResponse {
    /// Always `"ok"`.
    pub status: Ok,
    /// The session and its current step.
    pub session: LinkSession,
}

/// A link session as the widget sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkSession {
    /// `ls_…`.
    pub id: String,
    /// Which service the user logs in to.
    pub integration: IntegrationBrand,
    /// Shown in the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Shown in the header, already validated by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_logo_uri: Option<String>,
    /// RFC 3339; the link token's expiry.
    pub expires_at: String,
    /// What the user has to fill in now.
    pub step: Step,
}

/// An integration's name and look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationBrand {
    /// Exactly as Keet documents it, e.g. `"Amazon Business"`.
    pub name: String,
    /// `#RRGGBB`.
    pub brand_color: String,
}

/// One step of a session, as the server describes it.
///
/// Read through [`WireStep`] rather than serde's internally tagged enums,
/// whose buffering costs the widget's wasm several kilobytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", try_from = "WireStep")]
pub enum Step {
    /// The login form.
    Credentials(FormStep),
    /// The one-time-code form.
    Mfa(FormStep),
    /// Finished; the submit response carries the public token.
    Done,
}

wire_enum! {
    /// The kinds of step, as the `type` field names them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum StepType {
        /// The login form.
        Credentials = "credentials",
        /// The one-time-code form.
        Mfa = "mfa",
        /// Finished.
        Done = "done",
    }
}

/// A step as it arrives: every field optional, checked by `TryFrom`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireStep {
    r#type: StepType,
    id: Option<String>,
    prompt: Option<String>,
    fields: Option<Vec<FieldSpec>>,
}

impl TryFrom<WireStep> for Step {
    type Error = &'static str;

    fn try_from(wire: WireStep) -> Result<Self, Self::Error> {
        let form = |wire: WireStep| -> Result<FormStep, Self::Error> {
            Ok(FormStep {
                id: wire.id.ok_or("a form step needs an id")?,
                prompt: wire.prompt,
                fields: wire.fields.ok_or("a form step needs fields")?,
            })
        };
        match wire.r#type {
            StepType::Credentials => Ok(Self::Credentials(form(wire)?)),
            StepType::Mfa => Ok(Self::Mfa(form(wire)?)),
            StepType::Done => Ok(Self::Done),
        }
    }
}

impl Step {
    /// The form of this step, unless it is `Done`.
    pub fn form(&self) -> Option<&FormStep> {
        match self {
            Self::Credentials(form) | Self::Mfa(form) => Some(form),
            Self::Done => None,
        }
    }
}

/// A step with a form: its id, an optional prompt and its fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormStep {
    /// `st_…`; a submit names the step it answers.
    pub id: String,
    /// A sentence above the fields, e.g. "Enter the code we texted to •••• 0100".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// The inputs, in order.
    pub fields: Vec<FieldSpec>,
}

wire_enum! {
    /// The kind of an input, which decides its type, keyboard and checks.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    pub enum FieldKind {
        /// Free text (a username, or "email or phone").
        Text = "text",
        /// An email address.
        Email = "email",
        /// A phone number in international form, `+` and 8–15 digits.
        Phone = "phone",
        /// A secret; cleared after submit.
        Password = "password",
        /// A one-time code of `length` digits; a secret.
        Otp = "otp",
    }
}

impl FieldKind {
    /// Whether values of this kind must be wiped after use.
    pub fn is_secret(self) -> bool {
        matches!(self, Self::Password | Self::Otp)
    }

    /// The `<input type>` to render.
    pub fn input_type(self) -> &'static str {
        match self {
            Self::Text | Self::Otp => "text",
            Self::Email => "email",
            Self::Phone => "tel",
            Self::Password => "password",
        }
    }

    /// The `inputmode` to render, where the kind has a better keyboard.
    pub fn input_mode(self) -> Option<&'static str> {
        match self {
            Self::Phone => Some("tel"),
            Self::Otp => Some("numeric"),
            Self::Email => Some("email"),
            Self::Text | Self::Password => None,
        }
    }
}

/// One input of a step, as the server describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldSpec {
    /// The key in the submit's `values`.
    pub name: String,
    /// The visible label.
    pub label: String,
    /// Decides the input type, keyboard and checks.
    pub kind: FieldKind,
    /// The `autocomplete` token, e.g. `current-password` or `one-time-code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autocomplete: Option<String>,
    /// Whether an empty value is refused.
    #[serde(default)]
    pub required: bool,
    /// Longest accepted value, in characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_length: Option<u32>,
    /// For `otp`: the exact number of digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u32>,
}

impl FieldSpec {
    /// Checks one typed value against this field: what the widget shows next
    /// to the input and what the server answers, from one piece of code.
    ///
    /// ```
    /// use keet_link::protocol::{FieldKind, FieldSpec, FieldErrorCode};
    /// let code = FieldSpec { name: "code".into(), label: "Code".into(), kind: FieldKind::Otp,
    ///     autocomplete: None, required: true, max_length: None, length: Some(6) };
    /// assert_eq!(code.check_value("12345").unwrap_err().0, FieldErrorCode::InvalidFormat);
    /// assert!(code.check_value("123456").is_ok());
    /// ```
    pub fn check_value(&self, value: &str) -> Result<(), (FieldErrorCode, String)> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return if self.required {
                Err((
                    FieldErrorCode::Required,
                    format!("Enter your {}.", self.label.to_ascii_lowercase()),
                ))
            } else {
                Ok(())
            };
        }
        if let Some(max) = self.max_length {
            if value.chars().count() > max as usize {
                return Err((
                    FieldErrorCode::TooLong,
                    format!("{} must be at most {max} characters.", self.label),
                ));
            }
        }
        let problem = match self.kind {
            FieldKind::Text | FieldKind::Password => None,
            FieldKind::Email => {
                (!is_plausible_email(trimmed)).then(|| "Enter a valid email address.".to_owned())
            }
            FieldKind::Phone => (!is_international_phone(trimmed)).then(|| {
                "Enter the phone number with its country code, e.g. +15555550100.".to_owned()
            }),
            FieldKind::Otp => {
                let digits = trimmed.chars().all(|c| c.is_ascii_digit());
                let right_length = self.length.is_none_or(|n| trimmed.len() == n as usize);
                (!(digits && right_length)).then(|| match self.length {
                    Some(n) => format!("Enter the {n}-digit code."),
                    None => "Enter the code, digits only.".to_owned(),
                })
            }
        };
        match problem {
            Some(message) => Err((FieldErrorCode::InvalidFormat, message)),
            None => Ok(()),
        }
    }
}

/// Body of `POST /v1/link/session/submit`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubmitRequest {
    /// The step being answered.
    pub step_id: String,
    /// Field name to typed value. `Debug` shows only the names.
    pub values: SecretValues,
}

/// Typed values of a submit, by field name: each a [`Secret`], so `Debug`
/// shows the names only and every value is wiped when dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(transparent)]
pub struct SecretValues(pub std::collections::BTreeMap<String, Secret>);

impl SecretValues {
    /// The value typed into `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(Secret::expose)
    }
}

/// Success body of `POST /v1/link/session/submit`: the next step, or done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubmitResponse {
    /// Always `"ok"`.
    pub status: Ok,
    /// The next step; `Done` carries a public token.
    pub step: Step,
    /// `public_sandbox_…`, only when `step` is `Done`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_token: Option<Secret>,
    /// Only when `step` is `Done`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<SuccessMetadata>,
}

/// What `onSuccess` receives beside the public token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SuccessMetadata {
    /// e.g. `"Instagram"`.
    pub integration: String,
    /// The login used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `ls_…`.
    pub link_session_id: String,
}

wire_enum! {
    /// Why a session was closed by the widget.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum ExitReason {
        /// Close button, Escape, backdrop or `exit()`.
        UserClosed = "user_closed",
        /// The flow ended in an error the user could not fix.
        Error = "error",
    }
}

/// Body of `POST /v1/link/session/exit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExitRequest {
    /// Why the session ends.
    pub reason: ExitReason,
}

/// Formats 16 random bytes as a UUID v4 (RFC 9562), for `Idempotency-Key`.
///
/// ```
/// use keet_link::protocol::uuid_v4;
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

// ---------------------------------------------------------------- checks ----

/// Whether `text` is safe to show to a person as it is: no control
/// character (Unicode Cc), no bidirectional embedding, override or isolate
/// (U+202A–U+202E, U+2066–U+2069), and no invisible format character that
/// could hide or fake text (U+200B, U+2060–U+2064, U+FEFF, U+FFF9–U+FFFB,
/// U+180E, U+00AD). The joiners (U+200C, U+200D) and the marks (U+200E,
/// U+200F, U+061C) stay allowed: Persian, Indic scripts, emoji and mixed
/// right-to-left text need them, and they reorder nothing.
///
/// ```
/// use keet_link::protocol::is_display_safe;
/// assert!(is_display_safe("Acme Budget"));
/// assert!(is_display_safe("شرکت\u{200C}ها"));
/// assert!(!is_display_safe("Acme\u{202E}evil"));
/// ```
pub fn is_display_safe(text: &str) -> bool {
    !text.chars().any(|c| {
        c.is_control()
            || matches!(
                c,
                '\u{00AD}'
                    | '\u{180E}'
                    | '\u{200B}'
                    | '\u{202A}'..='\u{202E}'
                    | '\u{2060}'..='\u{2064}'
                    | '\u{2066}'..='\u{2069}'
                    | '\u{FEFF}'
                    | '\u{FFF9}'..='\u{FFFB}'
            )
    })
}

/// Whether `uri` is an `https:` URL, or `http:` to `localhost`/`127.0.0.1`
/// for development. Exactly the OpenAPI pattern
/// `^(https://[A-Za-z0-9.-]+|http://(localhost|127\.0\.0\.1))(:[0-9]{1,5})?([/?#][!-~]*)?$`:
/// a lowercase scheme, a plain host (no `user@`), and visible ASCII after it.
///
/// ```
/// use keet_link::protocol::is_https_or_loopback_url;
/// assert!(is_https_or_loopback_url("https://cdn.example.com/logo.png"));
/// assert!(is_https_or_loopback_url("http://127.0.0.1:8080/logo.svg"));
/// assert!(!is_https_or_loopback_url("javascript:alert(1)"));
/// assert!(!is_https_or_loopback_url("http://example.com/logo.png"));
/// ```
pub fn is_https_or_loopback_url(uri: &str) -> bool {
    let (rest, loopback_only) = if let Some(rest) = uri.strip_prefix("https://") {
        (rest, false)
    } else if let Some(rest) = uri.strip_prefix("http://") {
        (rest, true)
    } else {
        return false;
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    if !tail.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return false;
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if let Some(port) = port {
        if port.is_empty() || port.len() > 5 || !port.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    if loopback_only {
        host == "localhost" || host == "127.0.0.1"
    } else {
        !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
    }
}

fn is_plausible_email(value: &str) -> bool {
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.contains('.')
        && !value.chars().any(char::is_whitespace)
}

fn is_international_phone(value: &str) -> bool {
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let Some(digits) = compact.strip_prefix('+') else {
        return false;
    };
    (8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit())
}

/// Removes the separators a person types in a phone number: `+1 (555) 555-0100` → `+15555550100`.
pub fn normalize_phone(value: &str) -> String {
    value
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(kind: FieldKind) -> FieldSpec {
        FieldSpec {
            name: "f".into(),
            label: "Field".into(),
            kind,
            autocomplete: None,
            required: true,
            max_length: Some(20),
            length: (kind == FieldKind::Otp).then_some(6),
        }
    }

    #[test]
    fn empty_required_value_is_refused_with_required() {
        for kind in [FieldKind::Text, FieldKind::Password, FieldKind::Otp] {
            assert_eq!(
                field(kind).check_value("  ").unwrap_err().0,
                FieldErrorCode::Required
            );
        }
    }

    #[test]
    fn email_phone_and_code_are_checked_by_kind() {
        assert!(field(FieldKind::Email).check_value("a@b.co").is_ok());
        assert!(field(FieldKind::Email).check_value("ab.co").is_err());
        assert!(field(FieldKind::Phone)
            .check_value("+1 (555) 555-0100")
            .is_ok());
        assert!(field(FieldKind::Phone).check_value("5555550100").is_err());
        assert!(field(FieldKind::Otp).check_value("12a456").is_err());
        assert!(field(FieldKind::Otp).check_value("1234567").is_err());
        assert!(field(FieldKind::Otp).check_value("123456").is_ok());
    }

    #[test]
    fn too_long_value_is_refused() {
        let long = "x".repeat(21);
        assert_eq!(
            field(FieldKind::Text).check_value(&long).unwrap_err().0,
            FieldErrorCode::TooLong
        );
    }

    #[test]
    fn logo_uri_must_be_https_or_loopback() {
        for good in [
            "https://a.example/x.png",
            "https://a.example:8443",
            "http://localhost:5173/l.svg",
            "http://127.0.0.1/l.png",
        ] {
            assert!(is_https_or_loopback_url(good), "{good}");
        }
        for bad in [
            "javascript:alert(1)",
            "HTTPS://a.example/",
            "data:image/png;base64,AA",
            "http://example.com/l.png",
            "https://",
            "https://user@evil.example/",
            "https://a b.example/",
            "//a.example/x.png",
            "http://localhost.evil.example/",
            "https://a.example:80x/",
        ] {
            assert!(!is_https_or_loopback_url(bad), "{bad}");
        }
    }

    #[test]
    fn display_strings_refuse_what_could_spoof_the_text_and_name_the_field() {
        let config = |end_user_id: &str, company_name: &str| LinkConfig {
            end_user_id: end_user_id.into(),
            integration: "Instagram".into(),
            company_name: Some(company_name.into()),
            company_logo_uri: None,
        };
        for spoof in [
            "Acme\u{202E}gnp.exe",
            "A\u{2066}cme",
            "Ac\u{200B}me",
            "Acme\u{0}",
            "Acme\n",
            "\u{FEFF}Acme",
        ] {
            let errors = config("u", spoof).validate();
            assert_eq!(errors.len(), 1, "{spoof:?}");
            assert_eq!(errors[0].field, "linkConfig.companyName");
            assert_eq!(errors[0].code, FieldErrorCode::InvalidFormat);
            assert!(!errors[0].message.contains(spoof));
        }
        for fine in [
            "Acme Budget",
            "شرکت\u{200C}ها",
            "👩\u{200D}💻 Labs",
            "\u{200F}עברית",
            "Zürich AG",
        ] {
            assert!(config("u", fine).validate().is_empty(), "{fine:?}");
        }
        for control in ["user\u{0}1", "user\n1", "user\u{7F}"] {
            let errors = config(control, "Acme").validate();
            assert_eq!(errors[0].field, "linkConfig.endUserId", "{control:?}");
            assert_eq!(errors[0].code, FieldErrorCode::InvalidFormat);
        }
        // An end-user id is not shown to anyone: bidi marks are the customer's business.
        assert!(config("user\u{202E}1", "Acme").validate().is_empty());
    }

    #[test]
    fn link_config_names_each_bad_field() {
        let config = LinkConfig {
            end_user_id: "u".repeat(257),
            integration: "Instagram".into(),
            company_name: Some(String::new()),
            company_logo_uri: Some(format!("https://a.example/{}", "x".repeat(2048))),
        };
        let fields: Vec<_> = config.validate().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "linkConfig.endUserId",
                "linkConfig.companyName",
                "linkConfig.companyLogoUri"
            ]
        );
    }

    #[test]
    fn secret_values_debug_shows_names_only() {
        let values = SecretValues(
            [("password".to_owned(), Secret::from("pass_good"))]
                .into_iter()
                .collect(),
        );
        let shown = format!("{values:?}");
        assert!(shown.contains("password") && !shown.contains("pass_good"));
    }

    #[test]
    fn unknown_codes_from_a_newer_server_still_parse() {
        let body: ErrorBody = serde_json::from_str(
            r#"{"status":"error","error":{"code":"SOMETHING_NEW","message":"m"},
                "errors":[{"field":"x","code":"ALSO_NEW","message":"m"}],"extra":1}"#,
        )
        .unwrap();
        assert_eq!(body.error.code, ErrorCode::Unknown);
        assert_eq!(body.errors[0].code, FieldErrorCode::Unknown);
    }

    #[test]
    fn uuid_has_version_and_variant_bits() {
        let id = uuid_v4([0; 16]);
        assert_eq!(id, "00000000-0000-4000-8000-000000000000");
        assert_eq!(id.len(), 36);
    }

    #[test]
    fn every_wire_name_is_what_serde_writes() {
        fn check<T: Serialize + Copy>(all: &[T], name: fn(T) -> &'static str) {
            for &value in all {
                assert_eq!(serde_json::to_value(value).unwrap(), name(value));
            }
        }
        check(ErrorCode::ALL, ErrorCode::as_str);
        check(FieldErrorCode::ALL, FieldErrorCode::as_str);
        check(FieldKind::ALL, FieldKind::as_str);
        check(ExitReason::ALL, ExitReason::as_str);
    }

    #[test]
    fn done_step_and_form_steps_parse_by_type() {
        let done: SubmitResponse = serde_json::from_str(
            r#"{"status":"ok","step":{"type":"done"},"publicToken":"public_sandbox_x",
                "metadata":{"integration":"X","linkSessionId":"ls_1"}}"#,
        )
        .unwrap();
        assert_eq!(done.step, Step::Done);
        let mfa: Step = serde_json::from_str(
            r#"{"type":"mfa","id":"st_1","prompt":"p","fields":[{"name":"code","label":"Code",
                "kind":"otp","length":6,"required":true}]}"#,
        )
        .unwrap();
        assert_eq!(mfa.form().unwrap().fields[0].kind, FieldKind::Otp);
    }

    #[test]
    fn malformed_responses_are_errors_not_panics() {
        for text in [
            r#"{"status":"ok"}"#,
            r#"{"status":"ok","step":{"type":"warp"}}"#,
            r#"{"status":"ok","step":{"type":"mfa"}}"#,
            r#"{"status":"ok","step":{"type":"mfa","id":1,"fields":[]}}"#,
            r#"[]"#,
            r#"null"#,
        ] {
            assert!(
                serde_json::from_str::<SubmitResponse>(text).is_err(),
                "{text}"
            );
        }
    }
}
