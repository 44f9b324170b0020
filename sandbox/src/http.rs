//! The HTTP face of the store: credentials, JSON bodies, rate limits and
//! the contract's routes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use keet_link::protocol::{
    self as wire, paths, CreateLinkTokenRequest, ExchangePublicTokenRequest, ExitRequest,
    FieldErrorCode, OkBody, SubmitRequest, MAX_BODY_BYTES, MAX_IDEMPOTENCY_KEY_CHARS,
};
use serde::de::DeserializeOwned;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::ApiError;
use crate::store::{Credential, Store};
use crate::tokens::{fingerprint, TokenDigest};

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    store: Arc<Mutex<Store>>,
    limiter: Arc<RateLimiter>,
}

impl AppState {
    /// State around `store`, limited to `requests_per_second` per credential.
    /// Inside a tokio runtime it also purges expired state every
    /// [`PURGE_INTERVAL`], for as long as the state lives (accesses purge too).
    pub fn new(store: Store, requests_per_second: f64) -> Self {
        let state = Self {
            store: Arc::new(Mutex::new(store)),
            limiter: Arc::new(RateLimiter::new(requests_per_second)),
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let store = Arc::downgrade(&state.store);
            let limiter = Arc::downgrade(&state.limiter);
            runtime.spawn(async move {
                let mut every = tokio::time::interval(PURGE_INTERVAL);
                loop {
                    every.tick().await;
                    let (Some(store), Some(limiter)) = (store.upgrade(), limiter.upgrade()) else {
                        break;
                    };
                    store
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .purge_expired(SystemTime::now());
                    limiter.forget_idle(Instant::now());
                }
            });
        }
        state
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock is caught by CatchPanicLayer; the
        // store's methods leave it consistent, so recover instead of failing forever.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Authenticates the bearer credential, charges the rate limit, and
    /// checks that its kind is `expected`.
    fn authorize(&self, headers: &HeaderMap, expected: Kind) -> Result<Credential, ApiError> {
        let bearer = bearer(headers)?;
        let credential = self.store().authenticate(bearer, SystemTime::now())?;
        self.limiter.charge(TokenDigest::of(bearer))?;
        match (&credential, expected) {
            (Credential::ApiKey, Kind::Server) => {
                if headers.contains_key(header::ORIGIN) {
                    return Err(ApiError::Forbidden(
                        "API keys must never be used from a browser: call this endpoint from your backend.",
                    ));
                }
                Ok(credential)
            }
            (Credential::LinkToken { .. }, Kind::Widget) => Ok(credential),
            (_, Kind::Server) => Err(ApiError::Forbidden("This endpoint needs your API key.")),
            (_, Kind::Widget) => Err(ApiError::Forbidden("This endpoint needs a link token.")),
        }
    }

    fn widget_session(&self, headers: &HeaderMap) -> Result<String, ApiError> {
        match self.authorize(headers, Kind::Widget)? {
            Credential::LinkToken { session_id } => Ok(session_id),
            _ => Err(ApiError::Internal(
                "a widget credential was not a link token",
            )),
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Server,
    Widget,
}

fn bearer(headers: &HeaderMap) -> Result<&str, ApiError> {
    const MISSING: &str = "Send your credential as Authorization: Bearer <token>.";
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or(ApiError::MissingToken(MISSING))?
        .to_str()
        .map_err(|_| ApiError::InvalidToken("The credential is not valid."))?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or(ApiError::MissingToken(MISSING))?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(ApiError::MissingToken(MISSING));
    }
    Ok(token)
}

// ---------------------------------------------------------- rate limits ----

/// How often the sandbox purges expired state and idle rate buckets.
pub const PURGE_INTERVAL: Duration = Duration::from_secs(5);

/// A token bucket per credential: `rate` requests a second, bursts of up to
/// twice that.
pub struct RateLimiter {
    rate: f64,
    capacity: f64,
    buckets: Mutex<HashMap<TokenDigest, Bucket>>,
}

struct Bucket {
    tokens: f64,
    refilled_at: Instant,
}

impl RateLimiter {
    /// A limiter of `rate` requests per second per credential.
    pub fn new(rate: f64) -> Self {
        let rate = rate.max(0.001);
        Self {
            rate,
            capacity: (rate * 2.0).max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `credential`'s bucket, or says how long to wait.
    pub fn charge(&self, credential: TokenDigest) -> Result<(), ApiError> {
        self.charge_at(credential, Instant::now())
    }

    /// Drops the buckets that have refilled: a full bucket is the same as
    /// none, so a credential seen once no longer costs memory.
    pub fn forget_idle(&self, now: Instant) {
        let refill = Duration::from_secs_f64(self.capacity / self.rate);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        buckets.retain(|_, bucket| now.saturating_duration_since(bucket.refilled_at) < refill);
        if buckets.capacity() > 64 && buckets.len() < buckets.capacity() / 4 {
            buckets.shrink_to_fit();
        }
    }

    /// How many credentials have a bucket.
    pub fn buckets(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    fn charge_at(&self, credential: TokenDigest, now: Instant) -> Result<(), ApiError> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(credential).or_insert(Bucket {
            tokens: self.capacity,
            refilled_at: now,
        });
        let elapsed = now
            .saturating_duration_since(bucket.refilled_at)
            .as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.capacity);
        bucket.refilled_at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - bucket.tokens) / self.rate;
        Err(ApiError::RateLimited {
            retry_after_secs: (wait.ceil() as u64).max(1),
        })
    }
}

// ---------------------------------------------------------------- bodies ----

/// Reads a JSON body into `T`, or answers the contract's error: 415 for a
/// non-JSON content type, 413 over 64 KiB, 400 naming each bad field.
async fn read_json<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Body,
) -> Result<(T, Bytes), ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| ApiError::PayloadTooLarge)?;
    let value = parse_json(&bytes)?;
    Ok((value, bytes))
}

/// Parses a JSON request body into `T`. Every failure is a sentence for a
/// person that names the field (`body` for the body as a whole), never a
/// Rust type, and never echoes a value.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let body_error = |code, message: String| ApiError::field("body", code, message);
    if let Some(encoding) = non_utf8_encoding(bytes) {
        return Err(body_error(
            FieldErrorCode::MalformedJson,
            format!("The body must be JSON in UTF-8; it looks like {encoding}."),
        ));
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if let Some(kind) = first
        .and_then(json_kind)
        .filter(|kind| *kind != "an object")
    {
        return Err(body_error(
            FieldErrorCode::InvalidType,
            format!("The body must be a JSON object, not {kind}."),
        ));
    }
    let malformed = |error: &serde_json::Error| {
        let text = error.to_string();
        let reason = text.split(" at line ").next().unwrap_or("");
        body_error(
            FieldErrorCode::MalformedJson,
            format!(
                "The body is not valid JSON: {reason} (line {}, column {}).",
                error.line(),
                error.column()
            ),
        )
    };
    match duplicate_key(bytes) {
        Ok(Some(field)) => {
            return Err(ApiError::field(
                &field,
                FieldErrorCode::DuplicateField,
                format!("{field} appears more than once; send each field once."),
            ))
        }
        Ok(None) => {}
        Err(error) => return Err(malformed(&error)),
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let parsed: Result<T, _> = serde_path_to_error::deserialize(&mut deserializer);
    if let Ok(value) = parsed {
        return match deserializer.end() {
            Ok(()) => Ok(value),
            Err(error) => Err(malformed(&error)),
        };
    }
    parsed.map_err(|error| {
        let path = error.path().to_string();
        let inner = error.inner();
        if !inner.is_data() {
            return malformed(inner);
        }
        let text = inner.to_string();
        let text = text.split(" at line ").next().unwrap_or("");
        let expected = text.rsplit_once(", expected ").map(|(_, e)| e);
        let missing_name = text.split('`').nth(1).unwrap_or("");
        let join = |child: &str| {
            if path == "." || path.is_empty() {
                child.to_owned()
            } else {
                format!("{path}.{child}")
            }
        };
        let whole = if path == "." || path.is_empty() {
            "body".to_owned()
        } else {
            path.clone()
        };
        if text.starts_with("missing field") {
            let field = join(missing_name);
            ApiError::field(
                &field,
                FieldErrorCode::Required,
                format!("{field} is required."),
            )
        } else if text.starts_with("unknown field") {
            // The path already ends with the unknown key.
            let field = whole.clone();
            ApiError::field(
                &field,
                FieldErrorCode::UnknownField,
                format!("{field} is not a field of this request."),
            )
        } else if text.starts_with("unknown variant") {
            ApiError::field(
                &whole,
                FieldErrorCode::InvalidValue,
                format!(
                    "{whole} must be one of {}.",
                    expected.unwrap_or("the documented values")
                ),
            )
        } else {
            let wanted = expected.map_or("of the documented type", describe_expected);
            let message = match received_kind(text) {
                Some(got) if got != wanted => format!("{whole} must be {wanted}, not {got}."),
                _ => format!("{whole} must be {wanted}."),
            };
            ApiError::field(&whole, FieldErrorCode::InvalidType, message)
        }
    })
}

/// "UTF-16" or "UTF-32" when `bytes` start like a JSON text in one of them
/// (a byte-order mark, or NUL bytes around the first character).
fn non_utf8_encoding(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0, 0, 0xFE, 0xFF, ..] | [0xFF, 0xFE, 0, 0, ..] => Some("UTF-32"),
        [0, 0, 0, _, ..] | [_, 0, 0, 0, ..] => Some("UTF-32"),
        [0xFE, 0xFF, ..] | [0xFF, 0xFE, ..] | [0, _, ..] | [_, 0, ..] => Some("UTF-16"),
        _ => None,
    }
}

/// The kind of JSON value that starts with `byte`, as a person says it.
fn json_kind(byte: u8) -> Option<&'static str> {
    Some(match byte {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b'-' | b'0'..=b'9' => "a number",
        b't' | b'f' => "true or false",
        b'n' => "null",
        _ => return None,
    })
}

/// serde's "expected …" in JSON's words.
fn describe_expected(expected: &str) -> &'static str {
    let word = expected.trim_start_matches("a ").trim_start_matches("an ");
    if word.starts_with("struct") || word.starts_with("map") {
        "a JSON object"
    } else if word.starts_with("sequence") || word.starts_with("tuple") {
        "a JSON array"
    } else if word.contains("string") {
        "a string"
    } else if word.starts_with('u') || word.starts_with('i') || word.starts_with('f') {
        "a number"
    } else if word.starts_with("bool") {
        "true or false"
    } else {
        "of the documented type"
    }
}

/// What serde says it got ("invalid type: sequence, …"), in JSON's words;
/// never the value itself.
fn received_kind(text: &str) -> Option<&'static str> {
    if text.starts_with("invalid length") {
        // A sequence deserialised into a struct.
        return Some("an array");
    }
    let got = text.strip_prefix("invalid type: ")?;
    let word = got.split([' ', ',']).next().unwrap_or("");
    Some(match word {
        "sequence" => "an array",
        "map" => "an object",
        "string" => "a string",
        "integer" | "floating" => "a number",
        "boolean" => "true or false",
        "null" | "unit" => "null",
        _ => return None,
    })
}

/// The dotted path of the first key that appears twice in one JSON object,
/// at any depth (`linkConfig.endUserId`, `values.password`), or `None`.
/// serde keeps the last of two equal keys in a map without a word, and a
/// struct's own error names no field: a body with a repeated key is
/// ambiguous, so it is refused with its name.
fn duplicate_key(bytes: &[u8]) -> Result<Option<String>, serde_json::Error> {
    use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::cell::RefCell;

    struct Walk<'a> {
        path: String,
        found: &'a RefCell<Option<String>>,
    }

    impl<'de> DeserializeSeed<'de> for Walk<'_> {
        type Value = ();
        fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
            deserializer.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Walk<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut index = 0;
            while seq
                .next_element_seed(Walk {
                    path: format!("{}[{index}]", self.path),
                    found: self.found,
                })?
                .is_some()
            {
                index += 1;
            }
            Ok(())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::BTreeSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = if self.path.is_empty() {
                    key.clone()
                } else {
                    format!("{}.{key}", self.path)
                };
                if !seen.insert(key) && self.found.borrow().is_none() {
                    *self.found.borrow_mut() = Some(path.clone());
                }
                if self.found.borrow().is_some() {
                    map.next_value::<IgnoredAny>()?;
                } else {
                    map.next_value_seed(Walk {
                        path,
                        found: self.found,
                    })?;
                }
            }
            Ok(())
        }
    }

    let found = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    Walk {
        path: String::new(),
        found: &found,
    }
    .deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(found.into_inner())
}

// ---------------------------------------------------------------- routes ----

/// The contract's routes: server endpoints without CORS, widget endpoints with it.
pub fn api_routes(state: AppState) -> Router {
    let server = Router::new()
        .route(paths::LINK_TOKEN, post(create_link_token))
        .route(paths::EXCHANGE_PUBLIC_TOKEN, post(exchange_public_token))
        .route(
            paths::LINKED_ACCOUNT,
            get(linked_account).delete(delete_linked_account),
        )
        .method_not_allowed_fallback(method_not_allowed);
    // The CORS layer goes outside the 405 fallback, so that a preflight
    // OPTIONS is answered by CORS rather than refused.
    let widget = Router::new()
        .route(paths::SESSION, get(session))
        .route(paths::SUBMIT, post(submit))
        .route(paths::EXIT, post(exit))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(widget_cors());
    server.merge(widget).with_state(state)
}

/// 405 in the contract's JSON shape.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

fn widget_cors() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            HeaderName::from_static("idempotency-key"),
        ])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

async fn create_link_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    state.authorize(&headers, Kind::Server)?;
    let (request, _): (CreateLinkTokenRequest, _) = read_json(&headers, body).await?;
    let created = state
        .store()
        .create_link_token(request.link_config, SystemTime::now())?;
    Ok((StatusCode::OK, Json(created)).into_response())
}

async fn exchange_public_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<wire::ExchangePublicTokenResponse>, ApiError> {
    state.authorize(&headers, Kind::Server)?;
    let (request, _): (ExchangePublicTokenRequest, _) = read_json(&headers, body).await?;
    Ok(Json(
        state
            .store()
            .exchange(&request.public_token, SystemTime::now())?,
    ))
}

fn account_token(headers: &HeaderMap) -> Result<&str, ApiError> {
    let value = headers
        .get(wire::ACCOUNT_TOKEN_HEADER)
        .ok_or(ApiError::MissingToken(
            "Send the account token in the X-Account-Token header.",
        ))?
        .to_str()
        .map_err(|_| ApiError::InvalidToken("The account token is not valid."))?
        .trim();
    if value.is_empty() {
        return Err(ApiError::MissingToken(
            "Send the account token in the X-Account-Token header.",
        ));
    }
    Ok(value)
}

async fn linked_account(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<wire::LinkedAccountResponse>, ApiError> {
    state.authorize(&headers, Kind::Server)?;
    let token = account_token(&headers)?;
    Ok(Json(state.store().linked_account(token)?))
}

async fn delete_linked_account(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<OkBody>, ApiError> {
    state.authorize(&headers, Kind::Server)?;
    let token = account_token(&headers)?;
    state.store().delete_linked_account(token)?;
    Ok(Json(OkBody::default()))
}

async fn session(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<wire::SessionResponse>, ApiError> {
    let session_id = state.widget_session(&headers)?;
    Ok(Json(state.store().session_view(&session_id)?))
}

fn idempotency_key(headers: &HeaderMap) -> Result<String, ApiError> {
    let field = wire::IDEMPOTENCY_KEY_HEADER;
    let value = headers.get(field).ok_or_else(|| {
        ApiError::field(
            field,
            FieldErrorCode::Required,
            "Send an Idempotency-Key header (a UUID) with every submit.",
        )
    })?;
    let text = value.to_str().unwrap_or("");
    if text.is_empty()
        || text.chars().count() > MAX_IDEMPOTENCY_KEY_CHARS
        || !text.chars().all(|c| c.is_ascii_graphic())
    {
        return Err(ApiError::field(
            field,
            FieldErrorCode::InvalidFormat,
            "Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.",
        ));
    }
    Ok(text.to_owned())
}

async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let session_id = state.widget_session(&headers)?;
    let key = idempotency_key(&headers)?;
    let (request, _): (SubmitRequest, Bytes) = read_json(&headers, body).await?;
    // The canonical form, so that key order or spacing is not a "different body".
    let canonical = serde_json::to_vec(&request)
        .map_err(|_| ApiError::Internal("a parsed submit did not serialize"))?;
    let outcome = state.store().submit(
        &session_id,
        &key,
        fingerprint(&canonical),
        &request,
        SystemTime::now(),
    )?;
    if let Some(delay) = outcome.delay {
        tokio::time::sleep(delay).await;
    }
    let response = outcome.response?;
    // The fault users: the login happened and its answer is remembered under
    // this key, but the first copy is broken on the way to the widget.
    let username = request.values.get("username").unwrap_or_default();
    if !outcome.replayed {
        if let Some(broken) = broken_answer(username) {
            return Ok(broken);
        }
    }
    Ok(Json(response).into_response())
}

/// What the fault users' first answer looks like on the wire (test users
/// only, documented with the others).
fn broken_answer(username: &str) -> Option<Response> {
    use crate::store::test_users::{BAD_GATEWAY, TRUNCATED, WRONG_SHAPE};
    let json = |status: StatusCode, body: &'static str| {
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    };
    Some(match username {
        BAD_GATEWAY => (
            StatusCode::BAD_GATEWAY,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )
            .into_response(),
        WRONG_SHAPE => json(
            StatusCode::OK,
            r#"{"status":"ok","step":{"kind":"finished"}}"#,
        ),
        TRUNCATED => json(StatusCode::OK, r#"{"status":"ok","step":{"type":"do"#),
        _ => return None,
    })
}

async fn exit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<OkBody>, ApiError> {
    let session_id = state.widget_session(&headers)?;
    let (_request, _): (ExitRequest, _) = read_json(&headers, body).await?;
    state.store().exit(&session_id)?;
    Ok(Json(OkBody::default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(
        result: Result<CreateLinkTokenRequest, ApiError>,
    ) -> (String, FieldErrorCode, String) {
        match result {
            Err(ApiError::Validation(errors)) => {
                let e = &errors[0];
                (e.field.clone(), e.code, e.message.clone())
            }
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn rate_buckets_that_refilled_are_forgotten() {
        let limiter = RateLimiter::new(10.0); // bursts of 20: full again after 2 s
        let start = Instant::now();
        for n in 0..100u8 {
            limiter
                .charge_at(TokenDigest::of(&format!("link_{n}")), start)
                .unwrap();
        }
        limiter
            .charge_at(
                TokenDigest::of("link_busy"),
                start + Duration::from_millis(1500),
            )
            .unwrap();
        assert_eq!(limiter.buckets(), 101);
        limiter.forget_idle(start + Duration::from_millis(1999));
        assert_eq!(limiter.buckets(), 101, "not yet full");
        limiter.forget_idle(start + Duration::from_secs(2));
        assert_eq!(limiter.buckets(), 1, "only the one charged since");
    }

    #[test]
    fn malformed_json_is_named_as_the_body() {
        let (field, code, _) = field_of(parse_json(b"{\"linkConfig\":"));
        assert_eq!(
            (field.as_str(), code),
            ("body", FieldErrorCode::MalformedJson)
        );
        let (field, code, _) = field_of(parse_json(
            br#"{"linkConfig":{"endUserId":"u","integration":"X"}} trailing"#,
        ));
        assert_eq!(
            (field.as_str(), code),
            ("body", FieldErrorCode::MalformedJson)
        );
    }

    #[test]
    fn missing_unknown_and_mistyped_fields_are_named() {
        let (field, code, _) = field_of(parse_json(b"{}"));
        assert_eq!(
            (field.as_str(), code),
            ("linkConfig", FieldErrorCode::Required)
        );
        let (field, code, _) = field_of(parse_json(
            br#"{"linkConfig":{"endUserId":"u","integration":"X","colour":1}}"#,
        ));
        assert_eq!(
            (field.as_str(), code),
            ("linkConfig.colour", FieldErrorCode::UnknownField)
        );
        let (field, code, message) = field_of(parse_json(
            br#"{"linkConfig":{"endUserId":12345,"integration":"X"}}"#,
        ));
        assert_eq!(
            (field.as_str(), code),
            ("linkConfig.endUserId", FieldErrorCode::InvalidType)
        );
        assert!(!message.contains("12345"), "echoed the value: {message}");
    }

    #[test]
    fn wrong_type_messages_never_echo_the_value() {
        let result: Result<ExchangePublicTokenRequest, _> =
            parse_json(br#"{"publicToken":["public_sandbox_secret"]}"#);
        let Err(ApiError::Validation(errors)) = result else {
            panic!("expected a validation error")
        };
        assert!(!errors[0].message.contains("secret"));
        let result: Result<SubmitRequest, _> =
            parse_json(br#"{"stepId":"st_1","values":{"password":987654}}"#);
        let Err(ApiError::Validation(errors)) = result else {
            panic!("expected a validation error")
        };
        assert_eq!(errors[0].field, "values.password");
        assert!(
            !errors[0].message.contains("987654"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn bucket_refuses_past_its_burst_and_says_when_to_retry() {
        let limiter = RateLimiter::new(1.0);
        let key = TokenDigest::of("k");
        let start = Instant::now();
        assert!(limiter.charge_at(key, start).is_ok());
        assert!(limiter.charge_at(key, start).is_ok());
        assert_eq!(
            limiter.charge_at(key, start),
            Err(ApiError::RateLimited {
                retry_after_secs: 1
            })
        );
        assert!(limiter
            .charge_at(key, start + Duration::from_secs(1))
            .is_ok());
        assert!(limiter.charge_at(TokenDigest::of("other"), start).is_ok());
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_to_a_value_or_a_named_error(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            check_never_panics(&bytes);
        }

        #[test]
        fn json_shaped_noise_parses_to_a_value_or_a_named_error(text in r#"[{}\[\]":,a-zA-Z0-9 ]{0,200}"#) {
            check_never_panics(text.as_bytes());
        }
    }

    fn check_never_panics(bytes: &[u8]) {
        for result in [
            parse_json::<CreateLinkTokenRequest>(bytes).err(),
            parse_json::<SubmitRequest>(bytes).err(),
            parse_json::<ExitRequest>(bytes).err(),
        ]
        .into_iter()
        .flatten()
        {
            let ApiError::Validation(errors) = result else {
                panic!("a parse error that is not a validation error: {result:?}");
            };
            assert!(!errors.is_empty() && errors.iter().all(|e| !e.field.is_empty()));
        }
    }
}
