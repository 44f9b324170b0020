//! The integration catalogue: the one place that knows how each service's
//! login looks. The widget renders whatever fields these entries produce, so
//! adding an integration is one entry in [`CATALOGUE`], not widget code.

use keet_link_i18n::{fill, Locale};

use crate::texts::{api_texts, Labels};
use keet_link_protocol::{ChoiceOption, FieldKind, FieldSpec, IntegrationBrand, IntegrationOption};
use serde::Serialize;

/// How the first step of an integration's login looks.
#[derive(Debug, Clone, Copy)]
pub enum Login {
    /// An identifier (username, email or phone in one box) and a password.
    Password {
        /// The identifier's visible label, as the service words it (each
        /// locale's words are in `keet_link_i18n`).
        identifier_label: fn(&Labels) -> &'static str,
    },
    /// A phone number, then a code: no password at all.
    Passwordless,
}

/// How the one-time code of the second step reaches the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum CodeChannel {
    /// A text message.
    Sms,
    /// An email.
    Email,
    /// An authenticator app.
    AuthenticatorApp,
}

/// One integration of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Integration {
    /// Exactly as Keet documents it.
    pub name: &'static str,
    /// `#RRGGBB`.
    pub brand_color: &'static str,
    /// The first step.
    pub login: Login,
    /// Where the code of the second step is sent.
    pub code_channel: CodeChannel,
    /// The service's password reset page (none for a passwordless login).
    pub forgot_password_url: Option<&'static str>,
    /// The service's help with logging in.
    pub help_url: &'static str,
}

/// Digits of every one-time code.
pub const CODE_LENGTH: u32 = 6;
/// Longest identifier or password accepted.
const MAX_LOGIN_CHARS: u32 = 256;
/// Longest phone number accepted, separators included.
const MAX_PHONE_CHARS: u32 = 20;

/// The ten integrations, in Keet's order.
pub const CATALOGUE: &[Integration] = &[
    Integration {
        name: "Instagram",
        brand_color: "#E1306C",
        login: Login::Password {
            identifier_label: |labels| labels.phone_username_or_email,
        },
        code_channel: CodeChannel::Sms,
        forgot_password_url: Some("https://www.instagram.com/accounts/password/reset/"),
        help_url: "https://help.instagram.com/",
    },
    Integration {
        name: "LinkedIn",
        brand_color: "#0A66C2",
        login: Login::Password {
            identifier_label: |labels| labels.email_or_phone,
        },
        code_channel: CodeChannel::Email,
        forgot_password_url: Some("https://www.linkedin.com/checkpoint/rp/request-password-reset"),
        help_url: "https://www.linkedin.com/help/linkedin",
    },
    Integration {
        name: "Amazon",
        brand_color: "#FF9900",
        login: Login::Password {
            identifier_label: |labels| labels.email_or_mobile_number,
        },
        code_channel: CodeChannel::Sms,
        forgot_password_url: Some("https://www.amazon.com/ap/forgotpassword"),
        help_url: "https://www.amazon.com/gp/help/customer/display.html",
    },
    Integration {
        name: "Amazon Business",
        brand_color: "#232F3E",
        login: Login::Password {
            identifier_label: |labels| labels.business_email_or_username,
        },
        code_channel: CodeChannel::Email,
        forgot_password_url: Some("https://www.amazon.com/ap/forgotpassword"),
        help_url: "https://www.amazon.com/gp/help/customer/display.html",
    },
    Integration {
        name: "Amazon Seller",
        brand_color: "#146EB4",
        login: Login::Password {
            identifier_label: |labels| labels.seller_email_or_username,
        },
        code_channel: CodeChannel::AuthenticatorApp,
        forgot_password_url: Some("https://sellercentral.amazon.com/ap/forgotpassword"),
        help_url: "https://sellercentral.amazon.com/help/hub/reference",
    },
    Integration {
        name: "X",
        brand_color: "#000000",
        login: Login::Password {
            identifier_label: |labels| labels.phone_email_or_username,
        },
        code_channel: CodeChannel::AuthenticatorApp,
        forgot_password_url: Some("https://x.com/i/flow/password_reset"),
        help_url: "https://help.x.com/",
    },
    Integration {
        name: "Venmo",
        brand_color: "#008CFF",
        login: Login::Password {
            identifier_label: |labels| labels.email_phone_or_username,
        },
        code_channel: CodeChannel::Sms,
        forgot_password_url: Some("https://id.venmo.com/signin/forgot-password"),
        help_url: "https://help.venmo.com/",
    },
    Integration {
        name: "Facebook",
        brand_color: "#1877F2",
        login: Login::Password {
            identifier_label: |labels| labels.email_address_or_phone_number,
        },
        code_channel: CodeChannel::AuthenticatorApp,
        forgot_password_url: Some("https://www.facebook.com/login/identify/"),
        help_url: "https://www.facebook.com/help/",
    },
    Integration {
        name: "WhatsApp",
        brand_color: "#25D366",
        login: Login::Passwordless,
        code_channel: CodeChannel::Sms,
        forgot_password_url: None,
        help_url: "https://faq.whatsapp.com/",
    },
    Integration {
        name: "Uber",
        brand_color: "#000000",
        login: Login::Passwordless,
        code_channel: CodeChannel::Sms,
        forgot_password_url: None,
        help_url: "https://help.uber.com/",
    },
];

/// The integration called exactly `name`, if the catalogue has it.
pub fn find(name: &str) -> Option<&'static Integration> {
    CATALOGUE
        .iter()
        .find(|integration| integration.name == name)
}

/// The catalogue's names, for error messages.
pub fn names() -> String {
    CATALOGUE
        .iter()
        .map(|integration| integration.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the demo page and the end-to-end tests know of an integration:
/// the answer of `GET /demo/integrations` and `keet-sandbox --catalogue`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Listing {
    /// Exactly as Keet documents it.
    pub name: &'static str,
    /// Whether the first step asks for a phone number instead of a password.
    pub passwordless: bool,
    /// Where the code goes.
    pub code_channel: CodeChannel,
}

/// The whole catalogue as [`Listing`]s, in Keet's order.
pub fn listing() -> Vec<Listing> {
    CATALOGUE
        .iter()
        .map(|integration| Listing {
            name: integration.name,
            passwordless: matches!(integration.login, Login::Passwordless),
            code_channel: integration.code_channel,
        })
        .collect()
}

/// The passwordless integrations' names, for the sandbox's help text.
pub fn passwordless_names() -> String {
    listing()
        .into_iter()
        .filter(|listing| listing.passwordless)
        .map(|listing| listing.name)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Integration {
    /// Name and colour, as an integration step offers it.
    pub fn option(&self) -> IntegrationOption {
        IntegrationOption {
            name: self.name.to_owned(),
            brand_color: self.brand_color.to_owned(),
        }
    }

    /// Name and colour, as the session response shows them.
    pub fn brand(&self) -> IntegrationBrand {
        IntegrationBrand {
            name: self.name.to_owned(),
            brand_color: self.brand_color.to_owned(),
            forgot_password_url: self.forgot_password_url.map(str::to_owned),
            help_url: Some(self.help_url.to_owned()),
        }
    }

    /// The fields of the first step, labelled in `locale`.
    pub fn login_fields(&self, locale: Locale) -> Vec<FieldSpec> {
        let labels = &api_texts(locale).labels;
        match self.login {
            Login::Password { identifier_label } => vec![
                field(
                    "username",
                    identifier_label(labels),
                    FieldKind::Text,
                    "username",
                    MAX_LOGIN_CHARS,
                ),
                field(
                    "password",
                    labels.password,
                    FieldKind::Password,
                    "current-password",
                    MAX_LOGIN_CHARS,
                ),
            ],
            Login::Passwordless => {
                vec![field(
                    "phone",
                    labels.phone_number,
                    FieldKind::Phone,
                    "tel",
                    MAX_PHONE_CHARS,
                )]
            }
        }
    }

    /// The fields of the code step, labelled in `locale`.
    pub fn code_fields(&self, locale: Locale) -> Vec<FieldSpec> {
        let mut code = field(
            "code",
            api_texts(locale).labels.verification_code,
            FieldKind::Otp,
            "one-time-code",
            CODE_LENGTH,
        );
        code.length = Some(CODE_LENGTH);
        vec![code]
    }

    /// The security question's one field, in `locale`.
    pub fn answer_fields(&self, locale: Locale) -> Vec<FieldSpec> {
        vec![field(
            "answer",
            api_texts(locale).labels.answer,
            FieldKind::Text,
            "off",
            MAX_ANSWER_CHARS,
        )]
    }

    /// The sentence above the code field, in `locale`; `destination_hint`
    /// is the masked phone or address the code went to. In a right-to-left
    /// locale the hint is isolated as a left-to-right run (U+2066 … U+2069),
    /// so "•••• 0100" is not reordered.
    pub fn code_prompt(&self, locale: Locale, destination_hint: &str) -> String {
        self.code_prompt_via(self.code_channel, locale, destination_hint)
    }

    /// [`Integration::code_prompt`] for a code sent by `channel` (the one
    /// the user chose).
    pub fn code_prompt_via(
        &self,
        channel: CodeChannel,
        locale: Locale,
        destination_hint: &str,
    ) -> String {
        let texts = api_texts(locale);
        let destination = if locale.is_rtl() {
            ["\u{2066}", destination_hint, "\u{2069}"].concat()
        } else {
            destination_hint.to_owned()
        };
        match channel {
            CodeChannel::Sms => fill(texts.code_prompt_sms, &[("destination", &destination)]),
            CodeChannel::Email => fill(texts.code_prompt_email, &[("destination", &destination)]),
            CodeChannel::AuthenticatorApp => fill(
                texts.code_prompt_app,
                &[
                    ("length", &CODE_LENGTH.to_string()),
                    ("integration", self.name),
                ],
            ),
        }
    }

    /// Where a code for the sandbox's test users "goes".
    pub fn masked_destination(&self, phone: Option<&str>) -> String {
        masked_destination(self.code_channel, phone)
    }

    /// The choice of where a code goes: by text or by email, each with
    /// its masked destination, in `locale`.
    pub fn code_channel_fields(&self, locale: Locale) -> Vec<FieldSpec> {
        let texts = api_texts(locale);
        let option = |channel: CodeChannel, value: &str, template: &str| ChoiceOption {
            value: value.to_owned(),
            label: fill(
                template,
                &[("destination", &masked_destination(channel, None))],
            ),
        };
        let mut method = field(
            "method",
            texts.labels.send_code_by,
            FieldKind::Choice,
            "off",
            MAX_CHOICE_CHARS,
        );
        method.options = vec![
            option(CodeChannel::Sms, "sms", texts.send_by_sms),
            option(CodeChannel::Email, "email", texts.send_by_email),
        ];
        vec![method]
    }
}

/// The longest value of a choice field.
const MAX_CHOICE_CHARS: u32 = 16;

/// Where a code sent by `channel` "goes", masked; `phone` is the number a
/// passwordless login gave.
pub fn masked_destination(channel: CodeChannel, phone: Option<&str>) -> String {
    {
        match (channel, phone) {
            (CodeChannel::Email, _) => "u•••@example.com".to_owned(),
            (_, Some(phone)) => {
                // Characters, not bytes: never slice through a multi-byte character.
                let last: String = phone
                    .chars()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                format!("•••• {last}")
            }
            _ => "•••• 0100".to_owned(),
        }
    }
}

/// The longest answer to a security question.
const MAX_ANSWER_CHARS: u32 = 64;

fn field(
    name: &str,
    label: &str,
    kind: FieldKind,
    autocomplete: &str,
    max_length: u32,
) -> FieldSpec {
    FieldSpec {
        name: name.to_owned(),
        label: label.to_owned(),
        kind,
        autocomplete: Some(autocomplete.to_owned()),
        required: true,
        max_length: Some(max_length),
        length: None,
        value: None,
        read_only: false,
        options: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The contract lists the integrations (`IntegrationName`); the catalogue
    /// must serve exactly those, in the same order.
    #[test]
    fn catalogue_serves_exactly_the_integrations_of_the_contract() {
        let openapi: serde_json::Value =
            serde_yaml_ng::from_str(include_str!("../../spec/openapi.yaml"))
                .expect("spec/openapi.yaml is YAML");
        let documented: Vec<&str> = openapi
            .pointer("/components/schemas/IntegrationName/enum")
            .and_then(serde_json::Value::as_array)
            .expect("an IntegrationName schema with an enum")
            .iter()
            .map(|name| name.as_str().expect("a name"))
            .collect();
        let served: Vec<&str> = CATALOGUE.iter().map(|i| i.name).collect();
        assert_eq!(served, documented);
    }

    #[test]
    fn only_whatsapp_and_uber_are_passwordless() {
        let passwordless: Vec<_> = CATALOGUE
            .iter()
            .filter(|i| matches!(i.login, Login::Passwordless))
            .map(|i| i.name)
            .collect();
        assert_eq!(passwordless, ["WhatsApp", "Uber"]);
    }

    #[test]
    fn brand_colours_are_hex() {
        for integration in CATALOGUE {
            let colour = integration.brand_color;
            assert!(colour.len() == 7 && colour.starts_with('#'), "{colour}");
            assert!(colour[1..].chars().all(|c| c.is_ascii_hexdigit()));
        }
    }

    #[test]
    fn masked_destination_shows_the_last_four_characters() {
        let whatsapp = find("WhatsApp").unwrap();
        assert_eq!(
            whatsapp.masked_destination(Some("+15555550100")),
            "•••• 0100"
        );
        assert_eq!(whatsapp.masked_destination(Some("+1é")), "•••• +1é");
    }

    #[test]
    fn lookup_is_exact() {
        assert!(find("Amazon Seller").is_some());
        assert!(find("amazon seller").is_none());
        assert!(find("Amazon ").is_none());
    }
}
