//! One type for every secret: the password and the code the user types, and
//! the link, public and account tokens.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

/// A secret string. `Debug` prints `[redacted]`, and its memory is wiped when
/// it is dropped or replaced. [`Secret::expose`] reads it, only where it
/// leaves on purpose: a request, a callback, the input it was typed into.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// The secret's text.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether nothing was typed or given.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for Secret {
    /// Takes the string's buffer as it is: no copy is left behind.
    fn from(value: String) -> Self {
        Self(Zeroizing::new(value))
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(Zeroizing::new(value.to_owned()))
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_never_shows_in_debug_output_but_serialises_as_its_text() {
        let secret = Secret::from("pass_good");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(&secret)), "Some([redacted])");
        assert_eq!(serde_json::to_string(&secret).unwrap(), "\"pass_good\"");
        let back: Secret = serde_json::from_str("\"pass_good\"").unwrap();
        assert_eq!(back.expose(), "pass_good");
    }
}
