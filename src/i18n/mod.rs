//! The languages families read the portal in. Texts live in Fluent files under
//! `src/i18n/locales/<taal>/<deel>.ftl`, one set per language with the same messages
//! (a test holds every language to the Dutch set); code names a message by its id and
//! never holds the text itself. Staff pages stay Dutch and do not use this.
//!
//! Base layer: no HTTP. Which language a request gets is decided in `web::language`.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};

pub use fluent_bundle::FluentValue as Value;

/// The languages of the family pages. Dutch is the portal's own: every message exists in
/// Dutch first, and a message missing elsewhere falls back to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
    Tr,
    Ar,
    Pl,
    Uk,
}

impl Lang {
    pub const ALL: [Lang; 6] = [Lang::Nl, Lang::En, Lang::Tr, Lang::Ar, Lang::Pl, Lang::Uk];

    /// The BCP 47 code (`lang` attribute, the `taal` parameter and cookie).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
            Lang::Tr => "tr",
            Lang::Ar => "ar",
            Lang::Pl => "pl",
            Lang::Uk => "uk",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The language's own name, as its readers look for it in a list.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nl => "Nederlands",
            Lang::En => "English",
            Lang::Tr => "Türkçe",
            Lang::Ar => "العربية",
            Lang::Pl => "Polski",
            Lang::Uk => "Українська",
        }
    }

    /// Writing direction for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        if self == Lang::Ar { "rtl" } else { "ltr" }
    }

    fn index(self) -> usize {
        Lang::ALL.iter().position(|l| *l == self).unwrap_or(0)
    }

    /// The best language of an `Accept-Language` header that the portal has: the highest
    /// q-value, the first listed on a tie; `None` when it names none of them.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for range in header.split(',').take(20) {
            let mut parts = range.split(';').map(str::trim);
            let tag = parts.next().unwrap_or_default();
            let quality = parts
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("q"))
                .map_or(1.0, |(_, q)| q.trim().parse::<f32>().unwrap_or(0.0));
            let primary = tag.split(['-', '_']).next().unwrap_or_default();
            let Some(lang) = Lang::from_code(primary) else {
                continue;
            };
            if quality > 0.0 && best.is_none_or(|(q, _)| quality > q) {
                best = Some((quality, lang));
            }
        }
        best.map(|(_, lang)| lang)
    }
}

/// Each file of a language, by part of the site; the same list for every language.
macro_rules! locale_files {
    ($($part:literal),* $(,)?) => {
        /// The parts of the site with their own message file.
        pub const PARTS: &[&str] = &[$($part),*];

        /// The message files of one language, in the order of [`PARTS`].
        pub fn sources(lang: Lang) -> Vec<&'static str> {
            match lang {
                Lang::Nl => vec![$(include_str!(concat!("locales/nl/", $part, ".ftl"))),*],
                Lang::En => vec![$(include_str!(concat!("locales/en/", $part, ".ftl"))),*],
                Lang::Tr => vec![$(include_str!(concat!("locales/tr/", $part, ".ftl"))),*],
                Lang::Ar => vec![$(include_str!(concat!("locales/ar/", $part, ".ftl"))),*],
                Lang::Pl => vec![$(include_str!(concat!("locales/pl/", $part, ".ftl"))),*],
                Lang::Uk => vec![$(include_str!(concat!("locales/uk/", $part, ".ftl"))),*],
            }
        }
    };
}

locale_files![
    "frame",
    "start",
    "words",
    "catalogue",
    "profiles",
    "family",
    "mail",
    "reports",
    "about",
];

thread_local! {
    static THREAD_LANG: std::cell::Cell<Option<Lang>> = const { std::cell::Cell::new(None) };
}

/// Runs `work` with `lang` as this thread's language: a request's blocking database work
/// (on another thread than the request's task) words its refusals in the page's language.
pub fn with_lang<R>(lang: Option<Lang>, work: impl FnOnce() -> R) -> R {
    let before = THREAD_LANG.with(|l| l.replace(lang));
    let result = work();
    THREAD_LANG.with(|l| l.set(before));
    result
}

/// The language [`with_lang`] set on this thread, if any.
pub fn thread_lang() -> Option<Lang> {
    THREAD_LANG.with(std::cell::Cell::get)
}

type Bundle = FluentBundle<FluentResource>;

fn bundle(lang: Lang) -> Bundle {
    let id = lang
        .code()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // Isolation marks keep a Dutch name or a number in its own direction inside Arabic;
    // left-to-right languages need none (and would carry invisible characters into text).
    bundle.set_use_isolating(lang.dir() == "rtl");
    for (part, source) in PARTS.iter().zip(sources(lang)) {
        // The files are part of the binary and checked by the tests: a syntax error is a
        // defect of the build, found by `every_language_parses`. Whatever parsed is used.
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(resource) => resource,
            Err((resource, errors)) => {
                tracing::error!(
                    lang = lang.code(),
                    part,
                    ?errors,
                    "Fluent file does not parse"
                );
                resource
            }
        };
        if let Err(errors) = bundle.add_resource(resource) {
            tracing::error!(
                lang = lang.code(),
                part,
                ?errors,
                "Fluent message defined twice"
            );
        }
    }
    bundle
}

static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| Lang::ALL.map(bundle).into());

/// Texts in one language: what a page holds to render itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Texts(pub Lang);

impl Texts {
    pub fn lang(self) -> Lang {
        self.0
    }

    /// Whether this language (or Dutch) has the message `id`.
    pub fn has(self, id: &str) -> bool {
        [self.0, Lang::Nl]
            .iter()
            .any(|l| BUNDLES[l.index()].has_message(id))
    }

    /// The message `id` without arguments.
    pub fn msg(self, id: &str) -> String {
        self.fmt(id, &[])
    }

    /// The message `id` with its arguments (`$name` in the file).
    pub fn fmt(self, id: &str, args: &[(&str, Value<'_>)]) -> String {
        for lang in [self.0, Lang::Nl] {
            let bundle = &BUNDLES[lang.index()];
            let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut fluent_args = FluentArgs::with_capacity(args.len());
            for (name, value) in args {
                fluent_args.set(*name, value.clone());
            }
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            if !errors.is_empty() {
                tracing::warn!(lang = lang.code(), id, ?errors, "Fluent message incomplete");
            }
            return text.into_owned();
        }
        tracing::error!(id, "Fluent message missing");
        id.to_owned()
    }

    /// A date as the language writes it: "7 december 2026", "7 December 2026".
    pub fn date(self, date: NaiveDate) -> String {
        let month = self.msg(&format!("month-{}", date.month()));
        self.fmt(
            "date",
            &[
                ("day", Value::from(date.day())),
                ("month", Value::from(month)),
                ("year", Value::from(date.year())),
            ],
        )
    }
}

/// The message ids of one language's files, each with the part it is in.
pub fn message_ids(lang: Lang) -> Vec<(&'static str, String)> {
    let mut ids = Vec::new();
    for (part, source) in PARTS.iter().zip(sources(lang)) {
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(r) | Err((r, _)) => r,
        };
        for entry in resource.entries() {
            if let fluent_syntax::ast::Entry::Message(message) = entry {
                ids.push((*part, message.id.name.to_owned()));
            }
        }
    }
    ids
}

#[cfg(test)]
mod tests;
