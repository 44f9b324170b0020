//! Keet Link for Leptos apps: the same widget with Rust callbacks, and no
//! JavaScript at all.
//!
//! As a component:
//!
//! ```no_run
//! use keet_link::widget::native::{KeetLink, KeetLinkOptions};
//! use leptos::prelude::*;
//!
//! #[component]
//! fn Connect(link_token: String) -> impl IntoView {
//!     let public_token = RwSignal::new(None::<String>);
//!     view! {
//!         <KeetLink
//!             options=KeetLinkOptions::new(link_token, move |token, _metadata| public_token.set(Some(token)))
//!             label="Connect Instagram"
//!         />
//!         <p>{move || public_token.get()}</p>
//!     }
//! }
//! ```
//!
//! Or as a hook, for your own button:
//!
//! ```no_run
//! use keet_link::widget::native::{use_keet_link, KeetLinkOptions};
//! use leptos::prelude::*;
//!
//! #[component]
//! fn Connect(link_token: String) -> impl IntoView {
//!     let link = use_keet_link(
//!         KeetLinkOptions::new(link_token, |token, _| leptos::logging::log!("send {} to the backend", token.len()))
//!             .api_base_url("http://127.0.0.1:8080")
//!             .on_exit(|error, metadata| leptos::logging::log!("exit {error:?} {metadata:?}")),
//!     );
//!     view! { <button disabled=move || !link.is_ready() on:click=move |_| link.open()>"Open Link"</button> }
//! }
//! ```
//!
//! The widget belongs to the reactive owner that called [`use_keet_link`]:
//! it is destroyed when that owner is cleaned up (the component unmounts).
//!
//! Every host callback has a builder method; [`KeetLinkOptions::on`] takes
//! any of them by its type in [`callbacks`](crate::flow::callbacks), so a
//! callback added to the widget is there without a change here.

use std::rc::Rc;

use crate::secret::Secret;
use leptos::prelude::*;

use super::host::Host;
use super::{Settings, Widget};
pub use crate::config::Isolation;
use crate::config::{
    Appearance, ConfigOption, Given, HostConfig, Scope, ACCENT_COLOR, API_BASE_URL, APPEARANCE,
    DEFAULT_API_BASE_URL, FRAME_URL, ISOLATION, LINK_TOKEN, LOCALE,
};
use crate::flow::callbacks::{OnEvent, OnExit, OnLoad, OnSuccess, OnValidationError};
use crate::flow::{
    EventMetadata, EventName, ExitMetadata, HostCallback, KeetLinkError, Notification,
};
use crate::protocol::SuccessMetadata;

/// What a Leptos app passes to [`use_keet_link`]: a link token, `on_success`,
/// and optional callbacks, set with the builder methods. `Debug` shows the
/// token as `[redacted]` and which callbacks are set.
#[derive(Debug)]
pub struct KeetLinkOptions {
    link_token: Secret,
    /// The other options set, by name, as given: [`use_keet_link`] reads
    /// them as the JS API reads a config object.
    options: Vec<(&'static str, String)>,
    callbacks: RustCallbacks,
}

impl KeetLinkOptions {
    /// Options for `link_token`, calling `on_success(public_token, metadata)` once.
    pub fn new(
        link_token: impl Into<String>,
        on_success: impl Fn(String, SuccessMetadata) + 'static,
    ) -> Self {
        Self {
            link_token: Secret::from(link_token.into()),
            options: Vec::new(),
            callbacks: RustCallbacks::default(),
        }
        .on::<OnSuccess>(move |(public_token, metadata)| {
            on_success(public_token.expose().to_owned(), metadata)
        })
    }

    /// Calls `callback` with the arguments of the host callback `C` (one of
    /// [`callbacks`](crate::flow::callbacks)), instead of any set before:
    /// `.on::<OnExit>(|(error, metadata)| …)`.
    pub fn on<C: HostCallback + 'static>(mut self, callback: impl Fn(C::Args) + 'static) -> Self {
        let call = move |notification| {
            if let Some(args) = C::args_of(notification) {
                callback(args);
            }
        };
        self.callbacks.0.retain(|(name, _)| *name != C::SPEC.name);
        self.callbacks.0.push((C::SPEC.name, Box::new(call)));
        self
    }

    /// The API to talk to (default `https://api.trykeet.com`).
    pub fn api_base_url(self, url: impl Into<String>) -> Self {
        self.set(API_BASE_URL, url.into())
    }

    /// The link frame's page, when it is not served beside the API (default
    /// `<api_base_url>/link/v1/frame`). Only the framed mode loads it.
    pub fn frame_url(self, url: impl Into<String>) -> Self {
        self.set(FRAME_URL, url.into())
    }

    /// The end user's language, a BCP 47 tag (default: the browser's
    /// preferred languages); unsupported ones fall back by language, then
    /// to English.
    pub fn locale(self, tag: impl Into<String>) -> Self {
        self.set(LOCALE, tag.into())
    }

    /// Light, dark, or the system's (the default).
    pub fn appearance(self, appearance: Appearance) -> Self {
        self.set(APPEARANCE, appearance.as_str().to_owned())
    }

    /// `#RRGGBB` for the buttons and badge instead of the integration's
    /// colour; anything else is reported to `on_validation_error`.
    pub fn accent_color(self, colour: impl Into<String>) -> Self {
        self.set(ACCENT_COLOR, colour.into())
    }

    /// Where the modal runs (default [`Isolation::Frame`]).
    pub fn isolation(self, isolation: Isolation) -> Self {
        self.set(ISOLATION, isolation.as_str().to_owned())
    }

    /// Sets `option` to `value`, replacing what was set before.
    fn set(mut self, option: ConfigOption, value: String) -> Self {
        self.options.retain(|(name, _)| *name != option.name);
        self.options.push((option.name, value));
        self
    }

    /// Called when the config or the link token is refused.
    pub fn on_validation_error(self, callback: impl Fn(Vec<KeetLinkError>) + 'static) -> Self {
        self.on::<OnValidationError>(move |(errors,)| callback(errors))
    }

    /// Called when the user closes the modal or the flow ends in an error.
    pub fn on_exit(self, callback: impl Fn(Option<KeetLinkError>, ExitMetadata) + 'static) -> Self {
        self.on::<OnExit>(move |(error, metadata)| callback(error, metadata))
    }

    /// Called at every step of the flow.
    pub fn on_event(self, callback: impl Fn(EventName, EventMetadata) + 'static) -> Self {
        self.on::<OnEvent>(move |(name, metadata)| callback(name, metadata))
    }

    /// Called once, when the widget becomes ready.
    pub fn on_load(self, callback: impl Fn() + 'static) -> Self {
        self.on::<OnLoad>(move |()| callback())
    }
}

/// Rust callbacks as the widget's host: a function for each host callback
/// that is set, by the callback's name.
#[derive(Default)]
struct RustCallbacks(Vec<(&'static str, RustCallback)>);

/// One Rust callback, given the notification that calls it.
type RustCallback = Box<dyn Fn(Notification)>;

impl std::fmt::Debug for RustCallbacks {
    /// The names of the callbacks that are set: a closure has nothing else to show.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

impl RustCallbacks {
    fn get(&self, wanted: &str) -> Option<&dyn Fn(Notification)> {
        self.0
            .iter()
            .find(|(name, _)| *name == wanted)
            .map(|(_, callback)| callback.as_ref())
    }

    fn report(&self, errors: Vec<KeetLinkError>) {
        self.notify(Notification::ValidationError(errors));
    }
}

impl Host for RustCallbacks {
    fn notify(&self, notification: Notification) {
        let callback = notification.callback_name().and_then(|name| self.get(name));
        match (notification, callback) {
            (notification, Some(callback)) => callback(notification),
            (Notification::Warn(message), None) => leptos::logging::warn!("{message}"),
            // Without an on_validation_error, the errors go to the console.
            (Notification::ValidationError(errors), None) => {
                for error in errors {
                    leptos::logging::error!("keet-link: {} ({})", error.message, error.code);
                }
            }
            (_, None) => {}
        }
    }
}

/// The widget behind a [`KeetLinkHandle`].
enum Running {
    /// The modal in this page.
    InPage(Rc<Widget>),
    /// The modal in the link frame, run by the host loader (`js/host.js`).
    Framed(framed::FramedWidget),
}

/// A widget for a Leptos app. `Copy`, so it can go into any closure of a view.
#[derive(Clone, Copy)]
pub struct KeetLinkHandle {
    widget: StoredValue<Option<Running>, LocalStorage>,
    ready: Signal<bool>,
}

impl KeetLinkHandle {
    /// Reactive: true once the session was fetched and validated.
    pub fn is_ready(&self) -> bool {
        self.ready.get()
    }

    /// Shows the modal (a warned no-op before ready).
    pub fn open(&self) {
        self.with_widget(Widget::open, "open");
    }

    /// Closes the modal as the user would; `on_exit` fires.
    pub fn exit(&self) {
        self.with_widget(Widget::exit, "exit");
    }

    /// Removes everything the widget made; idempotent. Unmounting the
    /// component that called [`use_keet_link`] does this too.
    pub fn destroy(&self) {
        self.with_widget(Widget::destroy, "destroy");
    }

    fn with_widget(&self, in_page: fn(&Widget), member: &str) {
        let done = self.widget.try_with_value(|widget| match widget {
            Some(Running::InPage(widget)) => Some(Rc::clone(widget)),
            Some(Running::Framed(framed)) => {
                framed.call(member);
                None
            }
            None => {
                leptos::logging::warn!(
                    "keet-link: this handle has no widget (invalid options, or unmounted)"
                );
                None
            }
        });
        // Outside the borrow: the widget's callbacks may use this handle.
        if let Some(Some(widget)) = done {
            in_page(&widget);
        }
    }
}

/// Creates a widget for the current component, with Rust callbacks.
/// Bad options never panic: they go to `on_validation_error` (or the console).
pub fn use_keet_link(options: KeetLinkOptions) -> KeetLinkHandle {
    let KeetLinkOptions {
        link_token,
        options,
        callbacks,
    } = options;
    let (mut config, errors) = HostConfig::read(Scope::Widget, &|name| {
        if name == LINK_TOKEN.name {
            return Given::Text(link_token.expose().to_owned());
        }
        options
            .iter()
            .find(|(option, _)| *option == name)
            .map_or(Given::Absent, |(_, value)| Given::Text(value.clone()))
    });
    let api_base_url = config
        .api_base_url()
        .unwrap_or(DEFAULT_API_BASE_URL)
        .to_owned();
    let (running, ready) = match (errors.is_empty(), config.isolation()) {
        (true, Isolation::None) => {
            let settings = Settings::from_config(&mut config, api_base_url, None, false);
            let widget = Widget::create(settings, Box::new(callbacks));
            let flow = widget.flow.clone();
            let ready =
                Signal::derive(move || flow.try_with(crate::flow::Flow::is_ready).unwrap_or(false));
            (Some(Running::InPage(widget)), ready)
        }
        (true, Isolation::Frame) => {
            let ready = RwSignal::new(false);
            // The loader reads the same options again, as it reads a page's.
            let framed = framed::FramedWidget::create(&link_token, &options, callbacks, ready);
            (Some(Running::Framed(framed)), ready.into())
        }
        (false, _) => {
            callbacks.report(errors);
            (None, Signal::derive(|| false))
        }
    };
    let widget = StoredValue::new_local(running);
    on_cleanup(move || {
        let handle = KeetLinkHandle {
            widget,
            ready: Signal::derive(|| false),
        };
        handle.destroy();
    });
    KeetLinkHandle { widget, ready }
}

mod framed {
    //! The framed mode for Leptos apps: the same host loader as the npm
    //! package's (`js/host.js`, a wasm-bindgen snippet), with Rust callbacks.

    use std::any::Any;
    use std::rc::Rc;

    use js_sys::{Function, Object, Reflect};
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;

    use super::{Host, RustCallbacks};
    use crate::flow::Notification;
    use crate::secret::Secret;

    #[wasm_bindgen(module = "/js/host.js")]
    extern "C" {
        /// `keetLink(loadInPage)`: the host API (`createKeetLink`, …).
        #[wasm_bindgen(js_name = keetLink)]
        fn host_api(load_in_page: &Function) -> JsValue;
    }

    /// A widget in the link frame: its JS handle, and the closures the
    /// loader calls back, which live exactly as long as it.
    pub(super) struct FramedWidget {
        handle: JsValue,
        _closures: Vec<Box<dyn Any>>,
    }

    impl FramedWidget {
        pub(super) fn create(
            link_token: &Secret,
            options: &[(&'static str, String)],
            callbacks: RustCallbacks,
            ready: RwSignal<bool>,
        ) -> Self {
            let callbacks = Rc::new(callbacks);
            let handle_cell: Rc<std::cell::RefCell<JsValue>> = Rc::default();
            // The loader sets isReady before each callback: mirror it first.
            let notify = {
                let handle_cell = Rc::clone(&handle_cell);
                move |notification: Option<Notification>| {
                    let is_ready = Reflect::get(&handle_cell.borrow(), &"isReady".into())
                        .ok()
                        .and_then(|v| v.as_bool())
                        .unwrap_or(false);
                    ready.try_set(is_ready);
                    if let Some(notification) = notification {
                        callbacks.notify(notification);
                    }
                }
            };
            let config = Object::new();
            let set = |name: &str, value: &JsValue| {
                let _ = Reflect::set(&config, &name.into(), value);
            };
            set("linkToken", &link_token.expose().into());
            for (name, value) in options {
                set(name, &value.into());
            }
            let mut closures: Vec<Box<dyn Any>> = Vec::new();
            // One JS function per host callback, which turns its arguments
            // back into the notification the frame sent. It takes three: a
            // callback with more fails to compile here.
            const _: () = {
                let mut index = 0;
                while index < Notification::CALLBACKS.len() {
                    assert!(Notification::CALLBACKS[index].args.len() <= 3);
                    index += 1;
                }
            };
            for spec in Notification::CALLBACKS {
                let notify = notify.clone();
                let callback = Closure::<dyn Fn(JsValue, JsValue, JsValue)>::new(
                    move |first: JsValue, second: JsValue, third: JsValue| {
                        let args: js_sys::Array = [first, second, third]
                            .into_iter()
                            .take(spec.args.len())
                            .collect();
                        notify(Notification::from_callback_args(
                            spec.name,
                            serde_wasm_bindgen::Deserializer::from(JsValue::from(args)),
                        ));
                    },
                );
                set(spec.name, callback.as_ref());
                closures.push(Box::new(callback));
            }
            // The Rust side runs the in-page mode itself: the loader never needs its own.
            let no_in_page = Closure::<dyn Fn() -> js_sys::Promise>::new(|| {
                js_sys::Promise::reject(
                    &"keet-link: the Leptos API runs the in-page mode itself".into(),
                )
            });
            let api = host_api(no_in_page.as_ref().unchecked_ref());
            closures.push(Box::new(no_in_page));
            let handle = Reflect::get(&api, &"createKeetLink".into())
                .ok()
                .and_then(|create| create.dyn_into::<Function>().ok())
                .and_then(|create| create.call1(&JsValue::NULL, &config).ok())
                .unwrap_or(JsValue::NULL);
            *handle_cell.borrow_mut() = handle.clone();
            Self {
                handle,
                _closures: closures,
            }
        }

        /// Calls the JS handle's `open`, `exit` or `destroy`.
        pub(super) fn call(&self, member: &str) {
            if let Some(function) = Reflect::get(&self.handle, &member.into())
                .ok()
                .and_then(|f| f.dyn_into::<Function>().ok())
            {
                let _ = function.call0(&JsValue::NULL);
            }
        }
    }
}

/// An "Open Link" button that runs the whole flow, for Leptos apps: the
/// same options as [`use_keet_link`].
#[component]
pub fn KeetLink(
    /// The link token, `on_success`, and anything else ([`KeetLinkOptions`]).
    options: KeetLinkOptions,
    /// The button's text (default "Open Link").
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let link = use_keet_link(options);
    view! {
        <button type="button" data-testid="keet-link-button"
            disabled=move || !link.is_ready() on:click=move |_| link.open()>
            {label.unwrap_or_else(|| "Open Link".to_owned())}
        </button>
    }
}
