//! Text helpers shared by every feature: slugs, search normalisation, Dutch formatting.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower case without accents, so that "Cliënt" and "client" match on every backend.
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// A URL-safe name: "Bergen (NH)" becomes "bergen-nh".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in fold(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// Euro amount in Dutch notation: 115000 cents is "€ 1.150,00".
pub fn euro(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("€ {sign}{},{:02}", number_nl(cents / 100), cents % 100)
}

/// A whole number with the Dutch thousands dot: 100000 is "100.000".
pub fn number_nl(n: impl Into<u64>) -> String {
    let digits = n.into().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    grouped
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date as Dutch readers write it: "1 januari 2016".
pub fn date_nl(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    format!(
        "{} {} {}",
        date.day(),
        MONTHS[date.month0() as usize],
        date.year()
    )
}

/// "1 week", "3 weken", "geen wachttijd".
pub fn weeks_nl(weeks: i32) -> String {
    match weeks {
        0 => "geen wachttijd".into(),
        1 => "1 week".into(),
        n => format!("{n} weken"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_drop_accents_and_punctuation() {
        let cases = [
            ("Bergen (NH)", "bergen-nh"),
            ("Den Haag", "den-haag"),
            ("Leidschendam-Voorburg", "leidschendam-voorburg"),
            ("  Cliënt & Co. ", "client-co"),
            ("West-Brabant-West", "west-brabant-west"),
        ];
        for (input, expected) in cases {
            assert_eq!(slugify(input), expected, "{input}");
        }
    }

    #[test]
    fn folding_makes_search_case_and_accent_blind() {
        assert_eq!(fold("Cliënttevredenheid ÉÉN"), "clienttevredenheid een");
    }

    #[test]
    fn euro_amounts_use_dutch_notation() {
        let cases = [
            (0, "€ 0,00"),
            (5, "€ 0,05"),
            (56300, "€ 563,00"),
            (115000, "€ 1.150,00"),
            (1012500, "€ 10.125,00"),
            (123456789, "€ 1.234.567,89"),
            (-150, "€ -1,50"),
        ];
        for (cents, expected) in cases {
            assert_eq!(euro(cents), expected);
        }
    }

    #[test]
    fn numbers_get_the_dutch_thousands_dot() {
        let cases = [
            (0u64, "0"),
            (999, "999"),
            (1000, "1.000"),
            (100_000, "100.000"),
            (1_234_567, "1.234.567"),
        ];
        for (n, expected) in cases {
            assert_eq!(number_nl(n), expected);
        }
    }

    #[test]
    fn dates_and_weeks_read_as_dutch() {
        let date = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).expect("valid date");
        assert_eq!(date_nl(date), "1 januari 2016");
        assert_eq!(weeks_nl(0), "geen wachttijd");
        assert_eq!(weeks_nl(1), "1 week");
        assert_eq!(weeks_nl(6), "6 weken");
    }
}
