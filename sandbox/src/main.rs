//! `keet-sandbox`: serves the Keet API on loopback with test credentials.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use keet_link::protocol::API_KEY_PREFIX;
use keet_sandbox::catalogue;
use keet_sandbox::store::{test_users, Lifetimes};
use keet_sandbox::Settings;

/// A local stand-in for the Keet API, with test credentials.
#[derive(Parser)]
#[command(name = "keet-sandbox", version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port of the API and the link frame; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Port of the demo site (with --www): another origin than the API's, as
    /// a customer's site is. Default: --port + 1, or a free one when --port is 0.
    #[arg(long)]
    demo_port: Option<u16>,
    /// Who may embed the link frame: CSP frame-ancestors sources.
    #[arg(long, default_value = keet_sandbox::DEFAULT_FRAME_ANCESTORS)]
    frame_ancestors: String,
    /// The API key to accept; when absent, one is generated and printed.
    #[arg(long, env = "KEET_SANDBOX_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Lifetime of a link token, in seconds.
    #[arg(long, default_value_t = 1800, value_parser = clap::value_parser!(u64).range(1..))]
    link_token_ttl: u64,
    /// Lifetime of a public token, in seconds.
    #[arg(long, default_value_t = 1800, value_parser = clap::value_parser!(u64).range(1..))]
    public_token_ttl: u64,
    /// Requests per second per credential (bursts of twice that).
    #[arg(long, default_value_t = 20.0)]
    rate_limit: f64,
    /// Linked accounts kept at most; they never expire, so past this an
    /// exchange for a new end user is refused (403) until one is deleted.
    #[arg(long, default_value_t = keet_sandbox::store::DEFAULT_MAX_LINKED_ACCOUNTS as u64, value_parser = clap::value_parser!(u64).range(1..))]
    max_linked_accounts: u64,
    /// Folder to serve at / of the demo site (the demo page).
    #[arg(long)]
    www: Option<PathBuf>,
    /// The built package, served at /pkg/ of the demo site.
    #[arg(long)]
    pkg: Option<PathBuf>,
    /// The link frame's folder, served at /link/v1/ of the API origin.
    /// Default: the frame/ folder of --pkg, when it has a frame.html.
    #[arg(long)]
    frame_app: Option<PathBuf>,
    /// Print the integration catalogue as JSON and exit.
    #[arg(long)]
    catalogue: bool,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cli = Cli::parse();
    if cli.catalogue {
        println!("{}", serde_json::to_string(&catalogue::listing())?);
        return Ok(());
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "keet_sandbox=info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .init();

    if !(cli.rate_limit.is_finite() && cli.rate_limit > 0.0) {
        return Err("--rate-limit must be a number above 0".into());
    }
    let (api_key, key_was_generated) = match cli.api_key {
        Some(key) if key.starts_with(API_KEY_PREFIX) && key.len() >= API_KEY_PREFIX.len() + 16 => {
            (key, false)
        }
        Some(_) => {
            return Err(format!(
                "--api-key must start with {API_KEY_PREFIX} and have at least 16 more characters"
            )
            .into())
        }
        None => (keet_sandbox::tokens::mint(API_KEY_PREFIX)?, true),
    };
    for dir in [&cli.www, &cli.pkg, &cli.frame_app].into_iter().flatten() {
        if !dir.is_dir() {
            return Err(format!("{} is not a folder", dir.display()).into());
        }
    }
    let frame_app = cli.frame_app.or_else(|| {
        let frame = cli.pkg.as_ref()?.join("frame");
        frame.join("frame.html").is_file().then_some(frame)
    });
    if let Some(frame) = &frame_app {
        if !frame.join("frame.html").is_file() {
            return Err(format!("{} has no frame.html", frame.display()).into());
        }
    }
    let settings = Settings {
        api_key,
        lifetimes: Lifetimes {
            link_token: Duration::from_secs(cli.link_token_ttl),
            public_token: Duration::from_secs(cli.public_token_ttl),
        },
        rate_limit: cli.rate_limit,
        max_linked_accounts: usize::try_from(cli.max_linked_accounts).unwrap_or(usize::MAX),
        www: cli.www,
        pkg: cli.pkg,
        frame_app,
        frame_ancestors: cli.frame_ancestors,
    };
    if settings.frame_ancestors.contains([';', ',', '\n', '\r']) {
        return Err("--frame-ancestors takes space-separated CSP sources, with no ; or ,".into());
    }

    let listener = tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await?;
    let address: SocketAddr = listener.local_addr()?;
    let api_origin = format!("http://{address}");
    let apps = keet_sandbox::apps(&settings, &api_origin);
    let site = match apps.site {
        Some(site) => {
            let port = cli.demo_port.unwrap_or(if cli.port == 0 {
                0
            } else {
                cli.port.saturating_add(1)
            });
            let listener = tokio::net::TcpListener::bind((cli.host.as_str(), port)).await?;
            Some((listener.local_addr()?, listener, site))
        }
        None => None,
    };
    // These lines are the sandbox's user interface, on stdout; request logs go
    // to stderr and never carry a secret.
    println!("listening on {api_origin}");
    if let Some((demo_address, _, _)) = &site {
        println!("demo site on http://{demo_address}");
    }
    if key_was_generated {
        println!("API key: {}", settings.api_key);
    } else {
        println!("API key: the one given by --api-key / KEET_SANDBOX_API_KEY");
    }
    println!(
        "test logins (every integration): {good}/{pw} succeeds; {mfa}/{pw} asks for code {code}; \
         {locked} is locked; {slow}/{pw} takes 3 s; {flaky}/{pw} fails once, then succeeds on retry",
        good = test_users::GOOD,
        mfa = test_users::MFA,
        pw = test_users::PASSWORD,
        code = test_users::CODE,
        locked = test_users::LOCKED,
        slow = test_users::SLOW,
        flaky = test_users::FLAKY,
    );
    println!(
        "faults (test only): {}/{pw}, {}/{pw} and {}/{pw} log in, but the first answer under each key is \
         a 502 with HTML, a 200 of the wrong shape, or truncated JSON",
        test_users::BAD_GATEWAY,
        test_users::WRONG_SHAPE,
        test_users::TRUNCATED,
        pw = test_users::PASSWORD,
    );
    println!(
        "passwordless ({}): phone {} then code {}",
        catalogue::passwordless_names(),
        test_users::PHONE,
        test_users::CODE
    );
    if let Some((demo_address, _, _)) = &site {
        println!("open the demo: http://{demo_address}/");
    }

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let until_stopped = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    };
    let api = axum::serve(listener, apps.api).with_graceful_shutdown(until_stopped());
    let demo = async {
        match site {
            Some((_, listener, router)) => {
                axum::serve(listener, router)
                    .with_graceful_shutdown(until_stopped())
                    .await
            }
            None => Ok(()),
        }
    };
    let signal = async move {
        shutdown_signal().await;
        let _ = stop.send(true);
        Ok::<(), std::io::Error>(())
    };
    tokio::try_join!(api, demo, signal)?;
    tracing::info!("stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate =
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(signal) => signal,
            Err(_) => {
                let _ = interrupt.await;
                return;
            }
        };
    tokio::select! {
        _ = interrupt => {}
        _ = terminate.recv() => {}
    }
}
