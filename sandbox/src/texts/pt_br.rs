//! Brazilian Portuguese.

use super::{ApiTexts, Labels};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Informe o código que enviamos por SMS para {destination}.",
    code_prompt_email: "Informe o código que enviamos por e-mail para {destination}.",
    code_prompt_app:
        "Informe o código de {length} dígitos do seu app autenticador para o {integration}.",
    wrong_password: "O usuário ou a senha estão incorretos.",
    unknown_phone: "Não encontramos nenhuma conta com esse número de telefone.",
    wrong_code: "Esse código não está certo. Confira e tente de novo.",
    other_login: "Reconecte com o login que você vinculou antes.",
    security_question: "Qual era o nome do seu primeiro animal de estimação?",
    wrong_answer: "Essa resposta não está certa. Confira e tente de novo.",
    where_to_send_code: "Para onde devemos enviar seu código?",
    send_by_sms: "SMS para {destination}",
    send_by_email: "E-mail para {destination}",
    approve_prompt: "Enviamos uma notificação para seu outro dispositivo. Abra o {integration} nele e aprove este login.",
    unknown_integration: "Escolha um dos serviços da lista.",
    labels: Labels {
        password: "Senha",
        phone_number: "Número de telefone",
        verification_code: "Código de verificação",
        answer: "Resposta",
        send_code_by: "Enviar o código por",
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
