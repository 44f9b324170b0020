//! What each handler needs from a request, stated in its signature: the
//! credential it takes, the idempotency key, the JSON body. Each extractor
//! refuses with the contract's JSON error, so a handler only ever sees a
//! checked request. axum runs them in argument order, the body last, which
//! is the contract's order of checks: credential, then headers, then body.

use axum::body::Body;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use keet_link_i18n::Locale;
use keet_link_protocol::secret::Secret;
use keet_link_protocol::{
    FieldErrorCode, ACCOUNT_TOKEN_HEADER, EMBEDDER_ORIGIN_HEADER, IDEMPOTENCY_KEY_HEADER,
    MAX_BODY_BYTES, MAX_IDEMPOTENCY_KEY_CHARS,
};
use serde::de::DeserializeOwned;

use super::json::parse_json;
use super::AppState;
use crate::error::ApiError;
use crate::store::Credential;
use crate::tokens::TokenDigest;

/// The customer's API key, from a backend: a server endpoint's credential.
#[derive(Debug)]
pub struct ApiKey;

/// A link token, resolved to the session it names: a widget endpoint's
/// credential.
#[derive(Debug)]
pub struct LinkSession(pub String);

/// The `X-Account-Token` header, present and not blank (not yet looked up).
#[derive(Debug)]
pub struct AccountToken(pub Secret);

/// The `Idempotency-Key` header: 1 to 255 visible ASCII characters.
#[derive(Debug)]
pub struct IdempotencyKey(pub String);

/// The locale the end user reads, from `Accept-Language` (English when it
/// is absent or names nothing supported); never refuses.
#[derive(Debug, Clone, Copy)]
pub struct Language(pub Locale);

/// A JSON body read into `T`: 415 for another content type, 413 over
/// 64 KiB, 400 naming each bad field.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

#[derive(Debug, Clone, Copy)]
enum Kind {
    Server,
    Widget,
}

/// Authenticates the bearer credential, charges its rate limit, and checks
/// that it is of the `expected` kind.
fn authorize(state: &AppState, parts: &Parts, expected: Kind) -> Result<Credential, ApiError> {
    let headers = &parts.headers;
    // The client's address, when the server gave one (crate::serve does).
    let address = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(address) = address {
        state.failures.check(address)?;
    }
    let bearer = bearer(headers)?;
    let credential = match state.store().authenticate(bearer, state.clock.now()) {
        Err(unknown @ ApiError::InvalidToken(_)) => {
            if let Some(address) = address {
                state.failures.record(address)?;
            }
            return Err(unknown);
        }
        other => other?,
    };
    state.limiter.charge(TokenDigest::of(bearer))?;
    match (&credential, expected) {
        (Credential::ApiKey, Kind::Server) => {
            if headers.contains_key(header::ORIGIN) {
                return Err(ApiError::Forbidden(
                    "API keys must never be used from a browser: call this endpoint from your backend.",
                ));
            }
            Ok(credential)
        }
        (Credential::LinkToken { .. }, Kind::Widget) => {
            // The page's origin (in-page), or the frame's and the page's that
            // embeds it (framed): each must be registered for the key.
            let named = [header::ORIGIN.as_str(), EMBEDDER_ORIGIN_HEADER]
                .into_iter()
                .filter_map(|name| headers.get(name));
            for origin in named {
                if !origin.to_str().is_ok_and(|o| state.origins.allows(o)) {
                    return Err(ApiError::OriginNotAllowed);
                }
            }
            Ok(credential)
        }
        (_, Kind::Server) => Err(ApiError::Forbidden("This endpoint needs your API key.")),
        (_, Kind::Widget) => Err(ApiError::Forbidden("This endpoint needs a link token.")),
    }
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

impl FromRequestParts<AppState> for ApiKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        authorize(state, parts, Kind::Server).map(|_| Self)
    }
}

impl FromRequestParts<AppState> for LinkSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match authorize(state, parts, Kind::Widget)? {
            Credential::LinkToken { session_id } => Ok(Self(session_id)),
            _ => Err(ApiError::Internal(
                "a widget credential was not a link token",
            )),
        }
    }
}

impl<S: Sync> FromRequestParts<S> for AccountToken {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        const MISSING: &str = "Send the account token in the X-Account-Token header.";
        let value = parts
            .headers
            .get(ACCOUNT_TOKEN_HEADER)
            .ok_or(ApiError::MissingToken(MISSING))?
            .to_str()
            .map_err(|_| ApiError::InvalidToken("The account token is not valid."))?
            .trim();
        if value.is_empty() {
            return Err(ApiError::MissingToken(MISSING));
        }
        Ok(Self(value.into()))
    }
}

impl<S: Sync> FromRequestParts<S> for Language {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        Ok(Self(Locale::from_accept_language(header)))
    }
}

impl<S: Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let field = IDEMPOTENCY_KEY_HEADER;
        let value = parts.headers.get(field).ok_or_else(|| {
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
        Ok(Self(text.to_owned()))
    }
}

impl<T: DeserializeOwned, S: Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _: &S) -> Result<Self, ApiError> {
        let (parts, body) = request.into_parts();
        read_json(&parts.headers, body).await.map(Self)
    }
}

async fn read_json<T: DeserializeOwned>(headers: &HeaderMap, body: Body) -> Result<T, ApiError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if !mime.eq_ignore_ascii_case("application/json") {
        return Err(ApiError::UnsupportedMediaType);
    }
    // The whole body within the deadline: a client that trickles it in
    // a byte at a time holds nothing for long.
    let bytes = tokio::time::timeout(
        crate::serve::LIMITS.body,
        axum::body::to_bytes(body, MAX_BODY_BYTES),
    )
    .await
    .map_err(|_| ApiError::RequestTimeout)?
    .map_err(|_| ApiError::PayloadTooLarge)?;
    parse_json(&bytes)
}
