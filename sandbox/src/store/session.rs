//! One link session: where it stands, and how it judges a submit.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, SystemTime};

use keet_link_i18n::{fill, Locale};
use keet_link_protocol::{
    self as wire, normalize_phone, ErrorBody, FieldError, FieldErrorCode, FormStep, Step,
    SubmitRequest, SubmitResponse,
};

use serde::{Deserialize, Serialize};

use super::durable::{bad_row, Sealer, StorageError};
use super::{random_id, MAX_RESENDS};
use crate::catalogue::{masked_destination, CodeChannel, Integration, Login};
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
    /// Opened with no integration: the user chooses one (its step is
    /// [`Choices::step_id`]).
    Choosing,
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
        /// Where the user chose the code to go; the integration's own
        /// channel when they were not asked.
        #[serde(default)]
        channel: Option<CodeChannel>,
    },
    /// Where to send the code: a choice of text or email.
    ChannelChoice {
        step_id: String,
        username: String,
    },
    /// Approval on another device, which answers
    /// [`test_users::APPROVAL_DELAY`] after `shown_at`.
    Approve {
        step_id: String,
        username: String,
        shown_at: SystemTime,
        /// The other device says no.
        denied: bool,
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
    /// The login was denied on the other device.
    Denied,
    /// Its link token expired while it was open (reported once).
    Expired,
}

#[derive(Debug)]
pub(super) struct Replay {
    pub(super) fingerprint: [u8; 32],
    /// `None` while only a failed (5xx) attempt was seen under this key.
    pub(super) outcome: Option<Result<SubmitResponse, ApiError>>,
}

/// The choice of integration a session offers when its link config named
/// none: the step's id and the names on offer, in the catalogue's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Choices {
    pub(super) step_id: String,
    pub(super) names: Vec<String>,
}

#[derive(Debug)]
pub(super) struct Session {
    pub(super) id: String,
    /// The key of its link token in `Store::link_tokens`.
    pub(super) link_token: TokenDigest,
    /// `None` until the user chooses one (a session opened on [`Choices`]).
    pub(super) integration: Option<&'static Integration>,
    /// The integrations on offer, when the link config named none.
    pub(super) choices: Option<Choices>,
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

/// How a session starts: at the login of the integration its link config
/// named (`relink` when the end user linked it before), or at a choice
/// among these integrations.
pub(super) enum Start {
    Login {
        integration: &'static Integration,
        relink: Option<String>,
    },
    Choosing(Vec<&'static str>),
}

/// What one submit comes to, before the store records it.
// One per request, moved once: boxing the large variant would buy nothing.
#[allow(clippy::large_enum_variant)]
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
        start: Start,
        config: wire::LinkConfig,
        expires_at: SystemTime,
    ) -> Result<Self, ApiError> {
        let (integration, choices, relink, phase) = match start {
            Start::Login {
                integration,
                relink,
            } => (
                Some(integration),
                None,
                relink,
                Phase::Login {
                    step_id: random_id("st_")?,
                    wrong_passwords: 0,
                },
            ),
            Start::Choosing(names) => (
                None,
                Some(Choices {
                    step_id: random_id("st_")?,
                    names: names.iter().map(|name| (*name).to_owned()).collect(),
                }),
                None,
                Phase::Choosing,
            ),
        };
        Ok(Self {
            id,
            link_token,
            integration,
            choices,
            end_user_id: config.end_user_id,
            company_name: config.company_name,
            company_logo_uri: config.company_logo_uri,
            expires_at,
            relink,
            phase,
            replays: HashMap::new(),
            replay_order: VecDeque::new(),
        })
    }

    /// The step the session is at: the one place a phase becomes a step.
    /// A locked or ended session has none and says why.
    pub(super) fn current_step(&self, locale: Locale, now: SystemTime) -> Result<Step, ApiError> {
        match &self.phase {
            Phase::Choosing => {
                let choices = self.choices.as_ref().ok_or(ApiError::Internal(
                    "a session choosing an integration has no choices",
                ))?;
                Ok(Step::Integration(FormStep {
                    options: choices
                        .names
                        .iter()
                        .filter_map(|name| crate::catalogue::find(name))
                        .map(Integration::option)
                        .collect(),
                    ..FormStep::of_fields(choices.step_id.clone(), None, Vec::new())
                }))
            }
            Phase::Login { step_id, .. } => Ok(Step::Credentials(FormStep::of_fields(
                step_id.clone(),
                None,
                self.login_fields(locale)?,
            ))),
            Phase::Code {
                step_id,
                username,
                resend_at,
                resends,
                channel,
                ..
            } => {
                let integration = self.chosen()?;
                let channel = channel.unwrap_or(integration.code_channel);
                let phone = username.starts_with('+').then_some(username.as_str());
                let destination = masked_destination(channel, phone);
                Ok(Step::Mfa(FormStep {
                    resend_after_seconds: (*resends < MAX_RESENDS)
                        .then(|| whole_seconds_until(*resend_at, now)),
                    ..FormStep::of_fields(
                        step_id.clone(),
                        Some(integration.code_prompt_via(channel, locale, &destination)),
                        integration.code_fields(locale),
                    )
                }))
            }
            Phase::Question { step_id, .. } => Ok(Step::Mfa(FormStep::of_fields(
                step_id.clone(),
                Some(crate::texts::api_texts(locale).security_question.to_owned()),
                self.chosen()?.answer_fields(locale),
            ))),
            Phase::ChannelChoice { step_id, .. } => Ok(Step::Mfa(FormStep::of_fields(
                step_id.clone(),
                Some(
                    crate::texts::api_texts(locale)
                        .where_to_send_code
                        .to_owned(),
                ),
                self.chosen()?.code_channel_fields(locale),
            ))),
            Phase::Approve { step_id, .. } => {
                let integration = self.chosen()?;
                let prompt = fill(
                    crate::texts::api_texts(locale).approve_prompt,
                    &[("integration", integration.name)],
                );
                Ok(Step::Approve(FormStep {
                    poll_after_seconds: Some(test_users::APPROVAL_POLL_SECONDS),
                    code_instead: true,
                    ..FormStep::of_fields(step_id.clone(), Some(prompt), Vec::new())
                }))
            }
            Phase::Locked => Err(ApiError::AccountLocked),
            Phase::Denied => Err(ApiError::ApprovalDenied),
            Phase::Done | Phase::Exited | Phase::Expired => {
                Err(ApiError::Conflict("This link session has already ended."))
            }
        }
    }

    /// The login step's fields; in a re-link the identifier (the first
    /// field) holds the linked login and cannot be changed.
    fn login_fields(&self, locale: Locale) -> Result<Vec<wire::FieldSpec>, ApiError> {
        let mut fields = self.chosen()?.login_fields(locale);
        if let (Some(linked), Some(identifier)) = (&self.relink, fields.first_mut()) {
            identifier.value = Some(linked.clone());
            identifier.read_only = true;
        }
        Ok(fields)
    }

    /// The integration the user logs in to; an internal error before it
    /// was chosen (no phase past [`Phase::Choosing`] comes before that).
    pub(super) fn chosen(&self) -> Result<&'static Integration, ApiError> {
        self.integration.ok_or(ApiError::Internal(
            "a session past its choice has no integration",
        ))
    }

    /// Whether `request` answers the session's choice of integration: at
    /// first, and again from the login step (the user went back to the
    /// list).
    pub(super) fn answers_choice(&self, request: &SubmitRequest) -> bool {
        self.choices
            .as_ref()
            .is_some_and(|choices| choices.step_id == request.step_id)
            && matches!(self.phase, Phase::Choosing | Phase::Login { .. })
    }

    /// The user chose `integration` (on offer, checked by the store), which
    /// `relink` says they linked before: the session goes to its login.
    /// Wrong passwords counted so far still count.
    pub(super) fn choose(
        &mut self,
        integration: &'static Integration,
        relink: Option<String>,
    ) -> Result<(), ApiError> {
        let wrong_passwords = match self.phase {
            Phase::Login {
                wrong_passwords, ..
            } => wrong_passwords,
            _ => 0,
        };
        self.integration = Some(integration);
        self.relink = relink;
        self.phase = Phase::Login {
            step_id: random_id("st_")?,
            wrong_passwords,
        };
        Ok(())
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
            Phase::Denied => Some(wire::LinkSessionStatus::Denied),
            Phase::Choosing
            | Phase::Login { .. }
            | Phase::Code { .. }
            | Phase::Question { .. }
            | Phase::ChannelChoice { .. }
            | Phase::Approve { .. } => None,
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
        let step = self.current_step(locale, now)?;
        let Some(step) = step.form() else {
            return Err(ApiError::Internal("an open session's step has no form"));
        };
        if request.step_id != step.id {
            return Err(ApiError::Conflict(
                "stepId does not name the session's current step; fetch the session again.",
            ));
        }
        let clock = CodeClock {
            locale,
            now,
            resend_cooldown,
        };
        if let Phase::Approve { .. } = self.phase {
            return self.judge_approval(request, clock);
        }
        let most = step.fields.len() + EXTRA_VALUES_ALLOWED;
        if request.values.len() > most {
            return Ok(Attempt::answer(Err(ApiError::field(
                "values",
                FieldErrorCode::TooLong,
                format!("values has more entries than this step has fields; send only its fields (at most {most} entries)."),
            ))));
        }
        // By name, as they were when the values were a sorted map.
        let mut unknown: Vec<&str> = request
            .values
            .iter()
            .map(|(name, _)| name)
            .filter(|name| !step.fields.iter().any(|f| f.name == *name))
            .collect();
        unknown.sort_unstable();
        let mut errors: Vec<FieldError> = unknown
            .into_iter()
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
            let (field, given) = match self.chosen()?.login {
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
            Phase::Login { .. } => match self.chosen()?.login {
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
                channel,
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
                        channel,
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
            Phase::ChannelChoice { username, .. } => {
                let channel = match value("method").as_str() {
                    "email" => CodeChannel::Email,
                    _ => CodeChannel::Sms,
                };
                self.ask_for_code_via(username, Some(channel), clock)?
            }
            Phase::Choosing | Phase::Approve { .. } => {
                return Err(ApiError::Internal(
                    "a choice or an approval reached the form checks",
                ))
            }
            Phase::Done | Phase::Exited | Phase::Locked | Phase::Denied | Phase::Expired => {
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
            Behaviour::AsksWhereToSendCode => {
                self.phase = Phase::ChannelChoice {
                    step_id: random_id("st_")?,
                    username,
                };
                self.next_step(clock)?
            }
            Behaviour::AsksApproval { denied } => {
                self.phase = Phase::Approve {
                    step_id: random_id("st_")?,
                    username,
                    shown_at: clock.now,
                    denied,
                };
                self.next_step(clock)?
            }
            Behaviour::AsksQuestion => {
                self.phase = Phase::Question {
                    step_id: random_id("st_")?,
                    username,
                    wrong_answers: 0,
                };
                self.next_step(clock)?
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
        self.ask_for_code_via(username, None, clock)
    }

    /// The code step, the code sent by `channel` (the integration's own
    /// when `None`).
    fn ask_for_code_via(
        &mut self,
        username: String,
        channel: Option<CodeChannel>,
        clock: CodeClock,
    ) -> Result<Attempt, ApiError> {
        self.phase = Phase::Code {
            step_id: random_id("st_")?,
            username,
            wrong_codes: 0,
            resend_at: clock.now + clock.resend_cooldown,
            resends: 0,
            last_resend_key: None,
            channel,
        };
        self.next_step(clock)
    }

    /// The answer that shows the step the session is now at.
    fn next_step(&self, clock: CodeClock) -> Result<Attempt, ApiError> {
        Ok(Attempt::answer(Ok(SubmitResponse {
            status: wire::Ok::Ok,
            step: self.current_step(clock.locale, clock.now)?,
            public_token: None,
            metadata: None,
            integration: None,
        })))
    }

    /// A poll of the approve step (empty `values`): the same step while the
    /// other device has not answered, then success or `APPROVAL_DENIED`.
    /// Or the user asks for a code instead ([`wire::CODE_INSTEAD`]).
    fn judge_approval(
        &mut self,
        request: &SubmitRequest,
        clock: CodeClock,
    ) -> Result<Attempt, ApiError> {
        let Phase::Approve {
            username,
            shown_at,
            denied,
            ..
        } = self.phase.clone()
        else {
            return Err(ApiError::Internal("judge_approval outside an approve step"));
        };
        let (name, code) = wire::CODE_INSTEAD;
        let values = &request.values;
        if values.len() == 1 && request.values.get(name) == Some(code) {
            return self.ask_for_code(username, clock);
        }
        if !values.is_empty() {
            return Ok(Attempt::answer(Err(ApiError::field(
                "values",
                FieldErrorCode::UnknownField,
                format!("An approve step is submitted with empty values to ask whether it was approved, or with {{\"{name}\": \"{code}\"}} for a code instead."),
            ))));
        }
        if clock.now < shown_at + test_users::APPROVAL_DELAY {
            return self.next_step(clock);
        }
        if denied {
            self.phase = Phase::Denied;
            return Ok(Attempt::answer(Err(ApiError::ApprovalDenied)));
        }
        Ok(Attempt::finish(username, None))
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
    /// Absent while the user chooses one.
    integration: Option<String>,
    #[serde(default)]
    choices: Option<Choices>,
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
// One per remembered answer while it is written or read back.
#[allow(clippy::large_enum_variant)]
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
            integration: self
                .integration
                .map(|integration| integration.name.to_owned()),
            choices: self.choices.clone(),
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
        let integration = record
            .integration
            .map(|name| {
                crate::catalogue::find(&name)
                    .ok_or_else(|| bad_row("sessions", format!("no integration is called {name}")))
            })
            .transpose()?;
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
            choices: record.choices,
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
