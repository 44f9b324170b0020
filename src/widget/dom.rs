//! The DOM the widget owns: a host element with a shadow root and the
//! adopted stylesheet, the page's scroll lock, and focus handling.

use crate::i18n::Locale;
use std::cell::{Cell, RefCell};

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, Document, Element, HtmlElement, KeyboardEvent, ShadowRoot};

// Minified from style.css by build.rs.
const STYLESHEET: &str = include_str!(concat!(env!("OUT_DIR"), "/style.min.css"));
/// What can take focus inside the dialog, in DOM order.
const FOCUSABLE: &str =
    "button:not([disabled]), input:not([disabled]), a[href], [tabindex]:not([tabindex='-1'])";

thread_local! {
    // One constructed sheet, adopted by every instance's shadow root.
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
    // How many modals hold the scroll lock, and the overflow to restore.
    static SCROLL_LOCKS: Cell<u32> = const { Cell::new(0) };
    static SAVED_SCROLL_STYLE: RefCell<(String, String)> = const { RefCell::new((String::new(), String::new())) };
}

/// The page's document.
pub(crate) fn document() -> Option<Document> {
    web_sys::window()?.document()
}

/// The locale to speak: the closest to the host's `locale` option when it
/// set one, else to the browser's preferred languages.
pub(crate) fn preferred_locale(requested: Option<&str>) -> Locale {
    match requested {
        Some(tag) => Locale::negotiate([tag]),
        None => {
            let languages: Vec<String> = web_sys::window()
                .map(|window| {
                    window
                        .navigator()
                        .languages()
                        .iter()
                        .filter_map(|tag| tag.as_string())
                        .collect()
                })
                .unwrap_or_default();
            Locale::negotiate(languages.iter().map(String::as_str))
        }
    }
}

/// A host element in `<body>` with an open shadow root styled by the
/// widget's own sheet, and the container the view mounts into.
pub(crate) struct Frame {
    pub(crate) host: HtmlElement,
    pub(crate) shadow: ShadowRoot,
    pub(crate) container: HtmlElement,
}

impl Frame {
    /// Creates the host element at the end of `<body>`.
    pub(crate) fn attach(instance: u32) -> Result<Self, JsValue> {
        let document = document().ok_or("keet-link needs a document")?;
        let body = document.body().ok_or("keet-link needs a <body>")?;
        let host: HtmlElement = document.create_element("div")?.unchecked_into();
        host.set_attribute("data-keet-link", &crate::i18n::decimal(instance.into()))?;
        // Open, so that tests and assistive tooling can reach inside.
        let shadow =
            host.attach_shadow(&web_sys::ShadowRootInit::new(web_sys::ShadowRootMode::Open))?;
        adopt_stylesheet(&document, &shadow)?;
        let container: HtmlElement = document.create_element("div")?.unchecked_into();
        shadow.append_child(&container)?;
        body.append_child(&host)?;
        Ok(Self {
            host,
            shadow,
            container,
        })
    }

    /// Removes the host element (and so every node of the widget) from the page.
    pub(crate) fn detach(&self) {
        self.host.remove();
    }

    /// Whether focus is inside the modal.
    #[cfg(feature = "frame-app")]
    pub(crate) fn has_focus(&self) -> bool {
        self.shadow.active_element().is_some()
    }

    /// Focuses the first invalid input, else the first input, else the
    /// element marked `data-autofocus`, else the dialog itself.
    pub(crate) fn move_focus(&self) {
        for selector in [
            "input[aria-invalid='true']:not([disabled])",
            "input:not([disabled])",
            "[data-autofocus]",
            "[role='dialog']",
        ] {
            if let Ok(Some(element)) = self.shadow.query_selector(selector) {
                if let Some(element) = element.dyn_ref::<HtmlElement>() {
                    let _ = element.focus();
                    return;
                }
            }
        }
    }

    /// Keeps Tab and Shift+Tab inside the dialog: wraps from the last
    /// focusable element to the first and back.
    pub(crate) fn trap_tab(&self, event: &KeyboardEvent) {
        let Ok(list) = self.shadow.query_selector_all(FOCUSABLE) else {
            return;
        };
        let (Some(first), Some(last)) = (list.get(0), list.get(list.length().saturating_sub(1)))
        else {
            event.prevent_default();
            return;
        };
        let active: Option<web_sys::Node> = self.shadow.active_element().map(Into::into);
        let at_edge =
            |node: &web_sys::Node| active.as_ref().is_none_or(|a| a.is_same_node(Some(node)));
        let target = if event.shift_key() && at_edge(&first) {
            Some(last)
        } else if !event.shift_key() && at_edge(&last) {
            Some(first)
        } else {
            None
        };
        if let Some(element) = target.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
            event.prevent_default();
            let _ = element.focus();
        }
    }
}

fn adopt_stylesheet(document: &Document, shadow: &ShadowRoot) -> Result<(), JsValue> {
    let sheet = SHEET.with(|cell| {
        let mut cell = cell.borrow_mut();
        if cell.is_none() {
            if let Ok(sheet) = CssStyleSheet::new() {
                if sheet.replace_sync(STYLESHEET).is_ok() {
                    *cell = Some(sheet);
                }
            }
        }
        cell.clone()
    });
    match sheet {
        // Constructable stylesheets need no 'unsafe-inline' under CSP.
        Some(sheet) => shadow.set_adopted_style_sheets(&js_sys::Array::of1(&sheet)),
        // Browsers without them get a <style> element (which a strict CSP may refuse).
        None => {
            let style = document.create_element("style")?;
            style.set_text_content(Some(STYLESHEET));
            shadow.append_child(&style)?;
        }
    }
    Ok(())
}

/// What the page looked like before the modal opened.
pub(crate) struct PageState {
    previous_focus: Option<HtmlElement>,
}

impl PageState {
    /// Remembers the focused element and locks the page's scroll.
    pub(crate) fn take() -> Self {
        let document = document();
        let previous_focus = document
            .as_ref()
            .and_then(Document::active_element)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        if SCROLL_LOCKS.get() == 0 {
            if let Some(body) = document.as_ref().and_then(Document::body) {
                let style = body.style();
                let overflow = style.get_property_value("overflow").unwrap_or_default();
                let padding = style
                    .get_property_value("padding-right")
                    .unwrap_or_default();
                // The scrollbar's width, so that hiding it does not shift the page.
                let scrollbar = web_sys::window()
                    .and_then(|w| w.inner_width().ok())
                    .and_then(|w| w.as_f64())
                    .zip(
                        document
                            .as_ref()
                            .and_then(Document::document_element)
                            .map(|e| f64::from(e.client_width())),
                    )
                    .map_or(0, |(inner, client)| (inner - client).max(0.0) as u32);
                let _ = style.set_property("overflow", "hidden");
                if scrollbar > 0 {
                    // Whole pixels: formatting an f64 would pull ~14 KB of float printing into the wasm.
                    let _ = style.set_property(
                        "padding-right",
                        &[crate::i18n::decimal(scrollbar.into()).as_str(), "px"].concat(),
                    );
                }
                SAVED_SCROLL_STYLE.with(|saved| *saved.borrow_mut() = (overflow, padding));
            }
        }
        SCROLL_LOCKS.set(SCROLL_LOCKS.get() + 1);
        Self { previous_focus }
    }

    /// Unlocks scroll (when no other modal holds it) and returns focus.
    pub(crate) fn restore(self) {
        let remaining = SCROLL_LOCKS.get().saturating_sub(1);
        SCROLL_LOCKS.set(remaining);
        if remaining == 0 {
            if let Some(body) = document().as_ref().and_then(Document::body) {
                let style = body.style();
                SAVED_SCROLL_STYLE.with(|saved| {
                    let (overflow, padding) = &*saved.borrow();
                    restore_property(&style, "overflow", overflow);
                    restore_property(&style, "padding-right", padding);
                });
            }
        }
        if let Some(element) = self.previous_focus {
            if element.is_connected() {
                let _ = element.focus();
            }
        }
    }
}

fn restore_property(style: &web_sys::CssStyleDeclaration, name: &str, value: &str) {
    if value.is_empty() {
        let _ = style.remove_property(name);
    } else {
        let _ = style.set_property(name, value);
    }
}

/// Whether `element` is the element the event was dispatched on (a click on
/// the backdrop itself, not on the dialog inside it).
pub(crate) fn is_target_itself(event: &web_sys::Event) -> bool {
    match (event.target(), event.current_target()) {
        (Some(target), Some(current)) => target == current,
        _ => false,
    }
}

/// Removes the element `event` was dispatched on and shows the element
/// after it (an image that failed to load gives way to its stand-in).
pub(crate) fn give_way_to_next(event: &web_sys::Event) {
    if let Some(element) = target_element(event) {
        if let Some(next) = element.next_element_sibling() {
            let _ = next.remove_attribute("hidden");
        }
        element.remove();
    }
}

/// The element `event` was dispatched on.
pub(crate) fn target_element(event: &web_sys::Event) -> Option<Element> {
    event.target()?.dyn_into::<Element>().ok()
}

/// Calls `handler` on each `event` at `element`, until the reactive owner
/// current now (the screen that made the element) is cleaned up: then the
/// listener is removed and the closure freed. Added here rather than by
/// tachys' `on`, whose one entry point keeps event delegation's global set
/// of names in the wasm, though no listener of ours is delegated.
pub(crate) fn listen(
    element: &Element,
    event: &'static str,
    handler: Box<dyn FnMut(web_sys::Event)>,
) {
    let callback = wasm_bindgen::closure::Closure::wrap(handler);
    let _ = element.add_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    // The owner's cleanup must be Send; this runs in the browser's one thread.
    let listener = OneThread::new((element.clone(), callback));
    leptos::prelude::Owner::on_cleanup(move || {
        let (element, callback) = listener.take();
        let _ =
            element.remove_event_listener_with_callback(event, callback.as_ref().unchecked_ref());
    });
}

/// Sets a CSS property, custom or not, through the CSSOM (allowed under a
/// strict CSP, unlike a `style` attribute).
pub(crate) fn set_style_property(element: &Element, name: &str, value: &str) {
    if let Some(element) = element.dyn_ref::<HtmlElement>() {
        let _ = element.style().set_property(name, value);
    }
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// An `IntersectionObserver`, with the v2 option and reading that
    /// web-sys does not bind (`trackVisibility`, `isVisible`).
    #[derive(Clone)]
    type VisibilityObserver;
    #[wasm_bindgen(constructor, js_class = "IntersectionObserver")]
    fn new(callback: &js_sys::Function, options: &JsValue) -> VisibilityObserver;
    #[wasm_bindgen(method)]
    fn observe(this: &VisibilityObserver, target: &Element);
    #[wasm_bindgen(method)]
    fn disconnect(this: &VisibilityObserver);

    type VisibilityEntry;
    #[wasm_bindgen(method, getter, js_name = isVisible)]
    fn is_visible(this: &VisibilityEntry) -> Option<bool>;

    type Animated;
    /// The element's running animations (finished ones are not listed).
    #[wasm_bindgen(method, js_name = getAnimations)]
    fn get_animations(this: &Animated) -> js_sys::Array;
}

/// Watches whether the dialog is fully visible to the user: not covered by
/// anything the embedding page draws over it, not faded, not transformed.
/// IntersectionObserver v2 (`trackVisibility`) can tell, inside a
/// cross-origin frame, in Chromium; where the browser cannot (Firefox,
/// Safari), [`VisibilityWatch::start`] watches nothing. It starts once the
/// dialog's opening animation is over (an animating element counts as not
/// visible). Dropping the watch disconnects the observer and removes its
/// listener.
pub(crate) struct VisibilityWatch {
    dialog: Element,
    observer: VisibilityObserver,
    _on_change: wasm_bindgen::closure::Closure<dyn Fn(js_sys::Array)>,
    on_animation_end: wasm_bindgen::closure::Closure<dyn Fn()>,
}

impl VisibilityWatch {
    /// Starts watching `dialog`, calling `on_change(covered)` with the first
    /// reading and each change after it; `None` where the browser cannot tell.
    pub(crate) fn start(dialog: Element, on_change: Box<dyn Fn(bool)>) -> Option<Self> {
        let entry =
            js_sys::Reflect::get(&js_sys::global(), &"IntersectionObserverEntry".into()).ok()?;
        let prototype = js_sys::Reflect::get(&entry, &"prototype".into()).ok()?;
        if !prototype.is_object() || !js_sys::Reflect::has(&prototype, &"isVisible".into()).ok()? {
            return None;
        }
        let watched = dialog.clone();
        let on_change = wasm_bindgen::closure::Closure::<dyn Fn(js_sys::Array)>::new(
            move |entries: js_sys::Array| {
                // A dialog taken out of the page (another screen, a close)
                // is not visible, but not covered either.
                if !watched.is_connected() {
                    return;
                }
                // The newest entry is the current state.
                let newest: VisibilityEntry = entries
                    .get(entries.length().saturating_sub(1))
                    .unchecked_into();
                on_change(newest.is_visible() != Some(true));
            },
        );
        // 100 ms is the shortest delay the browser allows for trackVisibility.
        let options =
            js_sys::JSON::parse(r#"{"trackVisibility":true,"delay":100,"threshold":1}"#).ok()?;
        let observer = VisibilityObserver::new(on_change.as_ref().unchecked_ref(), &options);
        let on_animation_end = {
            let (observer, dialog) = (observer.clone(), dialog.clone());
            // Observing an element twice is a no-op, so every end may try.
            wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || {
                if !is_animating(&dialog) {
                    observer.observe(&dialog);
                }
            })
        };
        if is_animating(&dialog) {
            dialog
                .add_event_listener_with_callback(
                    "animationend",
                    on_animation_end.as_ref().unchecked_ref(),
                )
                .ok()?;
        } else {
            observer.observe(&dialog);
        }
        Some(Self {
            dialog,
            observer,
            _on_change: on_change,
            on_animation_end,
        })
    }

    /// Whether this watch is on `dialog` (a new screen is a new element).
    pub(crate) fn watches(&self, dialog: &Element) -> bool {
        &self.dialog == dialog
    }
}

impl Drop for VisibilityWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
        let _ = self.dialog.remove_event_listener_with_callback(
            "animationend",
            self.on_animation_end.as_ref().unchecked_ref(),
        );
    }
}

/// Whether `element` runs an animation now (its opening one): the browser
/// reports an animating element as not visible, so the watch waits for it.
/// (`getAnimations()` lists only running ones; the computed
/// `animation-name` would stay set after the end.)
pub(crate) fn is_animating(element: &Element) -> bool {
    element
        .unchecked_ref::<Animated>()
        .get_animations()
        .length()
        > 0
}

/// Focuses the button inside `item`, an entry of the picker's list, or
/// inside the first entry after it (`forward`) or before it that the search
/// leaves shown. False when there is none that way.
pub(crate) fn focus_option(mut item: Option<Element>, forward: bool) -> bool {
    while let Some(entry) = item {
        if !entry.has_attribute("hidden") {
            if let Some(button) = entry
                .first_element_child()
                .and_then(|button| button.dyn_into::<HtmlElement>().ok())
            {
                let _ = button.focus();
            }
            return true;
        }
        item = match forward {
            true => entry.next_element_sibling(),
            false => entry.previous_element_sibling(),
        };
    }
    false
}

/// Arrow keys on an option of the picker: down and up move to the next and
/// previous option shown (up from the first goes back to the search box);
/// Home and End to the first and last. Enter and Space are the button's own.
pub(crate) fn move_between_options(event: KeyboardEvent) {
    let Some(item) = target_element(&event).and_then(|button| button.parent_element()) else {
        return;
    };
    let list = item.parent_element();
    let (next, forward) = match event.key().as_str() {
        "ArrowDown" => (item.next_element_sibling(), true),
        "ArrowUp" => (item.previous_element_sibling(), false),
        "Home" => (list.and_then(|list| list.first_element_child()), true),
        "End" => (list.and_then(|list| list.last_element_child()), false),
        _ => return,
    };
    event.prevent_default();
    if focus_option(next, forward) || forward {
        return;
    }
    // Up from the first option shown: back to the search box.
    let search = item
        .parent_element()
        .and_then(|list| list.parent_element())
        .and_then(|dialog| dialog.query_selector("#keet-search").ok().flatten())
        .and_then(|search| search.dyn_into::<HtmlElement>().ok());
    if let Some(search) = search {
        let _ = search.focus();
    }
}

/// A value of the browser's one thread (a DOM node, a closure, a render
/// effect) held where Leptos wants `Send` and `Sync`: a reactive owner's
/// cleanup.
///
/// In the widget's wasm (no `atomics`: one thread, and no way to start
/// another) nothing can cross threads, so the bounds hold trivially and
/// nothing is checked. `send_wrapper`'s checks asked `std::thread` for the
/// current thread's id on every access, which brought 1.0 KB (brotli) of
/// thread and `CString` code into the frame's wasm (DECISIONS S8). Built
/// for anything else (the host's `cargo clippy` and tests), it is
/// `send_wrapper`'s, checked as before.
pub(crate) struct OneThread<T>(
    #[cfg(all(target_family = "wasm", not(target_feature = "atomics")))] T,
    #[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
    send_wrapper::SendWrapper<T>,
);

// SAFETY: this build has one thread (see `OneThread`), so no value can be
// sent to, or shared with, another.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
unsafe impl<T> Send for OneThread<T> {}
// SAFETY: as for `Send`.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
unsafe impl<T> Sync for OneThread<T> {}

impl<T> OneThread<T> {
    pub(crate) fn new(value: T) -> Self {
        #[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
        let value = send_wrapper::SendWrapper::new(value);
        Self(value)
    }

    pub(crate) fn get(&self) -> &T {
        &self.0
    }

    pub(crate) fn take(self) -> T {
        #[cfg(not(all(target_family = "wasm", not(target_feature = "atomics"))))]
        return self.0.take();
        #[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
        self.0
    }
}
