//! Which web origins may run the widget for the API key: the sandbox's
//! `--allowed-origins`. A widget request names up to two origins, the
//! browser's `Origin` (the page in the in-page mode, the frame in the
//! framed mode) and the frame's [`EMBEDDER_ORIGIN_HEADER`] (the page that
//! embeds the frame); each must be allowed.
//!
//! [`EMBEDDER_ORIGIN_HEADER`]: keet_link_protocol::EMBEDDER_ORIGIN_HEADER

/// The default of `--allowed-origins`: any loopback page, as
/// `--frame-ancestors` allows by default.
pub const DEFAULT_ALLOWED_ORIGINS: &str = "http://127.0.0.1:* http://localhost:*";

/// A list of allowed origins: exact (`https://shop.example`,
/// `http://127.0.0.1:8081`), or any port of one scheme and host
/// (`http://127.0.0.1:*`, as CSP writes it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedOrigins(Vec<Pattern>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pattern {
    /// `scheme://host[:port]`, compared as a whole.
    Exact(String),
    /// `scheme://host`, with any port or none.
    AnyPort(String),
}

impl AllowedOrigins {
    /// Reads a space-separated list.
    ///
    /// # Errors
    /// A sentence naming `--allowed-origins` and what an entry must look like.
    ///
    /// ```
    /// use keet_sandbox::origins::AllowedOrigins;
    /// let allowed = AllowedOrigins::parse("https://shop.example http://127.0.0.1:*").unwrap();
    /// assert!(allowed.allows("http://127.0.0.1:5173"));
    /// assert!(allowed.allows("https://shop.example"));
    /// assert!(!allowed.allows("https://shop.example:8443"));
    /// assert!(!allowed.allows("https://evil.example"));
    /// assert!(AllowedOrigins::parse("https://shop.example/path").is_err());
    /// ```
    pub fn parse(list: &str) -> Result<Self, String> {
        let patterns = list
            .split_ascii_whitespace()
            .map(|entry| {
                Pattern::parse(entry).ok_or_else(|| {
                    "--allowed-origins takes space-separated origins such as https://shop.example \
or http://127.0.0.1:* (any port), each a scheme and a host with no path"
                        .to_owned()
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self(patterns))
    }

    /// The same list, with `origin` allowed too (the sandbox's own origin,
    /// which serves the link frame).
    pub fn and(mut self, origin: &str) -> Self {
        self.0.push(Pattern::Exact(origin.to_owned()));
        self
    }

    /// Whether `origin`, as a browser sends it, is on the list.
    pub fn allows(&self, origin: &str) -> bool {
        self.0.iter().any(|pattern| match pattern {
            Pattern::Exact(allowed) => allowed == origin,
            Pattern::AnyPort(scheme_host) => origin
                .strip_prefix(scheme_host.as_str())
                .is_some_and(|port| port.is_empty() || port.strip_prefix(':').is_some_and(is_port)),
        })
    }
}

impl Default for AllowedOrigins {
    fn default() -> Self {
        Self::parse(DEFAULT_ALLOWED_ORIGINS).unwrap_or(Self(Vec::new()))
    }
}

fn is_port(digits: &str) -> bool {
    (1..=5).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
}

impl Pattern {
    fn parse(entry: &str) -> Option<Self> {
        let rest = entry
            .strip_prefix("https://")
            .or_else(|| entry.strip_prefix("http://"))?;
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (rest, None),
        };
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        let scheme_host = &entry[..entry.len() - port.map_or(0, |p| p.len() + 1)];
        match port {
            _ if !host_ok => None,
            None => Some(Self::Exact(entry.to_owned())),
            Some("*") => Some(Self::AnyPort(scheme_host.to_owned())),
            Some(digits) if is_port(digits) => Some(Self::Exact(entry.to_owned())),
            Some(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_allows_every_loopback_port_and_nothing_else() {
        let allowed = AllowedOrigins::default();
        for origin in [
            "http://127.0.0.1:8081",
            "http://localhost:5173",
            "http://localhost",
        ] {
            assert!(allowed.allows(origin), "{origin}");
        }
        for origin in [
            "https://127.0.0.1:8081",
            "http://127.0.0.1.evil.example",
            "http://127.0.0.1:80x",
            "http://localhost:8081/",
            "null",
            "",
        ] {
            assert!(!allowed.allows(origin), "{origin}");
        }
    }

    #[test]
    fn a_malformed_entry_names_the_flag() {
        for bad in [
            "shop.example",
            "https://",
            "https://shop.example/",
            "https://Shop.example",
            "https://shop.example:99x",
            "ftp://shop.example",
        ] {
            let error = AllowedOrigins::parse(bad).unwrap_err();
            assert!(error.contains("--allowed-origins"), "{bad}: {error}");
        }
        assert_eq!(AllowedOrigins::parse("").unwrap(), AllowedOrigins(vec![]));
    }

    #[test]
    fn its_own_origin_can_be_added() {
        let allowed = AllowedOrigins::parse("https://shop.example")
            .unwrap()
            .and("https://link.example");
        assert!(allowed.allows("https://link.example"));
        assert!(!allowed.allows("https://other.example"));
    }
}
