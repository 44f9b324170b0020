//! `keet-sandbox`: serves the Keet API on loopback with test credentials.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use keet_link::protocol::API_KEY_PREFIX;
use keet_sandbox::store::{test_users, Lifetimes};
use keet_sandbox::{app, Settings};

/// A local stand-in for the Keet API, with test credentials.
#[derive(Parser)]
#[command(name = "keet-sandbox", version)]
struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    port: u16,
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
    /// Folder to serve at / (the demo page).
    #[arg(long)]
    www: Option<PathBuf>,
    /// Folder to serve at /pkg/ (the built widget).
    #[arg(long)]
    pkg: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cli = Cli::parse();
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
    for dir in [&cli.www, &cli.pkg].into_iter().flatten() {
        if !dir.is_dir() {
            return Err(format!("{} is not a folder", dir.display()).into());
        }
    }
    let settings = Settings {
        api_key,
        lifetimes: Lifetimes {
            link_token: Duration::from_secs(cli.link_token_ttl),
            public_token: Duration::from_secs(cli.public_token_ttl),
        },
        rate_limit: cli.rate_limit,
        www: cli.www,
        pkg: cli.pkg,
    };

    let listener = tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await?;
    let address: SocketAddr = listener.local_addr()?;
    // These lines are the sandbox's user interface, on stdout; request logs go
    // to stderr and never carry a secret.
    println!("listening on http://{address}");
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
        "passwordless (WhatsApp, Uber): phone {} then code {}",
        test_users::PHONE,
        test_users::CODE
    );
    if settings.www.is_some() {
        println!("demo: http://{address}/");
    }

    axum::serve(listener, app(&settings))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
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
