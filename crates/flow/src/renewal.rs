//! Renewing the link token mid-flow (a `linkToken` function): the flow asks
//! the host for a token, loads the new token's session, and carries the
//! user's action on in it, once per action.

use super::{
    impossible, too_late, Effect, EventName, Failure, Flow, Form, KeetLinkError, Notification,
    Request, Screen, Stage, StepKind, ViewName,
};
use keet_link_protocol::LinkSession;

/// What the renewal of a link token waits for.
#[derive(Debug)]
pub(super) enum Renewal {
    /// The flow started without a token: the host's function was asked for
    /// the first one.
    FirstToken,
    /// The API refused the token (`expired` is what it said) and the host's
    /// function was asked for a new one.
    NewToken { expired: KeetLinkError },
    /// The new token is in use and its session is loading.
    NewSession,
}

impl Flow {
    /// Whether the flow asked the host for a link token and waits for it:
    /// a token that arrives otherwise is not used.
    pub fn awaits_token(&self) -> bool {
        matches!(
            self.renewal,
            Some(Renewal::FirstToken | Renewal::NewToken { .. })
        )
    }

    /// The host gave a new link token, and the shell uses it from now on.
    pub(crate) fn token_renewed(&mut self) -> Vec<Effect> {
        match self.renewal.take() {
            Some(Renewal::FirstToken) => vec![Effect::Send(Request::Session)],
            Some(Renewal::NewToken { .. }) => {
                self.renewal = Some(Renewal::NewSession);
                vec![
                    self.event(EventName::TokenRefreshed),
                    Effect::Send(Request::Session),
                ]
            }
            other => {
                // Closed or destroyed meanwhile: the token is simply kept.
                self.renewal = other;
                too_late()
            }
        }
    }

    /// The host's function threw, rejected, or gave something that is not
    /// a link token; `reason` says which, without the value.
    pub(crate) fn token_renewal_failed(&mut self, reason: &str) -> Vec<Effect> {
        match self.renewal.take() {
            Some(Renewal::FirstToken) => {
                self.stage = Stage::Rejected;
                let error = KeetLinkError::about("linkToken", "INVALID_CONFIG", reason.to_owned());
                vec![Effect::Notify(Notification::ValidationError(vec![error]))]
            }
            Some(Renewal::NewToken { expired }) => {
                let error = KeetLinkError {
                    message: format!("{} {reason}", expired.message),
                    ..expired
                };
                if self.is_open() {
                    return self.show_expired(error);
                }
                self.stage = Stage::Rejected;
                vec![Effect::Notify(Notification::ValidationError(vec![error]))]
            }
            other => {
                self.renewal = other;
                too_late()
            }
        }
    }

    /// The new token's session arrived while the modal waits on a user
    /// action: that action goes on in it. The same form again is sent again
    /// with the same values; a new session that starts over at the login
    /// while the user was on the code step is logged into again with the
    /// kept login, and the code form that follows says a new code was sent.
    /// Anything else shows the new session's form.
    pub(super) fn resume_after_renewal(&mut self, session: LinkSession) -> Vec<Effect> {
        self.renewal = None;
        let Some((step, kind)) = self.take_session(session) else {
            return self.renewed_session_failed(Failure::Malformed);
        };
        let Stage::Open {
            screen:
                Screen::Form {
                    form: old,
                    sending: Some(mut sending),
                },
        } = std::mem::replace(&mut self.stage, Stage::Finished)
        else {
            return impossible("a renewal resumed without the action that asked for it");
        };
        let again = if kind == old.kind {
            Some(sending.body.clone())
        } else if kind == StepKind::Credentials {
            sending.resumes_code_step = true;
            self.kept_login.clone()
        } else {
            None
        };
        let mut form = Form::new(step, kind);
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

    /// The new token's session did not load while the modal waits on a
    /// user action: the expired view for a refused token, else the error view.
    pub(super) fn renewed_session_failed(&mut self, failure: Failure) -> Vec<Effect> {
        self.renewal = None;
        let code = failure.code();
        if matches!(failure.status(), Some(401 | 403)) {
            return self.show_expired(failure.as_link_token_error());
        }
        let Stage::Open {
            screen: Screen::Form { form, .. },
        } = std::mem::replace(&mut self.stage, Stage::Finished)
        else {
            return impossible("a renewal failed without the form that asked for it");
        };
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
