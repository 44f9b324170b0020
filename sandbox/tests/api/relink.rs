//! Keeping a linked account working: a broken login, its re-link, and the
//! webhooks that tell the customer's backend, delivered to a real receiver.

use super::*;
use std::sync::{Arc, Mutex};

const SECRET: &str = "whsec_test_0123456789abcdef0123456789";

/// A customer's webhook endpoint on a free port: it keeps every delivery
/// whose signature verifies, and answers 500 to the first `failures`.
struct Receiver {
    url: String,
    deliveries: Arc<Mutex<Vec<serde_json::Value>>>,
    /// The ids of the deliveries it answered 500.
    refused: Arc<Mutex<Vec<String>>>,
}

impl Receiver {
    async fn start(failures: usize) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hooks", listener.local_addr().unwrap());
        let deliveries = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&deliveries);
        let refusals = Arc::new(Mutex::new(failures));
        let refused = Arc::new(Mutex::new(Vec::new()));
        let refused_ids = Arc::clone(&refused);
        let app = axum::Router::new().route(
            "/hooks",
            axum::routing::post(
                move |headers: axum::http::HeaderMap, body: axum::body::Bytes| {
                    let (kept, refusals, refused_ids) = (
                        Arc::clone(&kept),
                        Arc::clone(&refusals),
                        Arc::clone(&refused_ids),
                    );
                    async move {
                        let signature = headers["keet-signature"].to_str().unwrap().to_owned();
                        // Signed at the sandbox's (adjustable) clock: check at that time.
                        let sent: u64 = signature[2..signature.find(',').unwrap()].parse().unwrap();
                        let at = std::time::UNIX_EPOCH + Duration::from_secs(sent);
                        keet_sandbox::webhooks::verify(SECRET, &signature, &body, at).unwrap();
                        let mut refusals = refusals.lock().unwrap();
                        let event: serde_json::Value = serde_json::from_slice(&body).unwrap();
                        if *refusals > 0 {
                            *refusals -= 1;
                            refused_ids
                                .lock()
                                .unwrap()
                                .push(event["id"].as_str().unwrap().to_owned());
                            return axum::http::StatusCode::INTERNAL_SERVER_ERROR;
                        }
                        kept.lock().unwrap().push(event);
                        axum::http::StatusCode::OK
                    }
                },
            ),
        );
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            url,
            deliveries,
            refused,
        }
    }

    /// The deliveries so far, once there are `count` (waits up to 5 s).
    async fn wait_for(&self, count: usize) -> Vec<serde_json::Value> {
        let started = Instant::now();
        loop {
            let got = self.deliveries.lock().unwrap().clone();
            if got.len() >= count || started.elapsed() > Duration::from_secs(5) {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn sandbox_to(receiver: &Receiver) -> Sandbox {
    Sandbox::in_process(&[
        "--webhook-url",
        &receiver.url,
        "--webhook-secret",
        SECRET,
        "--webhook-retry-ms",
        "20",
    ])
}

async fn reset_login(sandbox: &Sandbox, account_token: &str, integration: &str) -> Answer {
    sandbox
        .send(
            Method::POST,
            "/v1/sandbox/linked-accounts/me/reset-login",
            Some(API_KEY),
            Some(json!({ "integration": integration })),
            &[("X-Account-Token", account_token)],
        )
        .await
}

fn types(events: &[serde_json::Value]) -> Vec<String> {
    events
        .iter()
        .map(|event| {
            let status = event["data"]["status"].as_str().map(|s| format!(":{s}"));
            format!(
                "{}{}",
                event["type"].as_str().unwrap(),
                status.unwrap_or_default()
            )
        })
        .collect()
}

#[tokio::test]
async fn a_broken_login_is_relinked_with_the_same_account_token_and_webhooks_tell_the_backend() {
    let receiver = Receiver::start(0).await;
    let sandbox = sandbox_to(&receiver);
    let first = sandbox
        .exchange(&sandbox.public_token("rita", "Instagram").await)
        .await;
    let account_token = first.body["accountToken"].as_str().unwrap().to_owned();
    assert_eq!(
        types(&receiver.wait_for(1).await),
        ["LINK_SESSION_FINISHED:success"]
    );

    let broken = reset_login(&sandbox, &account_token, "Instagram").await;
    assert_eq!(broken.status, 200, "{}", broken.body);
    let me = sandbox.linked_account(Method::GET, &account_token).await;
    assert_eq!(
        me.body["linkedAccount"]["integrations"][0]["isAlive"],
        false
    );
    let events = receiver.wait_for(2).await;
    assert_eq!(events[1]["type"], "INTEGRATION_LOGIN_REQUIRED");
    assert_eq!(events[1]["data"]["endUserId"], "rita");
    assert_eq!(events[1]["data"]["integration"], "Instagram");

    // The same end user and integration: a re-link, its username fixed.
    let token = sandbox.link_token("rita", "Instagram").await;
    let session = sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await;
    assert_eq!(session.body["session"]["mode"], "relink");
    let username = &session.body["session"]["step"]["fields"][0];
    assert_eq!(username["name"], "username");
    assert_eq!(username["value"], "user_good");
    assert_eq!(username["readOnly"], true);
    let done = sandbox.login(&token, "user_good", "pass_good").await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["metadata"]["mode"], "relink");
    let again = sandbox
        .exchange(done.body["publicToken"].as_str().unwrap())
        .await;
    assert_eq!(
        again.body["accountToken"],
        account_token.as_str(),
        "the same account token"
    );
    let me = sandbox.linked_account(Method::GET, &account_token).await;
    assert_eq!(me.body["linkedAccount"]["integrations"][0]["isAlive"], true);
    assert_eq!(
        me.body["linkedAccount"]["integrations"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    sandbox.linked_account(Method::DELETE, &account_token).await;
    let events = receiver.wait_for(5).await;
    // Deliveries run side by side, so two events made together may arrive
    // in either order: compared as a set.
    let mut arrived = types(&events);
    arrived.sort();
    assert_eq!(
        arrived,
        [
            "INTEGRATION_LOGIN_REQUIRED",
            "INTEGRATION_RECONNECTED",
            "LINKED_ACCOUNT_DELETED",
            "LINK_SESSION_FINISHED:success",
            "LINK_SESSION_FINISHED:success",
        ]
    );
    let text = serde_json::to_string(&events).unwrap();
    for secret in ["acc_", "public_sandbox_", "link_sandbox_", "pass_good"] {
        assert!(!text.contains(secret), "a webhook carried {secret}");
    }
    for event in &events {
        assert!(event["id"].as_str().unwrap().starts_with("evt_"));
        assert!(event["createdAt"].as_str().unwrap().ends_with('Z'));
    }
}

#[tokio::test]
async fn a_relink_with_another_username_is_refused_on_username() {
    let sandbox = Sandbox::in_process(&[]);
    sandbox
        .exchange(&sandbox.public_token("sam", "X").await)
        .await;
    let token = sandbox.link_token("sam", "X").await;
    let other = sandbox.login(&token, "user_mfa", "pass_good").await;
    other.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(
        other.field_errors(),
        [("values.username".to_owned(), "INVALID_VALUE".to_owned())]
    );
    let linked = sandbox.login(&token, "user_good", "pass_good").await;
    assert_eq!(linked.status, 200, "{}", linked.body);
}

#[tokio::test]
async fn a_receiver_that_fails_once_gets_the_same_event_again() {
    let receiver = Receiver::start(1).await;
    let sandbox = sandbox_to(&receiver);
    let token = sandbox.link_token("una", "X").await;
    sandbox
        .send(
            Method::POST,
            "/v1/link/session/exit",
            Some(&token),
            Some(json!({ "reason": "user_closed" })),
            &[],
        )
        .await;
    let events = receiver.wait_for(1).await;
    assert_eq!(types(&events), ["LINK_SESSION_FINISHED:exited"]);
    assert_eq!(events.len(), 1, "delivered once it was accepted");
    let refused = receiver.refused.lock().unwrap().clone();
    assert_eq!(
        refused,
        [events[0]["id"].as_str().unwrap()],
        "the same event again"
    );
}

#[tokio::test]
async fn locked_and_expired_sessions_are_reported_as_they_end() {
    let receiver = Receiver::start(0).await;
    let sandbox = sandbox_to(&receiver);
    let token = sandbox.link_token("lena", "X").await;
    sandbox.login(&token, "user_locked", "pass_good").await;
    assert_eq!(
        types(&receiver.wait_for(1).await),
        ["LINK_SESSION_FINISHED:locked"]
    );
    let _ = sandbox.link_token("otto", "X").await;
    sandbox.advance(Duration::from_secs(1801));
    // Any access purges what is due.
    let _ = sandbox.link_token("someone", "X").await;
    let events = receiver.wait_for(2).await;
    assert_eq!(
        types(&events),
        [
            "LINK_SESSION_FINISHED:locked",
            "LINK_SESSION_FINISHED:expired"
        ]
    );
    assert_eq!(events[1]["data"]["endUserId"], "otto");
}

#[tokio::test]
async fn resetting_a_login_that_is_not_linked_names_the_integration() {
    let sandbox = Sandbox::in_process(&[]);
    let account = sandbox
        .exchange(&sandbox.public_token("vic", "X").await)
        .await;
    let token = account.body["accountToken"].as_str().unwrap();
    let refused = reset_login(&sandbox, token, "Uber").await;
    refused.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(refused.field_errors()[0].0, "integration");
    let unknown = reset_login(&sandbox, "acc_0123", "X").await;
    unknown.assert_error(401, "INVALID_TOKEN");
}

#[tokio::test]
async fn the_demo_backend_refuses_a_wrong_signature_and_keeps_each_event_once() {
    let www = concat!(env!("CARGO_MANIFEST_DIR"), "/../www");
    let sandbox = Sandbox::in_process(&[
        "--www",
        www,
        "--webhook-url",
        "http://127.0.0.1:9/nowhere",
        "--webhook-secret",
        SECRET,
    ]);
    let event = json!({
        "id": "evt_demo",
        "type": "LINKED_ACCOUNT_DELETED",
        "createdAt": "2026-12-06T00:00:00Z",
        "data": { "endUserId": "u" },
    });
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let signed = keet_sandbox::webhooks::sign(SECRET, now, event.to_string().as_bytes());
    let forged =
        keet_sandbox::webhooks::sign("whsec_someone_else", now, event.to_string().as_bytes());
    let post = |signature: String| {
        let event = event.clone();
        let sandbox = &sandbox;
        async move {
            sandbox
                .send_demo(
                    Method::POST,
                    "/demo/webhooks",
                    Some(event),
                    &[("Keet-Signature", &signature)],
                )
                .await
        }
    };
    post(forged).await.assert_error(400, "VALIDATION_ERROR");
    assert_eq!(post(signed.clone()).await.status, 200);
    assert_eq!(
        post(signed).await.status,
        200,
        "a redelivery is acknowledged"
    );
    let shown = sandbox
        .send_demo(Method::GET, "/demo/webhooks", None, &[])
        .await;
    assert_eq!(
        shown.body.as_array().unwrap().len(),
        1,
        "kept once: {}",
        shown.body
    );
    assert_eq!(shown.body[0]["id"], "evt_demo");
}

#[tokio::test]
async fn a_demo_backend_without_webhooks_accepts_none() {
    let www = concat!(env!("CARGO_MANIFEST_DIR"), "/../www");
    let sandbox = Sandbox::in_process(&["--www", www]);
    let event = json!({ "id": "evt_x", "type": "LINKED_ACCOUNT_DELETED" });
    let signed = keet_sandbox::webhooks::sign("", 0, event.to_string().as_bytes());
    sandbox
        .send_demo(
            Method::POST,
            "/demo/webhooks",
            Some(event),
            &[("Keet-Signature", &signed)],
        )
        .await
        .assert_error(404, "NOT_FOUND");
}
