//! Checks of text and identifiers that the widget and the sandbox share.

/// Formats 16 random bytes as a UUID v4 (RFC 9562), for `Idempotency-Key`.
///
/// ```
/// use keet_link_protocol::uuid_v4;
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

/// Whether `text` is safe to show to a person as it is: no control
/// character (Unicode Cc), no bidirectional embedding, override or isolate
/// (U+202A–U+202E, U+2066–U+2069), and no invisible format character that
/// could hide or fake text (U+200B, U+2060–U+2064, U+FEFF, U+FFF9–U+FFFB,
/// U+180E, U+00AD). The joiners (U+200C, U+200D) and the marks (U+200E,
/// U+200F, U+061C) stay allowed: Persian, Indic scripts, emoji and mixed
/// right-to-left text need them, and they reorder nothing.
///
/// ```
/// use keet_link_protocol::is_display_safe;
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
/// use keet_link_protocol::is_https_or_loopback_url;
/// assert!(is_https_or_loopback_url("https://cdn.example.com/logo.png"));
/// assert!(is_https_or_loopback_url("http://127.0.0.1:8080/logo.svg"));
/// assert!(!is_https_or_loopback_url("javascript:alert(1)"));
/// assert!(!is_https_or_loopback_url("http://example.com/logo.png"));
/// ```
pub fn is_https_or_loopback_url(uri: &str) -> bool {
    let loopback_only = if uri.starts_with("https://") {
        false
    } else if uri.starts_with("http://") {
        true
    } else {
        return false;
    };
    let (host, port, tail) = parts_of(uri);
    if !tail.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return false;
    }
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

/// An `http(s)://` URL's host, port (after the first `:` of the authority)
/// and what follows the authority (from the first `/`, `?` or `#`).
pub(crate) fn parts_of(url: &str) -> (&str, Option<&str>, &str) {
    let rest = keet_link_i18n::find(url, "://").map_or(url, |at| &url[at + 3..]);
    // Searched byte by byte, here and below: the standard library's
    // character searches (memchr, word at a time) are a kilobyte of the wasm.
    let end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    match authority.bytes().position(|b| b == b':') {
        Some(colon) => (&authority[..colon], Some(&authority[colon + 1..]), tail),
        None => (authority, None, tail),
    }
}

/// Whether `url`'s host is this machine: `localhost` (or a name under it),
/// `127.x.x.x` or `0.0.0.0`. The widget follows such links (a logo, a help
/// page) only while its API is on this machine too: the sandbox's.
///
/// ```
/// use keet_link_protocol::is_loopback_url;
/// assert!(is_loopback_url("http://127.0.0.1:8080/logo.svg"));
/// assert!(is_loopback_url("https://localhost/logo.svg"));
/// assert!(!is_loopback_url("https://cdn.example.com/logo.png"));
/// assert!(!is_loopback_url("https://127.0.0.1.example.com/logo.png"));
/// ```
pub fn is_loopback_url(url: &str) -> bool {
    let (host, _, _) = parts_of(url);
    host.eq_ignore_ascii_case("localhost")
        || host.ends_with(".localhost")
        || host == "0.0.0.0"
        || host.starts_with("127.") && host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

pub(super) fn is_plausible_email(value: &str) -> bool {
    let Some(at) = value.bytes().rposition(|b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&value[..at], &value[at + 1..]);
    !local.is_empty()
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain.bytes().any(|b| b == b'.')
        && !value.chars().any(char::is_whitespace)
}

pub(super) fn is_international_phone(value: &str) -> bool {
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

/// An `https:` (or loopback `http:`) URL with no query or fragment, whose
/// host and port a browser's URL parser takes as they are: a port up to
/// 65535, no empty label, no IDN (`xn--`) label, and a host that ends in a
/// number only as a dotted IPv4 address (`https://1.2.3.4.5` would make
/// `new URL` throw). The host's `apiBaseUrl` and `frameUrl` follow it, and
/// the loader (js/host.js) has the same rule.
///
/// ```
/// use keet_link_protocol::is_config_url;
/// assert!(is_config_url("https://link.example.com/link/v1/frame"));
/// assert!(!is_config_url("https://1.2.3.4.5"));
/// assert!(!is_config_url("https://a.example:65536"));
/// ```
pub fn is_config_url(url: &str) -> bool {
    let (host, port, _) = parts_of(url);
    // Digits only, at most five (is_https_or_loopback_url checks): no overflow.
    let number = |digits: &[u8]| {
        digits
            .iter()
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
    let octet = |label: &[u8]| {
        (1..=3).contains(&label.len())
            && label.iter().all(u8::is_ascii_digit)
            && (label.len() == 1 || label[0] != b'0')
            && number(label) < 256
    };
    let labels = || host.as_bytes().split(|&b| b == b'.');
    is_https_or_loopback_url(url)
        && !url.bytes().any(|b| b == b'?' || b == b'#')
        && port.is_none_or(|port| number(port.as_bytes()) < 65536)
        && !labels().any(<[u8]>::is_empty)
        // An IDN label: the browser checks its punycode by IDNA tables that
        // neither side ships, so both refuse it rather than disagree.
        && !labels().any(|label| label.get(..4).is_some_and(|head| head.eq_ignore_ascii_case(b"xn--")))
        && (!ends_in_a_number || labels().count() == 4 && labels().all(octet))
}
