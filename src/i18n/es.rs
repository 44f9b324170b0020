//! Spanish.

use super::{ApiTexts, Labels, Texts};

/// The BCP 47 tag (`lang`, `Content-Language`).
pub(super) const TAG: &str = "es";
/// Whether the text runs right to left (`dir="rtl"`).
pub(super) const RIGHT_TO_LEFT: bool = false;

pub(super) const TEXTS: Texts = Texts {
    lowercase_labels_in_sentences: true,
    close: "Cerrar",
    secured_by_keet: "Protegido por Keet.",
    password_never_shared: "Tu contraseña nunca se comparte con {company}.",
    this_app: "esta aplicación",
    this_app_heading: "Esta aplicación",
    log_in_to: "Inicia sesión en {integration}",
    login_lead: "Introduce tus datos de acceso de {integration} para vincular tu cuenta.",
    continue_button: "Continuar",
    code_title: "Introduce tu código de verificación",
    code_lead: "Introduce el código que has recibido.",
    verify_button: "Verificar",
    retrying: "Esto está tardando más de lo habitual. Reintentando…",
    linked_title: "Cuenta vinculada",
    linked_lead: "Tu cuenta de {integration} ya está conectada con {company}.",
    locked_title: "Tu cuenta está bloqueada",
    locked_lead: "{integration} ha bloqueado tu cuenta. Desbloquéala en {integration}, por ejemplo restableciendo allí tu contraseña, y vuelve a intentarlo.",
    expired_title: "Este enlace ha caducado",
    expired_lead: "Cierra esta ventana y vuelve a empezar desde {company}.",
    failed_title: "Algo ha salido mal",
    failed_network: "No hemos podido conectar. Comprueba tu conexión a internet y vuelve a intentarlo.",
    failed_timeout: "Esto está tardando demasiado. Vuelve a intentarlo en un momento.",
    failed_rate_limited: "Ha habido demasiados intentos. Espera un momento y vuelve a intentarlo.",
    failed_server: "Algo ha fallado por nuestra parte. Vuelve a intentarlo en un momento.",
    try_again: "Reintentar",
    close_button: "Cerrar",
    resend_button: "Enviar un código nuevo",
    resend_in: "Enviar un código nuevo en {seconds} s",
    code_resent: "Te hemos enviado un código nuevo.",
    resend_limit: "No puedes recibir más códigos con este enlace. Cierra esta ventana y vuelve a empezar.",
    forgot_password: "¿Has olvidado tu contraseña?",
    login_help: "¿Problemas para iniciar sesión?",
    opens_in_new_tab: "(se abre en una pestaña nueva)",
    required: "Introduce tu {label}.",
    too_long: "{label} no puede tener más de {max} caracteres.",
    invalid_email: "Introduce una dirección de correo válida.",
    invalid_phone: "Introduce el número de teléfono con su prefijo internacional, p. ej. +15555550100.",
    code_of_length: "Introduce el código de {length} dígitos.",
    code_digits_only: "Introduce el código, solo con dígitos.",
};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Introduce el código que te hemos enviado por SMS al {destination}.",
    code_prompt_email: "Introduce el código que te hemos enviado por correo a {destination}.",
    code_prompt_app: "Introduce el código de {length} dígitos de tu aplicación de autenticación para {integration}.",
    wrong_password: "El usuario o la contraseña no son correctos.",
    unknown_phone: "No encontramos ninguna cuenta con ese número de teléfono.",
    wrong_code: "Ese código no es correcto. Revísalo y vuelve a intentarlo.",
    labels: Labels {
        password: "Contraseña",
        phone_number: "Número de teléfono",
        verification_code: "Código de verificación",
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
