//! The answers the widget reads (session, submit, resend, exit, and every
//! error body), read by hand from parsed JSON.
//!
//! serde's derived deserializers, monomorphised for serde-wasm-bindgen,
//! with the float formatting their error messages keep alive, were the
//! largest part of the widget's wasm that is neither the view nor the
//! framework (`spec/DECISIONS.md` S10). Each [`Read`] here reads exactly
//! what the serde derive of the same type reads: the same members, the same
//! defaults, unknown members ignored. It accepts a little more (a `null`
//! where serde wants a list, a bool or a mode reads as the default). The
//! tests read every value serde writes, and the sandbox's API tests read
//! every answer they get both ways (`sandbox/tests/support`), so a member
//! added to a type and not here fails a test.
//!
//! [`Json`] is the parsed value: a `JsValue` in the widget, and
//! `serde_json::Value` on the host (feature `serde_json`, and in tests).

use crate::secret::Secret;
use crate::*;

/// A parsed JSON value.
pub trait Json: Sized {
    /// The member `name` of an object: `None` when absent, `null`, or
    /// when this is not an object.
    fn member(&self, name: &str) -> Option<Self>;
    /// The string this is, if it is one.
    fn text(&self) -> Option<String>;
    /// The number this is, if it is one.
    fn number(&self) -> Option<f64>;
    /// The boolean this is, if it is one.
    fn boolean(&self) -> Option<bool>;
    /// The items of the array this is, if it is one.
    fn items(&self) -> Option<Vec<Self>>;
}

/// An answer the widget cannot read: `member` is the JSON name of the
/// member that is missing or of the wrong kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unreadable {
    /// e.g. `"brandColor"`.
    pub member: &'static str,
}

/// A type the widget reads from an answer.
pub trait Read: Sized {
    /// Reads `json`, which is this type's whole value (an object, mostly).
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable>;
}

/// Reads `json` as a `T`.
pub fn read<T: Read, J: Json>(json: &J) -> Result<T, Unreadable> {
    T::read(json)
}

fn wrong(member: &'static str) -> Unreadable {
    Unreadable { member }
}

fn string<J: Json>(json: &J, name: &'static str) -> Result<String, Unreadable> {
    json.member(name)
        .and_then(|value| value.text())
        .ok_or(wrong(name))
}

fn optional_string<J: Json>(json: &J, name: &'static str) -> Result<Option<String>, Unreadable> {
    json.member(name)
        .map(|value| value.text().ok_or(wrong(name)))
        .transpose()
}

fn optional_u32<J: Json>(json: &J, name: &'static str) -> Result<Option<u32>, Unreadable> {
    json.member(name)
        .map(|value| {
            value
                .number()
                .filter(|n| n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(n))
                .map(|n| n as u32)
                .ok_or(wrong(name))
        })
        .transpose()
}

/// A bool that defaults to `false`.
fn flag<J: Json>(json: &J, name: &'static str) -> Result<bool, Unreadable> {
    json.member(name)
        .map_or(Ok(false), |value| value.boolean().ok_or(wrong(name)))
}

fn required<T: Read, J: Json>(json: &J, name: &'static str) -> Result<T, Unreadable> {
    T::read(&json.member(name).ok_or(wrong(name))?)
}

fn optional<T: Read, J: Json>(json: &J, name: &'static str) -> Result<Option<T>, Unreadable> {
    json.member(name).map(|value| T::read(&value)).transpose()
}

/// A list that defaults to empty.
fn list<T: Read, J: Json>(json: &J, name: &'static str) -> Result<Vec<T>, Unreadable> {
    Ok(optional_list(json, name)?.unwrap_or_default())
}

/// A list, or `None` when absent.
fn optional_list<T: Read, J: Json>(
    json: &J,
    name: &'static str,
) -> Result<Option<Vec<T>>, Unreadable> {
    json.member(name)
        .map(|value| {
            value
                .items()
                .ok_or(wrong(name))?
                .iter()
                .map(T::read)
                .collect()
        })
        .transpose()
}

/// One of a wire enum's names, as `E::from_wire` knows them.
fn named<E, J: Json>(json: &J, from_wire: fn(&str) -> Option<E>) -> Option<E> {
    json.text().and_then(|text| from_wire(&text))
}

impl Read for Ok {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        match json.text().as_deref() {
            Some("ok") => Ok(Self::Ok),
            _ => Err(wrong("status")),
        }
    }
}

impl Read for LinkMode {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        named(json, Self::from_wire).ok_or(wrong("mode"))
    }
}

impl Read for FieldKind {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        named(json, Self::from_wire).ok_or(wrong("kind"))
    }
}

impl Read for ErrorCode {
    /// A code this build does not know is [`ErrorCode::Unknown`].
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        let text = json.text().ok_or(wrong("code"))?;
        Ok(Self::from_wire(&text).unwrap_or(Self::Unknown))
    }
}

impl Read for FieldErrorCode {
    /// A code this build does not know is [`FieldErrorCode::Unknown`].
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        let text = json.text().ok_or(wrong("code"))?;
        Ok(Self::from_wire(&text).unwrap_or(Self::Unknown))
    }
}

impl Read for SessionResponse {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            status: required(json, "status")?,
            session: required(json, "session")?,
        })
    }
}

impl Read for LinkSession {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            id: string(json, "id")?,
            integration: optional(json, "integration")?,
            company_name: optional_string(json, "companyName")?,
            company_logo_uri: optional_string(json, "companyLogoUri")?,
            expires_at: string(json, "expiresAt")?,
            mode: optional(json, "mode")?.unwrap_or_default(),
            step: required(json, "step")?,
        })
    }
}

impl Read for IntegrationBrand {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            name: string(json, "name")?,
            brand_color: string(json, "brandColor")?,
            forgot_password_url: optional_string(json, "forgotPasswordUrl")?,
            help_url: optional_string(json, "helpUrl")?,
        })
    }
}

impl Read for Box<IntegrationBrand> {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        IntegrationBrand::read(json).map(Box::new)
    }
}

impl Read for IntegrationOption {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            name: string(json, "name")?,
            brand_color: string(json, "brandColor")?,
        })
    }
}

impl Read for ChoiceOption {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            value: string(json, "value")?,
            label: string(json, "label")?,
        })
    }
}

impl Read for Step {
    /// As serde reads it: into a [`WireStep`], then checked by its `TryFrom`.
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        let wire = WireStep {
            r#type: json
                .member("type")
                .and_then(|kind| named(&kind, StepType::from_wire))
                .ok_or(wrong("type"))?,
            id: optional_string(json, "id")?,
            prompt: optional_string(json, "prompt")?,
            fields: optional_list(json, "fields")?,
            resend_after_seconds: optional_u32(json, "resendAfterSeconds")?,
            options: optional_list(json, "options")?,
            poll_after_seconds: optional_u32(json, "pollAfterSeconds")?,
            code_instead: json
                .member("codeInstead")
                .map(|value| value.boolean().ok_or(wrong("codeInstead")))
                .transpose()?,
        };
        Step::try_from(wire).map_err(|_| wrong("step"))
    }
}

impl Read for FieldSpec {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            name: string(json, "name")?,
            label: string(json, "label")?,
            kind: required(json, "kind")?,
            autocomplete: optional_string(json, "autocomplete")?,
            required: flag(json, "required")?,
            max_length: optional_u32(json, "maxLength")?,
            length: optional_u32(json, "length")?,
            value: optional_string(json, "value")?,
            read_only: flag(json, "readOnly")?,
            options: list(json, "options")?,
        })
    }
}

impl Read for ResendResponse {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            status: required(json, "status")?,
            step: required(json, "step")?,
        })
    }
}

impl Read for SubmitResponse {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            status: required(json, "status")?,
            step: required(json, "step")?,
            // Straight into a Secret: no plain copy of the token is kept.
            public_token: optional_string(json, "publicToken")?.map(Secret::from),
            metadata: optional(json, "metadata")?,
            integration: optional(json, "integration")?,
        })
    }
}

impl Read for SuccessMetadata {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            integration: string(json, "integration")?,
            username: optional_string(json, "username")?,
            link_session_id: string(json, "linkSessionId")?,
            mode: optional(json, "mode")?.unwrap_or_default(),
        })
    }
}

impl Read for OkBody {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            status: required(json, "status")?,
        })
    }
}

impl Read for ErrorBody {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        let status = match json.member("status") {
            None => ErrorStatus::Error,
            Some(status) if status.text().as_deref() == Some("error") => ErrorStatus::Error,
            Some(_) => return Err(wrong("status")),
        };
        let detail = json.member("error").ok_or(wrong("error"))?;
        Ok(Self {
            status,
            error: ErrorDetail {
                code: required(&detail, "code")?,
                message: string(&detail, "message")?,
            },
            errors: list(json, "errors")?,
        })
    }
}

impl Read for FieldError {
    fn read<J: Json>(json: &J) -> Result<Self, Unreadable> {
        Ok(Self {
            field: string(json, "field")?,
            code: required(json, "code")?,
            message: string(json, "message")?,
        })
    }
}

#[cfg(any(test, feature = "serde_json"))]
impl Json for serde_json::Value {
    fn member(&self, name: &str) -> Option<Self> {
        self.get(name).filter(|value| !value.is_null()).cloned()
    }

    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn number(&self) -> Option<f64> {
        self.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::DeserializeOwned;
    use serde_json::Value;

    /// Reads `text` both ways: serde's and by hand.
    fn both<T: Read + DeserializeOwned>(text: &str) -> (Option<T>, Option<T>) {
        let value: Value = serde_json::from_str(text).unwrap();
        (
            serde_json::from_value(value.clone()).ok(),
            read::<T, _>(&value).ok(),
        )
    }

    fn agree<T: Read + DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str, readable: bool) {
        let (by_serde, by_hand) = both::<T>(text);
        assert_eq!(by_hand, by_serde, "{text}");
        assert_eq!(by_hand.is_some(), readable, "{text}");
    }

    const SESSION: &str = r##"{"status":"ok","session":{"id":"ls_1",
        "integration":{"name":"Amazon Business","brandColor":"#FF9900",
            "forgotPasswordUrl":"https://example.com/forgot","helpUrl":"https://example.com/help"},
        "companyName":"Acme","companyLogoUri":"https://example.com/logo.png",
        "expiresAt":"2026-12-06T12:00:00Z","mode":"relink","unknown":{"x":[1]},
        "step":{"type":"credentials","id":"st_1","prompt":"Log in",
            "fields":[{"name":"username","label":"Email","kind":"email","autocomplete":"username",
                "required":true,"maxLength":254,"value":"a@example.com","readOnly":true},
              {"name":"password","label":"Password","kind":"password","required":true}]}}}"##;

    #[test]
    fn every_kind_of_answer_reads_by_hand_as_serde_reads_it() {
        agree::<SessionResponse>(SESSION, true);
        agree::<SessionResponse>(
            r##"{"status":"ok","session":{"id":"ls_2","expiresAt":"t",
                "step":{"type":"integration","id":"st_1",
                    "options":[{"name":"X","brandColor":"#000000"},{"name":"Uber","brandColor":"#000000"}]}}}"##,
            true,
        );
        for submit in [
            r#"{"status":"ok","step":{"type":"done"},"publicToken":"public_sandbox_x",
                "metadata":{"integration":"X","linkSessionId":"ls_1"}}"#,
            r#"{"status":"ok","step":{"type":"done"},"publicToken":"p",
                "metadata":{"integration":"X","username":"u","linkSessionId":"ls_1","mode":"relink"}}"#,
            r##"{"status":"ok","integration":{"name":"LinkedIn","brandColor":"#0A66C2"},
                "step":{"type":"credentials","id":"st_2","fields":[{"name":"u","label":"U","kind":"text"}]}}"##,
            r#"{"status":"ok","step":{"type":"mfa","id":"st_3","prompt":"p","resendAfterSeconds":30,
                "fields":[{"name":"code","label":"Code","kind":"otp","length":6,"required":true}]}}"#,
            r#"{"status":"ok","step":{"type":"mfa","id":"st_4","fields":[{"name":"method","label":"Where",
                "kind":"choice","options":[{"value":"sms","label":"Text"},{"value":"email","label":"Email"}]}]}}"#,
            r#"{"status":"ok","step":{"type":"approve","id":"st_5","prompt":"Tap yes",
                "pollAfterSeconds":2,"codeInstead":true}}"#,
        ] {
            agree::<SubmitResponse>(submit, true);
        }
        agree::<ResendResponse>(
            r#"{"status":"ok","step":{"type":"mfa","id":"st_3","resendAfterSeconds":0,
                "fields":[{"name":"code","label":"Code","kind":"otp","length":6}]}}"#,
            true,
        );
        agree::<OkBody>(r#"{"status":"ok"}"#, true);
        for error in [
            r#"{"status":"error","error":{"code":"VALIDATION_ERROR","message":"m"},
                "errors":[{"field":"values.password","code":"REQUIRED","message":"Enter it."},
                          {"field":"x","code":"SOMETHING_NEWER","message":"n"}]}"#,
            r#"{"error":{"code":"A_NEWER_CODE","message":"m"}}"#,
            r#"{"status":"error","error":{"code":"RATE_LIMITED","message":"m"}}"#,
        ] {
            agree::<ErrorBody>(error, true);
        }
    }

    #[test]
    fn what_serde_refuses_is_refused_by_hand() {
        for text in [
            r#"{"status":"ok"}"#,
            r#"{"status":"nope","step":{"type":"done"}}"#,
            r#"{"status":"ok","step":{"type":"warp"}}"#,
            r#"{"status":"ok","step":{"type":"mfa"}}"#,
            r#"{"status":"ok","step":{"type":"mfa","id":1,"fields":[]}}"#,
            r#"{"status":"ok","step":{"type":"integration","id":"st_1","options":[]}}"#,
            r#"{"status":"ok","step":{"type":"approve","id":"st_2"}}"#,
            r#"{"status":"ok","step":{"type":"approve","id":"st_2","pollAfterSeconds":-1}}"#,
            r#"{"status":"ok","step":{"type":"approve","id":"st_2","pollAfterSeconds":1.5}}"#,
            r#"{"status":"ok","step":{"type":"mfa","id":"s","fields":[{"name":"c","label":"C","kind":"retina"}]}}"#,
            r#"{"status":"ok","step":{"type":"mfa","id":"s","fields":[{"name":"c","kind":"otp"}]}}"#,
            r#"{"status":"ok","step":{"type":"done"},"publicToken":7}"#,
            r#"{"status":"ok","step":{"type":"done"},"metadata":{"integration":"X"}}"#,
            r#"[]"#,
            r#"null"#,
            r#""ok""#,
        ] {
            agree::<SubmitResponse>(text, false);
        }
        for text in [
            r#"{"status":"error"}"#,
            r#"{"status":"fine","error":{"code":"X","message":"m"}}"#,
            r#"{"error":{"code":1,"message":"m"}}"#,
            r#"{"error":{"code":"X","message":"m"},"errors":[{"field":"f","code":"REQUIRED"}]}"#,
        ] {
            agree::<ErrorBody>(text, false);
        }
    }

    #[test]
    fn every_value_serde_writes_reads_back_by_hand() {
        let session: SessionResponse = serde_json::from_str(SESSION).unwrap();
        let written = serde_json::to_value(&session).unwrap();
        assert_eq!(read::<SessionResponse, _>(&written), Ok(session));
        let done = SubmitResponse {
            status: Ok::Ok,
            step: Step::Done,
            public_token: Some(Secret::from("public_sandbox_y")),
            metadata: Some(SuccessMetadata {
                integration: "Venmo".into(),
                username: None,
                link_session_id: "ls_9".into(),
                mode: LinkMode::Link,
            }),
            integration: None,
        };
        let written = serde_json::to_value(&done).unwrap();
        assert_eq!(read::<SubmitResponse, _>(&written), Ok(done));
        let error = ErrorBody {
            status: ErrorStatus::Error,
            error: ErrorDetail {
                code: ErrorCode::ALL[0],
                message: "m".into(),
            },
            errors: FieldErrorCode::ALL
                .iter()
                .map(|&code| FieldError::new("f", code, "m"))
                .collect(),
        };
        let written = serde_json::to_value(&error).unwrap();
        assert_eq!(read::<ErrorBody, _>(&written), Ok(error));
    }

    #[test]
    fn an_unreadable_answer_names_the_member() {
        let no_expiry: Value =
            serde_json::from_str(r#"{"status":"ok","session":{"id":"ls","step":{"type":"done"}}}"#)
                .unwrap();
        assert_eq!(
            read::<SessionResponse, _>(&no_expiry),
            Err(Unreadable {
                member: "expiresAt"
            })
        );
        let bad_colour: Value = serde_json::from_str(
            r#"{"status":"ok","step":{"type":"integration","id":"s","options":[{"name":"X","brandColor":0}]}}"#,
        )
        .unwrap();
        assert_eq!(
            read::<SubmitResponse, _>(&bad_colour),
            Err(Unreadable {
                member: "brandColor"
            })
        );
    }
}
