//! JSON request bodies: every failure is a sentence that names the field.

use keet_link::protocol::FieldErrorCode;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Parses a JSON request body into `T`. Every failure is a sentence for a
/// person that names the field (`body` for the body as a whole), never a
/// Rust type, and never echoes a value.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let body_error = |code, message: String| ApiError::field("body", code, message);
    if let Some(encoding) = non_utf8_encoding(bytes) {
        return Err(body_error(
            FieldErrorCode::MalformedJson,
            format!("The body must be JSON in UTF-8; it looks like {encoding}."),
        ));
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if let Some(kind) = first
        .and_then(json_kind)
        .filter(|kind| *kind != "an object")
    {
        return Err(body_error(
            FieldErrorCode::InvalidType,
            format!("The body must be a JSON object, not {kind}."),
        ));
    }
    let malformed = |error: &serde_json::Error| {
        let text = error.to_string();
        let reason = text.split(" at line ").next().unwrap_or("");
        body_error(
            FieldErrorCode::MalformedJson,
            format!(
                "The body is not valid JSON: {reason} (line {}, column {}).",
                error.line(),
                error.column()
            ),
        )
    };
    match duplicate_key(bytes) {
        Ok(Some(field)) => {
            return Err(ApiError::field(
                &field,
                FieldErrorCode::DuplicateField,
                format!("{field} appears more than once; send each field once."),
            ))
        }
        Ok(None) => {}
        Err(error) => return Err(malformed(&error)),
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    if let Ok(value) = parsed {
        return match deserializer.end() {
            Ok(()) => Ok(value),
            Err(error) => Err(malformed(&error)),
        };
    }
    parsed.map_err(|error| {
        let path = error.path().to_string();
        let inner = error.inner();
        if !inner.is_data() {
            return malformed(inner);
        }
        let text = inner.to_string();
        let text = text.split(" at line ").next().unwrap_or("");
        let expected = text.rsplit_once(", expected ").map(|(_, e)| e);
        let missing_name = text.split('`').nth(1).unwrap_or("");
        let join = |child: &str| {
            if path == "." || path.is_empty() {
                child.to_owned()
            } else {
                format!("{path}.{child}")
            }
        };
        let whole = if path == "." || path.is_empty() {
            "body".to_owned()
        } else {
            path.clone()
        };
        if text.starts_with("missing field") {
            let field = join(missing_name);
            ApiError::field(
                &field,
                FieldErrorCode::Required,
                format!("{field} is required."),
            )
        } else if text.starts_with("unknown field") {
            // The path already ends with the unknown key.
            let field = whole.clone();
            ApiError::field(
                &field,
                FieldErrorCode::UnknownField,
                format!("{field} is not a field of this request."),
            )
        } else if text.starts_with("unknown variant") {
            ApiError::field(
                &whole,
                FieldErrorCode::InvalidValue,
                format!(
                    "{whole} must be one of {}.",
                    expected.unwrap_or("the documented values")
                ),
            )
        } else {
            let wanted = expected.map_or("of the documented type", describe_expected);
            let message = match received_kind(text) {
                Some(got) if got != wanted => format!("{whole} must be {wanted}, not {got}."),
                _ => format!("{whole} must be {wanted}."),
            };
            ApiError::field(&whole, FieldErrorCode::InvalidType, message)
        }
    })
}

/// "UTF-16" or "UTF-32" when `bytes` start like a JSON text in one of them
/// (a byte-order mark, or NUL bytes around the first character).
fn non_utf8_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0, 0, 0xFE, 0xFF, ..] | [0xFF, 0xFE, 0, 0, ..] => Some("UTF-32"),
        [0, 0, 0, _, ..] | [_, 0, 0, 0, ..] => Some("UTF-32"),
        [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] | [0, _, ..] | [_, 0, ..] => Some("UTF-16"),
        _ => None,
    }
}

/// The kind of JSON value that starts with `byte`, as a person says it.
fn json_kind(byte: u8) -> Option<&'static str> {
    Some(match byte {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b'-' | b'0'..=b'9' => "a number",
        b't' | b'f' => "true or false",
        b'n' => "null",
        _ => return None,
    })
}

/// serde's "expected …" in JSON's words.
fn describe_expected(expected: &str) -> &'static str {
    let word = expected.trim_start_matches("a ").trim_start_matches("an ");
    if word.starts_with("struct") || word.starts_with("map") {
        "a JSON object"
    } else if word.starts_with("sequence") || word.starts_with("tuple") {
        "a JSON array"
    } else if word.contains("string") {
        "a string"
    } else if word.starts_with('u') || word.starts_with('i') || word.starts_with('f') {
        "a number"
    } else if word.starts_with("bool") {
        "true or false"
    } else {
        "of the documented type"
    }
}

/// What serde says it got ("invalid type: sequence, …"), in JSON's words;
/// never the value itself.
fn received_kind(text: &str) -> Option<&'static str> {
    if text.starts_with("invalid length") {
        // A sequence deserialised into a struct.
        return Some("an array");
    }
    let got = text.strip_prefix("invalid type: ")?;
    let word = got.split([' ', ',']).next().unwrap_or("");
    Some(match word {
        "sequence" => "an array",
        "map" => "an object",
        "string" => "a string",
        "integer" | "floating" => "a number",
        "boolean" => "true or false",
        "null" | "unit" => "null",
        _ => return None,
    })
}

/// The dotted path of the first key that appears twice in one JSON object,
/// at any depth (`linkConfig.endUserId`, `values.password`), or `None`.
/// serde keeps the last of two equal keys in a map without a word, and a
/// struct's own error names no field: a body with a repeated key is
/// ambiguous, so it is refused with its name.
fn duplicate_key(bytes: &[u8]) -> Result<Option<String>, serde_json::Error> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::cell::RefCell;

    struct Walk<'a> {
        path: String,
        found: &'a RefCell<Option<String>>,
    }

    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0;
            while seq
                .next_element_seed(Walk {
                    path: format!("{}[{index}]", self.path),
                    found: self.found,
                })?
                .is_some()
            {
                index += 1;
            }
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::BTreeSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = if self.path.is_empty() {
                    key.clone()
                } else {
                    format!("{}.{key}", self.path)
                };
                if !seen.insert(key) && self.found.borrow().is_none() {
                    *self.found.borrow_mut() = Some(path.clone());
                }
                if self.found.borrow().is_some() {
                    map.next_value::<IgnoredAny>()?;
                } else {
                    map.next_value_seed(Walk {
                        path,
                        found: self.found,
                    })?;
                }
            }
            Ok(())
        }
    }

    let found = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    Walk {
        path: String::new(),
        found: &found,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(found.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use keet_link::protocol::{
        CreateLinkTokenRequest, ExchangePublicTokenRequest, ExitRequest, SubmitRequest,
    };

    fn field_of(
        result: Result<CreateLinkTokenRequest, ApiError>,
    ) -> (String, FieldErrorCode, String) {
        match result {
            Err(ApiError::Validation(errors)) => {
                let e = &errors[0];
                (e.field.clone(), e.code, e.message.clone())
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn malformed_json_is_named_as_the_body() {
        let (field, code, _) = field_of(parse_json(b"{\"linkConfig\":"));
        assert_eq!(
            (field.as_str(), code),
            ("body", FieldErrorCode::MalformedJson)
        );
        let (field, code, _) = field_of(parse_json(
            br#"{"linkConfig":{"endUserId":"u","integration":"X"}} trailing"#,
        ));
        assert_eq!(
            (field.as_str(), code),
            ("body", FieldErrorCode::MalformedJson)
        );
    }

    #[test]
    fn missing_unknown_and_mistyped_fields_are_named() {
        let (field, code, _) = field_of(parse_json(b"{}"));
        assert_eq!(
            (field.as_str(), code),
            ("linkConfig", FieldErrorCode::Required)
        );
        let (field, code, _) = field_of(parse_json(
            br#"{"linkConfig":{"endUserId":"u","integration":"X","colour":1}}"#,
        ));
        assert_eq!(
            (field.as_str(), code),
            ("linkConfig.colour", FieldErrorCode::UnknownField)
        );
        let (field, code, message) = field_of(parse_json(
            br#"{"linkConfig":{"endUserId":12345,"integration":"X"}}"#,
        ));
        assert_eq!(
            (field.as_str(), code),
            ("linkConfig.endUserId", FieldErrorCode::InvalidType)
        );
        assert!(!message.contains("12345"), "echoed the value: {message}");
    }

    #[test]
    fn wrong_type_messages_never_echo_the_value() {
        let result: Result<ExchangePublicTokenRequest, _> =
            parse_json(br#"{"publicToken":["public_sandbox_secret"]}"#);
        let Err(ApiError::Validation(errors)) = result else {
            panic!("expected a validation error")
        };
        assert!(!errors[0].message.contains("secret"));
        let result: Result<SubmitRequest, _> =
            parse_json(br#"{"stepId":"st_1","values":{"password":987654}}"#);
        let Err(ApiError::Validation(errors)) = result else {
            panic!("expected a validation error")
        };
        assert_eq!(errors[0].field, "values.password");
        assert!(
            !errors[0].message.contains("987654"),
            "{}",
            errors[0].message
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_to_a_value_or_a_named_error(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            check_never_panics(&bytes);
        }

        #[test]
        fn json_shaped_noise_parses_to_a_value_or_a_named_error(text in r#"[{}\[\]":,a-zA-Z0-9 ]{0,200}"#) {
            check_never_panics(text.as_bytes());
        }
    }

    fn check_never_panics(bytes: &[u8]) {
        for result in [
            parse_json::<CreateLinkTokenRequest>(bytes).err(),
            parse_json::<SubmitRequest>(bytes).err(),
            parse_json::<ExitRequest>(bytes).err(),
        ]
        .into_iter()
        .flatten()
        {
            let ApiError::Validation(errors) = result else {
                panic!("a parse error that is not a validation error: {result:?}");
            };
            assert!(!errors.is_empty() && errors.iter().all(|e| !e.field.is_empty()));
        }
    }
}
