//! The widget's verdict on config values, for the loader's property test
//! (tests/host/config-agreement.test.mjs): each stdin line is a JSON
//! `[option, value]` (`null` is absent; a number or object is neither a
//! string nor a function); each stdout line is `{"value": …}`, what the
//! widget reads it as, or `{"error": {code, message, field}}`.
//! `scripts/config-verdicts.mjs` is the loader's side of the same protocol.

use std::io::{BufRead, Write};

use keet_link::config::{Given, GivenLinkToken, HostConfig, Scope, LINK_TOKEN, OPTIONS};
use serde_json::{json, Value};

/// What the widget's reader makes of `value` given for `name`, alone.
fn verdict(name: &str, value: &Value) -> Value {
    let given = match value {
        Value::Null => Given::Absent,
        Value::String(text) => Given::Text(text.clone()),
        _ => Given::Other,
    };
    let (config, errors) = HostConfig::read(Scope::Widget, &|option| match option {
        _ if option == name => given.clone(),
        // Any other option absent; a link token must be there, and is.
        _ if option == LINK_TOKEN.name => Given::Function,
        _ => Given::Absent,
    });
    if let Some(error) = errors.first() {
        return json!({ "error": error });
    }
    let read = match OPTIONS.iter().find(|option| option.name == name) {
        Some(option) if option.name == LINK_TOKEN.name => match config.link_token() {
            GivenLinkToken::Token(token) => Some(token.expose().to_owned()),
            _ => None,
        },
        Some(option) => config.value(option).map(str::to_owned),
        None => None,
    };
    json!({ "value": read })
}

fn main() {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let line = line.expect("stdin is readable");
        let (name, value): (String, Value) =
            serde_json::from_str(&line).expect("each line is [option, value]");
        writeln!(out, "{}", verdict(&name, &value)).expect("stdout is writable");
    }
}
