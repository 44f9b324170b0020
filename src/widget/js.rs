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
use std::rc::Rc;

use crate::secret::Secret;
use js_sys::{Function, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::dom::preferred_locale;
use super::host::{report_validation_errors, JsCallbacks};
use super::{Settings, Widget};
use crate::config::{
    check_accent_color, check_api_base_url, check_appearance, check_frame_url, check_link_token,
    check_locale, Look, DEFAULT_API_BASE_URL, INVALID_CONFIG,
};
use crate::flow::{KeetLinkError, Notification};

/// The declarations live in `spec/keet-link.d.ts`, the project's copy of the JS contract.
#[wasm_bindgen(typescript_custom_section)]
const TYPESCRIPT: &'static str = include_str!("../../spec/keet-link.d.ts");

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
    match (
        url_option(&options, "apiBaseUrl"),
        url_option(&options, "frameUrl"),
    ) {
        (Ok(url), Ok(_)) => {
            DEFAULT_BASE_URL.with(|d| *d.borrow_mut() = url);
            Ok(())
        }
        (Err(error), _) | (_, Err(error)) => {
            Err(JsError::new(&format!("configure(): {}", error.message)))
        }
    }
}

/// `apiBaseUrl` or `frameUrl` of a config object: `None` when it is not
/// set, else the URL checked, or the error that names it.
fn url_option(object: &JsValue, name: &str) -> Result<Option<String>, KeetLinkError> {
    let value = Reflect::get(object, &name.into()).unwrap_or(JsValue::UNDEFINED);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    let url = value.as_string().ok_or_else(|| {
        KeetLinkError::about(name, INVALID_CONFIG, format!("{name} must be a string."))
    })?;
    match name {
        "frameUrl" => check_frame_url(&url),
        _ => check_api_base_url(&url),
    }
    .map(Some)
}

/// Creates a widget and starts loading its session; returns its handle.
/// Never throws: a bad config is reported through `onValidationError`.
#[wasm_bindgen(js_name = createKeetLink, unchecked_return_type = "KeetLinkHandle")]
pub fn create_keet_link(
    #[wasm_bindgen(unchecked_param_type = "KeetLinkConfig")] config: JsValue,
) -> JsValue {
    let widget = match read_config(&config) {
        Ok((settings, callbacks)) => Some(Widget::create(settings, Box::new(callbacks))),
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
    create_keet_link(config)
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
                format!("{name} must be a function."),
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
    // A string, or a function that gives one (now, and again whenever the
    // token expires): then the widget starts by calling it.
    let mut link_token_function = None;
    let link_token = match get("linkToken") {
        value if value.is_undefined() || value.is_null() => {
            errors.push(KeetLinkError::about(
                "linkToken",
                INVALID_CONFIG,
                "linkToken is required.",
            ));
            None
        }
        value if value.is_function() => {
            link_token_function = value.dyn_into::<Function>().ok();
            Some(None)
        }
        value => match value.as_string() {
            Some(token) => match check_link_token(&token) {
                Ok(()) => Some(Some(Secret::from(token))),
                Err(error) => {
                    errors.push(error);
                    None
                }
            },
            None => {
                errors.push(KeetLinkError::about(
                    "linkToken",
                    INVALID_CONFIG,
                    "linkToken must be a string, or a function that returns a promise of one.",
                ));
                None
            }
        },
    };
    let base_url = match url_option(config, "apiBaseUrl") {
        Ok(url) => Some(url.unwrap_or_else(|| {
            DEFAULT_BASE_URL
                .with(|d| d.borrow().clone())
                .unwrap_or_else(|| DEFAULT_API_BASE_URL.to_owned())
        })),
        Err(error) => {
            errors.push(error);
            None
        }
    };
    // Only the framed mode loads the frame; its URL is checked all the same,
    // so that both modes give one verdict on one config.
    if let Err(error) = url_option(config, "frameUrl") {
        errors.push(error);
    }
    // The options a host may leave out. A value that is not a string is
    // refused like a malformed one.
    let mut optional = |name: &str, check: &dyn Fn(&str) -> Result<(), KeetLinkError>| {
        let value = get(name);
        if value.is_undefined() || value.is_null() {
            return None;
        }
        let text = value.as_string().unwrap_or_default();
        match check(&text) {
            Ok(()) => Some(text),
            Err(error) => {
                errors.push(error);
                None
            }
        }
    };
    let locale = preferred_locale(optional("locale", &check_locale).as_deref());
    let appearance = optional("appearance", &|value| check_appearance(value).map(|_| ()))
        .and_then(|value| check_appearance(&value).ok())
        .unwrap_or_default();
    let accent_color = optional("accentColor", &check_accent_color);
    match (errors.is_empty(), link_token, base_url) {
        (true, Some(link_token), Some(base_url)) => Ok((
            Settings {
                api_base_url: base_url,
                embedder_origin: None,
                link_token,
                can_renew: link_token_function.is_some(),
                locale,
                look: Look {
                    appearance,
                    accent_color,
                },
                isolated: false,
            },
            JsCallbacks {
                callbacks,
                link_token_function,
            },
        )),
        _ => Err((errors, on_validation_error)),
    }
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
