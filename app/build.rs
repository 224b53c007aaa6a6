//! Makes the translations part of the build.
//!
//! `i18n.rs` embeds every `locales/<language>/*.ftl` file when the crate
//! compiles. The embedding macro tracks the files it read, but not the
//! folder: watching `locales/` here also rebuilds the crate when a file or a
//! whole language is added. And the embedded files are parsed when the
//! program first looks a text up, where a syntax error or a message defined
//! twice would panic; checking both here turns them into a build error.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

const LOCALES: &str = "locales";

fn main() {
    println!("cargo:rerun-if-changed={LOCALES}");
    let problems = check_locales(Path::new(LOCALES));
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("error: {p}");
        }
        eprintln!("{} problem(s) in the translation files under app/{LOCALES}", problems.len());
        std::process::exit(1);
    }
}

fn check_locales(root: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let entries = match std::fs::read_dir(root) {
        Ok(entries) => entries,
        Err(e) => return vec![format!("cannot read {}: {e}", root.display())],
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            check_language(&path, &mut problems);
        }
    }
    problems
}

/// One language folder: every file parses, and no message or term is defined
/// in two places (the loader puts a language's files into one bundle).
fn check_language(dir: &Path, problems: &mut Vec<String>) {
    let mut files = Vec::new();
    ftl_files(dir, &mut files);
    files.sort();
    let mut defined = HashSet::new();
    for file in files {
        let source = match std::fs::read_to_string(&file) {
            Ok(s) => s,
            Err(e) => {
                problems.push(format!("{}: {e}", file.display()));
                continue;
            }
        };
        let resource = match fluent_syntax::parser::parse(source.as_str()) {
            Ok(resource) => resource,
            Err((_, errors)) => {
                for e in errors {
                    let line = source.get(..e.pos.start).map_or(0, |s| s.matches('\n').count()) + 1;
                    problems.push(format!("{}:{line}: {:?}", file.display(), e.kind));
                }
                continue;
            }
        };
        for entry in resource.body {
            let id = match entry {
                fluent_syntax::ast::Entry::Message(m) => m.id.name.to_string(),
                fluent_syntax::ast::Entry::Term(t) => format!("-{}", t.id.name),
                _ => continue,
            };
            if !defined.insert(id.clone()) {
                problems.push(format!("{}: `{id}` is defined twice in {}", file.display(), dir.display()));
            }
        }
    }
}

fn ftl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            ftl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "ftl") {
            out.push(path);
        }
    }
}
