//! Webhooks: the events the store makes, signed and delivered to the
//! customer's endpoint (`--webhook-url`) at least once.
//!
//! A delivery is `POST <url>` with the event as JSON and
//! `Keet-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`
//! (Stripe's scheme), so a receiver can refuse a body that was changed and
//! one replayed later. A non-2xx answer, a refused connection or no answer
//! within [`ATTEMPT_TIMEOUT`] is retried with the same event (same `id`)
//! after 1, 2, 4, … times `--webhook-retry-ms`, up to `--webhook-attempts`
//! attempts. Deliveries run beside the API and never delay its answers. At
//! most [`QUEUE`] events wait and [`CONCURRENT`] are in flight; an event
//! that finds the queue full is dropped, logged and counted. With a data
//! folder, an event is in its outbox from the moment it is made until it is
//! delivered or given up, so a restart delivers what was left.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use hmac::{Hmac, Mac};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use keet_link_protocol::secret::Secret;
use keet_link_protocol::WebhookEvent;
use sha2::Sha256;

use crate::clock::Clock;
use crate::store::{Store, WebhookSink};
use crate::tokens::hex;

/// The header that carries the signature.
pub const SIGNATURE_HEADER: &str = "Keet-Signature";
/// Every webhook secret starts with this.
pub const SECRET_PREFIX: &str = "whsec_";
/// How old a signature a receiver should still accept (Stripe's default).
pub const TOLERANCE: Duration = Duration::from_secs(5 * 60);
/// Events waiting for delivery, at most.
pub const QUEUE: usize = 1024;
/// Deliveries in flight (each with its retries), at most.
pub const CONCURRENT: usize = 16;
/// One attempt's deadline.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// Where and how the sandbox delivers webhooks.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// The customer's endpoint (`http://`).
    pub url: String,
    /// The signing secret, `whsec_…`.
    pub secret: Secret,
    /// Attempts per event, the first included.
    pub attempts: u32,
    /// The wait before the first retry; each next one doubles it.
    pub first_retry: Duration,
}

/// `Keet-Signature` for `body` sent at `unix_seconds`.
pub fn sign(secret: &str, unix_seconds: u64, body: &[u8]) -> String {
    format!(
        "t={unix_seconds},v1={}",
        hex(&mac(secret, unix_seconds, body))
    )
}

fn mac(secret: &str, unix_seconds: u64, body: &[u8]) -> [u8; 32] {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    mac.update(unix_seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().into()
}

/// Why a delivery's signature is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The header is missing or not `t=…,v1=…`.
    #[error("the Keet-Signature header is missing or is not t=<seconds>,v1=<hex>")]
    Malformed,
    /// Signed too long ago (or in the future): a replay, or a wrong clock.
    #[error("the Keet-Signature timestamp is more than five minutes from now")]
    Stale,
    /// No `v1` matches: another secret, or a changed body.
    #[error("the Keet-Signature does not match the body with this secret")]
    Mismatch,
}

/// Checks a delivery as a receiver must: `header` is its `Keet-Signature`,
/// `body` its raw bytes (before any JSON parsing), `now` the receiver's
/// clock. The comparison is constant-time.
///
/// # Errors
/// Which check failed.
pub fn verify(
    secret: &str,
    header: &str,
    body: &[u8],
    now: SystemTime,
) -> Result<(), SignatureError> {
    let mut timestamp = None;
    let mut candidates = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<u64>().ok(),
            Some(("v1", value)) => candidates.push(value),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or(SignatureError::Malformed)?;
    if candidates.is_empty() {
        return Err(SignatureError::Malformed);
    }
    let now = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    if now.abs_diff(timestamp) > TOLERANCE.as_secs() {
        return Err(SignatureError::Stale);
    }
    let expected = hex(&mac(secret, timestamp, body));
    let matches = candidates.iter().any(|candidate| {
        subtle::ConstantTimeEq::ct_eq(candidate.as_bytes(), expected.as_bytes()).into()
    });
    matches.then_some(()).ok_or(SignatureError::Mismatch)
}

/// Starts delivering to `settings.url` on the current tokio runtime, and
/// returns the sink the store hands its events to. Each event, once
/// delivered or given up on, leaves `store`'s outbox.
pub fn deliver_from(
    settings: WebhookSettings,
    store: Weak<Mutex<Store>>,
    clock: Clock,
) -> Option<WebhookSink> {
    let runtime = tokio::runtime::Handle::try_current().ok()?;
    let (queue, mut waiting) = tokio::sync::mpsc::channel::<WebhookEvent>(QUEUE);
    let dropped = Arc::new(AtomicU64::new(0));
    let sink = WebhookSink::new(move |event: WebhookEvent| {
        if let Err(refused) = queue.try_send(event) {
            let count = dropped.fetch_add(1, Ordering::Relaxed) + 1;
            let event = match refused {
                tokio::sync::mpsc::error::TrySendError::Full(event)
                | tokio::sync::mpsc::error::TrySendError::Closed(event) => event,
            };
            tracing::error!(
                id = %event.id,
                event = event.event_type.as_str(),
                dropped = count,
                "webhook queue full: event dropped (it stays in the data folder's outbox, if any, until a restart)"
            );
        }
    });
    let settings = Arc::new(settings);
    runtime.spawn(async move {
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let slots = Arc::new(tokio::sync::Semaphore::new(CONCURRENT));
        while let Some(event) = waiting.recv().await {
            let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                break;
            };
            let (client, settings, store, clock) = (
                client.clone(),
                Arc::clone(&settings),
                store.clone(),
                clock.clone(),
            );
            tokio::spawn(async move {
                deliver(&client, &settings, &event, &clock).await;
                if let Some(store) = store.upgrade() {
                    store
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .webhook_settled(&event.id);
                }
                drop(slot);
            });
        }
    });
    Some(sink)
}

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

/// Tries `event` until a 2xx or the last attempt.
async fn deliver(
    client: &HttpClient,
    settings: &WebhookSettings,
    event: &WebhookEvent,
    clock: &Clock,
) {
    let Ok(body) = serde_json::to_vec(event) else {
        tracing::error!(id = %event.id, "a webhook event did not serialize");
        return;
    };
    let body = Bytes::from(body);
    let mut wait = settings.first_retry;
    for attempt in 1..=settings.attempts.max(1) {
        let unix = clock
            .now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        let request = hyper::Request::post(&settings.url)
            .header(hyper::header::CONTENT_TYPE, "application/json")
            .header(hyper::header::USER_AGENT, "keet-sandbox-webhooks")
            .header(
                SIGNATURE_HEADER,
                sign(settings.secret.expose(), unix, &body),
            )
            .body(Full::new(body.clone()));
        let outcome = match request {
            Ok(request) => tokio::time::timeout(ATTEMPT_TIMEOUT, client.request(request))
                .await
                .map_err(|_| "no answer in time".to_owned())
                .and_then(|answer| answer.map_err(|error| error.to_string()))
                .map(|answer| answer.status()),
            Err(error) => Err(error.to_string()),
        };
        match outcome {
            Ok(status) if status.is_success() => {
                tracing::info!(id = %event.id, event = event.event_type.as_str(), attempt, "webhook delivered");
                return;
            }
            Ok(status) => {
                tracing::warn!(id = %event.id, attempt, status = status.as_u16(), "webhook refused")
            }
            Err(error) => tracing::warn!(id = %event.id, attempt, %error, "webhook not delivered"),
        }
        if attempt < settings.attempts {
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(MAX_BACKOFF);
        }
    }
    tracing::error!(id = %event.id, event = event.event_type.as_str(), attempts = settings.attempts, "webhook given up");
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_0123456789abcdef";

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn a_signed_body_verifies_and_a_changed_one_does_not() {
        let body = br#"{"id":"evt_1","type":"LINKED_ACCOUNT_DELETED"}"#;
        let header = sign(SECRET, 1_000_000, body);
        assert!(header.starts_with("t=1000000,v1="));
        assert_eq!(verify(SECRET, &header, body, at(1_000_010)), Ok(()));
        let tampered = br#"{"id":"evt_2","type":"LINKED_ACCOUNT_DELETED"}"#;
        assert_eq!(
            verify(SECRET, &header, tampered, at(1_000_010)),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("whsec_other", &header, body, at(1_000_010)),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn the_signer_agrees_with_the_published_vector_the_readme_verifier_is_tested_on() {
        let vector: serde_json::Value =
            serde_json::from_str(include_str!("../../spec/webhook-signature.json")).unwrap();
        let header = sign(
            vector["secret"].as_str().unwrap(),
            vector["t"].as_u64().unwrap(),
            vector["body"].as_str().unwrap().as_bytes(),
        );
        assert_eq!(header, vector["header"].as_str().unwrap());
    }

    #[test]
    fn an_old_or_malformed_signature_is_refused() {
        let body = b"{}";
        let header = sign(SECRET, 1_000_000, body);
        assert_eq!(
            verify(SECRET, &header, body, at(1_000_000 + 301)),
            Err(SignatureError::Stale)
        );
        for bad in ["", "t=1", "v1=00", "t=x,v1=00"] {
            assert_eq!(
                verify(SECRET, bad, body, at(1_000_000)),
                Err(SignatureError::Malformed),
                "{bad}"
            );
        }
    }
}
