//! `keet-sandbox`: serves the Keet API on loopback with test credentials.

use std::net::SocketAddr;

use clap::Parser;
use keet_sandbox::catalogue;
use keet_sandbox::cli::Cli;
use keet_sandbox::serve::{serve, LIMITS};
use keet_sandbox::test_users;

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

    let (mut settings, key_was_generated) = cli.settings()?;

    let listener = tokio::net::TcpListener::bind((cli.host.as_str(), cli.port)).await?;
    let address: SocketAddr = listener.local_addr()?;
    let api_origin = format!("http://{address}");
    let demo_listener = match &settings.www {
        Some(_) => {
            let port = cli.demo_port.unwrap_or(if cli.port == 0 {
                0
            } else {
                cli.port.saturating_add(1)
            });
            Some(tokio::net::TcpListener::bind((cli.host.as_str(), port)).await?)
        }
        None => None,
    };
    let demo_origin = match &demo_listener {
        Some(listener) => Some(format!("http://{}", listener.local_addr()?)),
        None => None,
    };
    // The demo backend is the webhook receiver to copy: it gets them by default.
    if let (None, Some(demo)) = (&settings.webhooks, &demo_origin) {
        settings.webhooks = Some(cli.webhooks_to(&format!("{demo}/demo/webhooks"))?);
    }
    let apps = match keet_sandbox::apps(&settings, &api_origin) {
        Ok(apps) => apps,
        Err(error) => {
            eprintln!("keet-sandbox: {error}");
            std::process::exit(2);
        }
    };
    let site = demo_listener.zip(apps.site);
    // Before anyone is told the sandbox is ready: a signal that comes the
    // moment after must find its handler (`ctrl_c()` registers only when
    // first polled, which raced a harness's SIGINT under load).
    let signals = StopSignals::install()?;
    if cli.ready_json {
        // For harnesses: one line they parse, with the key they are to use.
        let ready = serde_json::json!({
            "api": api_origin,
            "demo": demo_origin,
            "apiKey": settings.api_key.expose(),
            "webhookSecret": settings.webhooks.as_ref().map(|w| w.secret.expose()),
        });
        println!("{ready}");
    } else {
        print_welcome(
            &api_origin,
            demo_origin.as_deref(),
            &settings,
            key_was_generated,
            !cli.webhook_secret_given(),
        );
    }
    // Harnesses read stdout through a pipe: hand the line over now.
    std::io::Write::flush(&mut std::io::stdout())?;

    let (stop, stopped) = tokio::sync::watch::channel(false);
    let until_stopped = move || {
        let mut stopped = stopped.clone();
        async move {
            let _ = stopped.wait_for(|stop| *stop).await;
        }
    };
    let api = serve(listener, apps.api, LIMITS, until_stopped());
    let demo = async {
        match site {
            Some((listener, router)) => serve(listener, router, LIMITS, until_stopped()).await,
            None => Ok(()),
        }
    };
    let signal = async move {
        signals.recv().await;
        let _ = stop.send(true);
        Ok::<(), std::io::Error>(())
    };
    tokio::try_join!(api, demo, signal)?;
    tracing::info!("stopped");
    Ok(())
}

/// The startup text for people, on stdout; request logs go to stderr and
/// never carry a secret.
fn print_welcome(
    api_origin: &str,
    demo_origin: Option<&str>,
    settings: &keet_sandbox::Settings,
    key_was_generated: bool,
    secret_was_generated: bool,
) {
    println!("listening on {api_origin}");
    if let Some(demo) = demo_origin {
        println!("demo site on {demo}");
    }
    if key_was_generated {
        println!("API key: {}", settings.api_key.expose());
    } else {
        println!("API key: the one given by --api-key / KEET_SANDBOX_API_KEY");
    }
    println!(
        "test logins (every integration with a password; password {}):",
        test_users::PASSWORD
    );
    for line in test_users::summary() {
        println!("{line}");
    }
    println!(
        "passwordless ({}): phone {} then code {}",
        catalogue::passwordless_names(),
        test_users::PHONE,
        test_users::CODE
    );
    if let Some(webhooks) = &settings.webhooks {
        let secret = match secret_was_generated {
            true => webhooks.secret.expose(),
            false => "the one given by --webhook-secret / KEET_SANDBOX_WEBHOOK_SECRET",
        };
        println!(
            "webhooks to {} ({} attempts), signing secret: {secret}",
            webhooks.url, webhooks.attempts
        );
    }
    match &settings.storage {
        keet_sandbox::Storage::Folder(dir) => {
            println!("state kept in {} (--in-memory to keep none)", dir.display())
        }
        keet_sandbox::Storage::InMemory => println!("state in memory: a restart forgets it"),
    }
    if let Some(demo) = demo_origin {
        println!("open the demo: {demo}/");
    }
}

/// SIGINT and SIGTERM, each with its handler installed when made.
struct StopSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl StopSignals {
    fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    /// Waits for either.
    async fn recv(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}
