//! The API's own words in each locale: step labels, prompts and the
//! answers to a wrong login. The widget never shows these but as the API
//! sent them, so they are the sandbox's alone. Each locale of
//! `keet-link-i18n` has a file here; [`api_texts`] matches every one, so
//! the compiler names a locale that lacks its file.

use keet_link_i18n::Locale;

mod ar;
mod de;
mod en;
mod es;
mod fr;
mod ja;
mod pt_br;

/// The API's words in `locale`.
pub fn api_texts(locale: Locale) -> &'static ApiTexts {
    match locale {
        Locale::Ar => &ar::API_TEXTS,
        Locale::De => &de::API_TEXTS,
        Locale::En => &en::API_TEXTS,
        Locale::Es => &es::API_TEXTS,
        Locale::Fr => &fr::API_TEXTS,
        Locale::Ja => &ja::API_TEXTS,
        Locale::PtBr => &pt_br::API_TEXTS,
    }
}

/// The API's own text in one locale: step labels, prompts and the answers
/// to a wrong login.
#[derive(Debug)]
pub struct ApiTexts {
    /// The code step's prompt, by text message. `{destination}`.
    pub code_prompt_sms: &'static str,
    /// The code step's prompt, by email. `{destination}`.
    pub code_prompt_email: &'static str,
    /// The code step's prompt, from an app. `{length}`, `{integration}`.
    pub code_prompt_app: &'static str,
    /// A wrong username or password.
    pub wrong_password: &'static str,
    /// A phone number with no account (passwordless logins).
    pub unknown_phone: &'static str,
    /// A wrong code.
    pub wrong_code: &'static str,
    /// A re-link with another login than the linked one.
    pub other_login: &'static str,
    /// The security question's prompt.
    pub security_question: &'static str,
    /// A wrong answer to it.
    pub wrong_answer: &'static str,
    /// The prompt of the choice of where to send the code.
    pub where_to_send_code: &'static str,
    /// That choice's text-message option. `{destination}`.
    pub send_by_sms: &'static str,
    /// That choice's email option. `{destination}`.
    pub send_by_email: &'static str,
    /// The approve step's prompt. `{integration}`.
    pub approve_prompt: &'static str,
    /// A choice of integration that is not on offer.
    pub unknown_integration: &'static str,
    /// Field labels.
    pub labels: Labels,
}

/// The labels of the catalogue's fields, in one locale.
#[derive(Debug)]
pub struct Labels {
    /// "Password".
    pub password: &'static str,
    /// "Phone number".
    pub phone_number: &'static str,
    /// "Verification code".
    pub verification_code: &'static str,
    /// "Answer", the security question's field.
    pub answer: &'static str,
    /// The choice of where the code goes.
    pub send_code_by: &'static str,
    /// Instagram's identifier.
    pub phone_username_or_email: &'static str,
    /// LinkedIn's identifier.
    pub email_or_phone: &'static str,
    /// Amazon's identifier.
    pub email_or_mobile_number: &'static str,
    /// Amazon Business's identifier.
    pub business_email_or_username: &'static str,
    /// Amazon Seller's identifier.
    pub seller_email_or_username: &'static str,
    /// X's identifier.
    pub phone_email_or_username: &'static str,
    /// Venmo's identifier.
    pub email_phone_or_username: &'static str,
    /// Facebook's identifier.
    pub email_address_or_phone_number: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;
    use keet_link_i18n::placeholders;

    #[test]
    fn every_locale_addresses_the_user_in_one_register() {
        for locale in Locale::ALL {
            let texts = api_texts(*locale);
            for sentence in [
                texts.code_prompt_sms,
                texts.code_prompt_email,
                texts.code_prompt_app,
                texts.wrong_password,
                texts.unknown_phone,
                texts.wrong_code,
                texts.other_login,
                texts.security_question,
                texts.wrong_answer,
                texts.where_to_send_code,
                texts.approve_prompt,
                texts.unknown_integration,
            ] {
                assert_eq!(
                    locale.other_register_word(sentence),
                    None,
                    "{}: {sentence:?}",
                    locale.tag()
                );
            }
        }
    }

    #[test]
    fn every_locale_fills_the_same_prompt_placeholders_as_english() {
        let english = api_texts(Locale::En);
        for locale in Locale::ALL {
            let ours = api_texts(*locale);
            for (ours, english) in [
                (ours.code_prompt_sms, english.code_prompt_sms),
                (ours.code_prompt_email, english.code_prompt_email),
                (ours.code_prompt_app, english.code_prompt_app),
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
