//! Arabic, right to left. Phone numbers and codes are isolated as
//! left-to-right runs by the view, not here.

use super::{ApiTexts, Labels, Texts};

/// The BCP 47 tag (`lang`, `Content-Language`).
pub(super) const TAG: &str = "ar";
/// Whether the text runs right to left (`dir="rtl"`).
pub(super) const RIGHT_TO_LEFT: bool = true;

pub(super) const TEXTS: Texts = Texts {
    lowercase_labels_in_sentences: false,
    close: "إغلاق",
    secured_by_keet: "محمي بواسطة Keet.",
    password_never_shared: "لا تتم مشاركة كلمة المرور الخاصة بك مع {company} أبدًا.",
    this_app: "هذا التطبيق",
    this_app_heading: "هذا التطبيق",
    log_in_to: "تسجيل الدخول إلى {integration}",
    login_lead: "أدخل بيانات تسجيل الدخول إلى {integration} لربط حسابك.",
    continue_button: "متابعة",
    code_title: "أدخل رمز التحقق",
    code_lead: "أدخل الرمز الذي تلقيته.",
    verify_button: "تحقق",
    retrying: "يستغرق هذا وقتًا أطول من المعتاد. جارٍ إعادة المحاولة…",
    linked_title: "تم ربط الحساب",
    linked_lead: "أصبح حسابك على {integration} متصلًا الآن بـ {company}.",
    locked_title: "حسابك مقفل",
    locked_lead: "قام {integration} بقفل حسابك. افتح القفل لدى {integration}، مثلًا بإعادة تعيين كلمة المرور هناك، ثم حاول مرة أخرى.",
    expired_title: "انتهت صلاحية هذا الرابط",
    expired_lead: "أغلق هذه النافذة وابدأ من جديد من {company}.",
    failed_title: "حدث خطأ ما",
    failed_network: "تعذر الاتصال. تحقق من اتصالك بالإنترنت وحاول مرة أخرى.",
    failed_timeout: "يستغرق هذا وقتًا طويلًا. حاول مرة أخرى بعد قليل.",
    failed_rate_limited: "محاولات كثيرة جدًا. انتظر قليلًا ثم حاول مرة أخرى.",
    failed_server: "حدث خطأ من جهتنا. حاول مرة أخرى بعد قليل.",
    try_again: "حاول مرة أخرى",
    close_button: "إغلاق",
    resend_button: "إرسال رمز جديد",
    resend_in: "إرسال رمز جديد بعد {seconds} ث",
    code_resent: "أرسلنا إليك رمزًا جديدًا.",
    resend_limit: "لا يمكنك الحصول على رمز آخر لهذا الرابط. أغلق هذه النافذة وابدأ من جديد.",
    forgot_password: "هل نسيت كلمة المرور؟",
    login_help: "هل تواجه مشكلة في تسجيل الدخول؟",
    opens_in_new_tab: "(يفتح في علامة تبويب جديدة)",
    required: "أدخل {label}.",
    too_long: "يجب ألا يزيد {label} عن {max} حرفًا.",
    invalid_email: "أدخل عنوان بريد إلكتروني صالحًا.",
    invalid_phone: "أدخل رقم الهاتف مع رمز البلد، مثل ‎+15555550100‎.",
    code_of_length: "أدخل الرمز المكوّن من {length} أرقام.",
    code_digits_only: "أدخل الرمز بالأرقام فقط.",
};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "أدخل الرمز الذي أرسلناه في رسالة نصية إلى {destination}.",
    code_prompt_email: "أدخل الرمز الذي أرسلناه بالبريد الإلكتروني إلى {destination}.",
    code_prompt_app: "أدخل الرمز المكوّن من {length} أرقام من تطبيق المصادقة لحساب {integration}.",
    wrong_password: "اسم المستخدم أو كلمة المرور غير صحيحة.",
    unknown_phone: "لم نعثر على حساب بهذا الرقم.",
    wrong_code: "هذا الرمز غير صحيح. تحقق منه وحاول مرة أخرى.",
    labels: Labels {
        password: "كلمة المرور",
        phone_number: "رقم الهاتف",
        verification_code: "رمز التحقق",
        phone_username_or_email: "رقم الهاتف أو اسم المستخدم أو البريد الإلكتروني",
        email_or_phone: "البريد الإلكتروني أو الهاتف",
        email_or_mobile_number: "البريد الإلكتروني أو رقم الجوال",
        business_email_or_username: "البريد الإلكتروني للعمل أو اسم المستخدم",
        seller_email_or_username: "البريد الإلكتروني للبائع أو اسم المستخدم",
        phone_email_or_username: "الهاتف أو البريد الإلكتروني أو اسم المستخدم",
        email_phone_or_username: "البريد الإلكتروني أو الهاتف أو اسم المستخدم",
        email_address_or_phone_number: "عنوان البريد الإلكتروني أو رقم الهاتف",
    },
};
