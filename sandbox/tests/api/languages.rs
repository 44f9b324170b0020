//! The step's text in the end user's language.

use super::*;

#[tokio::test]
async fn step_texts_and_field_messages_come_in_the_accept_language() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("lang", "Instagram").await;
    let session = |language: &'static str| {
        let sandbox = &sandbox;
        let token = token.clone();
        async move {
            sandbox
                .send(
                    Method::GET,
                    "/v1/link/session",
                    Some(&token),
                    None,
                    &[("Accept-Language", language)],
                )
                .await
        }
    };
    let german = session("de-CH, en;q=0.5").await;
    assert_eq!(german.headers["content-language"], "de");
    assert!(german.headers["vary"]
        .to_str()
        .unwrap()
        .contains("Accept-Language"));
    let fields = &german.body["session"]["step"]["fields"];
    assert_eq!(
        fields[0]["label"],
        "Telefonnummer, Benutzername oder E-Mail-Adresse"
    );
    assert_eq!(fields[1]["label"], "Passwort");
    let unsupported = session("tlh").await;
    assert_eq!(unsupported.headers["content-language"], "en");
    assert_eq!(
        unsupported.body["session"]["step"]["fields"][1]["label"],
        "Password"
    );

    // A wrong password and an empty field, in Arabic; the codes stay English.
    let step = sandbox.step_id(&token).await;
    let arabic = [
        ("Idempotency-Key", new_key()),
        ("Accept-Language", "ar".to_owned()),
    ];
    let headers: Vec<(&str, &str)> = arabic.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = sandbox
        .send(
            Method::POST,
            "/v1/link/session/submit",
            Some(&token),
            Some(json!({ "stepId": step, "values": { "username": "user_good", "password": "nope" } })),
            &headers,
        )
        .await;
    refused.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(refused.body["errors"][0]["code"], "INVALID_CREDENTIALS");
    assert_eq!(
        refused.body["errors"][0]["message"],
        "اسم المستخدم أو كلمة المرور غير صحيحة."
    );
    let headers: Vec<(&str, &str)> =
        vec![("Idempotency-Key", "lang-empty"), ("Accept-Language", "ar")];
    let empty = sandbox
        .send(
            Method::POST,
            "/v1/link/session/submit",
            Some(&token),
            Some(json!({ "stepId": step, "values": { "username": "", "password": "x" } })),
            &headers,
        )
        .await;
    assert_eq!(empty.body["errors"][0]["code"], "REQUIRED");
    assert!(empty.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("أدخل "));
}

#[tokio::test]
async fn a_code_prompt_in_arabic_keeps_the_masked_number_left_to_right() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("lang-code", "Instagram").await;
    let step = sandbox.step_id(&token).await;
    let key = new_key();
    let code_step = sandbox
        .send(
            Method::POST,
            "/v1/link/session/submit",
            Some(&token),
            Some(json!({ "stepId": step, "values": { "username": "user_mfa", "password": "pass_good" } })),
            &[("Idempotency-Key", &key), ("Accept-Language", "ar")],
        )
        .await;
    let prompt = code_step.body["step"]["prompt"].as_str().unwrap();
    assert!(prompt.contains("\u{2066}•••• 0100\u{2069}"), "{prompt}");
    assert_eq!(code_step.body["step"]["fields"][0]["label"], "رمز التحقق");
}
