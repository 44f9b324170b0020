//! Brazilian Portuguese.

use super::{ApiTexts, Labels, Texts};

/// The BCP 47 tag (`lang`, `Content-Language`).
pub(super) const TAG: &str = "pt-BR";
/// Whether the text runs right to left (`dir="rtl"`).
pub(super) const RIGHT_TO_LEFT: bool = false;

pub(super) const TEXTS: Texts = Texts {
    lowercase_labels_in_sentences: true,
    close: "Fechar",
    secured_by_keet: "Protegido pela Keet.",
    password_never_shared: "Sua senha nunca é compartilhada com {company}.",
    this_app: "este app",
    this_app_heading: "Este app",
    log_in_to: "Entre no {integration}",
    login_lead: "Informe seus dados de acesso do {integration} para vincular sua conta.",
    continue_button: "Continuar",
    code_title: "Informe seu código de verificação",
    code_lead: "Informe o código que você recebeu.",
    verify_button: "Verificar",
    retrying: "Está demorando mais que o normal. Tentando de novo…",
    linked_title: "Conta vinculada",
    linked_lead: "Sua conta do {integration} agora está conectada a {company}.",
    locked_title: "Sua conta está bloqueada",
    locked_lead: "O {integration} bloqueou sua conta. Desbloqueie-a no {integration}, por exemplo redefinindo sua senha lá, e tente de novo.",
    expired_title: "Este link expirou",
    expired_lead: "Feche esta janela e comece de novo em {company}.",
    failed_title: "Algo deu errado",
    failed_network: "Não conseguimos conectar. Verifique sua conexão com a internet e tente de novo.",
    failed_timeout: "Está demorando demais. Tente de novo em instantes.",
    failed_rate_limited: "Houve tentativas demais. Aguarde um pouco e tente de novo.",
    failed_server: "Algo deu errado do nosso lado. Tente de novo em instantes.",
    try_again: "Tentar de novo",
    close_button: "Fechar",
    resend_button: "Enviar um novo código",
    resend_in: "Enviar um novo código em {seconds} s",
    code_resent: "Enviamos um novo código para você.",
    resend_limit: "Não é possível receber outro código com este link. Feche esta janela e comece de novo.",
    forgot_password: "Esqueceu sua senha?",
    login_help: "Problemas para entrar?",
    opens_in_new_tab: "(abre em uma nova aba)",
    required: "Informe seu {label}.",
    too_long: "{label} deve ter no máximo {max} caracteres.",
    invalid_email: "Informe um endereço de e-mail válido.",
    invalid_phone: "Informe o número de telefone com o código do país, por exemplo +15555550100.",
    code_of_length: "Informe o código de {length} dígitos.",
    code_digits_only: "Informe o código, somente dígitos.",
};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Informe o código que enviamos por SMS para {destination}.",
    code_prompt_email: "Informe o código que enviamos por e-mail para {destination}.",
    code_prompt_app:
        "Informe o código de {length} dígitos do seu app autenticador para o {integration}.",
    wrong_password: "O usuário ou a senha estão incorretos.",
    unknown_phone: "Não encontramos nenhuma conta com esse número de telefone.",
    wrong_code: "Esse código não está certo. Confira e tente de novo.",
    labels: Labels {
        password: "Senha",
        phone_number: "Número de telefone",
        verification_code: "Código de verificação",
        phone_username_or_email: "Telefone, nome de usuário ou e-mail",
        email_or_phone: "E-mail ou telefone",
        email_or_mobile_number: "E-mail ou número de celular",
        business_email_or_username: "E-mail corporativo ou nome de usuário",
        seller_email_or_username: "E-mail de vendedor ou nome de usuário",
        phone_email_or_username: "Telefone, e-mail ou nome de usuário",
        email_phone_or_username: "E-mail, telefone ou nome de usuário",
        email_address_or_phone_number: "Endereço de e-mail ou número de telefone",
    },
};
