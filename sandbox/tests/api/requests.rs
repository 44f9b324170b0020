//! What a request must look like: bodies, link configs, content types,
//! paths, methods, sizes and the idempotency key, each refusal naming the field.

use super::*;

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
            "more than 128 levels deep",
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

/// The demo backend is a pattern to copy: it answers only requests
/// addressed to this machine by name or address (a DNS-rebinding page's
/// Host is its own name), and its POSTs take JSON only (a cross-site form
/// or text/plain POST cannot mint link tokens).
#[tokio::test]
async fn the_demo_backend_refuses_other_hosts_and_bodies_that_are_not_json() {
    let www = concat!(env!("CARGO_MANIFEST_DIR"), "/../www");
    let sandbox = Sandbox::in_process(&["--www", www]);
    for host in [
        "127.0.0.1:8081",
        "localhost:8081",
        "[::1]:8081",
        "localhost",
    ] {
        let answer = sandbox
            .send_demo(Method::GET, "/demo/config", None, &[("Host", host)])
            .await;
        assert_eq!(answer.status, 200, "{host}: {}", answer.body);
    }
    for host in [
        "evil.example:8081",
        "127.0.0.1.evil.example",
        "localhost.evil.example:8081",
    ] {
        let answer = sandbox
            .send_demo(
                Method::GET,
                "/demo/linked-accounts/u",
                None,
                &[("Host", host)],
            )
            .await;
        answer.assert_error(403, "FORBIDDEN");
    }
    let body = br#"{"endUserId":"u","integration":"Uber"}"#.to_vec();
    let answer = sandbox
        .send_demo_raw(
            Method::POST,
            "/demo/link-token",
            &[("Content-Type", "text/plain")],
            body.clone(),
        )
        .await;
    answer.assert_error(415, "UNSUPPORTED_MEDIA_TYPE");
    let answer = sandbox
        .send_demo_raw(
            Method::POST,
            "/demo/link-token",
            &[("Content-Type", "application/json")],
            body,
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}
