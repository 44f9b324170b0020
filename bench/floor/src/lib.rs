//! A counter: one signal, one button, one text, mounted on the body.

use leptos::prelude::*;
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen(start)]
pub fn start() {
    let count = RwSignal::new(0);
    leptos::mount::mount_to_body(move || {
        view! {
            <button on:click=move |_| count.update(|n| *n += 1)>
                "Clicked " {move || count.get()} " times"
            </button>
        }
    });
}
