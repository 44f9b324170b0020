//! Spanish.

use super::{ApiTexts, Labels};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Introduce el código que te hemos enviado por SMS al {destination}.",
    code_prompt_email: "Introduce el código que te hemos enviado por correo a {destination}.",
    code_prompt_app: "Introduce el código de {length} dígitos de tu aplicación de autenticación para {integration}.",
    wrong_password: "El usuario o la contraseña no son correctos.",
    unknown_phone: "No encontramos ninguna cuenta con ese número de teléfono.",
    wrong_code: "Ese código no es correcto. Revísalo y vuelve a intentarlo.",
    other_login: "Vuelve a conectar con el inicio de sesión que vinculaste antes.",
    security_question: "¿Cómo se llamaba tu primera mascota?",
    wrong_answer: "Esa respuesta no es correcta. Revísala e inténtalo de nuevo.",
    where_to_send_code: "¿Adónde enviamos tu código?",
    send_by_sms: "SMS a {destination}",
    send_by_email: "Correo a {destination}",
    approve_prompt: "Enviamos una notificación a tu otro dispositivo. Abre {integration} allí y aprueba este inicio de sesión.",
    unknown_integration: "Elige uno de los servicios de la lista.",
    labels: Labels {
        password: "Contraseña",
        phone_number: "Número de teléfono",
        verification_code: "Código de verificación",
        answer: "Respuesta",
        send_code_by: "Enviar el código por",
        phone_username_or_email: "Teléfono, usuario o correo electrónico",
        email_or_phone: "Correo electrónico o teléfono",
        email_or_mobile_number: "Correo electrónico o número de móvil",
        business_email_or_username: "Correo de empresa o usuario",
        seller_email_or_username: "Correo de vendedor o usuario",
        phone_email_or_username: "Teléfono, correo electrónico o usuario",
        email_phone_or_username: "Correo electrónico, teléfono o usuario",
        email_address_or_phone_number: "Correo electrónico o número de teléfono",
    },
};
