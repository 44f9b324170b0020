//! Who hears the flow's notifications: JavaScript callbacks from the config
//! object, or Rust closures for a Leptos app.

use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};

use std::rc::Weak;

use crate::flow::{KeetLinkError, Notification};

use super::Widget;

/// Receives the flow's notifications: JS callbacks or Rust closures.
pub trait Host {
    /// Delivers one notification. Must not panic; a host's own failure is reported, not raised.
    fn notify(&self, notification: Notification);
    /// The widget's `isReady`, before each [`Host::notify`] and after each
    /// transition: a host that mirrors it elsewhere (the link frame's) needs it.
    fn ready_state(&self, _is_ready: bool) {}
    /// The modal was shown (`true`) or hidden.
    fn modal_shown(&self, _shown: bool) {}
    /// The flow wants a new link token: ask the host's `linkToken` function,
    /// and hand the outcome to the widget's `token_arrived`. Only a host
    /// that has such a function is ever asked.
    fn renew_token(&self, _widget: Weak<Widget>) {}
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

/// A payload as a plain JS value (objects, never `Map`s; absent members
/// left out), from the JSON text written by hand.
pub(crate) fn plain(value: &(impl crate::protocol::write::Write + ?Sized)) -> JsValue {
    js_sys::JSON::parse(&crate::protocol::write::to_json(value)).unwrap_or(JsValue::NULL)
}

/// Calls `callback` with the array `args`, reporting an exception it throws
/// instead of letting it unwind through the widget.
pub(crate) fn call_guarded(name: &str, callback: &Function, args: &JsValue) {
    let args = args.dyn_ref::<js_sys::Array>().cloned().unwrap_or_default();
    if let Err(thrown) = callback.apply(&JsValue::NULL, &args) {
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
        Some(callback) => call_guarded(
            "onValidationError",
            callback,
            &js_sys::Array::of1(&plain(errors)),
        ),
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
