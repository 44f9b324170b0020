//! Checks of the host's config that need no browser: the link token's form,
//! the API base URL, the frame's URL, the locale's form, the appearance and
//! the accent colour. The JS boundary reads the config object and calls these.

use crate::flow::KeetLinkError;
use crate::protocol::{is_https_or_loopback_url, parts_of};

/// The API the widget talks to when neither the config nor `configure()` says otherwise.
pub const DEFAULT_API_BASE_URL: &str = "https://api.trykeet.com";
/// Longest link token accepted before asking the API.
const MAX_LINK_TOKEN_CHARS: usize = 512;
/// The code of every config error.
pub const INVALID_CONFIG: &str = "INVALID_CONFIG";
/// Why a `linkToken` function gave no new token: it threw or its promise
/// rejected (the sentence ends what the widget reports).
pub const TOKEN_FUNCTION_REJECTED: &str =
    "linkToken() threw or rejected, so there is no new link token.";
/// Why a `linkToken` function gave no new token: what it gave is not one
/// (never echoed).
pub const TOKEN_FUNCTION_GAVE_NO_TOKEN: &str =
    "linkToken() gave something that is not a link token (it should start with link_).";

/// Checks that `token` looks like a link token (`link_…`, URL-safe characters),
/// without ever putting the token itself in the message.
///
/// ```
/// use keet_link::config::check_link_token;
/// assert!(check_link_token("link_sandbox_0a1b").is_ok());
/// assert_eq!(check_link_token("").unwrap_err().field.as_deref(), Some("linkToken"));
/// ```
pub fn check_link_token(token: &str) -> Result<(), KeetLinkError> {
    let refuse = |message: &str| Err(KeetLinkError::about("linkToken", INVALID_CONFIG, message));
    if token.is_empty() {
        return refuse("linkToken is empty; pass the link token your backend created.");
    }
    if token.len() > MAX_LINK_TOKEN_CHARS {
        return refuse("linkToken is too long to be a link token.");
    }
    if !token.starts_with("link_") {
        return refuse("linkToken is not a link token: it should start with link_ (did you pass a public or account token?).");
    }
    if !token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return refuse("linkToken has characters a link token never has.");
    }
    Ok(())
}

/// Normalises and checks an `apiBaseUrl`: `https:`, or loopback `http:` in
/// development, with no trailing slash.
///
/// ```
/// use keet_link::config::check_api_base_url;
/// assert_eq!(check_api_base_url("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
/// assert!(check_api_base_url("http://api.example.com").is_err());
/// assert!(check_api_base_url("https://a.example:99999").is_err());
/// ```
pub fn check_api_base_url(url: &str) -> Result<String, KeetLinkError> {
    let trimmed = url.trim_end_matches('/');
    checked_url("apiBaseUrl", trimmed)
}

/// Checks a `frameUrl`, the link frame's page: the same rule as
/// `apiBaseUrl`, kept as given (a trailing `/` is part of a page's path).
///
/// ```
/// use keet_link::config::check_frame_url;
/// assert!(check_frame_url("https://link.example.com/link/v1/frame").is_ok());
/// assert_eq!(check_frame_url("http://link.example.com/").unwrap_err().field.as_deref(), Some("frameUrl"));
/// ```
pub fn check_frame_url(url: &str) -> Result<String, KeetLinkError> {
    checked_url("frameUrl", url)
}

/// `url` when [`is_config_url`] takes it, else the error about `field`.
fn checked_url(field: &str, url: &str) -> Result<String, KeetLinkError> {
    if is_config_url(url) {
        Ok(url.to_owned())
    } else {
        Err(KeetLinkError::about(
            field,
            INVALID_CONFIG,
            format!("{field} must be an https: URL (or http://localhost / http://127.0.0.1 in development), with no query or fragment."),
        ))
    }
}

/// An `https:` (or loopback `http:`) URL with no query or fragment, whose
/// host and port a browser's URL parser takes as they are: a port up to
/// 65535, no empty label, and a host that ends in a number only as a
/// dotted IPv4 address (`https://1.2.3.4.5` would make `new URL` throw).
/// The loader (js/host.js) applies the same rule.
fn is_config_url(url: &str) -> bool {
    let (host, port, _) = parts_of(url);
    // Digits only, at most five (is_https_or_loopback_url checks): no overflow.
    let number = |digits: &str| {
        digits
            .bytes()
            .fold(0u32, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0')))
    };
    let last = &host[host
        .bytes()
        .rposition(|b| b == b'.')
        .map_or(0, |dot| dot + 1)..];
    let ends_in_a_number = match last.strip_prefix("0x").or_else(|| last.strip_prefix("0X")) {
        Some(hex) => hex.bytes().all(|b| b.is_ascii_hexdigit()),
        None => last.bytes().all(|b| b.is_ascii_digit()),
    };
    let octet = |label: &str| {
        (1..=3).contains(&label.len())
            && label.bytes().all(|b| b.is_ascii_digit())
            && (label.len() == 1 || !label.starts_with('0'))
            && number(label) < 256
    };
    is_https_or_loopback_url(url)
        && !url.contains(['?', '#'])
        && port.is_none_or(|port| number(port) < 65536)
        && !host.split('.').any(str::is_empty)
        && (!ends_in_a_number || host.split('.').count() == 4 && host.split('.').all(octet))
}

/// Checks a `locale` option: a BCP 47 language tag in form (`es`,
/// `pt-BR`, `zh-Hant-TW`); whether the widget speaks it is negotiated
/// later, falling back by language, then to English.
///
/// ```
/// use keet_link::config::check_locale;
/// assert!(check_locale("pt-BR").is_ok());
/// assert_eq!(check_locale("español").unwrap_err().field.as_deref(), Some("locale"));
/// ```
pub fn check_locale(tag: &str) -> Result<(), KeetLinkError> {
    let mut subtags = tag.split('-');
    let language = subtags.next().unwrap_or_default();
    let well_formed = (2..=8).contains(&language.len())
        && language.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    if well_formed {
        Ok(())
    } else {
        Err(KeetLinkError::about(
            "locale",
            INVALID_CONFIG,
            "locale must be a BCP 47 language tag, e.g. \"es\" or \"pt-BR\".",
        ))
    }
}

/// The modal's colours: the `appearance` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Appearance {
    /// Light, whatever the system says.
    Light,
    /// Dark, whatever the system says.
    Dark,
    /// The system's preference (`prefers-color-scheme`). The default.
    #[default]
    System,
}

impl Appearance {
    /// The option's spelling, also the view's `data-appearance`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Light => "light",
            Self::Dark => "dark",
            Self::System => "system",
        }
    }
}

/// Checks an `appearance` option.
///
/// ```
/// use keet_link::config::{check_appearance, Appearance};
/// assert_eq!(check_appearance("dark").unwrap(), Appearance::Dark);
/// assert_eq!(check_appearance("Dark").unwrap_err().field.as_deref(), Some("appearance"));
/// ```
pub fn check_appearance(value: &str) -> Result<Appearance, KeetLinkError> {
    [Appearance::Light, Appearance::Dark, Appearance::System]
        .into_iter()
        .find(|appearance| appearance.as_str() == value)
        .ok_or_else(|| {
            KeetLinkError::about(
                "appearance",
                INVALID_CONFIG,
                "appearance must be \"light\", \"dark\" or \"system\" (the default).",
            )
        })
}

/// Checks an `accentColor` option: `#RRGGBB`. Text on it is black or
/// white, whichever contrasts more, which is always at least 4.58:1
/// (WCAG AA); see [`crate::colour::readable_text_on`].
///
/// ```
/// use keet_link::config::check_accent_color;
/// assert!(check_accent_color("#0A66C2").is_ok());
/// assert_eq!(check_accent_color("blue").unwrap_err().field.as_deref(), Some("accentColor"));
/// ```
pub fn check_accent_color(value: &str) -> Result<(), KeetLinkError> {
    if crate::colour::is_hex_colour(value) {
        Ok(())
    } else {
        Err(KeetLinkError::about(
            "accentColor",
            INVALID_CONFIG,
            "accentColor must be a colour as #RRGGBB, e.g. \"#0A66C2\".",
        ))
    }
}

/// How the modal looks: the `appearance` and `accentColor` options, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Look {
    /// Light, dark or the system's.
    pub appearance: Appearance,
    /// `#RRGGBB` for the buttons and badge, instead of the integration's colour.
    pub accent_color: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_link_tokens_are_named_and_never_echoed() {
        for bad in [
            "",
            "public_sandbox_abc",
            "link_ab cd",
            "link_<script>",
            &"link_x".repeat(100),
        ] {
            let error = check_link_token(bad).unwrap_err();
            assert_eq!(error.field.as_deref(), Some("linkToken"));
            assert_eq!(error.code, INVALID_CONFIG);
            if !bad.is_empty() {
                assert!(!error.message.contains(bad), "{}", error.message);
            }
        }
    }

    /// The loader (js/host.js) checks the same config before any wasm
    /// exists; both are held to spec/config-vectors.json.
    #[test]
    fn the_shared_config_vectors_hold() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../spec/config-vectors.json")).unwrap();
        let strings = |path: &str| -> Vec<String> {
            vectors
                .pointer(path)
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect()
        };
        // Each rule accepts its "accept" values and refuses its "refuse" ones.
        type Accepts = dyn Fn(&str) -> bool;
        let rules: [(&str, &Accepts); 6] = [
            ("linkToken", &|v| check_link_token(v).is_ok()),
            ("apiBaseUrl", &|v| check_api_base_url(v).is_ok()),
            ("frameUrl", &|v| check_frame_url(v).is_ok()),
            ("locale", &|v| check_locale(v).is_ok()),
            ("appearance", &|v| check_appearance(v).is_ok()),
            ("accentColor", &|v| check_accent_color(v).is_ok()),
        ];
        for (name, accepts) in rules {
            if name != "apiBaseUrl" {
                for value in strings(&format!("/{name}/accept")) {
                    assert!(accepts(&value), "{name} refused {value:?}");
                }
            }
            for value in strings(&format!("/{name}/refuse")) {
                assert!(!accepts(&value), "{name} accepted {value:?}");
            }
        }
        // apiBaseUrl's "accept" values are pairs: given, normalised.
        for pair in vectors
            .pointer("/apiBaseUrl/accept")
            .unwrap()
            .as_array()
            .unwrap()
        {
            let (given, normalised) = (pair[0].as_str().unwrap(), pair[1].as_str().unwrap());
            assert_eq!(
                check_api_base_url(given).as_deref().ok(),
                Some(normalised),
                "{given}"
            );
        }
    }

    #[test]
    fn api_base_url_must_be_https_or_loopback() {
        assert_eq!(
            check_api_base_url("https://api.trykeet.com").unwrap(),
            DEFAULT_API_BASE_URL
        );
        assert!(check_api_base_url("http://localhost:8080").is_ok());
        for bad in [
            "",
            "api.trykeet.com",
            "http://evil.example",
            "https://a.example/?x=1",
            "javascript:x",
        ] {
            assert_eq!(
                check_api_base_url(bad).unwrap_err().field.as_deref(),
                Some("apiBaseUrl")
            );
        }
    }
}
