//! What the widget sends (request bodies, and the host callbacks' payloads),
//! written by hand as JSON text.
//!
//! The mirror of [`crate::read`]: serde's serializers, monomorphised for
//! serde-wasm-bindgen, cost the wasm more than writing the few shapes it
//! sends (`spec/DECISIONS.md` S10). Each [`Write`] writes what the serde
//! derive of the same type writes (the same members, in the same order,
//! absent ones left out as serde skips them); the tests parse both and
//! compare. The text is [`Zeroizing`]: a submit's body holds what the user
//! typed.

use zeroize::Zeroizing;

use crate::*;

/// JSON text being written: values, arrays and objects, with the commas
/// between them.
#[derive(Default)]
pub struct JsonWriter {
    text: Zeroizing<String>,
    /// A value was just written at this level: the next one needs a comma.
    after_value: bool,
}

impl JsonWriter {
    /// The text written, wiped when dropped.
    pub fn finish(self) -> Zeroizing<String> {
        self.text
    }

    fn separate(&mut self) {
        if self.after_value {
            self.text.push(',');
        }
        self.after_value = false;
    }

    /// `{`; each member with [`Self::member`], then [`Self::end_object`].
    pub fn begin_object(&mut self) {
        self.separate();
        self.text.push('{');
    }

    /// `}`.
    pub fn end_object(&mut self) {
        self.text.push('}');
        self.after_value = true;
    }

    /// `[`; each item as a value, then [`Self::end_array`].
    pub fn begin_array(&mut self) {
        self.separate();
        self.text.push('[');
    }

    /// `]`.
    pub fn end_array(&mut self) {
        self.text.push(']');
        self.after_value = true;
    }

    /// A member's name; its value comes next.
    pub fn member(&mut self, name: &str) {
        self.string(name);
        self.text.push(':');
        self.after_value = false;
    }

    /// A member whose value is the string `value`.
    pub fn string_member(&mut self, name: &str, value: &str) {
        self.member(name);
        self.string(value);
    }

    /// A member whose value is `value`, if there is one (serde's
    /// `skip_serializing_if = "Option::is_none"`).
    pub fn optional_member(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.string_member(name, value);
        }
    }

    /// `null`.
    pub fn null(&mut self) {
        self.separate();
        self.text.push_str("null");
        self.after_value = true;
    }

    /// A string, escaped as JSON requires.
    pub fn string(&mut self, value: &str) {
        self.separate();
        self.text.push('"');
        for c in value.chars() {
            match c {
                '"' => self.text.push_str("\\\""),
                '\\' => self.text.push_str("\\\\"),
                '\n' => self.text.push_str("\\n"),
                '\r' => self.text.push_str("\\r"),
                '\t' => self.text.push_str("\\t"),
                c if u32::from(c) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let code = u32::from(c) as usize;
                    self.text.push_str("\\u00");
                    self.text.push(char::from(HEX[code >> 4]));
                    self.text.push(char::from(HEX[code & 15]));
                }
                c => self.text.push(c),
            }
        }
        self.text.push('"');
        self.after_value = true;
    }
}

/// A value the widget sends as JSON.
pub trait Write {
    /// Writes this value into `out`.
    fn write(&self, out: &mut JsonWriter);
}

/// `value` as JSON text.
pub fn to_json(value: &(impl Write + ?Sized)) -> Zeroizing<String> {
    let mut out = JsonWriter::default();
    value.write(&mut out);
    out.finish()
}

impl<T: Write> Write for [T] {
    fn write(&self, out: &mut JsonWriter) {
        out.begin_array();
        for item in self {
            item.write(out);
        }
        out.end_array();
    }
}

impl<T: Write> Write for Vec<T> {
    fn write(&self, out: &mut JsonWriter) {
        self.as_slice().write(out);
    }
}

impl Write for SubmitRequest {
    fn write(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.string_member("stepId", &self.step_id);
        out.member("values");
        out.begin_object();
        for (name, value) in self.values.iter() {
            out.string_member(name, value.expose());
        }
        out.end_object();
        out.end_object();
    }
}

impl Write for ExitRequest {
    fn write(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.string_member("reason", self.reason.as_str());
        out.end_object();
    }
}

impl Write for SuccessMetadata {
    fn write(&self, out: &mut JsonWriter) {
        out.begin_object();
        out.string_member("integration", &self.integration);
        out.optional_member("username", self.username.as_deref());
        out.string_member("linkSessionId", &self.link_session_id);
        out.string_member("mode", self.mode.as_str());
        out.end_object();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;
    use serde_json::Value;

    /// What serde writes and what is written by hand, both parsed.
    pub(crate) fn both(value: &(impl Write + serde::Serialize)) -> (Value, Value) {
        let by_hand: Value = serde_json::from_str(&to_json(value)).expect("valid JSON");
        (by_hand, serde_json::to_value(value).unwrap())
    }

    /// Every character that JSON escapes, quotes, and text beyond ASCII.
    const AWKWARD: &str = "a\"b\\c/d\n\r\t\u{0}\u{1f}\u{7f} é 名前 😀 \u{2028}";

    #[test]
    fn a_submit_is_written_as_serde_writes_it() {
        let mut values = std::collections::BTreeMap::new();
        values.insert("password".to_owned(), Secret::from(AWKWARD));
        values.insert("user\"name".to_owned(), Secret::from(""));
        let submit = SubmitRequest {
            step_id: "st_1".into(),
            values: values.into_iter().collect(),
        };
        let (by_hand, by_serde) = both(&submit);
        assert_eq!(by_hand, by_serde);
        let poll = SubmitRequest {
            step_id: AWKWARD.into(),
            values: SecretValues::default(),
        };
        let (by_hand, by_serde) = both(&poll);
        assert_eq!(by_hand, by_serde);
        for reason in ExitReason::ALL {
            let (by_hand, by_serde) = both(&ExitRequest { reason: *reason });
            assert_eq!(by_hand, by_serde);
        }
    }

    #[test]
    fn success_metadata_is_written_as_serde_writes_it() {
        for username in [None, Some(AWKWARD.to_owned())] {
            for mode in LinkMode::ALL {
                let metadata = SuccessMetadata {
                    integration: "Amazon Seller".into(),
                    username: username.clone(),
                    link_session_id: "ls_1".into(),
                    mode: *mode,
                };
                let (by_hand, by_serde) = both(&metadata);
                assert_eq!(by_hand, by_serde);
            }
        }
    }

    #[test]
    fn commas_separate_items_and_members_at_every_level() {
        let mut out = JsonWriter::default();
        out.begin_array();
        out.null();
        out.begin_object();
        out.member("a");
        out.begin_array();
        out.end_array();
        out.member("b");
        out.string("c");
        out.end_object();
        out.begin_array();
        out.string("d");
        out.null();
        out.end_array();
        out.end_array();
        assert_eq!(
            out.finish().as_str(),
            r#"[null,{"a":[],"b":"c"},["d",null]]"#
        );
    }
}
