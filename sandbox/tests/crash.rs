//! The data folder over a crash: accounts linked from four threads, the
//! process killed with SIGKILL mid-traffic, and a new process on the same
//! folder answering for every account token that was answered 200.

mod support;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use support::Sandbox;

/// Links accounts until `stop`, keeping each account token answered 200.
/// Any failure ends the worker: after the kill, every request fails.
async fn link_until_killed(
    sandbox: Arc<Sandbox>,
    worker: usize,
    kept: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
) {
    let mut round = 0;
    while !stop.load(Ordering::Relaxed) {
        round += 1;
        let end_user = format!("crash-{worker}-{round}");
        let sandbox = Arc::clone(&sandbox);
        let linked = async move {
            let link = sandbox.create_link_token(&end_user, "X").await;
            let token = link.body["linkToken"].as_str()?.to_owned();
            let done = sandbox.login(&token, "user_good", "pass_good").await;
            let public = done.body["publicToken"].as_str()?.to_owned();
            let exchanged = sandbox.exchange(&public).await;
            (exchanged.status == 200)
                .then(|| exchanged.body["accountToken"].as_str().map(str::to_owned))?
        };
        // The helpers panic on a refused connection: that is the kill.
        match tokio::spawn(linked).await {
            Ok(Some(account_token)) => kept.lock().unwrap().push(account_token),
            _ => return,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_account_answered_before_a_kill_9_works_after_a_restart() {
    let dir = std::env::temp_dir().join(format!("keet-sandbox-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let dir_flag = dir.to_str().unwrap().to_owned();
    let flags = ["--data-dir", &dir_flag, "--rate-limit", "100000"];
    let sandbox = Arc::new(Sandbox::start(&flags));
    let kept = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (0..4)
        .map(|worker| {
            tokio::spawn(link_until_killed(
                Arc::clone(&sandbox),
                worker,
                Arc::clone(&kept),
                Arc::clone(&stop),
            ))
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        workers.iter().all(|worker| !worker.is_finished()),
        "a worker stopped before the kill: {}",
        sandbox.logs()
    );
    // The workers' requests now fail and their helpers panic: keep that quiet.
    std::panic::set_hook(Box::new(|_| {}));
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &sandbox.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await.unwrap();
    }
    drop(std::panic::take_hook());
    drop(sandbox);

    let answered = kept.lock().unwrap().clone();
    assert!(answered.len() >= 20, "only {} links in 2 s", answered.len());
    let restarted = Sandbox::start(&flags);
    let mut working = 0;
    for account_token in &answered {
        let answer = restarted.linked_account(Method::GET, account_token).await;
        assert_eq!(
            answer.status, 200,
            "an account answered before the kill is gone: {}",
            answer.body
        );
        working += 1;
    }
    eprintln!(
        "{working} of {} account tokens answered before the kill work after the restart",
        answered.len()
    );
    drop(restarted);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_data_folder_that_cannot_be_used_is_named_and_the_sandbox_stops() {
    let file =
        std::env::temp_dir().join(format!("keet-sandbox-not-a-folder-{}", std::process::id()));
    std::fs::write(&file, b"a file, not a folder").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_keet-sandbox"))
        .args(["--port", "0", "--data-dir"])
        .arg(&file)
        .env("KEET_SANDBOX_API_KEY", support::API_KEY)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{said}");
    assert!(said.contains(file.to_str().unwrap()), "{said}");
    assert!(said.contains("data folder"), "{said}");
    let _ = std::fs::remove_file(&file);
}
