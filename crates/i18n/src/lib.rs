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
            pub fn texts(self) -> &'static Texts {
                match self { $(Self::$variant => &$module::TEXTS,)+ }
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

impl Locale {
    /// The first of `wanted` (BCP 47 tags, most wanted first) this widget
    /// speaks: an exact tag first (`pt-BR`), else the same language
    /// (`es-MX` → `es`, `pt-PT` → `pt-BR`), else English. Case is ignored.
    pub fn negotiate<'a>(wanted: impl IntoIterator<Item = &'a str>) -> Self {
        for tag in wanted {
            let tag = tag.trim();
            if let Some(exact) = Self::ALL
                .iter()
                .find(|locale| locale.tag().eq_ignore_ascii_case(tag))
            {
                return *exact;
            }
            let language = tag.split(['-', '_']).next().unwrap_or_default();
            if let Some(same_language) = Self::ALL.iter().find(|locale| {
                let ours = locale.tag().split('-').next().unwrap_or_default();
                !language.is_empty() && ours.eq_ignore_ascii_case(language)
            }) {
                return *same_language;
            }
        }
        Self::En
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

/// ```
/// assert_eq!(keet_link_i18n::fill("Log in to {x}", &[("x", "Uber")]), "Log in to Uber");
/// ```
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut text = template.to_owned();
    for (name, value) in values {
        let placeholder = ["{", name, "}"].concat();
        if text.contains(&placeholder) {
            text = text.replace(&placeholder, value);
        }
    }
    text
}

/// Every sentence of the modal and of the API's step texts, in one locale.
/// `{name}` marks a value filled in with [`fill`].
#[derive(Debug)]
pub struct Texts {
    /// The BCP 47 tag (`lang`, `Content-Language`).
    pub tag: &'static str,
    /// Whether the text runs right to left (`dir="rtl"`).
    pub right_to_left: bool,
    /// Whether a field's label is lower-cased inside a sentence
    /// ("Enter your password."): not in German, Japanese or Arabic.
    pub lowercase_labels_in_sentences: bool,

    // The modal's own text.
    /// The close button's accessible name.
    pub close: &'static str,
    /// The footer.
    pub secured_by_keet: &'static str,
    /// After the footer, in the link frame only. `{company}`.
    pub password_never_shared: &'static str,
    /// `{company}` when the host gave no company name, inside a sentence.
    pub this_app: &'static str,
    /// The header's company line when the host gave no company name.
    pub this_app_heading: &'static str,
    /// The login step's title. `{integration}`.
    pub log_in_to: &'static str,
    /// The login step's lead when the server sent no prompt. `{integration}`.
    pub login_lead: &'static str,
    /// A re-link's title. `{integration}`.
    pub reconnect_title: &'static str,
    /// A re-link's sentence: the login broke and needs the password again.
    /// `{integration}`.
    pub reconnect_lead: &'static str,
    /// The login step's button.
    pub continue_button: &'static str,
    /// The code step's title.
    pub code_title: &'static str,
    /// The title of a second step that asks a question, not for a code (a
    /// step with no one-time-code field).
    pub question_title: &'static str,
    /// The code step's lead when the server sent no prompt.
    pub code_lead: &'static str,
    /// The code step's button.
    pub verify_button: &'static str,
    /// Shown while a call is being retried.
    pub retrying: &'static str,
    /// Shown while something on the host page covers the modal (a framed
    /// modal in a browser that can tell): typing and sending wait.
    pub covered: &'static str,
    /// The integration step's title.
    pub picker_title: &'static str,
    /// The integration step's sentence. `{company}`.
    pub picker_lead: &'static str,
    /// The label of the integration step's search box.
    pub search_label: &'static str,
    /// Read after the list changes: how many services it shows. `{count}`.
    pub picker_count: &'static str,
    /// Shown when the search matches no service.
    pub picker_none: &'static str,
    /// The login form's way back to the list of services.
    pub other_service: &'static str,
    /// The title of a second step that asks the user to choose (where to send the code).
    pub choice_title: &'static str,
    /// The approve step's title.
    pub approve_title: &'static str,
    /// Announced while the approve step waits for the other device.
    pub approve_waiting: &'static str,
    /// The approve step's way to a code step instead.
    pub use_code: &'static str,
    /// The error view's sentence when the login was denied on the other device.
    pub approval_denied: &'static str,
    /// Checks: a choice field with an unknown option chosen.
    pub choose_one: &'static str,
    /// The success view's title.
    pub linked_title: &'static str,
    /// The success view's sentence. `{integration}`, `{company}`.
    pub linked_lead: &'static str,
    /// The locked view's title.
    pub locked_title: &'static str,
    /// The locked view's sentence: what the user can do. `{integration}`.
    pub locked_lead: &'static str,
    /// The expired view's title.
    pub expired_title: &'static str,
    /// The expired view's sentence. `{company}`.
    pub expired_lead: &'static str,
    /// The error view's title.
    pub failed_title: &'static str,
    /// No answer could be had: offline, DNS, CORS.
    pub failed_network: &'static str,
    /// No answer in time.
    pub failed_timeout: &'static str,
    /// Too many attempts (429).
    pub failed_rate_limited: &'static str,
    /// Anything else: the server's fault, or an answer that made no sense.
    pub failed_server: &'static str,
    /// The error view's retry button.
    pub try_again: &'static str,
    /// The closing button of the outcome views.
    pub close_button: &'static str,
    /// The code step's button for a new code.
    pub resend_button: &'static str,
    /// The same, counting down. `{seconds}`.
    pub resend_in: &'static str,
    /// Said once a new code is on its way.
    pub code_resent: &'static str,
    /// No more codes can be sent for this link.
    pub resend_limit: &'static str,
    /// The login form's link to the service's password reset.
    pub forgot_password: &'static str,
    /// The login form's link to the service's help.
    pub login_help: &'static str,
    /// Said to screen readers after a link that opens a new tab.
    pub opens_in_new_tab: &'static str,

    // The field checks, which the widget and the API share.
    /// Checks: an empty required field. `{label}`.
    pub required: &'static str,
    /// Checks: too long. `{label}`, `{max}`.
    pub too_long: &'static str,
    /// Checks: not an email address.
    pub invalid_email: &'static str,
    /// Checks: not an international phone number.
    pub invalid_phone: &'static str,
    /// Checks: a code of the wrong length. `{length}`.
    pub code_of_length: &'static str,
    /// Checks: a code with other characters than digits.
    pub code_digits_only: &'static str,
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
