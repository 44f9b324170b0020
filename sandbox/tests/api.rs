//! The contract's HTTP behaviour, in-process (`tower::ServiceExt::oneshot`)
//! with an adjustable clock: every row of the error table and every test
//! credential. `binary.rs` covers what needs the real process: the walk over
//! real HTTP, its flags, logs, signals and two origins.

mod support;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use support::{new_key, Sandbox, API_KEY};

const GOOD: (&str, &str) = ("user_good", "pass_good");

/// The values of a successful password login.
fn good_login() -> serde_json::Value {
    json!({ "username": GOOD.0, "password": GOOD.1 })
}

#[tokio::test]
async fn missing_or_malformed_authorization_is_missing_token() {
    let sandbox = Sandbox::in_process(&[]);
    for header in [
        None,
        Some("Basic dXNlcjpwYXNz"),
        Some("Bearer "),
        Some("Bearer"),
    ] {
        let headers: Vec<(&str, &str)> = header.map(|h| ("Authorization", h)).into_iter().collect();
        for (method, path) in [
            (Method::POST, "/v1/link/token"),
            (Method::GET, "/v1/link/session"),
            (Method::GET, "/v1/linked-accounts/me"),
        ] {
            let answer = sandbox
                .send(method, path, None, Some(json!({})), &headers)
                .await;
            answer.assert_error(401, "MISSING_TOKEN");
        }
    }
}

#[tokio::test]
async fn unknown_credentials_of_every_kind_are_invalid_token() {
    let sandbox = Sandbox::in_process(&[]);
    for bearer in [
        "sk_sandbox_not_the_key_0000000000000000",
        "link_sandbox_0000000000000000000000000000000000000000",
        "public_sandbox_0000",
        "acc_0000",
        "garbage",
    ] {
        let server = sandbox
            .send(
                Method::POST,
                "/v1/link/token",
                Some(bearer),
                Some(json!({})),
                &[],
            )
            .await;
        server.assert_error(401, "INVALID_TOKEN");
        let widget = sandbox
            .send(Method::GET, "/v1/link/session", Some(bearer), None, &[])
            .await;
        widget.assert_error(401, "INVALID_TOKEN");
        assert!(
            !widget.body.to_string().contains(bearer),
            "a credential was echoed"
        );
    }
}

#[tokio::test]
async fn expired_link_token_is_token_expired_at_start_and_mid_flow() {
    let sandbox = Sandbox::in_process(&["--link-token-ttl", "1"]);
    let token = sandbox.link_token("u", "Instagram").await;
    let step = sandbox.step_id(&token).await;
    sandbox.advance(Duration::from_secs(1));
    sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await
        .assert_error(401, "TOKEN_EXPIRED");
    sandbox
        .submit(&token, &step, good_login(), &new_key())
        .await
        .assert_error(401, "TOKEN_EXPIRED");
}

#[tokio::test]
async fn credentials_of_the_wrong_kind_are_forbidden() {
    let sandbox = Sandbox::in_process(&[]);
    let link_token = sandbox.link_token("u", "X").await;
    // A link token on a server endpoint.
    sandbox
        .send(
            Method::POST,
            "/v1/link/token",
            Some(&link_token),
            Some(json!({"linkConfig": {"endUserId": "u", "integration": "X"}})),
            &[],
        )
        .await
        .assert_error(403, "FORBIDDEN");
    // An API key on a widget endpoint.
    sandbox
        .send(Method::GET, "/v1/link/session", Some(API_KEY), None, &[])
        .await
        .assert_error(403, "FORBIDDEN");
    // An API key sent from a browser.
    sandbox
        .send(
            Method::POST,
            "/v1/link/token",
            Some(API_KEY),
            Some(json!({"linkConfig": {"endUserId": "u", "integration": "X"}})),
            &[("Origin", "https://shop.example")],
        )
        .await
        .assert_error(403, "FORBIDDEN");
    // A public token used as a bearer credential.
    let public_token = sandbox.public_token("u2", "X").await;
    sandbox
        .send(
            Method::GET,
            "/v1/link/session",
            Some(&public_token),
            None,
            &[],
        )
        .await
        .assert_error(403, "FORBIDDEN");
    // ... and it was not spent by that.
    assert_eq!(sandbox.exchange(&public_token).await.status, 200);
}

/// (path, bearer, body, the field named, its code, what the message says).
type HostileCase<'a> = (&'a str, &'a str, Vec<u8>, &'a str, &'a str, &'a str);

#[tokio::test]
async fn hostile_bodies_get_a_sentence_naming_the_field_and_no_rust_type() {
    let sandbox = Sandbox::in_process(&[]);
    let link = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&link).await;
    let utf16: Vec<u8> = r#"{"linkConfig":{"endUserId":"u","integration":"X"}}"#
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let deep = format!(
        r#"{{"linkConfig":{{"endUserId":{}{},"integration":"X"}}}}"#,
        "[".repeat(300),
        "]".repeat(300)
    );
    let token = "/v1/link/token";
    let submit = "/v1/link/session/submit";
    let cases: Vec<HostileCase> = vec![
        (
            token,
            API_KEY,
            br#"{"linkConfig":{"endUserId":"a","endUserId":"b","integration":"X"}}"#.to_vec(),
            "linkConfig.endUserId",
            "DUPLICATE_FIELD",
            "linkConfig.endUserId appears more than once",
        ),
        (
            token,
            API_KEY,
            br#"{"linkConfig":{"endUserId":"a","integration":"X"},"linkConfig":{}}"#.to_vec(),
            "linkConfig",
            "DUPLICATE_FIELD",
            "linkConfig appears more than once",
        ),
        (
            submit,
            &link,
            format!(
                r#"{{"stepId":"{step}","values":{{"username":"u","password":"a","password":"b"}}}}"#
            )
            .into_bytes(),
            "values.password",
            "DUPLICATE_FIELD",
            "values.password appears more than once",
        ),
        (
            token,
            API_KEY,
            b"[]".to_vec(),
            "body",
            "INVALID_TYPE",
            "The body must be a JSON object, not an array.",
        ),
        (
            token,
            API_KEY,
            br#""linkConfig""#.to_vec(),
            "body",
            "INVALID_TYPE",
            "The body must be a JSON object, not a string.",
        ),
        (
            token,
            API_KEY,
            br#"{"linkConfig":[]}"#.to_vec(),
            "linkConfig",
            "INVALID_TYPE",
            "linkConfig must be a JSON object, not an array.",
        ),
        (
            token,
            API_KEY,
            br#"{"linkConfig":"x"}"#.to_vec(),
            "linkConfig",
            "INVALID_TYPE",
            "linkConfig must be a JSON object, not a string.",
        ),
        (
            token,
            API_KEY,
            br#"{"linkConfig":{"endUserId":7,"integration":"X"}}"#.to_vec(),
            "linkConfig.endUserId",
            "INVALID_TYPE",
            "linkConfig.endUserId must be a string, not a number.",
        ),
        (
            token,
            API_KEY,
            deep.into_bytes(),
            "body",
            "MALFORMED_JSON",
            "recursion limit exceeded",
        ),
        (
            token,
            API_KEY,
            b"{\"linkConfig\":{\"endUserId\":\"\xff\",\"integration\":\"X\"}}".to_vec(),
            "body",
            "MALFORMED_JSON",
            "The body is not valid JSON",
        ),
        (
            token,
            API_KEY,
            br#"{"linkConfig":{"endUserId":"\udc00","integration":"X"}}"#.to_vec(),
            "body",
            "MALFORMED_JSON",
            "The body is not valid JSON",
        ),
        (
            token,
            API_KEY,
            utf16,
            "body",
            "MALFORMED_JSON",
            "The body must be JSON in UTF-8; it looks like UTF-16.",
        ),
    ];
    for (path, bearer, bytes, field, code, says) in cases {
        let answer = sandbox.post_raw(path, bearer, bytes.clone()).await;
        let shown = String::from_utf8_lossy(&bytes)
            .chars()
            .take(60)
            .collect::<String>();
        answer.assert_error(400, "VALIDATION_ERROR");
        assert_eq!(
            answer.field_errors()[0],
            (field.to_owned(), code.to_owned()),
            "{shown}"
        );
        let message = answer.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{shown}: {message}");
        for rust in [
            "struct",
            "sequence",
            "Request",
            "LinkConfig ",
            "u32",
            "::",
            "element",
        ] {
            assert!(!message.contains(rust), "{shown}: {message}");
        }
    }
}

#[tokio::test]
async fn bad_link_configs_name_each_field() {
    let sandbox = Sandbox::in_process(&[]);
    let long_logo = format!("https://cdn.example/{}", "x".repeat(2048));
    let cases = [
        (
            json!({"linkConfig": {"endUserId": "u".repeat(257), "integration": "X"}}),
            "linkConfig.endUserId",
            "TOO_LONG",
        ),
        (
            json!({"linkConfig": {"endUserId": "", "integration": "X"}}),
            "linkConfig.endUserId",
            "REQUIRED",
        ),
        (
            json!({"linkConfig": {"endUserId": "u", "integration": "MySpace"}}),
            "linkConfig.integration",
            "INVALID_VALUE",
        ),
        (
            json!({"linkConfig": {"endUserId": "u", "integration": "instagram"}}),
            "linkConfig.integration",
            "INVALID_VALUE",
        ),
        (
            json!({"linkConfig": {"endUserId": "u", "integration": "X", "companyLogoUri": "http://logo.example/a.png"}}),
            "linkConfig.companyLogoUri",
            "INVALID_FORMAT",
        ),
        (
            json!({"linkConfig": {"endUserId": "u", "integration": "X", "companyLogoUri": "javascript:alert(1)"}}),
            "linkConfig.companyLogoUri",
            "INVALID_FORMAT",
        ),
        (
            json!({"linkConfig": {"endUserId": "u", "integration": "X", "companyLogoUri": long_logo}}),
            "linkConfig.companyLogoUri",
            "TOO_LONG",
        ),
        (
            json!({"linkConfig": {"endUserId": 42, "integration": "X"}}),
            "linkConfig.endUserId",
            "INVALID_TYPE",
        ),
        (
            json!({"linkConfig": {"endUserId": "u", "integration": "X", "theme": "dark"}}),
            "linkConfig.theme",
            "UNKNOWN_FIELD",
        ),
        (
            json!({"linkConfig": {"integration": "X"}}),
            "linkConfig.endUserId",
            "REQUIRED",
        ),
        (json!({"config": {}}), "config", "UNKNOWN_FIELD"),
        (json!([]), "body", "INVALID_TYPE"),
        // Display text the modal shows: nothing that reorders or hides it.
        (
            json!({"linkConfig": {"endUserId": "u", "integration": "X", "companyName": "Acme\u{202E}gnp.exe"}}),
            "linkConfig.companyName",
            "INVALID_FORMAT",
        ),
        (
            json!({"linkConfig": {"endUserId": "u", "integration": "X", "companyName": "Ac\u{200B}me"}}),
            "linkConfig.companyName",
            "INVALID_FORMAT",
        ),
        (
            json!({"linkConfig": {"endUserId": "user\u{0}", "integration": "X"}}),
            "linkConfig.endUserId",
            "INVALID_FORMAT",
        ),
    ];
    for (body, field, code) in cases {
        let answer = sandbox
            .send(
                Method::POST,
                "/v1/link/token",
                Some(API_KEY),
                Some(body.clone()),
                &[],
            )
            .await;
        answer.assert_error(400, "VALIDATION_ERROR");
        assert_eq!(
            answer.field_errors()[0],
            (field.to_owned(), code.to_owned()),
            "for {body}"
        );
    }
    let fine = sandbox
        .send(
            Method::POST,
            "/v1/link/token",
            Some(API_KEY),
            Some(
                json!({"linkConfig": {"endUserId": "u".repeat(256), "integration": "Amazon Seller",
                "companyName": "Acme", "companyLogoUri": "http://localhost:5173/logo.svg"}}),
            ),
            &[],
        )
        .await;
    assert_eq!(fine.status, 200, "{}", fine.body);
}

#[tokio::test]
async fn malformed_json_and_wrong_content_type_get_json_errors() {
    let sandbox = Sandbox::in_process(&[]);
    let bearer = format!("Bearer {API_KEY}");
    let malformed = sandbox
        .send_raw(
            Method::POST,
            "/v1/link/token",
            &[
                ("Authorization", &bearer),
                ("Content-Type", "application/json"),
            ],
            b"{\"linkConfig\": ".to_vec(),
        )
        .await;
    assert_eq!(malformed.status, 400);
    assert_eq!(malformed.body["errors"][0]["code"], "MALFORMED_JSON");
    let plain = sandbox
        .send_raw(
            Method::POST,
            "/v1/link/token",
            &[("Authorization", &bearer), ("Content-Type", "text/plain")],
            b"{}".to_vec(),
        )
        .await;
    assert_eq!(plain.status, 415);
    assert_eq!(plain.body["error"]["code"], "UNSUPPORTED_MEDIA_TYPE");
}

#[tokio::test]
async fn unknown_paths_are_not_found_and_wrong_methods_not_allowed() {
    let sandbox = Sandbox::in_process(&[]);
    sandbox
        .send(Method::GET, "/v1/nothing-here", Some(API_KEY), None, &[])
        .await
        .assert_error(404, "NOT_FOUND");
    let answer = sandbox
        .send(Method::PUT, "/v1/link/token", Some(API_KEY), None, &[])
        .await;
    answer.assert_error(405, "METHOD_NOT_ALLOWED");
    assert_eq!(answer.headers["allow"], "POST");
}

#[tokio::test]
async fn submitting_to_a_finished_session_is_conflict() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Venmo").await;
    let step = sandbox.step_id(&token).await;
    let values = good_login();
    assert_eq!(
        sandbox
            .submit(&token, &step, values.clone(), &new_key())
            .await
            .status,
        200
    );
    sandbox
        .submit(&token, &step, values, &new_key())
        .await
        .assert_error(409, "CONFLICT");
    sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await
        .assert_error(409, "CONFLICT");
}

#[tokio::test]
async fn same_idempotency_key_replays_and_another_body_conflicts() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Amazon").await;
    let step = sandbox.step_id(&token).await;
    let key = new_key();
    let values = good_login();
    let first = sandbox.submit(&token, &step, values.clone(), &key).await;
    let again = sandbox.submit(&token, &step, values, &key).await;
    assert_eq!(first.status, 200);
    assert_eq!(
        first.body, again.body,
        "a replay returns the first response"
    );
    sandbox
        .submit(
            &token,
            &step,
            json!({"username": "user_good", "password": "other"}),
            &key,
        )
        .await
        .assert_error(409, "CONFLICT");
    // A wrong password is remembered too: the replay is the same 400.
    let token = sandbox.link_token("u", "Amazon").await;
    let step = sandbox.step_id(&token).await;
    let key = new_key();
    let wrong = json!({"username": "user_good", "password": "nope"});
    let first = sandbox.submit(&token, &step, wrong.clone(), &key).await;
    let again = sandbox.submit(&token, &step, wrong, &key).await;
    first.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(first.body, again.body);
}

#[tokio::test]
async fn submit_without_idempotency_key_is_a_validation_error() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Amazon").await;
    let step = sandbox.step_id(&token).await;
    let answer = sandbox
        .send(
            Method::POST,
            "/v1/link/session/submit",
            Some(&token),
            Some(json!({"stepId": step, "values": {}})),
            &[],
        )
        .await;
    answer.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(answer.field_errors()[0].0, "Idempotency-Key");
}

#[tokio::test]
async fn oversize_body_is_payload_too_large() {
    let sandbox = Sandbox::in_process(&[]);
    let big = json!({"linkConfig": {"endUserId": "u", "integration": "X", "companyName": "x".repeat(70_000)}});
    sandbox
        .send(
            Method::POST,
            "/v1/link/token",
            Some(API_KEY),
            Some(big),
            &[],
        )
        .await
        .assert_error(413, "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn user_locked_is_account_locked() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Facebook").await;
    sandbox
        .login(&token, "user_locked", "anything")
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
    sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
}

#[tokio::test]
async fn user_mfa_with_the_right_code_succeeds() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Instagram").await;
    let code_step = sandbox.login(&token, "user_mfa", "pass_good").await;
    assert_eq!(code_step.status, 200);
    assert_eq!(code_step.body["step"]["type"], "mfa");
    assert_eq!(code_step.body["step"]["fields"][0]["kind"], "otp");
    assert_eq!(code_step.body["step"]["fields"][0]["length"], 6);
    assert!(code_step.body["step"]["prompt"]
        .as_str()
        .unwrap()
        .contains("0100"));
    let step = code_step.body["step"]["id"].as_str().unwrap();
    let done = sandbox
        .submit(&token, step, json!({"code": "123456"}), &new_key())
        .await;
    assert_eq!(done.status, 200);
    assert_eq!(done.body["metadata"]["username"], "user_mfa");
}

#[tokio::test]
async fn third_wrong_code_locks_the_account() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "LinkedIn").await;
    let code_step = sandbox.login(&token, "user_mfa", "pass_good").await;
    let step = code_step.body["step"]["id"].as_str().unwrap().to_owned();
    for _ in 0..2 {
        let wrong = sandbox
            .submit(&token, &step, json!({"code": "000000"}), &new_key())
            .await;
        wrong.assert_error(400, "VALIDATION_ERROR");
        assert_eq!(
            wrong.field_errors(),
            [("values.code".to_owned(), "INVALID_CODE".to_owned())]
        );
    }
    sandbox
        .submit(&token, &step, json!({"code": "000000"}), &new_key())
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
    sandbox
        .submit(&token, &step, json!({"code": "123456"}), &new_key())
        .await
        .assert_error(423, "ACCOUNT_LOCKED");
}

#[tokio::test]
async fn wrong_password_is_invalid_credentials_on_the_field_and_allows_retry() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "X").await;
    let step_before = sandbox.step_id(&token).await;
    let wrong = sandbox.login(&token, "user_good", "wrong").await;
    wrong.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(
        wrong.field_errors(),
        [(
            "values.password".to_owned(),
            "INVALID_CREDENTIALS".to_owned()
        )]
    );
    assert_eq!(
        sandbox.step_id(&token).await,
        step_before,
        "no change of state"
    );
    assert_eq!(sandbox.login(&token, GOOD.0, GOOD.1).await.status, 200);
}

#[tokio::test]
async fn values_that_do_not_fit_the_step_name_the_field() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&token).await;
    let answer = sandbox
        .submit(
            &token,
            &step,
            json!({"username": "user_good", "pin": "1"}),
            &new_key(),
        )
        .await;
    answer.assert_error(400, "VALIDATION_ERROR");
    let fields = answer.field_errors();
    assert!(fields.contains(&("values.pin".to_owned(), "UNKNOWN_FIELD".to_owned())));
    assert!(fields.contains(&("values.password".to_owned(), "REQUIRED".to_owned())));
    sandbox
        .submit(&token, "st_not_current", json!({}), &new_key())
        .await
        .assert_error(409, "CONFLICT");
}

#[tokio::test]
async fn passwordless_integrations_take_a_phone_then_a_code() {
    let sandbox = Sandbox::in_process(&[]);
    for integration in ["WhatsApp", "Uber"] {
        let token = sandbox.link_token("u", integration).await;
        let session = sandbox
            .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
            .await;
        let fields = &session.body["session"]["step"]["fields"];
        assert_eq!(fields.as_array().unwrap().len(), 1, "no password field");
        assert_eq!(fields[0]["kind"], "phone");
        let step = session.body["session"]["step"]["id"].as_str().unwrap();
        let unknown = sandbox
            .submit(&token, step, json!({"phone": "+15555550199"}), &new_key())
            .await;
        assert_eq!(unknown.field_errors()[0].1, "INVALID_CREDENTIALS");
        let code = sandbox
            .submit(
                &token,
                step,
                json!({"phone": "+1 (555) 555-0100"}),
                &new_key(),
            )
            .await;
        assert_eq!(code.body["step"]["type"], "mfa", "{}", code.body);
        let step = code.body["step"]["id"].as_str().unwrap();
        let done = sandbox
            .submit(&token, step, json!({"code": "123456"}), &new_key())
            .await;
        assert_eq!(
            done.body["step"]["type"], "done",
            "{integration}: {}",
            done.body
        );
    }
}

#[tokio::test]
async fn every_integration_accepts_user_good() {
    let sandbox = Sandbox::in_process(&[]);
    // Every password integration the catalogue has, so a new entry is covered too.
    let password_integrations = keet_sandbox::catalogue::CATALOGUE
        .iter()
        .filter(|i| matches!(i.login, keet_sandbox::catalogue::Login::Password { .. }))
        .map(|i| i.name);
    for integration in password_integrations {
        let token = sandbox.link_token("u", integration).await;
        let session = sandbox
            .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
            .await;
        let brand = &session.body["session"]["integration"];
        assert_eq!(brand["name"], integration);
        assert!(brand["brandColor"].as_str().unwrap().starts_with('#'));
        let done = sandbox.login(&token, GOOD.0, GOOD.1).await;
        assert_eq!(done.body["metadata"]["integration"], integration);
    }
}

#[tokio::test]
async fn user_slow_succeeds_after_three_seconds() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Amazon").await;
    let started = Instant::now();
    let done = sandbox.login(&token, "user_slow", "pass_good").await;
    assert_eq!(done.status, 200);
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn user_flaky_fails_once_then_the_same_key_succeeds() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Venmo").await;
    let step = sandbox.step_id(&token).await;
    let key = new_key();
    let values = json!({"username": "user_flaky", "password": "pass_good"});
    let failed = sandbox.submit(&token, &step, values.clone(), &key).await;
    failed.assert_error(500, "INTERNAL_ERROR");
    let text = failed.body.to_string();
    assert!(
        !text.contains("flaky") && !text.contains("panic"),
        "internal detail leaked: {text}"
    );
    let retried = sandbox.submit(&token, &step, values, &key).await;
    assert_eq!(retried.status, 200, "{}", retried.body);
    assert_eq!(retried.body["step"]["type"], "done");
}

#[tokio::test]
async fn too_many_requests_are_rate_limited_with_retry_after() {
    let sandbox = Sandbox::in_process(&["--rate-limit", "1"]);
    let token = sandbox.link_token("u", "X").await;
    let mut limited = None;
    for _ in 0..5 {
        let answer = sandbox
            .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
            .await;
        if answer.status == 429 {
            limited = Some(answer);
            break;
        }
    }
    let limited = limited.expect("a 429 within 5 requests at 1 request/second");
    limited.assert_error(429, "RATE_LIMITED");
    let retry_after: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(retry_after >= 1);
    // Per credential: another link token is not limited.
    let other = sandbox.link_token("u2", "X").await;
    let answer = sandbox
        .send(Method::GET, "/v1/link/session", Some(&other), None, &[])
        .await;
    assert_eq!(answer.status, 200);
}

#[tokio::test]
async fn public_tokens_are_single_use_expire_and_must_exist() {
    let sandbox = Sandbox::in_process(&["--public-token-ttl", "1"]);
    let public_token = sandbox.public_token("u", "X").await;
    assert_eq!(sandbox.exchange(&public_token).await.status, 200);
    let used = sandbox.exchange(&public_token).await;
    used.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(
        used.field_errors()[0],
        ("publicToken".into(), "PUBLIC_TOKEN_USED".into())
    );
    let unknown = sandbox.exchange("public_sandbox_0123").await;
    assert_eq!(unknown.field_errors()[0].1, "INVALID_PUBLIC_TOKEN");
    let stale = sandbox.public_token("u", "X").await;
    sandbox.advance(Duration::from_secs(1));
    let expired = sandbox.exchange(&stale).await;
    assert_eq!(expired.field_errors()[0].1, "PUBLIC_TOKEN_EXPIRED");
}

#[tokio::test]
async fn one_account_token_covers_every_integration_of_an_end_user() {
    let sandbox = Sandbox::in_process(&[]);
    let first = sandbox
        .exchange(&sandbox.public_token("alice", "Instagram").await)
        .await;
    let second = sandbox
        .exchange(&sandbox.public_token("alice", "LinkedIn").await)
        .await;
    let other = sandbox
        .exchange(&sandbox.public_token("bob", "Instagram").await)
        .await;
    assert_eq!(first.body["accountToken"], second.body["accountToken"]);
    assert_ne!(first.body["accountToken"], other.body["accountToken"]);
    let token = first.body["accountToken"].as_str().unwrap();
    let me = sandbox.linked_account(Method::GET, token).await;
    let names: Vec<_> = me.body["linkedAccount"]["integrations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["integration"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Instagram", "LinkedIn"]);
}

#[tokio::test]
async fn deleting_the_linked_account_revokes_its_token() {
    let sandbox = Sandbox::in_process(&[]);
    let exchanged = sandbox
        .exchange(&sandbox.public_token("carol", "X").await)
        .await;
    let token = exchanged.body["accountToken"].as_str().unwrap();
    let deleted = sandbox.linked_account(Method::DELETE, token).await;
    assert_eq!(deleted.status, 200);
    assert_eq!(deleted.body, json!({"status": "ok"}));
    sandbox
        .linked_account(Method::GET, token)
        .await
        .assert_error(401, "INVALID_TOKEN");
    sandbox
        .send(
            Method::GET,
            "/v1/linked-accounts/me",
            Some(API_KEY),
            None,
            &[],
        )
        .await
        .assert_error(401, "MISSING_TOKEN");
}

#[tokio::test]
async fn exit_closes_the_session() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&token).await;
    let exit = |reason: &'static str| {
        sandbox.send(
            Method::POST,
            "/v1/link/session/exit",
            Some(&token),
            Some(json!({ "reason": reason })),
            &[],
        )
    };
    exit("sideways").await.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(exit("user_closed").await.body, json!({"status": "ok"}));
    assert_eq!(
        exit("user_closed").await.status,
        200,
        "closing twice is fine"
    );
    sandbox
        .submit(&token, &step, good_login(), &new_key())
        .await
        .assert_error(409, "CONFLICT");
}

#[tokio::test]
async fn cors_is_on_widget_endpoints_only() {
    let sandbox = Sandbox::in_process(&[]);
    let preflight = |path: &'static str| {
        sandbox.send(
            Method::OPTIONS,
            path,
            None,
            None,
            &[
                ("Origin", "https://shop.example"),
                ("Access-Control-Request-Method", "POST"),
                (
                    "Access-Control-Request-Headers",
                    "authorization,content-type,idempotency-key",
                ),
            ],
        )
    };
    let widget = preflight("/v1/link/session/submit").await;
    assert_eq!(widget.status, 200);
    assert_eq!(widget.headers["access-control-allow-origin"], "*");
    let allowed = widget.headers["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(allowed.contains("idempotency-key") && allowed.contains("authorization"));
    let server = preflight("/v1/link/token").await;
    assert!(!server.headers.contains_key("access-control-allow-origin"));
    let token = sandbox.link_token("u", "X").await;
    let answer = sandbox
        .send(
            Method::GET,
            "/v1/link/session",
            Some(&token),
            None,
            &[("Origin", "https://shop.example")],
        )
        .await;
    assert_eq!(answer.headers["access-control-allow-origin"], "*");
    assert!(answer.headers["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .contains("retry-after"));
}

#[tokio::test]
async fn linked_accounts_stop_at_max_linked_accounts_with_a_clear_error() {
    let sandbox = Sandbox::in_process(&["--max-linked-accounts", "1"]);
    let first = sandbox.public_token("first", "X").await;
    let account = sandbox.exchange(&first).await;
    assert_eq!(account.status, 200, "{}", account.body);
    let second = sandbox.public_token("second", "X").await;
    let refused = sandbox.exchange(&second).await;
    refused.assert_error(403, "FORBIDDEN");
    assert!(refused.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--max-linked-accounts"));
    let token = account.body["accountToken"].as_str().unwrap();
    sandbox.linked_account(Method::DELETE, token).await;
    assert_eq!(sandbox.exchange(&second).await.status, 200, "room again");
}

#[tokio::test]
async fn fault_users_break_the_first_answer_and_a_retry_under_the_same_key_gets_the_real_one() {
    let sandbox = Sandbox::in_process(&[]);
    for (user, status, content_type) in [
        ("user_bad_gateway", 502, "text/html; charset=utf-8"),
        ("user_wrong_shape", 200, "application/json"),
        ("user_truncated", 200, "application/json"),
    ] {
        let link = sandbox.link_token(user, "X").await;
        let step = sandbox.step_id(&link).await;
        let values = json!({ "username": user, "password": "pass_good" });
        let key = new_key();
        let first = sandbox.submit(&link, &step, values.clone(), &key).await;
        assert_eq!(first.status.as_u16(), status, "{user}");
        assert_eq!(first.headers["content-type"], content_type, "{user}");
        assert!(
            first.body.get("publicToken").is_none(),
            "{user}: {}",
            first.body
        );
        let retried = sandbox.submit(&link, &step, values, &key).await;
        assert_eq!(retried.status, 200, "{user}: {}", retried.body);
        let public_token = retried.body["publicToken"].as_str().unwrap();
        assert_eq!(sandbox.exchange(public_token).await.status, 200, "{user}");
    }
}

#[tokio::test(start_paused = true)]
async fn user_hangs_answers_the_first_submit_too_late_and_a_retry_at_once() {
    let sandbox = Sandbox::in_process(&[]);
    let link = sandbox.link_token("u", "X").await;
    let step = sandbox.step_id(&link).await;
    let values = json!({ "username": "user_hangs", "password": "pass_good" });
    let key = new_key();
    let started = tokio::time::Instant::now();
    let first = sandbox.submit(&link, &step, values.clone(), &key).await;
    assert!(
        started.elapsed() >= Duration::from_secs(20),
        "answered after {:?}, within the widget's 15 s",
        started.elapsed()
    );
    assert_eq!(first.status, 200, "{}", first.body);
    let started = tokio::time::Instant::now();
    let retried = sandbox.submit(&link, &step, values, &key).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the retry waited"
    );
    assert_eq!(retried.body["publicToken"], first.body["publicToken"]);
}

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

#[tokio::test]
async fn a_new_code_waits_out_the_cooldown_is_idempotent_and_stops_at_the_cap() {
    let sandbox = Sandbox::in_process(&["--resend-cooldown", "30"]);
    let token = sandbox.link_token("resend", "Instagram").await;
    let resend = |key: String| {
        let (sandbox, token) = (&sandbox, token.clone());
        async move {
            sandbox
                .send(
                    Method::POST,
                    "/v1/link/session/resend",
                    Some(&token),
                    None,
                    &[("Idempotency-Key", &key)],
                )
                .await
        }
    };
    resend("early".into()).await.assert_error(409, "CONFLICT");
    let code_step = sandbox.login(&token, "user_mfa", "pass_good").await;
    assert_eq!(code_step.body["step"]["resendAfterSeconds"], 30);

    let too_soon = resend("r0".into()).await;
    too_soon.assert_error(429, "RATE_LIMITED");
    assert_eq!(too_soon.headers["retry-after"], "30");
    sandbox.advance(Duration::from_secs(12));
    assert_eq!(resend("r0".into()).await.headers["retry-after"], "18");

    for sent in 1..=3 {
        sandbox.advance(Duration::from_secs(30));
        let key = format!("r{sent}");
        let answer = resend(key.clone()).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.body["step"]["type"], "mfa");
        let next = &answer.body["step"]["resendAfterSeconds"];
        if sent < 3 {
            assert_eq!(*next, 30);
        } else {
            assert!(next.is_null(), "the last code: no more offered");
        }
        // A retry of the same user action sends no other code.
        assert_eq!(resend(key).await.status, 200);
    }
    sandbox.advance(Duration::from_secs(30));
    resend("r4".into()).await.assert_error(409, "CONFLICT");

    // The code still works after all that.
    let step = sandbox.step_id(&token).await;
    let done = sandbox
        .submit(&token, &step, json!({ "code": "123456" }), &new_key())
        .await;
    assert_eq!(done.body["step"]["type"], "done");
}

#[tokio::test]
async fn a_new_code_needs_a_link_token_and_an_idempotency_key() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("resend-auth", "Instagram").await;
    sandbox
        .send(Method::POST, "/v1/link/session/resend", None, None, &[])
        .await
        .assert_error(401, "MISSING_TOKEN");
    sandbox
        .send(
            Method::POST,
            "/v1/link/session/resend",
            Some(API_KEY),
            None,
            &[("Idempotency-Key", "k")],
        )
        .await
        .assert_error(403, "FORBIDDEN");
    let missing_key = sandbox
        .send(
            Method::POST,
            "/v1/link/session/resend",
            Some(&token),
            None,
            &[],
        )
        .await;
    missing_key.assert_error(400, "VALIDATION_ERROR");
    sandbox
        .send(
            Method::GET,
            "/v1/link/session/resend",
            Some(&token),
            None,
            &[],
        )
        .await
        .assert_error(405, "METHOD_NOT_ALLOWED");
}
