//! The sandbox's state and rules, with no HTTP in them: every method takes
//! the time as an argument, so the rules are tested without waiting.
//!
//! State lives in memory only; a restart forgets every token and account.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use keet_link::protocol::{
    self as wire, normalize_phone, CreateLinkTokenResponse, ExchangePublicTokenResponse,
    FieldError, FieldErrorCode, FormStep, LinkConfig, LinkSession, LinkedAccount,
    LinkedAccountResponse, LinkedIntegration, SessionResponse, Step, SubmitRequest, SubmitResponse,
    SuccessMetadata,
};

use crate::catalogue::{self, Integration, Login};
use crate::error::ApiError;
use crate::tokens::{mint, TokenDigest};

/// The test logins of the contract's table.
pub mod test_users {
    /// Succeeds.
    pub const GOOD: &str = "user_good";
    /// Asks for a code.
    pub const MFA: &str = "user_mfa";
    /// Always locked.
    pub const LOCKED: &str = "user_locked";
    /// Succeeds after [`super::SLOW_USER_DELAY`].
    pub const SLOW: &str = "user_slow";
    /// 500 on the first request under a new idempotency key.
    pub const FLAKY: &str = "user_flaky";
    /// Logs in like [`GOOD`], but the first answer under each key is a 502
    /// with an HTML body, as a proxy in front of an API sends it.
    pub const BAD_GATEWAY: &str = "user_bad_gateway";
    /// Logs in like [`GOOD`], but the first answer under each key is a 200
    /// whose JSON has the wrong shape.
    pub const WRONG_SHAPE: &str = "user_wrong_shape";
    /// Logs in like [`GOOD`], but the first answer under each key is a 200
    /// whose JSON is cut off.
    pub const TRUNCATED: &str = "user_truncated";
    /// The users whose first answer is broken on the way (the handler breaks
    /// it); the login itself happened, and a retry under the same key gets
    /// the real answer.
    pub const FAULTY: [&str; 3] = [BAD_GATEWAY, WRONG_SHAPE, TRUNCATED];
    /// The password of every test user.
    pub const PASSWORD: &str = "pass_good";
    /// The passwordless test phone number.
    pub const PHONE: &str = "+15555550100";
    /// The code that passes every code step.
    pub const CODE: &str = "123456";
}

/// How long `user_slow` takes to log in.
pub const SLOW_USER_DELAY: Duration = Duration::from_secs(3);
/// Wrong codes that lock the account (the third one locks).
const WRONG_CODES_TO_LOCK: u8 = 3;
/// Idempotency keys remembered per session; the oldest are forgotten first.
const REMEMBERED_KEYS_PER_SESSION: usize = 256;
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
}

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

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Phase {
    Login {
        step_id: String,
    },
    Code {
        step_id: String,
        username: String,
        wrong_codes: u8,
    },
    Done,
    Exited,
    Locked,
}

#[derive(Debug)]
struct Replay {
    fingerprint: [u8; 32],
    /// `None` while only a failed (5xx) attempt was seen under this key.
    outcome: Option<Result<SubmitResponse, ApiError>>,
}

#[derive(Debug)]
struct Session {
    id: String,
    /// The key of its link token in `Store::link_tokens`.
    link_token: TokenDigest,
    integration: &'static Integration,
    end_user_id: String,
    company_name: Option<String>,
    company_logo_uri: Option<String>,
    expires_at: SystemTime,
    phase: Phase,
    replays: HashMap<String, Replay>,
    replay_order: VecDeque<String>,
}

#[derive(Debug)]
struct PublicGrant {
    end_user_id: String,
    integration: &'static str,
    username: String,
    expires_at: SystemTime,
    used: bool,
}

struct Account {
    id: String,
    token: String,
    end_user_id: String,
    created_at: SystemTime,
    integrations: Vec<LinkedIntegration>,
}

impl std::fmt::Debug for Account {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("token", &"[redacted]")
            .field("end_user_id", &self.end_user_id)
            .finish_non_exhaustive()
    }
}

/// The result of a submit: the answer, and how long to wait before sending it.
#[derive(Debug)]
pub struct SubmitOutcome {
    /// The answer (replayed or fresh).
    pub response: Result<SubmitResponse, ApiError>,
    /// `user_slow`'s delay, applied outside the store's lock.
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
        let session = Session {
            id: session_id.clone(),
            link_token,
            integration,
            end_user_id: config.end_user_id,
            company_name: config.company_name,
            company_logo_uri: config.company_logo_uri,
            expires_at,
            phase: Phase::Login {
                step_id: random_id("st_")?,
            },
            replays: HashMap::new(),
            replay_order: VecDeque::new(),
        };
        self.sessions.insert(session_id.clone(), session);
        self.link_tokens.insert(link_token, session_id);
        Ok(CreateLinkTokenResponse {
            status: wire::Ok::Ok,
            link_token: token,
            expires_at: rfc3339(expires_at),
        })
    }

    fn session(&self, session_id: &str) -> Result<&Session, ApiError> {
        self.sessions
            .get(session_id)
            .ok_or(ApiError::Internal("a link token names a missing session"))
    }

    /// `GET /v1/link/session`: the session and its current step.
    pub fn session_view(&self, session_id: &str) -> Result<SessionResponse, ApiError> {
        let session = self.session(session_id)?;
        let step = match &session.phase {
            Phase::Login { step_id } => Step::Credentials(FormStep {
                id: step_id.clone(),
                prompt: None,
                fields: session.integration.login_fields(),
            }),
            Phase::Code { step_id, .. } => code_step(session.integration, step_id, None),
            Phase::Locked => return Err(ApiError::AccountLocked),
            Phase::Done | Phase::Exited => {
                return Err(ApiError::Conflict("This link session has already ended."))
            }
        };
        Ok(SessionResponse {
            status: wire::Ok::Ok,
            session: LinkSession {
                id: session.id.clone(),
                integration: session.integration.brand(),
                company_name: session.company_name.clone(),
                company_logo_uri: session.company_logo_uri.clone(),
                expires_at: rfc3339(session.expires_at),
                step,
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
    ) -> Result<SubmitOutcome, ApiError> {
        let public_token_ttl = self.lifetimes.public_token;
        let session = self
            .sessions
            .get_mut(session_id)
            .ok_or(ApiError::Internal("a link token names a missing session"))?;
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
        let attempt = session.attempt(request, retrying_failed_attempt)?;
        let response = match attempt.verdict {
            Verdict::Flaky => {
                session.remember(idempotency_key, fingerprint, None);
                return Err(ApiError::Internal("user_flaky's planned first failure"));
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
        let session = self
            .sessions
            .get_mut(session_id)
            .ok_or(ApiError::Internal("a session vanished during submit"))?;
        session.remember(idempotency_key, fingerprint, Some(response.clone()));
        Ok(SubmitOutcome {
            response,
            delay: attempt.slow.then_some(SLOW_USER_DELAY),
            replayed: false,
        })
    }

    /// `POST /v1/link/session/exit`: closes the session; closing twice is fine.
    pub fn exit(&mut self, session_id: &str) -> Result<(), ApiError> {
        let session = self
            .sessions
            .get_mut(session_id)
            .ok_or(ApiError::Internal("a link token names a missing session"))?;
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

    /// `POST /v1/linked-accounts/token`: trades a public token, once, for the
    /// end user's account token.
    pub fn exchange(
        &mut self,
        public_token: &str,
        now: SystemTime,
    ) -> Result<ExchangePublicTokenResponse, ApiError> {
        let refuse = |code, message: &str| ApiError::field("publicToken", code, message);
        let grant = self
            .public_tokens
            .get_mut(&TokenDigest::of(public_token))
            .ok_or_else(|| {
                refuse(
                    FieldErrorCode::InvalidPublicToken,
                    "The public token is not valid.",
                )
            })?;
        if grant.used {
            return Err(refuse(
                FieldErrorCode::PublicTokenUsed,
                "The public token was already exchanged.",
            ));
        }
        if now >= grant.expires_at {
            return Err(refuse(
                FieldErrorCode::PublicTokenExpired,
                "The public token has expired.",
            ));
        }
        let account_id = match self.account_by_end_user.get(&grant.end_user_id) {
            Some(id) => id.clone(),
            None if self.accounts.len() >= self.max_accounts => {
                return Err(ApiError::Forbidden(
                    "This sandbox holds its maximum number of linked accounts (--max-linked-accounts); delete one with DELETE /v1/linked-accounts/me, or restart it.",
                ));
            }
            None => {
                let token = random_id(wire::ACCOUNT_TOKEN_PREFIX)?;
                let id = random_id("la_")?;
                self.account_tokens
                    .insert(TokenDigest::of(&token), id.clone());
                self.account_by_end_user
                    .insert(grant.end_user_id.clone(), id.clone());
                self.accounts.insert(
                    id.clone(),
                    Account {
                        id: id.clone(),
                        token,
                        end_user_id: grant.end_user_id.clone(),
                        created_at: now,
                        integrations: Vec::new(),
                    },
                );
                id
            }
        };
        grant.used = true;
        let account = self
            .accounts
            .get_mut(&account_id)
            .ok_or(ApiError::Internal(
                "an account index names a missing account",
            ))?;
        let linked = LinkedIntegration {
            integration: grant.integration.to_owned(),
            username: grant.username.clone(),
            is_alive: true,
        };
        if !account.integrations.contains(&linked) {
            account.integrations.push(linked);
        }
        Ok(ExchangePublicTokenResponse {
            status: wire::Ok::Ok,
            account_token: account.token.clone(),
        })
    }

    fn account_id(&self, account_token: &str) -> Result<String, ApiError> {
        self.account_tokens
            .get(&TokenDigest::of(account_token))
            .cloned()
            .ok_or(ApiError::InvalidToken("The account token is not valid."))
    }

    /// `GET /v1/linked-accounts/me`.
    pub fn linked_account(&self, account_token: &str) -> Result<LinkedAccountResponse, ApiError> {
        let id = self.account_id(account_token)?;
        let account = self.accounts.get(&id).ok_or(ApiError::Internal(
            "an account index names a missing account",
        ))?;
        Ok(LinkedAccountResponse {
            status: wire::Ok::Ok,
            linked_account: LinkedAccount {
                id: account.id.clone(),
                end_user_id: account.end_user_id.clone(),
                created_at: rfc3339(account.created_at),
                integrations: account.integrations.clone(),
            },
        })
    }

    /// `DELETE /v1/linked-accounts/me`: deletes the account and revokes its token.
    pub fn delete_linked_account(&mut self, account_token: &str) -> Result<(), ApiError> {
        let id = self.account_id(account_token)?;
        self.account_tokens.remove(&TokenDigest::of(account_token));
        if let Some(account) = self.accounts.remove(&id) {
            self.account_by_end_user.remove(&account.end_user_id);
        }
        Ok(())
    }
}

fn code_step(integration: &Integration, step_id: &str, phone: Option<&str>) -> Step {
    let destination = integration.masked_destination(phone);
    Step::Mfa(FormStep {
        id: step_id.to_owned(),
        prompt: Some(integration.code_prompt(&destination)),
        fields: integration.code_fields(),
    })
}

enum Verdict {
    Answer(Result<SubmitResponse, ApiError>),
    Finish { username: String },
    Flaky,
}

struct Attempt {
    verdict: Verdict,
    slow: bool,
}

impl Attempt {
    fn answer(answer: Result<SubmitResponse, ApiError>) -> Self {
        Self {
            verdict: Verdict::Answer(answer),
            slow: false,
        }
    }
}

impl Session {
    /// Judges one submit. `Err` is for answers that are never remembered
    /// under the key (the session's state refuses any submit).
    fn attempt(
        &mut self,
        request: &SubmitRequest,
        retrying_failed_attempt: bool,
    ) -> Result<Attempt, ApiError> {
        let (step_id, fields) = match &self.phase {
            Phase::Login { step_id } => (step_id.clone(), self.integration.login_fields()),
            Phase::Code { step_id, .. } => (step_id.clone(), self.integration.code_fields()),
            Phase::Locked => return Err(ApiError::AccountLocked),
            Phase::Done | Phase::Exited => {
                return Err(ApiError::Conflict("This link session has already ended."))
            }
        };
        if request.step_id != step_id {
            return Err(ApiError::Conflict(
                "stepId does not name the session's current step; fetch the session again.",
            ));
        }
        let mut errors: Vec<FieldError> = request
            .values
            .0
            .keys()
            .filter(|name| !fields.iter().any(|f| &f.name == *name))
            .map(|name| {
                FieldError::new(
                    format!("values.{name}"),
                    FieldErrorCode::UnknownField,
                    "This step has no such field.",
                )
            })
            .collect();
        for field in &fields {
            let value = request.values.get(&field.name).unwrap_or("");
            if let Err((code, message)) = field.check_value(value) {
                errors.push(FieldError::new(
                    format!("values.{}", field.name),
                    code,
                    message,
                ));
            }
        }
        if !errors.is_empty() {
            return Ok(Attempt::answer(Err(ApiError::Validation(errors))));
        }
        let value = |name: &str| request.values.get(name).unwrap_or("").trim().to_owned();
        Ok(match self.phase.clone() {
            Phase::Login { .. } => match self.integration.login {
                Login::Password { .. } => {
                    let username = value("username");
                    self.judge_password_login(
                        &username,
                        &value("password"),
                        retrying_failed_attempt,
                    )?
                }
                Login::Passwordless => {
                    let phone = normalize_phone(&value("phone"));
                    if phone == test_users::PHONE {
                        self.ask_for_code(phone)?
                    } else {
                        Attempt::answer(Err(ApiError::field(
                            "values.phone",
                            FieldErrorCode::InvalidCredentials,
                            "We couldn't find an account with that phone number.",
                        )))
                    }
                }
            },
            Phase::Code {
                step_id,
                username,
                wrong_codes,
            } => {
                if value("code") == test_users::CODE {
                    Attempt {
                        verdict: Verdict::Finish { username },
                        slow: false,
                    }
                } else if wrong_codes + 1 >= WRONG_CODES_TO_LOCK {
                    self.phase = Phase::Locked;
                    Attempt::answer(Err(ApiError::AccountLocked))
                } else {
                    self.phase = Phase::Code {
                        step_id,
                        username,
                        wrong_codes: wrong_codes + 1,
                    };
                    Attempt::answer(Err(ApiError::field(
                        "values.code",
                        FieldErrorCode::InvalidCode,
                        "That code is not right. Check it and try again.",
                    )))
                }
            }
            Phase::Done | Phase::Exited | Phase::Locked => {
                return Err(ApiError::Internal(
                    "a closed session passed the phase check",
                ))
            }
        })
    }

    fn judge_password_login(
        &mut self,
        username: &str,
        password: &str,
        retrying_failed_attempt: bool,
    ) -> Result<Attempt, ApiError> {
        use test_users::*;
        if username == LOCKED {
            self.phase = Phase::Locked;
            return Ok(Attempt::answer(Err(ApiError::AccountLocked)));
        }
        let known = [GOOD, MFA, SLOW, FLAKY].contains(&username) || FAULTY.contains(&username);
        if !known || password != PASSWORD {
            return Ok(Attempt::answer(Err(ApiError::field(
                "values.password",
                FieldErrorCode::InvalidCredentials,
                "The username or password is incorrect.",
            ))));
        }
        Ok(match username {
            MFA => self.ask_for_code(username.to_owned())?,
            FLAKY if !retrying_failed_attempt => Attempt {
                verdict: Verdict::Flaky,
                slow: false,
            },
            _ => Attempt {
                verdict: Verdict::Finish {
                    username: username.to_owned(),
                },
                slow: username == SLOW,
            },
        })
    }

    fn ask_for_code(&mut self, username: String) -> Result<Attempt, ApiError> {
        let step_id = random_id("st_")?;
        let phone = username.starts_with('+').then_some(username.as_str());
        let step = code_step(self.integration, &step_id, phone);
        self.phase = Phase::Code {
            step_id,
            username,
            wrong_codes: 0,
        };
        Ok(Attempt::answer(Ok(SubmitResponse {
            status: wire::Ok::Ok,
            step,
            public_token: None,
            metadata: None,
        })))
    }

    fn remember(
        &mut self,
        key: &str,
        fingerprint: [u8; 32],
        outcome: Option<Result<SubmitResponse, ApiError>>,
    ) {
        if !self.replays.contains_key(key) {
            self.replay_order.push_back(key.to_owned());
        }
        self.replays.insert(
            key.to_owned(),
            Replay {
                fingerprint,
                outcome,
            },
        );
        while self.replay_order.len() > REMEMBERED_KEYS_PER_SESSION {
            if let Some(oldest) = self.replay_order.pop_front() {
                self.replays.remove(&oldest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keet_link::protocol::SecretValues;

    const KEY: &str = "sk_sandbox_test_0123456789abcdef";
    const LIFETIME: Duration = Duration::from_secs(10);

    fn store(max_accounts: usize) -> Store {
        let lifetimes = Lifetimes {
            link_token: LIFETIME,
            public_token: LIFETIME,
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
        let Step::Credentials(step) = store.session_view(&session_id).unwrap().session.step else {
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
            .submit(&session_id, "key-1", [0; 32], &request, now)
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
