//! Who may call what: the credential each endpoint takes, its errors,
//! the rate limit and CORS.

use super::*;

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
async fn cors_is_on_widget_endpoints_only() {
    let sandbox = Sandbox::in_process(&["--allowed-origins", "https://shop.example"]);
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
                    "authorization,content-type,idempotency-key,keet-embedder-origin",
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
    for header in ["idempotency-key", "authorization", "keet-embedder-origin"] {
        assert!(allowed.contains(header), "{allowed}");
    }
    // A session pays one preflight per endpoint, then none for two hours.
    assert_eq!(widget.headers["access-control-max-age"], "7200");
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

/// Who may run the widget: the page's origin (in-page) and, for the link
/// frame, the frame's origin and the page that embeds it, each registered
/// with --allowed-origins (the sandbox's own origin, which serves the
/// frame, always is).
#[tokio::test]
async fn a_page_on_an_unregistered_origin_is_refused_with_origin_not_allowed() {
    let sandbox = Sandbox::in_process(&["--allowed-origins", "https://shop.example"]);
    let token = sandbox.link_token("u", "Instagram").await;
    let session = |headers: &'static [(&'static str, &'static str)]| {
        sandbox.send(Method::GET, "/v1/link/session", Some(&token), None, headers)
    };
    // Allowed: a backend or curl (no origin), the shop's own page, and the
    // sandbox's frame (its own origin) embedded by the shop.
    for headers in [
        &[][..],
        &[("Origin", "https://shop.example")][..],
        &[
            ("Origin", "http://127.0.0.1:9"),
            ("Keet-Embedder-Origin", "https://shop.example"),
        ][..],
    ] {
        let answer = session(headers).await;
        assert_eq!(answer.status, 200, "{headers:?}: {}", answer.body);
    }
    // Refused: another page in the page; the genuine frame on another page;
    // a frame hosted on an origin nobody registered; an opaque origin.
    for headers in [
        &[("Origin", "https://evil.example")][..],
        &[
            ("Origin", "http://127.0.0.1:9"),
            ("Keet-Embedder-Origin", "https://evil.example"),
        ][..],
        &[
            ("Origin", "https://frames.evil.example"),
            ("Keet-Embedder-Origin", "https://shop.example"),
        ][..],
        &[("Origin", "null")][..],
        &[("Keet-Embedder-Origin", "http://127.0.0.1:8081")][..],
    ] {
        let answer = session(headers).await;
        answer.assert_error(403, "ORIGIN_NOT_ALLOWED");
        assert_eq!(answer.headers["access-control-allow-origin"], "*");
        assert!(!answer.body.to_string().contains("evil"), "{}", answer.body);
    }
    // Every widget endpoint, not only the session.
    let answer = sandbox
        .send(
            Method::POST,
            "/v1/link/session/exit",
            Some(&token),
            Some(json!({ "reason": "user_closed" })),
            &[("Origin", "https://evil.example")],
        )
        .await;
    answer.assert_error(403, "ORIGIN_NOT_ALLOWED");
}

#[tokio::test]
async fn by_default_every_loopback_page_may_run_the_widget() {
    let sandbox = Sandbox::in_process(&[]);
    let token = sandbox.link_token("u", "Instagram").await;
    for origin in ["http://127.0.0.1:8081", "http://localhost:5173"] {
        let answer = sandbox
            .send(
                Method::GET,
                "/v1/link/session",
                Some(&token),
                None,
                &[("Origin", origin)],
            )
            .await;
        assert_eq!(answer.status, 200, "{origin}: {}", answer.body);
    }
    let answer = sandbox
        .send(
            Method::GET,
            "/v1/link/session",
            Some(&token),
            None,
            &[("Origin", "https://shop.example")],
        )
        .await;
    answer.assert_error(403, "ORIGIN_NOT_ALLOWED");
}

/// Guessing credentials runs at one a second: after 30 unknown credentials
/// from one address, that address gets 429 with Retry-After, even for a
/// valid credential, until its budget refills; other addresses carry on,
/// and --rate-limit (per credential) has nothing to do with it.
#[tokio::test]
async fn an_address_that_sends_many_unknown_credentials_is_refused_for_a_while() {
    let sandbox = Sandbox::in_process(&["--rate-limit", "100000"]);
    let token = sandbox.link_token("u", "X").await;
    let session = |bearer: String, peer: &'static str| {
        let sandbox = &sandbox;
        async move {
            sandbox
                .send(
                    Method::GET,
                    "/v1/link/session",
                    Some(&bearer),
                    None,
                    &[(PEER, peer)],
                )
                .await
        }
    };
    let guess = |n: u32| format!("link_sandbox_{n:048x}");
    for n in 0..30 {
        session(guess(n), "127.0.0.2:5000")
            .await
            .assert_error(401, "INVALID_TOKEN");
    }
    let refused = session(guess(30), "127.0.0.2:5000").await;
    refused.assert_error(429, "RATE_LIMITED");
    let wait: u64 = refused.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&wait), "Retry-After: {wait}");
    // Refused before the credential is looked at: a valid one too.
    session(token.clone(), "127.0.0.2:5000")
        .await
        .assert_error(429, "RATE_LIMITED");
    assert_eq!(session(token.clone(), "127.0.0.3:5000").await.status, 200);
    // A backend's wrong API key counts the same way.
    let server = sandbox
        .send(
            Method::GET,
            "/v1/linked-accounts/me",
            Some("sk_sandbox_not_the_key_0000000000000000"),
            None,
            &[(PEER, "127.0.0.2:5000"), ("X-Account-Token", "acc_1")],
        )
        .await;
    server.assert_error(429, "RATE_LIMITED");
    tokio::time::sleep(std::time::Duration::from_millis(1100 * wait)).await;
    assert_eq!(session(token, "127.0.0.2:5000").await.status, 200);
}
