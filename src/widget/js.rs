//! The JavaScript API of `../shared/spec/js-api.md`: `createKeetLink`,
//! `useKeetLink` and `configure`, with their TypeScript declarations.
//!
//! A handle is a plain object whose members are closures, so they keep
//! working when destructured (`const { open } = useKeetLink(c); open()`).
//! The closures own the widget; the JS garbage collector frees them (and so
//! the widget) once the host drops the handle, except while the modal is
//! open, when the widget keeps itself alive. A handle that one of its own
//! callbacks refers to is never collected (the widget holds the callback:
//! a cycle through wasm-bindgen's table), so hosts call `destroy()` when done.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::host::{plain, Host};
use super::http::EarlySession;
use super::{Settings, Widget};
use crate::config::{
    Given, GivenLinkToken, HostConfig, Scope, DEFAULT_API_BASE_URL, INVALID_CONFIG,
};
use crate::flow::{KeetLinkError, Notification};

/// The declarations live in `spec/keet-link.d.ts`, the project's copy of the JS contract.
#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &'static str = include_str!("../../spec/keet-link.d.ts");

// What js/in-page.js adds to this module in the build (scripts/bundle.mjs
// bundles the two as pkg/web/keet_link.js), declared here, where the
// module's typings are written.
#[wasm_bindgen(typescript_custom_section)]
const IN_PAGE_LOADER: &'static str = r#"
/**
 * For this package's loaders: asks for the session of `config` at once,
 * runs the wasm from the promise of its response (until one has run), and
 * resolves to a function that creates the widget, which takes that answer
 * for its own first request.
 */
export function prepareKeetLink(config: KeetLinkConfig & { apiBaseUrl: string }, wasm: Promise<Response>): Promise<() => KeetLinkHandle>;
"#;

thread_local! {
    static DEFAULT_BASE_URL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Sets page-wide defaults, e.g. `configure({ apiBaseUrl: "http://127.0.0.1:8080" })`
/// in the app's entry file, so code written against Keet's docs runs against the sandbox.
///
/// # Errors
/// A `JsError` naming the field when `apiBaseUrl` is not a string or not an allowed URL.
#[wasm_bindgen(js_name = configure)]
pub fn configure(
    #[wasm_bindgen(unchecked_param_type = "KeetLinkGlobalConfig")] options: JsValue,
) -> Result<(), JsError> {
    if !options.is_object() {
        return Err(JsError::new(
            "configure() takes an object, e.g. { apiBaseUrl: \"https://api.trykeet.com\" }",
        ));
    }
    // The in-page mode loads no frame, but a bad frameUrl is refused here as
    // the loader refuses it.
    let (config, errors) = HostConfig::read(Scope::PageWide, &|name| given_in(&options, name));
    match errors.first() {
        None => {
            DEFAULT_BASE_URL.with(|d| *d.borrow_mut() = config.api_base_url().map(str::to_owned));
            Ok(())
        }
        Some(error) => Err(JsError::new(
            &["configure(): ", error.message.as_str()].concat(),
        )),
    }
}

/// What a config object holds under `name`, as [`HostConfig::read`] sees it.
pub(crate) fn given_in(object: &JsValue, name: &str) -> Given {
    let value = Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        Given::Absent
    } else if let Some(text) = value.as_string() {
        Given::Text(text)
    } else if value.is_function() {
        Given::Function
    } else {
        Given::Other
    }
}

/// Creates a widget and starts loading its session; returns its handle.
/// Never throws: a bad config is reported through `onValidationError`.
/// `earlySession`: the session request the package's loader sent while
/// this wasm loaded (`{ url, response }`, DECISIONS S11), which the widget
/// takes for its own first one if it would have sent the same.
#[wasm_bindgen(js_name = createKeetLink, unchecked_return_type = "KeetLinkHandle")]
pub fn create_keet_link(
    #[wasm_bindgen(unchecked_param_type = "KeetLinkConfig")] config: JsValue,
    #[wasm_bindgen(js_name = earlySession)] early_session: Option<js_sys::Object>,
) -> JsValue {
    let widget = match read_config(&config) {
        Ok((mut settings, callbacks)) => {
            settings.early_session = early_session.and_then(|request| EarlySession::read(&request));
            Some(Widget::create(settings, Box::new(callbacks)))
        }
        Err((errors, on_validation_error)) => {
            report_validation_errors(on_validation_error.as_ref(), &errors);
            None
        }
    };
    handle_object(widget)
}

/// The same handle as `createKeetLink`, under the name of Keet's React hook,
/// for code written against Keet's docs (`const { open, isReady } = useKeetLink(config)`).
#[wasm_bindgen(js_name = useKeetLink, unchecked_return_type = "KeetLinkHandle")]
pub fn use_keet_link(
    #[wasm_bindgen(unchecked_param_type = "KeetLinkConfig")] config: JsValue,
) -> JsValue {
    create_keet_link(config, None)
}

type ConfigErrors = (Vec<KeetLinkError>, Option<Function>);

fn read_config(config: &JsValue) -> Result<(Settings, JsCallbacks), ConfigErrors> {
    if !config.is_object() {
        let error = KeetLinkError::about(
            "config",
            INVALID_CONFIG,
            "createKeetLink() takes a config object: { linkToken, onSuccess, … }.",
        );
        return Err((vec![error], None));
    }
    let get = |name: &str| Reflect::get(config, &name.into()).unwrap_or(JsValue::UNDEFINED);
    let mut errors = Vec::new();
    let mut callback = |name: &str| -> Option<Function> {
        let value = get(name);
        if value.is_undefined() || value.is_null() {
            return None;
        }
        let function = value.dyn_into::<Function>().ok();
        if function.is_none() {
            errors.push(KeetLinkError::about(
                name,
                INVALID_CONFIG,
                [name, " must be a function."].concat(),
            ));
        }
        function
    };
    let callbacks: Vec<(&'static str, Function)> = Notification::CALLBACKS
        .iter()
        .filter_map(|spec| Some((spec.name, callback(spec.name)?)))
        .collect();
    let named = |wanted: &str| {
        callbacks
            .iter()
            .find(|(name, _)| *name == wanted)
            .map(|(_, callback)| callback.clone())
    };
    let on_validation_error = named("onValidationError");
    if named("onSuccess").is_none()
        && !errors
            .iter()
            .any(|e| e.field.as_deref() == Some("onSuccess"))
    {
        errors.push(KeetLinkError::about(
            "onSuccess",
            INVALID_CONFIG,
            "onSuccess is required: it receives the public token.",
        ));
    }
    let (mut host_config, option_errors) =
        HostConfig::read(Scope::Widget, &|name| given_in(config, name));
    errors.extend(option_errors);
    if !errors.is_empty() {
        return Err((errors, on_validation_error));
    }
    // A function gives the first token (and every next one): the widget
    // starts by calling it.
    let link_token_function = match host_config.link_token() {
        GivenLinkToken::Function => get("linkToken").dyn_into::<Function>().ok(),
        _ => None,
    };
    let api_base_url = host_config
        .api_base_url()
        .map(str::to_owned)
        .unwrap_or_else(|| {
            DEFAULT_BASE_URL
                .with(|d| d.borrow().clone())
                .unwrap_or_else(|| DEFAULT_API_BASE_URL.to_owned())
        });
    let settings = Settings::from_config(&mut host_config, api_base_url, None, false);
    Ok((
        settings,
        JsCallbacks {
            callbacks,
            link_token_function,
        },
    ))
}

const INERT: &str =
    "keet-link: this handle's config was invalid (see onValidationError); nothing happened";

fn handle_object(widget: Option<Rc<Widget>>) -> JsValue {
    let handle = Object::new();
    let member = |action: fn(&Widget)| {
        let widget = widget.clone();
        // Ownership passes to the JS garbage collector: the closure (and the
        // widget it holds) lives exactly as long as the handle's members do.
        Closure::<dyn Fn()>::new(move || match &widget {
            Some(widget) => action(widget),
            None => web_sys::console::warn_1(&INERT.into()),
        })
        .into_js_value()
    };
    let _ = Reflect::set(&handle, &"open".into(), &member(Widget::open));
    let _ = Reflect::set(&handle, &"exit".into(), &member(Widget::exit));
    let destroy = {
        let widget = widget.clone();
        Closure::<dyn Fn()>::new(move || {
            if let Some(widget) = &widget {
                widget.destroy();
            }
        })
        .into_js_value()
    };
    let _ = Reflect::set(&handle, &"destroy".into(), &destroy);
    let is_ready =
        Closure::<dyn Fn() -> bool>::new(move || widget.as_ref().is_some_and(|w| w.is_ready()))
            .into_js_value();
    let descriptor = Object::new();
    let _ = Reflect::set(&descriptor, &"get".into(), &is_ready);
    let _ = Reflect::set(&descriptor, &"enumerable".into(), &JsValue::TRUE);
    Object::define_property(&handle, &"isReady".into(), &descriptor);
    handle.into()
}

/// The callbacks of a JS config object, by name ([`Notification::CALLBACKS`]),
/// and its `linkToken` when that is a function.
pub(crate) struct JsCallbacks {
    pub(crate) callbacks: Vec<(&'static str, Function)>,
    pub(crate) link_token_function: Option<Function>,
}

impl JsCallbacks {
    fn get(&self, name: &str) -> Option<&Function> {
        self.callbacks
            .iter()
            .find(|(held, _)| *held == name)
            .map(|(_, callback)| callback)
    }
}

/// Calls `callback` with the array `args`, reporting an exception it throws
/// instead of letting it unwind through the widget.
pub(crate) fn call_guarded(name: &str, callback: &Function, args: &JsValue) {
    let args = args.dyn_ref::<js_sys::Array>().cloned().unwrap_or_default();
    if let Err(thrown) = callback.apply(&JsValue::NULL, &args) {
        web_sys::console::error_2(
            &JsValue::from_str(
                &[
                    "keet-link: the host's ",
                    name,
                    " callback threw; the widget carries on:",
                ]
                .concat(),
            ),
            &thrown,
        );
    }
}

/// Reports config errors where the contract says: `onValidationError` when
/// it is a function, else `console.error`.
pub(crate) fn report_validation_errors(
    on_validation_error: Option<&Function>,
    errors: &[KeetLinkError],
) {
    match on_validation_error {
        Some(callback) => call_guarded(
            "onValidationError",
            callback,
            &js_sys::Array::of1(&plain(errors)),
        ),
        None => {
            for error in errors {
                web_sys::console::error_1(&JsValue::from_str(
                    &["keet-link: ", &error.message, " (", &error.code, ")"].concat(),
                ));
            }
        }
    }
}

impl Host for JsCallbacks {
    fn notify(&self, notification: Notification) {
        match (&notification, notification.callback_name()) {
            (Notification::Warn(message), _) => {
                web_sys::console::warn_1(&JsValue::from_str(message))
            }
            // Without an onValidationError, the errors go to the console.
            (Notification::ValidationError(errors), Some(name)) => {
                report_validation_errors(self.get(name), errors)
            }
            (_, Some(name)) => {
                if let Some(callback) = self.get(name) {
                    call_guarded(name, callback, &plain(&notification.callback_args()));
                }
            }
            (_, None) => {}
        }
    }

    fn renew_token(&self, widget: Weak<Widget>) {
        let Some(function) = self.link_token_function.clone() else {
            return;
        };
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = match function.call0(&JsValue::NULL) {
                // A plain value works as well as a promise of one.
                Ok(value) => {
                    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&value)).await
                }
                Err(thrown) => Err(thrown),
            };
            let token = match outcome {
                Ok(value) => value
                    .as_string()
                    .map(crate::secret::Secret::from)
                    .ok_or(crate::config::TOKEN_FUNCTION_GAVE_NO_TOKEN),
                Err(_) => Err(crate::config::TOKEN_FUNCTION_REJECTED),
            };
            if let Some(widget) = widget.upgrade() {
                widget.token_arrived(token);
            }
        });
    }
}
