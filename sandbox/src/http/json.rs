//! JSON request bodies: every failure is a sentence that names the field.
//!
//! Built from structure, never from an error's text: a syntax error from
//! serde_json's category, line and column; a data error from what serde
//! tells the error type itself ([`DataError`]: the missing field, the kind
//! of value it got, the variants it knows), at the path
//! serde_path_to_error records.

use std::fmt;

use keet_link_protocol::FieldErrorCode;
use serde::de::{self, DeserializeOwned, Expected, Unexpected};
use serde_json::error::Category;

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
    if nested_deeper_than(bytes, MAX_NESTING) {
        return Err(body_error(
            FieldErrorCode::MalformedJson,
            format!("The body nests arrays and objects more than {MAX_NESTING} levels deep."),
        ));
    }
    // The walk reads the whole text: a syntax error is found here, before
    // any field is looked at.
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
    let value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|error| malformed(&error))?;
    serde_path_to_error::deserialize(Json::<DataError>::new(value)).map_err(|error| {
        let path = error.path().to_string();
        let whole = if path == "." || path.is_empty() {
            "body".to_owned()
        } else {
            path
        };
        data_error(whole, error.into_inner())
    })
}

/// serde_json's own limit on nested arrays and objects, said before it is hit.
const MAX_NESTING: usize = 128;

/// Whether arrays and objects in `bytes` nest deeper than `limit` (brackets
/// inside strings do not count).
fn nested_deeper_than(bytes: &[u8], limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in bytes {
        match (in_string, escaped, byte) {
            (true, true, _) => escaped = false,
            (true, false, b'\\') => escaped = true,
            (true, false, b'"') => in_string = false,
            (true, false, _) => {}
            (false, _, b'"') => in_string = true,
            (false, _, b'[' | b'{') => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            (false, _, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// A syntax error, by serde_json's category and position.
fn malformed(error: &serde_json::Error) -> ApiError {
    let what = match error.classify() {
        Category::Eof => "it ends too early",
        _ => "a syntax error",
    };
    ApiError::field(
        "body",
        FieldErrorCode::MalformedJson,
        format!(
            "The body is not valid JSON: {what} (line {}, column {}).",
            error.line(),
            error.column()
        ),
    )
}

/// The sentence for a data error at `whole` (a dotted path, or `body`).
fn data_error(whole: String, error: DataError) -> ApiError {
    let child = |name: &str| {
        if whole == "body" {
            name.to_owned()
        } else {
            format!("{whole}.{name}")
        }
    };
    match error {
        DataError::Missing(name) => {
            let field = child(name);
            ApiError::field(
                &field,
                FieldErrorCode::Required,
                format!("{field} is required."),
            )
        }
        // The path already ends with the unknown key.
        DataError::Unknown => ApiError::field(
            &whole,
            FieldErrorCode::UnknownField,
            format!("{whole} is not a field of this request."),
        ),
        DataError::UnknownVariant(known) => {
            let list = known
                .iter()
                .map(|name| format!("\"{name}\""))
                .collect::<Vec<_>>()
                .join(", ");
            ApiError::field(
                &whole,
                FieldErrorCode::InvalidValue,
                format!("{whole} must be one of {list}."),
            )
        }
        DataError::WrongType { got, wanted } => {
            let message = match got {
                Some(got) if got != wanted => format!("{whole} must be {wanted}, not {got}."),
                _ => format!("{whole} must be {wanted}."),
            };
            ApiError::field(&whole, FieldErrorCode::InvalidType, message)
        }
    }
}

/// What serde tells a deserializer's error, kept as structure: the
/// deserializer below uses it, so a data error never has to be read back
/// from a sentence.
#[derive(Debug)]
enum DataError {
    /// A required field is absent.
    Missing(&'static str),
    /// A field the request does not have.
    Unknown,
    /// A name that is not one of these.
    UnknownVariant(&'static [&'static str]),
    /// A value of the wrong kind: what it was (in JSON's words, never the
    /// value) and what was wanted.
    WrongType {
        got: Option<&'static str>,
        wanted: &'static str,
    },
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the request body does not fit its schema")
    }
}

impl std::error::Error for DataError {}

impl de::Error for DataError {
    /// A check of a type's own (none of the protocol's types has one yet).
    fn custom<T: fmt::Display>(_: T) -> Self {
        Self::WrongType {
            got: None,
            wanted: "of the documented type",
        }
    }
    fn invalid_type(got: Unexpected<'_>, wanted: &dyn Expected) -> Self {
        Self::WrongType {
            got: kind_of(&got),
            wanted: describe_expected(wanted),
        }
    }
    fn invalid_value(got: Unexpected<'_>, wanted: &dyn Expected) -> Self {
        Self::invalid_type(got, wanted)
    }
    /// An array where a struct was wanted.
    fn invalid_length(_: usize, wanted: &dyn Expected) -> Self {
        Self::WrongType {
            got: Some("an array"),
            wanted: describe_expected(wanted),
        }
    }
    fn unknown_variant(_: &str, known: &'static [&'static str]) -> Self {
        Self::UnknownVariant(known)
    }
    fn unknown_field(_: &str, _: &'static [&'static str]) -> Self {
        Self::Unknown
    }
    fn missing_field(name: &'static str) -> Self {
        Self::Missing(name)
    }
}

/// What a value was, in JSON's words; never the value itself.
fn kind_of(got: &Unexpected<'_>) -> Option<&'static str> {
    Some(match got {
        Unexpected::Seq => "an array",
        Unexpected::Map => "an object",
        Unexpected::Str(_) | Unexpected::Char(_) => "a string",
        Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => "a number",
        Unexpected::Bool(_) => "true or false",
        Unexpected::Unit | Unexpected::Option => "null",
        _ => return None,
    })
}

/// What a type wanted, in JSON's words. serde says it only as a phrase for
/// people (`struct LinkConfig`, `a string`, `u32`); this maps the phrase's
/// kind, so that no Rust type name reaches the message.
fn describe_expected(wanted: &dyn Expected) -> &'static str {
    let phrase = wanted.to_string();
    let word = phrase.trim_start_matches("a ").trim_start_matches("an ");
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

/// A parsed JSON value as a serde deserializer whose error is `E`: the
/// same data as serde_json's own, with an error type that keeps structure.
struct Json<E> {
    value: serde_json::Value,
    error: std::marker::PhantomData<E>,
}

impl<E> Json<E> {
    fn new(value: serde_json::Value) -> Self {
        Self {
            value,
            error: std::marker::PhantomData,
        }
    }
}

impl<'de, E: de::Error> de::IntoDeserializer<'de, E> for Json<E> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de, E: de::Error> de::Deserializer<'de> for Json<E> {
    type Error = E;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        use serde_json::Value;
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
                (Some(u), _, _) => visitor.visit_u64(u),
                (_, Some(i), _) => visitor.visit_i64(i),
                (_, _, Some(f)) => visitor.visit_f64(f),
                _ => visitor.visit_unit(),
            },
            Value::String(s) => visitor.visit_string(s),
            Value::Array(items) => {
                let mut seq = de::value::SeqDeserializer::new(items.into_iter().map(Json::new));
                let value = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(value)
            }
            Value::Object(entries) => {
                let mut map = de::value::MapDeserializer::new(
                    entries
                        .into_iter()
                        .map(|(key, value)| (key, Json::new(value))),
                );
                let value = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(value)
            }
        }
    }

    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            serde_json::Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: de::Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: de::Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.value {
            // A unit variant, as the protocol's enums are.
            serde_json::Value::String(name) => {
                visitor.visit_enum(de::IntoDeserializer::<E>::into_deserializer(name))
            }
            other => Json::new(other).deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
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
    use keet_link_protocol::{
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
    fn nesting_is_counted_outside_strings_only() {
        assert!(nested_deeper_than(&[b'['; 129], 128));
        assert!(!nested_deeper_than(&[b'['; 128], 128));
        let quoted = format!("{{\"a\":\"{}\\\"\"}}", "[".repeat(200));
        assert!(!nested_deeper_than(quoted.as_bytes(), 128), "{quoted}");
    }

    #[test]
    fn an_unknown_variant_lists_the_known_ones() {
        let result: Result<ExitRequest, _> = parse_json(br#"{"reason":"bored"}"#);
        let Err(ApiError::Validation(errors)) = result else {
            panic!("expected a validation error")
        };
        assert_eq!(errors[0].field, "reason");
        assert_eq!(errors[0].code, FieldErrorCode::InvalidValue);
        assert_eq!(
            errors[0].message,
            "reason must be one of \"user_closed\", \"error\"."
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
