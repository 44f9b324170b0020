//! Arabic, right to left. Phone numbers and codes are isolated as

use super::{ApiTexts, Labels};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "أدخل الرمز الذي أرسلناه في رسالة نصية إلى {destination}.",
    code_prompt_email: "أدخل الرمز الذي أرسلناه بالبريد الإلكتروني إلى {destination}.",
    code_prompt_app: "أدخل الرمز المكوّن من {length} أرقام من تطبيق المصادقة لحساب {integration}.",
    wrong_password: "اسم المستخدم أو كلمة المرور غير صحيحة.",
    unknown_phone: "لم نعثر على حساب بهذا الرقم.",
    wrong_code: "هذا الرمز غير صحيح. تحقق منه وحاول مرة أخرى.",
    other_login: "أعد الاتصال باستخدام بيانات تسجيل الدخول التي ربطتها من قبل.",
    security_question: "ما اسم أول حيوان أليف امتلكته؟",
    wrong_answer: "هذه الإجابة غير صحيحة. تحقق منها وحاول مرة أخرى.",
    where_to_send_code: "إلى أين نرسل الرمز؟",
    send_by_sms: "رسالة نصية إلى {destination}",
    send_by_email: "بريد إلكتروني إلى {destination}",
    approve_prompt:
        "أرسلنا إشعارًا إلى جهازك الآخر. افتح {integration} هناك ووافق على تسجيل الدخول هذا.",
    unknown_integration: "اختر إحدى الخدمات الموجودة في القائمة.",
    labels: Labels {
        password: "كلمة المرور",
        phone_number: "رقم الهاتف",
        verification_code: "رمز التحقق",
        answer: "الإجابة",
        send_code_by: "أرسل الرمز عبر",
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
