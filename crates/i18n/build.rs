//! Finds the locales: every file in `src/locales/` is one, named
//! after its module, so adding a locale is adding its file. Writes the
//! `locales!` call that `src/lib.rs` includes; English comes first and
//! is the default, the others follow by file name.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let folder = Path::new(&manifest).join("src/locales");
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut modules: Vec<String> = std::fs::read_dir(&folder)
        .expect("src/locales is readable")
        .map(|entry| entry.expect("src/locales is readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
        .filter(|module| module != "mod")
        .collect();
    modules.sort_by_key(|module| (module != "en", module.clone()));
    assert_eq!(
        modules.first().map(String::as_str),
        Some("en"),
        "src/locales/en.rs, the fallback, is missing"
    );
    let mut modules_text = String::new();
    let mut call = String::from("locales! {\n");
    for module in &modules {
        let path = folder.join(format!("{module}.rs"));
        let summary = std::fs::read_to_string(&path)
            .expect("a locale file is readable")
            .lines()
            .next()
            .and_then(|line| line.strip_prefix("//!"))
            .map(first_sentence)
            .unwrap_or_default();
        let variant: String = module
            .split('_')
            .map(|part| {
                let mut chars = part.chars();
                chars
                    .next()
                    .map(|c| c.to_ascii_uppercase())
                    .into_iter()
                    .chain(chars)
                    .collect::<String>()
            })
            .collect();
        let default = if module == "en" { "#[default] " } else { "" };
        writeln!(
            modules_text,
            "#[path = {:?}]\nmod {module};",
            path.display().to_string()
        )
        .expect("writing to a String");
        writeln!(
            call,
            "    #[doc = {summary:?}] {default}{variant} = {module};"
        )
        .expect("writing to a String");
    }
    call.push_str("}\n");
    let out = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("locales.rs");
    std::fs::write(out, modules_text + &call).expect("OUT_DIR is writable");
}

/// A locale file's summary for the variant's doc: its first line, up to the
/// first full stop.
fn first_sentence(line: &str) -> String {
    let line = line.trim();
    line.find(". ").map_or(line, |end| &line[..=end]).to_owned()
}
