//! Japanese.

use super::{ApiTexts, Labels, Texts};

/// The BCP 47 tag (`lang`, `Content-Language`).
pub(super) const TAG: &str = "ja";
/// Whether the text runs right to left (`dir="rtl"`).
pub(super) const RIGHT_TO_LEFT: bool = false;

pub(super) const TEXTS: Texts = Texts {
    lowercase_labels_in_sentences: false,
    close: "閉じる",
    secured_by_keet: "Keet によって保護されています。",
    password_never_shared: "パスワードが {company} に共有されることはありません。",
    this_app: "このアプリ",
    this_app_heading: "このアプリ",
    log_in_to: "{integration} にログイン",
    login_lead: "アカウントを連携するには、{integration} のログイン情報を入力してください。",
    continue_button: "続ける",
    code_title: "確認コードを入力",
    code_lead: "受け取ったコードを入力してください。",
    verify_button: "確認",
    retrying: "通常より時間がかかっています。再試行しています…",
    linked_title: "アカウントを連携しました",
    linked_lead: "{integration} アカウントが {company} に接続されました。",
    locked_title: "アカウントがロックされています",
    locked_lead: "{integration} によってアカウントがロックされました。{integration} でロックを解除してから（パスワードの再設定など）、もう一度お試しください。",
    expired_title: "このリンクは有効期限が切れています",
    expired_lead: "このウィンドウを閉じて、{company} からもう一度始めてください。",
    failed_title: "問題が発生しました",
    failed_network: "接続できませんでした。インターネット接続を確認して、もう一度お試しください。",
    failed_timeout: "時間がかかりすぎています。しばらくしてからもう一度お試しください。",
    failed_rate_limited: "試行回数が多すぎます。しばらく待ってから、もう一度お試しください。",
    failed_server: "こちらで問題が発生しました。しばらくしてからもう一度お試しください。",
    try_again: "もう一度試す",
    close_button: "閉じる",
    resend_button: "新しいコードを送信",
    resend_in: "{seconds} 秒後に新しいコードを送信できます",
    code_resent: "新しいコードを送信しました。",
    resend_limit: "このリンクではこれ以上コードを送信できません。このウィンドウを閉じて、もう一度始めてください。",
    forgot_password: "パスワードをお忘れですか？",
    login_help: "ログインできない場合",
    opens_in_new_tab: "（新しいタブで開きます）",
    required: "{label}を入力してください。",
    too_long: "{label}は {max} 文字以内で入力してください。",
    invalid_email: "有効なメールアドレスを入力してください。",
    invalid_phone: "国番号を付けて電話番号を入力してください（例: +15555550100）。",
    code_of_length: "{length} 桁のコードを入力してください。",
    code_digits_only: "コードは数字のみで入力してください。",
};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "{destination} に SMS で送信したコードを入力してください。",
    code_prompt_email: "{destination} にメールで送信したコードを入力してください。",
    code_prompt_app:
        "{integration} の認証アプリに表示される {length} 桁のコードを入力してください。",
    wrong_password: "ユーザー名またはパスワードが正しくありません。",
    unknown_phone: "この電話番号のアカウントが見つかりませんでした。",
    wrong_code: "コードが正しくありません。確認して、もう一度お試しください。",
    labels: Labels {
        password: "パスワード",
        phone_number: "電話番号",
        verification_code: "確認コード",
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
