//! Keet Link for Leptos apps: the same widget with Rust callbacks, and no
//! JavaScript at all.
//!
//! As a component:
//!
//! ```no_run
//! use keet_link::widget::native::KeetLink;
//! use leptos::prelude::*;
//!
//! #[component]
//! fn Connect(link_token: String) -> impl IntoView {
//!     let public_token = RwSignal::new(None::<String>);
//!     view! {
//!         <KeetLink
//!             link_token=link_token
//!             on_success=move |token, _metadata| public_token.set(Some(token))
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

use std::rc::Rc;

use crate::secret::Secret;
use leptos::prelude::*;

use super::host::Host;
use super::{Settings, Widget};
use crate::config::{
    check_accent_color, check_api_base_url, check_link_token, check_locale, Appearance, Look,
    DEFAULT_API_BASE_URL,
};
use crate::flow::{EventMetadata, EventName, ExitMetadata, KeetLinkError, Notification};
use crate::protocol::SuccessMetadata;

/// `on_exit(error, metadata)`, as the `<KeetLink/>` component takes it.
pub type ExitCallback = Box<dyn Fn(Option<KeetLinkError>, ExitMetadata)>;
/// `on_validation_error(errors)`, as the `<KeetLink/>` component takes it.
pub type ValidationErrorCallback = Box<dyn Fn(Vec<KeetLinkError>)>;
/// `on_event(name, metadata)`, as the `<KeetLink/>` component takes it.
pub type EventCallback = Box<dyn Fn(EventName, EventMetadata)>;

/// What a Leptos app passes to [`use_keet_link`]: a link token, `on_success`,
/// and optional callbacks, set with the builder methods. `Debug` shows the
/// token as `[redacted]` and which callbacks are set.
#[derive(Debug)]
pub struct KeetLinkOptions {
    link_token: Secret,
    api_base_url: Option<String>,
    locale: Option<String>,
    look: Look,
    isolation: Isolation,
    callbacks: RustCallbacks,
}

/// Where the modal runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Isolation {
    /// In a cross-origin frame served by the link origin (`api_base_url`), so
    /// that nothing else in the app can read what the user types. The default.
    #[default]
    Frame,
    /// In this page, in a shadow root: for first-party pages and tests.
    None,
}

impl KeetLinkOptions {
    /// Options for `link_token`, calling `on_success(public_token, metadata)` once.
    pub fn new(
        link_token: impl Into<String>,
        on_success: impl Fn(String, SuccessMetadata) + 'static,
    ) -> Self {
        Self {
            link_token: Secret::from(link_token.into()),
            api_base_url: None,
            locale: None,
            look: Look::default(),
            isolation: Isolation::default(),
            callbacks: RustCallbacks {
                on_success: Box::new(on_success),
                on_validation_error: None,
                on_exit: None,
                on_event: None,
                on_load: None,
            },
        }
    }

    /// The API to talk to (default `https://api.trykeet.com`).
    pub fn api_base_url(mut self, url: impl Into<String>) -> Self {
        self.api_base_url = Some(url.into());
        self
    }

    /// The end user's language, a BCP 47 tag (default: the browser's
    /// preferred languages); unsupported ones fall back by language, then
    /// to English.
    pub fn locale(mut self, tag: impl Into<String>) -> Self {
        self.locale = Some(tag.into());
        self
    }

    /// Light, dark, or the system's (the default).
    pub fn appearance(mut self, appearance: Appearance) -> Self {
        self.look.appearance = appearance;
        self
    }

    /// `#RRGGBB` for the buttons and badge instead of the integration's
    /// colour; anything else is reported to `on_validation_error`.
    pub fn accent_color(mut self, colour: impl Into<String>) -> Self {
        self.look.accent_color = Some(colour.into());
        self
    }

    /// Where the modal runs (default [`Isolation::Frame`]).
    pub fn isolation(mut self, isolation: Isolation) -> Self {
        self.isolation = isolation;
        self
    }

    /// Called when the config or the link token is refused.
    pub fn on_validation_error(mut self, callback: impl Fn(Vec<KeetLinkError>) + 'static) -> Self {
        self.callbacks.on_validation_error = Some(Box::new(callback));
        self
    }

    /// Called when the user closes the modal or the flow ends in an error.
    pub fn on_exit(
        mut self,
        callback: impl Fn(Option<KeetLinkError>, ExitMetadata) + 'static,
    ) -> Self {
        self.callbacks.on_exit = Some(Box::new(callback));
        self
    }

    /// Called at every step of the flow.
    pub fn on_event(mut self, callback: impl Fn(EventName, EventMetadata) + 'static) -> Self {
        self.callbacks.on_event = Some(Box::new(callback));
        self
    }

    /// Called once, when the widget becomes ready.
    pub fn on_load(mut self, callback: impl Fn() + 'static) -> Self {
        self.callbacks.on_load = Some(Box::new(callback));
        self
    }
}

/// Rust callbacks as the widget's host.
struct RustCallbacks {
    on_success: Box<dyn Fn(String, SuccessMetadata)>,
    on_validation_error: Option<ValidationErrorCallback>,
    on_exit: Option<ExitCallback>,
    on_event: Option<Box<dyn Fn(EventName, EventMetadata)>>,
    on_load: Option<Box<dyn Fn()>>,
}

impl std::fmt::Debug for RustCallbacks {
    /// The names of the callbacks that are set: a closure has nothing else to show.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = [
            ("on_success", true),
            ("on_validation_error", self.on_validation_error.is_some()),
            ("on_exit", self.on_exit.is_some()),
            ("on_event", self.on_event.is_some()),
            ("on_load", self.on_load.is_some()),
        ];
        f.debug_list()
            .entries(
                set.iter()
                    .filter(|(_, is_set)| *is_set)
                    .map(|(name, _)| name),
            )
            .finish()
    }
}

impl RustCallbacks {
    fn report(&self, errors: Vec<KeetLinkError>) {
        match &self.on_validation_error {
            Some(callback) => callback(errors),
            None => {
                for error in errors {
                    leptos::logging::error!("keet-link: {} ({})", error.message, error.code);
                }
            }
        }
    }
}

impl Host for RustCallbacks {
    fn notify(&self, notification: Notification) {
        match notification {
            Notification::Load => {
                if let Some(callback) = &self.on_load {
                    callback();
                }
            }
            Notification::Success {
                public_token,
                metadata,
            } => (self.on_success)(public_token.expose().to_owned(), metadata),
            Notification::ValidationError(errors) => self.report(errors),
            Notification::Exit { error, metadata } => {
                if let Some(callback) = &self.on_exit {
                    callback(error, metadata);
                }
            }
            Notification::Event { name, metadata } => {
                if let Some(callback) = &self.on_event {
                    callback(name, metadata);
                }
            }
            Notification::Warn(message) => leptos::logging::warn!("{message}"),
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
    let callbacks = options.callbacks;
    let base_url = options
        .api_base_url
        .as_deref()
        .map_or(Ok(DEFAULT_API_BASE_URL.to_owned()), check_api_base_url);
    let locale_check = options.locale.as_deref().map_or(Ok(()), check_locale);
    let accent_check = options
        .look
        .accent_color
        .as_deref()
        .map_or(Ok(()), check_accent_color);
    let checks = (
        check_link_token(options.link_token.expose())
            .and(locale_check)
            .and(accent_check),
        base_url,
    );
    let (running, ready) = match (checks, options.isolation) {
        ((Ok(()), Ok(base_url)), Isolation::None) => {
            let locale = super::dom::preferred_locale(options.locale.as_deref());
            let widget = Widget::create(
                Settings {
                    api_base_url: base_url,
                    link_token: Some(options.link_token),
                    can_renew: false,
                    locale,
                    look: options.look,
                    isolated: false,
                },
                Box::new(callbacks),
            );
            let flow = widget.flow;
            let ready =
                Signal::derive(move || flow.try_with(crate::flow::Flow::is_ready).unwrap_or(false));
            (Some(Running::InPage(widget)), ready)
        }
        ((Ok(()), Ok(base_url)), Isolation::Frame) => {
            let ready = RwSignal::new(false);
            let framed = framed::FramedWidget::create(
                options.link_token.expose(),
                &base_url,
                options.locale.as_deref(),
                &options.look,
                callbacks,
                ready,
            );
            (Some(Running::Framed(framed)), ready.into())
        }
        ((token, base_url), _) => {
            callbacks.report(token.err().into_iter().chain(base_url.err()).collect());
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
    use serde::de::DeserializeOwned;
    use wasm_bindgen::prelude::*;

    use super::{Host, RustCallbacks};
    use crate::config::Look;
    use crate::flow::Notification;

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

    fn from_js<T: DeserializeOwned>(value: JsValue) -> Option<T> {
        serde_wasm_bindgen::from_value(value).ok()
    }

    impl FramedWidget {
        pub(super) fn create(
            link_token: &str,
            api_base_url: &str,
            locale: Option<&str>,
            look: &Look,
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
            set("linkToken", &link_token.into());
            set("apiBaseUrl", &api_base_url.into());
            set("isolation", &"frame".into());
            if let Some(locale) = locale {
                set("locale", &locale.into());
            }
            set("appearance", &look.appearance.as_str().into());
            if let Some(colour) = &look.accent_color {
                set("accentColor", &colour.into());
            }
            let mut closures: Vec<Box<dyn Any>> = Vec::new();
            let on_success = {
                let notify = notify.clone();
                Closure::<dyn Fn(JsValue, JsValue)>::new(move |token: JsValue, metadata| {
                    notify(token.as_string().zip(from_js(metadata)).map(
                        |(public_token, metadata)| Notification::Success {
                            public_token: public_token.into(),
                            metadata,
                        },
                    ));
                })
            };
            set("onSuccess", on_success.as_ref());
            closures.push(Box::new(on_success));
            let on_validation_error = {
                let notify = notify.clone();
                Closure::<dyn Fn(JsValue)>::new(move |errors| {
                    notify(from_js(errors).map(Notification::ValidationError));
                })
            };
            set("onValidationError", on_validation_error.as_ref());
            closures.push(Box::new(on_validation_error));
            let on_exit = {
                let notify = notify.clone();
                Closure::<dyn Fn(JsValue, JsValue)>::new(move |error, metadata| {
                    notify(from_js(metadata).map(|metadata| Notification::Exit {
                        error: from_js(error).flatten(),
                        metadata,
                    }));
                })
            };
            set("onExit", on_exit.as_ref());
            closures.push(Box::new(on_exit));
            let on_event = {
                let notify = notify.clone();
                Closure::<dyn Fn(JsValue, JsValue)>::new(move |name, metadata| {
                    notify(
                        from_js(name)
                            .zip(from_js(metadata))
                            .map(|(name, metadata)| Notification::Event { name, metadata }),
                    );
                })
            };
            set("onEvent", on_event.as_ref());
            closures.push(Box::new(on_event));
            let on_load = Closure::<dyn Fn()>::new(move || notify(Some(Notification::Load)));
            set("onLoad", on_load.as_ref());
            closures.push(Box::new(on_load));
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

/// An "Open Link" button that runs the whole flow, for Leptos apps.
#[component]
pub fn KeetLink(
    /// The `link_…` token your backend created.
    #[prop(into)]
    link_token: String,
    /// Receives the public token to exchange on your backend, exactly once.
    on_success: impl Fn(String, SuccessMetadata) + 'static,
    /// The API to talk to (default `https://api.trykeet.com`).
    #[prop(optional, into)]
    api_base_url: Option<String>,
    /// Called when the user closes the modal or the flow ends in an error.
    #[prop(optional)]
    on_exit: Option<ExitCallback>,
    /// Called when the config or the link token is refused.
    #[prop(optional)]
    on_validation_error: Option<ValidationErrorCallback>,
    /// Called at every step of the flow.
    #[prop(optional)]
    on_event: Option<EventCallback>,
    /// Called once, when the widget becomes ready.
    #[prop(optional)]
    on_load: Option<Box<dyn Fn()>>,
    /// The end user's language (default: the browser's).
    #[prop(optional, into)]
    locale: Option<String>,
    /// Light, dark, or the system's (the default).
    #[prop(optional)]
    appearance: Appearance,
    /// `#RRGGBB` for the buttons and badge instead of the integration's colour.
    #[prop(optional, into)]
    accent_color: Option<String>,
    /// Where the modal runs (default [`Isolation::Frame`]).
    #[prop(optional)]
    isolation: Isolation,
    /// The button's text (default "Open Link").
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let mut options = KeetLinkOptions::new(link_token, on_success);
    if let Some(url) = api_base_url {
        options = options.api_base_url(url);
    }
    if let Some(tag) = locale {
        options = options.locale(tag);
    }
    if let Some(colour) = accent_color {
        options = options.accent_color(colour);
    }
    options = options.appearance(appearance);
    if let Some(callback) = on_exit {
        options = options.on_exit(callback);
    }
    if let Some(callback) = on_validation_error {
        options = options.on_validation_error(callback);
    }
    if let Some(callback) = on_event {
        options = options.on_event(callback);
    }
    if let Some(callback) = on_load {
        options = options.on_load(callback);
    }
    let link = use_keet_link(options.isolation(isolation));
    view! {
        <button type="button" data-testid="keet-link-button"
            disabled=move || !link.is_ready() on:click=move |_| link.open()>
            {label.unwrap_or_else(|| "Open Link".to_owned())}
        </button>
    }
}
