//! The modal's view: it renders the flow's state and sends the user's
//! actions, nothing else. Every element a test needs has a `data-testid`.
//!
//! Each screen is a component with props. Which one shows is chosen once,
//! by a memoised key (which screen, which step: [`screen_key`], the one
//! match over the flow's screen), so typing re-renders nothing but the
//! input's own value; a screen reads its data through the flow's view-model
//! accessors ([`Flow::form_on_screen`], [`Flow::failure_on_screen`]).
//!
//! The components are `transparent`: Leptos then does not wrap each body
//! in `untrack`, which cost 434 B more of brotli in the frame app. No body reads
//! a signal tracked (each uses `with_untracked` or makes memos and effects,
//! which track on their own), so the wrapper guarded nothing here.

use leptos::prelude::*;
use leptos::reactive::graph::{AnySubscriber, Source, ToAnySubscriber};

use super::{on_dialog_key, with_widget, Actions};
use crate::config::Appearance;
use crate::flow::{Flow, HelpLink, Input, Screen, SessionSummary, StepKind};
use crate::i18n::{decimal, fill, Texts};
use crate::protocol::{FieldKind, FieldSpec, LinkMode};

#[derive(Debug, Clone, PartialEq, Eq)]
enum ScreenKey {
    Closed,
    Form { step_id: String, kind: StepKind },
    Success,
    Locked,
    Expired,
    Failed { can_retry: bool },
}

/// A memo of `flow` that lives as long as the screen that made it.
fn screen_memo<T: PartialEq + Send + Sync + 'static>(
    flow: RwSignal<Flow>,
    read: impl Fn(&Flow) -> T + Send + Sync + 'static,
) -> Memo<T> {
    let memo = ArcMemo::new(move |_| flow.with(&read));
    unsubscribe_on_cleanup(flow, memo.to_any_subscriber());
    Memo::from(memo)
}

/// Leptos 0.8 keeps every subscriber in a signal's list until the
/// subscriber re-runs, and a disposed one never does: each memo or effect a
/// screen made on `flow` (which lives as long as the widget) would stay in
/// its list, with its allocation, after the screen closed. That was 1.5 KB
/// of wasm memory per open/exit cycle. The screen's owner takes its own
/// subscribers off `flow` when it is cleaned up.
fn unsubscribe_on_cleanup(flow: RwSignal<Flow>, subscriber: AnySubscriber) {
    Owner::on_cleanup(move || flow.remove_subscriber(&subscriber));
}

fn screen_key(flow: &Flow) -> ScreenKey {
    match flow.screen() {
        None => ScreenKey::Closed,
        Some(Screen::Form { form, .. }) => ScreenKey::Form {
            step_id: form.step.id.clone(),
            kind: form.kind,
        },
        Some(Screen::Success { .. }) => ScreenKey::Success,
        Some(Screen::Locked { .. }) => ScreenKey::Locked,
        Some(Screen::Expired { .. }) => ScreenKey::Expired,
        Some(Screen::Failed { retry, .. }) => ScreenKey::Failed {
            can_retry: retry.is_some(),
        },
    }
}

/// The whole modal: nothing while closed.
///
/// `isolated`: the modal runs in the link frame. Only then does its footer
/// promise that the host app never sees the password: in the page, any
/// script of the page could read it.
#[component(transparent)]
pub(crate) fn Modal(
    flow: RwSignal<Flow>,
    actions: Actions,
    isolated: bool,
    appearance: Appearance,
) -> impl IntoView {
    let key = Memo::new(move |_| flow.with(screen_key));
    move || {
        let current = key.get();
        (current != ScreenKey::Closed).then(|| {
            view! { <Dialog flow actions key=current isolated appearance /> }
        })
    }
}

/// The dialog around the screen `key` names: its header, close button and footer.
#[component(transparent)]
fn Dialog(
    flow: RwSignal<Flow>,
    actions: Actions,
    key: ScreenKey,
    isolated: bool,
    appearance: Appearance,
) -> impl IntoView {
    let locale = flow.with_untracked(Flow::locale);
    let texts = locale.texts();
    let session = flow
        .with_untracked(|f| f.session().cloned())
        .unwrap_or_else(|| SessionSummary {
            id: String::new(),
            integration: String::new(),
            brand_color: crate::flow::NEUTRAL_BRAND_COLOR.into(),
            company_name: None,
            company_logo_uri: None,
            forgot_password_url: None,
            help_url: None,
            mode: Default::default(),
        });
    let close = move |_| with_widget(actions, |w| w.exit());
    let on_backdrop = move |event: web_sys::MouseEvent| {
        if super::dom::is_target_itself(&event) {
            with_widget(actions, |w| w.exit());
        }
    };
    let on_key =
        move |event: web_sys::KeyboardEvent| with_widget(actions, |w| on_dialog_key(w, &event));
    let company = session.company_or(texts.this_app);
    let body = match key {
        ScreenKey::Form {
            kind: StepKind::Integration,
            ..
        } => view! { <PickerScreen flow actions company=company.clone() texts /> }.into_any(),
        ScreenKey::Form {
            kind: StepKind::Approve,
            ..
        } => view! { <ApproveScreen flow actions texts /> }.into_any(),
        ScreenKey::Form { kind, .. } => {
            view! { <FormScreen flow actions kind session=session.clone() texts /> }.into_any()
        }
        ScreenKey::Success => view! {
            <OutcomeScreen actions test_id="keet-success" title=texts.linked_title
                lead=fill(texts.linked_lead, &[("integration", &session.integration), ("company", &company)])
                succeeded=true can_retry=false texts />
        }
        .into_any(),
        ScreenKey::Locked => view! {
            <OutcomeScreen actions test_id="keet-locked" title=texts.locked_title
                lead=fill(texts.locked_lead, &[("integration", &session.integration)])
                succeeded=false can_retry=false texts />
        }
        .into_any(),
        ScreenKey::Expired => view! {
            <OutcomeScreen actions test_id="keet-expired" title=texts.expired_title
                lead=fill(texts.expired_lead, &[("company", &company)]) succeeded=false can_retry=false texts />
        }
        .into_any(),
        ScreenKey::Failed { can_retry } => {
            let code =
                flow.with_untracked(|f| f.failure_on_screen().unwrap_or_default().to_owned());
            view! {
                <OutcomeScreen actions test_id="keet-failed" title=texts.failed_title
                    lead=crate::flow::failure_text(texts, &code).to_owned() succeeded=false can_retry texts />
            }
            .into_any()
        }
        ScreenKey::Closed => ().into_any(),
    };
    let footer = if isolated {
        [
            texts.secured_by_keet,
            " ",
            &fill(texts.password_never_shared, &[("company", &company)]),
        ]
        .concat()
    } else {
        texts.secured_by_keet.to_owned()
    };
    view! {
        <div class="backdrop" data-appearance=appearance.as_str() data-testid="keet-backdrop" on:click=on_backdrop>
            <div
                class="dialog"
                role="dialog"
                aria-modal="true"
                aria-labelledby="keet-title"
                aria-describedby="keet-lead"
                tabindex="-1"
                data-testid="keet-dialog"
                lang=locale.tag()
                dir=if locale.is_rtl() { "rtl" } else { "ltr" }
                on:keydown=on_key
            >
                <button type="button" class="close" aria-label=texts.close data-testid="keet-close" on:click=close>
                    <span aria-hidden="true">"×"</span>
                </button>
                <Header session texts />
                {body}
                <p class="footer" data-testid="keet-footer">{footer}</p>
            </div>
        </div>
    }
}

/// The company's logo (or its initial) and name, and the integration's badge.
#[component(transparent)]
fn Header(session: SessionSummary, texts: &'static Texts) -> impl IntoView {
    let initial = session
        .company_name
        .as_deref()
        .or(Some(session.integration.as_str()))
        .and_then(|name| name.chars().next())
        .map(|c| c.to_ascii_uppercase().to_string())
        .unwrap_or_default();
    let logo_failed = RwSignal::new(session.company_logo_uri.is_none());
    let logo = session.company_logo_uri.clone().unwrap_or_default();
    let company = session.company_or(texts.this_app_heading);
    let integration = session.integration.clone();
    view! {
        <div class="header">
            {move || if logo_failed.get() {
                view! { <div class="initial" aria-hidden="true" data-testid="keet-logo-fallback">{initial.clone()}</div> }.into_any()
            } else {
                view! {
                    <img class="logo" src=logo.clone() alt="" data-testid="keet-logo"
                        on:error=move |_| logo_failed.set(true) />
                }.into_any()
            }}
            <div>
                <p class="company" data-testid="keet-company">{company}</p>
                <p class="badge" data-testid="keet-integration">{integration}</p>
            </div>
        </div>
    }
}

/// A login or code form: its fields, the submit button, the new-code
/// countdown on a code step and the service's own links on a login step.
#[component(transparent)]
fn FormScreen(
    flow: RwSignal<Flow>,
    actions: Actions,
    kind: StepKind,
    session: SessionSummary,
    texts: &'static Texts,
) -> impl IntoView {
    let integration = session.integration.as_str();
    let (fields, prompt) = flow.with_untracked(|f| {
        f.form_on_screen()
            .map(|form| (form.step.fields.clone(), form.step.prompt.clone()))
            .unwrap_or_default()
    });
    let sending = screen_memo(flow, Flow::is_sending);
    // The fields and the button wait while sending, or while covered.
    let held = screen_memo(flow, |f| f.is_sending() || f.is_covered());
    let waiting = screen_memo(flow, Flow::is_waiting_to_retry);
    // While covered, that is what the form's notice says.
    let form_error = screen_memo(flow, move |f| match f.is_covered() {
        true => Some(texts.covered.to_owned()),
        false => f.form_on_screen()?.form_error.clone(),
    });
    let name = [("integration", integration)];
    let asks_for_password = fields.iter().any(|field| field.kind == FieldKind::Password);
    let relink = session.mode == LinkMode::Relink;
    let (title, lead, button) = match kind {
        // A re-link says why the login is asked for again.
        StepKind::Credentials if relink => (
            fill(texts.reconnect_title, &name),
            match asks_for_password {
                true => fill(texts.reconnect_lead, &name),
                false => prompt.unwrap_or_else(|| fill(texts.login_lead, &name)),
            },
            texts.continue_button,
        ),
        StepKind::Credentials => (
            fill(texts.log_in_to, &name),
            prompt.unwrap_or_else(|| fill(texts.login_lead, &name)),
            texts.continue_button,
        ),
        // A second step that asks no code is a question (its prompt says which).
        StepKind::Mfa if fields.iter().any(|field| field.kind == FieldKind::Choice) => (
            texts.choice_title.to_owned(),
            prompt.unwrap_or_else(|| texts.code_lead.to_owned()),
            texts.continue_button,
        ),
        StepKind::Mfa if !fields.iter().any(|field| field.kind == FieldKind::Otp) => (
            texts.question_title.to_owned(),
            prompt.unwrap_or_else(|| texts.code_lead.to_owned()),
            texts.verify_button,
        ),
        // The picker and the approve step have screens of their own.
        StepKind::Mfa | StepKind::Integration | StepKind::Approve => (
            texts.code_title.to_owned(),
            prompt.unwrap_or_else(|| texts.code_lead.to_owned()),
            texts.verify_button,
        ),
    };
    let on_submit = move |event: web_sys::SubmitEvent| {
        event.prevent_default();
        with_widget(actions, |w| {
            let key = super::new_idempotency_key();
            w.dispatch(Input::Submit {
                idempotency_key: key,
            });
        });
    };
    // The service's own pages, on the login form: a forgotten password (when
    // the form has one) and help.
    let help_links = (kind == StepKind::Credentials).then(|| {
        let forgot = session.forgot_password_url.clone().filter(|_| asks_for_password);
        view! {
            <p class="help-links">
                {forgot.map(|url| view! {
                    <ServiceLink actions url link=HelpLink::ForgotPassword text=texts.forgot_password texts />
                })}
                {session.help_url.clone().map(|url| view! {
                    <ServiceLink actions url link=HelpLink::Help text=texts.login_help texts />
                })}
            </p>
        }
    });
    let inputs = fields
        .into_iter()
        .enumerate()
        .map(|(index, field)| match field.kind {
            FieldKind::Choice => view! { <ChoiceField flow actions index field held /> }.into_any(),
            _ => view! { <Field flow actions index field held /> }.into_any(),
        })
        .collect_view();
    // Back to the list of integrations, when the login came from it.
    let back = flow
        .with_untracked(|f| f.form_on_screen().is_some_and(|form| form.can_go_back()))
        .then(|| {
            let on_back = move |_| with_widget(actions, |w| w.dispatch(Input::Back));
            view! {
                <p class="back">
                    <button type="button" class="link" data-testid="keet-back" on:click=on_back>
                        {texts.other_service}
                    </button>
                </p>
            }
        });
    let new_code = (kind == StepKind::Mfa).then(|| view! { <NewCode flow actions texts /> });
    view! {
        <h2 id="keet-title">{title}</h2>
        <p id="keet-lead" class="lead" data-testid="keet-prompt">{lead}</p>
        <form novalidate on:submit=on_submit data-testid="keet-form">
            {inputs}
            <p class="notice" role="alert" data-testid="keet-form-error">{move || form_error.get()}</p>
            <p class="retrying" role="status" data-testid="keet-retrying">
                {move || waiting.get().then_some(texts.retrying)}
            </p>
            // aria-disabled, not disabled, while sending: a disabled button
            // drops the focus, and Escape would no longer reach the dialog.
            // The flow ignores a second submit.
            <button type="submit" class="primary" data-testid="keet-submit"
                aria-disabled=move || held.get().to_string() aria-busy=move || sending.get().to_string()>
                {move || sending.get().then(|| view! { <span class="spinner" aria-hidden="true" data-testid="keet-spinner"></span> })}
                {button}
            </button>
        </form>
        {new_code}
        {help_links}
        {back}
    }
}

/// The choice of integration: a search box that narrows the list as the
/// user types, a count read out as it changes, and one button per
/// integration (its colour and name). Arrow keys move between the search
/// box and the buttons; Enter or a click chooses.
#[component(transparent)]
fn PickerScreen(
    flow: RwSignal<Flow>,
    actions: Actions,
    company: String,
    texts: &'static Texts,
) -> impl IntoView {
    let options = flow.with_untracked(|f| {
        f.form_on_screen()
            .map(|form| form.step.options.clone())
            .unwrap_or_default()
    });
    // What the user typed, lower-cased. ASCII case only: the names are
    // ASCII, and Unicode case tables would cost the wasm kilobytes.
    let query = RwSignal::new(String::new());
    let matches =
        move |name: &str| query.with(|wanted| name.to_ascii_lowercase().contains(wanted.as_str()));
    let names: Vec<String> = options.iter().map(|option| option.name.clone()).collect();
    let shown = Memo::new(move |_| names.iter().filter(|name| matches(name)).count());
    let held = screen_memo(flow, |f| f.is_sending() || f.is_covered());
    let problem = screen_memo(flow, move |f| match f.is_covered() {
        true => Some(texts.covered.to_owned()),
        false => {
            let form = f.form_on_screen()?;
            form.error(0).map(str::to_owned).or(form.form_error.clone())
        }
    });
    let list = NodeRef::<leptos::html::Ul>::new();
    let on_search_key = move |event: web_sys::KeyboardEvent| {
        if event.key() == "ArrowDown" {
            event.prevent_default();
            if let Some(list) = list.get() {
                super::dom::focus_option(list.first_element_child(), true);
            }
        }
    };
    let count = move || match shown.get() {
        0 => texts.picker_none.to_owned(),
        n => fill(texts.picker_count, &[("count", &decimal(n as u64))]),
    };
    let choose = move |name: String| {
        with_widget(actions, |w| {
            w.dispatch(Input::Typed {
                index: 0,
                value: name.into(),
            });
            w.dispatch(Input::Submit {
                idempotency_key: super::new_idempotency_key(),
            });
        })
    };
    view! {
        <h2 id="keet-title">{texts.picker_title}</h2>
        <p id="keet-lead" class="lead">{fill(texts.picker_lead, &[("company", &company)])}</p>
        <div class="field">
            <label for="keet-search">{texts.search_label}</label>
            <input id="keet-search" type="search" autocomplete="off" spellcheck="false"
                aria-controls="keet-options" data-testid="keet-search"
                on:input=move |event| query.set(event_target_value(&event).trim().to_ascii_lowercase())
                on:keydown=on_search_key />
        </div>
        <p class="count" role="status" data-testid="keet-picker-count">{count}</p>
        <p class="notice" role="alert" data-testid="keet-form-error">{move || problem.get()}</p>
        <ul id="keet-options" class="options" aria-labelledby="keet-title" node_ref=list data-testid="keet-options">
            // Every option is made once; the search only hides some (no
            // list diffing in the wasm).
            {options.into_iter().map(|option| {
                let name = option.name.clone();
                let test_id = ["keet-option-", &name.replace(' ', "-").to_ascii_lowercase()].concat();
                let hidden = {
                    let name = name.clone();
                    move || !matches(&name)
                };
                view! {
                    <li hidden=hidden>
                        <button type="button" class="option" data-testid=test_id
                            aria-disabled=move || held.get().to_string()
                            on:keydown=super::dom::move_between_options
                            on:click=move |_| choose(name.clone())>
                            <span class="swatch" aria-hidden="true" style:background-color=option.brand_color></span>
                            {option.name}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// Approval on another device: the prompt, a waiting state read out once,
/// and, when the step allows it, a way to a code instead. The flow polls.
#[component(transparent)]
fn ApproveScreen(flow: RwSignal<Flow>, actions: Actions, texts: &'static Texts) -> impl IntoView {
    let (prompt, code_instead) = flow.with_untracked(|f| {
        f.form_on_screen()
            .map(|form| (form.step.prompt.clone(), form.step.code_instead))
            .unwrap_or_default()
    });
    let problem = screen_memo(flow, |f| f.form_on_screen()?.form_error.clone());
    let use_code = move |_| {
        with_widget(actions, |w| {
            w.dispatch(Input::UseCodeInstead {
                idempotency_key: super::new_idempotency_key(),
            })
        })
    };
    view! {
        <h2 id="keet-title">{texts.approve_title}</h2>
        <p id="keet-lead" class="lead" data-testid="keet-prompt">{prompt}</p>
        <p class="waiting" role="status" data-testid="keet-waiting">
            <span class="spinner" aria-hidden="true"></span>
            {texts.approve_waiting}
        </p>
        <p class="notice" role="alert" data-testid="keet-form-error">{move || problem.get()}</p>
        {code_instead.then(|| view! {
            <p class="back">
                <button type="button" class="link" data-autofocus data-testid="keet-use-code" on:click=use_code>
                    {texts.use_code}
                </button>
            </p>
        })}
    }
}

/// A `choice` field: a group of radio buttons, one per option.
#[component(transparent)]
fn ChoiceField(
    flow: RwSignal<Flow>,
    actions: Actions,
    index: usize,
    field: FieldSpec,
    /// Read-only while sending or covered.
    held: Memo<bool>,
) -> impl IntoView {
    let error_id = ["keet-error-", field.name.as_str()].concat();
    let (error, described_by) = field_error(flow, index, error_id.clone());
    let name = field.name.clone();
    // Checked as the flow has it when the screen is made (a modal opened
    // again); from then on the browser keeps which radio is checked.
    let chosen = flow.with_untracked(|f| {
        f.form_on_screen()
            .map(|form| form.value(index).to_owned())
            .unwrap_or_default()
    });
    let options = field
        .options
        .into_iter()
        .map(|option| {
            let id = ["keet-input-", &name, "-", option.value.as_str()].concat();
            let value = option.value.clone();
            let checked = option.value == chosen;
            let on_change = move |_| {
                let value = value.clone();
                with_widget(actions, |w| {
                    w.dispatch(Input::Typed {
                        index,
                        value: value.into(),
                    })
                })
            };
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name=name.clone() value=option.value.clone() checked=checked
                        aria-disabled=move || held.get().to_string()
                        on:change=on_change
                        data-testid=["keet-choice-", option.value.as_str()].concat() />
                    <label for=id>{option.label}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field choices" aria-invalid=move || error.get().is_some().to_string()
            aria-describedby=described_by data-testid=["keet-field-", field.name.as_str()].concat()>
            <legend>{field.label}</legend>
            {options}
            <p id=error_id class="error" aria-live="polite" data-testid=["keet-error-", field.name.as_str()].concat()>
                {move || error.get()}
            </p>
        </fieldset>
    }
}

/// A link to one of the service's own pages, in a new tab (`noopener
/// noreferrer`: the page learns nothing of the frame, and cannot reach it).
#[component(transparent)]
fn ServiceLink(
    actions: Actions,
    url: String,
    link: HelpLink,
    text: &'static str,
    texts: &'static Texts,
) -> impl IntoView {
    let test_id = match link {
        HelpLink::ForgotPassword => "keet-forgot-password",
        HelpLink::Help => "keet-help",
    };
    let on_click = move |_| with_widget(actions, |w| w.dispatch(Input::HelpOpened(link)));
    view! {
        <a href=url target="_blank" rel="noopener noreferrer" data-testid=test_id on:click=on_click>
            {text}<span class="visually-hidden">" "{texts.opens_in_new_tab}</span>
        </a>
    }
}

/// "Send a new code", under the code form: counting down until the server
/// allows one, then a button; gone when no new code can be sent. The
/// countdown is not a live region (it would speak every second); the notice
/// that a code was sent is.
#[component(transparent)]
fn NewCode(flow: RwSignal<Flow>, actions: Actions, texts: &'static Texts) -> impl IntoView {
    let state = screen_memo(flow, |f| {
        f.form_on_screen()
            .map(|form| (form.resend_wait, form.is_resending(), form.code_resent))
            .unwrap_or((None, false, false))
    });
    let on_click = move |_| {
        with_widget(actions, |w| {
            let key = super::new_idempotency_key();
            w.dispatch(Input::Resend {
                idempotency_key: key,
            });
        });
    };
    let label = move || match state.get().0 {
        Some(0) | None => texts.resend_button.to_owned(),
        Some(seconds) => fill(texts.resend_in, &[("seconds", &decimal(seconds.into()))]),
    };
    let unavailable = move || {
        let (wait, resending, _) = state.get();
        (wait != Some(0) || resending).to_string()
    };
    // Its own memo, so that the button is made once, not again every second
    // (which would drop the focus from it).
    let offered = Memo::new(move |_| state.get().0.is_some());
    view! {
        <div class="resend">
            {move || offered.get().then(|| view! {
                <button type="button" class="link" data-testid="keet-resend"
                    aria-disabled=unavailable on:click=on_click>{label}</button>
            })}
            <p class="resent" role="status" data-testid="keet-resend-notice">
                {move || state.get().2.then_some(texts.code_resent)}
            </p>
        </div>
    }
}

/// Field `index`'s error on screen, and its `aria-describedby`: the id of
/// the error's element (`error_id`) while there is one.
fn field_error(
    flow: RwSignal<Flow>,
    index: usize,
    error_id: String,
) -> (Memo<Option<String>>, impl Fn() -> Option<String>) {
    let error = screen_memo(flow, move |f| {
        f.form_on_screen()?.error(index).map(str::to_owned)
    });
    (error, move || error.get().map(|_| error_id.clone()))
}

/// One field of the form on screen: its label, input and error.
#[component(transparent)]
fn Field(
    flow: RwSignal<Flow>,
    actions: Actions,
    index: usize,
    field: FieldSpec,
    /// Read-only while sending or covered.
    held: Memo<bool>,
) -> impl IntoView {
    let input_id = ["keet-input-", field.name.as_str()].concat();
    // A value the server fixed (a re-link's username): shown, not editable.
    let read_only = field.read_only;
    let error_id = ["keet-error-", field.name.as_str()].concat();
    // The flow's value reaches the input as a JS string, compared and set
    // there: no plain Rust copy of a password is made on any render.
    let input_ref = NodeRef::<leptos::html::Input>::new();
    let sync_value = Effect::new(move |_| {
        let Some(input) = input_ref.get() else {
            return;
        };
        let wanted = flow.with(|f| {
            wasm_bindgen::JsValue::from_str(f.form_on_screen().map_or("", |form| form.value(index)))
        });
        let value = wasm_bindgen::JsValue::from_str("value");
        if js_sys::Reflect::get(&input, &value).ok().as_ref() != Some(&wanted) {
            let _ = js_sys::Reflect::set(&input, &value, &wanted);
        }
    });
    unsubscribe_on_cleanup(flow, sync_value.to_any_subscriber());
    let (error, described_by) = field_error(flow, index, error_id.clone());
    let on_input = move |event: web_sys::Event| {
        let typed = event_target_value(&event);
        with_widget(actions, |w| {
            w.dispatch(Input::Typed {
                index,
                value: typed.into(),
            })
        });
    };
    view! {
        <div class="field">
            <label for=input_id.clone()>{field.label.clone()}</label>
            <input
                id=input_id
                name=field.name.clone()
                type=field.kind.input_type()
                inputmode=field.kind.input_mode()
                dir=field.kind.is_left_to_right().then_some("ltr")
                autocomplete=field.autocomplete.clone()
                maxlength=field.input_max_length().map(|n| decimal(n.into()))
                required=field.required
                spellcheck="false"
                autocapitalize="off"
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described_by
                readonly=move || read_only || held.get()
                aria-disabled=move || held.get().to_string()
                node_ref=input_ref
                on:input=on_input
                data-testid=["keet-field-", field.name.as_str()].concat()
            />
            <p id=error_id class="error" aria-live="polite" data-testid=["keet-error-", field.name.as_str()].concat()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// The success, locked, expired and error views, one data-driven screen:
/// the widget's own words for the situation (the API's `message` is for
/// developers), and the way on. The success is shown a moment before
/// `onSuccess`, read out politely, with no button; the others are alerts.
#[component(transparent)]
fn OutcomeScreen(
    actions: Actions,
    test_id: &'static str,
    title: &'static str,
    lead: String,
    succeeded: bool,
    can_retry: bool,
    texts: &'static Texts,
) -> impl IntoView {
    let close = move |_| with_widget(actions, |w| w.exit());
    let try_again = move |_| with_widget(actions, |w| w.dispatch(Input::TryAgain));
    view! {
        <div class="result" data-testid=test_id>
            <div class=if succeeded { "result-icon ok" } else { "result-icon bad" } aria-hidden="true">
                {if succeeded { "✓" } else { "!" }}
            </div>
            <h2 id="keet-title">{title}</h2>
            <p id="keet-lead" class="lead" role=if succeeded { "status" } else { "alert" }>{lead}</p>
            {can_retry.then(|| view! {
                <button type="button" class="primary" data-autofocus data-testid="keet-try-again" on:click=try_again>
                    {texts.try_again}
                </button>
            })}
            {(!succeeded).then(|| view! {
                <button type="button" class=if can_retry { "secondary" } else { "primary" }
                    data-autofocus=(!can_retry).then_some("") data-testid="keet-done" on:click=close>
                    {texts.close_button}
                </button>
            })}
        </div>
    }
}
