//! A real `keet-sandbox` process on a free loopback port, and a small client.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The API key every test sandbox accepts.
pub const API_KEY: &str = "sk_sandbox_test_0123456789abcdef0123";

/// A running sandbox; killed on drop.
pub struct Sandbox {
    child: Child,
    /// `http://127.0.0.1:PORT`: the API and the link frame.
    pub base: String,
    /// The demo site's own origin, when started with `--www`.
    pub demo: Option<String>,
    stderr: Arc<Mutex<String>>,
    client: reqwest::Client,
}

/// One answer: status, headers, JSON body (or `Null`).
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
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

impl Sandbox {
    /// Starts a sandbox with `extra` flags.
    pub fn start(extra: &[&str]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_keet-sandbox"))
            .args(["--port", "0"])
            .args(extra)
            .env("KEET_SANDBOX_API_KEY", API_KEY)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the sandbox binary starts");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut first = String::new();
        stdout.read_line(&mut first).expect("a first line");
        let base = first
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
            .to_owned();
        let mut second = String::new();
        stdout.read_line(&mut second).expect("a second line");
        let demo = second
            .trim()
            .strip_prefix("demo site on ")
            .map(str::to_owned);
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
            child,
            base,
            demo,
            stderr,
            client: reqwest::Client::new(),
        }
    }

    /// Sends `signal` (e.g. `"TERM"`) and waits up to 5 s for the process to end.
    pub fn stop_with(&mut self, signal: &str) -> Option<std::process::ExitStatus> {
        let sent = Command::new("kill")
            .args([format!("-{signal}"), self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
        for _ in 0..50 {
            if let Some(status) = self.child.try_wait().expect("waitable") {
                return Some(status);
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        None
    }

    /// Everything the sandbox logged so far.
    pub fn logs(&self) -> String {
        self.stderr.lock().unwrap().clone()
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
        let mut request = self.client.request(method, format!("{base}{path}"));
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request
                .header("Content-Type", "application/json")
                .body(body.to_string());
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the sandbox answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Answer {
            status,
            headers,
            body,
        }
    }

    /// `POST path` with `bytes` as an `application/json` body, as they are.
    pub async fn post_raw(&self, path: &str, bearer: &str, bytes: Vec<u8>) -> Answer {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(bearer)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", new_key())
            .body(bytes)
            .send()
            .await
            .expect("the sandbox answers");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.expect("a body");
        Answer {
            status,
            headers,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
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
        let _ = self.child.kill();
        let _ = self.child.wait();
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
