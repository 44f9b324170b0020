//! The calls a customer's backend makes with its API key.

use serde::{Deserialize, Serialize};

use super::*;

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
    /// One of the catalogue's integration names, e.g. `"Instagram"`; without
    /// it the session starts on a choice of integrations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<String>,
    /// The integrations the end user may choose from, when `integration` is
    /// absent (each a catalogue name; none twice); all of them when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrations: Option<Vec<String>>,
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
        [
            (
                "linkConfig.endUserId",
                end_user_id_problem(&self.end_user_id),
            ),
            (
                "linkConfig.companyName",
                self.company_name.as_deref().and_then(company_name_problem),
            ),
            (
                "linkConfig.companyLogoUri",
                self.company_logo_uri.as_deref().and_then(logo_uri_problem),
            ),
        ]
        .into_iter()
        .filter_map(|(field, problem)| {
            problem.map(|(code, message)| FieldError::new(field, code, message))
        })
        .collect()
    }
}

/// What is wrong with a field's value, if anything: its code and a sentence.
type Problem = Option<(FieldErrorCode, String)>;

/// The checks every text field of the link config gets, in order: not
/// empty (when `empty` is its message), at most `max_chars` characters, and
/// `in_form`, else `not_in_form`. The first that fails is the problem.
fn text_problem(
    field: &str,
    value: &str,
    empty: Option<&str>,
    max_chars: usize,
    in_form: fn(&str) -> bool,
    not_in_form: &str,
) -> Problem {
    match empty {
        Some(message) if value.is_empty() => Some((FieldErrorCode::Required, message.into())),
        _ if value.chars().count() > max_chars => Some((
            FieldErrorCode::TooLong,
            format!("{field} must be at most {max_chars} characters."),
        )),
        _ if !in_form(value) => Some((FieldErrorCode::InvalidFormat, not_in_form.into())),
        _ => None,
    }
}

fn end_user_id_problem(id: &str) -> Problem {
    text_problem(
        "endUserId",
        id,
        Some("endUserId must not be empty."),
        MAX_END_USER_ID_CHARS,
        |id| !id.chars().any(char::is_control),
        "endUserId must not contain control characters (such as NUL or a line break).",
    )
}

fn company_name_problem(name: &str) -> Problem {
    text_problem(
        "companyName",
        name,
        Some("companyName, when given, must not be empty."),
        MAX_COMPANY_NAME_CHARS,
        is_display_safe,
        "companyName must not contain control, bidirectional-override or invisible formatting characters: the modal shows it to the end user.",
    )
}

fn logo_uri_problem(uri: &str) -> Problem {
    // An empty URI is not in form: the field is optional, so "given empty" is not "missing".
    text_problem(
        "companyLogoUri",
        uri,
        None,
        MAX_LOGO_URI_CHARS,
        is_https_or_loopback_url,
        "companyLogoUri must be an https: URL (http://localhost or http://127.0.0.1 in development).",
    )
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

/// Body of `POST /v1/sandbox/linked-accounts/me/reset-login`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResetLoginRequest {
    /// The linked integration whose login breaks, e.g. `"Instagram"`.
    pub integration: String,
}

wire_enum! {
    /// The `type` of a webhook event, as the OpenAPI `webhooks:` list them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum WebhookEventType {
        /// A link session ended (`data.status`).
        LinkSessionFinished = "LINK_SESSION_FINISHED",
        /// A linked integration's login stopped working: re-link it.
        IntegrationLoginRequired = "INTEGRATION_LOGIN_REQUIRED",
        /// A re-link repaired a linked integration's login.
        IntegrationReconnected = "INTEGRATION_RECONNECTED",
        /// A linked account was deleted.
        LinkedAccountDeleted = "LINKED_ACCOUNT_DELETED",
    }
}

wire_enum! {
    /// How a link session ended, in `LINK_SESSION_FINISHED`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum LinkSessionStatus {
        /// The user linked (or re-linked) the integration.
        Success = "success",
        /// The user left.
        Exited = "exited",
        /// The integration locked the login.
        Locked = "locked",
        /// The link token expired first.
        Expired = "expired",
        /// The end user denied the login on their other device.
        Denied = "denied",
    }
}

/// One webhook delivery's body. It never carries a token, a password or a
/// code; the same `id` comes again when a delivery is retried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookEvent {
    /// `evt_…`: drop an event whose id you have seen.
    pub id: String,
    /// What happened.
    #[serde(rename = "type")]
    pub event_type: WebhookEventType,
    /// RFC 3339.
    pub created_at: String,
    /// Whom and what it is about.
    pub data: WebhookData,
}

/// The `data` of a webhook event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookData {
    /// The customer's id for the end user.
    pub end_user_id: String,
    /// The integration, when the event is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<String>,
    /// The link session, when the event is about one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link_session_id: Option<String>,
    /// Only on `LINK_SESSION_FINISHED`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<LinkSessionStatus>,
}
