//! The contracts in `spec/` against the Rust types they describe.
//!
//! Each wire or host-facing enum is declared once, with `wire_enum!`, whose
//! `ALL` lists every variant. These tests serialise every variant and fail
//! when `spec/openapi.yaml` or `spec/keet-link.d.ts` lists a different set,
//! in either direction; the callbacks' payloads are serialised with every
//! optional field set and with none, and their members (and which are
//! optional) must be the TypeScript interfaces'. Both files are read by
//! real parsers (YAML; TypeScript's own, through `scripts/declarations.mjs`),
//! so reformatting them changes nothing here. The host–frame messages
//! have the same test in
//! `crates/flow/src/host_frame.rs`, and the integration catalogue in the sandbox.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use keet_link::config::{
    declaration_doc, ConfigOption, LinkTokenRefusal, Rule, DEFAULT_API_BASE_URL,
    MAX_LINK_TOKEN_CHARS, OPTIONS,
};
use keet_link::flow::{
    EventCarries, EventMetadata, EventName, EventStability, ExitMetadata, ExitStatus,
    KeetLinkError, Notification, ViewName, EVENT_CONTRACT_VERSION, REQUEST_TIMEOUT,
};
use keet_link::host_frame::{
    CONNECT, FRAME_MESSAGE_TYPES, FRAME_PATH, HELLO, HOST_MESSAGE_TYPES, PROTOCOL_VERSION,
};
use keet_link::protocol::{
    paths, ErrorCode, ExitReason, FieldErrorCode, FieldKind, StepType, SuccessMetadata,
    EMBEDDER_ORIGIN_HEADER,
};
use serde::Serialize;

const OPENAPI: &str = include_str!("../spec/openapi.yaml");
const DECLARATIONS: &str = include_str!("../spec/keet-link.d.ts");

/// What serde writes for each of `values`, less the fallback a newer server's
/// codes parse into (it is never sent).
fn wire_names<T: Serialize>(values: &[T]) -> BTreeSet<String> {
    values
        .iter()
        .map(|value| match serde_json::to_value(value).unwrap() {
            serde_json::Value::String(name) => name,
            other => panic!("{other} is not a string"),
        })
        .filter(|name| name != "UNKNOWN")
        .collect()
}

/// `spec/openapi.yaml`, read by a YAML parser (reformatting it changes
/// nothing here).
fn openapi() -> &'static serde_json::Value {
    static DOCUMENT: OnceLock<serde_json::Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| serde_yaml_ng::from_str(OPENAPI).expect("spec/openapi.yaml is YAML"))
}

/// The `enum` of the schema at `pointer` (a JSON pointer into the document,
/// e.g. `/components/schemas/Field/properties/kind`).
fn openapi_enum(pointer: &str) -> BTreeSet<String> {
    openapi()
        .pointer(&format!("{pointer}/enum"))
        .and_then(serde_json::Value::as_array)
        .unwrap_or_else(|| panic!("spec/openapi.yaml has no enum at {pointer}"))
        .iter()
        .map(|name| name.as_str().expect("an enum of strings").to_owned())
        .collect()
}

/// What the declaration file at `path` declares, as TypeScript's own parser
/// reads it (`scripts/declarations.mjs`): its unions of string literals and
/// its interfaces' members.
fn declarations_in(path: &str) -> serde_json::Value {
    let output = std::process::Command::new("node")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/declarations.mjs"
        ))
        .arg(format!("{}/{path}", env!("CARGO_MANIFEST_DIR")))
        .output()
        .expect("node runs (the declarations are read by TypeScript's parser)");
    assert!(
        output.status.success(),
        "scripts/declarations.mjs {path}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

/// `spec/keet-link.d.ts`, read once.
fn declarations() -> &'static serde_json::Value {
    static READ: OnceLock<serde_json::Value> = OnceLock::new();
    READ.get_or_init(|| declarations_in("spec/keet-link.d.ts"))
}

/// The string literals of the union type `name` (aliases resolved).
fn union_in(declared: &serde_json::Value, name: &str) -> BTreeSet<String> {
    declared["unions"][name]
        .as_array()
        .unwrap_or_else(|| panic!("the declarations have no union of strings {name}"))
        .iter()
        .map(|value| value.as_str().expect("a string").to_owned())
        .collect()
}

/// The union type `name` of `spec/keet-link.d.ts`.
fn declared_union(name: &str) -> BTreeSet<String> {
    union_in(declarations(), name)
}

/// The members of interface `name` in `declared`, in order, each with what
/// the parser read of it.
fn interface_in<'a>(
    declared: &'a serde_json::Value,
    name: &str,
) -> impl Iterator<Item = (&'a str, &'a serde_json::Value)> {
    declared["interfaces"][name]
        .as_array()
        .unwrap_or_else(|| panic!("the declarations have no interface {name}"))
        .iter()
        .map(|member| (member["name"].as_str().expect("a member's name"), member))
}

#[test]
fn every_error_code_is_in_the_openapi_document_and_no_other() {
    assert_eq!(
        wire_names(ErrorCode::ALL),
        openapi_enum("/components/schemas/ErrorBody/properties/error/properties/code")
    );
    assert_eq!(
        wire_names(FieldErrorCode::ALL),
        openapi_enum("/components/schemas/FieldError/properties/code")
    );
}

#[test]
fn every_step_field_and_exit_reason_is_in_the_openapi_document() {
    assert_eq!(
        wire_names(FieldKind::ALL),
        openapi_enum("/components/schemas/Field/properties/kind")
    );
    assert_eq!(
        wire_names(ExitReason::ALL),
        openapi_enum("/components/schemas/ExitRequest/properties/reason")
    );
    let mut step_types = openapi_enum("/components/schemas/FormStep/properties/type");
    for other in ["DoneStep", "IntegrationStep", "ApproveStep"] {
        step_types.extend(openapi_enum(&format!(
            "/components/schemas/{other}/properties/type"
        )));
    }
    assert_eq!(wire_names(StepType::ALL), step_types);
}

#[test]
fn every_link_mode_and_webhook_event_is_in_the_openapi_document_and_the_declarations() {
    use keet_link::protocol::{LinkMode, LinkSessionStatus, WebhookEventType};
    assert_eq!(
        wire_names(LinkMode::ALL),
        openapi_enum("/components/schemas/LinkMode")
    );
    assert_eq!(wire_names(LinkMode::ALL), declared_union("KeetLinkMode"));
    assert_eq!(
        wire_names(WebhookEventType::ALL),
        openapi_enum("/components/schemas/WebhookEvent/properties/type")
    );
    assert_eq!(
        wire_names(LinkSessionStatus::ALL),
        openapi_enum("/components/schemas/WebhookEvent/properties/data/properties/status")
    );
    let webhooks = openapi()["webhooks"]
        .as_object()
        .expect("a webhooks: section");
    assert_eq!(
        webhooks.len(),
        WebhookEventType::ALL.len(),
        "one webhook per event type"
    );
}

#[test]
fn every_locale_tag_has_the_shape_the_openapi_document_allows() {
    // The document gives a pattern, not a list, so that adding a locale is
    // one file in crates/i18n/src/locales; the tags must still fit it.
    let pattern = openapi()
        .pointer("/components/headers/ContentLanguage/schema/pattern")
        .and_then(serde_json::Value::as_str)
        .expect("a pattern for the ContentLanguage header");
    assert_eq!(
        pattern, "^[a-z]{2,3}(-[A-Z]{2})?$",
        "the pattern this test checks by hand changed"
    );
    let fits = |tag: &str| {
        let (language, region) = tag
            .split_once('-')
            .map_or((tag, None), |(l, r)| (l, Some(r)));
        (2..=3).contains(&language.len())
            && language.bytes().all(|b| b.is_ascii_lowercase())
            && region.is_none_or(|r| r.len() == 2 && r.bytes().all(|b| b.is_ascii_uppercase()))
    };
    for locale in keet_link::i18n::Locale::ALL {
        assert!(
            fits(locale.tag()),
            "{} does not fit the documented pattern",
            locale.tag()
        );
    }
    assert!(
        keet_link::i18n::Locale::ALL.len() >= 7,
        "the build found too few locale files"
    );
}

#[test]
fn every_api_path_is_in_the_openapi_document_and_no_other() {
    let documented: BTreeSet<String> = openapi()
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .expect("a paths section")
        .keys()
        .cloned()
        .collect();
    let defined: BTreeSet<String> = paths::ALL.iter().map(|p| p.to_string()).collect();
    assert_eq!(defined, documented);
}

#[test]
fn every_host_facing_name_is_declared_for_typescript_and_no_other() {
    let stable: Vec<EventName> = EventName::ALL
        .iter()
        .copied()
        .filter(|name| name.stability() == EventStability::Stable)
        .collect();
    let informational: Vec<EventName> = EventName::ALL
        .iter()
        .copied()
        .filter(|name| name.stability() == EventStability::Informational)
        .collect();
    assert_eq!(
        wire_names(&stable),
        declared_union("KeetLinkStableEventName")
    );
    assert_eq!(
        wire_names(&informational),
        declared_union("KeetLinkInformationalEventName")
    );
    assert_eq!(
        wire_names(ViewName::ALL),
        declared_union("KeetLinkViewName")
    );
    assert_eq!(wire_names(ExitStatus::ALL), declared_union("ExitStatus"));
}

/// Each event's line of `KeetLinkEventMetadataMap` requires exactly what the
/// flow always sends with it, and the version the declarations and the
/// README publish is the flow's.
#[test]
fn every_event_declares_the_metadata_it_carries_under_the_published_version() {
    let declared: BTreeSet<String> = interface_in(declarations(), "KeetLinkEventMetadataMap")
        .map(|(name, member)| {
            let event = EventName::ALL
                .iter()
                .find(|event| event.as_str() == name)
                .unwrap_or_else(|| panic!("{name} is no event"));
            let own: Vec<&str> = member["literalMembers"]
                .as_array()
                .map(|names| names.iter().filter_map(|n| n.as_str()).collect())
                .unwrap_or_default();
            let carries = match own.as_slice() {
                [] => EventCarries::Nothing,
                ["view"] => EventCarries::View,
                ["errorCode"] => EventCarries::ErrorCode,
                ["integration"] => EventCarries::Integration,
                other => panic!("{name} declares {other:?} beside EventMetadata"),
            };
            assert_eq!(carries, event.carries(), "{name}'s metadata");
            name.to_owned()
        })
        .collect();
    assert_eq!(declared, wire_names(EventName::ALL));
    let published = format!("The event contract, version {EVENT_CONTRACT_VERSION} ");
    assert!(
        DECLARATIONS.contains(&published),
        "spec/keet-link.d.ts: {published}"
    );
    let readme = include_str!("../README.md");
    let published = format!("event contract, version {EVENT_CONTRACT_VERSION}");
    assert!(readme.contains(&published), "README.md: {published}");
}

/// The members of interface `name` in `spec/keet-link.d.ts`, each with
/// whether it is optional (`name?: T`).
fn declared_members(name: &str) -> BTreeMap<String, bool> {
    interface_in(declarations(), name)
        .map(|(member, read)| (member.to_owned(), read["optional"] == true))
        .collect()
}

/// The keys serde writes for `full` (every optional field set), each
/// optional when serde leaves it out of `least` (every optional field unset).
fn serialised_members<T: Serialize>(full: &T, least: &T) -> BTreeMap<String, bool> {
    let keys = |value: &T| match serde_json::to_value(value).unwrap() {
        serde_json::Value::Object(object) => object.keys().cloned().collect::<BTreeSet<_>>(),
        other => panic!("{other} is not an object"),
    };
    let required = keys(least);
    keys(full)
        .into_iter()
        .map(|key| {
            let optional = !required.contains(&key);
            (key, optional)
        })
        .collect()
}

/// What the callbacks receive: each payload's members, and which are
/// optional, are the TypeScript interface's, in either direction.
#[test]
fn every_callback_payload_has_exactly_the_declared_members() {
    let error = |field: Option<&str>| KeetLinkError {
        code: "INVALID_CONFIG".into(),
        message: "m".into(),
        field: field.map(str::to_owned),
    };
    let success = |username: Option<&str>| SuccessMetadata {
        integration: "X".into(),
        username: username.map(str::to_owned),
        link_session_id: "ls_1".into(),
        mode: keet_link::protocol::LinkMode::Link,
    };
    let exit = |id: Option<&str>| ExitMetadata {
        status: ExitStatus::Error,
        link_session_id: id.map(str::to_owned),
    };
    let event = |set: bool| EventMetadata {
        link_session_id: set.then(|| "ls_1".into()),
        mode: set.then_some(keet_link::protocol::LinkMode::Relink),
        view: set.then_some(ViewName::Mfa),
        error_code: set.then(|| "TIMEOUT".into()),
        integration: set.then(|| "X".into()),
    };
    for (name, serialised) in [
        (
            "KeetLinkError",
            serialised_members(&error(Some("linkToken")), &error(None)),
        ),
        (
            "SuccessMetadata",
            serialised_members(&success(Some("user_good")), &success(None)),
        ),
        (
            "ExitMetadata",
            serialised_members(&exit(Some("ls_1")), &exit(None)),
        ),
        (
            "EventMetadata",
            serialised_members(&event(true), &event(false)),
        ),
    ] {
        assert_eq!(serialised, declared_members(name), "{name}");
    }
}

/// The callbacks are declared once in Rust (`Notification::CALLBACKS`) and
/// once for TypeScript, as `KeetLinkConfig`'s `on…` members, with the same
/// names and arguments in the same order.
#[test]
fn every_callback_is_a_member_of_the_typescript_config_with_its_arguments_and_no_other() {
    let declared: Vec<(&str, Vec<&str>)> = interface_in(declarations(), "KeetLinkConfig")
        .filter(|(name, _)| name.starts_with("on"))
        .map(|(name, member)| {
            let parameters = member["parameters"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} is a method"))
                .iter()
                .map(|parameter| parameter.as_str().expect("a name"))
                .collect();
            (name, parameters)
        })
        .collect();
    let specs: Vec<(&str, Vec<&str>)> = Notification::CALLBACKS
        .iter()
        .map(|spec| (spec.name, spec.args.to_vec()))
        .collect();
    assert_eq!(declared, specs);
}

/// The JS side's table of callbacks, written from `Notification::CALLBACKS`
/// between the `<callbacks>` marker lines of `js/host.js` (the runtime table:
/// the loader's list, `<keet-link>`'s event details) and of `js/element.d.ts`
/// (the same table for TypeScript).
fn written_callback_tables() -> [(&'static str, String); 2] {
    let quoted = |names: &[&str]| {
        names
            .iter()
            .map(|name| format!("\"{name}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut js = String::from("export const CALLBACK_ARGS = /** @type {const} */ ({\n");
    let mut dts = String::from("export interface CallbackArgumentNames {\n");
    for spec in Notification::CALLBACKS {
        js.push_str(&format!("  {}: [{}],\n", spec.name, quoted(spec.args)));
        dts.push_str(&format!("  {}: [{}];\n", spec.name, quoted(spec.args)));
    }
    js.push_str("});\n");
    dts.push_str("}\n");
    [("js/host.js", js), ("js/element.d.ts", dts)]
}

/// Each option of the config, as the loader's table (`js/host.js`) has it:
/// the constants its checks use, each rule's parameters and each refusal.
fn written_option_table() -> String {
    let mut js = format!(
        "const DEFAULT_API_BASE_URL = \"{DEFAULT_API_BASE_URL}\";\n\
         const FRAME_PATH = \"{FRAME_PATH}\";\n\
         const MAX_LINK_TOKEN_CHARS = {MAX_LINK_TOKEN_CHARS};\n\
         /** Why a link token is refused, by what is wrong with it. */\n\
         const LINK_TOKEN_REFUSALS = /** @type {{const}} */ ({{\n"
    );
    for refusal in LinkTokenRefusal::ALL {
        js.push_str(&format!("  {}: {:?},\n", refusal.key(), refusal.message()));
    }
    js.push_str("});\n/**\n * Every option of the config, in order: its rule and what refuses it,\n * whether `configure()` takes it, whether `init` carries it to the frame.\n * @type {readonly ConfigOption[]}\n */\nexport const OPTIONS = [\n");
    for option in OPTIONS {
        // Only what the loader uses, and a flag only when set: every byte
        // here is in every host page.
        let mut fields = format!("name: {:?}, rule: {:?},", option.name, option.rule.name());
        match option.rule {
            Rule::Url {
                drop_trailing_slash: true,
            } => fields.push_str(" dropTrailingSlash: true,"),
            Rule::OneOf { words, .. } => fields.push_str(&format!(" words: {words:?},")),
            _ => {}
        }
        for (flag, set) in [
            ("pageWide", option.page_wide),
            ("sentToFrame", option.sent_to_frame),
        ] {
            if set {
                fields.push_str(&format!(" {flag}: true,"));
            }
        }
        js.push_str(&format!(
            "  {{\n    {fields}\n    refusal: {:?},\n  }},\n",
            option.refusal
        ));
    }
    js.push_str("];\n");
    js
}

/// The options' members of an interface: each with its doc comment, indented by two.
fn declared_options<'a>(options: impl Iterator<Item = &'a ConfigOption>) -> String {
    let mut ts = String::new();
    for option in options {
        let doc: Vec<&str> = declaration_doc(option.name)
            .lines()
            .map(|line| line.strip_prefix(' ').unwrap_or(line))
            .collect();
        match doc.as_slice() {
            [line] => ts.push_str(&format!("  /** {line} */\n")),
            lines => {
                ts.push_str("  /**\n");
                for line in lines {
                    ts.push_str(&format!("   * {line}\n"));
                }
                ts.push_str("   */\n");
            }
        }
        let optional = if option.rule == Rule::LinkToken {
            ""
        } else {
            "?"
        };
        ts.push_str(&format!(
            "  {}{optional}: {};\n",
            option.name,
            option.rule.typescript()
        ));
    }
    ts
}

/// Every region a test writes from a Rust table: file, tag, source, text.
fn written_regions() -> Vec<(&'static str, &'static str, &'static str, String)> {
    let [(host, callbacks_js), (element, callbacks_dts)] = written_callback_tables();
    let one_line = |options: Vec<String>| options.join("; ");
    let frame_options = one_line(
        OPTIONS
            .iter()
            .filter(|o| o.sent_to_frame)
            .map(|o| format!("{}?: {}", o.name, o.rule.typescript()))
            .collect(),
    );
    vec![
        (host, "callbacks", "Notification::CALLBACKS", callbacks_js),
        (element, "callbacks", "Notification::CALLBACKS", callbacks_dts),
        ("js/host.js", "options", "keet_link::config::OPTIONS", written_option_table()),
        (
            "spec/keet-link.d.ts",
            "options",
            "keet_link::config::OPTIONS",
            declared_options(OPTIONS.into_iter()),
        ),
        (
            "spec/keet-link.d.ts",
            "page-wide-options",
            "keet_link::config::OPTIONS",
            format!(
                "/** Page-wide defaults for every handle; an option left out goes back to its default. */\n\
                 export interface KeetLinkGlobalConfig {{\n{}}}\n",
                declared_options(OPTIONS.into_iter().filter(|o| o.page_wide))
            ),
        ),
        (
            "spec/host-frame.d.ts",
            "options",
            "keet_link::config::OPTIONS",
            format!("interface InitOptions {{ {frame_options} }}\n"),
        ),
        // The loaders' early session request (DECISIONS S11).
        (
            "js/early-session.js",
            "session-request",
            "keet_link::protocol",
            format!(
                "const SESSION_PATH = \"{}\";\nconst EMBEDDER_ORIGIN_HEADER = \"{EMBEDDER_ORIGIN_HEADER}\";\n\
                 const REQUEST_TIMEOUT_MS = {};\n",
                paths::SESSION,
                REQUEST_TIMEOUT.as_millis()
            ),
        ),
    ]
}

#[test]
fn the_js_tables_and_declarations_are_written_from_the_rust_ones() {
    let mut stale = Vec::new();
    for (path, tag, from, table) in written_regions() {
        let begin = format!("// <{tag}> Written by `KEET_WRITE=1 cargo test --test contracts` from {from}; do not edit.\n");
        let end_marker = format!("// </{tag}>\n");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
        let source = std::fs::read_to_string(&path).expect("the file is readable");
        let start = source
            .find(&begin)
            .unwrap_or_else(|| panic!("{}: no <{tag}> line", path.display()))
            + begin.len();
        let end = start
            + source[start..]
                .find(&end_marker)
                .unwrap_or_else(|| panic!("{}: no </{tag}> line", path.display()));
        if source[start..end] == table {
            continue;
        }
        if std::env::var_os("KEET_WRITE").is_some() {
            let written = [&source[..start], &table, &source[end..]].concat();
            std::fs::write(&path, written).expect("the file is writable");
        } else {
            stale.push(format!("<{tag}> in {} differs from {from}", path.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "{}: run `KEET_WRITE=1 cargo test --test contracts`",
        stale.join("; ")
    );
}

#[test]
fn the_frame_protocol_declarations_name_exactly_these_messages() {
    let declared = declarations_in("spec/host-frame.d.ts");
    let set = |names: &[&str]| names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        union_in(&declared, "HostMessageType"),
        set(&HOST_MESSAGE_TYPES)
    );
    assert_eq!(
        union_in(&declared, "FrameMessageType"),
        set(&FRAME_MESSAGE_TYPES)
    );
    assert_eq!(union_in(&declared, "Hello"), set(&[HELLO]));
    assert_eq!(union_in(&declared, "Connect"), set(&[CONNECT]));
    for handshake in ["HelloMessage", "ConnectMessage"] {
        let version = interface_in(&declared, handshake)
            .find(|(name, _)| *name == "version")
            .map(|(_, member)| member["number"].clone());
        assert_eq!(
            version,
            Some(PROTOCOL_VERSION.into()),
            "{handshake}'s version"
        );
    }
}
