//! Who hears the flow's notifications: JavaScript callbacks from the config
//! object (`js::JsCallbacks`), the link frame's port, or Rust closures for a
//! Leptos app.

use wasm_bindgen::JsValue;

use std::rc::Weak;

use crate::flow::Notification;

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

/// A payload as a plain JS value (objects, never `Map`s; absent members
/// left out), from the JSON text written by hand.
pub(crate) fn plain(value: &(impl crate::protocol::write::Write + ?Sized)) -> JsValue {
    js_sys::JSON::parse(&crate::protocol::write::to_json(value)).unwrap_or(JsValue::NULL)
}
