//! The modal's view: it renders the flow's state and sends the user's
//! actions, nothing else. Every element a test needs has a `data-testid`.
//!
//! Leptos's reactive graph drives it: the flow is a signal, every live
//! part of the DOM is a render effect on it, and each screen's effects and
//! listeners belong to a reactive owner, cleaned up when the screen goes.
//! The DOM itself is made by hand, with no framework view type (tachys'
//! element types, closure views and memos were most of the view's wasm:
//! DECISIONS S8).
//!
//! Which screen shows is chosen by a key (which screen, which step:
//! [`screen_key`], the one match over the flow's screen), and a screen is
//! made again only when its key changes ([`mount_modal`]), so typing
//! re-renders nothing but the input's own value; a screen reads its data
//! through the flow's view-model accessors ([`Flow::form_on_screen`],
//! [`Flow::failure_on_screen`]).
//!
//! Every element is described by one builder, [`El`]: a tag, its
//! attributes, what runs once it is made, and its children (text, or
//! elements of their own); [`El::make`] makes it. A screen is a list of
//! calls. Listeners and live attributes and texts are added once the
//! element is made ([`El::on`], [`El::keep`]), a part that comes and goes
//! is made again in place ([`El::first_child_while`]), and all of it is
//! removed with the screen. No element is written as HTML, so the frame
//! allows no Trusted Types policy (F24).

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use leptos::reactive::graph::{Subscriber, ToAnySubscriber};
use wasm_bindgen::JsCast;
use web_sys::Document;

use super::dom::OneThread;
use super::{on_dialog_key, with_widget, Actions};
use crate::config::Appearance;
use crate::flow::{Flow, HelpLink, Input, Screen, SessionSummary, StepKind};
use crate::i18n::{decimal, fill, Texts};
use crate::protocol::{FieldKind, FieldSpec, LinkMode};

/// A value the view shows: read again, and the DOM updated, when what it
/// reads changes.
type Live<T> = Box<dyn Fn() -> T>;

/// A value of the flow's state that several parts of a screen show (each
/// part's render effect reads it again when the flow changes).
type Reading<T> = Rc<dyn Fn() -> T>;

/// An element being described: [`El::make`] makes it. Boxed, so that each
/// call of a chain passes one pointer, not three lists.
struct El(Box<Parts>);

struct Parts {
    tag: &'static str,
    attributes: Vec<(&'static str, Cow<'static, str>)>,
    /// Run with the element once it is made, in order (listeners, live
    /// values), before its children are added.
    when_made: Vec<WhenMade>,
    children: Vec<Child>,
}

/// What runs with an element once it is made.
type WhenMade = Box<dyn FnOnce(&web_sys::Element)>;

/// What an element holds.
enum Child {
    /// Text, made a text node of the element.
    Text(Cow<'static, str>),
    /// An element of its own.
    El(El),
}

fn el(tag: &'static str) -> El {
    El(Box::new(Parts {
        tag,
        attributes: Vec::new(),
        when_made: Vec::new(),
        children: Vec::new(),
    }))
}

impl El {
    fn attr(self, name: &'static str, value: &'static str) -> Self {
        self.value(name, Cow::Borrowed(value))
    }

    fn attr_owned(self, name: &'static str, value: String) -> Self {
        self.value(name, Cow::Owned(value))
    }

    // The methods that store a part are never inlined: the screens are
    // long chains of calls, and a push inlined at each is 143 B more brotli.
    #[inline(never)]
    fn value(mut self, name: &'static str, value: Cow<'static, str>) -> Self {
        self.0.attributes.push((name, value));
        self
    }

    fn class(self, class: &'static str) -> Self {
        self.attr("class", class)
    }

    fn test_id(self, id: &'static str) -> Self {
        self.attr("data-testid", id)
    }

    /// A boolean attribute, there when `on`.
    fn flag(self, name: &'static str, on: bool) -> Self {
        match on {
            true => self.attr(name, ""),
            false => self,
        }
    }

    /// An attribute kept as `value` has it; none while it is `None`.
    fn attr_live(self, name: &'static str, value: Live<Option<String>>) -> Self {
        self.keep(LiveTarget::Attribute(name), value)
    }

    /// A listener on the element itself, added once the element is made
    /// and removed with the screen ([`super::dom::listen`]).
    fn on(self, event: &'static str, handler: Box<dyn FnMut(web_sys::Event)>) -> Self {
        self.when_made(Box::new(move |element| {
            super::dom::listen(element, event, handler)
        }))
    }

    /// Runs `made` with the element once it is made (no node ref, whose
    /// signal would be one more reactive node to build and read).
    #[inline(never)]
    fn when_made(mut self, made: WhenMade) -> Self {
        self.0.when_made.push(made);
        self
    }

    #[inline(never)]
    fn child(mut self, child: El) -> Self {
        self.0.children.push(Child::El(child));
        self
    }

    fn children(mut self, children: Vec<El>) -> Self {
        self.0.children.extend(children.into_iter().map(Child::El));
        self
    }

    #[inline(never)]
    fn text(mut self, text: &'static str) -> Self {
        self.0.children.push(Child::Text(Cow::Borrowed(text)));
        self
    }

    #[inline(never)]
    fn text_owned(mut self, text: String) -> Self {
        self.0.children.push(Child::Text(Cow::Owned(text)));
        self
    }

    /// The element's text, kept as `text` has it; none while it is `None`.
    /// The element has no other children.
    fn text_live(self, text: Live<Option<String>>) -> Self {
        self.keep(LiveTarget::Text, text)
    }

    /// Keeps `target` as `value` has it, from when the element is made
    /// until its screen is cleaned up: one render effect, run at once and
    /// again when what `value` reads changes, that writes to the DOM only
    /// when the value did change (a live region is not read out again).
    fn keep(self, target: LiveTarget, value: Live<Option<String>>) -> Self {
        self.when_made(Box::new(move |element| {
            let element = element.clone();
            render_while_on_screen(Box::new(move |previous| {
                let now = value();
                if previous.as_ref() != Some(&now) {
                    target.write(&element, now.as_deref());
                }
                now
            }));
        }))
    }

    /// A first child that is there while `shown` is true: made by `make`
    /// each time it appears, and removed, with its listeners and live
    /// values, each time it goes.
    fn first_child_while(self, shown: Reading<bool>, make: Box<dyn Fn() -> El>) -> Self {
        self.when_made(Box::new(move |parent| {
            let parent = parent.clone();
            let part = Part::new();
            render_while_on_screen(Box::new(move |previous| {
                let now = shown().then(String::new);
                if previous.as_ref() != Some(&now) {
                    part.make_again(now.is_some().then(&make), &|made| {
                        let _ = parent.prepend_with_node_1(made);
                    });
                }
                now
            }));
        }))
    }

    /// Makes the element, as described: its attributes, what runs once it
    /// is made, then its children. By hand, with no framework view type:
    /// tachys' element types, with their code to build, mount and unmount
    /// each, were most of the view's wasm (DECISIONS S8).
    fn make(self, document: &Document) -> web_sys::Element {
        let Parts {
            tag,
            attributes,
            when_made,
            children,
        } = *self.0;
        let element = document
            .create_element(tag)
            .expect("an element of the view's own tag names");
        for (name, value) in attributes {
            let _ = element.set_attribute(name, &value);
        }
        for made in when_made {
            made(&element);
        }
        for child in children {
            let _ = match child {
                Child::Text(text) => element.append_with_str_1(&text),
                Child::El(child) => element.append_with_node_1(&child.make(document)),
            };
        }
        element
    }
}

/// A part of the view made, and made again, in place: its element while
/// there is one, and the owner of what the element's making started
/// (render effects, listeners). One owner for the part's whole life, cleaned
/// up at each change: a new owner each time would stay in its parent's list
/// of children until the screen goes.
struct Part {
    owner: Owner,
    element: RefCell<Option<web_sys::Element>>,
}

impl Part {
    /// A part of the current owner, cleaned up with it.
    fn new() -> Rc<Part> {
        let part = Rc::new(Part {
            owner: Owner::new(),
            element: RefCell::new(None),
        });
        let gone = OneThread::new(Rc::clone(&part));
        Owner::on_cleanup(move || gone.get().clear());
        part
    }

    /// Clears the part, then makes `el`, if there is one, under the part's
    /// owner (what its making starts is the part's), and puts it in the
    /// page with `place`.
    fn make_again(&self, el: Option<El>, place: &dyn Fn(&web_sys::Element)) {
        self.clear();
        let (Some(el), Some(document)) = (el, super::dom::document()) else {
            return;
        };
        let made = self.owner.with(|| el.make(&document));
        place(&made);
        *self.element.borrow_mut() = Some(made);
    }

    /// Removes the element, and cleans up what its making started.
    fn clear(&self) {
        if let Some(element) = self.element.borrow_mut().take() {
            element.remove();
        }
        self.owner.cleanup();
    }
}

/// Runs `render` at once, and again whenever what it reads changes, until
/// the owner that called this is cleaned up. `render` gets the value it
/// gave last; a render that keeps no value gives `None`. One type of render
/// effect for the whole view: each type's code is one more copy in the wasm.
fn render_while_on_screen(render: Box<dyn FnMut(Option<Option<String>>) -> Option<String>>) {
    let effect = RenderEffect::new(render);
    let subscriber = effect.to_any_subscriber();
    // The owner's cleanup must be Send, and this runs in the browser's one
    // thread.
    let effect = OneThread::new(effect);
    Owner::on_cleanup(move || {
        // Off every list it is on: Leptos 0.8 keeps a dropped render effect
        // in its sources' subscribers (`flow` lives as long as the widget),
        // with its allocation: that was 1.5 KB of wasm memory per open/exit.
        subscriber.clear_sources(&subscriber);
        drop(effect);
    });
}

/// What a live value of the view is written to.
#[derive(Clone, Copy)]
enum LiveTarget {
    /// The attribute of that name: removed while the value is `None`.
    Attribute(&'static str),
    /// The element's text: none while the value is `None`.
    Text,
}

impl LiveTarget {
    fn write(self, element: &web_sys::Element, value: Option<&str>) {
        match (self, value) {
            (Self::Attribute(name), Some(value)) => {
                let _ = element.set_attribute(name, value);
            }
            (Self::Attribute(name), None) => {
                let _ = element.remove_attribute(name);
            }
            (Self::Text, text) => element.set_text_content(text),
        }
    }
}

/// The value of an ARIA state such as `aria-disabled`: "true" or "false".
fn true_or_false(value: bool) -> Option<String> {
    Some(if value { "true" } else { "false" }.to_owned())
}

/// An ARIA state kept as `state` has it.
fn live_true_or_false(state: &Reading<bool>) -> Live<Option<String>> {
    let state = Rc::clone(state);
    Box::new(move || true_or_false(state()))
}

/// What `read` gives of the flow's state, read where it is shown. No memo:
/// each render effect that shows it already writes only a change, and a
/// memo's code was kilobytes of the wasm (DECISIONS S8).
fn reading<T: 'static>(flow: &ArcRwSignal<Flow>, read: Box<dyn Fn(&Flow) -> T>) -> Reading<T> {
    let flow = flow.clone();
    Rc::new(move || flow.with(&*read))
}

#[derive(Clone, PartialEq, Eq)]
enum ScreenKey {
    Closed,
    Form { step_id: String, kind: StepKind },
    Success,
    Locked,
    Expired,
    Failed { can_retry: bool },
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

/// Mounts the whole modal in `container`: nothing while closed, and the
/// dialog of the screen on show, made again only when the screen changes
/// ([`screen_key`]), so typing re-renders nothing but the input's own
/// value. Lives as long as the current owner (the widget's).
///
/// `isolated`: the modal runs in the link frame. Only then does its footer
/// promise that the host app never sees the password: in the page, any
/// script of the page could read it.
pub(crate) fn mount_modal(
    container: web_sys::Element,
    flow: ArcRwSignal<Flow>,
    actions: Actions,
    isolated: bool,
    appearance: Appearance,
) {
    // What re-runs render effects: leptos's mount functions start it, and
    // this is the view's mount. An error says it already runs.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let screen = Part::new();
    let mut on_screen = None;
    render_while_on_screen(Box::new(move |_| {
        let key = flow.with(screen_key);
        if on_screen.as_ref() != Some(&key) {
            let dialog = (key != ScreenKey::Closed)
                .then(|| dialog(&flow, actions, key.clone(), isolated, appearance));
            screen.make_again(dialog, &|made| {
                let _ = container.append_with_node_1(made);
            });
            on_screen = Some(key);
        }
        None
    }));
}

/// The dialog around the screen `key` names: its header, close button and footer.
fn dialog(
    flow: &ArcRwSignal<Flow>,
    actions: Actions,
    key: ScreenKey,
    isolated: bool,
    appearance: Appearance,
) -> El {
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
    let company = session.company_or(texts.this_app);
    let body = match key {
        ScreenKey::Form {
            kind: StepKind::Integration,
            ..
        } => picker_screen(flow, actions, &company, texts),
        ScreenKey::Form {
            kind: StepKind::Approve,
            ..
        } => approve_screen(flow, actions, texts),
        ScreenKey::Form { kind, .. } => form_screen(flow, actions, kind, &session, texts),
        ScreenKey::Success => outcome_screen(
            actions,
            "keet-success",
            texts.linked_title,
            fill(
                texts.linked_lead,
                &[("integration", &session.integration), ("company", &company)],
            ),
            Outcome::Succeeded,
            texts,
        ),
        ScreenKey::Locked => outcome_screen(
            actions,
            "keet-locked",
            texts.locked_title,
            fill(texts.locked_lead, &[("integration", &session.integration)]),
            Outcome::Failed,
            texts,
        ),
        ScreenKey::Expired => outcome_screen(
            actions,
            "keet-expired",
            texts.expired_title,
            fill(texts.expired_lead, &[("company", &company)]),
            Outcome::Failed,
            texts,
        ),
        ScreenKey::Failed { can_retry } => {
            let code =
                flow.with_untracked(|f| f.failure_on_screen().unwrap_or_default().to_owned());
            outcome_screen(
                actions,
                "keet-failed",
                texts.failed_title,
                crate::flow::failure_text(texts, &code).to_owned(),
                match can_retry {
                    true => Outcome::CanRetry,
                    false => Outcome::Failed,
                },
                texts,
            )
        }
        ScreenKey::Closed => Vec::new(),
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
    let close = el("button")
        .attr("type", "button")
        .class("close")
        .attr("aria-label", texts.close)
        .test_id("keet-close")
        .on(
            "click",
            Box::new(move |_| with_widget(actions, |w| w.exit())),
        )
        .child(el("span").attr("aria-hidden", "true").text("×"));
    let dialog = el("div")
        .class("dialog")
        .attr("role", "dialog")
        .attr("aria-modal", "true")
        .attr("aria-labelledby", "keet-title")
        .attr("aria-describedby", "keet-lead")
        .attr("tabindex", "-1")
        .test_id("keet-dialog")
        .attr("lang", locale.tag())
        .attr("dir", if locale.is_rtl() { "rtl" } else { "ltr" })
        .on(
            "keydown",
            Box::new(move |event| {
                with_widget(actions, |w| on_dialog_key(w, event.unchecked_ref()))
            }),
        )
        .child(close)
        .child(header(&session, texts))
        .children(body)
        .child(
            el("p")
                .class("footer")
                .test_id("keet-footer")
                .text_owned(footer),
        );
    el("div")
        .class("backdrop")
        .attr("data-appearance", appearance.as_str())
        .test_id("keet-backdrop")
        .on(
            "click",
            Box::new(move |event| {
                if super::dom::is_target_itself(&event) {
                    with_widget(actions, |w| w.exit());
                }
            }),
        )
        .child(dialog)
}

/// The company's logo (or its initial) and name, and the integration's badge.
fn header(session: &SessionSummary, texts: &'static Texts) -> El {
    let initial = session
        .company_name
        .as_deref()
        .or(Some(session.integration.as_str()))
        .and_then(|name| name.chars().next())
        .map(|c| c.to_ascii_uppercase().to_string())
        .unwrap_or_default();
    // The initial waits, hidden, behind a logo: if the logo fails to load,
    // it takes the logo's place (by hand: a signal of its own for this one
    // switch cost the wasm a reactive type).
    let logo = session.company_logo_uri.clone().map(|logo| {
        el("img")
            .class("logo")
            .attr_owned("src", logo)
            .attr("alt", "")
            .test_id("keet-logo")
            .on(
                "error",
                Box::new(|event| super::dom::give_way_to_next(&event)),
            )
    });
    let initial = el("div")
        .class("initial")
        .attr("aria-hidden", "true")
        .test_id("keet-logo-fallback")
        .flag("hidden", logo.is_some())
        .text_owned(initial);
    let names = el("div")
        .child(
            el("p")
                .class("company")
                .test_id("keet-company")
                .text_owned(session.company_or(texts.this_app_heading)),
        )
        .child(
            el("p")
                .class("badge")
                .test_id("keet-integration")
                .text_owned(session.integration.clone()),
        );
    let mut header = el("div").class("header");
    if let Some(logo) = logo {
        header = header.child(logo);
    }
    header.child(initial).child(names)
}

/// The screen's title and its lead (the dialog's name and description).
fn title_and_lead(title: String, lead: String, lead_test_id: Option<&'static str>) -> Vec<El> {
    let mut lead_el = el("p").attr("id", "keet-lead").class("lead");
    if let Some(id) = lead_test_id {
        lead_el = lead_el.test_id(id);
    }
    vec![
        el("h2").attr("id", "keet-title").text_owned(title),
        lead_el.text_owned(lead),
    ]
}

/// The form's notice: `problem` while there is one, read out as an alert.
fn notice(problem: Reading<Option<String>>) -> El {
    el("p")
        .class("notice")
        .attr("role", "alert")
        .test_id("keet-form-error")
        .text_live(Box::new(move || problem()))
}

/// A button that looks like a link, in a paragraph of its own.
fn link_button(
    test_id: &'static str,
    text: &'static str,
    autofocus: bool,
    on_click: Box<dyn FnMut(web_sys::Event)>,
) -> El {
    let button = el("button")
        .attr("type", "button")
        .class("link")
        .flag("data-autofocus", autofocus)
        .test_id(test_id)
        .on("click", on_click)
        .text(text);
    el("p").class("back").child(button)
}

/// A login or code form: its fields, the submit button, the new-code
/// countdown on a code step and the service's own links on a login step.
fn form_screen(
    flow: &ArcRwSignal<Flow>,
    actions: Actions,
    kind: StepKind,
    session: &SessionSummary,
    texts: &'static Texts,
) -> Vec<El> {
    let integration = session.integration.as_str();
    let (fields, prompt) = flow.with_untracked(|f| {
        f.form_on_screen()
            .map(|form| (form.step.fields.clone(), form.step.prompt.clone()))
            .unwrap_or_default()
    });
    let sending = reading(flow, Box::new(Flow::is_sending));
    // The fields and the button wait while sending, or while covered.
    let held = reading(flow, Box::new(|f| f.is_sending() || f.is_covered()));
    let waiting = reading(flow, Box::new(Flow::is_waiting_to_retry));
    // While covered, that is what the form's notice says.
    let form_error = reading(
        flow,
        Box::new(move |f| match f.is_covered() {
            true => Some(texts.covered.to_owned()),
            false => f.form_on_screen()?.form_error.clone(),
        }),
    );
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
    let on_submit = move |event: web_sys::Event| {
        event.prevent_default();
        with_widget(actions, |w| {
            let key = super::new_idempotency_key();
            w.dispatch(Input::Submit {
                idempotency_key: key,
            });
        });
    };
    let mut form = el("form")
        .flag("novalidate", true)
        .on("submit", Box::new(on_submit))
        .test_id("keet-form");
    for (index, field) in fields.into_iter().enumerate() {
        form = form.child(match field.kind {
            FieldKind::Choice => choice_field(flow, actions, index, field, &held),
            _ => input_field(flow, actions, index, field, &held),
        });
    }
    let spinner = || {
        el("span")
            .class("spinner")
            .attr("aria-hidden", "true")
            .test_id("keet-spinner")
    };
    // aria-disabled, not disabled, while sending: a disabled button drops
    // the focus, and Escape would no longer reach the dialog. The flow
    // ignores a second submit.
    let submit = el("button")
        .attr("type", "submit")
        .class("primary")
        .test_id("keet-submit")
        .attr_live("aria-disabled", live_true_or_false(&held))
        .attr_live("aria-busy", live_true_or_false(&sending))
        .first_child_while(sending, Box::new(spinner))
        .text(button);
    let form = form
        .child(notice(form_error))
        .child(
            el("p")
                .class("retrying")
                .attr("role", "status")
                .test_id("keet-retrying")
                .text_live(Box::new(move || {
                    waiting().then(|| texts.retrying.to_owned())
                })),
        )
        .child(submit);
    let mut screen = title_and_lead(title, lead, Some("keet-prompt"));
    screen.push(form);
    if kind == StepKind::Mfa {
        screen.push(new_code(flow, actions, texts));
    }
    // The service's own pages, on the login form: a forgotten password (when
    // the form has one) and help.
    if kind == StepKind::Credentials {
        let mut links = el("p").class("help-links");
        if let Some(url) = session
            .forgot_password_url
            .clone()
            .filter(|_| asks_for_password)
        {
            links = links.child(service_link(
                actions,
                url,
                HelpLink::ForgotPassword,
                texts.forgot_password,
                texts,
            ));
        }
        if let Some(url) = session.help_url.clone() {
            links = links.child(service_link(
                actions,
                url,
                HelpLink::Help,
                texts.login_help,
                texts,
            ));
        }
        screen.push(links);
    }
    // Back to the list of integrations, when the login came from it.
    if flow.with_untracked(|f| f.form_on_screen().is_some_and(|form| form.can_go_back())) {
        let on_back = move |_| with_widget(actions, |w| w.dispatch(Input::Back));
        screen.push(link_button(
            "keet-back",
            texts.other_service,
            false,
            Box::new(on_back),
        ));
    }
    screen
}

/// The choice of integration: a search box that narrows the list as the
/// user types, a count read out as it changes, and one button per
/// integration (its colour and name). Arrow keys move between the search
/// box and the buttons; Enter or a click chooses.
fn picker_screen(
    flow: &ArcRwSignal<Flow>,
    actions: Actions,
    company: &str,
    texts: &'static Texts,
) -> Vec<El> {
    // The search as the flow has it when the screen is made (a modal
    // opened again, or the list gone back to), and the list as it narrows.
    let (options, query) = flow.with_untracked(|f| {
        f.form_on_screen()
            .map(|form| (form.step.options.clone(), form.query().to_owned()))
            .unwrap_or_default()
    });
    let count = reading(
        flow,
        Box::new(move |f| {
            Some(
                match f.form_on_screen().map_or(0, |form| form.options_shown()) {
                    0 => texts.picker_none.to_owned(),
                    n => fill(texts.picker_count, &[("count", &decimal(n as u64))]),
                },
            )
        }),
    );
    let held = reading(flow, Box::new(|f| f.is_sending() || f.is_covered()));
    let problem = reading(
        flow,
        Box::new(move |f| match f.is_covered() {
            true => Some(texts.covered.to_owned()),
            false => {
                let form = f.form_on_screen()?;
                form.error(0).map(str::to_owned).or(form.form_error.clone())
            }
        }),
    );
    let on_search_key = move |event: web_sys::Event| {
        let key: &web_sys::KeyboardEvent = event.unchecked_ref();
        if key.key() == "ArrowDown" {
            event.prevent_default();
            let list = super::dom::target_element(&event)
                .and_then(|search| search.closest(".dialog").ok().flatten())
                .and_then(|dialog| dialog.query_selector("#keet-options").ok().flatten());
            if let Some(list) = list {
                super::dom::focus_option(list.first_element_child(), true);
            }
        }
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
    let search = el("input")
        .attr("id", "keet-search")
        .attr("type", "search")
        .attr("autocomplete", "off")
        .attr("spellcheck", "false")
        .attr("aria-controls", "keet-options")
        .test_id("keet-search")
        .attr_owned("value", query)
        .on(
            "input",
            Box::new(move |event| {
                let query = event_target_value(&event);
                with_widget(actions, |w| w.dispatch(Input::Searched(query)));
            }),
        )
        .on("keydown", Box::new(on_search_key));
    let search_field = el("div")
        .class("field")
        .child(
            el("label")
                .attr("for", "keet-search")
                .text(texts.search_label),
        )
        .child(search);
    // Every option is made once; the search only hides some (no list
    // diffing in the wasm).
    let mut list_el = el("ul")
        .attr("id", "keet-options")
        .class("options")
        .attr("aria-labelledby", "keet-title")
        .test_id("keet-options");
    for option in options {
        let name = option.name;
        let test_id = ["keet-option-", &name.replace(' ', "-").to_ascii_lowercase()].concat();
        let hidden = {
            let name = name.clone();
            let flow = flow.clone();
            move || {
                flow.with(|f| {
                    f.form_on_screen()
                        .is_some_and(|form| !form.shows_option(&name))
                })
                .then(String::new)
            }
        };
        let swatch = el("span")
            .class("swatch")
            .attr("aria-hidden", "true")
            .when_made(Box::new(move |swatch| {
                super::dom::set_style_property(swatch, "background-color", &option.brand_color)
            }));
        let chosen = name.clone();
        let button = el("button")
            .attr("type", "button")
            .class("option")
            .attr_owned("data-testid", test_id)
            .attr_live("aria-disabled", live_true_or_false(&held))
            .on(
                "keydown",
                Box::new(|event| super::dom::move_between_options(event.unchecked_into())),
            )
            .on("click", Box::new(move |_| choose(chosen.clone())))
            .child(swatch)
            .text_owned(name);
        list_el = list_el.child(el("li").attr_live("hidden", Box::new(hidden)).child(button));
    }
    let mut screen = title_and_lead(
        texts.picker_title.to_owned(),
        fill(texts.picker_lead, &[("company", company)]),
        None,
    );
    screen.extend([
        search_field,
        el("p")
            .class("count")
            .attr("role", "status")
            .test_id("keet-picker-count")
            .text_live(Box::new(move || count())),
        notice(problem),
        list_el,
    ]);
    screen
}

/// Approval on another device: the prompt, a waiting state read out once,
/// and, when the step allows it, a way to a code instead. The flow polls.
fn approve_screen(flow: &ArcRwSignal<Flow>, actions: Actions, texts: &'static Texts) -> Vec<El> {
    let (prompt, code_instead) = flow.with_untracked(|f| {
        f.form_on_screen()
            .map(|form| (form.step.prompt.clone(), form.step.code_instead))
            .unwrap_or_default()
    });
    let problem = reading(flow, Box::new(|f| f.form_on_screen()?.form_error.clone()));
    let use_code = move |_| {
        with_widget(actions, |w| {
            w.dispatch(Input::UseCodeInstead {
                idempotency_key: super::new_idempotency_key(),
            })
        })
    };
    let mut screen = title_and_lead(
        texts.approve_title.to_owned(),
        prompt.unwrap_or_default(),
        Some("keet-prompt"),
    );
    screen.push(
        el("p")
            .class("waiting")
            .attr("role", "status")
            .test_id("keet-waiting")
            .child(el("span").class("spinner").attr("aria-hidden", "true"))
            .text(texts.approve_waiting),
    );
    screen.push(notice(problem));
    if code_instead {
        screen.push(link_button(
            "keet-use-code",
            texts.use_code,
            true,
            Box::new(use_code),
        ));
    }
    screen
}

/// A `choice` field: a group of radio buttons, one per option.
fn choice_field(
    flow: &ArcRwSignal<Flow>,
    actions: Actions,
    index: usize,
    field: FieldSpec,
    // Read-only while sending or covered.
    held: &Reading<bool>,
) -> El {
    let error = field_error(flow, index);
    let name = field.name;
    // Checked as the flow has it when the screen is made (a modal opened
    // again); from then on the browser keeps which radio is checked.
    let chosen = flow.with_untracked(|f| {
        f.form_on_screen()
            .map(|form| form.value(index).to_owned())
            .unwrap_or_default()
    });
    let mut group = el("fieldset")
        .class("field choices")
        .attr_live("aria-invalid", invalid_while(&error))
        .attr_live("aria-describedby", described_by(&error, &name))
        .attr_owned("data-testid", ["keet-field-", &name].concat())
        .child(el("legend").text_owned(field.label));
    for option in field.options {
        let id = ["keet-input-", &name, "-", option.value.as_str()].concat();
        let value = option.value.clone();
        let on_change = move |_| {
            let value = value.clone();
            with_widget(actions, |w| {
                w.dispatch(Input::Typed {
                    index,
                    value: value.into(),
                })
            })
        };
        let radio = el("input")
            .attr("type", "radio")
            .attr_owned("id", id.clone())
            .attr_owned("name", name.clone())
            .attr_owned("value", option.value.clone())
            .flag("checked", option.value == chosen)
            .attr_live("aria-disabled", live_true_or_false(held))
            .on("change", Box::new(on_change))
            .attr_owned(
                "data-testid",
                ["keet-choice-", option.value.as_str()].concat(),
            );
        group = group.child(
            el("div")
                .class("choice")
                .child(radio)
                .child(el("label").attr_owned("for", id).text_owned(option.label)),
        );
    }
    group.child(error_text(&error, &name))
}

/// A link to one of the service's own pages, in a new tab (`noopener
/// noreferrer`: the page learns nothing of the frame, and cannot reach it).
fn service_link(
    actions: Actions,
    url: String,
    link: HelpLink,
    text: &'static str,
    texts: &'static Texts,
) -> El {
    let test_id = match link {
        HelpLink::ForgotPassword => "keet-forgot-password",
        HelpLink::Help => "keet-help",
    };
    let on_click = move |_| with_widget(actions, |w| w.dispatch(Input::HelpOpened(link)));
    el("a")
        .attr_owned("href", url)
        .attr("target", "_blank")
        .attr("rel", "noopener noreferrer")
        .test_id(test_id)
        .on("click", Box::new(on_click))
        .text(text)
        .child(
            el("span")
                .class("visually-hidden")
                .text(" ")
                .text(texts.opens_in_new_tab),
        )
}

/// "Send a new code", under the code form: counting down until the server
/// allows one, then a button; gone when no new code can be sent. The
/// countdown is not a live region (it would speak every second); the notice
/// that a code was sent is.
fn new_code(flow: &ArcRwSignal<Flow>, actions: Actions, texts: &'static Texts) -> El {
    // Readings of the types the other screens use (each type is code of its
    // own in the wasm), not one of a tuple.
    let wait = move |f: &Flow| f.form_on_screen().and_then(|form| form.resend_wait);
    let label = reading(
        flow,
        Box::new(move |f| {
            Some(match wait(f)? {
                0 => texts.resend_button.to_owned(),
                seconds => fill(texts.resend_in, &[("seconds", &decimal(seconds.into()))]),
            })
        }),
    );
    let unavailable = reading(
        flow,
        Box::new(move |f| {
            wait(f) != Some(0) || f.form_on_screen().is_some_and(|form| form.is_resending())
        }),
    );
    let resent = reading(
        flow,
        Box::new(move |f| {
            f.form_on_screen()
                .is_some_and(|form| form.code_resent)
                .then(|| texts.code_resent.to_owned())
        }),
    );
    let on_click = move |_| {
        with_widget(actions, |w| {
            let key = super::new_idempotency_key();
            w.dispatch(Input::Resend {
                idempotency_key: key,
            });
        });
    };
    // Whether it is offered at all, apart from its label: the button is made
    // once, not again every second (which would drop the focus from it).
    let offered = reading(flow, Box::new(move |f| wait(f).is_some()));
    let button = move || {
        let label = label.clone();
        el("button")
            .attr("type", "button")
            .class("link")
            .test_id("keet-resend")
            .attr_live("aria-disabled", live_true_or_false(&unavailable))
            .on("click", Box::new(on_click))
            .text_live(Box::new(move || label()))
    };
    el("div")
        .class("resend")
        .first_child_while(offered, Box::new(button))
        .child(
            el("p")
                .class("resent")
                .attr("role", "status")
                .test_id("keet-resend-notice")
                .text_live(Box::new(move || resent())),
        )
}

/// Field `index`'s error on screen.
fn field_error(flow: &ArcRwSignal<Flow>, index: usize) -> Reading<Option<String>> {
    reading(
        flow,
        Box::new(move |f| f.form_on_screen()?.error(index).map(str::to_owned)),
    )
}

/// A field's `aria-invalid`: "true" while `error` has an error.
fn invalid_while(error: &Reading<Option<String>>) -> Live<Option<String>> {
    let error = Rc::clone(error);
    Box::new(move || true_or_false(error().is_some()))
}

/// A field's `aria-describedby`: the id of its error's element while
/// there is an error.
fn described_by(error: &Reading<Option<String>>, name: &str) -> Live<Option<String>> {
    let error = Rc::clone(error);
    let error_id = ["keet-error-", name].concat();
    Box::new(move || error().map(|_| error_id.clone()))
}

/// The element of a field's error, read out politely.
fn error_text(error: &Reading<Option<String>>, name: &str) -> El {
    let error = Rc::clone(error);
    let error_id = ["keet-error-", name].concat();
    el("p")
        .attr_owned("id", error_id.clone())
        .class("error")
        .attr("aria-live", "polite")
        .attr_owned("data-testid", error_id)
        .text_live(Box::new(move || error()))
}

/// One field of the form on screen: its label, input and error.
fn input_field(
    flow: &ArcRwSignal<Flow>,
    actions: Actions,
    index: usize,
    field: FieldSpec,
    // Read-only while sending or covered.
    held: &Reading<bool>,
) -> El {
    let input_id = ["keet-input-", field.name.as_str()].concat();
    // A value the server fixed (a re-link's username): shown, not editable.
    let read_only = field.read_only;
    // The flow's value reaches the input as a JS string, compared and set
    // there: no plain Rust copy of a password is made on any render.
    let synced = flow.clone();
    let sync_value = move |input: &web_sys::Element| {
        let input = input.clone();
        let flow = synced;
        // A render effect runs at once; an `Effect` would wait a task, and
        // brought its own scheduling code into the wasm.
        render_while_on_screen(Box::new(move |_| {
            let wanted = flow.with(|f| {
                wasm_bindgen::JsValue::from_str(
                    f.form_on_screen().map_or("", |form| form.value(index)),
                )
            });
            let value = wasm_bindgen::JsValue::from_str("value");
            if js_sys::Reflect::get(&input, &value).ok().as_ref() != Some(&wanted) {
                let _ = js_sys::Reflect::set(&input, &value, &wanted);
            }
            None
        }));
    };
    let error = field_error(flow, index);
    let on_input = move |event: web_sys::Event| {
        let typed = event_target_value(&event);
        with_widget(actions, |w| {
            w.dispatch(Input::Typed {
                index,
                value: typed.into(),
            })
        });
    };
    let mut input = el("input")
        .attr_owned("id", input_id.clone())
        .attr_owned("name", field.name.clone())
        .attr("type", field.kind.input_type());
    if let Some(mode) = field.kind.input_mode() {
        input = input.attr("inputmode", mode);
    }
    if field.kind.is_left_to_right() {
        input = input.attr("dir", "ltr");
    }
    if let Some(autocomplete) = field.autocomplete.clone() {
        input = input.attr_owned("autocomplete", autocomplete);
    }
    if let Some(length) = field.input_max_length() {
        input = input.attr_owned("maxlength", decimal(length.into()));
    }
    let input = input
        .flag("required", field.required)
        .attr("spellcheck", "false")
        .attr("autocapitalize", "off")
        .attr_live("aria-invalid", invalid_while(&error))
        .attr_live("aria-describedby", described_by(&error, &field.name))
        .attr_live("readonly", {
            let held = Rc::clone(held);
            Box::new(move || (read_only || held()).then(String::new))
        })
        .attr_live("aria-disabled", live_true_or_false(held))
        .when_made(Box::new(sync_value))
        .on("input", Box::new(on_input))
        .attr_owned("data-testid", ["keet-field-", field.name.as_str()].concat());
    el("div")
        .class("field")
        .child(
            el("label")
                .attr_owned("for", input_id)
                .text_owned(field.label),
        )
        .child(input)
        .child(error_text(&error, &field.name))
}

/// How a success, locked, expired or error screen ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    /// Linked: no button, `onSuccess` follows.
    Succeeded,
    /// A button to close.
    Failed,
    /// A button to try again, and one to close.
    CanRetry,
}

/// The success, locked, expired and error views, one data-driven screen:
/// the widget's own words for the situation (the API's `message` is for
/// developers), and the way on. The success is shown a moment before
/// `onSuccess`, read out politely, with no button; the others are alerts.
fn outcome_screen(
    actions: Actions,
    test_id: &'static str,
    title: &'static str,
    lead: String,
    outcome: Outcome,
    texts: &'static Texts,
) -> Vec<El> {
    let succeeded = outcome == Outcome::Succeeded;
    let can_retry = outcome == Outcome::CanRetry;
    let mut result = el("div")
        .class("result")
        .test_id(test_id)
        .child(
            el("div")
                .class(if succeeded {
                    "result-icon ok"
                } else {
                    "result-icon bad"
                })
                .attr("aria-hidden", "true")
                .text(if succeeded { "✓" } else { "!" }),
        )
        .child(el("h2").attr("id", "keet-title").text(title))
        .child(
            el("p")
                .attr("id", "keet-lead")
                .class("lead")
                .attr("role", if succeeded { "status" } else { "alert" })
                .text_owned(lead),
        );
    if can_retry {
        let try_again = move |_| with_widget(actions, |w| w.dispatch(Input::TryAgain));
        result = result.child(
            el("button")
                .attr("type", "button")
                .class("primary")
                .flag("data-autofocus", true)
                .test_id("keet-try-again")
                .on("click", Box::new(try_again))
                .text(texts.try_again),
        );
    }
    if !succeeded {
        let close = move |_| with_widget(actions, |w| w.exit());
        result = result.child(
            el("button")
                .attr("type", "button")
                .class(if can_retry { "secondary" } else { "primary" })
                .flag("data-autofocus", !can_retry)
                .test_id("keet-done")
                .on("click", Box::new(close))
                .text(texts.close_button),
        );
    }
    vec![result]
}
