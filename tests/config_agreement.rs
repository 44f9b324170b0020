//! The widget (crates/flow/src/config.rs) and the loader (js/host.js) read every config
//! value alike: the same value, or the same error with the same message.
//! proptest makes the values here, and the loader's verdicts come from
//! `node scripts/config-verdicts.mjs`; tests/host/config-agreement.test.mjs
//! is the same property with fast-check's values, asking the widget.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

use keet_link::config::{Given, HostConfig, Rule, OPTIONS};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRng, TestRunner};
use serde_json::{json, Value};

/// Pieces the rules care about, so that near misses are common.
const PIECES: &[&str] = &[
    "https://",
    "http://",
    "localhost",
    "127.0.0.1",
    "api",
    ".",
    "example",
    "com",
    ":",
    "8080",
    "65535",
    "65536",
    "/",
    "?",
    "#",
    "0x1f",
    "1",
    "256",
    "08",
    "é",
    " ",
    "@",
    "-",
    "xn--",
    "link_",
    "public_",
    "_",
    "Z",
    "<",
    "en",
    "pt",
    "BR",
    "#",
    "0A66C2",
    "fff",
    "G",
    "light",
    "dark",
    "system",
    "frame",
    "none",
];

/// A value near the form `rule` wants, on either side of its edges.
fn formed(rule: Rule) -> BoxedStrategy<String> {
    match rule {
        Rule::LinkToken => "link_[A-Za-z0-9]{0,20}[_.-]?[A-Za-z0-9]{0,4}".boxed(),
        Rule::Url { .. } => (
            prop::sample::select(vec!["https://", "http://"]),
            prop::sample::select(vec![
                "localhost",
                "127.0.0.1",
                "api.example.com",
                "1.2.3.4",
                "256.1.1.1",
                "1.2.3",
                "0x.example",
                "a..b",
                "evil.example",
                "xn--bcher-kva.example",
            ]),
            prop::sample::select(vec!["", ":8080", ":65535", ":65536", ":", ":0"]),
            prop::sample::select(vec![
                "",
                "/",
                "//",
                "/base",
                "/link/v1/frame",
                "/?q",
                "/a b",
            ]),
        )
            .prop_map(|(scheme, host, port, path)| format!("{scheme}{host}{port}{path}"))
            .boxed(),
        Rule::LanguageTag => "[a-zA-Z]{1,9}(-[a-zA-Z0-9]{0,9}){0,2}".boxed(),
        Rule::OneOf { .. } => prop::sample::select(vec![
            "light", "dark", "system", "frame", "none", "Light", "NONE", "", " dark",
        ])
        .prop_map(str::to_owned)
        .boxed(),
        Rule::HexColour => "#?[0-9A-Fa-g]{3,8}".boxed(),
    }
}

/// A JSON value for an option: pieced, arbitrary text, formed, or not a string.
fn value(rule: Rule) -> impl Strategy<Value = Value> {
    prop_oneof![
        3 => prop::collection::vec(prop::sample::select(PIECES), 0..9)
            .prop_map(|parts| Value::from(parts.concat())),
        1 => any::<String>().prop_map(Value::from),
        4 => formed(rule).prop_map(Value::from),
        1 => prop_oneof![Just(Value::Null), any::<i32>().prop_map(Value::from), Just(json!({})), Just(json!([]))],
    ]
}

/// What the widget's reader makes of `value` given for option `index`, alone.
fn widget_verdict(index: usize, value: &Value) -> Value {
    let given = match value {
        Value::Null => Given::Absent,
        Value::String(text) => Given::Text(text.clone()),
        _ => Given::Other,
    };
    match HostConfig::read_alone(OPTIONS[index].name, given) {
        Ok(read) => json!({ "value": read }),
        Err(error) => json!({ "error": error }),
    }
}

#[test]
fn for_every_value_of_every_option_the_widget_and_the_loader_give_the_same_verdict_and_message() {
    let cases = (0..OPTIONS.len()).prop_flat_map(|index| (Just(index), value(OPTIONS[index].rule)));
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::deterministic_rng(Config::default().rng_algorithm),
    );
    let samples: Vec<(usize, Value)> = (0..4000)
        .map(|_| cases.new_tree(&mut runner).expect("a value").current())
        .collect();
    let input: String = samples
        .iter()
        .map(|(index, value)| format!("{}\n", json!([OPTIONS[*index].name, value])))
        .collect();
    let root = env!("CARGO_MANIFEST_DIR");
    let mut node = Command::new("node")
        .arg(format!("{root}/scripts/config-verdicts.mjs"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node runs (the loader's verdicts need it)");
    let mut stdin = node.stdin.take().expect("a pipe");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = node.wait_with_output().expect("node answers");
    writer
        .join()
        .expect("the writer ends")
        .expect("node reads every line");
    assert!(
        output.status.success(),
        "scripts/config-verdicts.mjs failed"
    );
    let loader: Vec<Value> = String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    assert_eq!(loader.len(), samples.len());
    let mut refused = 0;
    for ((index, value), loader) in samples.iter().zip(&loader) {
        let widget = widget_verdict(*index, value);
        refused += usize::from(widget.get("error").is_some());
        assert_eq!(&widget, loader, "{}: {value}", OPTIONS[*index].name);
    }
    let accepted = samples.len() - refused;
    assert!(
        accepted > samples.len() / 10 && refused > samples.len() / 5,
        "{refused} of {} refused",
        samples.len()
    );
}
