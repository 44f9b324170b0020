//! The `keet-sandbox` binary over real HTTP on 127.0.0.1: the four steps of
//! a link, its flags, its request log, its signals, and its two origins
//! (the API with the link frame, and the demo site).

mod support;

use std::time::Duration;

use reqwest::Method;
use serde_json::json;
use support::{new_key, Sandbox, API_KEY};

#[tokio::test]
async fn walks_the_four_steps_with_user_good() {
    let sandbox = Sandbox::start(&[]);
    // 1. The backend asks for a link token.
    let created = sandbox.create_link_token("end-user-1", "Instagram").await;
    assert_eq!(created.status, 200);
    assert_eq!(created.body["status"], "ok");
    let link_token = created.body["linkToken"].as_str().unwrap().to_owned();
    assert!(link_token.starts_with("link_sandbox_") && link_token.len() >= 13 + 32);
    // 2. The widget fetches the session.
    let session = sandbox
        .send(
            Method::GET,
            "/v1/link/session",
            Some(&link_token),
            None,
            &[],
        )
        .await;
    assert_eq!(session.status, 200);
    let step = &session.body["session"]["step"];
    assert_eq!(step["type"], "credentials");
    assert_eq!(session.body["session"]["integration"]["name"], "Instagram");
    assert_eq!(step["fields"][1]["kind"], "password");
    // 3. The user logs in.
    let done = sandbox.login(&link_token, "user_good", "pass_good").await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.body["step"]["type"], "done");
    assert_eq!(done.body["metadata"]["integration"], "Instagram");
    assert_eq!(done.body["metadata"]["username"], "user_good");
    let public_token = done.body["publicToken"].as_str().unwrap();
    assert!(public_token.starts_with("public_sandbox_"));
    // 4. The backend exchanges the public token and reads the account.
    let exchanged = sandbox.exchange(public_token).await;
    assert_eq!(exchanged.status, 200);
    let account_token = exchanged.body["accountToken"].as_str().unwrap();
    assert!(account_token.starts_with("acc_"));
    let me = sandbox.linked_account(Method::GET, account_token).await;
    assert_eq!(me.status, 200);
    assert_eq!(me.body["linkedAccount"]["endUserId"], "end-user-1");
    assert_eq!(
        me.body["linkedAccount"]["integrations"],
        json!([{ "integration": "Instagram", "username": "user_good", "isAlive": true }])
    );
}

#[tokio::test]
async fn logs_one_line_per_request_and_never_a_secret() {
    let sandbox = Sandbox::start(&[]);
    let token = sandbox.link_token("u", "Instagram").await;
    let code_step = sandbox.login(&token, "user_mfa", "pass_good").await;
    let step = code_step.body["step"]["id"].as_str().unwrap();
    let done = sandbox
        .submit(&token, step, json!({"code": "123456"}), &new_key())
        .await;
    let public_token = done.body["publicToken"].as_str().unwrap().to_owned();
    let exchanged = sandbox.exchange(&public_token).await;
    let account = exchanged.body["accountToken"].as_str().unwrap().to_owned();
    sandbox
        .send(Method::GET, &format!("/v1/{token}"), None, None, &[])
        .await;
    // 1 link token + 1 session + 1 login + 1 code + 1 exchange + 1 probe = 6 requests.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let logs = sandbox.logs();
    let lines = logs.lines().filter(|l| l.contains("request")).count();
    assert_eq!(lines, 6, "{logs}");
    for secret in [
        API_KEY,
        &token,
        &public_token,
        &account,
        "pass_good",
        "123456",
    ] {
        assert!(!logs.contains(secret), "a secret reached the log: {logs}");
    }
}

#[tokio::test]
async fn demo_backend_creates_and_exchanges_with_the_server_held_key() {
    let site = StaticSite::new("demo-backend");
    let sandbox = Sandbox::start(&site.flags());
    let created = sandbox
        .send_demo(
            Method::POST,
            "/demo/link-token",
            Some(json!({"endUserId": "demo-user", "integration": "Uber"})),
            &[("Origin", &sandbox.demo.clone().unwrap())],
        )
        .await;
    assert_eq!(created.status, 200, "{}", created.body);
    let bad = sandbox
        .send_demo(
            Method::POST,
            "/demo/link-token",
            Some(json!({"endUserId": "", "integration": "Uber"})),
            &[],
        )
        .await;
    bad.assert_error(400, "VALIDATION_ERROR");
    let public_token = sandbox.public_token("demo-user", "Amazon").await;
    let exchanged = sandbox
        .send_demo(
            Method::POST,
            "/demo/exchange",
            Some(json!({"publicToken": public_token})),
            &[],
        )
        .await;
    assert_eq!(exchanged.status, 200, "{}", exchanged.body);
    assert!(exchanged.body["accountToken"]
        .as_str()
        .unwrap()
        .starts_with("acc_"));
    assert_eq!(exchanged.body["linkedAccount"]["endUserId"], "demo-user");
    let shown = sandbox
        .send_demo(Method::GET, "/demo/linked-accounts/demo-user", None, &[])
        .await;
    assert_eq!(
        shown.body["linkedAccount"]["integrations"][0]["integration"],
        "Amazon"
    );
    sandbox
        .send_demo(Method::GET, "/demo/linked-accounts/nobody", None, &[])
        .await
        .assert_error(404, "NOT_FOUND");
}

#[tokio::test]
async fn a_restarted_demo_still_shows_the_accounts_its_backend_linked() {
    let site = StaticSite::new("demo-restart");
    let dir = std::env::temp_dir().join(format!("keet-sandbox-demo-kept-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let mut flags = site.flags();
    flags.extend(["--data-dir", dir.to_str().unwrap()]);
    let sandbox = Sandbox::start(&flags);
    let public_token = sandbox.public_token("kept-user", "Venmo").await;
    let exchanged = sandbox
        .send_demo(
            Method::POST,
            "/demo/exchange",
            Some(json!({"publicToken": public_token})),
            &[],
        )
        .await;
    assert_eq!(exchanged.status, 200, "{}", exchanged.body);
    drop(sandbox);
    let restarted = Sandbox::start(&flags);
    let shown = restarted
        .send_demo(Method::GET, "/demo/linked-accounts/kept-user", None, &[])
        .await;
    assert_eq!(shown.status, 200, "{}", shown.body);
    assert_eq!(
        shown.body["linkedAccount"]["integrations"][0]["integration"],
        "Venmo"
    );
    drop(restarted);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A `www` and a `pkg` folder (with a link frame) in a temporary folder.
struct StaticSite {
    dir: std::path::PathBuf,
}

impl StaticSite {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("keet-sandbox-{name}-{}", std::process::id()));
        let frame = dir.join("pkg").join("frame");
        std::fs::create_dir_all(dir.join("www")).unwrap();
        std::fs::create_dir_all(&frame).unwrap();
        std::fs::write(
            dir.join("www").join("index.html"),
            "<!doctype html><title>demo</title>",
        )
        .unwrap();
        std::fs::write(
            dir.join("pkg").join("keet_link_bg.wasm"),
            b"\0asm\x01\0\0\0",
        )
        .unwrap();
        std::fs::write(
            frame.join("frame.html"),
            "<!doctype html><title>frame</title>",
        )
        .unwrap();
        std::fs::write(frame.join("keet_link_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
        // A content-named script, precompressed beside it as the build does.
        std::fs::write(frame.join("frame.0123456789ab.js"), "export {};").unwrap();
        std::fs::write(frame.join("frame.0123456789ab.js.br"), b"brotli bytes").unwrap();
        Self { dir }
    }

    fn flags(&self) -> Vec<&str> {
        vec![
            "--www",
            self.dir.join("www").to_str().unwrap().to_owned().leak(),
            "--pkg",
            self.dir.join("pkg").to_str().unwrap().to_owned().leak(),
        ]
    }
}

impl Drop for StaticSite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[tokio::test]
async fn serves_the_demo_site_and_the_link_frame_on_two_origins() {
    let site = StaticSite::new("static");
    let sandbox = Sandbox::start(&site.flags());
    let demo = sandbox.demo.clone().expect("a demo site");
    assert_ne!(
        demo, sandbox.base,
        "the demo is another origin than the API"
    );
    let client = reqwest::Client::new();
    let get = |url: String| {
        let client = client.clone();
        async move { client.get(url).send().await.unwrap() }
    };

    // The host page: a strict CSP that needs no wasm and frames only the API.
    let page = get(format!("{demo}/")).await;
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("wasm-unsafe-eval"), "{csp}");
    assert!(
        csp.contains(&format!("frame-src {}", sandbox.base)),
        "{csp}"
    );
    assert!(csp.contains("require-trusted-types-for 'script'"), "{csp}");
    let in_page = get(format!("{demo}/?isolation=none")).await;
    let csp = in_page.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    let config = get(format!("{demo}/demo/config")).await;
    assert_eq!(
        config.json::<serde_json::Value>().await.unwrap()["apiBaseUrl"],
        sandbox.base.as_str()
    );
    let wasm = get(format!("{demo}/pkg/keet_link_bg.wasm")).await;
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(get(format!("{demo}/nope.html")).await.status(), 404);

    // The link frame, on the API origin: wasm allowed here only, no referrer,
    // and only loopback pages may embed it by default.
    let frame = get(format!("{}/link/v1/frame", sandbox.base)).await;
    assert_eq!(frame.status(), 200);
    assert_eq!(frame.headers()["referrer-policy"], "no-referrer");
    assert_eq!(
        frame.headers()["cross-origin-resource-policy"],
        "cross-origin"
    );
    assert_eq!(
        frame.headers()["cross-origin-embedder-policy"],
        "credentialless"
    );
    let csp = frame.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{csp}"
    );
    assert!(csp.contains("connect-src 'self'"), "{csp}");
    assert!(
        csp.ends_with("frame-ancestors http://127.0.0.1:* http://localhost:*"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(frame.text().await.unwrap().contains("<title>frame</title>"));
    let wasm = get(format!("{}/link/v1/keet_link_bg.wasm", sandbox.base)).await;
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    // The API origin serves neither the demo nor the package.
    assert_eq!(get(format!("{}/", sandbox.base)).await.status(), 404);
    assert_eq!(
        get(format!("{}/pkg/keet_link_bg.wasm", sandbox.base))
            .await
            .status(),
        404
    );
}

#[tokio::test]
async fn the_frame_files_are_cached_as_immutable_and_served_precompressed() {
    let site = StaticSite::new("caching");
    let sandbox = Sandbox::start(&site.flags());
    let client = reqwest::Client::new();
    let get = |path: &str, encodings: &str| {
        client
            .get(format!("{}{path}", sandbox.base))
            .header("accept-encoding", encodings)
            .send()
    };

    let page = get("/link/v1/frame", "br, gzip").await.unwrap();
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let script = get("/link/v1/frame.0123456789ab.js", "gzip, br")
        .await
        .unwrap();
    assert_eq!(
        script.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(script.headers()["content-encoding"], "br");
    assert_eq!(script.headers()["vary"], "accept-encoding");
    assert_eq!(script.bytes().await.unwrap().as_ref(), b"brotli bytes");
    let plain = get("/link/v1/frame.0123456789ab.js", "identity")
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), b"export {};");
    // Not the page by another URL, and never an error, for a year.
    let page_file = get("/link/v1/frame.html", "br").await.unwrap();
    assert_eq!(page_file.headers()["cache-control"], "no-cache");
    let missing = get("/link/v1/frame.ffffffffffff.js", "br").await.unwrap();
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["cache-control"], "no-store");
}

#[tokio::test]
async fn the_demo_site_serves_the_package_compressed_to_a_client_that_asks() {
    let site = StaticSite::new("compressed");
    // A glue-like script, large enough to be worth compressing.
    let script = "export const answer = 42;\n".repeat(200);
    std::fs::write(site.dir.join("pkg").join("glue.js"), &script).unwrap();
    let sandbox = Sandbox::start(&site.flags());
    let demo = sandbox.demo.clone().expect("a demo site");
    let client = reqwest::Client::new();
    let get = |encodings: &str| {
        client
            .get(format!("{demo}/pkg/glue.js"))
            .header("accept-encoding", encodings)
            .send()
    };

    let compressed = get("gzip, deflate, br").await.unwrap();
    assert_eq!(compressed.headers()["content-encoding"], "br");
    assert_eq!(compressed.headers()["cache-control"], "no-cache");
    assert!(compressed.bytes().await.unwrap().len() < script.len() / 10);
    let plain = get("identity").await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(plain.bytes().await.unwrap().as_ref(), script.as_bytes());
    // What the build precompressed is served as it is, with no work per request.
    std::fs::write(
        site.dir.join("pkg").join("keet_link_bg.wasm.br"),
        b"brotli bytes",
    )
    .unwrap();
    let wasm = client
        .get(format!("{demo}/pkg/keet_link_bg.wasm"))
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .unwrap();
    assert_eq!(wasm.headers()["content-encoding"], "br");
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.bytes().await.unwrap().as_ref(), b"brotli bytes");
}

#[tokio::test]
async fn frame_ancestors_come_from_the_flag() {
    let site = StaticSite::new("ancestors");
    let mut flags = site.flags();
    flags.extend(["--frame-ancestors", "https://shop.example"]);
    let sandbox = Sandbox::start(&flags);
    let frame = reqwest::get(format!("{}/link/v1/frame", sandbox.base))
        .await
        .unwrap();
    let csp = frame.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with("frame-ancestors https://shop.example"),
        "{csp}"
    );
}

#[tokio::test]
async fn stops_cleanly_on_sigterm_and_sigint() {
    for signal in ["TERM", "INT"] {
        let mut sandbox = Sandbox::start(&[]);
        assert_eq!(sandbox.create_link_token("u", "X").await.status, 200);
        let status = sandbox
            .stop_with(signal)
            .expect("the sandbox stops within 5 s");
        assert!(status.success(), "SIG{signal}: {status:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert!(sandbox.logs().contains("stopped"), "{}", sandbox.logs());
    }
}

#[tokio::test]
async fn a_new_code_over_real_http_after_the_cooldown_flag() {
    let sandbox = Sandbox::start(&["--resend-cooldown", "1"]);
    let token = sandbox.link_token("resend-http", "Uber").await;
    let step = sandbox.step_id(&token).await;
    let code_step = sandbox
        .submit(
            &token,
            &step,
            json!({ "phone": "+15555550100" }),
            &new_key(),
        )
        .await;
    assert_eq!(code_step.body["step"]["resendAfterSeconds"], 1);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let answer = sandbox
        .send(
            Method::POST,
            "/v1/link/session/resend",
            Some(&token),
            None,
            &[("Idempotency-Key", "resend-1"), ("Accept-Language", "fr")],
        )
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.headers["content-language"], "fr");
    assert_eq!(
        answer.body["step"]["fields"][0]["label"],
        "Code de vérification"
    );
}

/// Slow clients cannot hold the sandbox: 200 connections that never finish
/// their headers, 200 whose body trickles in a byte at a time, and 20 that
/// are answered and then keep the connection idle, do not delay anyone
/// else, and each is cut off (crate::serve's header-read timeout, which is
/// also the idle timeout, and its body deadline, 10 s each) within 30 s.
#[tokio::test]
async fn slow_clients_are_cut_off_and_others_are_still_answered() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    // The rate limit would refuse the 200 trickles before their bodies.
    let sandbox = Sandbox::start(&["--rate-limit", "100000"]);
    let token = sandbox.link_token("slow-clients", "X").await;
    let address = sandbox.base.trim_start_matches("http://").to_owned();
    let started = std::time::Instant::now();
    let mut slow = Vec::new();
    for i in 0..420 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let idle = i >= 400;
        if idle {
            // One whole request, then nothing on the kept-alive connection.
            let request = format!(
                "GET /v1/link/session HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n"
            );
            stream.write_all(request.as_bytes()).await.unwrap();
        } else if i % 2 == 0 {
            // Headers that never end.
            stream
                .write_all(b"GET /v1/link/session HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
                .await
                .unwrap();
        } else {
            // A body promised and sent one byte at a time.
            let head = format!(
                "POST /v1/link/session/exit HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\
Content-Type: application/json\r\nContent-Length: 64\r\n\r\n{{"
            );
            stream.write_all(head.as_bytes()).await.unwrap();
        }
        slow.push(tokio::spawn(async move {
            // Trickles a byte every 2 s until the server hangs up; how long that took.
            let mut buffer = [0u8; 1024];
            loop {
                tokio::select! {
                    read = stream.read(&mut buffer) => match read {
                        Ok(0) | Err(_) => return started.elapsed(),
                        Ok(_) => {}
                    },
                    () = tokio::time::sleep(Duration::from_secs(2)) => {
                        if !idle && stream.write_all(b" ").await.is_err() {
                            return started.elapsed();
                        }
                    }
                }
                if started.elapsed() > Duration::from_secs(60) {
                    return started.elapsed();
                }
            }
        }));
    }
    // Everyone else is answered at once.
    let before = std::time::Instant::now();
    let answer = sandbox
        .send(Method::GET, "/v1/link/session", Some(&token), None, &[])
        .await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(
        before.elapsed() < Duration::from_secs(1),
        "took {:?} beside 420 slow clients",
        before.elapsed()
    );
    let mut longest = Duration::ZERO;
    for client in slow {
        longest = longest.max(client.await.unwrap());
    }
    assert!(
        longest < Duration::from_secs(30),
        "a slow client was still connected after {longest:?}"
    );
    eprintln!("slow clients: the last was cut off after {longest:?}");
}

/// Twenty files in a row on one kept-alive connection. A file's body is
/// written after its headers; with Nagle's algorithm on, it waited for the
/// client's delayed ACK of them (up to 40 ms on Linux): twenty took 500 ms
/// and more, against 20 ms without it.
#[tokio::test]
async fn sends_each_file_at_once_not_after_the_clients_delayed_ack() {
    let site = StaticSite::new("nodelay");
    let sandbox = Sandbox::start(&site.flags());
    let demo = sandbox.demo.clone().expect("a demo site");
    let client = reqwest::Client::new();
    let url = format!("{demo}/pkg/keet_link_bg.wasm");
    assert_eq!(client.get(&url).send().await.unwrap().status(), 200);
    let started = std::time::Instant::now();
    for _ in 0..20 {
        let answer = client.get(&url).send().await.unwrap();
        assert_eq!(answer.bytes().await.unwrap().len(), 8);
    }
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(300),
        "twenty files took {took:?}"
    );
}
