//! `keet-sandbox`: a local stand-in for the Keet API.
//!
//! It serves every endpoint of `spec/openapi.yaml` with test credentials, so
//! the whole link flow runs on one machine. State is in memory: a restart
//! forgets every token and account.

pub mod catalogue;
pub mod demo;
pub mod error;
pub mod http;
pub mod store;
pub mod tokens;

use std::path::PathBuf;
use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::ApiError;
use crate::http::AppState;
use crate::store::{Lifetimes, Store};

/// Everything the sandbox needs to start.
#[derive(Clone)]
pub struct Settings {
    /// The one API key it accepts.
    pub api_key: String,
    /// Token lifetimes.
    pub lifetimes: Lifetimes,
    /// Requests per second per credential.
    pub rate_limit: f64,
    /// A folder to serve at `/` (the demo page).
    pub www: Option<PathBuf>,
    /// A folder to serve at `/pkg/` (the built widget).
    pub pkg: Option<PathBuf>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("api_key", &"[redacted]")
            .field("lifetimes", &self.lifetimes)
            .field("rate_limit", &self.rate_limit)
            .field("www", &self.www)
            .field("pkg", &self.pkg)
            .finish()
    }
}

/// Content-Security-Policy of the demo pages: the widget must work under it.
const DEMO_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' https: data:; connect-src 'self'; object-src 'none'; \
base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The whole application: API, demo backend, static files, logging.
pub fn app(settings: &Settings) -> Router {
    let state = AppState::new(
        Store::new(&settings.api_key, settings.lifetimes),
        settings.rate_limit,
    );
    let api = http::api_routes(state);
    let mut app = Router::new()
        .merge(api.clone())
        .merge(demo::routes(api, &settings.api_key));
    if let Some(pkg) = &settings.pkg {
        app = app.nest_service("/pkg", static_files(pkg));
    }
    app = match &settings.www {
        Some(www) => app.fallback_service(static_files(www)),
        None => app.fallback(not_found),
    };
    app.layer(CatchPanicLayer::custom(|_| {
        ApiError::Internal("a handler panicked").into_response()
    }))
    .layer(SetResponseHeaderLayer::overriding(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    ))
    .layer(middleware::from_fn(log_request))
}

fn static_files(dir: &std::path::Path) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(dir).not_found_service(axum::routing::any(not_found)))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(DEMO_CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

async fn not_found() -> ApiError {
    ApiError::NotFound("There is nothing at this path.")
}

/// One log line per request: method, route, status, duration. Never headers,
/// bodies or query strings, and a path that looks like it holds a token is
/// replaced by its route.
async fn log_request(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let route = match request.extensions().get::<MatchedPath>() {
        Some(matched) => matched.as_str().to_owned(),
        None => loggable_path(request.uri().path()),
    };
    let started = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let millis = started.elapsed().as_millis() as u64;
    if status >= 500 {
        tracing::warn!(%method, route, status, millis, "request");
    } else {
        tracing::info!(%method, route, status, millis, "request");
    }
    response
}

/// `path`, unless a segment could be a secret (it starts like a token, or
/// is long enough to be one), in which case a placeholder.
fn loggable_path(path: &str) -> String {
    let suspicious = path.split('/').any(|segment| {
        let lower = segment.to_ascii_lowercase();
        ["sk_", "link_", "public_", "acc_", "bearer"]
            .iter()
            .any(|prefix| lower.starts_with(prefix))
            || lower.contains("pass")
            || segment.len() > 40
    });
    if suspicious || path.len() > 200 {
        "[path withheld]".to_owned()
    } else {
        path.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_looking_paths_are_withheld_from_logs() {
        assert_eq!(loggable_path("/v1/link/session"), "/v1/link/session");
        assert_eq!(loggable_path("/v1/link_sandbox_abc"), "[path withheld]");
        assert_eq!(loggable_path("/x/Bearer%20sk_1"), "[path withheld]");
        assert_eq!(
            loggable_path("/pkg/web/keet_link_bg.wasm"),
            "/pkg/web/keet_link_bg.wasm"
        );
        assert_eq!(
            loggable_path(&format!("/{}", "a".repeat(41))),
            "[path withheld]"
        );
    }

    #[test]
    fn settings_debug_hides_the_api_key() {
        let settings = Settings {
            api_key: "sk_sandbox_topsecret".into(),
            lifetimes: Lifetimes {
                link_token: std::time::Duration::from_secs(1),
                public_token: std::time::Duration::from_secs(1),
            },
            rate_limit: 1.0,
            www: None,
            pkg: None,
        };
        assert!(!format!("{settings:?}").contains("topsecret"));
    }
}
