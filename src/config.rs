//! Checks of the host's config that need no browser: the link token's form,
//! the API base URL and the locale's form. The JS boundary reads the config object and calls these.

use crate::flow::KeetLinkError;
use crate::protocol::is_https_or_loopback_url;

/// The API the widget talks to when neither the config nor `configure()` says otherwise.
pub const DEFAULT_API_BASE_URL: &str = "https://api.trykeet.com";
/// Longest link token accepted before asking the API.
const MAX_LINK_TOKEN_CHARS: usize = 512;
/// The code of every config error.
pub const INVALID_CONFIG: &str = "INVALID_CONFIG";

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
/// ```
pub fn check_api_base_url(url: &str) -> Result<String, KeetLinkError> {
    let trimmed = url.trim_end_matches('/');
    if is_https_or_loopback_url(trimmed) && !trimmed.contains(['?', '#']) {
        Ok(trimmed.to_owned())
    } else {
        Err(KeetLinkError::about(
            "apiBaseUrl",
            INVALID_CONFIG,
            "apiBaseUrl must be an https: URL (or http://localhost / http://127.0.0.1 in development), with no query or fragment.",
        ))
    }
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
        for token in strings("/linkToken/accept") {
            assert!(check_link_token(&token).is_ok(), "{token}");
        }
        for token in strings("/linkToken/refuse") {
            assert!(check_link_token(&token).is_err(), "{token}");
        }
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
        for url in strings("/apiBaseUrl/refuse") {
            assert!(check_api_base_url(&url).is_err(), "{url}");
        }
        for tag in strings("/locale/accept") {
            assert!(check_locale(&tag).is_ok(), "{tag}");
        }
        for tag in strings("/locale/refuse") {
            assert!(check_locale(&tag).is_err(), "{tag}");
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
