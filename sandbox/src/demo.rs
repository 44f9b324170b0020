//! An example customer backend for the demo page, under `/demo/`.
//!
//! This is the pattern to copy into a real backend: the API key stays on the
//! server, the page only ever sees a link token and a public token, and each
//! call goes through the API exactly as an outside client's would (here,
//! in-process through the same router, auth, rate limit and validation).
//!
//! A real backend stores the account token and never sends it to a browser.
//! The demo shows it on the page to teach the flow.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use keet_link_protocol::{
    paths, CreateLinkTokenRequest, ExchangePublicTokenResponse, LinkConfig, LinkedAccountResponse,
    ACCOUNT_TOKEN_HEADER,
};
use serde::{Deserialize, Serialize};
use tower::ServiceExt as _;

use crate::error::ApiError;
use crate::http::JsonBody;
use crate::store::{DataFolder, StorageError};

/// How often the demo backend waits out a 429 before passing it on.
const RATE_LIMIT_RETRIES: u32 = 3;
/// The longest `Retry-After` it waits for.
const MAX_RETRY_AFTER_SECS: u64 = 5;

#[derive(Clone)]
struct Demo {
    api: Router,
    api_key: Arc<str>,
    /// endUserId → account token: the "database" of this example backend.
    accounts: Arc<Mutex<HashMap<String, String>>>,
    /// Where `accounts` is also kept, with a data folder: a restarted
    /// sandbox still shows the demo's linked accounts.
    kept: Option<Arc<Mutex<DataFolder>>>,
    /// Where the API (and so the link frame) is: the page's `apiBaseUrl`.
    api_origin: Arc<str>,
    /// Where the link frame is, when it is not the API's (`--frame-url`).
    frame_url: Option<Arc<str>>,
    /// The secret that signs the webhooks this backend receives.
    webhook_secret: Option<Arc<str>>,
    /// The webhook events received, newest last, each once.
    webhooks: Arc<Mutex<ReceivedWebhooks>>,
}

/// What `/demo/webhooks` received: the events (the last
/// [`WEBHOOKS_SHOWN`]), and every id seen, to drop a redelivery.
#[derive(Default)]
struct ReceivedWebhooks {
    events: std::collections::VecDeque<serde_json::Value>,
    seen: std::collections::HashSet<String>,
}

/// Webhook events the demo page is shown, at most.
const WEBHOOKS_SHOWN: usize = 50;
/// Event ids remembered to drop duplicates, at most (then forgotten whole:
/// a demo; a real receiver keeps them as long as deliveries are retried).
const WEBHOOK_IDS_KEPT: usize = 10_000;

/// Body of `POST /demo/break-login`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BreakLoginRequest {
    end_user_id: String,
    integration: String,
}

/// Body of `POST /demo/exchange`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ExchangeRequest {
    public_token: String,
}

/// Answer of `POST /demo/exchange`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ExchangeAnswer {
    status: &'static str,
    account_token: String,
    linked_account: keet_link_protocol::LinkedAccount,
}

/// Answer of `GET /demo/config`: what the front end needs to know.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FrontEndConfig {
    api_base_url: String,
    /// Only when the frame is hosted apart from the API (`--frame-url`).
    #[serde(skip_serializing_if = "Option::is_none")]
    frame_url: Option<String>,
}

/// The `/demo/` routes, calling `api` with `api_key`. `api_origin` is the
/// `apiBaseUrl` the demo's pages pass to the widget, and `frame_url` their
/// `frameUrl` when the link frame is hosted apart from the API. With `kept`,
/// its accounts are read from and written to that data folder.
///
/// # Errors
/// The data folder's accounts do not read back.
pub fn routes(
    api: Router,
    api_key: &str,
    api_origin: &str,
    frame_url: Option<&str>,
    kept: Option<DataFolder>,
    webhook_secret: Option<&str>,
) -> Result<Router, StorageError> {
    let accounts = match &kept {
        Some(folder) => folder.demo_backend_accounts()?.into_iter().collect(),
        None => HashMap::new(),
    };
    let demo = Demo {
        api,
        api_key: Arc::from(api_key),
        accounts: Arc::new(Mutex::new(accounts)),
        kept: kept.map(|folder| Arc::new(Mutex::new(folder))),
        api_origin: Arc::from(api_origin),
        frame_url: frame_url.map(Arc::from),
        webhook_secret: webhook_secret.map(Arc::from),
        webhooks: Arc::default(),
    };
    Ok(Router::new()
        .route("/demo/config", get(front_end_config))
        .route(
            "/demo/integrations",
            get(|| async { Json(crate::catalogue::listing()) }),
        )
        .route("/demo/link-token", post(create_link_token))
        .route("/demo/exchange", post(exchange))
        .route("/demo/linked-accounts/{end_user_id}", get(linked_account))
        .route("/demo/break-login", post(break_login))
        .route(
            "/demo/webhooks",
            post(receive_webhook).get(received_webhooks),
        )
        .method_not_allowed_fallback(crate::http::method_not_allowed)
        .with_state(demo)
        .layer(axum::middleware::from_fn(local_host_only)))
}

/// Refuses a request whose `Host` names neither `localhost` nor an IP
/// address: a page on another name that DNS-rebinds to this machine
/// (`evil.example:8081` → 127.0.0.1) would otherwise read the demo's
/// accounts. Its POSTs take JSON only (the `JsonBody` extractor), so a
/// cross-site form or `text/plain` POST cannot mint link tokens either.
async fn local_host_only(request: Request<Body>, next: axum::middleware::Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok());
    match host {
        Some(host) if !is_local_host(host) => ApiError::Forbidden(
            "The demo backend answers only requests addressed to localhost or an IP address.",
        )
        .into_response(),
        _ => next.run(request).await,
    }
}

/// Whether a `Host` header's name is `localhost` or an IP address (its port
/// aside).
fn is_local_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // [::1]:8081
        Some(rest) => {
            return rest
                .split(']')
                .next()
                .is_some_and(|ip| ip.parse::<std::net::Ipv6Addr>().is_ok())
        }
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::Ipv4Addr>().is_ok()
}

impl Demo {
    /// One call to the API, as a backend makes it: API key, no `Origin`,
    /// and a 429 waited out (up to [`RATE_LIMIT_RETRIES`] times, honouring
    /// `Retry-After`) rather than passed on to the page.
    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Vec<u8>>,
        account_token: Option<&str>,
    ) -> Result<(StatusCode, Bytes), ApiError> {
        let mut retries = 0;
        loop {
            let mut request = Request::builder()
                .method(method.clone())
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {}", self.api_key));
            if body.is_some() {
                request = request.header(header::CONTENT_TYPE, "application/json");
            }
            if let Some(token) = account_token {
                request = request.header(ACCOUNT_TOKEN_HEADER, token);
            }
            let request = request
                .body(Body::from(body.clone().unwrap_or_default()))
                .map_err(|_| ApiError::Internal("the demo built a bad request"))?;
            let (status, retry_after, bytes) = self.send(request).await?;
            match retry_after {
                Some(wait)
                    if status == StatusCode::TOO_MANY_REQUESTS && retries < RATE_LIMIT_RETRIES =>
                {
                    retries += 1;
                    tokio::time::sleep(wait).await;
                }
                _ => return Ok((status, bytes)),
            }
        }
    }

    /// Sends one request to the API: its status, its `Retry-After` (capped
    /// at [`MAX_RETRY_AFTER_SECS`]) and its body.
    async fn send(
        &self,
        request: Request<Body>,
    ) -> Result<(StatusCode, Option<Duration>, Bytes), ApiError> {
        let response = self
            .api
            .clone()
            .oneshot(request)
            .await
            .map_err(|_| ApiError::Internal("the API router failed"))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.parse::<u64>().ok())
            .map(|seconds| Duration::from_secs(seconds.min(MAX_RETRY_AFTER_SECS)));
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(|_| ApiError::Internal("the API answer could not be read"))?;
        Ok((status, retry_after, bytes))
    }
}

fn relay(status: StatusCode, bytes: Bytes) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response()
}

/// `GET /demo/config`: `{ apiBaseUrl, frameUrl? }`, as a real backend tells
/// its front end which Keet environment it uses.
async fn front_end_config(State(demo): State<Demo>) -> Json<FrontEndConfig> {
    Json(FrontEndConfig {
        api_base_url: demo.api_origin.to_string(),
        frame_url: demo.frame_url.as_deref().map(str::to_owned),
    })
}

/// `POST /demo/link-token` with a `linkConfig`'s fields: creates a link token.
async fn create_link_token(
    State(demo): State<Demo>,
    JsonBody(link_config): JsonBody<LinkConfig>,
) -> Result<Response, ApiError> {
    let request = serde_json::to_vec(&CreateLinkTokenRequest { link_config })
        .map_err(|_| ApiError::Internal("the demo could not encode a request"))?;
    let (status, bytes) = demo
        .call(Method::POST, paths::LINK_TOKEN, Some(request), None)
        .await?;
    Ok(relay(status, bytes))
}

/// `POST /demo/exchange` with `{ publicToken }`: exchanges it, keeps the
/// account token, and shows the linked account.
async fn exchange(
    State(demo): State<Demo>,
    JsonBody(request): JsonBody<ExchangeRequest>,
) -> Result<Response, ApiError> {
    let body = serde_json::json!({ "publicToken": request.public_token });
    let (status, bytes) = demo
        .call(
            Method::POST,
            paths::EXCHANGE_PUBLIC_TOKEN,
            Some(body.to_string().into_bytes()),
            None,
        )
        .await?;
    if !status.is_success() {
        return Ok(relay(status, bytes));
    }
    let exchanged: ExchangePublicTokenResponse = serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::Internal("the exchange answer did not parse"))?;
    let (status, bytes) = demo
        .call(
            Method::GET,
            paths::LINKED_ACCOUNT,
            None,
            Some(&exchanged.account_token),
        )
        .await?;
    if !status.is_success() {
        return Ok(relay(status, bytes));
    }
    let account: LinkedAccountResponse = serde_json::from_slice(&bytes)
        .map_err(|_| ApiError::Internal("the account answer did not parse"))?;
    if let Some(folder) = &demo.kept {
        folder
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .keep_demo_backend_account(
                &account.linked_account.end_user_id,
                Some(&exchanged.account_token),
            )
            .map_err(|error| {
                tracing::error!(%error, "the demo backend's account was not kept");
                ApiError::Internal("the demo backend's account was not kept")
            })?;
    }
    demo.accounts
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(
            account.linked_account.end_user_id.clone(),
            exchanged.account_token.clone(),
        );
    Ok(Json(ExchangeAnswer {
        status: "ok",
        account_token: exchanged.account_token,
        linked_account: account.linked_account,
    })
    .into_response())
}

impl Demo {
    /// The account token this backend keeps for `end_user_id`.
    fn account_token(&self, end_user_id: &str) -> Result<String, ApiError> {
        self.accounts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(end_user_id)
            .cloned()
            .ok_or(ApiError::NotFound(
                "This demo backend has no linked account for that end user.",
            ))
    }
}

/// `GET /demo/linked-accounts/{endUserId}`: the account this backend stored.
async fn linked_account(
    State(demo): State<Demo>,
    Path(end_user_id): Path<String>,
) -> Result<Response, ApiError> {
    let token = demo.account_token(&end_user_id)?;
    let (status, bytes) = demo
        .call(Method::GET, paths::LINKED_ACCOUNT, None, Some(&token))
        .await?;
    Ok(relay(status, bytes))
}

/// `POST /demo/break-login` with `{ endUserId, integration }`: asks the
/// sandbox to break that login (`POST /v1/sandbox/linked-accounts/me/reset-login`)
/// with the account token this backend keeps.
async fn break_login(
    State(demo): State<Demo>,
    JsonBody(request): JsonBody<BreakLoginRequest>,
) -> Result<Response, ApiError> {
    let token = demo.account_token(&request.end_user_id)?;
    let body = serde_json::json!({ "integration": request.integration });
    let (status, bytes) = demo
        .call(
            Method::POST,
            paths::RESET_LOGIN,
            Some(body.to_string().into_bytes()),
            Some(&token),
        )
        .await?;
    Ok(relay(status, bytes))
}

/// `POST /demo/webhooks`: what a customer's receiver does. It checks the
/// signature on the raw body before reading it (a wrong one is `400`),
/// answers `200` at once, and keeps each event id once, so a redelivery
/// changes nothing.
async fn receive_webhook(
    State(demo): State<Demo>,
    headers: axum::http::HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let signature = headers
        .get(crate::webhooks::SIGNATURE_HEADER)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let Some(secret) = demo.webhook_secret.as_deref() else {
        return Err(ApiError::NotFound(
            "This demo backend receives no webhooks: the sandbox sends none (no --webhook-url).",
        ));
    };
    if let Err(error) =
        crate::webhooks::verify(secret, signature, &body, std::time::SystemTime::now())
    {
        tracing::warn!(%error, "demo backend: a webhook was refused");
        return Ok((
            StatusCode::BAD_REQUEST,
            Json(keet_link_protocol::ErrorBody::new(
                keet_link_protocol::ErrorCode::ValidationError,
                error.to_string(),
            )),
        )
            .into_response());
    }
    let event: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|_| ApiError::Internal("a signed webhook was not JSON"))?;
    let id = event["id"].as_str().unwrap_or_default().to_owned();
    let mut received = demo
        .webhooks
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if received.seen.len() >= WEBHOOK_IDS_KEPT {
        received.seen.clear();
    }
    if received.seen.insert(id) {
        received.events.push_back(event);
        while received.events.len() > WEBHOOKS_SHOWN {
            received.events.pop_front();
        }
    }
    Ok(Json(keet_link_protocol::OkBody::default()).into_response())
}

/// `GET /demo/webhooks`: the events received, oldest first, for the page.
async fn received_webhooks(State(demo): State<Demo>) -> Json<Vec<serde_json::Value>> {
    let received = demo
        .webhooks
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Json(received.events.iter().cloned().collect())
}
