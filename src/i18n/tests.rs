use std::collections::{BTreeMap, BTreeSet};

use fluent_bundle::FluentResource;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, Pattern, PatternElement};

use super::*;

#[test]
fn every_language_parses() {
    for lang in Lang::ALL {
        for (part, source) in PARTS.iter().zip(sources(lang)) {
            if let Err((_, errors)) = FluentResource::try_new(source.to_owned()) {
                panic!("{}/{part}.ftl does not parse: {errors:?}", lang.code());
            }
        }
    }
}

fn variables_of(pattern: &Pattern<&str>, into: &mut BTreeSet<String>) {
    fn inline(e: &InlineExpression<&str>, into: &mut BTreeSet<String>) {
        match e {
            InlineExpression::VariableReference { id } => {
                into.insert(id.name.to_owned());
            }
            InlineExpression::Placeable { expression } => expression_vars(expression, into),
            _ => {}
        }
    }
    fn expression_vars(e: &Expression<&str>, into: &mut BTreeSet<String>) {
        match e {
            Expression::Inline(e) => inline(e, into),
            Expression::Select { selector, variants } => {
                inline(selector, into);
                for v in variants {
                    variables_of(&v.value, into);
                }
            }
        }
    }
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_vars(expression, into);
        }
    }
}

/// Each message of a language with the variables it uses, by part.
fn messages(lang: Lang) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out = BTreeMap::new();
    for (part, source) in PARTS.iter().zip(sources(lang)) {
        let resource = match FluentResource::try_new(source.to_owned()) {
            Ok(r) | Err((r, _)) => r,
        };
        for entry in resource.entries() {
            if let Entry::Message(m) = entry {
                let mut vars = BTreeSet::new();
                if let Some(value) = &m.value {
                    variables_of(value, &mut vars);
                }
                let key = ((*part).to_owned(), m.id.name.to_owned());
                assert!(
                    out.insert(key, vars).is_none(),
                    "{}/{part}.ftl defines {} twice",
                    lang.code(),
                    m.id.name
                );
            }
        }
    }
    out
}

#[test]
fn every_message_exists_in_every_language_with_the_same_variables() {
    let dutch = messages(Lang::Nl);
    assert!(dutch.len() > 50, "{}", dutch.len());
    for lang in Lang::ALL {
        let other = messages(lang);
        let missing: Vec<_> = dutch.keys().filter(|k| !other.contains_key(*k)).collect();
        let extra: Vec<_> = other.keys().filter(|k| !dutch.contains_key(*k)).collect();
        assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code());
        assert!(
            extra.is_empty(),
            "{} has more than Dutch: {extra:?}",
            lang.code()
        );
        for (key, vars) in &dutch {
            assert_eq!(
                &other[key],
                vars,
                "{} uses other variables in {key:?}",
                lang.code()
            );
        }
    }
}

#[test]
fn a_message_id_is_defined_once_across_parts() {
    let mut seen = BTreeMap::new();
    for (part, id) in message_ids(Lang::Nl) {
        if let Some(first) = seen.insert(id.clone(), part) {
            panic!("{id} is in {first}.ftl and {part}.ftl");
        }
    }
}

/// Every message the code names (`msg("…")`, `fmt("…"`) exists: a page never shows an id.
#[test]
fn every_message_the_code_names_exists() {
    let ids: BTreeSet<String> = message_ids(Lang::Nl)
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    let mut named = 0;
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("i18n/tests.rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).expect("source");
            for call in ["msg(\"", "fmt(\""] {
                for (at, _) in source.match_indices(call) {
                    let rest = &source[at + call.len()..];
                    let id = &rest[..rest.find('"').unwrap_or(0)];
                    named += 1;
                    assert!(
                        ids.contains(id),
                        "{} names {id}, which no file defines",
                        path.display()
                    );
                }
            }
        }
    }
    assert!(named > 30, "{named}");
}

#[test]
fn a_message_comes_out_in_its_language() {
    assert_eq!(Texts(Lang::Nl).msg("menu-search"), "Zoek hulp");
    assert_eq!(Texts(Lang::En).msg("menu-search"), "Find help");
    // A message that does not exist shows its id (and the test above keeps that from
    // happening on a page).
    assert_eq!(Texts(Lang::Pl).msg("bestaat-niet"), "bestaat-niet");
    let day = NaiveDate::from_ymd_opt(2026, 3, 9).expect("date");
    assert_eq!(Texts(Lang::Nl).date(day), "9 maart 2026");
    assert_eq!(Texts(Lang::En).date(day), "9 March 2026");
    // Arabic keeps the Dutch number in its own direction.
    assert!(Texts(Lang::Ar).date(day).contains('\u{2068}'));
}

#[test]
fn the_browser_languages_choose_the_best_one_we_have() {
    assert_eq!(
        Lang::from_accept_language("en-US,en;q=0.9,nl;q=0.8"),
        Some(Lang::En)
    );
    assert_eq!(
        Lang::from_accept_language("de, ar-MA;q=0.5"),
        Some(Lang::Ar)
    );
    assert_eq!(
        Lang::from_accept_language("pl;q=0.2, tr;q=0.7"),
        Some(Lang::Tr)
    );
    assert_eq!(Lang::from_accept_language("uk;q=0, de"), None);
    assert_eq!(Lang::from_accept_language(""), None);
    assert_eq!(Lang::from_accept_language("*"), None);
}
