//! The values forms, files and the API take in, parsed once at the edge ("parse, don't
//! validate"): a handler that holds a [`Kvk`] or a [`CaseNumber`] knows it is well formed,
//! and no later code checks it again. Each parser refuses with the plain-Dutch sentence the
//! form shows beside the field ([`Refused`]); [`parse_field`] files it under the form's own
//! field name.

use crate::stored_enum;

/// A field's problem, shown beside the field and in the error summary at the top of the page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }

    /// An error about the form as a whole (already submitted, already decided): the error
    /// summary shows it without a link, as there is no one field to go to.
    pub fn form(message: impl Into<String>) -> Self {
        FieldError::new("", message)
    }
}

/// Why a parser refused a typed value: the sentence the person reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refused(pub &'static str);

impl Refused {
    /// The refusal as the error of one form field.
    pub fn at(self, field: &str) -> FieldError {
        FieldError::new(field, self.0)
    }
}

/// Parses one typed field; a refusal is added to `errors` under `field`, in the order the
/// fields are parsed (the order of the form).
pub fn parse_field<'a, T>(errors: &mut Vec<FieldError>, field: &str, typed: &'a str) -> Option<T>
where
    T: TryFrom<&'a str, Error = Refused>,
{
    T::try_from(typed)
        .map_err(|r| errors.push(r.at(field)))
        .ok()
}

/// The digits of a number as people type it, with spaces and dots between groups.
fn compact(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.')
        .collect()
}

fn eight_digits(typed: &str) -> Option<String> {
    let digits = compact(typed);
    (digits.len() == 8 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

macro_rules! text_value {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }
    };
}

text_value!(
    /// A Chamber of Commerce (KvK) number: eight digits, stored without spaces.
    Kvk
);

impl TryFrom<&str> for Kvk {
    type Error = Refused;

    fn try_from(typed: &str) -> Result<Kvk, Refused> {
        eight_digits(typed).map(Kvk).ok_or(Refused(
            "Een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678.",
        ))
    }
}

text_value!(
    /// A Vektis AGB code of a care provider: eight digits, stored without spaces.
    Agb
);

impl TryFrom<&str> for Agb {
    type Error = Refused;

    fn try_from(typed: &str) -> Result<Agb, Refused> {
        eight_digits(typed).map(Agb).ok_or(Refused(
            "Een AGB-code heeft 8 cijfers, bijvoorbeeld 98123456.",
        ))
    }
}

text_value!(
    /// A Dutch postcode: four digits (not starting with 0) and two letters, kept the way it
    /// is written on letters, "2511 AB".
    Postcode
);

impl TryFrom<&str> for Postcode {
    type Error = Refused;

    fn try_from(typed: &str) -> Result<Postcode, Refused> {
        let refused = Refused("Vul een postcode in zoals 2511 AB.");
        let compact: String = typed
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_uppercase();
        let (numbers, letters) = compact.split_at_checked(4).ok_or(refused)?;
        let ok = numbers.chars().all(|c| c.is_ascii_digit())
            && !numbers.starts_with('0')
            && letters.len() == 2
            && letters.chars().all(|c| c.is_ascii_uppercase());
        ok.then(|| Postcode(format!("{numbers} {letters}")))
            .ok_or(refused)
    }
}

text_value!(
    /// The municipality's own case number of a hulpvraag: at most 40 characters, and never a
    /// citizen service number (BSN), however it is written.
    CaseNumber
);

impl CaseNumber {
    pub const MAX_CHARS: usize = 40;
}

impl TryFrom<&str> for CaseNumber {
    type Error = Refused;

    fn try_from(typed: &str) -> Result<CaseNumber, Refused> {
        let text = typed.trim();
        if text.is_empty() || text.chars().count() > CaseNumber::MAX_CHARS {
            return Err(Refused("Vul het zaaknummer in (hoogstens 40 tekens)."));
        }
        if contains_bsn(text) {
            return Err(Refused(
                "Dit lijkt op een burgerservicenummer. Vul het zaaknummer van uw eigen systeem in, niet het BSN.",
            ));
        }
        Ok(CaseNumber(text.to_owned()))
    }
}

/// A waiting time in whole weeks, 0 to 104 (two years).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WaitingWeeks(i32);

impl WaitingWeeks {
    pub const MAX: i32 = 104;
    const REFUSED: Refused = Refused("Vul de wachttijd in hele weken in, van 0 tot en met 104.");

    pub fn weeks(self) -> i32 {
        self.0
    }
}

impl TryFrom<i32> for WaitingWeeks {
    type Error = Refused;

    fn try_from(weeks: i32) -> Result<WaitingWeeks, Refused> {
        (0..=WaitingWeeks::MAX)
            .contains(&weeks)
            .then_some(WaitingWeeks(weeks))
            .ok_or(WaitingWeeks::REFUSED)
    }
}

impl TryFrom<&str> for WaitingWeeks {
    type Error = Refused;

    fn try_from(typed: &str) -> Result<WaitingWeeks, Refused> {
        let weeks = typed
            .trim()
            .parse::<i32>()
            .map_err(|_| WaitingWeeks::REFUSED)?;
        WaitingWeeks::try_from(weeks)
    }
}

/// An amount in euros as people type it ("2250", "2.250", "1150,50", "€ 563"), kept in cents;
/// more than zero and at most one million.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cents(i64);

impl Cents {
    const REFUSED: Refused = Refused(
        "Vul een bedrag in euro's in, bijvoorbeeld 2250 of 1150,50. Meer dan 0 en hoogstens 1.000.000.",
    );

    pub fn get(self) -> i64 {
        self.0
    }
}

impl TryFrom<&str> for Cents {
    type Error = Refused;

    fn try_from(typed: &str) -> Result<Cents, Refused> {
        let text: String = typed
            .trim()
            .trim_start_matches('€')
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        // A comma is the decimal sign; a dot is one too when one or two digits follow it
        // (563.50), else it groups thousands (2.250).
        let (whole, fraction) = match text.rsplit_once(',') {
            Some((w, f)) => (w.replace('.', ""), f.to_owned()),
            None => match text.rsplit_once('.') {
                Some((w, f)) if (1..=2).contains(&f.len()) => (w.replace('.', ""), f.to_owned()),
                _ => (text.replace('.', ""), String::new()),
            },
        };
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(&whole) || !(fraction.is_empty() || (fraction.len() <= 2 && digits(&fraction))) {
            return Err(Cents::REFUSED);
        }
        let euros: i64 = whole.parse().map_err(|_| Cents::REFUSED)?;
        let cents: i64 = format!("{fraction:0<2}")
            .parse()
            .map_err(|_| Cents::REFUSED)?;
        let total = euros.checked_mul(100).and_then(|e| e.checked_add(cents));
        match total {
            Some(total) if total > 0 && total <= 100_000_000 => Ok(Cents(total)),
            _ => Err(Cents::REFUSED),
        }
    }
}

stored_enum! {
    /// The age group of a child or young person: all a hulpvraag and a trajectory keep of
    /// the age.
    pub enum AgeBand("age band") {
        Toddler = "0-3",
        Child = "4-11",
        Teenager = "12-17",
        YoungAdult = "18-23",
    }
}

impl AgeBand {
    /// The youngest and the oldest age in the group, in years.
    pub fn range(self) -> (i32, i32) {
        match self {
            AgeBand::Toddler => (0, 3),
            AgeBand::Child => (4, 11),
            AgeBand::Teenager => (12, 17),
            AgeBand::YoungAdult => (18, 23),
        }
    }

    /// "4 tot en met 11 jaar".
    pub fn label(self) -> String {
        let (young, old) = self.range();
        format!("{young} tot en met {old} jaar")
    }
}

impl TryFrom<&str> for AgeBand {
    type Error = Refused;

    fn try_from(typed: &str) -> Result<AgeBand, Refused> {
        AgeBand::parse(typed.trim()).ok_or(Refused(
            "Kies de leeftijdsgroep: 0-3, 4-11, 12-17 of 18-23 jaar.",
        ))
    }
}

/// Nine digits pass the "elfproef" of a Dutch citizen service number (BSN): the weighted
/// sum 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of eleven, and not zero.
pub fn elfproef(digits: &[u32]) -> bool {
    if digits.len() != 9 {
        return false;
    }
    let sum: i64 = digits
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(d, w)| w * i64::from(*d))
        .sum();
    sum != 0 && sum % 11 == 0
}

/// Whether the text holds a BSN anywhere: nine digits that pass the elfproef, also when
/// written in groups split by spaces, dots, dashes, underscores or slashes (`111 222 333`,
/// `111.222.333`, `bsn-123456782`, `111222333/26`). Groups are taken whole, so a phone
/// number (`015 123 45 67`) or a longer number is not mistaken for one.
pub fn contains_bsn(text: &str) -> bool {
    // Most values hold fewer than nine digits: no BSN, and nothing to allocate.
    if text.bytes().filter(u8::is_ascii_digit).count() < 9 {
        return false;
    }
    let mut runs: Vec<Vec<Vec<u32>>> = vec![Vec::new()];
    let mut group: Vec<u32> = Vec::new();
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            group.push(d);
            continue;
        }
        if !group.is_empty()
            && let Some(run) = runs.last_mut()
        {
            run.push(std::mem::take(&mut group));
        }
        if !matches!(c, ' ' | '.' | '-' | '_' | '/') {
            runs.push(Vec::new());
        }
    }
    if !group.is_empty()
        && let Some(run) = runs.last_mut()
    {
        run.push(group);
    }
    runs.iter().any(|groups| {
        (0..groups.len()).any(|start| {
            let mut digits = Vec::new();
            for g in &groups[start..] {
                digits.extend_from_slice(g);
                if digits.len() >= 9 {
                    break;
                }
            }
            elfproef(&digits)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(
            Kvk::try_from(" 1234 5678 ").map(Kvk::into_string),
            Ok("12345678".into())
        );
        assert_eq!(
            Agb::try_from("98.12.34.56").map(String::from),
            Ok("98123456".into())
        );
        for bad in ["", "1234567", "123456789", "1234567a", "１２３４５６７８"] {
            assert!(Kvk::try_from(bad).is_err(), "{bad}");
            assert!(Agb::try_from(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Kvk::try_from("x").map_err(|r| r.at("kvk")),
            Err(FieldError::new(
                "kvk",
                "Een KvK-nummer heeft 8 cijfers, bijvoorbeeld 12345678."
            ))
        );
    }

    #[test]
    fn a_postcode_is_kept_the_way_it_is_written_on_letters() {
        for (typed, kept) in [
            ("2511ab", "2511 AB"),
            (" 2511 AB ", "2511 AB"),
            ("9999zz", "9999 ZZ"),
        ] {
            assert_eq!(
                Postcode::try_from(typed).map(String::from),
                Ok(kept.to_owned())
            );
        }
        for bad in [
            "0511 AB", "251 AB", "2511 A", "2511 ABC", "ABCD 12", "", "2511 ÄB",
        ] {
            assert!(Postcode::try_from(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_case_number_is_never_a_bsn() {
        assert_eq!(
            CaseNumber::try_from("  DLF-2026-0001 ").map(String::from),
            Ok("DLF-2026-0001".to_owned())
        );
        for bad in ["", "   ", "111222333", "BSN 111.222.333", &"x".repeat(41)] {
            assert!(CaseNumber::try_from(bad).is_err(), "{bad}");
        }
        assert!(CaseNumber::try_from("x".repeat(40).as_str()).is_ok());
    }

    #[test]
    fn waiting_weeks_are_whole_weeks_up_to_two_years() {
        for (typed, weeks) in [("0", 0), (" 6 ", 6), ("104", 104)] {
            assert_eq!(
                WaitingWeeks::try_from(typed).map(WaitingWeeks::weeks),
                Ok(weeks)
            );
        }
        for bad in ["", "-1", "105", "2.5", "zes"] {
            assert!(WaitingWeeks::try_from(bad).is_err(), "{bad}");
        }
        assert!(WaitingWeeks::try_from(-1).is_err() && WaitingWeeks::try_from(104).is_ok());
    }

    #[test]
    fn an_age_band_knows_its_ages_and_refuses_any_other_code() {
        assert_eq!(AgeBand::try_from(" 4-11 "), Ok(AgeBand::Child));
        assert_eq!(AgeBand::Child.range(), (4, 11));
        assert_eq!(AgeBand::YoungAdult.label(), "18 tot en met 23 jaar");
        // The groups follow each other without gaps or overlap.
        for pair in AgeBand::ALL.windows(2) {
            assert_eq!(pair[0].range().1 + 1, pair[1].range().0);
        }
        for bad in ["", "18+", "4 - 11", "24-30"] {
            assert!(AgeBand::try_from(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn parse_field_files_each_refusal_under_its_field_in_order() {
        let mut errors = Vec::new();
        let kvk: Option<Kvk> = parse_field(&mut errors, "kvk", "12");
        let postcode: Option<Postcode> = parse_field(&mut errors, "postcode", "2511AB");
        let weeks: Option<WaitingWeeks> = parse_field(&mut errors, "wachttijd", "200");
        assert!(kvk.is_none() && weeks.is_none());
        assert_eq!(postcode.map(String::from).as_deref(), Some("2511 AB"));
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["kvk", "wachttijd"]);
    }

    #[test]
    fn a_bsn_is_found_however_it_is_written() {
        for text in [
            "111222333",
            "123456782",
            "BSN111222333",
            "bsn:111222333",
            "111222333/26",
            "111_222_333",
            "BSN: 111.222.333",
            "BSN 111 222 333",
            "111.222.333",
            "bsn-123456782",
            "traject-111222333",
            "moeder belde, nummer 111-22-2333 genoemd",
        ] {
            assert!(contains_bsn(text), "{text}");
        }
        for text in [
            "",
            "123456789",
            "12345678",
            "1234567890",
            "1112223334",
            "100000009",
            "000000000",
            "015 123 45 67",
            "2611 AB Delft",
            "KvK 9123 4567",
            "DLF-2026-0001",
            "R-2025-000123",
        ] {
            assert!(!contains_bsn(text), "{text}");
        }
    }

    #[test]
    fn the_elfproef_is_the_weighted_sum_modulo_eleven_and_never_zero() {
        let digits = |s: &str| s.chars().filter_map(|c| c.to_digit(10)).collect::<Vec<_>>();
        assert!(elfproef(&digits("111222333")));
        assert!(!elfproef(&digits("111222334")));
        // 9·1 + 0 + … − 9 = 0: a multiple of eleven, but not a BSN.
        assert!(!elfproef(&digits("100000009")));
        assert!(!elfproef(&digits("11122233")));
    }

    #[test]
    fn amounts_in_euros_as_people_type_them() {
        let cents = |t: &str| Cents::try_from(t).map(Cents::get);
        assert_eq!(cents("2250"), Ok(225_000));
        assert_eq!(cents("2.250"), Ok(225_000));
        assert_eq!(cents("€ 1.150,50"), Ok(115_050));
        assert_eq!(cents("563.5"), Ok(56_350));
        assert_eq!(cents(" 1050 "), Ok(105_000));
        for bad in ["", "0", "-5", "12,345", "abc", "1,2,3", "2000000", "€"] {
            assert!(cents(bad).is_err(), "{bad}");
        }
    }
}
