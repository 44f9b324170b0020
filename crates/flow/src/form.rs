//! A form on screen: what the user typed, checked field by field.

use super::host_types::ViewName;
use keet_link_i18n::Texts;
use keet_link_protocol::colour::is_hex_colour;
use keet_link_protocol::secret::Secret;
use keet_link_protocol::{
    ChoiceOption, ErrorBody, FieldKind, FieldSpec, FormStep, IntegrationOption, SecretValues, Step,
    SubmitRequest,
};

/// Which kind of form a step is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    /// The choice of integration: one `choice` field, `integration`, whose
    /// options are the step's `options` (the view shows their colours).
    Integration,
    /// The login form.
    Credentials,
    /// A second step with fields: a code, a choice or a question.
    Mfa,
    /// Approval on another device: no fields; the flow polls it.
    Approve,
}

impl StepKind {
    /// The kind of `step`, and its form, unless it is `Done`.
    pub fn of(step: Step) -> Option<(FormStep, Self)> {
        Some(match step {
            Step::Integration(step) => (step, Self::Integration),
            Step::Credentials(step) => (step, Self::Credentials),
            Step::Mfa(step) => (step, Self::Mfa),
            Step::Approve(step) => (step, Self::Approve),
            Step::Done => return None,
        })
    }
}

/// The one field of an integration step, submitted as `values.integration`.
pub const INTEGRATION_FIELD: &str = "integration";

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
    /// On an approve form with a kept login: the key of the login that led
    /// here, under which a renewal's new session is logged into again (a
    /// poll has no key of its own; keys are per session, so it is unused
    /// there).
    pub(super) renewal_key: Option<String>,
    /// On a login form reached from the list of integrations: that list,
    /// to go back to.
    pub(super) back_to: Option<Box<Form>>,
    /// On an approve form: the user asked for a code while a poll was in
    /// flight; the key to ask under once it is answered.
    pub(super) code_wanted: Option<String>,
    /// On the list of integrations: what the user typed into its search
    /// box, as typed.
    pub(super) query: String,
}

impl Form {
    pub(super) fn new(mut step: FormStep, kind: StepKind) -> Self {
        if kind == StepKind::Integration {
            step.fields = vec![FieldSpec {
                name: INTEGRATION_FIELD.to_owned(),
                label: String::new(),
                kind: FieldKind::Choice,
                autocomplete: None,
                required: true,
                max_length: None,
                length: None,
                value: None,
                read_only: false,
                options: step
                    .options
                    .iter()
                    .map(|option| ChoiceOption {
                        value: option.name.clone(),
                        label: option.name.clone(),
                    })
                    .collect(),
            }];
        }
        let count = step.fields.len();
        let resend_wait = match kind {
            StepKind::Mfa => step.resend_after_seconds,
            StepKind::Integration | StepKind::Credentials | StepKind::Approve => None,
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
            renewal_key: None,
            back_to: None,
            code_wanted: None,
            query: String::new(),
        }
    }

    /// On the list of integrations: what the user typed into its search box.
    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether the list of integrations shows the one named `name`: its
    /// name holds the search, trimmed, in any case. ASCII case only: the
    /// names are ASCII, and Unicode case tables would cost the wasm
    /// kilobytes.
    pub fn shows_option(&self, name: &str) -> bool {
        let wanted = self.query.trim().to_ascii_lowercase();
        keet_link_i18n::find(&name.to_ascii_lowercase(), &wanted).is_some()
    }

    /// How many integrations the list shows.
    pub fn options_shown(&self) -> usize {
        let shown = |option: &&IntegrationOption| self.shows_option(&option.name);
        self.step.options.iter().filter(shown).count()
    }

    /// Whether the widget can show this form: fields to fill, or options
    /// (each with a valid colour) to choose from, or an approval to wait for.
    pub(super) fn is_usable(&self) -> bool {
        match self.kind {
            StepKind::Integration => {
                !self.step.options.is_empty()
                    && self
                        .step
                        .options
                        .iter()
                        .all(|option| is_hex_colour(&option.brand_color))
            }
            StepKind::Approve => self.step.poll_after_seconds.is_some(),
            StepKind::Credentials | StepKind::Mfa => !self.step.fields.is_empty(),
        }
    }

    /// Whether the user can go back from this form to the list of integrations.
    pub fn can_go_back(&self) -> bool {
        self.back_to.is_some()
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
            StepKind::Integration => ViewName::Integration,
            StepKind::Credentials => ViewName::Credentials,
            StepKind::Mfa => ViewName::Mfa,
            StepKind::Approve => ViewName::Approve,
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
            values.insert(field.name.clone(), value);
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
            if let (false, Some(value)) = (field.kind.is_secret(), body.values.secret(&field.name))
            {
                self.values[index] = value.clone();
            }
        }
    }

    /// Forgets every error shown.
    pub(super) fn clear_errors(&mut self) {
        self.errors.iter_mut().for_each(|error| *error = None);
        self.form_error = None;
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
