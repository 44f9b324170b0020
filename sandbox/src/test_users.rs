//! The test logins, as data beside the catalogue: who they are and what each
//! does. Every integration with a password accepts them; the passwordless
//! ones take [`PHONE`]. The store judges a login by looking the user up
//! here, the HTTP layer breaks the fault users' answers by it, and the
//! startup text is written from it, so a new test user is one entry.

use std::time::Duration;

use axum::http::StatusCode;

/// The password of every test user.
pub const PASSWORD: &str = "pass_good";
/// The passwordless test phone number.
pub const PHONE: &str = "+15555550100";
/// The code that passes every code step.
pub const CODE: &str = "123456";
/// The answer to the security question (any case, spaces trimmed).
pub const ANSWER: &str = "rex";
/// Wrong codes (or answers) that lock the account (the third one locks).
pub const WRONG_CODES_TO_LOCK: u8 = 3;
/// Wrong passwords that lock the session's login (the fifth one locks), as
/// a service locks an account that is being guessed at: a link token holder
/// cannot try passwords for ever.
pub const WRONG_PASSWORDS_TO_LOCK: u8 = 5;

/// Succeeds.
pub const GOOD: &str = "user_good";
/// Asks for a code.
pub const MFA: &str = "user_mfa";
/// Asks a security question.
pub const QUESTION: &str = "user_question";
/// Asks where to send the code (text or email), then for the code.
pub const CHOICE: &str = "user_choice";
/// Asks for approval on another device, which comes.
pub const PUSH: &str = "user_push";
/// Asks for approval on another device, which is denied.
pub const PUSH_DENIED: &str = "user_push_denied";
/// Always locked.
pub const LOCKED: &str = "user_locked";
/// Succeeds slowly.
pub const SLOW: &str = "user_slow";
/// Fails once under each new idempotency key.
pub const FLAKY: &str = "user_flaky";
/// The first answer under each key is a 502 with HTML.
pub const BAD_GATEWAY: &str = "user_bad_gateway";
/// The first answer under each key is JSON of the wrong shape.
pub const WRONG_SHAPE: &str = "user_wrong_shape";
/// The first answer under each key is cut-off JSON.
pub const TRUNCATED: &str = "user_truncated";
/// The first answer under each key comes too late for the widget.
pub const HANGS: &str = "user_hangs";

/// How long after the approve step first showed the other device answers.
pub const APPROVAL_DELAY: Duration = Duration::from_secs(3);
/// How often the widget is told to ask whether the approval came.
pub const APPROVAL_POLL_SECONDS: u32 = 2;

/// How long the first answer to [`HANGS`] is held: longer than the widget
/// waits for any answer (the widget's `REQUEST_TIMEOUT`, 15 s).
pub const HANG: Duration = Duration::from_secs(20);

/// What a test user's login does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    /// Logs in.
    Succeeds,
    /// Asks for [`CODE`], then logs in.
    AsksForCode,
    /// Asks a security question, answered [`ANSWER`], then logs in: a
    /// second step of the same shape as a code step, with a text field.
    AsksQuestion,
    /// Asks where the code should go (a `choice` field: text or email),
    /// then for [`CODE`].
    AsksWhereToSendCode,
    /// Asks for approval on another device, answered [`APPROVAL_DELAY`]
    /// after the step first showed: approved, or denied when `denied`.
    /// The user may ask for a code instead.
    AsksApproval {
        /// The other device says no.
        denied: bool,
    },
    /// The integration has locked the account: 423 at once.
    Locked,
    /// Logs in after this long.
    Slow(Duration),
    /// A 500 the first time under each idempotency key; a retry under the
    /// same key logs in.
    FailsOnce,
    /// Logs in, and the answer is remembered under the key, but its first
    /// copy is broken on the way to the widget, as a proxy might break it.
    BreaksFirstAnswer(Fault),
}

/// How a fault user's first answer is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// A 502 with an HTML body.
    BadGateway,
    /// A 200 whose JSON has the wrong shape.
    WrongShape,
    /// A 200 whose JSON is cut off.
    Truncated,
    /// The real answer, but only after [`HANG`]: by then the widget has
    /// given up on it.
    Late,
}

impl Fault {
    /// How long the first answer is held back.
    pub fn delay(self) -> Option<Duration> {
        (self == Self::Late).then_some(HANG)
    }

    /// The broken answer that replaces the real one: status, content type,
    /// body; `None` when the real answer is sent (late).
    pub fn answer(self) -> Option<(StatusCode, &'static str, &'static str)> {
        Some(match self {
            Self::BadGateway => (
                StatusCode::BAD_GATEWAY,
                "text/html; charset=utf-8",
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            ),
            Self::WrongShape => (
                StatusCode::OK,
                "application/json",
                r#"{"status":"ok","step":{"kind":"finished"}}"#,
            ),
            Self::Truncated => (
                StatusCode::OK,
                "application/json",
                r#"{"status":"ok","step":{"type":"do"#,
            ),
            Self::Late => return None,
        })
    }
}

/// One test login.
#[derive(Debug, Clone, Copy)]
pub struct TestUser {
    /// What goes in the identifier field.
    pub username: &'static str,
    /// What logging in as them does.
    pub behaviour: Behaviour,
}

/// Every test user.
pub const TEST_USERS: &[TestUser] = &[
    TestUser {
        username: GOOD,
        behaviour: Behaviour::Succeeds,
    },
    TestUser {
        username: MFA,
        behaviour: Behaviour::AsksForCode,
    },
    TestUser {
        username: QUESTION,
        behaviour: Behaviour::AsksQuestion,
    },
    TestUser {
        username: CHOICE,
        behaviour: Behaviour::AsksWhereToSendCode,
    },
    TestUser {
        username: PUSH,
        behaviour: Behaviour::AsksApproval { denied: false },
    },
    TestUser {
        username: PUSH_DENIED,
        behaviour: Behaviour::AsksApproval { denied: true },
    },
    TestUser {
        username: LOCKED,
        behaviour: Behaviour::Locked,
    },
    TestUser {
        username: SLOW,
        behaviour: Behaviour::Slow(Duration::from_secs(3)),
    },
    TestUser {
        username: FLAKY,
        behaviour: Behaviour::FailsOnce,
    },
    TestUser {
        username: BAD_GATEWAY,
        behaviour: Behaviour::BreaksFirstAnswer(Fault::BadGateway),
    },
    TestUser {
        username: WRONG_SHAPE,
        behaviour: Behaviour::BreaksFirstAnswer(Fault::WrongShape),
    },
    TestUser {
        username: TRUNCATED,
        behaviour: Behaviour::BreaksFirstAnswer(Fault::Truncated),
    },
    TestUser {
        username: HANGS,
        behaviour: Behaviour::BreaksFirstAnswer(Fault::Late),
    },
];

/// The test user called `username`, if any.
pub fn find(username: &str) -> Option<&'static TestUser> {
    TEST_USERS.iter().find(|user| user.username == username)
}

/// What a fault user's first answer is replaced by, if `username` is one.
pub fn fault_of(username: &str) -> Option<Fault> {
    match find(username)?.behaviour {
        Behaviour::BreaksFirstAnswer(fault) => Some(fault),
        _ => None,
    }
}

impl Behaviour {
    /// What it does, in the words of the sandbox's startup text.
    pub fn describe(self) -> String {
        match self {
            Self::Succeeds => "succeeds".to_owned(),
            Self::AsksForCode => format!("asks for code {CODE}"),
            Self::AsksQuestion => format!("asks a security question, answered {ANSWER}"),
            Self::AsksWhereToSendCode => {
                format!("asks where to send the code (sms or email), then for code {CODE}")
            }
            Self::AsksApproval { denied: false } => format!(
                "asks for approval on another device, approved {} s after it shows",
                APPROVAL_DELAY.as_secs()
            ),
            Self::AsksApproval { denied: true } => format!(
                "asks for approval on another device, denied {} s after it shows",
                APPROVAL_DELAY.as_secs()
            ),
            Self::Locked => "is locked".to_owned(),
            Self::Slow(delay) => format!("takes {} s", delay.as_secs()),
            Self::FailsOnce => "fails once, then succeeds on retry".to_owned(),
            Self::BreaksFirstAnswer(Fault::BadGateway) => {
                "logs in, but the first answer under each key is a 502 with HTML".to_owned()
            }
            Self::BreaksFirstAnswer(Fault::WrongShape) => {
                "logs in, but the first answer under each key is a 200 of the wrong shape"
                    .to_owned()
            }
            Self::BreaksFirstAnswer(Fault::Truncated) => {
                "logs in, but the first answer under each key is truncated JSON".to_owned()
            }
            Self::BreaksFirstAnswer(Fault::Late) => format!(
                "logs in, but the first answer under each key comes after {} s, too late",
                HANG.as_secs()
            ),
        }
    }
}

/// One line per test user, for the startup text.
pub fn summary() -> Vec<String> {
    TEST_USERS
        .iter()
        .map(|user| {
            format!(
                "  {}/{PASSWORD} {}",
                user.username,
                user.behaviour.describe()
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_test_user_is_listed_once() {
        for user in TEST_USERS {
            assert_eq!(find(user.username).map(|u| u.username), Some(user.username));
            assert!(user.username.starts_with("user_"));
        }
        let mut names: Vec<_> = TEST_USERS.iter().map(|u| u.username).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), TEST_USERS.len());
        assert_eq!(fault_of(TRUNCATED), Some(Fault::Truncated));
        assert_eq!(fault_of(GOOD), None);
    }
}
