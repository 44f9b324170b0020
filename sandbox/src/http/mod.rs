//! The HTTP face of the store: the contract's routes, each handler stating
//! the credential and body it takes ([`extract`]), with rate limits
//! ([`rate_limit`]) and JSON errors that name the field ([`json`]).

mod extract;
mod failures;
mod json;
mod rate_limit;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, HeaderName, Method};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use keet_link_protocol::{
    self as wire, paths, CreateLinkTokenRequest, ExchangePublicTokenRequest, ExitRequest, OkBody,
    ResetLoginRequest, SubmitRequest,
};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::clock::Clock;
use crate::error::ApiError;
use crate::origins::AllowedOrigins;
use crate::store::Store;
use crate::test_users;
use crate::tokens::fingerprint;
pub use extract::JsonBody;
use extract::{AccountToken, ApiKey, IdempotencyKey, Language, LinkSession};
pub use json::parse_json;
use keet_link_i18n::Locale;
pub use rate_limit::RateLimiter;

/// How often the sandbox purges expired state and idle rate buckets.
pub const PURGE_INTERVAL: Duration = Duration::from_secs(5);

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    store: Arc<Mutex<Store>>,
    limiter: Arc<RateLimiter>,
    /// Unknown credentials per client address.
    failures: Arc<failures::FailedCredentials>,
    clock: Clock,
    /// Who may run the widget: every origin a widget request names.
    origins: Arc<AllowedOrigins>,
}

impl AppState {
    /// State around `store`, limited to `requests_per_second` per credential,
    /// telling time by `clock`. Inside a tokio runtime it also purges expired
    /// state every [`PURGE_INTERVAL`], for as long as the state lives
    /// (accesses purge too).
    pub fn new(store: Store, requests_per_second: f64, clock: Clock) -> Self {
        let state = Self {
            store: Arc::new(Mutex::new(store)),
            limiter: Arc::new(RateLimiter::new(requests_per_second)),
            failures: Arc::default(),
            clock,
            origins: Arc::new(AllowedOrigins::default()),
        };
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let store = Arc::downgrade(&state.store);
            let limiter = Arc::downgrade(&state.limiter);
            let failures = Arc::downgrade(&state.failures);
            let clock = state.clock.clone();
            runtime.spawn(async move {
                let mut every = tokio::time::interval(PURGE_INTERVAL);
                loop {
                    every.tick().await;
                    let (Some(store), Some(limiter), Some(failures)) =
                        (store.upgrade(), limiter.upgrade(), failures.upgrade())
                    else {
                        break;
                    };
                    failures.forget_idle();
                    store
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .purge_expired(clock.now());
                    limiter.forget_idle();
                }
            });
        }
        state
    }

    /// The same state, delivering the store's webhook events as `settings`
    /// say (inside a tokio runtime; none without `settings`).
    pub fn delivering_webhooks(self, settings: Option<crate::webhooks::WebhookSettings>) -> Self {
        if let Some(settings) = settings {
            let sink = crate::webhooks::deliver_from(
                settings,
                Arc::downgrade(&self.store),
                self.clock.clone(),
            );
            match sink {
                Some(sink) => self.store().send_webhooks_to(sink),
                None => tracing::warn!("no tokio runtime: webhooks are not delivered"),
            }
        }
        self
    }

    /// The same state, allowing widget requests from `origins` only
    /// (default: [`AllowedOrigins::default`]).
    pub fn allowing_origins(mut self, origins: AllowedOrigins) -> Self {
        self.origins = Arc::new(origins);
        self
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock is caught by CatchPanicLayer; the
        // store's methods leave it consistent, so recover instead of failing forever.
        self.store
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The contract's routes: server endpoints without CORS, widget endpoints with it.
pub fn api_routes(state: AppState) -> Router {
    let server = Router::new()
        .route(paths::LINK_TOKEN, post(create_link_token))
        .route(paths::EXCHANGE_PUBLIC_TOKEN, post(exchange_public_token))
        .route(
            paths::LINKED_ACCOUNT,
            get(linked_account).delete(delete_linked_account),
        )
        .route(paths::RESET_LOGIN, post(reset_login))
        .method_not_allowed_fallback(method_not_allowed);
    // The CORS layer goes outside the 405 fallback, so that a preflight
    // OPTIONS is answered by CORS rather than refused.
    let widget = Router::new()
        .route(paths::SESSION, get(session))
        .route(paths::SUBMIT, post(submit))
        .route(paths::EXIT, post(exit))
        .route(paths::RESEND, post(resend))
        .method_not_allowed_fallback(method_not_allowed)
        .layer(widget_cors());
    server.merge(widget).with_state(state)
}

/// 405 in the contract's JSON shape.
pub async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

/// How long a browser may reuse a widget endpoint's preflight.
pub const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(7200);

fn widget_cors() -> CorsLayer {
    let allowed_headers = [
        header::AUTHORIZATION.as_str(),
        header::CONTENT_TYPE.as_str(),
        header::ACCEPT_LANGUAGE.as_str(),
        wire::IDEMPOTENCY_KEY_HEADER,
        wire::EMBEDDER_ORIGIN_HEADER,
    ]
    .into_iter()
    .filter_map(|name| HeaderName::from_bytes(name.as_bytes()).ok())
    .collect::<Vec<_>>();
    CorsLayer::new()
        .allow_origin(AllowOrigin::any())
        .allow_methods([Method::GET, Method::POST])
        .allow_headers(allowed_headers)
        .expose_headers([header::RETRY_AFTER])
        // Chromium keeps a preflight at most 2 hours (Firefox a day): a
        // session pays one per endpoint, then none.
        .max_age(PREFLIGHT_MAX_AGE)
}

async fn create_link_token(
    State(state): State<AppState>,
    _: ApiKey,
    JsonBody(request): JsonBody<CreateLinkTokenRequest>,
) -> Result<Json<wire::CreateLinkTokenResponse>, ApiError> {
    let now = state.clock.now();
    Ok(Json(
        state.store().create_link_token(request.link_config, now)?,
    ))
}

async fn exchange_public_token(
    State(state): State<AppState>,
    _: ApiKey,
    JsonBody(request): JsonBody<ExchangePublicTokenRequest>,
) -> Result<Json<wire::ExchangePublicTokenResponse>, ApiError> {
    let now = state.clock.now();
    Ok(Json(state.store().exchange(&request.public_token, now)?))
}

async fn linked_account(
    State(state): State<AppState>,
    _: ApiKey,
    AccountToken(token): AccountToken,
) -> Result<Json<wire::LinkedAccountResponse>, ApiError> {
    Ok(Json(state.store().linked_account(token.expose())?))
}

async fn delete_linked_account(
    State(state): State<AppState>,
    _: ApiKey,
    AccountToken(token): AccountToken,
) -> Result<Json<OkBody>, ApiError> {
    let now = state.clock.now();
    state.store().delete_linked_account(token.expose(), now)?;
    Ok(Json(OkBody::default()))
}

/// Sandbox only: breaks one linked integration's login.
async fn reset_login(
    State(state): State<AppState>,
    _: ApiKey,
    AccountToken(token): AccountToken,
    JsonBody(request): JsonBody<ResetLoginRequest>,
) -> Result<Json<wire::LinkedAccountResponse>, ApiError> {
    let now = state.clock.now();
    Ok(Json(state.store().reset_login(
        token.expose(),
        &request.integration,
        now,
    )?))
}

async fn session(
    State(state): State<AppState>,
    LinkSession(session_id): LinkSession,
    Language(locale): Language,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let session = state.store().session_view(&session_id, locale, now)?;
    Ok(in_language(locale, Json(session)))
}

/// An answer whose text is in `locale`: says so, and tells caches that it
/// depends on `Accept-Language`.
fn in_language(locale: Locale, answer: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_LANGUAGE, locale.tag()),
            (header::VARY, "Accept-Language"),
        ],
        answer,
    )
        .into_response()
}

async fn submit(
    State(state): State<AppState>,
    LinkSession(session_id): LinkSession,
    IdempotencyKey(key): IdempotencyKey,
    Language(locale): Language,
    JsonBody(request): JsonBody<SubmitRequest>,
) -> Result<Response, ApiError> {
    // The canonical form, so that key order or spacing is not a "different body".
    let canonical = serde_json::to_vec(&request)
        .map_err(|_| ApiError::Internal("a parsed submit did not serialize"))?;
    let now = state.clock.now();
    let outcome = state.store().submit(
        &session_id,
        &key,
        fingerprint(&canonical),
        &request,
        now,
        locale,
    )?;
    if let Some(delay) = outcome.delay {
        tokio::time::sleep(delay).await;
    }
    let response = outcome.response?;
    // The fault users: the login happened and its answer is remembered under
    // this key, but the first copy is broken on the way to the widget.
    let username = request.values.get("username").unwrap_or_default();
    if let Some(fault) = test_users::fault_of(username).filter(|_| !outcome.replayed) {
        if let Some(delay) = fault.delay() {
            tokio::time::sleep(delay).await;
        }
        if let Some((status, content_type, body)) = fault.answer() {
            return Ok((status, [(header::CONTENT_TYPE, content_type)], body).into_response());
        }
    }
    Ok(in_language(locale, Json(response)))
}

async fn resend(
    State(state): State<AppState>,
    LinkSession(session_id): LinkSession,
    IdempotencyKey(key): IdempotencyKey,
    Language(locale): Language,
) -> Result<Response, ApiError> {
    let now = state.clock.now();
    let answer = state.store().resend(&session_id, &key, now, locale)?;
    Ok(in_language(locale, Json(answer)))
}

async fn exit(
    State(state): State<AppState>,
    LinkSession(session_id): LinkSession,
    JsonBody(_): JsonBody<ExitRequest>,
) -> Result<Json<OkBody>, ApiError> {
    let now = state.clock.now();
    state.store().exit(&session_id, now)?;
    Ok(Json(OkBody::default()))
}
