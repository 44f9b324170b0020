//! French.

use super::{ApiTexts, Labels};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Saisissez le code envoyé par SMS au {destination}.",
    code_prompt_email: "Saisissez le code envoyé par e-mail à {destination}.",
    code_prompt_app: "Saisissez le code à {length} chiffres de votre application d’authentification pour {integration}.",
    wrong_password: "L’identifiant ou le mot de passe est incorrect.",
    unknown_phone: "Aucun compte ne correspond à ce numéro de téléphone.",
    wrong_code: "Ce code n’est pas le bon. Vérifiez-le et réessayez.",
    other_login: "Reconnectez-vous avec l’identifiant que vous aviez associé.",
    security_question: "Quel était le nom de votre premier animal de compagnie ?",
    wrong_answer: "Cette réponse n’est pas la bonne. Vérifiez-la et réessayez.",
    where_to_send_code: "Où devons-nous envoyer votre code ?",
    send_by_sms: "SMS au {destination}",
    send_by_email: "E-mail à {destination}",
    approve_prompt: "Nous avons envoyé une notification à votre autre appareil. Ouvrez {integration} sur celui-ci et approuvez cette connexion.",
    unknown_integration: "Choisissez l’un des services de la liste.",
    labels: Labels {
        password: "Mot de passe",
        phone_number: "Numéro de téléphone",
        verification_code: "Code de vérification",
        answer: "Réponse",
        send_code_by: "Envoyer le code par",
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
