//! The one way to write translated text, on the server and in the browser.
//!
//! Every text lives in Fluent files, `app/locales/<language>/*.ftl`, embedded
//! at compile time into both builds (`build.rs` rebuilds when they change and
//! refuses files that do not parse). Code asks for a message by key in a
//! [`Language`]: [`tr`] with values, [`text`] without. Grammar that differs
//! between languages (plurals, elision, whose booking it is) is written as
//! Fluent selectors in the files, never as branches in Rust, so a language is
//! a folder: add `app/locales/de/` with the same messages as `en/` and German
//! is offered everywhere, its name in pickers being its `language-name`.
//!
//! Values are plain text, and so is every message: callers that write HTML
//! escape the whole result.

use fluent_templates::fluent_bundle::{FluentArgs, FluentValue};
use fluent_templates::{LanguageIdentifier, Loader};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, Mutex, PoisonError};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| {
            // Fluent wraps every value in bidi isolation marks (U+2068/U+2069)
            // by default; they would end up in emails, SMS and subjects.
            bundle.set_use_isolating(false);
            // These only fail for a name a bundle already has, and these are its
            // first functions; a missing one would show in the i18n tests.
            let _ = bundle.add_builtins();
            let _ = bundle.add_function("CAPITALIZE", capitalize);
            let _ = bundle.add_function("INITIAL", initial);
        },
    };
}

/// One loaded language.
pub(crate) struct Locale {
    pub code: String,
    pub id: LanguageIdentifier,
    /// Its own name, from its `language-name` message.
    pub name: String,
}

/// The languages the loader has, the fallback first (so it is what pickers
/// show first), then by code, so the order never depends on a hash map.
static AVAILABLE: LazyLock<Vec<Locale>> = LazyLock::new(|| {
    let fallback = LOCALES.fallback().clone();
    let mut ids: Vec<LanguageIdentifier> = LOCALES.locales().cloned().collect();
    ids.sort_by_key(|id| (*id != fallback, id.to_string()));
    ids.into_iter()
        .map(|id| {
            let code = id.to_string();
            let name = LOCALES
                .lookup_single_language::<&str>(&id, "language-name", None)
                .unwrap_or_else(|_| code.clone());
            Locale { code, id, name }
        })
        .collect()
});

/// Every loaded language; index 0 is the fallback.
pub(crate) fn locales() -> &'static [Locale] {
    &AVAILABLE
}

/// A language we have translations for: one folder of `app/locales` (see
/// `i18n`), so a new folder is a new language without touching this type.
/// Travels and is stored as its code ("en", "fr").
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Language(usize);

/// ISO 639-2 codes (bibliographic and terminology) of the languages a
/// locale folder might hold, with their ISO 639-1 code.
const ISO_639_2: &[(&str, &str)] = &[
    ("eng", "en"),
    ("fra", "fr"),
    ("fre", "fr"),
    ("deu", "de"),
    ("ger", "de"),
    ("spa", "es"),
    ("ita", "it"),
    ("nld", "nl"),
    ("dut", "nl"),
    ("por", "pt"),
];

impl Language {
    /// A language code we have translations for; empty means the fallback.
    /// Case and surrounding spaces do not matter ("FR" is "fr").
    pub fn parse(raw: &str) -> Result<Self, String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Ok(Self::fallback());
        }
        // Integrators are told to add `&lang=eng` (ISO 639-2) to a tracking
        // link: three-letter codes name the same languages as two-letter ones.
        let raw = ISO_639_2
            .iter()
            .find(|(three, _)| three.eq_ignore_ascii_case(raw))
            .map_or(raw, |(_, two)| two);
        let wanted = raw.parse::<fluent_templates::LanguageIdentifier>().ok();
        locales()
            .iter()
            .position(|l| Some(&l.id) == wanted.as_ref())
            .map(Self)
            .ok_or_else(|| {
                let offered: Vec<String> = Self::all().iter().map(|l| format!("{} ({})", l.name(), l.code())).collect();
                format!("Please choose one of the languages offered: {}.", offered.join(", "))
            })
    }

    pub fn code(self) -> &'static str {
        &self.locale().code
    }

    /// The language a browser prefers most among ours, from its
    /// `Accept-Language` header ("fr-CH, fr;q=0.9, en;q=0.8"): by quality,
    /// then by order; a regional tag matches its language ("fr-CA" is fr);
    /// `q=0` means "not this one".
    pub fn negotiate(accept_language: &str) -> Option<Self> {
        let mut wanted: Vec<(u16, usize, Self)> = accept_language
            .split(',')
            .enumerate()
            .filter_map(|(order, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let quality = parts.filter_map(|p| p.trim().strip_prefix("q=")).next().map_or(Some(1000), |q| {
                    q.trim().parse::<f32>().ok().map(|q| (q.clamp(0.0, 1.0) * 1000.0) as u16)
                })?;
                let primary = tag.split('-').next()?.trim();
                let language = Self::all().into_iter().find(|l| l.code().eq_ignore_ascii_case(primary))?;
                (quality > 0).then_some((quality, order, language))
            })
            .collect();
        wanted.sort_by_key(|(q, order, _)| (std::cmp::Reverse(*q), *order));
        wanted.first().map(|w| w.2)
    }

    /// The language's name in itself ("Français"), for pickers.
    pub fn name(self) -> &'static str {
        &self.locale().name
    }

    /// English: what is read when nothing else is known, and what staff read.
    pub fn fallback() -> Self {
        // `i18n` lists the fallback first.
        Self(0)
    }

    /// Every language we have, the fallback first, for pickers.
    pub fn all() -> Vec<Self> {
        (0..locales().len()).map(Self).collect()
    }

    pub(crate) fn locale(self) -> &'static Locale {
        // Only `parse`, `fallback` and `all` make a `Language`, each from a
        // position in the list, which never changes once loaded.
        &locales()[self.0]
    }
}

/// Stored as its code. A code this build has no translations for (a language
/// removed since) fails to decode, loudly, rather than reading as another.
#[cfg(feature = "ssr")]
mod stored {
    use super::Language;
    use sqlx::encode::IsNull;
    use sqlx::error::BoxDynError;
    use sqlx::{Database, Decode, Encode, Sqlite, Type};

    impl Type<Sqlite> for Language {
        fn type_info() -> <Sqlite as Database>::TypeInfo {
            <str as Type<Sqlite>>::type_info()
        }
        fn compatible(ty: &<Sqlite as Database>::TypeInfo) -> bool {
            <&str as Type<Sqlite>>::compatible(ty)
        }
    }

    impl<'q> Encode<'q, Sqlite> for Language {
        fn encode_by_ref(&self, buf: &mut <Sqlite as Database>::ArgumentBuffer) -> Result<IsNull, BoxDynError> {
            <&str as Encode<'q, Sqlite>>::encode_by_ref(&self.code(), buf)
        }
    }

    impl<'r> Decode<'r, Sqlite> for Language {
        fn decode(value: <Sqlite as Database>::ValueRef<'r>) -> Result<Self, BoxDynError> {
            let code = <&str as Decode<'r, Sqlite>>::decode(value)?;
            Language::parse(code).map_err(|_| format!("no translations for the stored language {code:?}").into())
        }
    }
}

impl std::fmt::Debug for Language {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Language").field(&self.code()).finish()
    }
}

impl Serialize for Language {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Language::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// The values a message interpolates, by name: `$store` is `"store"`.
/// Yes/no conditions are flags ([`Args::with_flag`]), which messages select on:
/// `{ $can-cancel -> [yes] … *[no] … }`.
#[derive(Clone, Debug, Default)]
pub struct Args<'a>(HashMap<Cow<'static, str>, FluentValue<'a>>);

impl<'a> Args<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<FluentValue<'a>>) -> Self {
        self.set(name, value);
        self
    }

    pub fn with_flag(self, name: impl Into<Cow<'static, str>>, on: bool) -> Self {
        self.with(name, flag(on))
    }

    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<FluentValue<'a>>) -> &mut Self {
        self.0.insert(name.into(), value.into());
        self
    }

    pub fn set_flag(&mut self, name: impl Into<Cow<'static, str>>, on: bool) -> &mut Self {
        self.set(name, flag(on))
    }
}

fn flag(on: bool) -> &'static str {
    if on {
        "yes"
    } else {
        "no"
    }
}

/// The message `key` in `lang` with `args`.
///
/// A message that is missing or fails to format (a value it needs was not
/// given) is logged and read in the fallback language; failing there too, the
/// key itself is shown. Unit tests panic instead, so every render test also
/// checks its texts in every language it renders.
pub fn tr(lang: Language, key: &str, args: &Args) -> String {
    lookup(lang, key, Some(args))
}

/// The message `key` in `lang`, for messages without values.
pub fn text(lang: Language, key: &str) -> String {
    lookup(lang, key, None)
}

/// `key` in the fallback language, formatted once and kept for the life of
/// the program, for APIs that hand out `&'static str` (staff labels). The
/// keys are literals, so what is kept is bounded by the messages that exist.
pub fn fallback_text(key: &'static str) -> &'static str {
    static TEXTS: LazyLock<Mutex<HashMap<&'static str, &'static str>>> = LazyLock::new(Default::default);
    let mut texts = TEXTS.lock().unwrap_or_else(PoisonError::into_inner);
    texts
        .entry(key)
        .or_insert_with(|| Box::leak(text(Language::fallback(), key).into_boxed_str()))
}

/// Formats `key` in `lang` alone (no fallback), with why it failed.
pub fn try_tr(lang: Language, key: &str, args: Option<&Args>) -> Result<String, String> {
    LOCALES
        .lookup_single_language(&lang.locale().id, key, args.map(|a| &a.0))
        .map_err(|e| format!("{}/{key}: {e}", lang.code()))
}

fn lookup(lang: Language, key: &str, args: Option<&Args>) -> String {
    match try_tr(lang, key, args) {
        Ok(s) => s,
        Err(problem) => {
            #[cfg(test)]
            panic!("{problem}");
            #[cfg(not(test))]
            {
                #[cfg(feature = "ssr")]
                tracing::warn!(%problem, "translation failed");
                #[cfg(not(feature = "ssr"))]
                leptos::logging::warn!("translation failed: {problem}");
                let fallback = Language::fallback();
                if lang != fallback {
                    if let Ok(s) = try_tr(fallback, key, args) {
                        return s;
                    }
                }
                key.to_string()
            }
        }
    }
}

/// `CAPITALIZE(text)`: the text with its first letter upper-cased, for a
/// fragment that starts a sentence ("Your appointment …").
fn capitalize<'a>(positional: &[FluentValue<'a>], _named: &FluentArgs) -> FluentValue<'a> {
    match positional.first() {
        Some(FluentValue::String(s)) => {
            let mut chars = s.chars();
            match chars.next() {
                Some(first) => FluentValue::from(first.to_uppercase().chain(chars).collect::<String>()),
                None => FluentValue::from(""),
            }
        }
        Some(other) => other.clone(),
        None => FluentValue::Error,
    }
}

/// `INITIAL(text)`: `vowel` when the text starts with a vowel letter (a, e, i,
/// o, u, y, accented or not, æ, œ), else `other`; for elision, as in French
/// "d'Alice" but "de Marc". (An initial h is `other`: whether it elides
/// depends on the word.)
fn initial<'a>(positional: &[FluentValue<'a>], _named: &FluentArgs) -> FluentValue<'a> {
    const VOWELS: &str = "aeiouyàâäéèêëîïôöùûüœæ";
    let first = match positional.first() {
        Some(FluentValue::String(s)) => s.chars().next(),
        _ => None,
    };
    let vowel = first.is_some_and(|c| c.to_lowercase().any(|l| VOWELS.contains(l)));
    FluentValue::from(if vowel { "vowel" } else { "other" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use fluent_syntax::ast;

    #[test]
    fn a_language_is_one_we_have_and_empty_means_the_fallback() {
        assert_eq!(Language::parse("fr").unwrap().code(), "fr");
        assert_eq!(Language::parse(" FR ").unwrap().code(), "fr");
        assert_eq!(Language::parse("").unwrap(), Language::fallback());
        assert!(Language::parse("xx").is_err());
        // What the Booxi document tells integrators to append to a tracking link.
        assert_eq!(Language::parse("fra").unwrap().code(), "fr");
        assert_eq!(Language::parse("fre").unwrap().code(), "fr");
        assert_eq!(Language::parse("ENG").unwrap().code(), "en");
        assert!(Language::parse("deu").is_err(), "a language we have no folder for");
    }

    #[test]
    fn the_browsers_most_wanted_language_among_ours_is_chosen() {
        let code = |header: &str| Language::negotiate(header).map(|l| l.code());
        for (header, expected) in [
            ("fr", Some("fr")),
            ("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5", Some("fr")),
            ("de-DE, fr-CA;q=0.8, en;q=0.9", Some("en")),
            ("en-GB,en;q=0.9", Some("en")),
            ("de, es", None),
            ("fr;q=0, en;q=0.1", Some("en")),
            ("FR-be", Some("fr")),
            ("", None),
            ("fr;q=abc, en", Some("en")),
            ("en;q=0.5, fr;q=0.5", Some("en")),
        ] {
            assert_eq!(code(header), expected, "{header:?}");
        }
    }
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    fn locales_dir() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("locales")
    }

    fn ftl_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                ftl_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "ftl") {
                out.push(path);
            }
        }
    }

    /// Each locale folder's messages, read from the files, with the variables each uses.
    fn read_locales() -> Vec<(String, Vec<ast::Message<String>>)> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(locales_dir()).unwrap().flatten() {
            if !entry.path().is_dir() {
                continue;
            }
            let mut files = Vec::new();
            ftl_files(&entry.path(), &mut files);
            let mut messages = Vec::new();
            for file in files {
                let source = std::fs::read_to_string(&file).unwrap();
                let resource = fluent_syntax::parser::parse(source).unwrap_or_else(|(_, e)| panic!("{}: {e:?}", file.display()));
                for item in resource.body {
                    if let ast::Entry::Message(m) = item {
                        messages.push(m);
                    }
                }
            }
            out.push((entry.file_name().to_string_lossy().into_owned(), messages));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        out
    }

    fn ids(messages: &[ast::Message<String>]) -> BTreeSet<String> {
        messages.iter().map(|m| m.id.name.clone()).collect()
    }

    #[test]
    fn every_locale_folder_is_loaded_and_has_the_same_messages_as_english() {
        let folders = read_locales();
        let english = folders.iter().find(|(code, _)| code == "en").expect("locales/en");
        let english_ids = ids(&english.1);
        for (code, messages) in &folders {
            let theirs = ids(messages);
            let missing: Vec<_> = english_ids.difference(&theirs).collect();
            let extra: Vec<_> = theirs.difference(&english_ids).collect();
            assert!(missing.is_empty(), "locales/{code} lacks {missing:?}");
            assert!(extra.is_empty(), "locales/{code} has messages English does not: {extra:?}");
        }
        let loaded: BTreeSet<&str> = Language::all().iter().map(|l| l.code()).collect();
        let on_disk: BTreeSet<&str> = folders.iter().map(|(code, _)| code.as_str()).collect();
        assert_eq!(loaded, on_disk, "every folder is a language, and only those");
    }

    fn variables(messages: &[ast::Message<String>]) -> BTreeSet<String> {
        fn in_pattern(p: &ast::Pattern<String>, out: &mut BTreeSet<String>) {
            for element in &p.elements {
                if let ast::PatternElement::Placeable { expression } = element {
                    in_expression(expression, out);
                }
            }
        }
        fn in_expression(e: &ast::Expression<String>, out: &mut BTreeSet<String>) {
            match e {
                ast::Expression::Select { selector, variants } => {
                    in_inline(selector, out);
                    for v in variants {
                        in_pattern(&v.value, out);
                    }
                }
                ast::Expression::Inline(i) => in_inline(i, out),
            }
        }
        fn in_inline(i: &ast::InlineExpression<String>, out: &mut BTreeSet<String>) {
            match i {
                ast::InlineExpression::VariableReference { id } => {
                    out.insert(id.name.clone());
                }
                ast::InlineExpression::FunctionReference { arguments, .. } => {
                    for a in &arguments.positional {
                        in_inline(a, out);
                    }
                }
                ast::InlineExpression::Placeable { expression } => in_expression(expression, out),
                _ => {}
            }
        }
        let mut out = BTreeSet::new();
        for m in messages {
            if let Some(p) = &m.value {
                in_pattern(p, &mut out);
            }
        }
        out
    }

    /// Values for every variable the files use: numbers where a message
    /// selects on or formats a number, flags for yes/no conditions, else text.
    /// `first` picks one side of each choice, the other run the other side.
    fn representative_args(names: &BTreeSet<String>, first: bool) -> Args<'static> {
        let mut args = Args::new();
        for name in names {
            let name = name.clone();
            match name.as_str() {
                "weekday" => args.set(name, if first { 1 } else { 7 }),
                "month" => args.set(name, if first { 1 } else { 12 }),
                "day" => args.set(name, if first { 1 } else { 24 }),
                "year" => args.set(name, 2026),
                "hour" | "hours" => args.set(name, if first { 1 } else { 14 }),
                n if n == "attendee" || n.starts_with("has-") || n.starts_with("can-") => args.set_flag(name, first),
                // A vowel, then a consonant, for the elision selectors.
                _ => args.set(name, if first { "Alice" } else { "Marc" }),
            };
        }
        args
    }

    #[test]
    fn every_message_formats_in_every_language_on_every_branch() {
        let folders = read_locales();
        let mut names = BTreeSet::new();
        for (_, messages) in &folders {
            names.extend(variables(messages));
        }
        for lang in Language::all() {
            let (_, messages) = folders.iter().find(|(code, _)| code == lang.code()).unwrap();
            for first in [true, false] {
                let args = representative_args(&names, first);
                for id in ids(messages) {
                    let out = try_tr(lang, &id, Some(&args)).unwrap_or_else(|e| panic!("{e}"));
                    assert!(!out.trim().is_empty(), "{}/{id} is empty", lang.code());
                    assert!(
                        !out.contains('\u{2068}') && !out.contains('\u{2069}'),
                        "{}/{id} has isolation marks",
                        lang.code()
                    );
                    assert!(!out.contains("()"), "{}/{id} calls an unknown function: {out}", lang.code());
                }
            }
        }
    }

    #[test]
    fn languages_are_the_folders_with_their_own_names() {
        let fr = Language::parse("fr").unwrap();
        assert_eq!(fr.code(), "fr");
        assert_eq!(fr.name(), "Français");
        assert_eq!(Language::parse(" FR ").unwrap(), fr);
        assert_eq!(Language::parse("").unwrap(), Language::fallback());
        assert_eq!(Language::fallback().code(), "en");
        assert_eq!(Language::fallback().name(), "English");
        assert_eq!(Language::all()[0], Language::fallback());
        let refused = Language::parse("xx").unwrap_err();
        assert!(refused.contains("English") && refused.contains("Français"), "{refused}");
        assert!(Language::parse("<script>").is_err());
        assert_eq!(serde_json::to_string(&fr).unwrap(), "\"fr\"");
        assert_eq!(serde_json::from_str::<Language>("\"fr\"").unwrap(), fr);
        assert!(serde_json::from_str::<Language>("\"xx\"").is_err());
    }

    #[test]
    fn selectors_and_functions() {
        let en = Language::fallback();
        let fr = Language::parse("fr").unwrap();
        let hours = |lang, n: i64| tr(lang, "refusal-past-cutoff", &Args::new().with("hours", n));
        assert!(hours(en, 1).contains("close 1 hour before"));
        assert!(hours(en, 2).contains("close 2 hours before"));
        assert!(hours(fr, 1).contains("ferment 1 h avant"));
        let of = |client: &str| {
            let args = Args::new()
                .with("store", client)
                .with("client", client)
                .with("when", "mardi")
                .with("service", "Coupe");
            tr(fr, "bell-awaiting-assignment-body", &args)
        };
        assert!(of("Omar").starts_with("La demande d'Omar "));
        assert!(of("Élodie").starts_with("La demande d'Élodie "));
        assert!(of("Marc").starts_with("La demande de Marc "));
        assert!(of("Hugo").starts_with("La demande de Hugo "));
        let args = Args::new().with("store", "atelier").with_flag("attendee", false);
        assert_eq!(tr(fr, "message-store-reply-intro", &args), "Atelier a répondu à votre message :");
        assert_eq!(tr(en, "message-store-reply-intro", &args), "atelier answered your message:");
    }
}
