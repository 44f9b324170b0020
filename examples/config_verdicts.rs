//! The widget's verdict on config values, for the loader's property test
//! (tests/host/config-agreement.test.mjs): each stdin line is a JSON
//! `[option, value]` (`null` is absent; a number or object is neither a
//! string nor a function); each stdout line is `{"value": …}`, what the
//! widget reads it as, or `{"error": {code, message, field}}`.
//! `scripts/config-verdicts.mjs` is the loader's side of the same protocol.

use std::io::{BufRead, Write};

use keet_link::config::{Given, HostConfig};
use serde_json::{json, Value};

/// What the widget's reader makes of `value` given for `name`, alone.
fn verdict(name: &str, value: &Value) -> Value {
    let given = match value {
        Value::Null => Given::Absent,
        Value::String(text) => Given::Text(text.clone()),
        _ => Given::Other,
    };
    match HostConfig::read_alone(name, given) {
        Ok(read) => json!({ "value": read }),
        Err(error) => json!({ "error": error }),
    }
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
