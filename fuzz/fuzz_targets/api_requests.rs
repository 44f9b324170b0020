//! Every endpoint of the sandbox, in-process, with fuzzed headers and
//! bodies: the parsers, the extractors and the handlers. No input may panic
//! or reach a 500, and every answer is JSON in the contract's shape.
#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Method, Request};
use http_body_util::BodyExt;
use libfuzzer_sys::fuzz_target;
use tower::ServiceExt;

const API_KEY: &str = "sk_sandbox_fuzz_0123456789abcdef";
const ROUTES: [(&str, &str); 8] = [
    ("POST", "/v1/link/token"),
    ("POST", "/v1/linked-accounts/token"),
    ("GET", "/v1/linked-accounts/me"),
    ("DELETE", "/v1/linked-accounts/me"),
    ("GET", "/v1/link/session"),
    ("POST", "/v1/link/session/submit"),
    ("POST", "/v1/link/session/exit"),
    ("PUT", "/v1/link/token"),
];

struct Harness {
    runtime: tokio::runtime::Runtime,
    app: axum::Router,
    link_token: String,
    /// A link token with no integration: its session starts on the choice.
    picker_token: String,
}

/// Sends `request` to `app`: the status and the whole body.
async fn call(app: &axum::Router, request: Request<Body>) -> (axum::http::StatusCode, Vec<u8>) {
    let response = app.clone().oneshot(request).await.expect("infallible");
    let status = response.status();
    let body = response.into_body().collect().await.expect("a body");
    (status, body.to_bytes().to_vec())
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let settings = keet_sandbox::cli::settings_of(&[
            "--api-key",
            API_KEY,
            "--rate-limit",
            "1000000000",
            "--in-memory",
        ])
        .expect("valid flags");
        let app = runtime
            .block_on(async { keet_sandbox::app(&settings) })
            .expect("an in-memory sandbox");
        let new_link_token = |link_config: &'static str| {
            runtime.block_on(async {
                let request = Request::post("/v1/link/token")
                    .header("Authorization", format!("Bearer {API_KEY}"))
                    .header("Content-Type", "application/json")
                    .body(Body::from(link_config))
                    .expect("a request");
                let response = app.clone().oneshot(request).await.expect("infallible");
                let bytes = response
                    .into_body()
                    .collect()
                    .await
                    .expect("a body")
                    .to_bytes();
                let body: serde_json::Value = serde_json::from_slice(&bytes).expect("JSON");
                body["linkToken"].as_str().expect("a link token").to_owned()
            })
        };
        let link_token =
            new_link_token(r#"{"linkConfig":{"endUserId":"fuzz","integration":"Instagram"}}"#);
        let picker_token = new_link_token(
            r#"{"linkConfig":{"endUserId":"fuzz","integrations":["Uber","LinkedIn"]}}"#,
        );
        Harness {
            runtime,
            app,
            link_token,
            picker_token,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let harness = harness();
    let (method, path) = ROUTES[usize::from(selector) % ROUTES.len()];
    // Up to the first 0xFF: one header value; after it: the body.
    let split = rest.iter().position(|b| *b == 0xFF).unwrap_or(0);
    let (header_bytes, body) = rest.split_at(split);
    let body = body.get(1..).unwrap_or_default().to_vec();
    let header_text = String::from_utf8_lossy(header_bytes).into_owned();
    let bearer = match (selector >> 3) % 5 {
        0 => format!("Bearer {API_KEY}"),
        1 => format!("Bearer {}", harness.link_token),
        2 => header_text.clone(),
        3 => format!("Bearer {}", harness.picker_token),
        _ => String::new(),
    };
    let mut request = Request::builder()
        .method(Method::from_bytes(method.as_bytes()).expect("a method"))
        .uri(path);
    if !bearer.is_empty() {
        request = request.header("Authorization", bearer);
    }
    request = request.header(
        "Content-Type",
        if selector & 0x40 == 0 {
            "application/json"
        } else {
            "text/plain"
        },
    );
    if selector & 0x80 != 0 {
        request = request
            .header("Idempotency-Key", header_text.clone())
            .header("X-Account-Token", header_text);
    }
    // A header value the HTTP crate refuses never reaches a server either.
    let Ok(request) = request.body(Body::from(body)) else {
        return;
    };
    harness.runtime.block_on(async {
        let (status, bytes) = call(&harness.app, request).await;
        assert!(status.as_u16() < 500, "{status}: {bytes:?}");
        let body: serde_json::Value = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("not JSON ({status}): {bytes:?}"));
        assert!(body["status"].is_string(), "no status: {body}");
    });
});
