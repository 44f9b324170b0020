//! Serving a router on a listener, with bounds on slow and abusive clients:
//! hyper's own header-read timeout (which also closes a keep-alive
//! connection that sends nothing more), a deadline on reading a body (the
//! JSON extractor's, [`Limits::body`]), and a cap on the connections open
//! at once. `axum::serve` has none of them: a client with half-sent headers
//! kept its connection for ever.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::connect_info::ConnectInfo;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tower::ServiceExt as _;

/// How long the sandbox waits for slow clients, and how many it serves at once.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// A request's headers must arrive within this, and so must the next
    /// request's on a kept-alive connection.
    pub header_read: Duration,
    /// A request's whole body must arrive within this (tower-http's body
    /// timeout only bounds the wait between two chunks, which a byte every
    /// second defeats), or the answer is `408 REQUEST_TIMEOUT`.
    pub body: Duration,
    /// Connections open at once; more wait, unaccepted, until one closes.
    pub connections: usize,
}

/// The sandbox's limits: a browser sends a request's headers and its (at
/// most 64 KiB) body in milliseconds, so seconds are generous; hundreds of
/// connections cover every test suite at once.
pub const LIMITS: Limits = Limits {
    header_read: Duration::from_secs(10),
    body: Duration::from_secs(10),
    connections: 1024,
};

/// Serves `router` on `listener` within `limits` until `shutdown` resolves,
/// then lets the connections in flight finish. Each request carries its
/// client's address (`ConnectInfo<SocketAddr>`).
///
/// # Errors
/// None today: a failed accept (such as too many open files) is waited out.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    limits: Limits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.connections));
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = Arc::clone(&slots).acquire_owned() => slot,
            () = &mut shutdown => break,
        };
        let Ok(slot) = slot else { break };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a moment rather than spin.
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Each answer goes out as soon as it is written. With Nagle's
        // algorithm on, a body written after its headers (a file, streamed)
        // waited for the client's delayed ACK of them: 40 ms on Linux, on
        // every file the demo and the frame load.
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request
                .extensions_mut()
                .insert(ConnectInfo::<SocketAddr>(peer));
            router.clone().oneshot(request)
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that breaks off is its own business.
            let _ = connection.await;
            drop(slot);
        });
    }
    // Connections in flight may finish; none may hold the process for long.
    let _ = tokio::time::timeout(Duration::from_secs(5), graceful.shutdown()).await;
    Ok(())
}
