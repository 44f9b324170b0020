//! German.

use super::{ApiTexts, Labels};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Geben Sie den Code ein, den wir per SMS an {destination} gesendet haben.",
    code_prompt_email: "Geben Sie den Code ein, den wir per E-Mail an {destination} gesendet haben.",
    code_prompt_app: "Geben Sie den {length}-stelligen Code aus Ihrer Authentifizierungs-App für {integration} ein.",
    wrong_password: "Benutzername oder Passwort ist falsch.",
    unknown_phone: "Zu dieser Telefonnummer haben wir kein Konto gefunden.",
    wrong_code: "Dieser Code ist nicht richtig. Prüfen Sie ihn und versuchen Sie es erneut.",
    other_login: "Melden Sie sich wieder mit dem Login an, das Sie zuvor verknüpft haben.",
    security_question: "Wie hieß Ihr erstes Haustier?",
    wrong_answer: "Diese Antwort stimmt nicht. Prüfen Sie sie und versuchen Sie es erneut.",
    where_to_send_code: "Wohin sollen wir Ihren Code senden?",
    send_by_sms: "SMS an {destination}",
    send_by_email: "E-Mail an {destination}",
    approve_prompt: "Wir haben eine Benachrichtigung an Ihr anderes Gerät gesendet. Öffnen Sie dort {integration} und bestätigen Sie diese Anmeldung.",
    unknown_integration: "Wählen Sie einen der Dienste aus der Liste.",
    labels: Labels {
        password: "Passwort",
        phone_number: "Telefonnummer",
        verification_code: "Bestätigungscode",
        answer: "Antwort",
        send_code_by: "Code senden per",
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
