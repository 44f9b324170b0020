//! The languages of the modal: every sentence an end user reads from the
//! widget, in each supported locale (its own titles, buttons and messages,
//! and the field checks' messages, which the API gives too, in the locale
//! `Accept-Language` chose). The error codes never change with the language.
//! Only the API's own words (step labels, prompts) are the sandbox's.
//!
//! Adding a locale is one file in `src/locales/`: a [`Texts`] (its tag and
//! direction, and the sentences); the compiler names any sentence it lacks.
//! The build (`build.rs`) finds it and declares it. The sandbox's
//! `texts` module then needs the API's words in it (its compiler names
//! the locale too).
//!
//! ```
//! use keet_link_i18n::Locale;
//! assert_eq!(Locale::negotiate(["es-MX", "en"]), Locale::Es);
//! assert_eq!(Locale::negotiate(["zz"]), Locale::En);
//! assert!(Locale::Ar.is_rtl());
//! ```

/// Declares the locales: each variant with the file (module) whose texts
/// hold its tag, direction and sentences. Called by the build, one line per file.
macro_rules! locales {
    ($( $(#[$doc:meta])* $variant:ident = $module:ident; )+) => {
        /// A supported locale.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum Locale {
            $( $(#[$doc])* $variant, )+
        }

        impl Locale {
            /// Every supported locale, English first.
            pub const ALL: &'static [Locale] = &[$(Self::$variant),+];

            /// The BCP 47 tag (`lang`, `Content-Language`).
            pub fn tag(self) -> &'static str {
                match self { $(Self::$variant => $module::TEXTS.tag,)+ }
            }

            /// Every sentence, in this locale.
            #[cfg(not(feature = "words-on-demand"))]
            pub fn texts(self) -> &'static Texts {
                match self { $(Self::$variant => &$module::TEXTS,)+ }
            }

            /// Every sentence, in this locale: English's until
            /// [`Locale::learn`] has this locale's.
            #[cfg(feature = "words-on-demand")]
            pub fn texts(self) -> &'static Texts {
                on_demand::learned(self).unwrap_or(&en::TEXTS)
            }

            /// The words file of every locale but English, by tag, for
            /// the build of a words-on-demand wasm to serve
            /// (`crates/i18n/examples/words.rs`).
            pub fn words_files() -> Vec<(&'static str, String)> {
                [$((Self::$variant, $module::TEXTS.words()),)+]
                    .into_iter()
                    .filter(|(locale, _)| *locale != Self::En)
                    .map(|(locale, words)| (locale.tag(), words.expect("no sentence has a line break")))
                    .collect()
            }

            /// Whether the text runs right to left (`dir="rtl"`).
            pub fn is_rtl(self) -> bool {
                match self { $(Self::$variant => $module::TEXTS.right_to_left,)+ }
            }
        }
    };
}

// `mod en; …` and `locales! { En = en; … }`, one line per file of src/locales.
include!(concat!(env!("OUT_DIR"), "/locales.rs"));

/// With the feature `words-on-demand` (the link frame's build), only
/// English is in the binary; another locale's sentences are read from its
/// words file ([`Texts::words`]) once the frame has fetched it, and kept
/// for the page's life (at most one copy a locale: a few kilobytes).
#[cfg(feature = "words-on-demand")]
mod on_demand {
    use super::{Locale, Texts};
    use std::cell::RefCell;

    thread_local! {
        static LEARNED: RefCell<Vec<(Locale, &'static Texts)>> = const { RefCell::new(Vec::new()) };
    }

    pub(super) fn learned(locale: Locale) -> Option<&'static Texts> {
        if locale == Locale::En {
            return Some(&super::en::TEXTS);
        }
        LEARNED.with(|learned| {
            learned
                .borrow()
                .iter()
                .find(|(known, _)| *known == locale)
                .map(|(_, texts)| *texts)
        })
    }

    pub(super) fn learn(locale: Locale, words: &str) -> bool {
        if learned(locale).is_some() {
            return true;
        }
        // Leaked once a locale: the sentences are `&'static str`, as the
        // built-in ones are, and live as long as the page.
        let words: &'static str = Box::leak(words.to_owned().into_boxed_str());
        let Some(texts) = Texts::from_words(locale.tag(), locale.is_rtl(), words) else {
            return false;
        };
        let texts: &'static Texts = Box::leak(Box::new(texts));
        LEARNED.with(|learned| learned.borrow_mut().push((locale, texts)));
        true
    }
}

impl Locale {
    /// Whether this binary has this locale's sentences: always, unless it
    /// was built with `words-on-demand` and [`Locale::learn`] has not had
    /// them yet.
    pub fn speaks(self) -> bool {
        #[cfg(feature = "words-on-demand")]
        let speaks = on_demand::learned(self).is_some();
        #[cfg(not(feature = "words-on-demand"))]
        let speaks = true;
        speaks
    }

    /// Takes this locale's sentences from its words file ([`Texts::words`]);
    /// `false` (and nothing learned) if the file is not one of this build.
    /// Without `words-on-demand` every locale is built in, and this only
    /// says whether `words` are this locale's.
    pub fn learn(self, words: &str) -> bool {
        #[cfg(feature = "words-on-demand")]
        let learned = on_demand::learn(self, words);
        #[cfg(not(feature = "words-on-demand"))]
        let learned = self.texts().words().as_deref() == Some(words);
        learned
    }
}

impl Locale {
    /// The first of `wanted` (BCP 47 tags, most wanted first) this widget
    /// speaks: an exact tag first (`pt-BR`), else the same language
    /// (`es-MX` → `es`, `pt-PT` → `pt-BR`), else English. Case is ignored.
    pub fn negotiate<'a>(wanted: impl IntoIterator<Item = &'a str>) -> Self {
        wanted
            .into_iter()
            .find_map(Self::for_tag)
            .unwrap_or(Self::En)
    }

    /// The locale that speaks `tag`, exactly or in the same language.
    /// Not generic, so the wasm has it once, whatever [`Self::negotiate`]
    /// is given.
    fn for_tag(tag: &str) -> Option<Self> {
        let tag = tag.trim();
        if let Some(exact) = Self::ALL
            .iter()
            .find(|locale| locale.tag().eq_ignore_ascii_case(tag))
        {
            return Some(*exact);
        }
        let language = language_of(tag);
        Self::ALL.iter().copied().find(|locale| {
            !language.is_empty() && language_of(locale.tag()).eq_ignore_ascii_case(language)
        })
    }

    /// The locale an `Accept-Language` header asks for: its tags by
    /// descending `q` (a tag with `q=0` is refused), then [`Self::negotiate`].
    ///
    /// ```
    /// use keet_link_i18n::Locale;
    /// assert_eq!(Locale::from_accept_language("fr;q=0.5, de"), Locale::De);
    /// assert_eq!(Locale::from_accept_language("*"), Locale::En);
    /// ```
    pub fn from_accept_language(header: &str) -> Self {
        let mut tags: Vec<(&str, u16)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let tag = pieces.next()?.trim();
                let quality = pieces
                    .find_map(|p| p.trim().strip_prefix("q="))
                    .map_or(1000, |q| {
                        q.trim()
                            .parse::<f32>()
                            .map_or(0, |q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                    });
                (!tag.is_empty() && quality > 0).then_some((tag, quality))
            })
            .collect();
        // Stable: equal weights keep the header's order.
        tags.sort_by_key(|(_, quality)| std::cmp::Reverse(*quality));
        Self::negotiate(tags.into_iter().map(|(tag, _)| tag))
    }
}

/// Replaces each `{name}` in `template` with its value from `values`.
/// Plain replacement, no formatting machinery: the wasm stays small.
///
/// The `{names}` that `template` has for [`fill`], sorted: a translation
/// must have the same as its English.
///
/// ```
/// assert_eq!(keet_link_i18n::placeholders("{b} and {a}"), ["a", "b"]);
/// ```
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names: Vec<&str> = template
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names
}

impl Locale {
    /// The first word of `sentence` that speaks to the user in the other
    /// register than this locale's, for tests of every text shown in it
    /// (the widget's and the API's): German and French address the user
    /// formally (Sie, vous), Spanish and Brazilian Portuguese informally
    /// (tú, você). The lists hold the other register's pronouns and the
    /// commands a sentence without a pronoun would use.
    ///
    /// ```
    /// use keet_link_i18n::Locale;
    /// assert_eq!(Locale::De.other_register_word("Gib dein Passwort ein.").as_deref(), Some("gib"));
    /// assert_eq!(Locale::De.other_register_word("Geben Sie Ihr Passwort ein."), None);
    /// ```
    pub fn other_register_word(self, sentence: &str) -> Option<String> {
        let unwanted: &[&str] = match self {
            Locale::De => &[
                "du",
                "dich",
                "dir",
                "dein",
                "deine",
                "deinen",
                "deinem",
                "deiner",
                "deines",
                "gib",
                "wähle",
                "warte",
                "schließe",
                "beginne",
                "beantworte",
                "prüfe",
                "gehe",
                "öffne",
                "bestätige",
                "verbinde",
            ],
            Locale::Fr => &["tu", "toi", "ton", "ta", "tes", "choisis", "saisis"],
            Locale::Es => &["usted", "ustedes", "introduzca", "elija"],
            Locale::PtBr => &["tu", "teu", "tua", "teus", "tuas"],
            _ => &[],
        };
        sentence
            .to_lowercase()
            .split(|c: char| !c.is_alphabetic())
            .find(|word| unwanted.contains(word))
            .map(str::to_owned)
    }
}

/// ```
/// assert_eq!(keet_link_i18n::fill("Log in to {x}", &[("x", "Uber")]), "Log in to Uber");
/// ```
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    // One pass, so a value is never read as a placeholder itself.
    let mut text = String::with_capacity(template.len());
    let mut rest = template;
    // Byte by byte: the standard library's character search is a
    // kilobyte of the wasm.
    let position_of = |text: &str, wanted: u8| text.bytes().position(|b| b == wanted);
    while let Some(open) = position_of(rest, b'{') {
        text.push_str(&rest[..open]);
        rest = &rest[open..];
        let value = position_of(rest, b'}').and_then(|close| {
            let name = &rest[1..close];
            let (_, value) = values.iter().find(|(wanted, _)| *wanted == name)?;
            Some((*value, close))
        });
        match value {
            Some((value, close)) => {
                text.push_str(value);
                rest = &rest[close + 1..];
            }
            None => {
                text.push('{');
                rest = &rest[1..];
            }
        }
    }
    text.push_str(rest);
    text
}

/// A tag's language subtag: what comes before its first `-` or `_`.
/// Byte by byte: the standard library's character split is a kilobyte of
/// the wasm.
fn language_of(tag: &str) -> &str {
    let end = tag
        .bytes()
        .position(|b| b == b'-' || b == b'_')
        .unwrap_or(tag.len());
    &tag[..end]
}

/// Where `needle` first occurs in `haystack`, byte by byte: the standard
/// library's substring search (two-way, for long texts) is a kilobyte of
/// the wasm, and the texts searched here are a URL or a name.
///
/// ```
/// assert_eq!(keet_link_i18n::find("http://a", "://"), Some(4));
/// assert_eq!(keet_link_i18n::find("uber", "x"), None);
/// assert_eq!(keet_link_i18n::find("uber", ""), Some(0));
/// ```
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    (0..=haystack.len().checked_sub(needle.len())?)
        .find(|&at| haystack.as_bytes()[at..].starts_with(needle))
}

/// `n` in decimal digits, as `n.to_string()` writes it, without `core::fmt`:
/// the link frame's wasm carries no formatting machinery when nothing in it
/// formats (issue 24).
pub fn decimal(n: u64) -> String {
    let mut digits = Vec::new();
    let mut rest = n;
    loop {
        digits.push(char::from(b'0' + (rest % 10) as u8));
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    digits.iter().rev().collect()
}

/// Declares [`Texts`] with its sentences, once, and how they are written
/// to and read from a words file ([`Texts::words`], [`Texts::from_words`]),
/// in the order they are declared here.
macro_rules! sentences {
    ($( $(#[$doc:meta])* $name:ident, )+) => {
        /// Every sentence of the modal and of the API's step texts, in one locale.
        /// `{name}` marks a value filled in with [`fill`].
        #[derive(Debug, PartialEq, Eq)]
        pub struct Texts {
            /// The BCP 47 tag (`lang`, `Content-Language`).
            pub tag: &'static str,
            /// Whether the text runs right to left (`dir="rtl"`).
            pub right_to_left: bool,
            /// Whether a field's label is lower-cased inside a sentence
            /// ("Enter your password."): not in German, Japanese or Arabic.
            pub lowercase_labels_in_sentences: bool,
            $( $(#[$doc])* pub $name: &'static str, )+
        }

        impl Texts {
            /// The words file of this locale: `lowercase_labels_in_sentences`
            /// as `0` or `1`, then each sentence, one a line, in the order
            /// [`Texts`] declares them. `None` if a sentence has a line break
            /// (none does: a test holds it).
            pub fn words(&self) -> Option<String> {
                let sentences = [$(self.$name),+];
                if sentences.iter().any(|sentence| sentence.contains('\n')) {
                    return None;
                }
                let flag = if self.lowercase_labels_in_sentences { "1" } else { "0" };
                Some([&[flag][..], &sentences[..]].concat().join("\n"))
            }

            /// Reads a words file ([`Texts::words`]) for the locale `tag`;
            /// `None` when it has another number of lines (a file of another
            /// build) or a first line that is no flag.
            pub fn from_words(tag: &'static str, right_to_left: bool, words: &'static str) -> Option<Texts> {
                // A closure, not the character: no memchr in the wasm.
                let mut lines = words.split(|c| c == '\n');
                let lowercase_labels_in_sentences = match lines.next()? {
                    "1" => true,
                    "0" => false,
                    _ => return None,
                };
                // Read into an array first: one loop, where a `?` per
                // sentence was a branch each in the wasm.
                let mut sentences = [$(stringify!($name)),+].map(|_| "");
                for sentence in &mut sentences {
                    *sentence = lines.next()?;
                }
                if lines.next().is_some() {
                    return None;
                }
                let [$($name),+] = sentences;
                Some(Texts {
                    tag,
                    right_to_left,
                    lowercase_labels_in_sentences,
                    $( $name, )+
                })
            }
        }
    };
}

sentences! {
    // The modal's own text.
    /// The close button's accessible name.
    close,
    /// The footer.
    secured_by_keet,
    /// After the footer, in the link frame only. `{company}`.
    password_never_shared,
    /// `{company}` when the host gave no company name, inside a sentence.
    this_app,
    /// The header's company line when the host gave no company name.
    this_app_heading,
    /// The login step's title. `{integration}`.
    log_in_to,
    /// The login step's lead when the server sent no prompt. `{integration}`.
    login_lead,
    /// A re-link's title. `{integration}`.
    reconnect_title,
    /// A re-link's sentence: the login broke and needs the password again.
    /// `{integration}`.
    reconnect_lead,
    /// The login step's button.
    continue_button,
    /// The code step's title.
    code_title,
    /// The title of a second step that asks a question, not for a code (a
    /// step with no one-time-code field).
    question_title,
    /// The code step's lead when the server sent no prompt.
    code_lead,
    /// The code step's button.
    verify_button,
    /// Shown while a call is being retried.
    retrying,
    /// Shown while something on the host page covers the modal (a framed
    /// modal in a browser that can tell): typing and sending wait.
    covered,
    /// The integration step's title.
    picker_title,
    /// The integration step's sentence. `{company}`.
    picker_lead,
    /// The label of the integration step's search box.
    search_label,
    /// Read after the list changes: how many services it shows. `{count}`.
    picker_count,
    /// Shown when the search matches no service.
    picker_none,
    /// The login form's way back to the list of services.
    other_service,
    /// The title of a second step that asks the user to choose (where to send the code).
    choice_title,
    /// The approve step's title.
    approve_title,
    /// Announced while the approve step waits for the other device.
    approve_waiting,
    /// The approve step's way to a code step instead.
    use_code,
    /// The error view's sentence when the login was denied on the other device.
    approval_denied,
    /// Checks: a choice field with an unknown option chosen.
    choose_one,
    /// The success view's title.
    linked_title,
    /// The success view's sentence. `{integration}`, `{company}`.
    linked_lead,
    /// The locked view's title.
    locked_title,
    /// The locked view's sentence: what the user can do. `{integration}`.
    locked_lead,
    /// The expired view's title.
    expired_title,
    /// The expired view's sentence. `{company}`.
    expired_lead,
    /// The error view's title.
    failed_title,
    /// No answer could be had: offline, DNS, CORS.
    failed_network,
    /// No answer in time.
    failed_timeout,
    /// Too many attempts (429).
    failed_rate_limited,
    /// Anything else: the server's fault, or an answer that made no sense.
    failed_server,
    /// The error view's retry button.
    try_again,
    /// The closing button of the outcome views.
    close_button,
    /// The code step's button for a new code.
    resend_button,
    /// The same, counting down. `{seconds}`.
    resend_in,
    /// Said once a new code is on its way.
    code_resent,
    /// No more codes can be sent for this link.
    resend_limit,
    /// The login form's link to the service's password reset.
    forgot_password,
    /// The login form's link to the service's help.
    login_help,
    /// Said to screen readers after a link that opens a new tab.
    opens_in_new_tab,

    // The field checks, which the widget and the API share.
    /// Checks: an empty required field. `{label}`.
    required,
    /// Checks: too long. `{label}`, `{max}`.
    too_long,
    /// Checks: not an email address.
    invalid_email,
    /// Checks: not an international phone number.
    invalid_phone,
    /// Checks: a code of the wrong length. `{length}`.
    code_of_length,
    /// Checks: a code with other characters than digits.
    code_digits_only,
}

impl Texts {
    /// `template` with `{label}` filled, lower-cased where the language
    /// does that inside a sentence.
    pub fn with_label(&self, template: &str, label: &str, more: &[(&str, &str)]) -> String {
        // ASCII only: the labels' capitals are ASCII, and Unicode case
        // tables would cost the wasm kilobytes.
        let label = if self.lowercase_labels_in_sentences {
            label.to_ascii_lowercase()
        } else {
            label.to_owned()
        };
        let mut values = vec![("label", label.as_str())];
        values.extend_from_slice(more);
        fill(template, &values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_in_a_sentence_has_the_digits_to_string_gives() {
        let edges = [
            0,
            1,
            9,
            10,
            99,
            100,
            101,
            1_000_000,
            u64::from(u32::MAX),
            u64::MAX,
        ];
        // And every number up to 100,000, then a spread over all of u64.
        let spread = (0..100_000).chain((0..64).map(|bits| (1u64 << bits) - 1 + bits));
        for n in edges.into_iter().chain(spread) {
            assert_eq!(decimal(n), n.to_string(), "{n}");
        }
        assert_eq!(
            fill("Resend in {seconds}s", &[("seconds", &decimal(30))]),
            "Resend in 30s"
        );
    }

    #[test]
    fn a_sentence_is_filled_once_and_keeps_what_it_has_no_value_for() {
        let values = [("company", "Acme {label}"), ("label", "Email")];
        assert_eq!(
            fill("{company} wants your {label}", &values),
            "Acme {label} wants your Email"
        );
        assert_eq!(fill("{label}{label}", &values), "EmailEmail");
        assert_eq!(fill("{other} {label", &values), "{other} {label");
        assert_eq!(fill("{{label}} }{", &values), "{Email} }{");
        assert_eq!(fill("日本 {label} 語", &values), "日本 Email 語");
    }

    #[test]
    fn a_substring_is_found_where_the_standard_search_finds_it() {
        let texts = [
            "",
            "a",
            "http://x",
            "amazon business",
            "x://://",
            "日本語://",
        ];
        let needles = ["", "a", "://", "business", "zz", "日本", "語:"];
        for text in texts {
            for needle in needles {
                assert_eq!(find(text, needle), text.find(needle), "{text:?} {needle:?}");
            }
        }
    }

    #[test]
    fn a_regional_or_unknown_tag_falls_back_by_language_then_to_english() {
        assert_eq!(Locale::negotiate(["es-MX"]), Locale::Es);
        assert_eq!(Locale::negotiate(["pt-PT"]), Locale::PtBr);
        assert_eq!(Locale::negotiate(["PT-br"]), Locale::PtBr);
        assert_eq!(Locale::negotiate(["ar-EG"]), Locale::Ar);
        assert_eq!(Locale::negotiate(["xx", "de-AT"]), Locale::De);
        assert_eq!(Locale::negotiate(["tlh", ""]), Locale::En);
        assert_eq!(Locale::negotiate([]), Locale::En);
    }

    #[test]
    fn accept_language_is_read_by_weight() {
        assert_eq!(Locale::from_accept_language("ja, en;q=0.8"), Locale::Ja);
        assert_eq!(
            Locale::from_accept_language("en;q=0.1, fr;q=0.9"),
            Locale::Fr
        );
        assert_eq!(Locale::from_accept_language("ar;q=0, es"), Locale::Es);
        assert_eq!(Locale::from_accept_language(""), Locale::En);
        assert_eq!(Locale::from_accept_language(";;,q=,"), Locale::En);
    }

    #[test]
    fn every_locale_reads_back_from_its_words_file() {
        for locale in Locale::ALL.iter().filter(|l| **l != Locale::En) {
            let (_, words) = Locale::words_files()
                .into_iter()
                .find(|(tag, _)| *tag == locale.tag())
                .expect("a words file for every locale but English");
            let words: &'static str = Box::leak(words.into_boxed_str());
            assert!(locale.learn(words), "{}", locale.tag());
            let read = Texts::from_words(locale.tag(), locale.is_rtl(), words);
            assert_eq!(read.as_ref(), Some(locale.texts()), "{}", locale.tag());
            assert!(locale.speaks());
        }
        assert!(Locale::words_files().iter().all(|(tag, _)| *tag != "en"));
    }

    #[test]
    fn every_locale_addresses_the_user_in_one_register() {
        for (tag, words) in Locale::words_files() {
            let locale = Locale::ALL
                .iter()
                .find(|l| l.tag() == tag)
                .expect("a locale");
            for sentence in words.lines() {
                assert_eq!(
                    locale.other_register_word(sentence),
                    None,
                    "{tag}: {sentence:?}"
                );
            }
        }
        let informal = "Wähle eine der Optionen.";
        assert_eq!(
            Locale::De.other_register_word(informal).as_deref(),
            Some("wähle")
        );
    }

    #[test]
    fn a_words_file_of_another_build_is_refused() {
        let words = Locale::Fr.texts().words().expect("no line breaks");
        let one_fewer = &words[..words.rfind('\n').expect("many lines")];
        let one_more = [words.as_str(), "Encore"].join("\n");
        for wrong in [one_fewer, one_more.as_str(), "", "yes\nClose"] {
            let wrong: &'static str = Box::leak(wrong.to_owned().into_boxed_str());
            assert_eq!(Texts::from_words("fr", false, wrong), None);
            assert!(!Locale::Fr.learn(wrong));
        }
    }

    #[test]
    fn every_locale_fills_the_same_placeholders_as_english() {
        let en = Locale::En.texts();
        for locale in Locale::ALL {
            let texts = locale.texts();
            for (ours, english) in [
                (texts.password_never_shared, en.password_never_shared),
                (texts.log_in_to, en.log_in_to),
                (texts.login_lead, en.login_lead),
                (texts.reconnect_title, en.reconnect_title),
                (texts.reconnect_lead, en.reconnect_lead),
                (texts.linked_lead, en.linked_lead),
                (texts.locked_lead, en.locked_lead),
                (texts.expired_lead, en.expired_lead),
                (texts.resend_in, en.resend_in),
                (texts.required, en.required),
                (texts.too_long, en.too_long),
                (texts.code_of_length, en.code_of_length),
                (texts.picker_lead, en.picker_lead),
                (texts.picker_count, en.picker_count),
            ] {
                assert_eq!(
                    placeholders(ours),
                    placeholders(english),
                    "{}: {ours:?}",
                    locale.tag()
                );
            }
        }
    }
}

/// The link frame's build: only English until a locale's words arrive.
#[cfg(all(test, feature = "words-on-demand"))]
mod on_demand_tests {
    use super::*;

    #[test]
    fn a_locale_speaks_english_until_its_words_are_learned() {
        let german = Locale::words_files()
            .into_iter()
            .find(|(tag, _)| *tag == "de")
            .expect("German's words file")
            .1;
        assert!(Locale::En.speaks());
        assert!(!Locale::De.speaks());
        assert_eq!(Locale::De.texts().close, "Close");
        assert!(!Locale::De.learn("0\nSchließen"));
        assert!(!Locale::De.speaks());
        assert!(Locale::De.learn(&german));
        assert!(Locale::De.speaks());
        assert_eq!(Locale::De.texts().close, "Schließen");
        assert_eq!(Locale::De.texts().tag, "de");
        assert!(!Locale::Ar.speaks());
        assert!(Locale::Ar.is_rtl());
    }
}
