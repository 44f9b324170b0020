//! The link frame's side of the host–frame protocol ([`crate::host_frame`]).
//!
//! The frame page's `frame.js` does the handshake: it greets `window.parent`,
//! accepts a port only from it, and hands that port to [`start_frame`] once
//! the wasm has loaded (a `MessagePort` queues messages until then). From
//! here on, the port is the only way in or out: the host sends `init` with
//! the link token, then `open`, `exit`, `focus` and `destroy`; the frame
//! answers with `shown`, `hidden` and one `callback` message per host callback.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::secret::Secret;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{MessageEvent, MessagePort};

use super::host::{plain, Host};
use super::http::EarlySession;
use super::{Settings, Widget};
use crate::config::{Given, HostConfig, Scope, LINK_TOKEN};
use crate::flow::Notification;
use crate::host_frame::{FrameSide, HostMessage, FRAME_PATH};

/// Runs the frame on `port`, the one the host transferred in the handshake,
/// for the page at `embedder_origin` (the `connect` message's origin, which
/// that page cannot forge): the API hears it with every call, and refuses
/// a page not registered for the key.
/// The frame page holds one port for its whole life, so the listener is
/// never removed: when the host removes the iframe, the page and all of it go.
///
/// `earlier`: what the host sent on the port before the wasm ran, in order,
/// which `frame.js` read to ask for the session early; `early_session`:
/// that request, `{ url, response }`, or `undefined` (DECISIONS S11);
/// `words`: where each locale's words file is, by tag, for a build that
/// has only English in it (DECISIONS S13).
#[wasm_bindgen(js_name = startFrame)]
pub fn start_frame(
    port: MessagePort,
    embedder_origin: String,
    earlier: js_sys::Array,
    early_session: JsValue,
    words: JsValue,
) {
    // The words of the language the early answer is in, `{ tag, text }`,
    // which frame.js asked for beside the wasm. `early_session` is frame.js's
    // own: undefined, or an object whose `words` and `response` are promises,
    // so they are taken as such unchecked.
    let early_words = Reflect::get(&early_session, &"words".into())
        .ok()
        .map(JsCast::unchecked_into::<js_sys::Promise>);
    let early_session = EarlySession::read(&early_session);
    let frame = Rc::new(FrameSession {
        port: port.clone(),
        side: Rc::new(RefCell::new(FrameSide::new())),
        widget: RefCell::new(None),
        embedder_origin,
        early_session: RefCell::new(early_session),
        words,
        early_words: RefCell::new(early_words),
        held: RefCell::new(None),
    });
    for message in earlier.iter() {
        frame.receive(&message);
    }
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        frame.receive(&event.data());
    });
    port.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
}

struct FrameSession {
    port: MessagePort,
    /// Shared with the widget's [`PortHost`], which tells it when the modal
    /// is shown (and so owes the host one `focus`).
    side: Rc<RefCell<FrameSide>>,
    widget: RefCell<Option<Rc<Widget>>>,
    embedder_origin: String,
    /// For the widget `init` makes.
    early_session: RefCell<Option<EarlySession>>,
    /// `frame.js`'s map of words files, by locale tag.
    words: JsValue,
    /// The promise of `{ tag, text }`: the words file `frame.js` fetched for
    /// the language of the early session's answer, if it did.
    early_words: RefCell<Option<js_sys::Promise>>,
    /// What the host sends while the locale's words load: `init` waits for
    /// them, and everything after it waits for `init`.
    held: RefCell<Option<Vec<JsValue>>>,
}

impl FrameSession {
    fn receive(self: &Rc<Self>, data: &JsValue) {
        if let Some(held) = self.held.borrow_mut().as_mut() {
            held.push(data.clone());
            return;
        }
        let field = |name: &str| {
            if data.is_object() {
                Reflect::get(data, &name.into())
                    .ok()
                    .and_then(|v| v.as_string().or_else(|| v.as_bool().map(|b| b.to_string())))
            } else {
                None
            }
        };
        let message = HostMessage::parse(field);
        let accepted = self.side.borrow_mut().accept(message);
        self.show_ignored_count();
        let Some(message) = accepted else { return };
        // Clone the widget out first: its callbacks may post and re-enter.
        let widget = self.widget.borrow().clone();
        match (message, widget) {
            (
                HostMessage::Init {
                    link_token,
                    can_renew,
                    options,
                },
                _,
            ) => self.init(link_token, can_renew, &options),
            (HostMessage::Token(token), Some(widget)) => {
                widget.token_arrived(token.map_err(|problem| problem.reason()))
            }
            (HostMessage::Open, Some(widget)) => {
                widget.open();
                // Always answer an open: `shown` came from the widget if it
                // opened; if it did not (not ready after all), say `hidden`,
                // or the host would wait for it forever.
                if !widget.is_open() {
                    post_kind(&self.port, "hidden");
                }
            }
            (HostMessage::Exit, Some(widget)) => widget.exit(),
            (HostMessage::Focus, Some(widget)) => widget.take_focus_from_host(),
            (HostMessage::Destroy, Some(widget)) => {
                widget.destroy();
                self.widget.borrow_mut().take();
            }
            _ => {}
        }
    }

    /// Runs a widget with `init`'s link token and options, read as the
    /// host's config is: a refused link token is reported, a refused option
    /// (another sender may have written it) left at its default.
    fn init(
        self: &Rc<Self>,
        link_token: Option<Secret>,
        can_renew: bool,
        options: &[(&str, String)],
    ) {
        let host = PortHost {
            port: self.port.clone(),
            reported_ready: Cell::new(false),
            side: Rc::clone(&self.side),
        };
        let (mut config, errors) = HostConfig::read(Scope::Widget, &|name| {
            if name == LINK_TOKEN.name {
                return match (&link_token, can_renew) {
                    (Some(token), _) => Given::Text(token.expose().to_owned()),
                    (None, true) => Given::Function,
                    (None, false) => Given::Absent,
                };
            }
            options
                .iter()
                .find(|(option, _)| *option == name)
                .map_or(Given::Absent, |(_, value)| Given::Text(value.clone()))
        });
        let token_errors: Vec<_> = errors
            .into_iter()
            .filter(|error| error.field.as_deref() == Some(LINK_TOKEN.name))
            .collect();
        if !token_errors.is_empty() {
            host.notify(Notification::ValidationError(token_errors));
            self.side.borrow_mut().end();
            return;
        }
        // The host's apiBaseUrl (its CSP connect-src bounds it either way),
        // else, from an older loader, the API that serves this frame: its
        // own URL less FRAME_PATH.
        let api_base_url = config.api_base_url().map(str::to_owned).unwrap_or_else(|| {
            let location = web_sys::window().map(|w| w.location());
            let origin = location
                .as_ref()
                .and_then(|l| l.origin().ok())
                .unwrap_or_default();
            let path = location.and_then(|l| l.pathname().ok()).unwrap_or_default();
            origin + path.strip_suffix(FRAME_PATH).unwrap_or_default()
        });
        let mut settings = Settings::from_config(
            &mut config,
            api_base_url,
            Some(self.embedder_origin.clone()),
            true,
        );
        settings.early_session = self.early_session.borrow_mut().take();
        let locale = settings.locale;
        if locale.speaks() {
            *self.widget.borrow_mut() = Some(Widget::create(settings, Box::new(host)));
            return;
        }
        // Only English is built in: the locale's words come from this
        // frame's own origin first, while the session may already be on
        // its way (frame.js asked for it).
        let url = Reflect::get(&self.words, &locale.tag().into())
            .ok()
            .and_then(|url| url.as_string());
        let early_words = self.early_words.borrow_mut().take();
        *self.held.borrow_mut() = Some(Vec::new());
        let frame = Rc::clone(self);
        wasm_bindgen_futures::spawn_local(async move {
            let mut words = match early_words {
                Some(early) => words_in(locale, JsFuture::from(early).await.ok()),
                None => None,
            };
            if words.is_none() {
                words = match url {
                    Some(url) => fetch_text(&url).await,
                    None => None,
                };
            }
            if !words.is_some_and(|words| locale.learn(&words)) {
                // Better the modal in English than none: the API is asked
                // in English too, so its labels match.
                web_sys::console::warn_1(&JsValue::from_str(WORDS_MISSING));
                settings.locale = crate::i18n::Locale::En;
            }
            *frame.widget.borrow_mut() = Some(Widget::create(settings, Box::new(host)));
            let held = frame.held.borrow_mut().take().unwrap_or_default();
            for message in held {
                frame.receive(&message);
            }
        });
    }

    /// A test hook, and a debugging aid: how many messages this frame
    /// ignored, on its root element. `tests/e2e/isolation.spec.mjs` reads
    /// it to tell a forged message that was ignored from one that never
    /// arrived.
    fn show_ignored_count(&self) {
        let ignored = self.side.borrow().ignored();
        if ignored > 0 {
            if let Some(root) = super::dom::document().and_then(|d| d.document_element()) {
                let _ = root.set_attribute(
                    "data-ignored-messages",
                    &crate::i18n::decimal(ignored.into()),
                );
            }
        }
    }
}

const WORDS_MISSING: &str =
    "keet-link: the words of the page's language did not load; the modal speaks English";

/// The text of `early` (`{ tag, text }`) if its tag is `locale`'s.
fn words_in(locale: crate::i18n::Locale, early: Option<JsValue>) -> Option<String> {
    let early = early?;
    let tag = Reflect::get(&early, &"tag".into()).ok()?.as_string()?;
    (tag == locale.tag())
        .then(|| Reflect::get(&early, &"text".into()).ok()?.as_string())
        .flatten()
}

/// The text at `url` (a words file on this frame's origin), or `None` if it
/// did not come within the API calls' own time limit.
async fn fetch_text(url: &str) -> Option<String> {
    let init = web_sys::RequestInit::new();
    let limit = u32::try_from(crate::flow::REQUEST_TIMEOUT.as_millis()).unwrap_or(u32::MAX);
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(limit)));
    let fetched = web_sys::window()?.fetch_with_str_and_init(url, &init);
    // A fetch that settles well gives a Response, always.
    let response: web_sys::Response = JsFuture::from(fetched).await.ok()?.unchecked_into();
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.text().ok()?)
        .await
        .ok()?
        .as_string()
}

/// The host of a widget in the frame: every notification becomes a message
/// on the port.
struct PortHost {
    port: MessagePort,
    /// The `isReady` the host last heard, from a `state` or a `callback`.
    reported_ready: Cell<bool>,
    /// The frame's side of the port, told when the modal is shown.
    side: Rc<RefCell<FrameSide>>,
}

/// Posts `{ type: kind }` on `port`.
fn post_kind(port: &MessagePort, kind: &str) {
    post(port, kind, |_| {});
}

/// Posts `{ type: kind, … }` on `port`, with the fields `extra` sets.
fn post(port: &MessagePort, kind: &str, extra: impl FnOnce(&Object)) {
    let message = Object::new();
    let _ = Reflect::set(&message, &"type".into(), &kind.into());
    extra(&message);
    let _ = port.post_message(&message);
}

impl Host for PortHost {
    fn notify(&self, notification: Notification) {
        let Some(name) = notification.callback_name() else {
            if let Notification::Warn(message) = notification {
                web_sys::console::warn_1(&JsValue::from_str(message));
            }
            return;
        };
        let args = plain(&notification.callback_args());
        let is_ready = self.reported_ready.get();
        post(&self.port, "callback", |message| {
            let _ = Reflect::set(message, &"name".into(), &name.into());
            let _ = Reflect::set(message, &"args".into(), &args);
            let _ = Reflect::set(message, &"isReady".into(), &is_ready.into());
        });
    }

    fn ready_state(&self, is_ready: bool) {
        if self.reported_ready.replace(is_ready) != is_ready {
            post(&self.port, "state", |message| {
                let _ = Reflect::set(message, &"isReady".into(), &is_ready.into());
            });
        }
    }

    fn modal_shown(&self, shown: bool) {
        self.side.borrow_mut().modal_shown(shown);
        post_kind(&self.port, if shown { "shown" } else { "hidden" });
    }

    /// Asks the host's `linkToken` function; the host answers `token`.
    fn renew_token(&self, _widget: std::rc::Weak<Widget>) {
        post_kind(&self.port, "refresh");
    }
}
