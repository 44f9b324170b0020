//! Japanese.

use super::{ApiTexts, Labels};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "{destination} に SMS で送信したコードを入力してください。",
    code_prompt_email: "{destination} にメールで送信したコードを入力してください。",
    code_prompt_app:
        "{integration} の認証アプリに表示される {length} 桁のコードを入力してください。",
    wrong_password: "ユーザー名またはパスワードが正しくありません。",
    unknown_phone: "この電話番号のアカウントが見つかりませんでした。",
    wrong_code: "コードが正しくありません。確認して、もう一度お試しください。",
    other_login: "以前に連携したログインで再接続してください。",
    security_question: "最初に飼ったペットの名前は何ですか？",
    wrong_answer: "その答えは正しくありません。確認してもう一度お試しください。",
    where_to_send_code: "コードの送信先を選んでください。",
    send_by_sms: "{destination} にSMSで送信",
    send_by_email: "{destination} にメールで送信",
    approve_prompt: "別のデバイスに通知を送信しました。そのデバイスで {integration} を開き、このログインを承認してください。",
    unknown_integration: "リストにあるサービスを選んでください。",
    labels: Labels {
        password: "パスワード",
        phone_number: "電話番号",
        verification_code: "確認コード",
        answer: "答え",
        send_code_by: "コードの送信方法",
        phone_username_or_email: "電話番号、ユーザーネーム、またはメールアドレス",
        email_or_phone: "メールアドレスまたは電話番号",
        email_or_mobile_number: "メールアドレスまたは携帯電話番号",
        business_email_or_username: "ビジネス用メールアドレスまたはユーザー名",
        seller_email_or_username: "出品者のメールアドレスまたはユーザー名",
        phone_email_or_username: "電話番号、メールアドレス、またはユーザー名",
        email_phone_or_username: "メールアドレス、電話番号、またはユーザー名",
        email_address_or_phone_number: "メールアドレスまたは電話番号",
    },
};
