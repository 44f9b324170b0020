//! English: the fallback, and the words the other locales translate.

use super::{ApiTexts, Labels};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Enter the code we texted to {destination}.",
    code_prompt_email: "Enter the code we emailed to {destination}.",
    code_prompt_app: "Enter the {length}-digit code from your authenticator app for {integration}.",
    wrong_password: "The username or password is incorrect.",
    unknown_phone: "We couldn't find an account with that phone number.",
    wrong_code: "That code is not right. Check it and try again.",
    other_login: "Reconnect with the login you linked before.",
    security_question: "What was the name of your first pet?",
    wrong_answer: "That answer is not right. Check it and try again.",
    where_to_send_code: "Where should we send your code?",
    send_by_sms: "Text to {destination}",
    send_by_email: "Email to {destination}",
    approve_prompt: "We sent a notification to your other device. Open {integration} there and approve this login.",
    unknown_integration: "Choose one of the services on the list.",
    labels: Labels {
        password: "Password",
        phone_number: "Phone number",
        verification_code: "Verification code",
        answer: "Answer",
        send_code_by: "Send the code by",
        phone_username_or_email: "Phone number, username or email",
        email_or_phone: "Email or phone",
        email_or_mobile_number: "Email or mobile phone number",
        business_email_or_username: "Business email or username",
        seller_email_or_username: "Seller email or username",
        phone_email_or_username: "Phone, email or username",
        email_phone_or_username: "Email, phone or username",
        email_address_or_phone_number: "Email address or phone number",
    },
};
