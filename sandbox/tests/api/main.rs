//! The contract's HTTP behaviour, in-process (`tower::ServiceExt::oneshot`)
//! with an adjustable clock: every row of the error table and every test
//! credential. `binary.rs` covers what needs the real process: the walk over
//! real HTTP, its flags, logs, signals and two origins.

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod credentials;
mod languages;
mod logins;
mod new_code;
mod relink;
mod requests;
mod second_steps;

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use support::{new_key, Answer, Sandbox, API_KEY, PEER};

const GOOD: (&str, &str) = ("user_good", "pass_good");

/// The values of a successful password login.
fn good_login() -> serde_json::Value {
    json!({ "username": GOOD.0, "password": GOOD.1 })
}
