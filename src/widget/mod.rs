//! The browser shell: performs the [`Flow`]'s effects with `fetch`, timers
//! and the DOM, and renders it with Leptos inside a shadow root.
//!
//! Ownership: a [`Widget`] owns its shadow host, its reactive owner (the
//! view's effects and listeners), its
//! in-flight requests and its timers. The JS handle (or the Rust
//! [`native::KeetLinkHandle`]) owns the widget; while the modal is open the
//! widget also holds itself in [`OPEN_WIDGETS`], so that a host that dropped
//! its handle never has an open modal garbage-collected from under the user.
//! `destroy()` (or dropping the last owner) tears everything down.

mod dom;
// The link frame's side of the port; only the frame's build has it.
#[cfg(feature = "frame-app")]
pub mod frame;
mod host;
mod http;
// The host API; the link frame's build has none (its host is the port).
#[cfg(not(feature = "frame-app"))]
pub mod js;
pub mod native;
mod view;

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};
use std::time::Duration;

use crate::secret::Secret;
use leptos::prelude::*;

use crate::config::{GivenLinkToken, HostConfig, Look};
use crate::flow::{Effect, Flow, Input, Request};
use crate::i18n::Locale;
use crate::protocol::{is_loopback_url, paths, ExitRequest, SubmitRequest};

pub use host::Host;

thread_local! {
    /// Widgets whose modal is on screen: kept alive by the page, not by the host.
    static OPEN_WIDGETS: RefCell<Vec<Rc<Widget>>> = const { RefCell::new(Vec::new()) };
    static NEXT_INSTANCE: Cell<u32> = const { Cell::new(1) };
    /// Every mounted widget by its instance number, as the view finds it
    /// ([`Actions`]); each goes when its widget is dropped.
    static MOUNTED: RefCell<Vec<(u32, Weak<Widget>)>> = const { RefCell::new(Vec::new()) };
}

/// What a widget is made with, whichever host API made it (the JS handle,
/// the link frame, the Leptos API), every option already checked.
pub(crate) struct Settings {
    /// The API, without a trailing `/`.
    pub api_base_url: String,
    /// In the link frame: the origin of the page that embeds it, which
    /// every call names to the API ([`crate::protocol::EMBEDDER_ORIGIN_HEADER`]).
    pub embedder_origin: Option<String>,
    /// `link_…`; `None` when the host's `linkToken` function gives the first one.
    pub link_token: Option<Secret>,
    /// The host gave a `linkToken` function: an expired token is renewed.
    pub can_renew: bool,
    /// The language the modal speaks, and asks the API for.
    pub locale: Locale,
    /// Light or dark, and the accent colour.
    pub look: Look,
    /// Runs in the link frame, where the host page cannot see what is typed.
    pub isolated: bool,
    /// In the link frame: the session request `frame.js` sent early.
    pub early_session: Option<http::EarlySession>,
}

impl Settings {
    /// The settings of a config [read](HostConfig::read), for the API at
    /// `api_base_url`; the link token moves out of `config`.
    pub(crate) fn from_config(
        config: &mut HostConfig,
        api_base_url: String,
        embedder_origin: Option<String>,
        isolated: bool,
    ) -> Self {
        let (link_token, can_renew) = match config.take_link_token() {
            GivenLinkToken::Token(token) => (Some(token), false),
            GivenLinkToken::Function => (None, true),
            GivenLinkToken::None => (None, false),
        };
        Self {
            api_base_url,
            embedder_origin,
            link_token,
            can_renew,
            locale: dom::preferred_locale(config.locale()),
            look: config.look(),
            isolated,
            early_session: None,
        }
    }
}

/// How long after the modal is shown its cover watch starts (Chromium's
/// "recently moved" window for frames that observe with `trackVisibility`
/// is 500 ms).
const COVER_WATCH_DELAY_MS: f64 = 600.0;

/// One widget instance: a flow, its modal and everything they hold.
pub struct Widget {
    this: Weak<Widget>,
    /// Its number among the page's widgets, once its modal is mounted.
    instance: Cell<u32>,
    owner: Owner,
    flow: ArcRwSignal<Flow>,
    host: Box<dyn Host>,
    api: Rc<http::Api>,
    frame: RefCell<Option<dom::Frame>>,
    // A handful at most: vectors cost less wasm than hash maps.
    requests: RefCell<Vec<(u32, http::InFlight)>>,
    next_request: Cell<u32>,
    /// The one wake-up for the flow's next deadline
    /// ([`Flow::poll_timeout`]), with that deadline.
    wake: RefCell<Option<(Duration, gloo_timers::callback::Timeout)>>,
    /// Moving focus once the view has made the new screen.
    focus: RefCell<Option<gloo_timers::callback::Timeout>>,
    page: RefCell<Option<dom::PageState>>,
    /// Whether the host page covers the framed dialog (where the browser
    /// can tell): on the dialog on screen, while the modal is shown.
    cover: RefCell<Option<dom::VisibilityWatch>>,
    /// When the modal was last shown (`Date.now()`), and the wait before
    /// its first watch: see [`Widget::watch_cover`].
    shown_at: Cell<f64>,
    cover_wait: RefCell<Option<gloo_timers::callback::Timeout>>,
    /// Runs in the link frame, where the host page cannot see what is typed.
    isolated: bool,
    /// Light or dark, and the accent colour.
    look: Look,
}

impl Widget {
    /// Creates a widget, mounts its (closed) modal and starts loading the session.
    pub(crate) fn create(settings: Settings, host: Box<dyn Host>) -> Rc<Self> {
        let Settings {
            api_base_url,
            embedder_origin,
            link_token,
            can_renew,
            locale,
            look,
            isolated,
            early_session,
        } = settings;
        let owner = Owner::new();
        let (mut flow, first_effects) = if can_renew {
            Flow::start_renewable(locale, link_token.is_some())
        } else {
            Flow::start(locale)
        };
        // A logo or help link on this machine is the sandbox's: only a
        // widget that talks to a local API follows one.
        flow.allow_loopback_links(is_loopback_url(&api_base_url));
        let widget = Rc::new_cyclic(|this: &Weak<Widget>| {
            let flow = ArcRwSignal::new(flow);
            Widget {
                this: this.clone(),
                instance: Cell::new(0),
                owner,
                flow,
                host,
                api: Rc::new(http::Api::new(
                    api_base_url,
                    embedder_origin,
                    link_token.unwrap_or_default(),
                    locale,
                    early_session,
                )),
                frame: RefCell::new(None),
                requests: RefCell::new(Vec::new()),
                next_request: Cell::new(0),
                wake: RefCell::new(None),
                focus: RefCell::new(None),
                page: RefCell::new(None),
                cover: RefCell::new(None),
                shown_at: Cell::new(0.0),
                cover_wait: RefCell::new(None),
                isolated,
                look,
            }
        });
        // The session's request first: the (closed) modal is mounted while
        // it is on the network, not before it starts.
        widget.perform(first_effects);
        widget.mount_view();
        widget
    }

    fn mount_view(&self) {
        let instance = NEXT_INSTANCE.with(|n| {
            let id = n.get();
            n.set(id.wrapping_add(1));
            id
        });
        let frame = match dom::Frame::attach(instance) {
            Ok(frame) => frame,
            Err(error) => {
                web_sys::console::error_2(&"keet-link: could not create its modal:".into(), &error);
                return;
            }
        };
        let flow = self.flow.clone();
        let isolated = self.isolated;
        let appearance = self.look.appearance;
        MOUNTED.with_borrow_mut(|mounted| mounted.push((instance, self.this.clone())));
        self.instance.set(instance);
        let actions = Actions(instance);
        self.owner.with(|| {
            view::mount_modal(
                frame.container.clone().into(),
                flow,
                actions,
                isolated,
                appearance,
            )
        });
        *self.frame.borrow_mut() = Some(frame);
    }

    /// True once the session was fetched and validated, until the flow ends.
    pub fn is_ready(&self) -> bool {
        self.flow
            .try_with_untracked(Flow::is_ready)
            .unwrap_or(false)
    }

    /// True while the modal is on screen.
    pub fn is_open(&self) -> bool {
        self.flow.try_with_untracked(Flow::is_open).unwrap_or(false)
    }

    /// True after `destroy()`: the flow says so, or its signal is already
    /// disposed with the widget's reactive owner.
    fn is_destroyed(&self) -> bool {
        self.flow
            .try_with_untracked(Flow::is_destroyed)
            .unwrap_or(true)
    }

    /// Shows the modal (a warned no-op before ready or after the end).
    pub fn open(&self) {
        self.dispatch_or_warn(
            Input::Open,
            "keet-link: open() was called after destroy(); nothing happened",
        );
    }

    /// Closes the modal as the user would; `onExit` fires.
    pub fn exit(&self) {
        self.dispatch_or_warn(
            Input::Close,
            "keet-link: exit() was called after destroy(); nothing happened",
        );
    }

    fn dispatch_or_warn(&self, input: Input, warning: &str) {
        if self.is_destroyed() {
            web_sys::console::warn_1(&warning.into());
        } else {
            self.dispatch(input);
        }
    }

    /// Hands `input` to the flow with the time, performs the effects, then
    /// sets the wake-up for the flow's next deadline. The flow is not
    /// borrowed while effects run, so host callbacks may call back in.
    pub(crate) fn dispatch(&self, input: Input) {
        if self.is_destroyed() {
            return;
        }
        let now = http::clock_now();
        let effects = self.flow.try_update(|flow| flow.handle(input, now));
        if let Some(effects) = effects {
            self.perform(effects);
            self.set_wake(now);
            // Some changes of readiness come with no notification (a session
            // reloaded after a close mid-submit).
            if !self.is_destroyed() {
                self.host.ready_state(self.is_ready());
            }
        }
    }

    fn perform(&self, effects: Vec<Effect>) {
        for effect in effects {
            let live = !self.is_destroyed();
            match effect {
                Effect::Send(request) if live => self.send(request),
                Effect::AbortRequests => self.abort_requests(),
                Effect::Notify(notification) => {
                    self.host.ready_state(self.is_ready());
                    self.host.notify(notification);
                }
                Effect::ShowModal if live => self.show_modal(),
                Effect::HideModal => self.hide_modal(),
                Effect::MoveFocus if live => {
                    // After the view has made the new screen (its render
                    // effect runs a microtask later): a task, not one of
                    // the flow's deadlines.
                    let this = self.this.clone();
                    *self.focus.borrow_mut() =
                        Some(gloo_timers::callback::Timeout::new(0, move || {
                            if let Some(widget) = this.upgrade() {
                                widget.focus.borrow_mut().take();
                                widget.move_focus();
                                widget.watch_cover();
                            }
                        }));
                }
                Effect::RenewToken if live => self.host.renew_token(self.this.clone()),
                _ => {}
            }
        }
    }

    /// The host's answer to [`Effect::RenewToken`]: what its `linkToken`
    /// function gave, or why it gave nothing. A value that is not a link
    /// token is refused here, whoever sent it; a token nobody asked for
    /// (a late answer after a close) is not used.
    pub(crate) fn token_arrived(&self, token: Result<Secret, &'static str>) {
        if !self
            .flow
            .try_with_untracked(Flow::awaits_token)
            .unwrap_or(false)
        {
            return;
        }
        let checked = token.and_then(|token| {
            crate::config::check_link_token(token.expose())
                .map(|()| token)
                .map_err(|_| crate::config::TOKEN_FUNCTION_GAVE_NO_TOKEN)
        });
        match checked {
            Ok(token) => {
                self.api.use_token(token);
                self.dispatch(Input::TokenRenewed);
            }
            Err(reason) => self.dispatch(Input::TokenRenewalFailed(reason)),
        }
    }

    /// Moves focus into the open modal (first invalid field, first field, …).
    pub(crate) fn move_focus(&self) {
        if let Some(frame) = self.frame.borrow().as_ref() {
            frame.move_focus();
        }
    }

    /// The host page's hand-over of focus (the link frame's `focus`): moves
    /// focus into the modal, unless it is there already (the user may be
    /// typing).
    #[cfg(feature = "frame-app")]
    pub(crate) fn take_focus_from_host(&self) {
        if let Some(frame) = self.frame.borrow().as_ref() {
            if !frame.has_focus() {
                frame.move_focus();
            }
        }
    }

    /// Keeps one wake-up, for the flow's next deadline: a new deadline
    /// replaces (and so cancels) the old wake-up, and none drops it. The
    /// delay counts from `now`, the time the flow was told, so a timer
    /// started in this dispatch waits exactly what the flow asked for (a
    /// wake-up is never early for being set a moment after).
    fn set_wake(&self, now: Duration) {
        let deadline = self.flow.try_with_untracked(Flow::poll_timeout).flatten();
        let mut wake = self.wake.borrow_mut();
        if wake.as_ref().map(|(at, _)| *at) == deadline {
            return;
        }
        *wake = deadline.map(|at| {
            let this = self.this.clone();
            // Rounded up to the millisecond: a wake-up a fraction early
            // would find nothing due and have to wake again.
            let after = at.saturating_sub(now) + Duration::from_nanos(999_999);
            let timeout = gloo_timers::callback::Timeout::new(http::millis(after), move || {
                if let Some(widget) = this.upgrade() {
                    widget.wake.borrow_mut().take();
                    widget.dispatch(Input::Timeout);
                }
            });
            (at, timeout)
        });
    }

    fn send(&self, request: Request) {
        let prepared = match &request {
            Request::Session => self.api.prepare("GET", paths::SESSION, None, None),
            Request::Submit {
                idempotency_key,
                body,
            } => self
                .api
                .prepare("POST", paths::SUBMIT, Some(body), Some(idempotency_key)),
            Request::Exit(reason) => self.api.prepare(
                "POST",
                paths::EXIT,
                Some(&ExitRequest { reason: *reason }),
                None,
            ),
            Request::Resend { idempotency_key } => {
                self.api
                    .prepare("POST", paths::RESEND, None, Some(idempotency_key))
            }
            // Every poll is a new question, under a new key.
            Request::Poll { step_id } => self.api.prepare(
                "POST",
                paths::SUBMIT,
                Some(&SubmitRequest {
                    step_id: step_id.clone(),
                    values: Default::default(),
                }),
                Some(&new_idempotency_key()),
            ),
        };
        let Ok((call, in_flight)) = prepared else {
            web_sys::console::error_1(&"keet-link: could not prepare a request".into());
            return;
        };
        let id = self.next_request.get().wrapping_add(1);
        self.next_request.set(id);
        self.requests.borrow_mut().push((id, in_flight));
        let this = self.this.clone();
        let finished = move || {
            let widget = this.upgrade()?;
            widget.requests.borrow_mut().retain(|(held, _)| *held != id);
            Some(widget)
        };
        wasm_bindgen_futures::spawn_local(async move {
            let outcome = call.send().await;
            if let Some(widget) = finished() {
                if let Some(input) = outcome_input(&request, outcome) {
                    widget.dispatch(input);
                }
            }
        });
    }

    fn abort_requests(&self) {
        for (_, request) in self.requests.borrow_mut().drain(..) {
            request.abort();
        }
    }

    /// Aborts every request and drops every wake-up (dropping a gloo
    /// `Timeout` cancels it): for the end of the widget.
    fn release_all(&self) {
        self.abort_requests();
        self.wake.borrow_mut().take();
        self.focus.borrow_mut().take();
    }

    fn show_modal(&self) {
        if let Some(frame) = self.frame.borrow().as_ref() {
            // The host's accent colour, else the integration's.
            let accent = self.look.accent_color.clone().or_else(|| {
                self.flow
                    .with_untracked(|f| f.session().map(|s| s.brand_color.clone()))
            });
            if let Some(accent) = accent {
                dom::set_style_property(&frame.host, "--brand", &accent);
                dom::set_style_property(
                    &frame.host,
                    "--on-brand",
                    crate::colour::readable_text_on(&accent),
                );
            }
        }
        if self.page.borrow().is_none() {
            *self.page.borrow_mut() = Some(dom::PageState::take());
            self.shown_at.set(js_sys::Date::now());
        }
        if let Some(this) = self.this.upgrade() {
            OPEN_WIDGETS.with(|open| open.borrow_mut().push(this));
        }
        self.host.modal_shown(true);
    }

    /// Watches the dialog on screen for something of the host page's over
    /// it, in the link frame: a new screen is a new dialog element.
    ///
    /// Not in the first [`COVER_WATCH_DELAY_MS`] after the modal is shown:
    /// Chromium discards input to a cross-origin frame that moved in the
    /// last 500 ms while the frame observes with `trackVisibility`, and
    /// showing the modal moves the frame, so a quick first click would be
    /// lost.
    fn watch_cover(&self) {
        if !self.isolated || self.page.borrow().is_none() {
            return;
        }
        let waited = js_sys::Date::now() - self.shown_at.get();
        if waited < COVER_WATCH_DELAY_MS {
            let this = self.this.clone();
            let rest = (COVER_WATCH_DELAY_MS - waited).ceil() as u32;
            *self.cover_wait.borrow_mut() =
                Some(gloo_timers::callback::Timeout::new(rest, move || {
                    if let Some(widget) = this.upgrade() {
                        widget.cover_wait.borrow_mut().take();
                        widget.watch_cover();
                    }
                }));
            return;
        }
        let dialog = self
            .frame
            .borrow()
            .as_ref()
            .and_then(|frame| frame.shadow.query_selector(".dialog").ok().flatten());
        let Some(dialog) = dialog else { return };
        if self
            .cover
            .borrow()
            .as_ref()
            .is_some_and(|watch| watch.watches(&dialog))
        {
            return;
        }
        let this = self.this.clone();
        let report = move |covered| {
            if let Some(widget) = this.upgrade() {
                widget.dispatch(Input::Covered(covered));
            }
        };
        // The old watch (on the dialog of the screen before) goes first.
        drop(self.cover.borrow_mut().take());
        let watch = dom::VisibilityWatch::start(dialog, Box::new(report));
        *self.cover.borrow_mut() = watch;
    }

    fn hide_modal(&self) {
        // A focus move into the modal that has not happened yet never will.
        self.focus.borrow_mut().take();
        self.cover_wait.borrow_mut().take();
        drop(self.cover.borrow_mut().take());
        let page = self.page.borrow_mut().take();
        if let Some(page) = page {
            page.restore();
            self.host.modal_shown(false);
        }
        self.release_keep_alive();
    }

    fn release_keep_alive(&self) {
        let me = self.this.as_ptr();
        // Take our own entry out first and drop it after the borrow ends: it
        // may be the last strong reference.
        let removed: Vec<Rc<Widget>> = OPEN_WIDGETS.with(|open| {
            let mut open = open.borrow_mut();
            let (mine, others): (Vec<_>, Vec<_>) =
                open.drain(..).partition(|w| Rc::as_ptr(w) == me);
            *open = others;
            mine
        });
        drop(removed);
    }

    /// Removes every node, listener, timer and request; a success already
    /// earned is still handed to `onSuccess`. Idempotent.
    pub fn destroy(&self) {
        if self.is_destroyed() {
            return;
        }
        let now = http::clock_now();
        let effects = self
            .flow
            .try_update(|flow| flow.handle(Input::Destroy, now))
            .unwrap_or_default();
        self.perform(effects);
        self.release_all();
        self.hide_modal();
        if let Some(frame) = self.frame.borrow_mut().take() {
            frame.detach();
        }
        // The view (under the reactive owner) is cleaned up a tick later:
        // this may run inside one of the view's own event handlers.
        let owner = self.owner.clone();
        wasm_bindgen_futures::spawn_local(async move { owner.cleanup() });
    }
}

impl Drop for Widget {
    fn drop(&mut self) {
        let instance = self.instance.get();
        MOUNTED.with_borrow_mut(|mounted| mounted.retain(|(mounted, _)| *mounted != instance));
        // destroy() ran and released everything; else release it all now
        // (the reactive owner may have gone with a parent's, before any
        // destroy(): each step is a no-op when already done).
        if self.flow.try_with_untracked(Flow::is_destroyed) != Some(true) {
            // Its effects are not performed: no host is listening any more.
            let now = http::clock_now();
            drop(
                self.flow
                    .try_update(|flow| flow.handle(Input::Destroy, now)),
            );
            self.release_all();
            if let Some(page) = self.page.get_mut().take() {
                page.restore();
            }
            if let Some(frame) = self.frame.get_mut().take() {
                frame.detach();
            }
            self.owner.cleanup();
        }
    }
}

/// The input that reports an answer (or a failure) to the flow.
/// What the flow hears of `request`'s outcome: its answer read as the type
/// that request expects, or why it failed; nothing when it was cancelled,
/// nor for an exit, whose answer changes nothing (the flow has ended). One
/// plain function, so that the wasm has one future for every request.
fn outcome_input(
    request: &Request,
    outcome: http::Outcome<wasm_bindgen::JsValue>,
) -> Option<Input> {
    fn tell<T: crate::protocol::read::Read>(
        outcome: http::Outcome<wasm_bindgen::JsValue>,
        answered: fn(T) -> Input,
        failed: fn(crate::flow::Failure) -> Input,
    ) -> Option<Input> {
        match outcome.read() {
            http::Outcome::Answer(answer) => Some(answered(answer)),
            http::Outcome::Failed(failure) => Some(failed(failure)),
            http::Outcome::Cancelled => None,
        }
    }
    match request {
        Request::Session => tell(outcome, Input::SessionLoaded, Input::SessionFailed),
        Request::Submit { .. } | Request::Poll { .. } => {
            tell(outcome, Input::SubmitSucceeded, Input::SubmitFailed)
        }
        Request::Resend { .. } => tell(outcome, Input::ResendSucceeded, Input::ResendFailed),
        Request::Exit(_) => None,
    }
}

/// The widget the view sends its actions to, by its instance number: a
/// `Copy` handle, as the view's closures want, that never keeps the widget
/// alive (a stored value in Leptos's arena was kilobytes more of the wasm).
#[derive(Clone, Copy)]
pub(crate) struct Actions(u32);

/// Runs `action` on the widget behind `actions`, if it still exists.
pub(crate) fn with_widget(actions: Actions, action: impl FnOnce(&Widget)) {
    let widget = MOUNTED.with_borrow(|mounted| {
        let (_, widget) = mounted
            .iter()
            .find(|(instance, _)| *instance == actions.0)?;
        widget.upgrade()
    });
    if let Some(widget) = widget {
        action(&widget);
    }
}

/// Handles a key press inside the dialog: Escape closes, Tab stays inside.
pub(crate) fn on_dialog_key(widget: &Widget, event: &web_sys::KeyboardEvent) {
    match event.key().as_str() {
        "Escape" => {
            event.prevent_default();
            widget.exit();
        }
        "Tab" => {
            if let Some(frame) = widget.frame.borrow().as_ref() {
                frame.trap_tab(event);
            }
        }
        _ => {}
    }
}

/// A fresh UUID v4 from `crypto.getRandomValues`.
pub(crate) fn new_idempotency_key() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        // No Web Crypto: the key still only needs to be unique per user action.
        let now = js_sys::Date::now().to_bits().to_le_bytes();
        let noise = (js_sys::Math::random().to_bits()).to_le_bytes();
        bytes[..8].copy_from_slice(&now);
        bytes[8..].copy_from_slice(&noise);
    }
    crate::protocol::uuid_v4(bytes)
}
