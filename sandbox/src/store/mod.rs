//! The sandbox's state and rules, with no HTTP in them: every method takes
//! the time as an argument, so the rules are tested without waiting.
//!
//! The tables live in memory, where the rules read them. With a data folder
//! ([`DataFolder`], `--data-dir`) every change is also written there, in
//! one durable transaction before the answer leaves, and the tables are
//! read back from it at start: a restart, or a crash, keeps every token
//! and account that was answered.
//! This module holds the tables and the credentials; [`session`] judges the
//! steps of one login, [`accounts`] the public tokens and linked accounts,
//! [`durable`] the data folder.

mod accounts;
mod durable;
mod session;

pub use durable::{DataFolder, StorageError};

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use keet_link_i18n::Locale;
use keet_link_protocol::{
    self as wire, CreateLinkTokenResponse, FieldError, FieldErrorCode, LinkConfig, LinkSession,
    LinkSessionStatus, ResendResponse, SessionResponse, Step, SubmitRequest, SubmitResponse,
    SuccessMetadata, WebhookData, WebhookEvent, WebhookEventType,
};

use crate::catalogue::{self, Integration};
use crate::error::ApiError;
use crate::tokens::{mint, TokenDigest};
use accounts::{Account, PublicGrant};
use session::{Phase, Session, Start, Verdict};

/// Linked accounts kept at most, by default: they never expire.
pub const DEFAULT_MAX_LINKED_ACCOUNTS: usize = 10_000;
/// How often an access purges expired state, at most.
const PURGE_EVERY: Duration = Duration::from_secs(1);

/// Token lifetimes.
#[derive(Debug, Clone, Copy)]
pub struct Lifetimes {
    /// Of a link token (and its session).
    pub link_token: Duration,
    /// Of a public token.
    pub public_token: Duration,
    /// Between two codes sent for one code step.
    pub resend_cooldown: Duration,
}

/// A link token that authenticated names a session that is gone: a bug.
const MISSING_SESSION: ApiError = ApiError::Internal("a link token names a missing session");

/// New codes a session may ask for, after the first.
pub const MAX_RESENDS: u8 = 3;

/// What a bearer credential turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// The customer's API key.
    ApiKey,
    /// A link token, naming its session.
    LinkToken {
        /// `ls_…`.
        session_id: String,
    },
    /// A public token (never valid as a bearer credential).
    PublicToken,
    /// An account token (never valid as a bearer credential).
    AccountToken,
}

/// The result of a submit: the answer, and how long to wait before sending it.
#[derive(Debug)]
pub struct SubmitOutcome {
    /// The answer (replayed or fresh).
    pub response: Result<SubmitResponse, ApiError>,
    /// A slow test user's delay, applied outside the store's lock.
    pub delay: Option<Duration>,
    /// The answer was remembered under this idempotency key before.
    pub replayed: bool,
}

/// What an operation changed, to write to the data folder before it answers.
#[derive(Debug)]
enum Change {
    Session(String),
    PublicToken(TokenDigest),
    Account(String),
    DeleteAccount(String),
    Purge {
        now: SystemTime,
    },
    /// A webhook event was delivered, or given up on: out of the outbox.
    EventSettled(String),
}

/// Where the store hands each webhook event, once it is on disk.
pub struct WebhookSink(Box<dyn Fn(WebhookEvent) + Send>);

impl WebhookSink {
    /// A sink that calls `deliver` for each event.
    pub fn new(deliver: impl Fn(WebhookEvent) + Send + 'static) -> Self {
        Self(Box::new(deliver))
    }
}

impl std::fmt::Debug for WebhookSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSink")
    }
}

/// All sandbox state.
#[derive(Debug)]
pub struct Store {
    api_key: TokenDigest,
    lifetimes: Lifetimes,
    max_accounts: usize,
    /// When an access may purge again.
    next_purge: SystemTime,
    link_tokens: HashMap<TokenDigest, String>,
    /// Boxed: a session is 400 bytes, and a table that doubles under a
    /// burst keeps its capacity until it is mostly empty, so inline
    /// sessions made the sandbox's memory step up and down by megabytes
    /// with the load (scripts/soak.mjs); a box is 8.
    sessions: HashMap<String, Box<Session>>,
    public_tokens: HashMap<TokenDigest, PublicGrant>,
    account_tokens: HashMap<TokenDigest, String>,
    accounts: HashMap<String, Account>,
    account_by_end_user: HashMap<String, String>,
    /// Where changes are kept, unless in memory only.
    folder: Option<DataFolder>,
    /// Changes not yet written to `folder`.
    pending: Vec<Change>,
    /// Where webhook events go; none are made without one.
    webhooks: Option<WebhookSink>,
    /// Events made by the operation under way, written with its changes.
    new_events: Vec<WebhookEvent>,
    /// Events read back from the folder's outbox, for the sink.
    undelivered: Vec<WebhookEvent>,
}

fn random_id(prefix: &str) -> Result<String, ApiError> {
    mint(prefix).map_err(|_| ApiError::Internal("the OS random source failed"))
}

/// Releases a map's spare capacity once it is less than a quarter full.
fn shrink_if_sparse<K: std::hash::Hash + Eq, V>(map: &mut HashMap<K, V>) {
    if map.capacity() > 64 && map.len() < map.capacity() / 4 {
        map.shrink_to_fit();
    }
}

/// RFC 3339 in UTC, to the second.
pub fn rfc3339(time: SystemTime) -> String {
    humantime::format_rfc3339_seconds(time).to_string()
}

impl Store {
    /// An empty store that accepts `api_key` and keeps at most
    /// `max_accounts` linked accounts.
    pub fn new(api_key: &str, lifetimes: Lifetimes, max_accounts: usize) -> Self {
        Self {
            api_key: TokenDigest::of(api_key),
            lifetimes,
            max_accounts,
            next_purge: SystemTime::UNIX_EPOCH,
            link_tokens: HashMap::new(),
            sessions: HashMap::new(),
            public_tokens: HashMap::new(),
            account_tokens: HashMap::new(),
            accounts: HashMap::new(),
            account_by_end_user: HashMap::new(),
            folder: None,
            pending: Vec::new(),
            webhooks: None,
            new_events: Vec::new(),
            undelivered: Vec::new(),
        }
    }

    /// Hands every webhook event to `sink` from now on, starting with those
    /// the folder still held undelivered.
    pub fn send_webhooks_to(&mut self, sink: WebhookSink) {
        for event in self.undelivered.drain(..) {
            (sink.0)(event);
        }
        self.webhooks = Some(sink);
    }

    /// Makes a webhook event, if webhooks are on; it is written with the
    /// operation's changes and handed over once they are durable.
    fn emit(&mut self, event_type: WebhookEventType, data: WebhookData, now: SystemTime) {
        if self.webhooks.is_none() {
            return;
        }
        let Ok(id) = random_id("evt_") else {
            tracing::error!("the OS random source failed: a webhook event was not made");
            return;
        };
        self.new_events.push(WebhookEvent {
            id,
            event_type,
            created_at: rfc3339(now),
            data,
        });
    }

    /// `LINK_SESSION_FINISHED` for the session `session_id`, with how it ended.
    fn emit_finished(&mut self, session_id: &str, status: LinkSessionStatus, now: SystemTime) {
        let Some(session) = self.sessions.get(session_id) else {
            return;
        };
        let data = WebhookData {
            end_user_id: session.end_user_id.clone(),
            integration: session.integration.map(|i| i.name.to_owned()),
            link_session_id: Some(session.id.clone()),
            status: Some(status),
        };
        self.emit(WebhookEventType::LinkSessionFinished, data, now);
    }

    /// A delivered (or given up) webhook event leaves the outbox.
    pub fn webhook_settled(&mut self, event_id: &str) {
        self.pending.push(Change::EventSettled(event_id.to_owned()));
        // A failure is logged; the event is then offered again after a restart.
        let _ = self.commit();
    }

    /// The store `folder` keeps, as it was when last answered; every later
    /// change is written there before its answer.
    ///
    /// # Errors
    /// A row that does not read back, named by its table.
    pub fn open(
        api_key: &str,
        lifetimes: Lifetimes,
        max_accounts: usize,
        folder: DataFolder,
    ) -> Result<Self, StorageError> {
        let rows = folder.read_all()?;
        let mut store = Self::new(api_key, lifetimes, max_accounts);
        for (id, digest, expires_at, state) in rows.sessions {
            let link_token = TokenDigest::from_bytes(digest);
            let session =
                Session::from_record(id.clone(), link_token, expires_at, &state, &folder.sealer)?;
            store.link_tokens.insert(link_token, id.clone());
            store.sessions.insert(id, Box::new(session));
        }
        for (digest, grant) in rows.public_tokens {
            let grant = serde_json::from_str(&grant)
                .map_err(|error| durable::bad_row("public_tokens", error.to_string()))?;
            store
                .public_tokens
                .insert(TokenDigest::from_bytes(digest), grant);
        }
        for (id, end_user_id, digest, token, created_at, integrations) in rows.accounts {
            let integrations = serde_json::from_str(&integrations)
                .map_err(|error| durable::bad_row("accounts", error.to_string()))?;
            store
                .account_tokens
                .insert(TokenDigest::from_bytes(digest), id.clone());
            store
                .account_by_end_user
                .insert(end_user_id.clone(), id.clone());
            store.accounts.insert(
                id.clone(),
                Account {
                    id,
                    token: token.into(),
                    end_user_id,
                    created_at,
                    integrations,
                },
            );
        }
        for event in rows.webhook_outbox {
            store.undelivered.push(
                serde_json::from_str(&event)
                    .map_err(|error| durable::bad_row("webhook_outbox", error.to_string()))?,
            );
        }
        store.folder = Some(folder);
        Ok(store)
    }

    /// Writes the pending changes to the data folder, if there is one, in
    /// one durable transaction. A failure is logged and answered 500.
    fn commit(&mut self) -> Result<(), ApiError> {
        let written = self.write_pending();
        // Events go out only once what they report is on disk (or there is
        // no disk): never ahead of the answer's own durability.
        let events = std::mem::take(&mut self.new_events);
        if written.is_ok() {
            if let Some(sink) = &self.webhooks {
                for event in events {
                    (sink.0)(event);
                }
            }
        }
        written
    }

    fn write_pending(&mut self) -> Result<(), ApiError> {
        let changes = std::mem::take(&mut self.pending);
        let Some(folder) = &self.folder else {
            return Ok(());
        };
        let events = self.new_events.iter().map(|event| {
            serde_json::to_string(event)
                .map(|body| durable::Write::Event {
                    id: event.id.clone(),
                    body,
                })
                .map_err(|error| durable::bad_row("webhook_outbox", error.to_string()))
        });
        let writes = changes
            .iter()
            .filter_map(|change| self.write_for(change, &folder.sealer).transpose())
            .chain(events)
            .collect::<Result<Vec<_>, _>>();
        let written = match (writes, self.folder.as_mut()) {
            (Ok(writes), Some(folder)) => folder.write(&writes),
            (Ok(_), None) => Ok(()),
            (Err(error), _) => Err(error),
        };
        written.map_err(|error| {
            tracing::error!(%error, "the data folder was not written");
            ApiError::Internal("the data folder was not written")
        })
    }

    /// The row a change comes to, if what it names still exists.
    fn write_for(
        &self,
        change: &Change,
        sealer: &durable::Sealer,
    ) -> Result<Option<durable::Write>, StorageError> {
        use durable::Write;
        Ok(match change {
            Change::Session(id) => match self.sessions.get(id) {
                Some(session) => Some(Write::Session {
                    id: id.clone(),
                    link_token_digest: session.link_token.to_bytes(),
                    expires_at: session.expires_at,
                    state: session.to_record(sealer)?,
                }),
                None => None,
            },
            Change::PublicToken(digest) => match self.public_tokens.get(digest) {
                Some(grant) => Some(Write::PublicToken {
                    digest: digest.to_bytes(),
                    expires_at: grant.expires_at,
                    grant: serde_json::to_string(grant)
                        .map_err(|error| durable::bad_row("public_tokens", error.to_string()))?,
                }),
                None => None,
            },
            Change::Account(id) => match self.accounts.get(id) {
                Some(account) => Some(Write::Account {
                    id: id.clone(),
                    end_user_id: account.end_user_id.clone(),
                    token_digest: TokenDigest::of(account.token.expose()).to_bytes(),
                    token_sealed: sealer.seal(account.token.expose())?,
                    created_at: account.created_at,
                    integrations: serde_json::to_string(&account.integrations)
                        .map_err(|error| durable::bad_row("accounts", error.to_string()))?,
                }),
                None => None,
            },
            Change::DeleteAccount(id) => Some(Write::DeleteAccount { id: id.clone() }),
            Change::EventSettled(id) => Some(Write::EventSettled { id: id.clone() }),
            Change::Purge { now } => Some(Write::Purge {
                sessions_before: now
                    .checked_sub(self.lifetimes.link_token)
                    .unwrap_or(SystemTime::UNIX_EPOCH),
                public_tokens_before: now
                    .checked_sub(self.lifetimes.public_token)
                    .unwrap_or(SystemTime::UNIX_EPOCH),
            }),
        })
    }

    /// Forgets what has expired: a session (with its link token and its
    /// idempotency answers) once it has been expired for as long as it lived,
    /// and a public token likewise. Until then an expired token is still
    /// answered `TOKEN_EXPIRED`, not `INVALID_TOKEN`. Returns how many
    /// entries it removed.
    pub fn purge_expired(&mut self, now: SystemTime) -> usize {
        // A session whose token expired while it was open ends now.
        let lapsed: Vec<String> = self
            .sessions
            .values()
            .filter(|session| now >= session.expires_at && session.ending().is_none())
            .map(|session| session.id.clone())
            .collect();
        for id in lapsed {
            if let Some(session) = self.sessions.get_mut(&id) {
                session.phase = Phase::Expired;
            }
            self.emit_finished(&id, LinkSessionStatus::Expired, now);
            self.pending.push(Change::Session(id));
        }
        let before = self.sessions.len() + self.public_tokens.len();
        let link_grace = self.lifetimes.link_token;
        let link_tokens = &mut self.link_tokens;
        self.sessions.retain(|_, session| {
            let keep = now < session.expires_at + link_grace;
            if !keep {
                link_tokens.remove(&session.link_token);
            }
            keep
        });
        let public_grace = self.lifetimes.public_token;
        self.public_tokens
            .retain(|_, grant| now < grant.expires_at + public_grace);
        // Give memory back once the tables have mostly emptied.
        shrink_if_sparse(&mut self.sessions);
        shrink_if_sparse(&mut self.link_tokens);
        shrink_if_sparse(&mut self.public_tokens);
        self.next_purge = now + PURGE_EVERY;
        self.pending.push(Change::Purge { now });
        // A failure is logged; the rows are purged again next time.
        let _ = self.commit();
        before - (self.sessions.len() + self.public_tokens.len())
    }

    /// Purges on access, at most once every [`PURGE_EVERY`].
    fn purge_if_due(&mut self, now: SystemTime) {
        if now >= self.next_purge {
            self.purge_expired(now);
        }
    }

    /// How many sessions, link tokens, public tokens and linked accounts the
    /// store holds: what the memory tests watch.
    pub fn sizes(&self) -> [usize; 4] {
        [
            self.sessions.len(),
            self.link_tokens.len(),
            self.public_tokens.len(),
            self.accounts.len(),
        ]
    }

    /// Recognises a bearer credential, or says why it is refused.
    pub fn authenticate(&self, bearer: &str, now: SystemTime) -> Result<Credential, ApiError> {
        const UNKNOWN: &str = "The credential is not valid.";
        let digest = TokenDigest::of(bearer);
        if bearer.starts_with(wire::API_KEY_PREFIX) {
            return if digest.matches(&self.api_key) {
                Ok(Credential::ApiKey)
            } else {
                Err(ApiError::InvalidToken(UNKNOWN))
            };
        }
        if bearer.starts_with(wire::LINK_TOKEN_PREFIX) {
            let session = self
                .link_tokens
                .get(&digest)
                .and_then(|id| self.sessions.get(id))
                .ok_or(ApiError::InvalidToken(UNKNOWN))?;
            if now >= session.expires_at {
                return Err(ApiError::TokenExpired("The link token has expired."));
            }
            return Ok(Credential::LinkToken {
                session_id: session.id.clone(),
            });
        }
        if let Some(grant) = self.public_tokens.get(&digest) {
            if now >= grant.expires_at {
                return Err(ApiError::TokenExpired("The public token has expired."));
            }
            return Ok(Credential::PublicToken);
        }
        if self.account_tokens.contains_key(&digest) {
            return Ok(Credential::AccountToken);
        }
        Err(ApiError::InvalidToken(UNKNOWN))
    }

    /// `POST /v1/link/token`: a new session and its link token.
    pub fn create_link_token(
        &mut self,
        config: LinkConfig,
        now: SystemTime,
    ) -> Result<CreateLinkTokenResponse, ApiError> {
        self.purge_if_due(now);
        let mut errors = config.validate();
        let start = self.start_of(&config, &mut errors);
        let Some(start) = start.filter(|_| errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        let token = random_id(wire::LINK_TOKEN_PREFIX)?;
        let session_id = random_id("ls_")?;
        let expires_at = now + self.lifetimes.link_token;
        let link_token = TokenDigest::of(&token);
        let session = Session::new(session_id.clone(), link_token, start, config, expires_at)?;
        self.sessions.insert(session_id.clone(), Box::new(session));
        self.link_tokens.insert(link_token, session_id.clone());
        self.pending.push(Change::Session(session_id));
        self.commit()?;
        Ok(CreateLinkTokenResponse {
            status: wire::Ok::Ok,
            link_token: token,
            expires_at: rfc3339(expires_at),
        })
    }

    /// Where a session for `config` starts: at the named integration's
    /// login (a re-link when the end user linked it before), or at a choice
    /// among `integrations` (all when absent). What is wrong is added to
    /// `errors`, after `endUserId`'s.
    fn start_of(&self, config: &LinkConfig, errors: &mut Vec<FieldError>) -> Option<Start> {
        let mut problems = Vec::new();
        let mut offered = Vec::new();
        for (index, name) in config.integrations.iter().flatten().enumerate() {
            match catalogue::find(name) {
                _ if offered.iter().any(|known: &&str| known == name) => {
                    problems.push(FieldError::new(
                        format!("linkConfig.integrations[{index}]"),
                        FieldErrorCode::InvalidValue,
                        "integrations names each integration at most once.",
                    ))
                }
                Some(integration) => offered.push(integration.name),
                None => problems.push(FieldError::new(
                    format!("linkConfig.integrations[{index}]"),
                    FieldErrorCode::InvalidValue,
                    format!(
                        "each of integrations must be one of: {}.",
                        catalogue::names()
                    ),
                )),
            }
        }
        if config.integrations.as_ref().is_some_and(Vec::is_empty) {
            problems.push(FieldError::new(
                "linkConfig.integrations",
                FieldErrorCode::Required,
                "integrations, when given, names at least one integration.",
            ));
        }
        let start = match config.integration.as_deref() {
            Some(name) => match catalogue::find(name) {
                Some(integration)
                    if config.integrations.is_none() || offered.contains(&integration.name) =>
                {
                    Some(Start::Login {
                        integration,
                        relink: self.linked_username(&config.end_user_id, integration.name),
                    })
                }
                Some(_) => {
                    problems.push(FieldError::new(
                        "linkConfig.integration",
                        FieldErrorCode::InvalidValue,
                        "integration must be one of integrations, when both are given.",
                    ));
                    None
                }
                None => {
                    problems.insert(
                        0,
                        FieldError::new(
                            "linkConfig.integration",
                            FieldErrorCode::InvalidValue,
                            format!("integration must be one of: {}.", catalogue::names()),
                        ),
                    );
                    None
                }
            },
            None if config.integrations.is_some() => Some(Start::Choosing(offered)),
            None => Some(Start::Choosing(
                catalogue::CATALOGUE.iter().map(|i| i.name).collect(),
            )),
        };
        let after_end_user = errors
            .iter()
            .position(|e| e.field != "linkConfig.endUserId")
            .unwrap_or(errors.len());
        errors.splice(after_end_user..after_end_user, problems);
        start
    }

    /// `GET /v1/link/session`: the session and its current step.
    pub fn session_view(
        &self,
        session_id: &str,
        locale: Locale,
        now: SystemTime,
    ) -> Result<SessionResponse, ApiError> {
        let session = self.sessions.get(session_id).ok_or(MISSING_SESSION)?;
        Ok(SessionResponse {
            status: wire::Ok::Ok,
            session: LinkSession {
                id: session.id.clone(),
                integration: session.integration.map(Integration::brand),
                company_name: session.company_name.clone(),
                company_logo_uri: session.company_logo_uri.clone(),
                expires_at: rfc3339(session.expires_at),
                mode: session.mode(),
                step: session.current_step(locale, now)?,
            },
        })
    }

    /// `POST /v1/link/session/submit`, idempotent under `idempotency_key`.
    pub fn submit(
        &mut self,
        session_id: &str,
        idempotency_key: &str,
        fingerprint: [u8; 32],
        request: &SubmitRequest,
        now: SystemTime,
        locale: Locale,
    ) -> Result<SubmitOutcome, ApiError> {
        let public_token_ttl = self.lifetimes.public_token;
        let resend_cooldown = self.lifetimes.resend_cooldown;
        let session = self.session_mut(session_id)?;
        let mut retrying_failed_attempt = false;
        if let Some(replay) = session.replays.get(idempotency_key) {
            if replay.fingerprint != fingerprint {
                return Err(ApiError::Conflict(
                    "This Idempotency-Key was already used with a different request body.",
                ));
            }
            match &replay.outcome {
                Some(outcome) => {
                    return Ok(SubmitOutcome {
                        response: outcome.clone(),
                        delay: None,
                        replayed: true,
                    })
                }
                None => retrying_failed_attempt = true,
            }
        }
        if session.answers_choice(request) {
            let outcome = self.choose(session_id, request, locale, now);
            let session = self.session_mut(session_id)?;
            session.remember(idempotency_key, fingerprint, Some(outcome.clone()));
            self.pending.push(Change::Session(session_id.to_owned()));
            self.commit()?;
            return Ok(SubmitOutcome {
                response: outcome,
                delay: None,
                replayed: false,
            });
        }
        let attempt = session.attempt(
            request,
            retrying_failed_attempt,
            locale,
            now,
            resend_cooldown,
        )?;
        if let Some(ending @ (LinkSessionStatus::Locked | LinkSessionStatus::Denied)) =
            session.ending()
        {
            // Only an open session is judged, so it ended just now.
            self.emit_finished(session_id, ending, now);
        }
        let session = self.session_mut(session_id)?;
        let response = match attempt.verdict {
            Verdict::FailOnce => {
                session.remember(idempotency_key, fingerprint, None);
                self.pending.push(Change::Session(session_id.to_owned()));
                self.commit()?;
                return Err(ApiError::Internal("a test user's planned first failure"));
            }
            Verdict::Answer(answer) => answer,
            Verdict::Finish { username } => {
                let public_token = random_id(wire::PUBLIC_TOKEN_PREFIX)?;
                session.phase = Phase::Done;
                let integration = session.chosen()?;
                let metadata = SuccessMetadata {
                    integration: integration.name.to_owned(),
                    username: Some(username.clone()),
                    link_session_id: session.id.clone(),
                    mode: session.mode(),
                };
                let (end_user_id, relinked) =
                    (session.end_user_id.clone(), session.relink.is_some());
                let grant = PublicGrant {
                    end_user_id: session.end_user_id.clone(),
                    integration: integration.name,
                    username,
                    expires_at: now + public_token_ttl,
                    used: false,
                };
                let digest = TokenDigest::of(&public_token);
                self.public_tokens.insert(digest, grant);
                self.pending.push(Change::PublicToken(digest));
                self.emit_finished(session_id, LinkSessionStatus::Success, now);
                if relinked {
                    self.reconnect(&end_user_id, &metadata.integration, session_id, now);
                }
                Ok(SubmitResponse {
                    status: wire::Ok::Ok,
                    step: Step::Done,
                    public_token: Some(public_token.into()),
                    metadata: Some(metadata),
                    integration: None,
                })
            }
        };
        let session = self.session_mut(session_id)?;
        session.remember(idempotency_key, fingerprint, Some(response.clone()));
        self.pending.push(Change::Session(session_id.to_owned()));
        self.commit()?;
        Ok(SubmitOutcome {
            response,
            delay: attempt.delay,
            replayed: false,
        })
    }

    /// The user chose an integration on the session's integration step:
    /// its login step, and the integration, or why not.
    fn choose(
        &mut self,
        session_id: &str,
        request: &SubmitRequest,
        locale: Locale,
        now: SystemTime,
    ) -> Result<SubmitResponse, ApiError> {
        let session = self.session_mut(session_id)?;
        let name = request.values.get("integration").unwrap_or("").trim();
        let on_offer = session
            .choices
            .as_ref()
            .is_some_and(|choices| choices.names.iter().any(|offered| offered == name));
        let integration = catalogue::find(name).filter(|_| on_offer);
        let (Some(integration), 1) = (integration, request.values.len()) else {
            let (code, message) = match name {
                "" => (FieldErrorCode::Required, "Choose a service.".to_owned()),
                _ => (
                    FieldErrorCode::InvalidValue,
                    crate::texts::api_texts(locale)
                        .unknown_integration
                        .to_owned(),
                ),
            };
            return Err(ApiError::field("values.integration", code, message));
        };
        let end_user_id = session.end_user_id.clone();
        let relink = self.linked_username(&end_user_id, integration.name);
        let session = self.session_mut(session_id)?;
        session.choose(integration, relink)?;
        Ok(SubmitResponse {
            status: wire::Ok::Ok,
            step: session.current_step(locale, now)?,
            public_token: None,
            metadata: None,
            integration: Some(Box::new(integration.brand())),
        })
    }

    /// `POST /v1/link/session/resend`: a new code for the current code step,
    /// idempotent under `idempotency_key` (a replay sends no other code).
    pub fn resend(
        &mut self,
        session_id: &str,
        idempotency_key: &str,
        now: SystemTime,
        locale: Locale,
    ) -> Result<ResendResponse, ApiError> {
        let cooldown = self.lifetimes.resend_cooldown;
        let session = self.session_mut(session_id)?;
        session.resend(idempotency_key, now, cooldown)?;
        let step = session.current_step(locale, now)?;
        self.pending.push(Change::Session(session_id.to_owned()));
        self.commit()?;
        Ok(ResendResponse {
            status: wire::Ok::Ok,
            step,
        })
    }

    /// The session a link token named; it exists while its token does.
    fn session_mut(&mut self, session_id: &str) -> Result<&mut Session, ApiError> {
        self.sessions
            .get_mut(session_id)
            .map(|session| &mut **session)
            .ok_or(MISSING_SESSION)
    }

    /// `POST /v1/link/session/exit`: closes the session; closing twice is fine.
    pub fn exit(&mut self, session_id: &str, now: SystemTime) -> Result<(), ApiError> {
        let session = self.session_mut(session_id)?;
        match session.phase {
            Phase::Done => Err(ApiError::Conflict(
                "This link session already finished successfully.",
            )),
            Phase::Exited | Phase::Expired => Ok(()),
            Phase::Locked => {
                // Already reported as locked; it is closed now.
                session.phase = Phase::Exited;
                self.pending.push(Change::Session(session_id.to_owned()));
                self.commit()
            }
            _ => {
                session.phase = Phase::Exited;
                self.pending.push(Change::Session(session_id.to_owned()));
                self.emit_finished(session_id, LinkSessionStatus::Exited, now);
                self.commit()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_users;
    use keet_link_protocol::SecretValues;

    const KEY: &str = "sk_sandbox_test_0123456789abcdef";
    const LIFETIME: Duration = Duration::from_secs(10);

    fn store(max_accounts: usize) -> Store {
        let lifetimes = Lifetimes {
            link_token: LIFETIME,
            public_token: LIFETIME,
            resend_cooldown: LIFETIME,
        };
        Store::new(KEY, lifetimes, max_accounts)
    }

    fn at(seconds: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000 + seconds)
    }

    fn link(store: &mut Store, end_user: &str, now: SystemTime) -> String {
        let config = LinkConfig {
            end_user_id: end_user.into(),
            integration: Some("X".into()),
            integrations: None,
            company_name: None,
            company_logo_uri: None,
        };
        store.create_link_token(config, now).unwrap().link_token
    }

    /// A whole successful login: the public token.
    fn public_token(store: &mut Store, end_user: &str, now: SystemTime) -> String {
        let token = link(store, end_user, now);
        let Credential::LinkToken { session_id } = store.authenticate(&token, now).unwrap() else {
            panic!("a link token")
        };
        let Step::Credentials(step) = store
            .session_view(&session_id, Locale::En, now)
            .unwrap()
            .session
            .step
        else {
            panic!("a login step")
        };
        let values = [
            ("username", test_users::GOOD),
            ("password", test_users::PASSWORD),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.into()))
        .collect();
        let request = SubmitRequest {
            step_id: step.id,
            values,
        };
        let outcome = store
            .submit(&session_id, "key-1", [0; 32], &request, now, Locale::En)
            .unwrap();
        let token = outcome.response.unwrap().public_token.unwrap();
        token.expose().to_owned()
    }

    #[test]
    fn an_expired_link_token_is_expired_for_as_long_again_then_forgotten() {
        let mut store = store(10);
        let token = link(&mut store, "u", at(0));
        assert!(store.authenticate(&token, at(5)).is_ok());
        assert!(matches!(
            store.authenticate(&token, at(15)),
            Err(ApiError::TokenExpired(_))
        ));
        assert_eq!(store.purge_expired(at(19)), 0, "still within the grace");
        assert!(matches!(
            store.authenticate(&token, at(19)),
            Err(ApiError::TokenExpired(_))
        ));
        assert_eq!(store.purge_expired(at(20)), 1);
        assert!(matches!(
            store.authenticate(&token, at(20)),
            Err(ApiError::InvalidToken(_))
        ));
        assert_eq!(store.sizes(), [0, 0, 0, 0]);
    }

    #[test]
    fn creating_link_tokens_purges_what_expired_so_memory_stays_bounded() {
        let mut store = store(10);
        for second in 0..1_000 {
            for user in 0..10 {
                link(&mut store, &format!("u{user}"), at(second));
            }
            // Never more than two lifetimes' worth, plus one purge interval.
            assert!(store.sizes()[0] <= 10 * (2 * 10 + 1), "{:?}", store.sizes());
        }
        assert_eq!(store.sizes()[0], store.sizes()[1], "no orphaned link token");
    }

    #[test]
    fn public_tokens_are_forgotten_after_their_grace_too() {
        let mut store = store(10);
        let public = public_token(&mut store, "u", at(0));
        store.purge_expired(at(19));
        assert_eq!(store.sizes()[2], 1);
        store.purge_expired(at(20));
        assert_eq!(store.sizes()[2], 0);
        assert!(store.exchange(&public, at(20)).is_err());
    }

    fn kept_in(dir: &std::path::Path) -> Store {
        let lifetimes = Lifetimes {
            link_token: LIFETIME,
            public_token: LIFETIME,
            resend_cooldown: LIFETIME,
        };
        Store::open(KEY, lifetimes, 10, DataFolder::open(dir).unwrap()).unwrap()
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("keet-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    /// Every file in `dir`, as bytes.
    fn folder_bytes(dir: &std::path::Path) -> Vec<u8> {
        std::fs::read_dir(dir)
            .unwrap()
            .flat_map(|entry| std::fs::read(entry.unwrap().path()).unwrap())
            .collect()
    }

    #[test]
    fn a_reopened_folder_keeps_accounts_sessions_and_replays_and_no_secret_in_clear() {
        let dir = scratch("reopen");
        let mut store = kept_in(&dir);
        let pending_link = link(&mut store, "v", at(0));
        let Credential::LinkToken { session_id } =
            store.authenticate(&pending_link, at(0)).unwrap()
        else {
            panic!("a link token")
        };
        let public = public_token(&mut store, "u", at(0));
        // The last change before the "crash": written before it answered.
        let account = store.exchange(&public, at(0)).unwrap().account_token;
        drop(store);

        let on_disk = folder_bytes(&dir);
        for secret in [&public, &account, &pending_link] {
            let secret = secret.as_bytes();
            assert!(
                !on_disk.windows(secret.len()).any(|w| w == secret),
                "a secret in clear"
            );
        }

        let mut store = kept_in(&dir);
        assert_eq!(
            store
                .linked_account(&account)
                .unwrap()
                .linked_account
                .end_user_id,
            "u"
        );
        assert_eq!(
            store.authenticate(&pending_link, at(1)).unwrap(),
            Credential::LinkToken { session_id }
        );
        assert!(matches!(
            store.exchange(&public, at(1)),
            Err(ApiError::Validation(errors)) if errors[0].code == FieldErrorCode::PublicTokenUsed
        ));
        // Linking again returns the same account token, opened from its seal.
        let again = public_token(&mut store, "u", at(1));
        assert_eq!(
            store.exchange(&again, at(1)).unwrap().account_token,
            account
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_success_replayed_after_a_restart_gives_the_same_public_token() {
        let dir = scratch("replay");
        let mut store = kept_in(&dir);
        let public = public_token(&mut store, "u", at(0));
        let session_id = store.sessions.keys().next().unwrap().clone();
        drop(store);
        let mut store = kept_in(&dir);
        let request = SubmitRequest {
            step_id: "st_any".into(),
            values: SecretValues::default(),
        };
        let outcome = store
            .submit(&session_id, "key-1", [0; 32], &request, at(1), Locale::En)
            .unwrap();
        assert!(outcome.replayed);
        let replayed = outcome.response.unwrap().public_token.unwrap();
        assert_eq!(replayed.expose(), public);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn undelivered_webhook_events_survive_a_restart_until_settled() {
        let dir = scratch("outbox");
        let mut store = kept_in(&dir);
        let handed = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&handed);
        store.send_webhooks_to(WebhookSink::new(move |event| {
            sink.lock().unwrap().push(event)
        }));
        let token = link(&mut store, "u", at(0));
        let Credential::LinkToken { session_id } = store.authenticate(&token, at(0)).unwrap()
        else {
            panic!("a link token")
        };
        store.exit(&session_id, at(1)).unwrap();
        let made = handed.lock().unwrap().clone();
        assert_eq!(made.len(), 1);
        drop(store);

        let mut store = kept_in(&dir);
        let again = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = std::sync::Arc::clone(&again);
        store.send_webhooks_to(WebhookSink::new(move |event| {
            sink.lock().unwrap().push(event)
        }));
        assert_eq!(
            *again.lock().unwrap(),
            made,
            "offered again after the restart"
        );
        store.webhook_settled(&made[0].id);
        drop(store);
        let folder = DataFolder::open(&dir).unwrap();
        assert_eq!(folder.count("webhook_outbox").unwrap(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn expired_rows_are_purged_from_the_folder_too() {
        let dir = scratch("purge");
        let mut store = kept_in(&dir);
        let public = public_token(&mut store, "u", at(0));
        store.purge_expired(at(20));
        drop(store);
        let folder = DataFolder::open(&dir).unwrap();
        assert_eq!(folder.count("sessions").unwrap(), 0);
        assert_eq!(folder.count("public_tokens").unwrap(), 0);
        let mut store = kept_in(&dir);
        assert!(store.exchange(&public, at(20)).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn linked_accounts_stop_at_the_cap_with_a_clear_error() {
        let mut store = store(2);
        for user in ["a", "b"] {
            let public = public_token(&mut store, user, at(0));
            assert!(store.exchange(&public, at(0)).is_ok());
        }
        // A known end user may link more; a third end user may not.
        let again = public_token(&mut store, "a", at(0));
        let account = store.exchange(&again, at(0)).unwrap().account_token;
        let refused = public_token(&mut store, "c", at(0));
        let error = store.exchange(&refused, at(0)).unwrap_err();
        assert!(
            matches!(error, ApiError::Forbidden(message) if message.contains("--max-linked-accounts"))
        );
        store.delete_linked_account(&account, at(0)).unwrap();
        assert!(store.exchange(&refused, at(0)).is_ok(), "room again");
        assert_eq!(store.sizes()[3], 2);
    }
}
