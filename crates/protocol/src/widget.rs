//! The calls the widget makes with a link token: the session, its steps and
//! fields, submit and exit.

use serde::{Deserialize, Serialize};

use super::checks::{is_international_phone, is_plausible_email};
use super::*;
use keet_link_i18n::{decimal, fill, Texts};

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
    /// Which service the user logs in to; absent while the session is at
    /// its `integration` step (the user has not chosen yet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<IntegrationBrand>,
    /// Shown in the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    /// Shown in the header, already validated by the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_logo_uri: Option<String>,
    /// RFC 3339; the link token's expiry.
    pub expires_at: String,
    /// A first link, or the repair of a login that broke.
    #[serde(default)]
    pub mode: LinkMode,
    /// What the user has to fill in now.
    pub step: Step,
}

wire_enum! {
    /// Whether a session links an integration for the first time, or
    /// reconnects one whose login broke (same end user, same integration).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
    pub enum LinkMode {
        /// A first link.
        #[default]
        Link = "link",
        /// The login of a linked integration is asked for again; the
        /// username is the linked one.
        Relink = "relink",
    }
}

/// An integration's name and look.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationBrand {
    /// Exactly as Keet documents it, e.g. `"Amazon Business"`.
    pub name: String,
    /// `#RRGGBB`.
    pub brand_color: String,
    /// Where the user resets a forgotten password with the service itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forgot_password_url: Option<String>,
    /// The service's own help for logging in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help_url: Option<String>,
}

/// One integration the user may choose on an `integration` step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntegrationOption {
    /// The catalogue name, submitted as `values.integration`.
    pub name: String,
    /// `#RRGGBB`.
    pub brand_color: String,
}

/// One option of a `choice` field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChoiceOption {
    /// Submitted as the field's value.
    pub value: String,
    /// What the user reads, e.g. "Text to ••••0100".
    pub label: String,
}

/// What an approve step is submitted with to ask for a code instead
/// (`values: { method: "code" }`), when it offers one (`codeInstead`).
pub const CODE_INSTEAD: (&str, &str) = ("method", "code");

/// One step of a session, as the server describes it.
///
/// Read through [`WireStep`] rather than serde's internally tagged enums,
/// whose buffering costs the widget's wasm several kilobytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase", try_from = "WireStep")]
pub enum Step {
    /// The choice of integration (`options`, no fields), submitted with
    /// `values: { integration }`.
    Integration(FormStep),
    /// The login form.
    Credentials(FormStep),
    /// A second step: a one-time code, a choice, or a question.
    Mfa(FormStep),
    /// Approval on another device (`prompt`, `pollAfterSeconds`, no
    /// fields): submitted with empty `values` to ask whether it came.
    Approve(FormStep),
    /// Finished; the submit response carries the public token.
    Done,
}

wire_enum! {
    /// The kinds of step, as the `type` field names them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    pub enum StepType {
        /// The choice of integration.
        Integration = "integration",
        /// The login form.
        Credentials = "credentials",
        /// A second step with fields.
        Mfa = "mfa",
        /// Approval on another device.
        Approve = "approve",
        /// Finished.
        Done = "done",
    }
}

/// A step as it arrives: every field optional, checked by `TryFrom`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WireStep {
    pub(crate) r#type: StepType,
    pub(crate) id: Option<String>,
    pub(crate) prompt: Option<String>,
    pub(crate) fields: Option<Vec<FieldSpec>>,
    pub(crate) resend_after_seconds: Option<u32>,
    pub(crate) options: Option<Vec<IntegrationOption>>,
    pub(crate) poll_after_seconds: Option<u32>,
    pub(crate) code_instead: Option<bool>,
}

impl TryFrom<WireStep> for Step {
    type Error = &'static str;

    fn try_from(wire: WireStep) -> Result<Self, Self::Error> {
        let kind = wire.r#type;
        if kind == StepType::Done {
            return Ok(Self::Done);
        }
        let step = FormStep {
            id: wire.id.ok_or("a step needs an id")?,
            prompt: wire.prompt,
            fields: wire.fields.unwrap_or_default(),
            resend_after_seconds: wire.resend_after_seconds,
            options: wire.options.unwrap_or_default(),
            poll_after_seconds: wire.poll_after_seconds,
            code_instead: wire.code_instead.unwrap_or(false),
        };
        match kind {
            StepType::Integration if step.options.is_empty() => {
                Err("an integration step needs options")
            }
            StepType::Integration => Ok(Self::Integration(step)),
            StepType::Approve if step.poll_after_seconds.is_none() => {
                Err("an approve step needs pollAfterSeconds")
            }
            StepType::Approve => Ok(Self::Approve(step)),
            _ if step.fields.is_empty() => Err("a form step needs fields"),
            StepType::Credentials => Ok(Self::Credentials(step)),
            _ => Ok(Self::Mfa(step)),
        }
    }
}

impl Step {
    /// The form of this step, unless it is `Done`.
    pub fn form(&self) -> Option<&FormStep> {
        match self {
            Self::Integration(form)
            | Self::Credentials(form)
            | Self::Mfa(form)
            | Self::Approve(form) => Some(form),
            Self::Done => None,
        }
    }
}

/// A step: its id, an optional prompt, its fields, and what its type adds
/// (options to choose from, a poll interval).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FormStep {
    /// `st_…`; a submit names the step it answers.
    pub id: String,
    /// A sentence above the fields, e.g. "Enter the code we texted to •••• 0100".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// The inputs, in order; none on an `integration` or `approve` step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSpec>,
    /// On a code step: seconds until a new code may be asked for
    /// (`POST /v1/link/session/resend`); `0` now. Absent when no new code
    /// can be sent (a password step, or the session's last code was sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resend_after_seconds: Option<u32>,
    /// On an `integration` step: what the user may choose, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<IntegrationOption>,
    /// On an `approve` step: seconds to wait before asking (again) whether
    /// the login was approved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub poll_after_seconds: Option<u32>,
    /// On an `approve` step: the user may ask for a code instead, by
    /// submitting [`CODE_INSTEAD`].
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub code_instead: bool,
}

impl FormStep {
    /// A step of fields only (a login, a code, a choice, a question).
    pub fn of_fields(id: String, prompt: Option<String>, fields: Vec<FieldSpec>) -> Self {
        Self {
            id,
            prompt,
            fields,
            resend_after_seconds: None,
            options: Vec::new(),
            poll_after_seconds: None,
            code_instead: false,
        }
    }
}

/// Success body of `POST /v1/link/session/resend`: the code step again,
/// with its next `resendAfterSeconds`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResendResponse {
    /// Always `"ok"`.
    pub status: Ok,
    /// The code step (`type: "mfa"`).
    pub step: Step,
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
        /// One of the field's `options`, by its `value`.
        Choice = "choice",
    }
}

impl FieldKind {
    /// Whether values of this kind must be wiped after use.
    pub fn is_secret(self) -> bool {
        matches!(self, Self::Password | Self::Otp)
    }

    /// What the widget keeps of what the user typed or pasted: a code keeps
    /// its digits only, so "123 456" and "123-456" (as messages and
    /// authenticator apps show codes) are "123456". Other kinds are kept
    /// as typed.
    ///
    /// ```
    /// use keet_link_protocol::FieldKind;
    /// assert_eq!(FieldKind::Otp.normalise(" 123 456\n"), "123456");
    /// assert_eq!(FieldKind::Password.normalise(" a b "), " a b ");
    /// ```
    pub fn normalise(self, typed: &str) -> std::borrow::Cow<'_, str> {
        match self {
            Self::Otp if !typed.chars().all(|c| c.is_ascii_digit()) => {
                typed.chars().filter(char::is_ascii_digit).collect()
            }
            _ => typed.into(),
        }
    }

    /// Whether the value reads left to right in every language: phone
    /// numbers, codes and email addresses stay so inside right-to-left text.
    pub fn is_left_to_right(self) -> bool {
        matches!(self, Self::Phone | Self::Otp | Self::Email)
    }

    /// The `<input type>` to render.
    pub fn input_type(self) -> &'static str {
        match self {
            Self::Text | Self::Otp => "text",
            Self::Choice => "radio",
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
            Self::Text | Self::Password | Self::Choice => None,
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
    /// A value the server fills in (a re-link's username).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The user cannot change `value`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// For `choice`: what the user may choose, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
}

impl FieldSpec {
    /// The input's `maxlength`. None for a code: a pasted code may carry
    /// separators, and a `maxlength` would cut it before
    /// [`FieldKind::normalise`] drops them; its length is checked instead.
    pub fn input_max_length(&self) -> Option<u32> {
        match self.kind {
            FieldKind::Otp => None,
            _ => self.max_length,
        }
    }

    /// Checks one typed value against this field: what the widget shows next
    /// to the input and what the server answers, from one piece of code.
    ///
    /// ```
    /// use keet_link_protocol::{FieldKind, FieldSpec, FieldErrorCode};
    /// let code = FieldSpec { name: "code".into(), label: "Code".into(), kind: FieldKind::Otp,
    ///     autocomplete: None, required: true, max_length: None, length: Some(6),
    ///     value: None, read_only: false, options: vec![] };
    /// let english = keet_link_i18n::Locale::En.texts();
    /// assert_eq!(code.check_value("12345", english).unwrap_err().0, FieldErrorCode::InvalidFormat);
    /// assert!(code.check_value("123456", english).is_ok());
    /// ```
    pub fn check_value(&self, value: &str, texts: &Texts) -> Result<(), (FieldErrorCode, String)> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return if self.required {
                let message = match self.kind {
                    // "Enter your …" does not fit a choice.
                    FieldKind::Choice => texts.choose_one.to_owned(),
                    _ => texts.with_label(texts.required, &self.label, &[]),
                };
                Err((FieldErrorCode::Required, message))
            } else {
                Ok(())
            };
        }
        if let Some(max) = self.max_length {
            // Characters, counted as the bytes that start one: the standard
            // count's word-at-a-time loop is half a kilobyte of the wasm.
            let length = value.bytes().filter(|b| b & 0xC0 != 0x80).count();
            if length > max as usize {
                return Err((
                    FieldErrorCode::TooLong,
                    fill(
                        texts.too_long,
                        &[("label", &self.label), ("max", &decimal(max.into()))],
                    ),
                ));
            }
        }
        let problem = match self.kind {
            FieldKind::Text | FieldKind::Password => None,
            FieldKind::Choice => {
                if !self.options.iter().any(|option| option.value == trimmed) {
                    return Err((FieldErrorCode::InvalidValue, texts.choose_one.to_owned()));
                }
                None
            }
            FieldKind::Email => {
                (!is_plausible_email(trimmed)).then(|| texts.invalid_email.to_owned())
            }
            FieldKind::Phone => {
                (!is_international_phone(trimmed)).then(|| texts.invalid_phone.to_owned())
            }
            FieldKind::Otp => {
                let digits = trimmed.chars().all(|c| c.is_ascii_digit());
                let right_length = self.length.is_none_or(|n| trimmed.len() == n as usize);
                (!(digits && right_length)).then(|| match self.length {
                    Some(n) => fill(texts.code_of_length, &[("length", &decimal(n.into()))]),
                    None => texts.code_digits_only.to_owned(),
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
/// shows the names only and every value is wiped when dropped. A JSON
/// object on the wire. Held as a short list in the order the values were
/// put in (by name, when read from JSON), not a `BTreeMap`: a form has a few fields, and the map's code
/// cost the link frame's wasm kilobytes (issue 24). As with a map, a name
/// given twice keeps its last value, and the order never matters to `==`.
#[derive(Debug, Clone, Default, Eq)]
pub struct SecretValues(Vec<(String, Secret)>);

impl SecretValues {
    /// The value typed into `name`, if any.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.secret(name).map(Secret::expose)
    }

    /// The value of `name` as the secret it is, if any.
    pub fn secret(&self, name: &str) -> Option<&Secret> {
        self.0
            .iter()
            .find(|(held, _)| held == name)
            .map(|(_, value)| value)
    }

    /// Sets `name` to `value`, in place of any value it had.
    pub fn insert(&mut self, name: String, value: Secret) {
        match self.0.iter_mut().find(|(held, _)| *held == name) {
            Some((_, held)) => *held = value,
            None => self.0.push((name, value)),
        }
    }

    /// How many names have a value.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no name has a value.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Each name with its value, in the order they were put in (by name,
    /// when read from JSON).
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Secret)> {
        self.0.iter().map(|(name, value)| (name.as_str(), value))
    }
}

impl PartialEq for SecretValues {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(name, value)| other.secret(name) == Some(value))
    }
}

impl FromIterator<(String, Secret)> for SecretValues {
    fn from_iter<I: IntoIterator<Item = (String, Secret)>>(pairs: I) -> Self {
        let mut values = Self::default();
        for (name, value) in pairs {
            values.insert(name, value);
        }
        values
    }
}

impl Serialize for SecretValues {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (name, value) in self.iter() {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for SecretValues {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Values;
        impl<'de> serde::de::Visitor<'de> for Values {
            type Value = SecretValues;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of field names to strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<SecretValues, A::Error> {
                // Through a map, not `insert`: a body may hold thousands of
                // names, and `insert` looks through the list for each one.
                // Only the sandbox reads values; the wasm never has this code.
                let mut by_name = std::collections::BTreeMap::new();
                while let Some((name, value)) = map.next_entry::<String, Secret>()? {
                    by_name.insert(name, value);
                }
                Ok(SecretValues(by_name.into_iter().collect()))
            }
        }
        deserializer.deserialize_map(Values)
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
    /// Only in the answer to the `integration` step: the chosen
    /// integration, whose login `step` is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integration: Option<Box<IntegrationBrand>>,
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
    /// A first link, or a re-link.
    #[serde(default)]
    pub mode: LinkMode,
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
