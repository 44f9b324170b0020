//! German.

use super::{ApiTexts, Labels, Texts};

/// The BCP 47 tag (`lang`, `Content-Language`).
pub(super) const TAG: &str = "de";
/// Whether the text runs right to left (`dir="rtl"`).
pub(super) const RIGHT_TO_LEFT: bool = false;

pub(super) const TEXTS: Texts = Texts {
    lowercase_labels_in_sentences: false,
    close: "Schließen",
    secured_by_keet: "Geschützt durch Keet.",
    password_never_shared: "Ihr Passwort wird niemals an {company} weitergegeben.",
    this_app: "diese App",
    this_app_heading: "Diese App",
    log_in_to: "Bei {integration} anmelden",
    login_lead: "Geben Sie Ihre Anmeldedaten für {integration} ein, um Ihr Konto zu verknüpfen.",
    continue_button: "Weiter",
    code_title: "Bestätigungscode eingeben",
    code_lead: "Geben Sie den Code ein, den Sie erhalten haben.",
    verify_button: "Bestätigen",
    retrying: "Das dauert länger als üblich. Neuer Versuch…",
    linked_title: "Konto verknüpft",
    linked_lead: "Ihr {integration}-Konto ist jetzt mit {company} verbunden.",
    locked_title: "Ihr Konto ist gesperrt",
    locked_lead: "{integration} hat Ihr Konto gesperrt. Entsperren Sie es bei {integration}, zum Beispiel indem Sie dort Ihr Passwort zurücksetzen, und versuchen Sie es dann erneut.",
    expired_title: "Dieser Link ist abgelaufen",
    expired_lead: "Schließen Sie dieses Fenster und beginnen Sie erneut bei {company}.",
    failed_title: "Etwas ist schiefgelaufen",
    failed_network: "Keine Verbindung möglich. Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.",
    failed_timeout: "Das dauert zu lange. Versuchen Sie es gleich noch einmal.",
    failed_rate_limited: "Zu viele Versuche. Warten Sie einen Moment und versuchen Sie es dann erneut.",
    failed_server: "Bei uns ist etwas schiefgelaufen. Versuchen Sie es gleich noch einmal.",
    try_again: "Erneut versuchen",
    close_button: "Schließen",
    resend_button: "Neuen Code senden",
    resend_in: "Neuen Code senden in {seconds} s",
    code_resent: "Wir haben Ihnen einen neuen Code gesendet.",
    resend_limit: "Für diesen Link können keine weiteren Codes gesendet werden. Schließen Sie dieses Fenster und beginnen Sie erneut.",
    forgot_password: "Passwort vergessen?",
    login_help: "Probleme bei der Anmeldung?",
    opens_in_new_tab: "(öffnet sich in einem neuen Tab)",
    required: "Geben Sie Folgendes ein: {label}.",
    too_long: "{label} darf höchstens {max} Zeichen lang sein.",
    invalid_email: "Geben Sie eine gültige E-Mail-Adresse ein.",
    invalid_phone: "Geben Sie die Telefonnummer mit Ländervorwahl ein, z. B. +15555550100.",
    code_of_length: "Geben Sie den {length}-stelligen Code ein.",
    code_digits_only: "Geben Sie den Code nur mit Ziffern ein.",
};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Geben Sie den Code ein, den wir per SMS an {destination} gesendet haben.",
    code_prompt_email: "Geben Sie den Code ein, den wir per E-Mail an {destination} gesendet haben.",
    code_prompt_app: "Geben Sie den {length}-stelligen Code aus Ihrer Authentifizierungs-App für {integration} ein.",
    wrong_password: "Benutzername oder Passwort ist falsch.",
    unknown_phone: "Zu dieser Telefonnummer haben wir kein Konto gefunden.",
    wrong_code: "Dieser Code ist nicht richtig. Prüfen Sie ihn und versuchen Sie es erneut.",
    labels: Labels {
        password: "Passwort",
        phone_number: "Telefonnummer",
        verification_code: "Bestätigungscode",
        phone_username_or_email: "Telefonnummer, Benutzername oder E-Mail-Adresse",
        email_or_phone: "E-Mail-Adresse oder Telefonnummer",
        email_or_mobile_number: "E-Mail-Adresse oder Mobiltelefonnummer",
        business_email_or_username: "Geschäftliche E-Mail-Adresse oder Benutzername",
        seller_email_or_username: "Verkäufer-E-Mail-Adresse oder Benutzername",
        phone_email_or_username: "Telefonnummer, E-Mail-Adresse oder Benutzername",
        email_phone_or_username: "E-Mail-Adresse, Telefonnummer oder Benutzername",
        email_address_or_phone_number: "E-Mail-Adresse oder Telefonnummer",
    },
};
