//! A form on screen: what the user typed, checked field by field.

use super::host_types::ViewName;
use keet_link_i18n::Texts;
use keet_link_protocol::secret::Secret;
use keet_link_protocol::{ErrorBody, FormStep, SecretValues, SubmitRequest};

/// Which kind of form a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// The login form.
    Credentials,
    /// The code form.
    Mfa,
}

/// A form on screen: the server's step, what the user typed, and the errors.
#[derive(Debug)]
pub struct Form {
    /// The server's description of the step.
    pub step: FormStep,
    /// Login or code.
    pub kind: StepKind,
    pub(super) values: Vec<Secret>,
    pub(super) errors: Vec<Option<String>>,
    /// An error about the whole form rather than one field.
    pub form_error: Option<String>,
    /// On a code step: seconds until a new code may be asked for, counted
    /// down by the flow; `None` when no new code can be.
    pub resend_wait: Option<u32>,
    /// The key of the new-code request in flight, if one is.
    pub(super) resending: Option<String>,
    /// A new code was sent since the step appeared: the view says so.
    pub code_resent: bool,
    /// On a code step, with a `linkToken` function: the login that got the
    /// user here, so that a renewal whose new session starts over at the
    /// login can log in again. Goes with the form (each value is a
    /// `Secret`, wiped when dropped).
    pub(super) kept_login: Option<SubmitRequest>,
}

impl Form {
    pub(super) fn new(step: FormStep, kind: StepKind) -> Self {
        let count = step.fields.len();
        let resend_wait = match kind {
            StepKind::Mfa => step.resend_after_seconds,
            StepKind::Credentials => None,
        };
        // A value the server filled in (a re-link's username) is there from
        // the start.
        let values = step
            .fields
            .iter()
            .map(|field| field.value.clone().map(Secret::from).unwrap_or_default())
            .collect();
        Self {
            step,
            kind,
            values,
            errors: vec![None; count],
            form_error: None,
            resend_wait,
            resending: None,
            code_resent: false,
            kept_login: None,
        }
    }

    /// Whether a new code was asked for and has not arrived yet.
    pub fn is_resending(&self) -> bool {
        self.resending.is_some()
    }

    /// What the user typed into field `index` (empty after a submit for secrets).
    pub fn value(&self, index: usize) -> &str {
        self.values.get(index).map_or("", Secret::expose)
    }

    /// The message shown under field `index`, if any.
    pub fn error(&self, index: usize) -> Option<&str> {
        self.errors.get(index).and_then(|e| e.as_deref())
    }

    /// The index of the first field with an error.
    pub fn first_invalid(&self) -> Option<usize> {
        self.errors.iter().position(Option::is_some)
    }

    pub(super) fn view(&self) -> ViewName {
        match self.kind {
            StepKind::Credentials => ViewName::Credentials,
            StepKind::Mfa => ViewName::Mfa,
        }
    }

    /// Checks every field; true when all pass.
    pub(super) fn check(&mut self, texts: &Texts) -> bool {
        for (index, field) in self.step.fields.iter().enumerate() {
            self.errors[index] = field
                .check_value(self.values[index].expose(), texts)
                .err()
                .map(|(_, message)| message);
        }
        self.errors.iter().all(Option::is_none)
    }

    /// The submit body; secret fields are emptied in the form (and so in the
    /// DOM, which renders the form), their memory wiped.
    pub(super) fn take_submission(&mut self) -> SubmitRequest {
        let mut values = SecretValues::default();
        for (index, field) in self.step.fields.iter().enumerate() {
            // A secret moves into the body and leaves an empty field behind;
            // anything else stays on screen.
            let value = if field.kind.is_secret() {
                std::mem::take(&mut self.values[index])
            } else {
                self.values[index].clone()
            };
            values.0.insert(field.name.clone(), value);
        }
        SubmitRequest {
            step_id: self.step.id.clone(),
            values,
        }
    }

    /// Shows what `body` holds for this form's fields that are not secret
    /// (a login sent again after a renewal keeps its username on screen).
    pub(super) fn show_typed(&mut self, body: &SubmitRequest) {
        for (index, field) in self.step.fields.iter().enumerate() {
            if let (false, Some(value)) = (field.kind.is_secret(), body.values.0.get(&field.name)) {
                self.values[index] = value.clone();
            }
        }
    }

    /// Wipes what was typed into password and code fields.
    pub(super) fn clear_secrets(&mut self) {
        for (index, field) in self.step.fields.iter().enumerate() {
            if field.kind.is_secret() {
                self.values[index] = Secret::default();
            }
        }
    }

    /// Puts the server's field errors on their fields.
    pub(super) fn apply_server_errors(&mut self, body: &ErrorBody, texts: &Texts) {
        for error in &body.errors {
            let name = error.field.strip_prefix("values.").unwrap_or(&error.field);
            match self.step.fields.iter().position(|f| f.name == name) {
                Some(index) => self.errors[index] = Some(error.message.clone()),
                None => self.form_error = Some(error.message.clone()),
            }
        }
        if body.errors.is_empty() {
            self.form_error = Some(crate::failure_text(texts, body.error.code.as_str()).to_owned());
        }
    }
}
