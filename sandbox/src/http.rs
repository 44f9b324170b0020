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
    self as wire, CreateLinkTokenRequest, ExchangePublicTokenRequest, ExitRequest, FieldErrorCode,
    OkBody, SubmitRequest, MAX_BODY_BYTES, MAX_IDEMPOTENCY_KEY_CHARS,
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
    pub fn new(store: Store, requests_per_second: f64) -> Self {
        Self {
            store: Arc::new(Mutex::new(store)),
            limiter: Arc::new(RateLimiter::new(requests_per_second)),
        }
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

/// Parses `bytes` as `T`, turning serde's error into field errors that name
/// the field and never echo the submitted value.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let malformed = |error: &serde_json::Error| {
        ApiError::field(
            "body",
            FieldErrorCode::MalformedJson,
            format!(
                "The body is not valid JSON (line {}, column {}).",
                error.line(),
                error.column()
            ),
        )
    };
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
            ApiError::field(
                &whole,
                FieldErrorCode::InvalidType,
                format!(
                    "{whole} must be {}.",
                    expected.unwrap_or("of the documented type")
                ),
            )
        }
    })
}

// ---------------------------------------------------------------- routes ----

/// The contract's routes: server endpoints without CORS, widget endpoints with it.
pub fn api_routes(state: AppState) -> Router {
    let server = Router::new()
        .route("/v1/link/token", post(create_link_token))
        .route("/v1/linked-accounts/token", post(exchange_public_token))
        .route(
            "/v1/linked-accounts/me",
            get(linked_account).delete(delete_linked_account),
        )
        .method_not_allowed_fallback(method_not_allowed);
    // The CORS layer goes outside the 405 fallback, so that a preflight
    // OPTIONS is answered by CORS rather than refused.
    let widget = Router::new()
        .route("/v1/link/session", get(session))
        .route("/v1/link/session/submit", post(submit))
        .route("/v1/link/session/exit", post(exit))
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
) -> Result<Json<wire::SubmitResponse>, ApiError> {
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
    outcome.response.map(Json)
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
