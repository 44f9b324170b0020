//! Who hears the flow's notifications: JavaScript callbacks from the config
//! object, or Rust closures for a Leptos app.

use js_sys::Function;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::flow::{KeetLinkError, Notification};

/// Receives the flow's notifications: JS callbacks or Rust closures.
pub trait Host {
    /// Delivers one notification. Must not panic; a host's own failure is reported, not raised.
    fn notify(&self, notification: Notification);
    /// The widget's `isReady`, before each [`Host::notify`] and after each
    /// transition: a host that mirrors it elsewhere (the link frame's) needs it.
    fn ready_state(&self, _is_ready: bool) {}
    /// The modal was shown (`true`) or hidden.
    fn modal_shown(&self, _shown: bool) {}
}

/// The callbacks of a JS config object.
pub(crate) struct JsCallbacks {
    pub(crate) on_success: Function,
    pub(crate) on_validation_error: Option<Function>,
    pub(crate) on_exit: Option<Function>,
    pub(crate) on_event: Option<Function>,
    pub(crate) on_load: Option<Function>,
}

/// Converts a payload to a plain JS object (never a `Map`, no `undefined` fields).
pub(crate) fn plain<T: Serialize>(value: &T) -> JsValue {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::NULL)
}

/// Calls `callback`, reporting an exception it throws instead of letting it
/// unwind through the widget.
pub(crate) fn call_guarded(name: &str, callback: &Function, args: &[JsValue]) {
    let result = match args {
        [] => callback.call0(&JsValue::NULL),
        [a] => callback.call1(&JsValue::NULL, a),
        [a, b, ..] => callback.call2(&JsValue::NULL, a, b),
    };
    if let Err(thrown) = result {
        web_sys::console::error_2(
            &JsValue::from_str(&format!(
                "keet-link: the host's {name} callback threw; the widget carries on:"
            )),
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
        Some(callback) => call_guarded("onValidationError", callback, &[plain(&errors)]),
        None => {
            for error in errors {
                web_sys::console::error_1(&JsValue::from_str(&format!(
                    "keet-link: {} ({})",
                    error.message, error.code
                )));
            }
        }
    }
}

impl Host for JsCallbacks {
    fn notify(&self, notification: Notification) {
        match notification {
            Notification::Load => {
                if let Some(callback) = &self.on_load {
                    call_guarded("onLoad", callback, &[]);
                }
            }
            Notification::Success {
                public_token,
                metadata,
            } => call_guarded(
                "onSuccess",
                &self.on_success,
                &[JsValue::from_str(&public_token), plain(&metadata)],
            ),
            Notification::ValidationError(errors) => {
                report_validation_errors(self.on_validation_error.as_ref(), &errors)
            }
            Notification::Exit { error, metadata } => {
                if let Some(callback) = &self.on_exit {
                    call_guarded("onExit", callback, &[plain(&error), plain(&metadata)]);
                }
            }
            Notification::Event { name, metadata } => {
                if let Some(callback) = &self.on_event {
                    call_guarded("onEvent", callback, &[plain(&name), plain(&metadata)]);
                }
            }
            Notification::Warn(message) => web_sys::console::warn_1(&JsValue::from_str(message)),
        }
    }
}
