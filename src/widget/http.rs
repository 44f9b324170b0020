//! Calls to the widget endpoints with `fetch`: JSON parsed by the browser
//! (`Response.json()`) and read by hand ([`crate::protocol::read`]; no
//! serde deserializer in the wasm), every call abortable and bounded by
//! [`REQUEST_TIMEOUT`].

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use crate::secret::Secret;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestCredentials, RequestInit, Response};

use crate::flow::{Failure, REQUEST_TIMEOUT};
use crate::i18n::Locale;
use crate::protocol::read::{read, Json, Read};
use crate::protocol::write::{to_json, Write};
use crate::protocol::{ErrorBody, EMBEDDER_ORIGIN_HEADER, IDEMPOTENCY_KEY_HEADER};

/// Where and as whom the widget calls the API.
pub(crate) struct Api {
    base_url: String,
    /// In the link frame, the embedding page's origin, named on every call.
    embedder_origin: Option<String>,
    /// Replaced when the host renews it.
    link_token: std::cell::RefCell<Secret>,
    /// Sent as `Accept-Language`: the step's labels, prompts and field
    /// messages come back in it.
    locale: Locale,
    /// The session request a loader sent while the wasm downloaded, until
    /// the first GET takes it.
    early_session: std::cell::RefCell<Option<EarlySession>>,
}

/// A `GET` of the session that a loader (`js/early-session.js`, from
/// `frame.js` or the in-page module) sent before the wasm ran (DECISIONS
/// S11): its URL, and the promise of its `Response`. The widget
/// takes its answer for its own first session call when the URL is the
/// same, the status is a success and the answer's `Content-Language` is the
/// widget's locale; otherwise it asks again, as it would have.
pub(crate) struct EarlySession {
    pub(crate) url: String,
    pub(crate) response: js_sys::Promise,
}

impl EarlySession {
    /// The request a loader of this package sent, `{ url, response }`, or
    /// `None` for anything else (`undefined` when it sent none). `response`
    /// is the loader's own `fetch` promise, so it is taken unchecked.
    pub(crate) fn read(request: &JsValue) -> Option<Self> {
        let url = js_sys::Reflect::get(request, &"url".into())
            .ok()?
            .as_string()?;
        let response = js_sys::Reflect::get(request, &"response".into()).ok()?;
        Some(Self {
            url,
            response: response.unchecked_into(),
        })
    }
}

impl Api {
    /// An API client for `base_url` with `link_token`, asking for `locale`.
    pub(crate) fn new(
        base_url: String,
        embedder_origin: Option<String>,
        link_token: Secret,
        locale: Locale,
        early_session: Option<EarlySession>,
    ) -> Self {
        Self {
            base_url,
            embedder_origin,
            link_token: std::cell::RefCell::new(link_token),
            locale,
            early_session: std::cell::RefCell::new(early_session),
        }
    }

    /// Uses `link_token` for every request from now on.
    pub(crate) fn use_token(&self, link_token: Secret) {
        // An early answer was asked for with the old token.
        self.early_session.borrow_mut().take();
        *self.link_token.borrow_mut() = link_token;
    }
}

/// One call in flight: abort it with [`InFlight::abort`].
pub(crate) struct InFlight {
    controller: AbortController,
    _timeout: gloo_timers::callback::Timeout,
}

impl InFlight {
    /// Aborts the call; its future ends as [`Outcome::Cancelled`].
    pub(crate) fn abort(&self) {
        self.controller.abort();
    }
}

/// How a call ended.
pub(crate) enum Outcome<T> {
    /// A success body that parsed.
    Answer(T),
    /// Anything else the flow must hear about.
    Failed(Failure),
    /// Aborted by the widget (cancel or destroy): nobody is waiting.
    Cancelled,
}

impl Outcome<JsValue> {
    /// The answer read as a `T`; an answer that is not one is malformed.
    pub(crate) fn read<T: Read>(self) -> Outcome<T> {
        match self {
            Outcome::Answer(body) => match read::<T, _>(&Parsed(body)) {
                Ok(value) => Outcome::Answer(value),
                Err(_) => Outcome::Failed(Failure::Malformed),
            },
            Outcome::Failed(failure) => Outcome::Failed(failure),
            Outcome::Cancelled => Outcome::Cancelled,
        }
    }
}

/// A prepared call: start it with [`Call::send`], keep [`Call::in_flight`] to abort it.
pub(crate) struct Call {
    init: RequestInit,
    url: String,
    signal: AbortSignal,
    timed_out: Rc<Cell<bool>>,
    /// The answer a loader asked for early, if this is that call.
    early: Option<js_sys::Promise>,
    /// What the answer's `Content-Language` must say for `early` to serve.
    locale_tag: &'static str,
}

impl Api {
    /// Prepares `method path` with an optional JSON body and idempotency key.
    pub(crate) fn prepare(
        &self,
        method: &str,
        path: &str,
        body: Option<&dyn Write>,
        idempotency_key: Option<&str>,
    ) -> Result<(Call, InFlight), JsValue> {
        let controller = AbortController::new()?;
        let headers = Headers::new()?;
        // The header's text is a secret too: wiped once the browser has it.
        let authorization = Secret::from(["Bearer ", self.link_token.borrow().expose()].concat());
        headers.set("Authorization", authorization.expose())?;
        headers.set("Accept", "application/json")?;
        headers.set("Accept-Language", self.locale.tag())?;
        if let Some(key) = idempotency_key {
            headers.set(IDEMPOTENCY_KEY_HEADER, key)?;
        }
        if let Some(origin) = &self.embedder_origin {
            headers.set(EMBEDDER_ORIGIN_HEADER, origin)?;
        }
        let init = RequestInit::new();
        init.set_method(method);
        init.set_credentials(RequestCredentials::Omit);
        init.set_signal(Some(&controller.signal()));
        if let Some(body) = body {
            // Plain objects, not Maps, so that JSON.stringify writes them.
            // Written by hand (no serde serializer in the wasm); the Rust
            // text is wiped once the browser has its copy.
            let text = to_json(body);
            headers.set("Content-Type", "application/json")?;
            init.set_body(&JsValue::from_str(&text));
        }
        init.set_headers(&headers);
        let timed_out = Rc::new(Cell::new(false));
        let timeout = {
            let controller = controller.clone();
            let timed_out = Rc::clone(&timed_out);
            gloo_timers::callback::Timeout::new(millis(REQUEST_TIMEOUT), move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let url = [self.base_url.as_str(), path].concat();
        let early = match method {
            "GET" => self.early_session.borrow_mut().take(),
            _ => None,
        }
        .filter(|early| early.url == url)
        .map(|early| early.response);
        let call = Call {
            init,
            url,
            signal: controller.signal(),
            timed_out,
            early,
            locale_tag: self.locale.tag(),
        };
        Ok((
            call,
            InFlight {
                controller,
                _timeout: timeout,
            },
        ))
    }
}

impl Call {
    /// Sends the call: its answer's body, parsed as JSON but not yet read
    /// as any type ([`Outcome::read`]), so that the wasm has one copy of
    /// this future, not one per answer type.
    pub(crate) async fn send(mut self) -> Outcome<JsValue> {
        let Some(window) = web_sys::window() else {
            return Outcome::Failed(Failure::Network);
        };
        let response = match self.fetch(&window).await {
            Ok(response) => response,
            Err(_) if self.timed_out.get() => return Outcome::Failed(Failure::Timeout),
            // Only this call's own signal aborts its fetch (the early
            // request's limit is a timeout), so the signal says it all.
            Err(_) if self.signal.aborted() => return Outcome::Cancelled,
            Err(_) => return Outcome::Failed(Failure::Network),
        };
        // A fetch that settles well gives a Response, always (the early
        // answer is a loader's fetch too), so no check is made.
        let response = response.unchecked_into::<Response>();
        let status = response.status();
        let body = match response.json() {
            Ok(promise) => JsFuture::from(promise).await.ok(),
            Err(_) => None,
        };
        if self.timed_out.get() {
            return Outcome::Failed(Failure::Timeout);
        }
        if (200..300).contains(&status) {
            return match body {
                Some(body) => Outcome::Answer(body),
                None => Outcome::Failed(Failure::Malformed),
            };
        }
        let retry_after = response
            .headers()
            .get("Retry-After")
            .ok()
            .flatten()
            .and_then(|value| value.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Outcome::Failed(Failure::Api {
            status,
            body: body.and_then(|body| read::<ErrorBody, _>(&Parsed(body)).ok()),
            retry_after,
        })
    }

    /// The early answer when it serves (see [`EarlySession`]), else a fetch.
    /// The loader bounds the early request by [`REQUEST_TIMEOUT`] too; an
    /// abort of this call while it waits is seen when it settles.
    async fn fetch(&mut self, window: &web_sys::Window) -> Result<JsValue, JsValue> {
        if let Some(early) = self.early.take() {
            let answer = JsFuture::from(early).await;
            if self.signal.aborted() {
                return Err(JsValue::UNDEFINED);
            }
            let serves = answer
                .as_ref()
                .ok()
                .map(|r| r.unchecked_ref::<Response>())
                .is_some_and(|r| {
                    r.ok()
                        && r.headers()
                            .get("Content-Language")
                            .ok()
                            .flatten()
                            .as_deref()
                            == Some(self.locale_tag)
                });
            if serves {
                return answer;
            }
        }
        JsFuture::from(window.fetch_with_str_and_init(&self.url, &self.init)).await
    }
}

/// The clock the shell tells the flow ([`crate::flow::Flow::handle_timeout`]):
/// `performance.now()`, which never goes back, as time since the page began.
pub(crate) fn clock_now() -> Duration {
    let millis = web_sys::window()
        .and_then(|window| window.performance())
        .map_or_else(js_sys::Date::now, |performance| performance.now());
    // `as` saturates, and a NaN becomes 0.
    Duration::from_micros((millis * 1000.0) as u64)
}

/// A duration as whole milliseconds for `setTimeout`.
pub(crate) fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

/// A body as `Response.json()` parsed it.
struct Parsed(JsValue);

impl Json for Parsed {
    fn member(&self, name: &str) -> Option<Self> {
        if !self.0.is_object() {
            return None;
        }
        js_sys::Reflect::get(&self.0, &JsValue::from_str(name))
            .ok()
            .filter(|value| !value.is_null() && !value.is_undefined())
            .map(Parsed)
    }

    fn text(&self) -> Option<String> {
        self.0.as_string()
    }

    fn number(&self) -> Option<f64> {
        self.0.as_f64()
    }

    fn boolean(&self) -> Option<bool> {
        self.0.as_bool()
    }

    fn items(&self) -> Option<Vec<Self>> {
        let array = self.0.dyn_ref::<js_sys::Array>()?;
        Some(array.iter().map(Parsed).collect())
    }
}
