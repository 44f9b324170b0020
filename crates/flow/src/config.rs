//! The host's config, defined once.
//!
//! [`OPTIONS`] lists every option a host may set: its name, its [`Rule`],
//! whether `configure()` takes it and whether the loader passes it to the
//! frame, and (as its doc comment) what the TypeScript declarations say of
//! it. From it come:
//! - [`HostConfig::read`], the one reader: the JS handle of the in-page
//!   mode, the link frame's `init` and the Leptos API all call it;
//! - the loader's table in `js/host.js` (its checks' constants, every
//!   refusal, the element's attributes, what `init` carries) and the option
//!   members of `spec/keet-link.d.ts` and `spec/host-frame.d.ts`, which
//!   `KEET_WRITE=1 cargo test --test contracts` writes and that test holds.
//!
//! Adding an option: its entry in [`host_options!`] below, a getter on
//! [`HostConfig`] if the widget uses it, the code that uses it, and a
//! builder method on `KeetLinkOptions` (Leptos); then run the writer.

use crate::KeetLinkError;
use keet_link_protocol::is_config_url;
use keet_link_protocol::secret::Secret;

/// The API the widget talks to when neither the config nor `configure()` says otherwise.
pub const DEFAULT_API_BASE_URL: &str = "https://api.trykeet.com";
/// Longest link token accepted before asking the API.
pub const MAX_LINK_TOKEN_CHARS: usize = 512;
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

/// How an option's value is checked. The loader implements each rule
/// under its [`name`](Rule::name), and a property test holds both to one
/// verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// `link_…` with URL-safe characters, at most [`MAX_LINK_TOKEN_CHARS`];
    /// or a function that gives one.
    LinkToken,
    /// `https:`, or `http://localhost` / `http://127.0.0.1` in development,
    /// with no query or fragment, that a browser's URL parser takes as it
    /// is. An API's base drops a trailing `/`; a page's URL keeps it (it is
    /// part of the path).
    Url {
        /// `https://api.example/` is read as `https://api.example`.
        drop_trailing_slash: bool,
    },
    /// A BCP 47 language tag in form (`es`, `pt-BR`, `zh-Hant-TW`).
    LanguageTag,
    /// One of `words`; absent means `default`, which is one of them.
    OneOf {
        /// Every allowed value.
        words: &'static [&'static str],
        /// What an absent value means.
        default: &'static str,
    },
    /// A colour as `#RRGGBB`.
    HexColour,
}

impl Rule {
    /// The rule's name in the loader's table.
    pub fn name(self) -> &'static str {
        match self {
            Self::LinkToken => "linkToken",
            Self::Url { .. } => "url",
            Self::LanguageTag => "languageTag",
            Self::OneOf { .. } => "oneOf",
            Self::HexColour => "hexColour",
        }
    }

    /// The option's type in the TypeScript declarations.
    pub fn typescript(self) -> String {
        match self {
            Self::LinkToken => "string | (() => string | Promise<string>)".to_owned(),
            Self::OneOf { words, .. } => words
                .iter()
                .map(|word| format!("\"{word}\""))
                .collect::<Vec<_>>()
                .join(" | "),
            Self::Url { .. } | Self::LanguageTag | Self::HexColour => "string".to_owned(),
        }
    }
}

/// One option of the host's config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigOption {
    /// Its name in JS (`accentColor`); kebab-cased, `<keet-link>`'s attribute.
    pub name: &'static str,
    /// How its value is checked.
    pub rule: Rule,
    /// `configure()` takes it as a default for every widget of the page.
    pub page_wide: bool,
    /// The loader passes it to the link frame in `init`.
    pub sent_to_frame: bool,
    /// The sentence that refuses a value: `<name> must be …` (a link
    /// token's depends on what is wrong: [`LinkTokenRefusal`]).
    pub refusal: &'static str,
}

/// `"<name> must be an https: URL …"`: the refusal of every URL option.
macro_rules! url_refusal {
    ($name:literal) => {
        concat!($name, " must be an https: URL (or http://localhost / http://127.0.0.1 in development), with no query or fragment.")
    };
}

/// Defines each option as a constant, [`OPTIONS`] in this order, and
/// [`declaration_doc`] from their doc comments.
macro_rules! host_options {
    ($( $(#[doc = $doc:literal])+ $constant:ident = $option:expr; )+) => {
        // Statics, not consts: a const is copied into each crate that uses
        // it, and the wasm then carries its strings once per crate.
        $( $(#[doc = $doc])+ pub static $constant: ConfigOption = $option; )+

        /// How many options there are.
        pub const OPTION_COUNT: usize = [$(stringify!($constant)),+].len();

        /// Every option of the host's config, in the declarations' order.
        pub static OPTIONS: [&ConfigOption; OPTION_COUNT] = [$(&$constant),+];

        /// What the TypeScript declarations say of option `name`: its doc
        /// comment here, one line per line. Only the writer of the
        /// declarations calls it, so the widget's wasm carries none of it.
        pub fn declaration_doc(name: &str) -> &'static str {
            $( if name == $constant.name {
                return concat!($($doc, "\n"),+);
            } )+
            ""
        }
    };
}

host_options! {
    /// The short-lived `link_…` token your backend created, or a function that
    /// returns (a promise of) a fresh one. With a function, the widget calls it
    /// to start, and again when the token expires mid-flow (at most once per
    /// user action), and goes on without an error screen.
    LINK_TOKEN = ConfigOption {
        name: "linkToken", rule: Rule::LinkToken, page_wide: false, sent_to_frame: false,
        refusal: "linkToken must be a string, or a function that returns a promise of one.",
    };
    /// Default "https://api.trykeet.com", or what `configure()` set. The API the widget calls.
    API_BASE_URL = ConfigOption {
        name: "apiBaseUrl", rule: Rule::Url { drop_trailing_slash: true },
        page_wide: true, sent_to_frame: true, refusal: url_refusal!("apiBaseUrl"),
    };
    /// The link frame's page, where you host it (README, "Deploying the link
    /// frame"): `https:`, or `http://localhost` / `http://127.0.0.1`. Default:
    /// what `configure()` set, else `<apiBaseUrl>/link/v1/frame` (keet-sandbox
    /// serves it there). Only the framed mode loads it.
    FRAME_URL = ConfigOption {
        name: "frameUrl", rule: Rule::Url { drop_trailing_slash: false },
        page_wide: true, sent_to_frame: false, refusal: url_refusal!("frameUrl"),
    };
    /// The end user's language, a BCP 47 tag. Default: the browser's preferred
    /// languages. Supported (see the README): en, es, fr, de, pt-BR, ja, ar;
    /// anything else falls back by language (`es-MX` → `es`), then to English.
    LOCALE = ConfigOption {
        name: "locale", rule: Rule::LanguageTag, page_wide: false, sent_to_frame: true,
        refusal: "locale must be a BCP 47 language tag, e.g. \"es\" or \"pt-BR\".",
    };
    /// The modal's colours: "light", "dark", or "system" (the default) to follow the system's.
    APPEARANCE = ConfigOption {
        name: "appearance",
        rule: Rule::OneOf { words: &["light", "dark", "system"], default: "system" },
        page_wide: false, sent_to_frame: true,
        refusal: "appearance must be \"light\", \"dark\" or \"system\" (the default).",
    };
    /// `#RRGGBB` for the modal's buttons and badge instead of the integration's
    /// colour. Their text is black or white, whichever contrasts more (WCAG AA).
    ACCENT_COLOR = ConfigOption {
        name: "accentColor", rule: Rule::HexColour, page_wide: false, sent_to_frame: true,
        refusal: "accentColor must be a colour as #RRGGBB, e.g. \"#0A66C2\".",
    };
    /// Where the modal runs. "frame" (the default): in a cross-origin frame of
    /// the link origin, so the page cannot read what the user types, and the
    /// page loads no wasm. "none": in this page, for first-party pages and
    /// component tests.
    ISOLATION = ConfigOption {
        name: "isolation",
        rule: Rule::OneOf { words: &["frame", "none"], default: "frame" },
        page_wide: false, sent_to_frame: false,
        refusal: "isolation must be \"frame\" (the default) or \"none\".",
    };
}

/// Why a link token is refused, each with its sentence; none echoes the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTokenRefusal {
    /// Absent (`undefined` or `null`).
    Required,
    /// Neither a string nor a function.
    NotText,
    /// `""`.
    Empty,
    /// Longer than [`MAX_LINK_TOKEN_CHARS`].
    TooLong,
    /// Not `link_…`.
    NotALinkToken,
    /// A character outside `A-Za-z0-9_-`.
    BadCharacters,
}

impl LinkTokenRefusal {
    /// Every refusal, in the loader's table's order.
    pub const ALL: [Self; 6] = [
        Self::Required,
        Self::NotText,
        Self::Empty,
        Self::TooLong,
        Self::NotALinkToken,
        Self::BadCharacters,
    ];

    /// Its key in the loader's table.
    pub fn key(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::NotText => "notText",
            Self::Empty => "empty",
            Self::TooLong => "tooLong",
            Self::NotALinkToken => "notALinkToken",
            Self::BadCharacters => "badCharacters",
        }
    }

    /// The sentence the host hears.
    pub fn message(self) -> &'static str {
        match self {
            Self::Required => "linkToken is required.",
            Self::NotText => "linkToken must be a string, or a function that returns a promise of one.",
            Self::Empty => "linkToken is empty; pass the link token your backend created.",
            Self::TooLong => "linkToken is too long to be a link token.",
            Self::NotALinkToken => "linkToken is not a link token: it should start with link_ (did you pass a public or account token?).",
            Self::BadCharacters => "linkToken has characters a link token never has.",
        }
    }
}

impl ConfigOption {
    /// The error that refuses a value of this option.
    fn refused(&self, message: impl Into<String>) -> KeetLinkError {
        KeetLinkError::about(self.name, INVALID_CONFIG, message)
    }

    /// Checks `value` (a string the host gave): the value to use
    /// (normalised: an API base without its trailing `/`), or the error
    /// that names this option. A link token is never echoed.
    ///
    /// ```
    /// use keet_link_flow::config::{ACCENT_COLOR, API_BASE_URL, FRAME_URL, LINK_TOKEN};
    /// assert_eq!(API_BASE_URL.check("http://127.0.0.1:8080/").unwrap(), "http://127.0.0.1:8080");
    /// assert_eq!(FRAME_URL.check("https://link.example/frame/").unwrap(), "https://link.example/frame/");
    /// assert!(API_BASE_URL.check("http://api.example.com").is_err());
    /// assert!(LINK_TOKEN.check("link_sandbox_0a1b").is_ok());
    /// assert_eq!(ACCENT_COLOR.check("blue").unwrap_err().field.as_deref(), Some("accentColor"));
    /// ```
    pub fn check(&self, value: &str) -> Result<String, KeetLinkError> {
        let accepted = match self.rule {
            Rule::LinkToken => {
                return link_token_refusal(value)
                    .map_or(Ok(value.to_owned()), |why| Err(self.refused(why.message())))
            }
            Rule::Url {
                drop_trailing_slash,
            } => {
                let url = match drop_trailing_slash {
                    true => value.trim_end_matches('/'),
                    false => value,
                };
                is_config_url(url).then_some(url)
            }
            Rule::LanguageTag => is_language_tag(value).then_some(value),
            Rule::OneOf { words, .. } => words.contains(&value).then_some(value),
            Rule::HexColour => keet_link_protocol::colour::is_hex_colour(value).then_some(value),
        };
        accepted
            .map(str::to_owned)
            .ok_or_else(|| self.refused(self.refusal))
    }
}

/// What is wrong with a link token's form, if anything.
fn link_token_refusal(token: &str) -> Option<LinkTokenRefusal> {
    // Characters before length: once every character is ASCII, bytes
    // (here) and UTF-16 units (the loader's `length`) count alike.
    if token.is_empty() {
        Some(LinkTokenRefusal::Empty)
    } else if !token.starts_with("link_") {
        Some(LinkTokenRefusal::NotALinkToken)
    } else if !token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        Some(LinkTokenRefusal::BadCharacters)
    } else if token.len() > MAX_LINK_TOKEN_CHARS {
        Some(LinkTokenRefusal::TooLong)
    } else {
        None
    }
}

/// Checks that `token` looks like a link token (`link_…`, URL-safe characters),
/// without ever putting the token itself in the message.
///
/// ```
/// use keet_link_flow::config::check_link_token;
/// assert!(check_link_token("link_sandbox_0a1b").is_ok());
/// assert_eq!(check_link_token("").unwrap_err().field.as_deref(), Some("linkToken"));
/// ```
pub fn check_link_token(token: &str) -> Result<(), KeetLinkError> {
    LINK_TOKEN.check(token).map(drop)
}

/// A BCP 47 language tag in form; whether the widget speaks it is
/// negotiated later, falling back by language, then to English.
fn is_language_tag(tag: &str) -> bool {
    // Bytes: the standard library's character split is a kilobyte of the wasm.
    let mut subtags = tag.as_bytes().split(|&b| b == b'-');
    let language = subtags.next().unwrap_or_default();
    (2..=8).contains(&language.len())
        && language.iter().all(u8::is_ascii_alphabetic)
        && subtags.all(|s| (1..=8).contains(&s.len()) && s.iter().all(u8::is_ascii_alphanumeric))
}

/// What a host gave for one option, as a reader sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    /// Not set (`undefined` or `null`).
    Absent,
    /// A string.
    Text(String),
    /// A function (only `linkToken` may be one).
    Function,
    /// Anything else: a number, an object…
    Other,
}

/// Which options a reader reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// One widget's config: every option, and a link token is required.
    Widget,
    /// `configure()`'s: the [page-wide](ConfigOption::page_wide) options.
    PageWide,
}

/// The link token a host gave.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum GivenLinkToken {
    /// None (refused, or a page-wide config).
    #[default]
    None,
    /// `link_…`, checked in form.
    Token(Secret),
    /// A function that gives each token.
    Function,
}

/// A host's config, every option checked by [`HostConfig::read`]: what
/// the widget uses, whichever host API made it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostConfig {
    link_token: GivenLinkToken,
    /// Each option's accepted value (normalised), at its place in
    /// [`OPTIONS`]; `None` when absent or refused. Never the link token.
    values: [Option<String>; OPTION_COUNT],
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

/// How the modal looks: the `appearance` and `accentColor` options, checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Look {
    /// Light, dark or the system's.
    pub appearance: Appearance,
    /// `#RRGGBB` for the buttons and badge, instead of the integration's colour.
    pub accent_color: Option<String>,
}

/// Where the modal runs: the `isolation` option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Isolation {
    /// In a cross-origin frame served by the link origin, so that nothing
    /// else in the page can read what the user types. The default.
    #[default]
    Frame,
    /// In this page, in a shadow root: for first-party pages and tests.
    None,
}

impl Isolation {
    /// The option's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Frame => "frame",
            Self::None => "none",
        }
    }
}

impl HostConfig {
    /// Reads every option of `scope` through `given`, which tells what the
    /// host gave for an option's name. A refused value counts as absent,
    /// and its error is in the list: the JS handle and Leptos report them
    /// all, the frame only a bad link token (another sender may have
    /// written the rest; their defaults are safe).
    ///
    /// ```
    /// use keet_link_flow::config::{Given, HostConfig, Scope};
    /// let (config, errors) = HostConfig::read(Scope::Widget, &|name| match name {
    ///     "linkToken" => Given::Text("link_sandbox_0a1b".into()),
    ///     "accentColor" => Given::Text("blue".into()),
    ///     _ => Given::Absent,
    /// });
    /// assert_eq!(errors.iter().map(|e| e.field.as_deref()).collect::<Vec<_>>(), [Some("accentColor")]);
    /// assert_eq!(config.look().accent_color, None);
    /// ```
    pub fn read(scope: Scope, given: &dyn Fn(&str) -> Given) -> (Self, Vec<KeetLinkError>) {
        let mut config = Self::default();
        let mut errors = Vec::new();
        for (index, option) in OPTIONS.iter().enumerate() {
            if scope == Scope::PageWide && !option.page_wide {
                continue;
            }
            let refusal = match (option.rule, given(option.name)) {
                (Rule::LinkToken, Given::Function) => {
                    config.link_token = GivenLinkToken::Function;
                    None
                }
                (Rule::LinkToken, Given::Text(token)) => match link_token_refusal(&token) {
                    None => {
                        config.link_token = GivenLinkToken::Token(Secret::from(token));
                        None
                    }
                    Some(why) => Some(why.message().to_owned()),
                },
                (Rule::LinkToken, Given::Absent) => {
                    Some(LinkTokenRefusal::Required.message().to_owned())
                }
                (_, Given::Absent) => None,
                (_, Given::Text(text)) => match option.check(&text) {
                    Ok(value) => {
                        config.values[index] = Some(value);
                        None
                    }
                    Err(error) => Some(error.message),
                },
                (_, Given::Function | Given::Other) => Some(option.refusal.to_owned()),
            };
            errors.extend(refusal.map(|message| option.refused(message)));
        }
        (config, errors)
    }

    /// What the reader makes of `given` for option `name` alone (every
    /// other option absent, the link token from a function): the value it
    /// keeps, normalised (`None` when absent), or the error that refuses it.
    /// The tests that hold the loader to the same verdicts ask this.
    ///
    /// ```
    /// use keet_link_flow::config::{Given, HostConfig};
    /// assert_eq!(HostConfig::read_alone("apiBaseUrl", Given::Text("http://127.0.0.1:8080/".into())),
    ///     Ok(Some("http://127.0.0.1:8080".into())));
    /// assert!(HostConfig::read_alone("locale", Given::Other).is_err());
    /// ```
    pub fn read_alone(name: &str, given: Given) -> Result<Option<String>, KeetLinkError> {
        let (config, mut errors) = Self::read(Scope::Widget, &|option| match option {
            _ if option == name => given.clone(),
            _ if option == LINK_TOKEN.name => Given::Function,
            _ => Given::Absent,
        });
        if !errors.is_empty() {
            return Err(errors.swap_remove(0));
        }
        Ok(match (name == LINK_TOKEN.name, config.link_token()) {
            (true, GivenLinkToken::Token(token)) => Some(token.expose().to_owned()),
            (true, _) => None,
            (false, _) => OPTIONS
                .iter()
                .find(|option| option.name == name)
                .and_then(|option| config.value(option))
                .map(str::to_owned),
        })
    }

    /// The accepted value of `option`, if the host gave one.
    pub fn value(&self, option: &ConfigOption) -> Option<&str> {
        let index = OPTIONS.iter().position(|o| o.name == option.name)?;
        self.values[index].as_deref()
    }

    /// The link token, or that a function gives each one.
    pub fn link_token(&self) -> &GivenLinkToken {
        &self.link_token
    }

    /// Takes the link token out (the widget keeps it).
    pub fn take_link_token(&mut self) -> GivenLinkToken {
        std::mem::take(&mut self.link_token)
    }

    /// The API, without a trailing `/`, if the host set one.
    pub fn api_base_url(&self) -> Option<&str> {
        self.value(&API_BASE_URL)
    }

    /// The link frame's page, if the host set one.
    pub fn frame_url(&self) -> Option<&str> {
        self.value(&FRAME_URL)
    }

    /// The host's language tag, if it set one.
    pub fn locale(&self) -> Option<&str> {
        self.value(&LOCALE)
    }

    /// The appearance and accent colour.
    pub fn look(&self) -> Look {
        let appearance = match self.value(&APPEARANCE) {
            Some("light") => Appearance::Light,
            Some("dark") => Appearance::Dark,
            _ => Appearance::System,
        };
        Look {
            appearance,
            accent_color: self.value(&ACCENT_COLOR).map(str::to_owned),
        }
    }

    /// Where the modal runs.
    pub fn isolation(&self) -> Isolation {
        match self.value(&ISOLATION) {
            Some("none") => Isolation::None,
            _ => Isolation::Frame,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widget_config(pairs: &[(&str, Given)]) -> (HostConfig, Vec<KeetLinkError>) {
        HostConfig::read(Scope::Widget, &|name| {
            pairs
                .iter()
                .find(|(n, _)| *n == name)
                .map_or(Given::Absent, |(_, given)| given.clone())
        })
    }

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
            let (config, errors) = widget_config(&[("linkToken", Given::Text(bad.into()))]);
            assert_eq!(errors, [error]);
            assert_eq!(config.link_token(), &GivenLinkToken::None);
            assert!(!format!("{config:?}").contains(bad) || bad.is_empty());
        }
    }

    #[test]
    fn a_widget_needs_a_link_token_or_a_function_and_configure_does_not() {
        let (_, errors) = widget_config(&[]);
        assert_eq!(errors[0].message, "linkToken is required.");
        let (config, errors) = widget_config(&[("linkToken", Given::Function)]);
        assert!(errors.is_empty());
        assert_eq!(config.link_token(), &GivenLinkToken::Function);
        let (_, errors) = widget_config(&[("linkToken", Given::Other)]);
        assert_eq!(errors[0].message, LinkTokenRefusal::NotText.message());
        let (config, errors) = HostConfig::read(Scope::PageWide, &|name| match name {
            "apiBaseUrl" => Given::Text("http://127.0.0.1:8080/".into()),
            "locale" => Given::Text("not read here".into()),
            _ => Given::Absent,
        });
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(config.api_base_url(), Some("http://127.0.0.1:8080"));
    }

    #[test]
    fn every_refused_option_is_reported_once_and_left_at_its_default() {
        let (config, errors) = widget_config(&[
            ("linkToken", Given::Text("link_sandbox_0a1b".into())),
            ("apiBaseUrl", Given::Other),
            ("frameUrl", Given::Text("http://evil.example/frame".into())),
            ("locale", Given::Text("español".into())),
            ("appearance", Given::Text("Dark".into())),
            ("accentColor", Given::Function),
            ("isolation", Given::Text("iframe".into())),
        ]);
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(
            fields,
            OPTIONS.iter().skip(1).map(|o| o.name).collect::<Vec<_>>()
        );
        assert_eq!(
            errors[3].message,
            "appearance must be \"light\", \"dark\" or \"system\" (the default)."
        );
        assert_eq!(
            errors[5].message,
            "isolation must be \"frame\" (the default) or \"none\"."
        );
        assert_eq!((config.api_base_url(), config.locale()), (None, None));
        assert_eq!(config.look(), Look::default());
        assert_eq!(config.isolation(), Isolation::Frame);
    }

    #[test]
    fn accepted_options_are_read_as_the_widget_uses_them() {
        let (config, errors) = widget_config(&[
            ("linkToken", Given::Text("link_sandbox_0a1b".into())),
            ("apiBaseUrl", Given::Text("https://api.example.com/".into())),
            ("appearance", Given::Text("dark".into())),
            ("accentColor", Given::Text("#0A66C2".into())),
            ("isolation", Given::Text("none".into())),
            ("locale", Given::Text("pt-BR".into())),
        ]);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(config.api_base_url(), Some("https://api.example.com"));
        assert_eq!(config.locale(), Some("pt-BR"));
        assert_eq!(config.isolation(), Isolation::None);
        assert_eq!(
            config.look(),
            Look {
                appearance: Appearance::Dark,
                accent_color: Some("#0A66C2".into())
            }
        );
        assert!(!format!("{config:?}").contains("link_sandbox_0a1b"));
    }

    /// The loader (js/host.js) checks the same config before any wasm
    /// exists; both are held to spec/config-vectors.json.
    #[test]
    fn the_shared_config_vectors_hold() {
        let vectors: serde_json::Value =
            serde_json::from_str(include_str!("../../../spec/config-vectors.json")).unwrap();
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
        for option in OPTIONS {
            let name = option.name;
            if vectors.get(name).is_none() {
                continue;
            }
            if option.rule != API_BASE_URL.rule {
                for value in strings(&format!("/{name}/accept")) {
                    assert!(option.check(&value).is_ok(), "{name} refused {value:?}");
                }
            }
            for value in strings(&format!("/{name}/refuse")) {
                assert!(option.check(&value).is_err(), "{name} accepted {value:?}");
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
                API_BASE_URL.check(given).as_deref().ok(),
                Some(normalised),
                "{given}"
            );
        }
    }

    #[test]
    fn api_base_url_must_be_https_or_loopback() {
        assert_eq!(
            API_BASE_URL.check("https://api.trykeet.com").unwrap(),
            DEFAULT_API_BASE_URL
        );
        assert!(API_BASE_URL.check("http://localhost:8080").is_ok());
        for bad in [
            "",
            "api.trykeet.com",
            "http://evil.example",
            "https://a.example/?x=1",
            "javascript:x",
        ] {
            assert_eq!(
                API_BASE_URL.check(bad).unwrap_err().field.as_deref(),
                Some("apiBaseUrl")
            );
        }
    }

    #[test]
    fn every_option_has_a_declaration_a_kebab_free_name_and_a_refusal_that_names_it() {
        for option in OPTIONS {
            assert!(
                option
                    .refusal
                    .starts_with(&format!("{} must be ", option.name)),
                "{}",
                option.refusal
            );
            if let Rule::OneOf { words, default } = option.rule {
                assert!(words.contains(&default));
                for word in words {
                    assert!(option.refusal.contains(&format!("\"{word}\"")));
                }
                assert!(option
                    .refusal
                    .contains(&format!("\"{default}\" (the default)")));
            }
            assert!(
                !declaration_doc(option.name).is_empty(),
                "{} has no doc",
                option.name
            );
            assert!(option.name.bytes().all(|b| b.is_ascii_alphabetic()));
        }
    }
}
