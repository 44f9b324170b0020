//! One link session: where it stands, and how it judges a submit.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use keet_link_i18n::Locale;
use keet_link_protocol::{
    self as wire, normalize_phone, ErrorBody, FieldError, FieldErrorCode, FormStep, Step,
    SubmitRequest, SubmitResponse,
};

use serde::{Deserialize, Serialize};

use super::durable::{bad_row, Sealer, StorageError};
use super::{random_id, MAX_RESENDS};
use crate::catalogue::{Integration, Login};
use crate::error::ApiError;
use crate::test_users::{self, Behaviour};
use crate::tokens::TokenDigest;

/// Idempotency keys remembered per session; the oldest are forgotten first.
const REMEMBERED_KEYS_PER_SESSION: usize = 256;
/// Values a submit may carry beyond its step's fields before it is refused
/// whole: the answer (remembered under its key) then holds one error, not
/// one per key (6,400 unknown keys made a 559 KB answer).
const EXTRA_VALUES_ALLOWED: usize = 4;

/// Where a session stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum Phase {
    Login {
        step_id: String,
        /// Wrong passwords so far; [`test_users::WRONG_PASSWORDS_TO_LOCK`] locks.
        wrong_passwords: u8,
    },
    Code {
        step_id: String,
        /// Who asked for the code: a test user, or the test phone number.
        username: String,
        wrong_codes: u8,
        /// When the next code may be sent.
        resend_at: SystemTime,
        /// New codes sent so far, at most [`MAX_RESENDS`].
        resends: u8,
        /// The idempotency key of the last resend, whose replay sends nothing.
        last_resend_key: Option<String>,
    },
    /// A security question (a second step shaped like a code step).
    Question {
        step_id: String,
        username: String,
        wrong_answers: u8,
    },
    Done,
    Exited,
    Locked,
    /// Its link token expired while it was open (reported once).
    Expired,
}

#[derive(Debug)]
pub(super) struct Replay {
    pub(super) fingerprint: [u8; 32],
    /// `None` while only a failed (5xx) attempt was seen under this key.
    pub(super) outcome: Option<Result<SubmitResponse, ApiError>>,
}

#[derive(Debug)]
pub(super) struct Session {
    pub(super) id: String,
    /// The key of its link token in `Store::link_tokens`.
    pub(super) link_token: TokenDigest,
    pub(super) integration: &'static Integration,
    pub(super) end_user_id: String,
    pub(super) company_name: Option<String>,
    pub(super) company_logo_uri: Option<String>,
    pub(super) expires_at: SystemTime,
    /// A re-link: the login of an integration the end user linked before,
    /// whose username (or phone number) it must be again.
    pub(super) relink: Option<String>,
    pub(super) phase: Phase,
    pub(super) replays: HashMap<String, Replay>,
    pub(super) replay_order: VecDeque<String>,
}

/// What one submit comes to, before the store records it.
pub(super) enum Verdict {
    /// An answer to remember under the key as it is.
    Answer(Result<SubmitResponse, ApiError>),
    /// The login succeeded: the store mints the public token.
    Finish { username: String },
    /// A planned 500 that a retry under the same key gets past.
    FailOnce,
}

pub(super) struct Attempt {
    pub(super) verdict: Verdict,
    /// How long to hold the answer back (a slow test user).
    pub(super) delay: Option<Duration>,
}

impl Attempt {
    fn answer(answer: Result<SubmitResponse, ApiError>) -> Self {
        Self {
            verdict: Verdict::Answer(answer),
            delay: None,
        }
    }

    fn finish(username: String, delay: Option<Duration>) -> Self {
        Self {
            verdict: Verdict::Finish { username },
            delay,
        }
    }
}

impl Session {
    /// A new session at its login step.
    pub(super) fn new(
        id: String,
        link_token: TokenDigest,
        integration: &'static Integration,
        config: wire::LinkConfig,
        expires_at: SystemTime,
        relink: Option<String>,
    ) -> Result<Self, ApiError> {
        Ok(Self {
            id,
            link_token,
            integration,
            end_user_id: config.end_user_id,
            company_name: config.company_name,
            company_logo_uri: config.company_logo_uri,
            expires_at,
            relink,
            phase: Phase::Login {
                step_id: random_id("st_")?,
                wrong_passwords: 0,
            },
            replays: HashMap::new(),
            replay_order: VecDeque::new(),
        })
    }

    /// The step the session is at: the one place a phase becomes a step.
    /// A locked or ended session has none and says why.
    pub(super) fn current_step(&self, locale: Locale, now: SystemTime) -> Result<Step, ApiError> {
        match &self.phase {
            Phase::Login { step_id, .. } => Ok(Step::Credentials(FormStep {
                id: step_id.clone(),
                prompt: None,
                fields: self.login_fields(locale),
                resend_after_seconds: None,
            })),
            Phase::Code {
                step_id,
                username,
                resend_at,
                resends,
                ..
            } => {
                let phone = username.starts_with('+').then_some(username.as_str());
                let destination = self.integration.masked_destination(phone);
                Ok(Step::Mfa(FormStep {
                    id: step_id.clone(),
                    prompt: Some(self.integration.code_prompt(locale, &destination)),
                    fields: self.integration.code_fields(locale),
                    resend_after_seconds: (*resends < MAX_RESENDS)
                        .then(|| whole_seconds_until(*resend_at, now)),
                }))
            }
            Phase::Question { step_id, .. } => Ok(Step::Mfa(FormStep {
                id: step_id.clone(),
                prompt: Some(crate::texts::api_texts(locale).security_question.to_owned()),
                fields: self.integration.answer_fields(locale),
                resend_after_seconds: None,
            })),
            Phase::Locked => Err(ApiError::AccountLocked),
            Phase::Done | Phase::Exited | Phase::Expired => {
                Err(ApiError::Conflict("This link session has already ended."))
            }
        }
    }

    /// The login step's fields; in a re-link the identifier (the first
    /// field) holds the linked login and cannot be changed.
    fn login_fields(&self, locale: Locale) -> Vec<wire::FieldSpec> {
        let mut fields = self.integration.login_fields(locale);
        if let (Some(linked), Some(identifier)) = (&self.relink, fields.first_mut()) {
            identifier.value = Some(linked.clone());
            identifier.read_only = true;
        }
        fields
    }

    /// A first link, or a re-link.
    pub(super) fn mode(&self) -> wire::LinkMode {
        match self.relink {
            Some(_) => wire::LinkMode::Relink,
            None => wire::LinkMode::Link,
        }
    }

    /// Whether the session reached an end a webhook reports, and which.
    pub(super) fn ending(&self) -> Option<wire::LinkSessionStatus> {
        match self.phase {
            Phase::Done => Some(wire::LinkSessionStatus::Success),
            Phase::Exited => Some(wire::LinkSessionStatus::Exited),
            Phase::Locked => Some(wire::LinkSessionStatus::Locked),
            Phase::Expired => Some(wire::LinkSessionStatus::Expired),
            Phase::Login { .. } | Phase::Code { .. } | Phase::Question { .. } => None,
        }
    }

    /// Judges one submit. `Err` is for answers that are never remembered
    /// under the key (the session's state refuses any submit).
    pub(super) fn attempt(
        &mut self,
        request: &SubmitRequest,
        retrying_failed_attempt: bool,
        locale: Locale,
        now: SystemTime,
        resend_cooldown: Duration,
    ) -> Result<Attempt, ApiError> {
        let texts = locale.texts();
        let (Step::Credentials(step) | Step::Mfa(step)) = self.current_step(locale, now)? else {
            return Err(ApiError::Internal("an open session's step has no form"));
        };
        if request.step_id != step.id {
            return Err(ApiError::Conflict(
                "stepId does not name the session's current step; fetch the session again.",
            ));
        }
        let most = step.fields.len() + EXTRA_VALUES_ALLOWED;
        if request.values.0.len() > most {
            return Ok(Attempt::answer(Err(ApiError::field(
                "values",
                FieldErrorCode::TooLong,
                format!("values has more entries than this step has fields; send only its fields (at most {most} entries)."),
            ))));
        }
        let mut errors: Vec<FieldError> = request
            .values
            .0
            .keys()
            .filter(|name| !step.fields.iter().any(|f| &f.name == *name))
            .map(|name| {
                FieldError::new(
                    format!("values.{name}"),
                    FieldErrorCode::UnknownField,
                    "This step has no such field.",
                )
            })
            .collect();
        for field in &step.fields {
            let value = request.values.get(&field.name).unwrap_or("");
            if let Err((code, message)) = field.check_value(value, texts) {
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
        if let (Phase::Login { .. }, Some(linked)) = (&self.phase, &self.relink) {
            let (field, given) = match self.integration.login {
                Login::Password { .. } => ("username", value("username")),
                Login::Passwordless => ("phone", normalize_phone(&value("phone"))),
            };
            if &given != linked {
                return Ok(Attempt::answer(Err(ApiError::field(
                    format!("values.{field}"),
                    FieldErrorCode::InvalidValue,
                    crate::texts::api_texts(locale).other_login,
                ))));
            }
        }
        Ok(match self.phase.clone() {
            Phase::Login { .. } => match self.integration.login {
                Login::Password { .. } => self.judge_password_login(
                    value("username"),
                    &value("password"),
                    retrying_failed_attempt,
                    CodeClock {
                        locale,
                        now,
                        resend_cooldown,
                    },
                )?,
                Login::Passwordless => {
                    let phone = normalize_phone(&value("phone"));
                    if phone == test_users::PHONE {
                        self.ask_for_code(
                            phone,
                            CodeClock {
                                locale,
                                now,
                                resend_cooldown,
                            },
                        )?
                    } else {
                        Attempt::answer(Err(ApiError::field(
                            "values.phone",
                            FieldErrorCode::InvalidCredentials,
                            crate::texts::api_texts(locale).unknown_phone,
                        )))
                    }
                }
            },
            Phase::Code {
                step_id,
                username,
                wrong_codes,
                resend_at,
                resends,
                last_resend_key,
            } => {
                if value("code") == test_users::CODE {
                    Attempt::finish(username, None)
                } else if wrong_codes + 1 >= test_users::WRONG_CODES_TO_LOCK {
                    self.phase = Phase::Locked;
                    Attempt::answer(Err(ApiError::AccountLocked))
                } else {
                    self.phase = Phase::Code {
                        step_id,
                        username,
                        wrong_codes: wrong_codes + 1,
                        resend_at,
                        resends,
                        last_resend_key,
                    };
                    Attempt::answer(Err(ApiError::field(
                        "values.code",
                        FieldErrorCode::InvalidCode,
                        crate::texts::api_texts(locale).wrong_code,
                    )))
                }
            }
            Phase::Question {
                step_id,
                username,
                wrong_answers,
            } => {
                if value("answer").eq_ignore_ascii_case(test_users::ANSWER) {
                    Attempt::finish(username, None)
                } else if wrong_answers + 1 >= test_users::WRONG_CODES_TO_LOCK {
                    self.phase = Phase::Locked;
                    Attempt::answer(Err(ApiError::AccountLocked))
                } else {
                    self.phase = Phase::Question {
                        step_id,
                        username,
                        wrong_answers: wrong_answers + 1,
                    };
                    Attempt::answer(Err(ApiError::field(
                        "values.answer",
                        FieldErrorCode::InvalidValue,
                        crate::texts::api_texts(locale).wrong_answer,
                    )))
                }
            }
            Phase::Done | Phase::Exited | Phase::Locked | Phase::Expired => {
                return Err(ApiError::Internal(
                    "a closed session passed the phase check",
                ))
            }
        })
    }

    /// A password login, judged by the test users' table.
    fn judge_password_login(
        &mut self,
        username: String,
        password: &str,
        retrying_failed_attempt: bool,
        clock: CodeClock,
    ) -> Result<Attempt, ApiError> {
        let behaviour = test_users::find(&username).map(|user| user.behaviour);
        if behaviour == Some(Behaviour::Locked) {
            self.phase = Phase::Locked;
            return Ok(Attempt::answer(Err(ApiError::AccountLocked)));
        }
        let Some(behaviour) = behaviour.filter(|_| password == test_users::PASSWORD) else {
            if let Phase::Login {
                wrong_passwords, ..
            } = &mut self.phase
            {
                *wrong_passwords += 1;
                if *wrong_passwords >= test_users::WRONG_PASSWORDS_TO_LOCK {
                    self.phase = Phase::Locked;
                    return Ok(Attempt::answer(Err(ApiError::AccountLocked)));
                }
            }
            return Ok(Attempt::answer(Err(ApiError::field(
                "values.password",
                FieldErrorCode::InvalidCredentials,
                crate::texts::api_texts(clock.locale).wrong_password,
            ))));
        };
        Ok(match behaviour {
            Behaviour::AsksForCode => self.ask_for_code(username, clock)?,
            Behaviour::AsksQuestion => {
                self.phase = Phase::Question {
                    step_id: random_id("st_")?,
                    username,
                    wrong_answers: 0,
                };
                Attempt::answer(Ok(SubmitResponse {
                    status: wire::Ok::Ok,
                    step: self.current_step(clock.locale, clock.now)?,
                    public_token: None,
                    metadata: None,
                }))
            }
            Behaviour::FailsOnce if !retrying_failed_attempt => Attempt {
                verdict: Verdict::FailOnce,
                delay: None,
            },
            Behaviour::Slow(delay) => Attempt::finish(username, Some(delay)),
            Behaviour::Succeeds
            | Behaviour::FailsOnce
            | Behaviour::BreaksFirstAnswer(_)
            | Behaviour::Locked => Attempt::finish(username, None),
        })
    }

    fn ask_for_code(&mut self, username: String, clock: CodeClock) -> Result<Attempt, ApiError> {
        self.phase = Phase::Code {
            step_id: random_id("st_")?,
            username,
            wrong_codes: 0,
            resend_at: clock.now + clock.resend_cooldown,
            resends: 0,
            last_resend_key: None,
        };
        let (locale, now) = (clock.locale, clock.now);
        Ok(Attempt::answer(Ok(SubmitResponse {
            status: wire::Ok::Ok,
            step: self.current_step(locale, now)?,
            public_token: None,
            metadata: None,
        })))
    }

    /// Sends a new code for the code step under `key`: 409 when the session
    /// is not at a code step or has sent its last code, 429 while the last
    /// code is too recent. A replay of the last key sends nothing more.
    pub(super) fn resend(
        &mut self,
        key: &str,
        now: SystemTime,
        cooldown: Duration,
    ) -> Result<(), ApiError> {
        let Phase::Code {
            resend_at,
            resends,
            last_resend_key,
            ..
        } = &mut self.phase
        else {
            return Err(match self.phase {
                Phase::Locked => ApiError::AccountLocked,
                _ => ApiError::Conflict("This link session is not at a code step."),
            });
        };
        if last_resend_key.as_deref() == Some(key) {
            return Ok(());
        }
        if *resends >= MAX_RESENDS {
            return Err(ApiError::Conflict(
                "This link session has sent its last code; the user can start again.",
            ));
        }
        let wait = whole_seconds_until(*resend_at, now);
        if wait > 0 {
            return Err(ApiError::RateLimited {
                retry_after_secs: u64::from(wait),
            });
        }
        *resends += 1;
        *resend_at = now + cooldown;
        *last_resend_key = Some(key.to_owned());
        Ok(())
    }

    /// Remembers `outcome` under `key`, forgetting the oldest key past
    /// [`REMEMBERED_KEYS_PER_SESSION`].
    pub(super) fn remember(
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

/// A session as the data folder keeps it (the id, link token digest and
/// expiry are columns of their own).
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionRecord {
    integration: String,
    end_user_id: String,
    company_name: Option<String>,
    company_logo_uri: Option<String>,
    #[serde(default)]
    relink: Option<String>,
    phase: Phase,
    /// Oldest first.
    replays: Vec<ReplayRecord>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReplayRecord {
    key: String,
    fingerprint: [u8; 32],
    outcome: Option<OutcomeRecord>,
}

/// A remembered answer, its public token (if any) sealed.
#[derive(Serialize, Deserialize)]
enum OutcomeRecord {
    Answer {
        response: SubmitResponse,
        sealed_public_token: Option<Vec<u8>>,
    },
    Refused(ErrorBody),
}

impl Session {
    /// The session's state as JSON for the data folder; a replayable public
    /// token is sealed.
    pub(super) fn to_record(&self, sealer: &Sealer) -> Result<String, StorageError> {
        let replays = self
            .replay_order
            .iter()
            .filter_map(|key| Some((key, self.replays.get(key)?)))
            .map(|(key, replay)| {
                let outcome = match &replay.outcome {
                    None => None,
                    Some(Err(error)) => Some(OutcomeRecord::Refused(error.body())),
                    Some(Ok(response)) => {
                        let mut response = response.clone();
                        let sealed_public_token = response
                            .public_token
                            .take()
                            .map(|token| sealer.seal(token.expose()))
                            .transpose()?;
                        Some(OutcomeRecord::Answer {
                            response,
                            sealed_public_token,
                        })
                    }
                };
                Ok(ReplayRecord {
                    key: key.clone(),
                    fingerprint: replay.fingerprint,
                    outcome,
                })
            })
            .collect::<Result<_, StorageError>>()?;
        let record = SessionRecord {
            integration: self.integration.name.to_owned(),
            end_user_id: self.end_user_id.clone(),
            company_name: self.company_name.clone(),
            company_logo_uri: self.company_logo_uri.clone(),
            relink: self.relink.clone(),
            phase: self.phase.clone(),
            replays,
        };
        serde_json::to_string(&record).map_err(|error| bad_row("sessions", error.to_string()))
    }

    /// The session [`Session::to_record`] wrote.
    pub(super) fn from_record(
        id: String,
        link_token: TokenDigest,
        expires_at: SystemTime,
        state: &str,
        sealer: &Sealer,
    ) -> Result<Self, StorageError> {
        let record: SessionRecord =
            serde_json::from_str(state).map_err(|error| bad_row("sessions", error.to_string()))?;
        let integration = crate::catalogue::find(&record.integration).ok_or_else(|| {
            bad_row(
                "sessions",
                format!("no integration is called {}", record.integration),
            )
        })?;
        let mut replays = HashMap::new();
        let mut replay_order = VecDeque::new();
        for replay in record.replays {
            let outcome = match replay.outcome {
                None => None,
                Some(OutcomeRecord::Refused(body)) => {
                    Some(Err(ApiError::Remembered(Box::new(body))))
                }
                Some(OutcomeRecord::Answer {
                    mut response,
                    sealed_public_token,
                }) => {
                    response.public_token = sealed_public_token
                        .map(|sealed| sealer.open(&sealed, "sessions"))
                        .transpose()?
                        .map(Into::into);
                    Some(Ok(response))
                }
            };
            replay_order.push_back(replay.key.clone());
            replays.insert(
                replay.key,
                Replay {
                    fingerprint: replay.fingerprint,
                    outcome,
                },
            );
        }
        Ok(Self {
            id,
            link_token,
            integration,
            end_user_id: record.end_user_id,
            company_name: record.company_name,
            company_logo_uri: record.company_logo_uri,
            expires_at,
            relink: record.relink,
            phase: record.phase,
            replays,
            replay_order,
        })
    }
}

/// When, where and how often codes go: what judging a login that asks for
/// a code needs.
#[derive(Debug, Clone, Copy)]
pub(super) struct CodeClock {
    pub(super) locale: Locale,
    pub(super) now: SystemTime,
    pub(super) resend_cooldown: Duration,
}

/// Whole seconds from `now` until `then`, rounded up; 0 once it has passed.
fn whole_seconds_until(then: SystemTime, now: SystemTime) -> u32 {
    let left = then.duration_since(now).unwrap_or_default();
    let seconds = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    u32::try_from(seconds).unwrap_or(u32::MAX)
}
