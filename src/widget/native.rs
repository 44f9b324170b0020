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

use leptos::prelude::*;
use zeroize::Zeroizing;

use super::host::Host;
use super::Widget;
use crate::config::{check_api_base_url, check_link_token, DEFAULT_API_BASE_URL};
use crate::flow::{EventMetadata, EventName, ExitMetadata, KeetLinkError, Notification};
use crate::protocol::SuccessMetadata;

/// `on_exit(error, metadata)`, as the `<KeetLink/>` component takes it.
pub type ExitCallback = Box<dyn Fn(Option<KeetLinkError>, ExitMetadata)>;
/// `on_validation_error(errors)`, as the `<KeetLink/>` component takes it.
pub type ValidationErrorCallback = Box<dyn Fn(Vec<KeetLinkError>)>;

/// What a Leptos app passes to [`use_keet_link`]: a link token, `on_success`,
/// and optional callbacks, set with the builder methods.
pub struct KeetLinkOptions {
    link_token: Zeroizing<String>,
    api_base_url: Option<String>,
    callbacks: RustCallbacks,
}

impl std::fmt::Debug for KeetLinkOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeetLinkOptions")
            .field("link_token", &"[redacted]")
            .field("api_base_url", &self.api_base_url)
            .finish_non_exhaustive()
    }
}

impl KeetLinkOptions {
    /// Options for `link_token`, calling `on_success(public_token, metadata)` once.
    pub fn new(
        link_token: impl Into<String>,
        on_success: impl Fn(String, SuccessMetadata) + 'static,
    ) -> Self {
        Self {
            link_token: Zeroizing::new(link_token.into()),
            api_base_url: None,
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
            } => (self.on_success)(public_token, metadata),
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

/// A widget for a Leptos app. `Copy`, so it can go into any closure of a view.
#[derive(Clone, Copy)]
pub struct KeetLinkHandle {
    widget: StoredValue<Option<Rc<Widget>>, LocalStorage>,
    ready: Signal<bool>,
}

impl KeetLinkHandle {
    /// Reactive: true once the session was fetched and validated.
    pub fn is_ready(&self) -> bool {
        self.ready.get()
    }

    /// Shows the modal (a warned no-op before ready).
    pub fn open(&self) {
        self.with_widget(Widget::open);
    }

    /// Closes the modal as the user would; `on_exit` fires.
    pub fn exit(&self) {
        self.with_widget(Widget::exit);
    }

    /// Removes everything the widget made; idempotent. Unmounting the
    /// component that called [`use_keet_link`] does this too.
    pub fn destroy(&self) {
        self.with_widget(Widget::destroy);
    }

    fn with_widget(&self, action: fn(&Widget)) {
        match self
            .widget
            .try_with_value(|widget| widget.clone())
            .flatten()
        {
            Some(widget) => action(&widget),
            None => leptos::logging::warn!(
                "keet-link: this handle has no widget (invalid options, or unmounted)"
            ),
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
    let checks = (check_link_token(&options.link_token), base_url);
    let widget = match checks {
        (Ok(()), Ok(base_url)) => Some(Widget::create(
            base_url,
            options.link_token,
            Box::new(callbacks),
            false,
        )),
        (token, base_url) => {
            callbacks.report(token.err().into_iter().chain(base_url.err()).collect());
            None
        }
    };
    let flow = widget.as_ref().map(|w| w.flow);
    let ready = Signal::derive(move || {
        flow.and_then(|flow| flow.try_with(crate::flow::Flow::is_ready))
            .unwrap_or(false)
    });
    let widget = StoredValue::new_local(widget);
    on_cleanup(move || {
        if let Some(Some(widget)) = widget.try_with_value(Clone::clone) {
            widget.destroy();
        }
    });
    KeetLinkHandle { widget, ready }
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
    /// The button's text (default "Open Link").
    #[prop(optional, into)]
    label: Option<String>,
) -> impl IntoView {
    let mut options = KeetLinkOptions::new(link_token, on_success);
    if let Some(url) = api_base_url {
        options = options.api_base_url(url);
    }
    if let Some(callback) = on_exit {
        options = options.on_exit(callback);
    }
    if let Some(callback) = on_validation_error {
        options = options.on_validation_error(callback);
    }
    let link = use_keet_link(options);
    view! {
        <button type="button" data-testid="keet-link-button"
            disabled=move || !link.is_ready() on:click=move |_| link.open()>
            {label.unwrap_or_else(|| "Open Link".to_owned())}
        </button>
    }
}
