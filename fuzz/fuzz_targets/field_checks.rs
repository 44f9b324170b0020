//! The protocol's checks on what a person typed or a backend sent: every
//! field of every integration, the link config, the display checks. None
//! may panic, and every refusal is a sentence.
#![no_main]

use keet_link::i18n::Locale;
use keet_link::protocol::{is_display_safe, normalize_phone, LinkConfig};
use keet_sandbox::catalogue::CATALOGUE;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for locale in Locale::ALL.iter().copied() {
        for integration in CATALOGUE {
            for field in integration
                .login_fields(locale)
                .into_iter()
                .chain(integration.code_fields(locale))
                .chain(integration.answer_fields(locale))
                .chain(integration.code_channel_fields(locale))
            {
                if let Err((_, message)) = field.check_value(&text, locale.texts()) {
                    assert!(message.ends_with(['.', '。']), "not a sentence: {message}");
                }
            }
        }
    }
    let _ = is_display_safe(&text);
    let _ = normalize_phone(&text);
    let mut parts = text.splitn(4, '\u{1f}');
    let config = LinkConfig {
        end_user_id: parts.next().unwrap_or_default().to_owned(),
        integration: parts.next().map(str::to_owned),
        integrations: None,
        company_name: parts.next().map(str::to_owned),
        company_logo_uri: parts.next().map(str::to_owned),
    };
    for error in config.validate() {
        assert!(error.field.starts_with("linkConfig."), "{}", error.field);
        assert!(!error.message.contains("::"), "{}", error.message);
    }
});
