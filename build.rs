//! The modal's stylesheet, minified for the wasm: `src/widget/style.css`
//! stays the one source, commented for people; the wasm carries
//! `$OUT_DIR/style.min.css` (2,142 to 1,702 B brotli on its own). A
//! browser test (`tests/browser.rs`) holds the two to the same rules, as
//! the CSSOM serialises them.

use std::{env, fs, path::Path};

const SOURCE: &str = "src/widget/style.css";

fn main() {
    println!("cargo:rerun-if-changed={SOURCE}");
    let css =
        fs::read_to_string(SOURCE).unwrap_or_else(|error| panic!("reading {SOURCE}: {error}"));
    let out_dir = env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    let out = Path::new(&out_dir).join("style.min.css");
    fs::write(&out, minify(&css))
        .unwrap_or_else(|error| panic!("writing {}: {error}", out.display()));
}

/// `css` without comments and without the whitespace CSS does not read: a
/// run of it becomes one space, or none beside `{ } ; >` or after `:`,
/// and a block's last `;` goes. Quoted strings are copied as written.
/// The space after a comma stays: a custom property keeps its value's text
/// as written (`--line: light-dark(#d1d5db, #4b5563)`), so dropping it
/// there would change what the CSSOM reads. Conservative on purpose: a
/// comment counts as nothing, so `.a/**/.b` would join (this stylesheet
/// has none).
fn minify(css: &str) -> String {
    const NO_SPACE_AROUND: &[char] = &['{', '}', ';', '>'];
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        if c == '/' && chars.peek() == Some(&'*') {
            chars.next();
            let mut previous = '\0';
            for c in chars.by_ref() {
                if previous == '*' && c == '/' {
                    break;
                }
                previous = c;
            }
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        let after_tight = out.ends_with(NO_SPACE_AROUND) || out.ends_with(':');
        if space && !out.is_empty() && !after_tight && !NO_SPACE_AROUND.contains(&c) {
            out.push(' ');
        }
        space = false;
        if c == '}' && out.ends_with(';') {
            out.pop();
        }
        out.push(c);
        if c == '"' || c == '\'' {
            while let Some(inner) = chars.next() {
                out.push(inner);
                if inner == '\\' {
                    out.extend(chars.next());
                } else if inner == c {
                    break;
                }
            }
        }
    }
    out
}
