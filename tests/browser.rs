//! The widget in real browsers (headless Chromium and Firefox), against the
//! real sandbox over HTTP. `scripts/browser-tests.sh` starts the sandbox and
//! mints link tokens; the tests read both at run time from
//! `scripts/browser-harness.mjs` at a fixed address (`KEET_BROWSER_HARNESS`
//! at build time, which stays the same), so this crate is not rebuilt for
//! every run.
#![cfg(target_arch = "wasm32")]

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Function, Object, Reflect};
use keet_link::widget::js::create_keet_link;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{
    Element, HtmlElement, HtmlInputElement, KeyboardEvent, KeyboardEventInit, ShadowRoot,
};

wasm_bindgen_test_configure!(run_in_browser);

/// Where the harness serves `{ api, tokens }`.
const HARNESS: &str = match option_env!("KEET_BROWSER_HARNESS") {
    Some(url) => url,
    None => "http://127.0.0.1:47190/harness.json",
};

/// What the harness minted for this run.
struct Harness {
    api: String,
    tokens: Vec<String>,
}

thread_local! {
    static HARNESS_READ: RefCell<Option<Rc<Harness>>> = const { RefCell::new(None) };
    static NEXT_TOKEN: Cell<usize> = const { Cell::new(0) };
}

/// The harness's answer, fetched once.
async fn harness() -> Rc<Harness> {
    if let Some(read) = HARNESS_READ.with(|h| h.borrow().clone()) {
        return read;
    }
    let fetched = async {
        let window = web_sys::window()?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(HARNESS))
            .await
            .ok()?
            .dyn_into()
            .ok()?;
        let body = JsFuture::from(response.json().ok()?).await.ok()?;
        let api = Reflect::get(&body, &"api".into()).ok()?.as_string()?;
        let tokens = Array::from(&Reflect::get(&body, &"tokens".into()).ok()?)
            .iter()
            .filter_map(|token| token.as_string())
            .collect();
        Some(Harness { api, tokens })
    }
    .await
    .unwrap_or_else(|| panic!("run through scripts/browser-tests.sh: nothing at {HARNESS}"));
    let read = Rc::new(fetched);
    HARNESS_READ.with(|h| *h.borrow_mut() = Some(Rc::clone(&read)));
    read
}

/// A fresh link token minted by the harness (each test consumes its own).
async fn link_token() -> String {
    let harness = harness().await;
    let index = NEXT_TOKEN.with(|n| {
        let i = n.get();
        n.set(i + 1);
        i
    });
    harness.tokens.get(index).cloned().unwrap_or_else(|| {
        panic!(
            "the harness minted {} link tokens; this test needs one more",
            harness.tokens.len()
        )
    })
}

/// The sandbox the harness started.
async fn sandbox_url() -> String {
    harness().await.api.clone()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

/// Polls `condition` every 20 ms for up to `ms`; false if it never held.
async fn eventually(ms: i32, condition: impl Fn() -> bool) -> bool {
    let mut waited = 0;
    while waited <= ms {
        if condition() {
            return true;
        }
        sleep(20).await;
        waited += 20;
    }
    false
}

/// Every call a callback received, as JSON text.
#[derive(Clone, Default)]
struct Calls(Rc<RefCell<Vec<String>>>);

impl Calls {
    fn recorder(&self, name: &'static str) -> JsValue {
        let calls = self.0.clone();
        Closure::<dyn Fn(JsValue, JsValue)>::new(move |a: JsValue, b: JsValue| {
            let text = |v: &JsValue| {
                js_sys::JSON::stringify(v)
                    .ok()
                    .and_then(|s| s.as_string())
                    .unwrap_or_else(|| "undefined".into())
            };
            calls
                .borrow_mut()
                .push(format!("{name} {} {}", text(&a), text(&b)));
        })
        .into_js_value()
    }

    fn named(&self, name: &str) -> Vec<String> {
        self.0
            .borrow()
            .iter()
            .filter(|c| c.starts_with(&format!("{name} ")))
            .cloned()
            .collect()
    }
}

/// A config object with every callback recorded.
async fn config(calls: &Calls, link_token: &str) -> Object {
    let config = Object::new();
    let set = |key: &str, value: &JsValue| Reflect::set(&config, &key.into(), value).unwrap();
    set("linkToken", &link_token.into());
    set("apiBaseUrl", &sandbox_url().await.into());
    for name in [
        "onSuccess",
        "onValidationError",
        "onExit",
        "onEvent",
        "onLoad",
    ] {
        set(name, &calls.recorder(name));
    }
    config
}

struct Handle(JsValue);

impl Handle {
    fn create(config: &Object) -> Self {
        Self(create_keet_link(config.into(), None))
    }

    fn call(&self, member: &str) {
        let function: Function = Reflect::get(&self.0, &member.into())
            .unwrap()
            .unchecked_into();
        function.call0(&JsValue::NULL).unwrap();
    }

    fn is_ready(&self) -> bool {
        Reflect::get(&self.0, &"isReady".into())
            .unwrap()
            .as_bool()
            .unwrap()
    }

    async fn ready(calls: &Calls) -> Self {
        let handle = Self::create(&config(calls, &link_token().await).await);
        assert!(
            eventually(5000, || handle.is_ready()).await,
            "never became ready: {:?}",
            calls.0.borrow()
        );
        handle
    }
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

fn hosts() -> Vec<Element> {
    let list = document().query_selector_all("[data-keet-link]").unwrap();
    (0..list.length())
        .filter_map(|i| list.get(i)?.dyn_into::<Element>().ok())
        .collect()
}

/// The shadow root of the most recently created widget.
fn shadow() -> ShadowRoot {
    hosts()
        .last()
        .expect("a widget host")
        .shadow_root()
        .expect("an open shadow root")
}

fn find(root: &ShadowRoot, test_id: &str) -> Option<HtmlElement> {
    root.query_selector(&format!("[data-testid='{test_id}']"))
        .unwrap()
        .map(|e| e.unchecked_into())
}

fn type_into(root: &ShadowRoot, field: &str, text: &str) {
    let input: HtmlInputElement = find(root, &format!("keet-field-{field}"))
        .unwrap()
        .unchecked_into();
    input.set_value(text);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn press(target: &HtmlElement, key: &str, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    target
        .dispatch_event(
            &KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap(),
        )
        .unwrap();
}

fn active_test_id(root: &ShadowRoot) -> Option<String> {
    root.active_element()?.get_attribute("data-testid")
}

#[wasm_bindgen_test]
async fn opens_modal_when_ready() {
    let calls = Calls::default();
    let handle = Handle::ready(&calls).await;
    assert_eq!(calls.named("onLoad").len(), 1);
    let root = shadow();
    assert!(find(&root, "keet-dialog").is_none(), "closed until open()");
    handle.call("open");
    assert!(eventually(1000, || find(&root, "keet-dialog").is_some()).await);
    let dialog = find(&root, "keet-dialog").unwrap();
    assert_eq!(dialog.get_attribute("role").as_deref(), Some("dialog"));
    assert_eq!(dialog.get_attribute("aria-modal").as_deref(), Some("true"));
    let title_id = dialog.get_attribute("aria-labelledby").unwrap();
    assert!(
        root.get_element_by_id(&title_id).is_some(),
        "aria-labelledby points at the title"
    );
    assert!(
        eventually(1000, || active_test_id(&root).as_deref()
            == Some("keet-field-username"))
        .await,
        "focus moves to the first field"
    );
    let password = find(&root, "keet-field-password").unwrap();
    assert_eq!(password.get_attribute("type").as_deref(), Some("password"));
    assert_eq!(
        password.get_attribute("autocomplete").as_deref(),
        Some("current-password")
    );
    let label = root
        .query_selector("label[for='keet-input-password']")
        .unwrap();
    assert!(label.is_some(), "the label is bound to its input");
    let events = calls.named("onEvent");
    assert!(events[0].starts_with("onEvent \"OPEN\""), "{events:?}");
    assert!(
        events[1].contains("TRANSITION_VIEW") && events[1].contains("CREDENTIALS"),
        "{events:?}"
    );
    handle.call("destroy");
}

#[wasm_bindgen_test]
async fn empty_submit_shows_field_errors_linked_to_inputs() {
    let calls = Calls::default();
    let handle = Handle::ready(&calls).await;
    handle.call("open");
    let root = shadow();
    assert!(eventually(1000, || find(&root, "keet-submit").is_some()).await);
    find(&root, "keet-submit").unwrap().click();
    assert!(
        eventually(1000, || find(&root, "keet-error-username")
            .is_some_and(|e| !e.inner_text().is_empty()))
        .await
    );
    let input = find(&root, "keet-field-username").unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    let described = input.get_attribute("aria-describedby").unwrap();
    let error = root.get_element_by_id(&described).unwrap();
    assert!(error.text_content().unwrap().contains("Enter your"));
    assert_eq!(error.get_attribute("aria-live").as_deref(), Some("polite"));
    type_into(&root, "username", "user_good");
    assert!(
        eventually(1000, || find(&root, "keet-field-username")
            .unwrap()
            .get_attribute("aria-invalid")
            .as_deref()
            == Some("false"))
        .await,
        "typing clears the field's error"
    );
    assert!(
        calls
            .named("onEvent")
            .iter()
            .all(|e| !e.contains("SUBMIT_")),
        "nothing was sent"
    );
    handle.call("destroy");
}

#[wasm_bindgen_test]
async fn wrong_password_shows_field_error_then_success_calls_on_success_once() {
    let calls = Calls::default();
    let handle = Handle::ready(&calls).await;
    handle.call("open");
    let root = shadow();
    assert!(eventually(1000, || find(&root, "keet-field-username").is_some()).await);
    type_into(&root, "username", "user_good");
    type_into(&root, "password", "wrong");
    find(&root, "keet-submit").unwrap().click();
    assert!(
        eventually(3000, || find(&root, "keet-error-password")
            .is_some_and(|e| e.inner_text().contains("incorrect")))
        .await
    );
    let password: HtmlInputElement = find(&root, "keet-field-password").unwrap().unchecked_into();
    assert_eq!(password.value(), "", "the typed password left the DOM");
    assert!(calls
        .named("onEvent")
        .iter()
        .any(|e| e.contains("INVALID_CREDENTIALS")));
    type_into(&root, "password", "pass_good");
    find(&root, "keet-submit").unwrap().click();
    assert!(
        eventually(5000, || !calls.named("onSuccess").is_empty()).await,
        "{:?}",
        calls.0.borrow()
    );
    sleep(300).await;
    let successes = calls.named("onSuccess");
    assert_eq!(successes.len(), 1);
    assert!(
        successes[0].contains("public_sandbox_")
            && successes[0].contains("\"integration\":\"Instagram\"")
    );
    assert!(
        eventually(1000, || find(&root, "keet-dialog").is_none()).await,
        "closes after success"
    );
    assert!(!handle.is_ready());
    handle.call("destroy");
}

#[wasm_bindgen_test]
async fn escape_closes_with_on_exit_and_returns_focus() {
    let calls = Calls::default();
    let opener: HtmlElement = document()
        .create_element("button")
        .unwrap()
        .unchecked_into();
    opener.set_text_content(Some("Open Link"));
    document().body().unwrap().append_child(&opener).unwrap();
    let handle = Handle::ready(&calls).await;
    opener.focus().unwrap();
    handle.call("open");
    let root = shadow();
    assert!(eventually(1000, || active_test_id(&root).is_some()).await);
    let body_overflow = || {
        document()
            .body()
            .unwrap()
            .style()
            .get_property_value("overflow")
            .unwrap()
    };
    assert_eq!(
        body_overflow(),
        "hidden",
        "the page does not scroll behind the modal"
    );
    press(
        &find(&root, "keet-field-username").unwrap(),
        "Escape",
        false,
    );
    assert!(eventually(1000, || find(&root, "keet-dialog").is_none()).await);
    let exits = calls.named("onExit");
    assert_eq!(exits.len(), 1);
    assert!(
        exits[0].starts_with("onExit null {\"status\":\"requires_credentials\""),
        "{exits:?}"
    );
    let active = document().active_element().unwrap();
    assert!(
        active.is_same_node(Some(&opener)),
        "focus went back to the opener"
    );
    assert_eq!(body_overflow(), "", "scroll is unlocked");
    handle.call("destroy");
    opener.remove();
}

#[wasm_bindgen_test]
async fn tab_and_shift_tab_wrap_inside_the_dialog() {
    let calls = Calls::default();
    let handle = Handle::ready(&calls).await;
    handle.call("open");
    let root = shadow();
    // The login form's last focusable is its help link (the service's help
    // page, which the sandbox's catalogue gives every integration).
    assert!(eventually(1000, || find(&root, "keet-help").is_some()).await);
    let last = find(&root, "keet-help").unwrap();
    last.focus().unwrap();
    press(&last, "Tab", false);
    assert_eq!(
        active_test_id(&root).as_deref(),
        Some("keet-close"),
        "Tab on the last wraps to the first"
    );
    press(&find(&root, "keet-close").unwrap(), "Tab", true);
    assert_eq!(
        active_test_id(&root).as_deref(),
        Some("keet-help"),
        "Shift+Tab on the first wraps to the last"
    );
    handle.call("destroy");
}

#[wasm_bindgen_test]
async fn two_instances_have_their_own_modals() {
    let (first_calls, second_calls) = (Calls::default(), Calls::default());
    let before = hosts().len();
    let first = Handle::ready(&first_calls).await;
    let second = Handle::ready(&second_calls).await;
    let all = hosts();
    assert_eq!(all.len(), before + 2);
    let first_root = all[all.len() - 2].shadow_root().unwrap();
    let second_root = all[all.len() - 1].shadow_root().unwrap();
    second.call("open");
    assert!(eventually(1000, || find(&second_root, "keet-dialog").is_some()).await);
    assert!(
        find(&first_root, "keet-dialog").is_none(),
        "only the opened one shows"
    );
    second.call("exit");
    assert_eq!(second_calls.named("onExit").len(), 1);
    assert!(first_calls.named("onExit").is_empty());
    assert!(first.is_ready(), "the other instance is untouched");
    first.call("destroy");
    second.call("destroy");
}

/// Records what the page writes with `console.<method>` while it lives.
struct ConsoleSpy {
    method: &'static str,
    original: JsValue,
    seen: Rc<RefCell<Vec<String>>>,
    _record: Closure<dyn Fn(JsValue)>,
}

impl ConsoleSpy {
    fn on(method: &'static str) -> Self {
        let console = Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        let original = Reflect::get(&console, &method.into()).unwrap();
        let seen: Rc<RefCell<Vec<String>>> = Rc::default();
        let record = {
            let seen = seen.clone();
            Closure::<dyn Fn(JsValue)>::new(move |message: JsValue| {
                seen.borrow_mut()
                    .push(message.as_string().unwrap_or_default())
            })
        };
        Reflect::set(&console, &method.into(), record.as_ref()).unwrap();
        Self {
            method,
            original,
            seen,
            _record: record,
        }
    }

    fn seen(&self) -> Vec<String> {
        self.seen.borrow().clone()
    }
}

impl Drop for ConsoleSpy {
    fn drop(&mut self) {
        let console = Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        let _ = Reflect::set(&console, &self.method.into(), &self.original);
    }
}

#[wasm_bindgen_test]
async fn destroy_leaves_no_node_and_no_listener() {
    let calls = Calls::default();
    let before = hosts().len();
    let handle = Handle::ready(&calls).await;
    handle.call("open");
    let root = shadow();
    assert!(eventually(1000, || find(&root, "keet-dialog").is_some()).await);
    // Kept past destroy(): nothing may answer a key pressed on it. Leptos
    // delegates keydown to one listener for the whole document, so what
    // would answer is a widget that destroy() left alive and on the page:
    // it would at least warn that exit() came after destroy().
    let dialog = find(&root, "keet-dialog").unwrap();
    handle.call("destroy");
    handle.call("destroy");
    sleep(50).await; // the view is unmounted a tick after destroy()
    let warnings = ConsoleSpy::on("warn");
    press(&dialog, "Escape", false);
    sleep(100).await;
    assert_eq!(
        warnings.seen(),
        Vec::<String>::new(),
        "the destroyed widget still answered"
    );
    drop(warnings);
    assert!(calls.named("onExit").is_empty(), "destroy is not an exit");
    assert!(!dialog.is_connected(), "the dialog left the page");
    assert_eq!(hosts().len(), before, "the host element is gone");
    assert_eq!(
        document()
            .body()
            .unwrap()
            .style()
            .get_property_value("overflow")
            .unwrap(),
        ""
    );
    assert!(!handle.is_ready());
    handle.call("open");
    sleep(100).await;
    assert_eq!(
        hosts().len(),
        before,
        "open() after destroy() shows nothing"
    );
}

#[wasm_bindgen_test]
async fn bad_configs_report_through_on_validation_error_and_never_throw() {
    let calls = Calls::default();
    let before = hosts().len();
    for (key, value, field) in [
        ("linkToken", JsValue::UNDEFINED, "linkToken"),
        ("linkToken", "".into(), "linkToken"),
        ("linkToken", JsValue::from(42), "linkToken"),
        ("linkToken", "public_sandbox_abc".into(), "linkToken"),
        ("onSuccess", "not a function".into(), "onSuccess"),
        ("onSuccess", JsValue::UNDEFINED, "onSuccess"),
        ("onExit", JsValue::from(1), "onExit"),
        ("apiBaseUrl", "http://api.example.com".into(), "apiBaseUrl"),
    ] {
        let config = config(&calls, "link_sandbox_0000").await;
        Reflect::set(&config, &key.into(), &value).unwrap();
        calls.0.borrow_mut().clear();
        let handle = Handle::create(&config);
        let reports = calls.named("onValidationError");
        assert_eq!(reports.len(), 1, "for {field}: {:?}", calls.0.borrow());
        assert!(
            reports[0].contains(&format!("\"field\":\"{field}\"")),
            "{reports:?}"
        );
        assert!(reports[0].contains("INVALID_CONFIG"));
        assert!(!handle.is_ready());
        handle.call("open");
        handle.call("destroy");
    }
    // Not even an object: still no exception, and a handle that does nothing.
    let handle = Handle(create_keet_link(JsValue::from(7), None));
    assert!(!handle.is_ready());
    assert_eq!(hosts().len(), before, "invalid configs mount nothing");
}

#[wasm_bindgen_test]
async fn unknown_link_token_reports_invalid_token() {
    let calls = Calls::default();
    let handle =
        Handle::create(&config(&calls, "link_sandbox_000000000000000000000000000000000000").await);
    assert!(eventually(5000, || !calls.named("onValidationError").is_empty()).await);
    let report = &calls.named("onValidationError")[0];
    assert!(
        report.contains("INVALID_TOKEN") && report.contains("\"field\":\"linkToken\""),
        "{report}"
    );
    assert!(!handle.is_ready());
    handle.call("destroy");
}

#[wasm_bindgen_test]
async fn host_callback_that_throws_is_caught_and_the_widget_carries_on() {
    let calls = Calls::default();
    let config = config(&calls, &link_token().await).await;
    let throwing = Function::new_no_args("throw new Error('host bug')");
    Reflect::set(&config, &"onLoad".into(), &throwing).unwrap();
    Reflect::set(&config, &"onEvent".into(), &throwing).unwrap();
    let handle = Handle::create(&config);
    assert!(eventually(5000, || handle.is_ready()).await);
    handle.call("open");
    let root = shadow();
    assert!(
        eventually(1000, || find(&root, "keet-dialog").is_some()).await,
        "still opens"
    );
    handle.call("exit");
    assert_eq!(calls.named("onExit").len(), 1);
    handle.call("destroy");
}

#[wasm_bindgen_test]
async fn destructured_members_still_work() {
    let calls = Calls::default();
    let handle = Handle::ready(&calls).await;
    // `const { open, exit } = handle; open()` — called with no `this`.
    let open: Function = Reflect::get(&handle.0, &"open".into())
        .unwrap()
        .unchecked_into();
    let exit: Function = Reflect::get(&handle.0, &"exit".into())
        .unwrap()
        .unchecked_into();
    open.apply(&JsValue::UNDEFINED, &Array::new()).unwrap();
    let root = shadow();
    assert!(eventually(1000, || find(&root, "keet-dialog").is_some()).await);
    exit.apply(&JsValue::UNDEFINED, &Array::new()).unwrap();
    assert_eq!(calls.named("onExit").len(), 1);
    handle.call("destroy");
}

#[wasm_bindgen_test]
async fn locked_user_sees_a_way_out_and_exits_with_locked() {
    let calls = Calls::default();
    let handle = Handle::ready(&calls).await;
    handle.call("open");
    let root = shadow();
    assert!(eventually(1000, || find(&root, "keet-field-username").is_some()).await);
    type_into(&root, "username", "user_locked");
    type_into(&root, "password", "anything");
    find(&root, "keet-submit").unwrap().click();
    assert!(eventually(3000, || find(&root, "keet-locked").is_some()).await);
    find(&root, "keet-done").unwrap().click();
    let exits = calls.named("onExit");
    assert_eq!(exits.len(), 1);
    assert!(
        exits[0].contains("ACCOUNT_LOCKED") && exits[0].contains("\"status\":\"locked\""),
        "{exits:?}"
    );
    handle.call("destroy");
}

mod native {
    //! The Leptos API: `<KeetLink/>` and `use_keet_link`, with Rust callbacks only.
    use super::document;
    use super::*;
    use keet_link::protocol::SuccessMetadata;
    use keet_link::widget::native::{use_keet_link, Isolation, KeetLink, KeetLinkOptions};
    use leptos::prelude::*;

    #[wasm_bindgen_test]
    async fn leptos_component_in_the_page_links_with_rust_callbacks_and_cleans_up_on_unmount() {
        let before = hosts().len();
        let successes: Rc<RefCell<Vec<(String, SuccessMetadata)>>> = Rc::default();
        let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
        document().body().unwrap().append_child(&container).unwrap();
        let token = link_token().await;
        let api = sandbox_url().await;
        let record = successes.clone();
        let mounted = leptos::mount::mount_to(container.clone(), move || {
            view! {
                <KeetLink
                    options=KeetLinkOptions::new(token, move |public_token, metadata| {
                        record.borrow_mut().push((public_token, metadata))
                    })
                    .api_base_url(api)
                    .isolation(Isolation::None)
                    label="Connect Instagram"
                />
            }
        });
        let button = || -> HtmlElement {
            container
                .query_selector("[data-testid='keet-link-button']")
                .unwrap()
                .unwrap()
                .unchecked_into()
        };
        assert_eq!(button().inner_text(), "Connect Instagram");
        assert!(
            eventually(5000, || !button().has_attribute("disabled")).await,
            "the button enables when ready"
        );
        button().click();
        let root = shadow();
        assert!(eventually(1000, || find(&root, "keet-field-username").is_some()).await);
        type_into(&root, "username", "user_good");
        type_into(&root, "password", "pass_good");
        find(&root, "keet-submit").unwrap().click();
        assert!(eventually(5000, || !successes.borrow().is_empty()).await);
        let (public_token, metadata) = successes.borrow()[0].clone();
        assert!(public_token.starts_with("public_sandbox_"));
        assert_eq!(metadata.integration, "Instagram");
        assert!(
            eventually(1000, || button().has_attribute("disabled")).await,
            "is_ready is reactive"
        );
        drop(mounted);
        sleep(50).await;
        assert_eq!(
            hosts().len(),
            before,
            "unmounting the component destroyed the widget"
        );
        container.remove();
    }

    #[wasm_bindgen_test]
    async fn use_keet_link_runs_the_modal_in_the_link_frame_by_default() {
        let before = hosts().len();
        let exits: Rc<RefCell<Vec<String>>> = Rc::default();
        let loads = Rc::new(Cell::new(0));
        let (record, loaded) = (exits.clone(), loads.clone());
        let (token, api) = (link_token().await, sandbox_url().await);
        let owner = Owner::new();
        let link = owner.with(|| {
            use_keet_link(
                KeetLinkOptions::new(token, |_, _| {})
                    .api_base_url(api.clone())
                    .on_exit(move |error, metadata| {
                        record
                            .borrow_mut()
                            .push(format!("{error:?} {:?}", metadata.status))
                    })
                    .on_load(move || loaded.set(loaded.get() + 1)),
            )
        });
        let frame = || -> HtmlElement {
            document()
                .query_selector("iframe[data-keet-link]")
                .unwrap()
                .expect("the link frame")
                .unchecked_into()
        };
        assert_eq!(hosts().len(), before + 1, "the frame is created at once");
        assert_eq!(
            frame().get_attribute("src").unwrap(),
            format!("{api}/link/v1/frame"),
            "no token in the URL"
        );
        assert!(
            eventually(8000, || link.is_ready()).await,
            "the frame loads its session; is_ready follows"
        );
        assert_eq!(loads.get(), 1);
        link.open();
        assert!(
            eventually(3000, || !frame().has_attribute("aria-hidden")).await,
            "open() shows the frame"
        );
        assert_eq!(
            document().active_element().map(|e| e.tag_name()),
            Some("IFRAME".into()),
            "focus moved into the frame"
        );
        link.exit();
        assert!(
            eventually(3000, || frame().has_attribute("aria-hidden")).await,
            "exit() hides the frame"
        );
        assert!(eventually(1000, || !exits.borrow().is_empty()).await);
        assert_eq!(exits.borrow()[0], "None RequiresCredentials");
        assert!(link.is_ready(), "closing a form keeps the session");
        owner.cleanup();
        assert_eq!(hosts().len(), before, "cleaning up removed the frame");
    }

    #[wasm_bindgen_test]
    async fn bad_native_options_reach_on_validation_error_without_a_panic() {
        let reports: Rc<RefCell<Vec<String>>> = Rc::default();
        let record = reports.clone();
        let owner = Owner::new();
        let link = owner.with(|| {
            use_keet_link(
                KeetLinkOptions::new("not-a-link-token", |_, _| {})
                    .api_base_url("ftp://nope")
                    .on_validation_error(move |errors| {
                        record
                            .borrow_mut()
                            .extend(errors.into_iter().map(|e| e.field.unwrap_or_default()))
                    }),
            )
        });
        assert_eq!(*reports.borrow(), ["linkToken", "apiBaseUrl"]);
        assert!(!link.is_ready());
        link.open();
        owner.cleanup();
    }

    #[wasm_bindgen_test]
    fn options_debug_shows_which_callbacks_are_set_and_never_the_token() {
        let options = KeetLinkOptions::new("link_sandbox_topsecret", |_, _| {}).on_exit(|_, _| {});
        let shown = format!("{options:?}");
        assert!(!shown.contains("topsecret"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
        assert!(
            shown.contains("onExit") && !shown.contains("onLoad"),
            "{shown}"
        );
    }
}

/// The wasm carries the stylesheet minified by build.rs; the browser reads
/// it as the very rules of the commented source.
#[wasm_bindgen_test]
fn the_minified_stylesheet_reads_as_the_same_rules() {
    let rules = |css: &str| -> Vec<String> {
        let sheet = web_sys::CssStyleSheet::new().expect("a constructable stylesheet");
        sheet.replace_sync(css).expect("the stylesheet parses");
        let list = Reflect::get(&sheet, &"cssRules".into()).expect("cssRules");
        Array::from(&list)
            .iter()
            .map(|rule| {
                Reflect::get(&rule, &"cssText".into())
                    .ok()
                    .and_then(|text| text.as_string())
                    .unwrap_or_default()
            })
            .collect()
    };
    let source = include_str!("../src/widget/style.css");
    let minified = include_str!(concat!(env!("OUT_DIR"), "/style.min.css"));
    assert!(
        minified.len() < source.len() * 9 / 10,
        "minified: {} of {} bytes",
        minified.len(),
        source.len()
    );
    let source_rules = rules(source);
    assert!(
        source_rules.len() > 30,
        "the source has {} rules",
        source_rules.len()
    );
    assert_eq!(rules(minified), source_rules);
}
