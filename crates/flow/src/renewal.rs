//! Renewing the link token mid-flow (a `linkToken` function): the flow asks
//! the host for a token, loads the new token's session, and carries the
//! user's action on in it, once per action. Where a renewal stands is part
//! of the state it serves: the load ([`Stage::Loading`]) or the action being
//! sent ([`Sending`]), so a renewal without its action cannot be written.

use super::{
    too_late, Effect, EventName, Failure, Flow, Form, KeetLinkError, Notification, Request, Screen,
    Sending, Stage, StepKind, ViewName,
};
use keet_link_protocol::LinkSession;

/// Where one action (or the load) stands with the host's link tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Renewal {
    /// Not renewed: a refused token may be renewed once (with a
    /// `linkToken` function).
    NotYet,
    /// The API refused the token (`expired` is what it said) and the host's
    /// function was asked for a new one.
    AwaitingToken { expired: Box<KeetLinkError> },
    /// The new token is in use and its session is loading.
    LoadingSession,
    /// Renewed once already: a refusal now is final.
    Spent,
}

impl Flow {
    /// Whether the flow asked the host for a link token and waits for it:
    /// a token that arrives otherwise is not used.
    pub fn awaits_token(&self) -> bool {
        match &self.stage {
            Stage::AwaitingFirstToken => true,
            Stage::Loading { renewal, .. } => matches!(renewal, Renewal::AwaitingToken { .. }),
            Stage::Open {
                screen:
                    Screen::Form {
                        sending: Some(sending),
                        ..
                    },
            } => matches!(sending.renewal, Renewal::AwaitingToken { .. }),
            _ => false,
        }
    }

    /// Where the load, or the open form's action, stands with the host's
    /// link tokens: the one place a renewal can be.
    fn renewal_in_progress(&mut self) -> Option<&mut Renewal> {
        match &mut self.stage {
            Stage::Open {
                screen:
                    Screen::Form {
                        sending: Some(sending),
                        ..
                    },
            } => Some(&mut sending.renewal),
            Stage::Loading { renewal, .. } => Some(renewal),
            _ => None,
        }
    }

    /// The host gave a new link token, and the shell uses it from now on.
    pub(crate) fn token_renewed(&mut self) -> Vec<Effect> {
        if let Stage::AwaitingFirstToken = self.stage {
            self.stage = Stage::Loading {
                retries: 0,
                renewal: Renewal::NotYet,
                first: true,
            };
            return vec![Effect::Send(Request::Session)];
        }
        match self.renewal_in_progress() {
            Some(renewal @ Renewal::AwaitingToken { .. }) => {
                *renewal = Renewal::LoadingSession;
                vec![
                    self.event(EventName::TokenRefreshed),
                    Effect::Send(Request::Session),
                ]
            }
            // Closed or destroyed meanwhile: the token is simply kept.
            _ => too_late(),
        }
    }

    /// The host's function threw, rejected, or gave something that is not
    /// a link token; `reason` says which, without the value.
    pub(crate) fn token_renewal_failed(&mut self, reason: &str) -> Vec<Effect> {
        let with_reason = |expired: Box<KeetLinkError>| KeetLinkError {
            message: [expired.message.as_str(), " ", reason].concat(),
            ..*expired
        };
        match std::mem::replace(&mut self.stage, Stage::Rejected) {
            Stage::AwaitingFirstToken => {
                let error = KeetLinkError::about("linkToken", "INVALID_CONFIG", reason.to_owned());
                vec![Effect::Notify(Notification::ValidationError(vec![error]))]
            }
            Stage::Loading {
                renewal: Renewal::AwaitingToken { expired },
                ..
            } => {
                let error = with_reason(expired);
                vec![Effect::Notify(Notification::ValidationError(vec![error]))]
            }
            Stage::Open {
                screen:
                    Screen::Form {
                        sending:
                            Some(Sending {
                                renewal: Renewal::AwaitingToken { expired },
                                ..
                            }),
                        ..
                    },
            } => self.show_expired(with_reason(expired)),
            other => {
                self.stage = other;
                too_late()
            }
        }
    }

    /// The new token's session arrived while the modal waits on the user's
    /// action `sending` from `old`: that action goes on in it. The same form
    /// again is sent again with the same values; a new session that starts
    /// over at the login while the user was on the code step is logged into
    /// again with the login the code form kept, and the code form that
    /// follows says a new code was sent. Anything else shows the new
    /// session's form.
    pub(super) fn resume_after_renewal(
        &mut self,
        old: Form,
        mut sending: Sending,
        session: LinkSession,
    ) -> Vec<Effect> {
        let Some(mut form) = self.take_session(session) else {
            return self.renewed_session_failed(old, Failure::Malformed);
        };
        let kind = form.kind;
        sending.renewal = Renewal::Spent;
        let again = if kind == old.kind {
            Some(sending.body.clone())
        } else if kind == StepKind::Credentials {
            sending.resumes_code_step = true;
            // A poll that met the expiry becomes the login sent again, under
            // the key of the login that led to the approve step.
            sending.poll = false;
            old.kept_login.clone()
        } else {
            None
        };
        form.kept_login = old.kept_login;
        let view = form.view();
        let mut effects = Vec::new();
        if kind != old.kind {
            effects.push(self.transition(view));
        }
        match again {
            Some(mut body) => {
                body.step_id = form.step.id.clone();
                form.show_typed(&body);
                sending.body = body;
                sending.retries = 0;
                effects.push(Effect::Send(sending.request()));
                self.stage = Stage::Open {
                    screen: Screen::Form {
                        form,
                        sending: Some(sending),
                    },
                };
            }
            None => {
                self.stage = Stage::Open {
                    screen: Screen::Form {
                        form,
                        sending: None,
                    },
                };
                if kind == old.kind {
                    effects.push(self.transition(view));
                }
                effects.push(Effect::MoveFocus);
            }
        }
        effects
    }

    /// The new token's session did not load while the modal waits on the
    /// user's action from `form`: the expired view for a refused token,
    /// else the error view.
    pub(super) fn renewed_session_failed(&mut self, form: Form, failure: Failure) -> Vec<Effect> {
        let code = failure.code();
        if matches!(failure.status(), Some(401 | 403)) {
            return self.show_expired(failure.as_link_token_error());
        }
        self.stage = Stage::Open {
            screen: Screen::Failed {
                error: failure.as_error(),
                form,
                retry: None,
            },
        };
        vec![
            self.error_event(&code),
            self.transition(ViewName::Error),
            Effect::MoveFocus,
        ]
    }
}
