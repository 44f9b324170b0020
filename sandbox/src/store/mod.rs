//! The sandbox's state and rules, with no HTTP in them: every method takes
//! the time as an argument, so the rules are tested without waiting.
//!
//! State lives in memory only; a restart forgets every token and account.
//! This module holds the tables and the credentials; [`session`] judges the
//! steps of one login, [`accounts`] the public tokens and linked accounts.

mod accounts;
mod session;

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use keet_link_i18n::Locale;
use keet_link_protocol::{
    self as wire, CreateLinkTokenResponse, FieldError, FieldErrorCode, LinkConfig, LinkSession,
    ResendResponse, SessionResponse, Step, SubmitRequest, SubmitResponse, SuccessMetadata,
};

use crate::catalogue;
use crate::error::ApiError;
use crate::tokens::{mint, TokenDigest};
use accounts::{Account, PublicGrant};
use session::{Phase, Session, Verdict};

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

/// All sandbox state.
#[derive(Debug)]
pub struct Store {
    api_key: TokenDigest,
    lifetimes: Lifetimes,
    max_accounts: usize,
    /// When an access may purge again.
    next_purge: SystemTime,
    link_tokens: HashMap<TokenDigest, String>,
    sessions: HashMap<String, Session>,
    public_tokens: HashMap<TokenDigest, PublicGrant>,
    account_tokens: HashMap<TokenDigest, String>,
    accounts: HashMap<String, Account>,
    account_by_end_user: HashMap<String, String>,
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
        }
    }

    /// Forgets what has expired: a session (with its link token and its
    /// idempotency answers) once it has been expired for as long as it lived,
    /// and a public token likewise. Until then an expired token is still
    /// answered `TOKEN_EXPIRED`, not `INVALID_TOKEN`. Returns how many
    /// entries it removed.
    pub fn purge_expired(&mut self, now: SystemTime) -> usize {
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
        let integration = catalogue::find(&config.integration);
        if integration.is_none() {
            errors.insert(
                errors
                    .iter()
                    .position(|e| e.field != "linkConfig.endUserId")
                    .unwrap_or(errors.len()),
                FieldError::new(
                    "linkConfig.integration",
                    FieldErrorCode::InvalidValue,
                    format!("integration must be one of: {}.", catalogue::names()),
                ),
            );
        }
        let Some(integration) = integration.filter(|_| errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        let token = random_id(wire::LINK_TOKEN_PREFIX)?;
        let session_id = random_id("ls_")?;
        let expires_at = now + self.lifetimes.link_token;
        let link_token = TokenDigest::of(&token);
        let session = Session::new(
            session_id.clone(),
            link_token,
            integration,
            config,
            expires_at,
        )?;
        self.sessions.insert(session_id.clone(), session);
        self.link_tokens.insert(link_token, session_id);
        Ok(CreateLinkTokenResponse {
            status: wire::Ok::Ok,
            link_token: token,
            expires_at: rfc3339(expires_at),
        })
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
                integration: session.integration.brand(),
                company_name: session.company_name.clone(),
                company_logo_uri: session.company_logo_uri.clone(),
                expires_at: rfc3339(session.expires_at),
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
        let attempt = session.attempt(
            request,
            retrying_failed_attempt,
            locale,
            now,
            resend_cooldown,
        )?;
        let response = match attempt.verdict {
            Verdict::FailOnce => {
                session.remember(idempotency_key, fingerprint, None);
                return Err(ApiError::Internal("a test user's planned first failure"));
            }
            Verdict::Answer(answer) => answer,
            Verdict::Finish { username } => {
                let public_token = random_id(wire::PUBLIC_TOKEN_PREFIX)?;
                session.phase = Phase::Done;
                let metadata = SuccessMetadata {
                    integration: session.integration.name.to_owned(),
                    username: Some(username.clone()),
                    link_session_id: session.id.clone(),
                };
                let grant = PublicGrant {
                    end_user_id: session.end_user_id.clone(),
                    integration: session.integration.name,
                    username,
                    expires_at: now + public_token_ttl,
                    used: false,
                };
                self.public_tokens
                    .insert(TokenDigest::of(&public_token), grant);
                Ok(SubmitResponse {
                    status: wire::Ok::Ok,
                    step: Step::Done,
                    public_token: Some(public_token.into()),
                    metadata: Some(metadata),
                })
            }
        };
        let session = self.session_mut(session_id)?;
        session.remember(idempotency_key, fingerprint, Some(response.clone()));
        Ok(SubmitOutcome {
            response,
            delay: attempt.delay,
            replayed: false,
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
        Ok(ResendResponse {
            status: wire::Ok::Ok,
            step: session.current_step(locale, now)?,
        })
    }

    /// The session a link token named; it exists while its token does.
    fn session_mut(&mut self, session_id: &str) -> Result<&mut Session, ApiError> {
        self.sessions.get_mut(session_id).ok_or(MISSING_SESSION)
    }

    /// `POST /v1/link/session/exit`: closes the session; closing twice is fine.
    pub fn exit(&mut self, session_id: &str) -> Result<(), ApiError> {
        let session = self.session_mut(session_id)?;
        match session.phase {
            Phase::Done => Err(ApiError::Conflict(
                "This link session already finished successfully.",
            )),
            _ => {
                session.phase = Phase::Exited;
                Ok(())
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
            integration: "X".into(),
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
            values: SecretValues(values),
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
        store.delete_linked_account(&account).unwrap();
        assert!(store.exchange(&refused, at(0)).is_ok(), "room again");
        assert_eq!(store.sizes()[3], 2);
    }
}
