//! The sandbox's flags, and the [`Settings`] they come to. The binary and
//! the in-process tests read the same flags, so a test starts exactly the
//! sandbox a flag describes.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use keet_link_protocol::API_KEY_PREFIX;

use crate::clock::Clock;
use crate::store::{Lifetimes, DEFAULT_MAX_LINKED_ACCOUNTS};
use crate::webhooks::{WebhookSettings, SECRET_PREFIX};
use crate::{Settings, Storage, DEFAULT_FRAME_ANCESTORS};

/// The shortest API key accepted: a key is a password to the whole
/// account, so it is long enough that guessing is hopeless (the generated
/// one has 48 random hex digits).
pub const MIN_API_KEY_CHARS: usize = 32;

/// The data folder when none is named: in the folder the sandbox starts
/// in, which for `npm start` is the repository's (and Git ignores it).
pub const DEFAULT_DATA_DIR: &str = ".keet-sandbox";

/// A local stand-in for the Keet API, with test credentials.
#[derive(Debug, Parser)]
#[command(name = "keet-sandbox", version)]
pub struct Cli {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// Port of the API and the link frame; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Port of the demo site (with --www): another origin than the API's, as
    /// a customer's site is. Default: --port + 1, or a free one when --port is 0.
    #[arg(long)]
    pub demo_port: Option<u16>,
    /// Who may embed the link frame: CSP frame-ancestors sources.
    #[arg(long, default_value = DEFAULT_FRAME_ANCESTORS)]
    frame_ancestors: String,
    /// The origins registered for the API key: the pages that may run the
    /// widget, and any link frame hosted apart from the sandbox
    /// (space-separated; `:*` for any port). Others get 403
    /// ORIGIN_NOT_ALLOWED.
    #[arg(long, default_value = crate::origins::DEFAULT_ALLOWED_ORIGINS)]
    allowed_origins: String,
    /// The API key to accept; when absent, one is generated and printed.
    #[arg(long, env = "KEET_SANDBOX_API_KEY", hide_env_values = true)]
    api_key: Option<String>,
    /// Lifetime of a link token, in seconds.
    #[arg(long, default_value_t = 1800, value_parser = clap::value_parser!(u64).range(1..))]
    link_token_ttl: u64,
    /// Lifetime of a public token, in seconds.
    #[arg(long, default_value_t = 1800, value_parser = clap::value_parser!(u64).range(1..))]
    public_token_ttl: u64,
    /// Seconds between two one-time codes sent for one code step.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..))]
    resend_cooldown: u64,
    /// Requests per second per credential (bursts of twice that).
    #[arg(long, default_value_t = 20.0)]
    rate_limit: f64,
    /// Linked accounts kept at most; they never expire, so past this an
    /// exchange for a new end user is refused (403) until one is deleted.
    #[arg(long, default_value_t = DEFAULT_MAX_LINKED_ACCOUNTS as u64, value_parser = clap::value_parser!(u64).range(1..))]
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
    /// The link frame's page when it is hosted apart from the sandbox (e.g.
    /// by nginx from deploy/): the demo's pages load it (`frameUrl`) and
    /// their CSP frames its origin. Add that origin to --allowed-origins
    /// when you narrow them.
    #[arg(long)]
    frame_url: Option<String>,
    /// The folder that keeps the sandbox's state (linked accounts, tokens,
    /// link sessions) across restarts and crashes; made if missing.
    #[arg(long, default_value = DEFAULT_DATA_DIR, conflicts_with = "in_memory")]
    data_dir: PathBuf,
    /// Keep state in memory only: a restart forgets every token and account.
    #[arg(long)]
    in_memory: bool,
    /// Where to POST webhook events (an http:// URL; the sandbox has no TLS
    /// client). Default with --www: the demo backend's /demo/webhooks.
    #[arg(long)]
    pub webhook_url: Option<String>,
    /// The webhook signing secret (whsec_…, at least 32 characters).
    /// Default: generated and printed.
    #[arg(long, env = "KEET_SANDBOX_WEBHOOK_SECRET", hide_env_values = true)]
    webhook_secret: Option<String>,
    /// Attempts per webhook event, the first included.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(u32).range(1..=20))]
    webhook_attempts: u32,
    /// Milliseconds before a webhook's first retry; each next wait doubles
    /// (at most 5 minutes).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    webhook_retry_ms: u64,
    /// Print the integration catalogue as JSON and exit.
    #[arg(long)]
    pub catalogue: bool,
    /// For harnesses: print one line of JSON once listening,
    /// {"api": URL, "demo": URL or null, "apiKey": KEY}, instead of the
    /// text for people.
    #[arg(long)]
    pub ready_json: bool,
}

/// The settings of `flags` (without the program name), as the binary reads
/// them; for in-process tests.
///
/// # Errors
/// A sentence naming the flag that is wrong.
pub fn settings_of(flags: &[&str]) -> Result<Settings, String> {
    let cli = Cli::try_parse_from(std::iter::once("keet-sandbox").chain(flags.iter().copied()))
        .map_err(|error| error.to_string())?;
    Ok(cli.settings()?.0)
}

/// The shortest webhook secret accepted, prefix included.
pub const MIN_WEBHOOK_SECRET_CHARS: usize = 32;

impl Cli {
    /// The webhook settings, when there is a URL: the given one, or the demo
    /// backend's once its address is known (see [`Cli::webhooks_for_demo`]).
    fn webhook_settings(&self) -> Result<Option<WebhookSettings>, String> {
        let Some(url) = &self.webhook_url else {
            return Ok(None);
        };
        if !(url.starts_with("http://") && url.len() > "http://".len()) {
            return Err("--webhook-url must be an http:// URL (the sandbox has no TLS client; put a local proxy in front of an https endpoint)".into());
        }
        Ok(Some(self.webhooks_to(url)?))
    }

    /// Whether `--webhook-secret` (or its env) gave the secret; else it is
    /// generated, and printed for people.
    pub fn webhook_secret_given(&self) -> bool {
        self.webhook_secret.is_some()
    }

    /// Webhook settings for `url`, with the flags' secret, attempts and
    /// retry: what `--www` uses for the demo backend's `/demo/webhooks`
    /// when no `--webhook-url` is given.
    ///
    /// # Errors
    /// A sentence naming the flag that is wrong.
    pub fn webhooks_to(&self, url: &str) -> Result<WebhookSettings, String> {
        let secret = match &self.webhook_secret {
            Some(secret)
                if secret.starts_with(SECRET_PREFIX) && secret.len() >= MIN_WEBHOOK_SECRET_CHARS =>
            {
                secret.clone()
            }
            Some(_) => {
                return Err(format!(
                    "--webhook-secret must start with {SECRET_PREFIX} and have at least {MIN_WEBHOOK_SECRET_CHARS} characters"
                ))
            }
            None => crate::tokens::mint(SECRET_PREFIX)
                .map_err(|_| "the OS random source failed".to_owned())?,
        };
        Ok(WebhookSettings {
            url: url.to_owned(),
            secret: secret.into(),
            attempts: self.webhook_attempts,
            first_retry: Duration::from_millis(self.webhook_retry_ms),
        })
    }

    /// The settings these flags describe, and whether the API key was
    /// generated (rather than given).
    ///
    /// # Errors
    /// A sentence naming the flag that is wrong.
    pub fn settings(&self) -> Result<(Settings, bool), String> {
        if !(self.rate_limit.is_finite() && self.rate_limit > 0.0) {
            return Err("--rate-limit must be a number above 0".into());
        }
        let (api_key, generated) = match &self.api_key {
            Some(key) if key.starts_with(API_KEY_PREFIX) && key.len() >= MIN_API_KEY_CHARS => {
                (key.clone(), false)
            }
            Some(_) => {
                return Err(format!(
                    "--api-key must start with {API_KEY_PREFIX} and have at least {MIN_API_KEY_CHARS} characters"
                ))
            }
            None => (
                crate::tokens::mint(API_KEY_PREFIX)
                    .map_err(|_| "the OS random source failed".to_owned())?,
                true,
            ),
        };
        for dir in [&self.www, &self.pkg, &self.frame_app]
            .into_iter()
            .flatten()
        {
            if !dir.is_dir() {
                return Err(format!("{} is not a folder", dir.display()));
            }
        }
        let frame_app = self.frame_app.clone().or_else(|| {
            let frame = self.pkg.as_ref()?.join("frame");
            frame.join("frame.html").is_file().then_some(frame)
        });
        if let Some(frame) = &frame_app {
            if !frame.join("frame.html").is_file() {
                return Err(format!("{} has no frame.html", frame.display()));
            }
        }
        if self.frame_ancestors.contains([';', ',', '\n', '\r']) {
            return Err(
                "--frame-ancestors takes space-separated CSP sources, with no ; or ,".into(),
            );
        }
        let allowed_origins = crate::origins::AllowedOrigins::parse(&self.allowed_origins)?;
        let frame_url = self
            .frame_url
            .as_deref()
            .map(|url| match keet_link_protocol::is_config_url(url) { true => Ok(url.to_owned()), false => Err(()) })
            .transpose()
            .map_err(|_| {
                "--frame-url must be an https: URL (or http://localhost / http://127.0.0.1), with no query or fragment".to_owned()
            })?;
        let webhooks = self.webhook_settings()?;
        let settings = Settings {
            api_key: api_key.into(),
            lifetimes: Lifetimes {
                link_token: Duration::from_secs(self.link_token_ttl),
                public_token: Duration::from_secs(self.public_token_ttl),
                resend_cooldown: Duration::from_secs(self.resend_cooldown),
            },
            rate_limit: self.rate_limit,
            max_linked_accounts: usize::try_from(self.max_linked_accounts).unwrap_or(usize::MAX),
            www: self.www.clone(),
            pkg: self.pkg.clone(),
            frame_app,
            frame_ancestors: self.frame_ancestors.clone(),
            frame_url,
            allowed_origins,
            clock: Clock::system(),
            storage: match self.in_memory {
                true => Storage::InMemory,
                false => Storage::Folder(self.data_dir.clone()),
            },
            webhooks,
        };
        Ok((settings, generated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_flag_is_named() {
        let error = settings_of(&["--api-key", "nope"]).unwrap_err();
        assert!(error.contains("--api-key"), "{error}");
        // 31 characters: one short.
        let error = settings_of(&["--api-key", "sk_sandbox_01234567890123456789"]).unwrap_err();
        assert!(error.contains("at least 32"), "{error}");
        assert!(settings_of(&["--api-key", "sk_sandbox_012345678901234567890"]).is_ok());
        let error = settings_of(&["--rate-limit", "0"]).unwrap_err();
        assert!(error.contains("--rate-limit"), "{error}");
        let error = settings_of(&["--frame-ancestors", "a; b"]).unwrap_err();
        assert!(error.contains("--frame-ancestors"), "{error}");
        let error = settings_of(&["--allowed-origins", "shop.example"]).unwrap_err();
        assert!(error.contains("--allowed-origins"), "{error}");
        let error = settings_of(&["--frame-url", "http://frames.example/link"]).unwrap_err();
        assert!(error.contains("--frame-url"), "{error}");
        let error = settings_of(&["--data-dir", "kept", "--in-memory"]).unwrap_err();
        assert!(error.contains("--in-memory"), "{error}");
    }

    #[test]
    fn state_is_kept_in_a_folder_unless_in_memory_is_asked_for() {
        let folder = |flags: &[&str]| settings_of(flags).unwrap().storage;
        assert_eq!(folder(&[]), Storage::Folder(DEFAULT_DATA_DIR.into()));
        assert_eq!(
            folder(&["--data-dir", "/srv/keet"]),
            Storage::Folder("/srv/keet".into())
        );
        assert_eq!(folder(&["--in-memory"]), Storage::InMemory);
    }

    #[test]
    fn flags_set_the_lifetimes_and_a_missing_key_is_generated() {
        let settings = settings_of(&["--link-token-ttl", "7"]).unwrap();
        assert_eq!(settings.lifetimes.link_token, Duration::from_secs(7));
        assert!(settings.api_key.expose().starts_with(API_KEY_PREFIX));
    }
}
