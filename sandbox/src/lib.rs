//! `keet-sandbox`: a local stand-in for the Keet API.
//!
//! It serves every endpoint of `spec/openapi.yaml` with test credentials, so
//! the whole link flow runs on one machine. Its state is kept in a data
//! folder (`--data-dir`, SQLite), so a restart or a crash keeps every token
//! and account it answered; `--in-memory` forgets them on exit.

pub mod catalogue;
pub mod cli;
pub mod clock;
pub mod demo;
pub mod error;
pub mod http;
pub mod origins;
pub mod serve;
pub mod store;
pub mod test_users;
pub mod texts;
pub mod tokens;
pub mod webhooks;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use keet_link_protocol::secret::Secret;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::http::AppState;
use crate::store::{DataFolder, Lifetimes, StorageError, Store};

/// Where the sandbox keeps its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// In memory only: a restart forgets everything (`--in-memory`).
    InMemory,
    /// In a data folder, made if missing (`--data-dir`).
    Folder(PathBuf),
}

/// Everything the sandbox needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The one API key it accepts.
    pub api_key: Secret,
    /// Token lifetimes.
    pub lifetimes: Lifetimes,
    /// Requests per second per credential.
    pub rate_limit: f64,
    /// Linked accounts kept at most (they never expire).
    pub max_linked_accounts: usize,
    /// A folder to serve at `/` of the demo site (the demo page).
    pub www: Option<PathBuf>,
    /// A folder to serve at `/pkg/` of the demo site (the built package).
    pub pkg: Option<PathBuf>,
    /// The link frame's folder (`frame.html` and its files), served at
    /// `/link/v1/` of the API origin.
    pub frame_app: Option<PathBuf>,
    /// Who may embed the link frame: the CSP `frame-ancestors` sources.
    pub frame_ancestors: String,
    /// The link frame's page when it is hosted apart from the sandbox
    /// (`--frame-url`): the demo's pages load it and their CSP frames it.
    pub frame_url: Option<String>,
    /// The origins registered for the API key: the pages that may run the
    /// widget, and the link frames they embed (the sandbox's own origin is
    /// added).
    pub allowed_origins: origins::AllowedOrigins,
    /// What every expiry rule asks the time of.
    pub clock: Clock,
    /// Where the state is kept.
    pub storage: Storage,
    /// Where webhook events go, if anywhere.
    pub webhooks: Option<webhooks::WebhookSettings>,
}

/// The default of `--frame-ancestors`: any loopback page, which covers the
/// demo site on its own port.
pub const DEFAULT_FRAME_ANCESTORS: &str = "http://127.0.0.1:* http://localhost:*";

/// The sandbox's two sites: the API origin (the Keet API and the link frame)
/// and, when there is a `www` folder, the demo site on an origin of its own
/// (the customer's page, its backend under `/demo/`, and the package).
pub struct Apps {
    /// The API and the link frame.
    pub api: Router,
    /// The demo site, when `www` is set.
    pub site: Option<Router>,
}

/// Both sites. `api_origin` is where the API listens (`http://127.0.0.1:8080`):
/// the demo site's pages learn it from `/demo/config` and their CSP allows
/// framing it.
///
/// # Errors
/// The data folder cannot be used, in a sentence that names it.
pub fn apps(settings: &Settings, api_origin: &str) -> Result<Apps, StorageError> {
    let (key, lifetimes, cap) = (
        settings.api_key.expose(),
        settings.lifetimes,
        settings.max_linked_accounts,
    );
    let (store, demo_folder) = match &settings.storage {
        Storage::InMemory => (Store::new(key, lifetimes, cap), None),
        Storage::Folder(dir) => {
            let store = Store::open(key, lifetimes, cap, DataFolder::open(dir)?)?;
            let demo_folder = match settings.www {
                Some(_) => Some(DataFolder::open(dir)?),
                None => None,
            };
            (store, demo_folder)
        }
    };
    let state = AppState::new(store, settings.rate_limit, settings.clock.clone())
        .delivering_webhooks(settings.webhooks.clone())
        .allowing_origins(settings.allowed_origins.clone().and(api_origin));
    let api_routes = http::api_routes(state);
    let mut api = Router::new().merge(api_routes.clone());
    if let Some(frame) = &settings.frame_app {
        api = api.merge(link_frame(frame, &settings.frame_ancestors));
    }
    let api = outer_layers(api.fallback(not_found));
    let demo_routes = match &settings.www {
        Some(_) => Some(demo::routes(
            api_routes,
            settings.api_key.expose(),
            api_origin,
            settings.frame_url.as_deref(),
            demo_folder,
            settings.webhooks.as_ref().map(|w| w.secret.expose()),
        )?),
        None => None,
    };
    let site = settings
        .www
        .as_ref()
        .zip(demo_routes)
        .map(|(www, demo_routes)| {
            let mut site = Router::new().merge(demo_routes);
            if let Some(pkg) = &settings.pkg {
                site = site.nest_service("/pkg", static_files(pkg));
            }
            let site =
                site.fallback_service(static_files(www))
                    .layer(middleware::from_fn_with_state(
                        Arc::<str>::from(frame_src(api_origin, settings.frame_url.as_deref())),
                        host_page_csp,
                    ));
            outer_layers(site)
        });
    Ok(Apps { api, site })
}

/// The API site alone, for in-process tests.
///
/// # Errors
/// As [`apps`].
pub fn app(settings: &Settings) -> Result<Router, StorageError> {
    Ok(apps(settings, "http://127.0.0.1")?.api)
}

fn outer_layers(router: Router) -> Router {
    router
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::Internal("a handler panicked").into_response()
        }))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(middleware::from_fn(log_request))
}

/// The CSP of the link frame's page and files: the only place that allows
/// `'wasm-unsafe-eval'`. The frame calls the API of its own origin, and may
/// show a company logo from any `https:` or loopback origin (loopback only
/// here, in the sandbox: `deploy/nginx/` allows `https:` alone). Every HTML
/// and script sink takes Trusted Types, and no policy may be made: the
/// modal never writes HTML.
fn frame_csp(frame_ancestors: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
img-src 'self' https: data: http://127.0.0.1:* http://localhost:*; connect-src 'self'; \
base-uri 'none'; form-action 'none'; require-trusted-types-for 'script'; trusted-types 'none'; \
frame-ancestors {frame_ancestors}"
    )
}

/// `/link/v1/frame` (the frame page) and `/link/v1/*` (its script, wasm and CSS).
fn link_frame(dir: &Path, frame_ancestors: &str) -> Router {
    let csp = HeaderValue::from_str(&frame_csp(frame_ancestors))
        .unwrap_or_else(|_| HeaderValue::from_static("frame-ancestors 'none'"));
    // The build names every file the frame page loads by its content, so
    // those are immutable; the page itself is revalidated each time, so a
    // new build reaches users at once. Both come precompressed when the
    // build left `.br`/`.gz` files beside them.
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(axum::routing::any(not_found));
    let page = ServeFile::new(dir.join("frame.html"))
        .precompressed_br()
        .precompressed_gzip();
    let page = Router::new()
        .route_service(keet_link_protocol::paths::FRAME, page)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ));
    let files =
        Router::new()
            .nest_service("/link/v1", files)
            .layer(SetResponseHeaderLayer::overriding(
                header::CACHE_CONTROL,
                |response: &Response| {
                    let is_page = response
                        .headers()
                        .get(header::CONTENT_TYPE)
                        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/html"));
                    Some(HeaderValue::from_static(match response.status() {
                        status if !status.is_success() => "no-store",
                        _ if is_page => "no-cache",
                        _ => "public, max-age=31536000, immutable",
                    }))
                },
            ));
    page.merge(files)
        // Precompressed: a shared cache must key on the encoding asked for.
        .layer(SetResponseHeaderLayer::overriding(
            header::VARY,
            HeaderValue::from_static("accept-encoding"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // A cross-origin-isolated host (COEP: require-corp) may embed only
        // documents that opt in. credentialless, not require-corp, so that a
        // company logo from any https: origin still loads in the frame.
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::HeaderName::from_static("cross-origin-embedder-policy"),
            HeaderValue::from_static("credentialless"),
        ))
}

/// The origins the demo's pages may frame: the API's, and the hosted
/// frame's when there is one.
fn frame_src(api_origin: &str, frame_url: Option<&str>) -> String {
    let frame_origin = frame_url.and_then(|url| {
        let rest = url.split_once("://")?.1;
        let end = rest.find('/').unwrap_or(rest.len());
        Some(&url[..url.len() - rest.len() + end])
    });
    match frame_origin {
        Some(origin) if origin != api_origin => format!("{api_origin} {origin}"),
        _ => api_origin.to_owned(),
    }
}

/// The CSP of a host page on the demo site. By default the strictest a host
/// can have with the frame: scripts from itself only, no wasm, Trusted Types
/// required, and frames from the link origin alone. `?isolation=none` pages
/// run the modal in the page, so theirs allows wasm and calls to the API.
fn host_page_csp_value(api_origin: &str, in_page: bool) -> String {
    let common = "default-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'; \
frame-ancestors 'none'; form-action 'self'";
    if in_page {
        format!(
            "{common}; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' {api_origin}; \
img-src 'self' https: data: {api_origin}"
        )
    } else {
        format!(
            "{common}; script-src 'self'; connect-src 'self'; img-src 'self' data:; \
frame-src {api_origin}; require-trusted-types-for 'script'; trusted-types 'none'"
        )
    }
}

async fn host_page_csp(
    State(api_origin): State<Arc<str>>,
    request: Request,
    next: Next,
) -> Response {
    let in_page = request
        .uri()
        .query()
        .is_some_and(|query| query.split('&').any(|pair| pair == "isolation=none"));
    let mut response = next.run(request).await;
    if let Ok(value) = HeaderValue::from_str(&host_page_csp_value(&api_origin, in_page)) {
        response
            .headers_mut()
            .insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// The demo site's own files and the built package: revalidated each time,
/// and compressed as any real site would serve them (the in-page wasm is
/// 378 KB raw, 128 KB brotli: a phone on a slow network would otherwise
/// wait for the difference, and the bench would measure it). The build's
/// `.br`/`.gz` files when it left them (brotli -q 11, no work per request),
/// else compressed on the fly (a package installed from npm has none).
fn static_files(dir: &std::path::Path) -> Router {
    let files = ServeDir::new(dir)
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(axum::routing::any(not_found));
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
        .layer(tower_http::compression::CompressionLayer::new())
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
    fn the_demo_pages_may_frame_a_frame_hosted_apart_from_the_api() {
        let api = "http://127.0.0.1:8080";
        assert_eq!(frame_src(api, None), api);
        assert_eq!(
            frame_src(api, Some("http://127.0.0.1:8090/link/v1/frame")),
            "http://127.0.0.1:8080 http://127.0.0.1:8090"
        );
        assert_eq!(
            frame_src(api, Some("http://127.0.0.1:8080/other/frame")),
            api
        );
    }

    #[test]
    fn settings_debug_hides_the_api_key() {
        let settings = Settings {
            api_key: "sk_sandbox_topsecret".into(),
            lifetimes: Lifetimes {
                link_token: std::time::Duration::from_secs(1),
                public_token: std::time::Duration::from_secs(1),
                resend_cooldown: std::time::Duration::from_secs(1),
            },
            rate_limit: 1.0,
            max_linked_accounts: 1,
            www: None,
            pkg: None,
            frame_app: None,
            frame_ancestors: DEFAULT_FRAME_ANCESTORS.into(),
            frame_url: None,
            allowed_origins: origins::AllowedOrigins::default(),
            clock: Clock::system(),
            storage: Storage::InMemory,
            webhooks: None,
        };
        assert!(!format!("{settings:?}").contains("topsecret"));
    }
}
