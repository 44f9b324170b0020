//! Writes the words file of every locale but English into a folder, as
//! `<tag>.txt`: what the link frame's build (`words-on-demand`) fetches
//! from its own origin. `scripts/bundle.mjs` names each by its content.
//!
//! ```text
//! cargo run -q -p keet-link-i18n --example words -- <folder>
//! ```

use keet_link_i18n::Locale;

fn main() {
    let folder = std::env::args()
        .nth(1)
        .expect("usage: words <folder>, where the words files go");
    std::fs::create_dir_all(&folder).expect("the folder can be made");
    for (tag, words) in Locale::words_files() {
        let path = std::path::Path::new(&folder).join(format!("{tag}.txt"));
        std::fs::write(&path, words).expect("the folder is writable");
    }
}
