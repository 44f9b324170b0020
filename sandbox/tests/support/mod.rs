//! A sandbox to test, in-process or a real process, and a small client
//! that drives either the same way.

// Each test binary uses part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A pseudo-header for in-process requests: the client address the
/// request comes from (`127.0.0.2:5000`), which the real server takes from
/// the connection.
pub const PEER: &str = "x-test-peer";

/// The API key every test sandbox accepts.
pub const API_KEY: &str = "sk_sandbox_test_0123456789abcdef0123";

/// A sandbox under test: a real process on a free loopback port, or the
/// same app in this process, driven through `tower::ServiceExt::oneshot`
/// with an adjustable clock.
pub struct Sandbox {
    transport: Transport,
    /// `http://127.0.0.1:PORT`: the API and the link frame.
    pub base: String,
    /// The demo site's own origin, when started with `--www`.
    pub demo: Option<String>,
}

enum Transport {
    /// Killed on drop.
    Process {
        child: Child,
        stderr: Arc<Mutex<String>>,
        client: reqwest::Client,
    },
    InProcess {
        api: axum::Router,
        site: Option<axum::Router>,
        clock: keet_sandbox::clock::Clock,
    },
}

/// One answer: status, headers, JSON body (or `Null`).
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    fn of(status: StatusCode, headers: reqwest::header::HeaderMap, bytes: &[u8]) -> Self {
        Self {
            status,
            headers,
            body: serde_json::from_slice(bytes).unwrap_or(Value::Null),
        }
    }

    /// `error.code` of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }

    /// The `(field, code)` pairs of a validation error.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .map(|e| {
                        (
                            e["field"].as_str().unwrap_or("").to_owned(),
                            e["code"].as_str().unwrap_or("").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Asserts the contract's error shape with `status` and `code`.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.body["status"], "error", "body: {}", self.body);
        assert_eq!(self.code(), code, "body: {}", self.body);
        assert!(
            self.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "no message: {}",
            self.body
        );
    }
}

/// `--in-memory` unless the test names a data folder: tests never share one.
fn storage_flag(extra: &[&str]) -> Option<&'static str> {
    (!extra.contains(&"--data-dir")).then_some("--in-memory")
}

impl Sandbox {
    /// Starts the binary with `extra` flags, and reads the line of JSON it
    /// prints once listening (`--ready-json`).
    pub fn start(extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_keet-sandbox"))
            .args(["--port", "0", "--ready-json"])
            .args(storage_flag(extra))
            .args(extra)
            .env("KEET_SANDBOX_API_KEY", API_KEY)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the sandbox binary starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("a first line");
        let ready: Value = serde_json::from_str(&first)
            .unwrap_or_else(|_| panic!("not a line of JSON: {first:?}"));
        assert_eq!(ready["apiKey"], API_KEY, "the key it was given");
        let base = ready["api"].as_str().expect("the API's URL").to_owned();
        let demo = ready["demo"].as_str().map(str::to_owned);
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&stderr);
        let mut err = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while let Ok(n) = err.read(&mut buffer) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buffer[..n]));
            }
        });
        Self {
            transport: Transport::Process {
                child,
                stderr,
                client: reqwest::Client::new(),
            },
            base,
            demo,
        }
    }

    /// The same app as `start(extra)`, in this process, with a clock that
    /// [`Sandbox::advance`] moves. Call it inside a tokio runtime.
    pub fn in_process(extra: &[&str]) -> Self {
        let flags: Vec<&str> = ["--api-key", API_KEY]
            .into_iter()
            .chain(storage_flag(extra))
            .chain(extra.iter().copied())
            .collect();
        let mut settings = keet_sandbox::cli::settings_of(&flags).expect("valid flags");
        let clock = keet_sandbox::clock::Clock::adjustable();
        settings.clock = clock.clone();
        let base = "http://127.0.0.1:9".to_owned();
        let apps = keet_sandbox::apps(&settings, &base).expect("the sandbox's storage opens");
        let demo = apps.site.as_ref().map(|_| "http://127.0.0.1:10".to_owned());
        Self {
            transport: Transport::InProcess {
                api: apps.api,
                site: apps.site,
                clock,
            },
            base,
            demo,
        }
    }

    /// Moves an in-process sandbox's clock forward.
    pub fn advance(&self, by: std::time::Duration) {
        match &self.transport {
            Transport::InProcess { clock, .. } => clock.advance(by),
            Transport::Process { .. } => panic!("only an in-process sandbox's clock moves"),
        }
    }

    /// Sends `signal` (e.g. `"TERM"`) and waits up to 5 s for the process to end.
    pub fn stop_with(&mut self, signal: &str) -> Option<std::process::ExitStatus> {
        let Transport::Process { child, .. } = &mut self.transport else {
            panic!("only a process takes signals")
        };
        let sent = Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        for _ in 0..50 {
            if let Some(status) = child.try_wait().expect("waitable") {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        None
    }

    /// The process's id, to signal it while requests are in flight.
    pub fn pid(&self) -> u32 {
        match &self.transport {
            Transport::Process { child, .. } => child.id(),
            Transport::InProcess { .. } => {
                panic!("an in-process sandbox has no process of its own")
            }
        }
    }

    /// Everything the sandbox logged so far.
    pub fn logs(&self) -> String {
        match &self.transport {
            Transport::Process { stderr, .. } => stderr.lock().unwrap().clone(),
            Transport::InProcess { .. } => {
                panic!("an in-process sandbox logs to the test's output")
            }
        }
    }

    /// A request to the API with optional bearer and JSON body, and extra headers.
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        self.send_to(&self.base, method, path, bearer, body, headers)
            .await
    }

    /// The same, to the demo site (its backend under `/demo/`).
    pub async fn send_demo(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let demo = self.demo.as_deref().expect("started with --www");
        self.send_to(demo, method, path, None, body, headers).await
    }

    async fn send_to(
        &self,
        base: &str,
        method: Method,
        path: &str,
        bearer: Option<&str>,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut all: Vec<(String, String)> = headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        if let Some(token) = bearer {
            all.push(("Authorization".into(), format!("Bearer {token}")));
        }
        let bytes = body.map(|body| {
            all.push(("Content-Type".into(), "application/json".into()));
            body.to_string().into_bytes()
        });
        self.exchange_bytes(base, method, path, &all, bytes).await
    }

    /// `method path` with exactly these headers and body bytes.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        bytes: Vec<u8>,
    ) -> Answer {
        self.send_raw_to(&self.base, method, path, headers, bytes)
            .await
    }

    /// The same, to the demo site.
    pub async fn send_demo_raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        bytes: Vec<u8>,
    ) -> Answer {
        let demo = self.demo.clone().expect("started with --www");
        self.send_raw_to(&demo, method, path, headers, bytes).await
    }

    async fn send_raw_to(
        &self,
        base: &str,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        bytes: Vec<u8>,
    ) -> Answer {
        let all: Vec<(String, String)> = headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        self.exchange_bytes(base, method, path, &all, Some(bytes))
            .await
    }

    /// `POST path` with `bytes` as an `application/json` body, as they are.
    pub async fn post_raw(&self, path: &str, bearer: &str, bytes: Vec<u8>) -> Answer {
        let key = new_key();
        let authorization = format!("Bearer {bearer}");
        let headers = [
            ("Authorization", authorization.as_str()),
            ("Content-Type", "application/json"),
            ("Idempotency-Key", key.as_str()),
        ];
        self.send_raw(Method::POST, path, &headers, bytes).await
    }

    async fn exchange_bytes(
        &self,
        base: &str,
        method: Method,
        path: &str,
        headers: &[(String, String)],
        bytes: Option<Vec<u8>>,
    ) -> Answer {
        let answer = self
            .exchange_bytes_as_sent(base, method, path, headers, bytes)
            .await;
        if base == self.base {
            the_widget_reads_it_as_serde_does(path, &answer);
        }
        answer
    }

    async fn exchange_bytes_as_sent(
        &self,
        base: &str,
        method: Method,
        path: &str,
        headers: &[(String, String)],
        bytes: Option<Vec<u8>>,
    ) -> Answer {
        match &self.transport {
            Transport::Process { client, .. } => {
                let mut request = client.request(method, format!("{base}{path}"));
                for (name, value) in headers {
                    request = request.header(name, value);
                }
                if let Some(bytes) = bytes {
                    request = request.body(bytes);
                }
                let response = request.send().await.expect("the sandbox answers");
                let status = response.status();
                let headers = response.headers().clone();
                let bytes = response.bytes().await.expect("a body");
                Answer::of(status, headers, &bytes)
            }
            Transport::InProcess { api, site, .. } => {
                use http_body_util::BodyExt;
                use tower::ServiceExt;
                let router = if Some(base) == self.demo.as_deref() {
                    site.clone().expect("started with --www")
                } else {
                    api.clone()
                };
                let mut request = axum::http::Request::builder().method(method).uri(path);
                for (name, value) in headers {
                    // The client's address, as the real server gives it
                    // (crate::serve): not a header on the wire.
                    if name == PEER {
                        let peer: std::net::SocketAddr = value.parse().expect("an address");
                        request = request.extension(axum::extract::ConnectInfo(peer));
                    } else {
                        request = request.header(name, value);
                    }
                }
                let request = request
                    .body(axum::body::Body::from(bytes.unwrap_or_default()))
                    .expect("a well-formed request");
                let response = router.oneshot(request).await.expect("infallible");
                let status = response.status();
                let headers = response.headers().clone();
                let bytes = response
                    .into_body()
                    .collect()
                    .await
                    .expect("a body")
                    .to_bytes();
                Answer::of(status, headers, &bytes)
            }
        }
    }

    /// `POST /v1/link/token` for `integration`, returning the whole answer.
    pub async fn create_link_token(&self, end_user: &str, integration: &str) -> Answer {
        self.send(
            Method::POST,
            "/v1/link/token",
            Some(API_KEY),
            Some(json!({ "linkConfig": { "endUserId": end_user, "integration": integration } })),
            &[],
        )
        .await
    }

    /// A fresh link token for `integration`.
    pub async fn link_token(&self, end_user: &str, integration: &str) -> String {
        let answer = self.create_link_token(end_user, integration).await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.body["linkToken"].as_str().unwrap().to_owned()
    }

    /// The current step id of the session behind `link_token`.
    pub async fn step_id(&self, link_token: &str) -> String {
        let answer = self
            .send(Method::GET, "/v1/link/session", Some(link_token), None, &[])
            .await;
        assert_eq!(answer.status, 200, "{}", answer.body);
        answer.body["session"]["step"]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// Submits `values` to `step_id` under `key`.
    pub async fn submit(
        &self,
        link_token: &str,
        step_id: &str,
        values: Value,
        key: &str,
    ) -> Answer {
        self.send(
            Method::POST,
            "/v1/link/session/submit",
            Some(link_token),
            Some(json!({ "stepId": step_id, "values": values })),
            &[("Idempotency-Key", key)],
        )
        .await
    }

    /// Logs in with `username`/`password` on the current step, under a new key.
    pub async fn login(&self, link_token: &str, username: &str, password: &str) -> Answer {
        let step = self.step_id(link_token).await;
        self.submit(
            link_token,
            &step,
            json!({ "username": username, "password": password }),
            &new_key(),
        )
        .await
    }

    /// A whole successful link for `end_user` on `integration`: the public token.
    pub async fn public_token(&self, end_user: &str, integration: &str) -> String {
        let token = self.link_token(end_user, integration).await;
        let done = self.login(&token, "user_good", "pass_good").await;
        assert_eq!(done.status, 200, "{}", done.body);
        done.body["publicToken"].as_str().unwrap().to_owned()
    }

    /// `method /v1/linked-accounts/me` with the API key and `account_token`.
    pub async fn linked_account(&self, method: Method, account_token: &str) -> Answer {
        self.send(
            method,
            "/v1/linked-accounts/me",
            Some(API_KEY),
            None,
            &[("X-Account-Token", account_token)],
        )
        .await
    }

    /// Exchanges `public_token`.
    pub async fn exchange(&self, public_token: &str) -> Answer {
        self.send(
            Method::POST,
            "/v1/linked-accounts/token",
            Some(API_KEY),
            Some(json!({ "publicToken": public_token })),
            &[],
        )
        .await
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Transport::Process { child, .. } = &mut self.transport {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A fresh idempotency key.
pub fn new_key() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "test-key-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The widget reads the answers of its calls by hand
/// (`keet_link_protocol::read`), not with serde: every answer a test gets
/// from those calls, and every error body, must read the same both ways.
fn the_widget_reads_it_as_serde_does(path: &str, answer: &Answer) {
    use keet_link_protocol::{
        paths, ErrorBody, OkBody, ResendResponse, SessionResponse, SubmitResponse,
    };
    fn agree<T>(path: &str, body: &Value)
    where
        T: keet_link_protocol::read::Read
            + serde::de::DeserializeOwned
            + PartialEq
            + std::fmt::Debug,
    {
        let by_serde = serde_json::from_value::<T>(body.clone()).ok();
        let by_hand = keet_link_protocol::read::read::<T, _>(body).ok();
        assert_eq!(
            by_hand, by_serde,
            "{path} answered {body}: read by hand, and by serde"
        );
    }
    let body = &answer.body;
    if body.is_null() {
        return;
    }
    if !answer.status.is_success() {
        if body.get("error").is_some() {
            agree::<ErrorBody>(path, body);
        }
        return;
    }
    match path {
        paths::SESSION => agree::<SessionResponse>(path, body),
        paths::SUBMIT => agree::<SubmitResponse>(path, body),
        paths::RESEND => agree::<ResendResponse>(path, body),
        paths::EXIT => agree::<OkBody>(path, body),
        _ => {}
    }
}
