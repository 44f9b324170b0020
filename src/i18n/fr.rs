//! French.

use super::{ApiTexts, Labels, Texts};

/// The BCP 47 tag (`lang`, `Content-Language`).
pub(super) const TAG: &str = "fr";
/// Whether the text runs right to left (`dir="rtl"`).
pub(super) const RIGHT_TO_LEFT: bool = false;

pub(super) const TEXTS: Texts = Texts {
    lowercase_labels_in_sentences: true,
    close: "Fermer",
    secured_by_keet: "Sécurisé par Keet.",
    password_never_shared: "Votre mot de passe n’est jamais communiqué à {company}.",
    this_app: "cette application",
    this_app_heading: "Cette application",
    log_in_to: "Connectez-vous à {integration}",
    login_lead: "Saisissez vos identifiants {integration} pour associer votre compte.",
    continue_button: "Continuer",
    code_title: "Saisissez votre code de vérification",
    code_lead: "Saisissez le code que vous avez reçu.",
    verify_button: "Vérifier",
    retrying: "Cela prend plus de temps que d’habitude. Nouvelle tentative…",
    linked_title: "Compte associé",
    linked_lead: "Votre compte {integration} est maintenant connecté à {company}.",
    locked_title: "Votre compte est bloqué",
    locked_lead: "{integration} a bloqué votre compte. Débloquez-le auprès de {integration}, par exemple en y réinitialisant votre mot de passe, puis réessayez.",
    expired_title: "Ce lien a expiré",
    expired_lead: "Fermez cette fenêtre et recommencez depuis {company}.",
    failed_title: "Un problème est survenu",
    failed_network: "Connexion impossible. Vérifiez votre connexion internet et réessayez.",
    failed_timeout: "Cela prend trop de temps. Réessayez dans un instant.",
    failed_rate_limited: "Trop de tentatives. Patientez un instant, puis réessayez.",
    failed_server: "Un problème est survenu de notre côté. Réessayez dans un instant.",
    try_again: "Réessayer",
    close_button: "Fermer",
    resend_button: "Envoyer un nouveau code",
    resend_in: "Envoyer un nouveau code dans {seconds} s",
    code_resent: "Nous vous avons envoyé un nouveau code.",
    resend_limit: "Vous ne pouvez plus recevoir de code pour ce lien. Fermez cette fenêtre et recommencez.",
    forgot_password: "Mot de passe oublié ?",
    login_help: "Un problème pour vous connecter ?",
    opens_in_new_tab: "(s’ouvre dans un nouvel onglet)",
    required: "Saisissez votre {label}.",
    too_long: "{label} ne doit pas dépasser {max} caractères.",
    invalid_email: "Saisissez une adresse e-mail valide.",
    invalid_phone: "Saisissez le numéro de téléphone avec son indicatif pays, par ex. +15555550100.",
    code_of_length: "Saisissez le code à {length} chiffres.",
    code_digits_only: "Saisissez le code, uniquement des chiffres.",
};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Saisissez le code envoyé par SMS au {destination}.",
    code_prompt_email: "Saisissez le code envoyé par e-mail à {destination}.",
    code_prompt_app: "Saisissez le code à {length} chiffres de votre application d’authentification pour {integration}.",
    wrong_password: "L’identifiant ou le mot de passe est incorrect.",
    unknown_phone: "Aucun compte ne correspond à ce numéro de téléphone.",
    wrong_code: "Ce code n’est pas le bon. Vérifiez-le et réessayez.",
    labels: Labels {
        password: "Mot de passe",
        phone_number: "Numéro de téléphone",
        verification_code: "Code de vérification",
        phone_username_or_email: "Téléphone, nom d’utilisateur ou e-mail",
        email_or_phone: "E-mail ou téléphone",
        email_or_mobile_number: "E-mail ou numéro de mobile",
        business_email_or_username: "E-mail professionnel ou nom d’utilisateur",
        seller_email_or_username: "E-mail vendeur ou nom d’utilisateur",
        phone_email_or_username: "Téléphone, e-mail ou nom d’utilisateur",
        email_phone_or_username: "E-mail, téléphone ou nom d’utilisateur",
        email_address_or_phone_number: "Adresse e-mail ou numéro de téléphone",
    },
};
