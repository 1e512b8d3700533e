//! The domain's words and numbers on a family page, in the page's language. The messages
//! are named after the stored codes (`indicator-uitval`, `setting-verblijf`); in Dutch
//! each says exactly what the domain's own `label()` says (a test holds them together), so
//! staff pages, which read `label()`, and family pages never differ.

use crate::domain::indicator::{Comparison, Indicator};
use crate::domain::provider::Setting;
use crate::i18n::{Lang, Texts, Value};

pub fn indicator(t: Texts, code: Indicator) -> String {
    t.msg(&format!("indicator-{}", code.as_str()))
}

/// What the figure beside the value is the share of, where there is one.
pub fn indicator_extra(t: Texts, code: Indicator) -> Option<String> {
    code.extra_label()
        .map(|_| t.msg(&format!("indicator-extra-{}", code.as_str())))
}

pub fn comparison(t: Texts, c: Comparison) -> String {
    t.msg(&format!("comparison-{}", c.as_str()))
}

pub fn setting(t: Texts, s: Setting) -> String {
    t.msg(&format!("setting-{}", s.as_str()))
}

/// A waiting time in weeks: "geen wachttijd", "1 week", "3 weken".
pub fn weeks(t: Texts, n: i32) -> String {
    t.fmt("weeks", &[("count", Value::from(n))])
}

/// A score's value as the language writes it: "85%", a mark "7,8" (English: "7.8").
pub fn value(t: Texts, code: Indicator, value: f64) -> String {
    let dutch = code.format(value);
    if t.lang() == Lang::En {
        dutch.replace(',', ".")
    } else {
        dutch
    }
}

/// An amount in euro: "€ 1.150,00"; in English "€ 1,150.00".
pub fn euro(t: Texts, cents: i64) -> String {
    let dutch = super::text::euro(cents);
    if t.lang() == Lang::En {
        dutch
            .chars()
            .map(|c| match c {
                '.' => ',',
                ',' => '.',
                c => c,
            })
            .collect()
    } else {
        dutch
    }
}

/// A count: the Dutch thousands dot, a comma in English, a space elsewhere.
pub fn number(t: Texts, n: u64) -> String {
    let dutch = super::text::number_nl(n);
    match t.lang() {
        Lang::Nl => dutch,
        Lang::En => dutch.replace('.', ","),
        _ => dutch.replace('.', "\u{a0}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_dutch_the_words_are_the_domains_own() {
        let nl = Texts(Lang::Nl);
        for code in Indicator::ALL {
            assert_eq!(indicator(nl, *code), code.label());
            assert_eq!(indicator_extra(nl, *code).as_deref(), code.extra_label());
        }
        for c in Comparison::ALL {
            assert_eq!(comparison(nl, *c), c.label());
        }
        for s in Setting::ALL {
            assert_eq!(setting(nl, *s), s.label());
        }
        for n in [0, 1, 2, 12] {
            assert_eq!(weeks(nl, n), super::super::text::weeks_nl(n));
        }
    }

    #[test]
    fn every_language_has_the_words() {
        for lang in Lang::ALL {
            let t = Texts(lang);
            for code in Indicator::ALL {
                assert_ne!(indicator(t, *code), format!("indicator-{}", code.as_str()));
            }
            for s in Setting::ALL {
                assert_ne!(setting(t, *s), format!("setting-{}", s.as_str()));
            }
            for c in Comparison::ALL {
                assert_ne!(comparison(t, *c), format!("comparison-{}", c.as_str()));
            }
            assert!(weeks(t, 3).contains('3'), "{lang:?}");
        }
        assert_eq!(weeks(Texts(Lang::En), 1), "1 week");
        assert_eq!(weeks(Texts(Lang::En), 4), "4 weeks");
        assert_eq!(
            value(Texts(Lang::En), Indicator::Clienttevredenheid, 7.84),
            "7.8"
        );
        assert_eq!(number(Texts(Lang::En), 12500), "12,500");
    }
}
