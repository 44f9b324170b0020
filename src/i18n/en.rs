//! English: the fallback, and the words the other locales translate.

use super::{ApiTexts, Labels, Texts};

/// The BCP 47 tag (`lang`, `Content-Language`).
pub(super) const TAG: &str = "en";
/// Whether the text runs right to left (`dir="rtl"`).
pub(super) const RIGHT_TO_LEFT: bool = false;

pub(super) const TEXTS: Texts = Texts {
    lowercase_labels_in_sentences: true,
    close: "Close",
    secured_by_keet: "Secured by Keet.",
    password_never_shared: "Your password is never shared with {company}.",
    this_app: "this app",
    this_app_heading: "This app",
    log_in_to: "Log in to {integration}",
    login_lead: "Enter your {integration} login to link your account.",
    continue_button: "Continue",
    code_title: "Enter your verification code",
    code_lead: "Enter the code you received.",
    verify_button: "Verify",
    retrying: "This is taking longer than usual. Retrying…",
    linked_title: "Account linked",
    linked_lead: "Your {integration} account is now connected to {company}.",
    locked_title: "Your account is locked",
    locked_lead: "{integration} has locked your account. Unlock it with {integration}, for example by resetting your password there, then try again.",
    expired_title: "This link has expired",
    expired_lead: "Close this window and start again from {company}.",
    failed_title: "Something went wrong",
    failed_network: "We couldn't connect. Check your internet connection and try again.",
    failed_timeout: "This is taking too long. Try again in a moment.",
    failed_rate_limited: "There have been too many attempts. Wait a moment, then try again.",
    failed_server: "Something went wrong on our side. Try again in a moment.",
    try_again: "Try again",
    close_button: "Close",
    resend_button: "Send a new code",
    resend_in: "Send a new code in {seconds} s",
    code_resent: "We sent you a new code.",
    resend_limit: "You can't get another code for this link. Close this window and start again.",
    forgot_password: "Forgot your password?",
    login_help: "Trouble logging in?",
    opens_in_new_tab: "(opens in a new tab)",
    required: "Enter your {label}.",
    too_long: "{label} must be at most {max} characters.",
    invalid_email: "Enter a valid email address.",
    invalid_phone: "Enter the phone number with its country code, e.g. +15555550100.",
    code_of_length: "Enter the {length}-digit code.",
    code_digits_only: "Enter the code, digits only.",
};

pub(super) const API_TEXTS: ApiTexts = ApiTexts {
    code_prompt_sms: "Enter the code we texted to {destination}.",
    code_prompt_email: "Enter the code we emailed to {destination}.",
    code_prompt_app: "Enter the {length}-digit code from your authenticator app for {integration}.",
    wrong_password: "The username or password is incorrect.",
    unknown_phone: "We couldn't find an account with that phone number.",
    wrong_code: "That code is not right. Check it and try again.",
    labels: Labels {
        password: "Password",
        phone_number: "Phone number",
        verification_code: "Verification code",
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
