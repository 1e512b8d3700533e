//! Query strings read strictly: a parameter we do not know is an error the user sees,
//! not something silently ignored, and empty values (an untouched form field) count as absent.

use super::error::FieldError;

pub struct QueryParams {
    pairs: Vec<(String, String)>,
}

impl QueryParams {
    pub fn parse(query: &str, known: &[&str]) -> Result<Self, Vec<FieldError>> {
        // A family page's language (the frame reads it); Dutch on every other page.
        let t = super::language::texts();
        let mut pairs: Vec<(String, String)> = serde_urlencoded::from_str(query)
            .map_err(|_| vec![FieldError::new("query", t.msg("query-unreadable"))])?;
        pairs.retain(|(key, _)| !is_tracking(key) && key != super::language::PARAMETER);
        let unknown: Vec<FieldError> = pairs
            .iter()
            .filter(|(key, _)| !known.contains(&key.as_str()))
            .map(|(key, _)| {
                FieldError::new(
                    key.clone(),
                    t.fmt("query-unknown", &[("name", shorten(key).into())]),
                )
            })
            .collect();
        if unknown.is_empty() {
            Ok(QueryParams { pairs })
        } else {
            Err(unknown)
        }
    }

    /// The trimmed value of a parameter, `None` when missing or empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.trim())
            .find(|v| !v.is_empty())
    }
}

/// Parameters that newsletters, social media and advertising add to a shared link
/// (`?fbclid=…`, `?utm_source=…`): ignored, so that a family following such a link gets the
/// page, not an error about something it did not type.
fn is_tracking(key: &str) -> bool {
    const KEYS: [&str; 10] = [
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid",
        "mc_eid",
    ];
    key.starts_with("utm_") || KEYS.contains(&key)
}

/// Echoes of user input in messages stay short.
pub fn shorten(text: &str) -> String {
    const MAX: usize = 40;
    if text.chars().count() <= MAX {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(MAX).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_count_as_absent_and_values_are_trimmed() {
        let q = QueryParams::parse(
            "profiel=&gemeente=+delft+&q=",
            &["profiel", "gemeente", "q"],
        )
        .expect("known keys");
        assert_eq!(q.get("profiel"), None);
        assert_eq!(q.get("gemeente"), Some("delft"));
        assert_eq!(q.get("q"), None);
    }

    #[test]
    fn parameters_added_to_shared_links_are_ignored() {
        let q = QueryParams::parse(
            "profiel=3&fbclid=IwAR0abc&utm_source=nieuwsbrief&utm_medium=mail",
            &["profiel"],
        )
        .expect("tracking parameters ignored");
        assert_eq!(q.get("profiel"), Some("3"));
        assert_eq!(q.get("fbclid"), None);
        assert!(QueryParams::parse("utm=x", &["profiel"]).is_err());
        // The language switch's parameter belongs to every page.
        assert!(QueryParams::parse("profiel=3&taal=ar", &["profiel"]).is_ok());
    }

    #[test]
    fn unknown_parameters_are_named_in_the_error() {
        let errors = QueryParams::parse("profiel=3&kleur=rood", &["profiel"])
            .err()
            .expect("unknown key refused");
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "kleur");
        assert!(errors[0].message.contains("'kleur'"));
    }

    #[test]
    fn long_input_is_shortened_in_messages() {
        assert_eq!(shorten(&"a".repeat(100)).chars().count(), 41);
    }
}
