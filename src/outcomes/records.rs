//! One trajectory as a provider supplies it, and the checks every way in shares (the CSV
//! upload and the JSON API): each problem named by field, in plain Dutch.

use chrono::NaiveDate;

use super::indicators::GoalResult;
use crate::domain::hulpvraag::Kader;
use crate::domain::indicator::{GoalCounts, ProblemsSmaller, WithoutCare};
use crate::domain::values::AgeBand;
use crate::reference::ReferenceData;

/// The columns of the CSV format, in order; the JSON API uses the same names.
pub const COLUMNS: [&str; 12] = [
    "referentie",
    "gemeente",
    "profiel",
    "intensiteit",
    "startdatum",
    "einddatum",
    "reden_einde",
    "doelresultaat",
    "clientsleutel",
    "leeftijdsgroep",
    "kader",
    "tevredenheid",
];

/// Optional columns: the agreed goals, as counts (reached and partly reached of agreed). A
/// file or API item without them keeps the yes/no of `doelresultaat`.
pub const GOAL_COLUMNS: [&str; 3] = ["doelen_afgesproken", "doelen_behaald", "doelen_deels"];

/// Optional columns: the two questions of closing (3.1 and 3.3). Empty is no answer.
pub const ANSWER_COLUMNS: [&str; 2] = ["zonder_hulp", "problemen_kleiner"];

/// Every column a row may have, required first: the order of [`RawTrajectory::fields`].
pub const ALL_COLUMNS: [&str; 17] = {
    let mut all = [""; 17];
    let mut i = 0;
    while i < COLUMNS.len() {
        all[i] = COLUMNS[i];
        i += 1;
    }
    while i < COLUMNS.len() + GOAL_COLUMNS.len() {
        all[i] = GOAL_COLUMNS[i - COLUMNS.len()];
        i += 1;
    }
    while i < all.len() {
        all[i] = ANSWER_COLUMNS[i - COLUMNS.len() - GOAL_COLUMNS.len()];
        i += 1;
    }
    all
};

/// What each column holds, for the upload page.
pub const EXPLANATION: [(&str, &str); 17] = [
    (
        "referentie",
        "Uw eigen kenmerk van het traject. Stuurt u hetzelfde kenmerk opnieuw, dan wordt het traject bijgewerkt.",
    ),
    (
        "gemeente",
        "De gemeente van de cliënt, bijvoorbeeld delft of Den Haag.",
    ),
    ("profiel", "Het cliëntprofiel, 1 tot en met 9."),
    ("intensiteit", "acuut, intensief, perspectief of duurzaam."),
    ("startdatum", "2026-03-31 of 31-03-2026."),
    ("einddatum", "Leeg als het traject nog loopt."),
    (
        "reden_einde",
        "1 tot en met 5 (CBS) of 31 tot en met 35 (iJw); leeg als het traject nog loopt.",
    ),
    (
        "doelresultaat",
        "behaald, deels behaald, niet behaald of onbekend. Geeft u de doelen hieronder, dan mag dit leeg blijven: wij rekenen het uit.",
    ),
    (
        "clientsleutel",
        "Uw eigen pseudoniem van de cliënt, nooit een BSN. Hiermee zien wij of een cliënt terugkomt.",
    ),
    ("leeftijdsgroep", "0-3, 4-11, 12-17 of 18-23."),
    ("kader", "vrijwillig of gedwongen."),
    (
        "tevredenheid",
        "Een cijfer 1 tot en met 10 dat u zelf heeft gemeten, of leeg.",
    ),
    (
        "doelen_afgesproken",
        "Niet verplicht. Hoeveel doelen vooraf zijn afgesproken met het gezin en de toegang: 1 tot en met 5.",
    ),
    (
        "doelen_behaald",
        "Hoeveel van die doelen helemaal zijn behaald. Verplicht bij afgesproken doelen als het traject is afgesloten.",
    ),
    (
        "doelen_deels",
        "Hoeveel doelen deels zijn behaald. Leeg is 0.",
    ),
    (
        "zonder_hulp",
        "Niet verplicht. Kan de jongere verder zonder jeugdhulp? ja, lichtere_hulp of nee. Alleen bij een afgesloten traject.",
    ),
    (
        "problemen_kleiner",
        "Niet verplicht. Zijn de problemen kleiner geworden? ja, deels of nee. Alleen bij een afgesloten traject.",
    ),
];

/// The municipality's pseudonyms of clients (`choice::commands::steps::client_key`) start
/// with this: the same client in the whole region. A provider's upload may not use it.
pub const MUNICIPAL_CLIENT_PREFIX: &str = "gemeente-";

/// The pseudonyms made from the BSN in a provider's iJw messages (`ijw::pseudonym`) start
/// with this: keyed per region, the same client at every provider of the region.
pub const IJW_CLIENT_PREFIX: &str = "ijw-";

/// Trajectories built from iJw messages carry references with this prefix.
pub const IJW_REFERENCE_PREFIX: &str = "ijw-";

/// Whether a client key names the same client at every provider in the region (the
/// municipality's and iJw's pseudonyms), rather than a provider's own.
pub fn is_regional_key(key: &str) -> bool {
    key.starts_with(MUNICIPAL_CLIENT_PREFIX) || key.starts_with(IJW_CLIENT_PREFIX)
}

/// Whether `text` starts with `prefix`, in any case.
fn starts_with_any_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

/// Trajectories the municipality records when it closes a hulpvraag carry references with
/// this prefix; a provider's upload may not use it, so it can never overwrite them.
pub const MUNICIPAL_REFERENCE_PREFIX: &str = "gemeente-";

/// A row as typed: every value a string.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(
    default,
    deny_unknown_fields,
    expecting = "a trajectory: an object of texts"
)]
pub struct RawTrajectory {
    pub referentie: String,
    pub gemeente: String,
    pub profiel: String,
    pub intensiteit: String,
    pub startdatum: String,
    pub einddatum: String,
    pub reden_einde: String,
    pub doelresultaat: String,
    pub clientsleutel: String,
    pub leeftijdsgroep: String,
    pub kader: String,
    pub tevredenheid: String,
    pub doelen_afgesproken: String,
    pub doelen_behaald: String,
    pub doelen_deels: String,
    pub zonder_hulp: String,
    pub problemen_kleiner: String,
}

impl RawTrajectory {
    pub fn fields(&self) -> [(&'static str, &str); 17] {
        [
            ("referentie", &self.referentie),
            ("gemeente", &self.gemeente),
            ("profiel", &self.profiel),
            ("intensiteit", &self.intensiteit),
            ("startdatum", &self.startdatum),
            ("einddatum", &self.einddatum),
            ("reden_einde", &self.reden_einde),
            ("doelresultaat", &self.doelresultaat),
            ("clientsleutel", &self.clientsleutel),
            ("leeftijdsgroep", &self.leeftijdsgroep),
            ("kader", &self.kader),
            ("tevredenheid", &self.tevredenheid),
            ("doelen_afgesproken", &self.doelen_afgesproken),
            ("doelen_behaald", &self.doelen_behaald),
            ("doelen_deels", &self.doelen_deels),
            ("zonder_hulp", &self.zonder_hulp),
            ("problemen_kleiner", &self.problemen_kleiner),
        ]
    }
}

/// A trajectory that passed every check, with ids resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    pub reference: String,
    pub region_id: i64,
    pub municipality_id: i64,
    pub profile_id: i64,
    pub intensity_id: i64,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub end_reason: Option<u8>,
    pub goal: GoalResult,
    pub client_key: String,
    pub age_band: AgeBand,
    pub kader: Kader,
    pub satisfaction: Option<u8>,
    /// The agreed goals; for a trajectory still running only `agreed` counts.
    pub goals: Option<GoalCounts>,
    /// The answers to the two questions of closing (3.1 and 3.3).
    pub without_care: Option<WithoutCare>,
    pub problems_smaller: Option<ProblemsSmaller>,
}

/// One problem in one field.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub column: &'static str,
    pub message: String,
}

pub(super) fn problem(column: &'static str, message: impl Into<String>) -> Problem {
    Problem {
        column,
        message: message.into(),
    }
}

/// Dates as 2026-03-31 or 31-03-2026.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d-%m-%Y"))
        .ok()
}

/// CBS codes 1-5, or the iJw JZ588 codes 31-35 that providers' systems use.
pub fn parse_end_reason(value: &str) -> Option<u8> {
    match value.trim() {
        "1" | "31" => Some(1),
        "2" | "34" => Some(2),
        "3" | "32" => Some(3),
        "4" | "33" => Some(4),
        "5" | "35" => Some(5),
        _ => None,
    }
}

/// Checks one row for a provider that is admitted for `admitted_profiles` (profile ids).
pub fn check(
    raw: &RawTrajectory,
    reference: &ReferenceData,
    admitted_profiles: &[i64],
    today: NaiveDate,
) -> Result<Trajectory, Vec<Problem>> {
    // A column whose value cannot be kept (a control character, a BSN) says only that; the
    // row's other columns are checked all the same, so every error of the row is reported.
    let mut refused = Vec::new();
    for (column, value) in raw.fields() {
        if crate::web::input::has_control(value) {
            refused.push(problem(column, crate::web::input::CONTROL_MESSAGE));
        } else if crate::web::input::contains_bsn(value) {
            refused.push(problem(
                column,
                "Dit lijkt een BSN. Stuur nooit een BSN of een ander nummer waarmee iemand te herkennen is; gebruik uw eigen pseudoniem.",
            ));
        }
    }
    let mut problems = Vec::new();
    let reference_text = raw.referentie.trim();
    if reference_text.is_empty() || reference_text.chars().count() > 64 {
        problems.push(problem(
            "referentie",
            "Vul uw eigen kenmerk van het traject in (hoogstens 64 tekens).",
        ));
    } else if starts_with_any_case(reference_text, MUNICIPAL_REFERENCE_PREFIX) {
        problems.push(problem(
            "referentie",
            "Een kenmerk dat begint met 'gemeente-' is voor trajecten die de gemeente vastlegt. Kies een ander kenmerk.",
        ));
    } else if starts_with_any_case(reference_text, IJW_REFERENCE_PREFIX) {
        problems.push(problem(
            "referentie",
            "Een kenmerk dat begint met 'ijw-' is voor trajecten uit iJw-berichten. Kies een ander kenmerk.",
        ));
    }
    let wanted = raw.gemeente.trim().to_lowercase();
    // The slug as the CSV template writes it, else the name in any case ('Den Haag').
    let municipality = reference.municipality_by_slug(&wanted).or_else(|| {
        reference.municipalities.iter().find(|m| {
            m.name
                .chars()
                .flat_map(char::to_lowercase)
                .eq(wanted.chars())
        })
    });
    if municipality.is_none() {
        problems.push(problem("gemeente", format!("'{}' is geen gemeente in de catalogus. Gebruik bijvoorbeeld 'delft' of 'Den Haag'.", raw.gemeente.trim())));
    }
    let region_id = municipality.map_or(0, |m| m.region_id);
    let number = raw.profiel.trim().parse::<i32>().ok();
    let profile = number.and_then(|n| reference.profile_in_region(region_id, n));
    // Without a known municipality the region is unknown, but a number no region uses, or
    // a code no region uses, is wrong all the same: say so now, not on the next upload.
    let profile_anywhere = number.is_some_and(|n| reference.profile_summary(n).is_some());
    match profile {
        None if municipality.is_some() || !profile_anywhere => problems.push(problem("profiel", format!("'{}' is geen profiel. Gebruik een nummer van 1 tot en met 9.", raw.profiel.trim()))),
        None => {}
        Some(p) if !admitted_profiles.contains(&p.id) => problems.push(problem(
            "profiel",
            format!("U bent niet toegelaten voor profiel {} in deze regio. Alleen trajecten binnen uw toelating tellen mee.", p.number),
        )),
        Some(_) => {}
    }
    let intensity_code = raw.intensiteit.trim().to_lowercase();
    let intensity = reference.intensity_in_region(region_id, &intensity_code);
    if intensity.is_none()
        && (municipality.is_some()
            || !reference
                .intensities
                .iter()
                .any(|i| i.code == intensity_code))
    {
        problems.push(problem(
            "intensiteit",
            "Gebruik acuut, intensief, perspectief of duurzaam.",
        ));
    }
    let start = parse_date(&raw.startdatum);
    match start {
        None => problems.push(problem(
            "startdatum",
            "Schrijf de datum als 2026-03-31 of 31-03-2026.",
        )),
        Some(d) if d > today => {
            problems.push(problem("startdatum", "De startdatum ligt in de toekomst."))
        }
        Some(d) if d < EARLIEST_DATE => problems.push(problem("startdatum", BEFORE_JEUGDWET)),
        Some(_) => {}
    }
    let end = if raw.einddatum.trim().is_empty() {
        None
    } else {
        parse_date(&raw.einddatum).or_else(|| {
        problems.push(problem("einddatum", "Schrijf de datum als 2026-03-31 of 31-03-2026, of laat leeg als het traject nog loopt."));
        None
    })
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            problems.push(problem(
                "einddatum",
                "De einddatum ligt vóór de startdatum.",
            ));
        }
        if e > today {
            problems.push(problem("einddatum", "De einddatum ligt in de toekomst."));
        }
    }
    if end.is_some_and(|e| e < EARLIEST_DATE) {
        problems.push(problem("einddatum", BEFORE_JEUGDWET));
    }
    let reason = if raw.reden_einde.trim().is_empty() {
        None
    } else {
        parse_end_reason(&raw.reden_einde).or_else(|| {
            problems.push(problem(
                "reden_einde",
                "Gebruik een reden van 1 tot en met 5 (CBS) of 31 tot en met 35 (iJw).",
            ));
            None
        })
    };
    if raw.einddatum.trim().is_empty() != raw.reden_einde.trim().is_empty() {
        problems.push(problem(
            "reden_einde",
            "Vul de reden van beëindiging in als er een einddatum is, en alleen dan.",
        ));
    }
    let mut goal = GoalResult::read(&raw.doelresultaat);
    if goal.is_none() {
        problems.push(problem(
            "doelresultaat",
            "Gebruik behaald, deels behaald, niet behaald of onbekend.",
        ));
    }
    let goals = super::optional_columns::check_goals(raw, end.is_some(), &mut problems);
    let (without_care, problems_smaller) =
        super::optional_columns::check_answers(raw, end.is_some(), &mut problems);
    if let (Some(counts), Some(typed), true) = (goals, goal, end.is_some()) {
        let derived = counts.result();
        if raw.doelresultaat.trim().is_empty() {
            goal = Some(derived);
        } else if typed != derived {
            problems.push(problem(
                "doelresultaat",
                format!(
                    "Dit past niet bij de doelen: met {} van {} doelen behaald en {} deels is het '{}'. Maak het gelijk, of laat doelresultaat leeg.",
                    counts.reached,
                    counts.agreed,
                    counts.partly,
                    derived.as_str().replace('_', " ")
                ),
            ));
        }
    }
    let client_key = raw.clientsleutel.trim();
    if client_key.is_empty() || client_key.chars().count() > 64 {
        problems.push(problem(
            "clientsleutel",
            "Vul uw pseudoniem van de cliënt in (hoogstens 64 tekens).",
        ));
    } else if starts_with_any_case(client_key, MUNICIPAL_CLIENT_PREFIX)
        || starts_with_any_case(client_key, IJW_CLIENT_PREFIX)
    {
        problems.push(problem(
            "clientsleutel",
            "Een sleutel die begint met 'gemeente-' of 'ijw-' maakt het portaal zelf. Kies een andere sleutel.",
        ));
    }
    let age_band = AgeBand::try_from(raw.leeftijdsgroep.as_str())
        .map_err(|refused| problems.push(problem("leeftijdsgroep", refused.0)))
        .ok();
    // An empty kader column means vrijwillig: most help is.
    let kader = match raw.kader.trim().to_lowercase().as_str() {
        "" => Some(Kader::Vrijwillig),
        code => Kader::parse(code),
    };
    if kader.is_none() {
        problems.push(problem("kader", "Gebruik vrijwillig of gedwongen."));
    }
    let satisfaction = if raw.tevredenheid.trim().is_empty() {
        None
    } else {
        match raw.tevredenheid.trim().parse::<u8>() {
            Ok(score @ 1..=10) => Some(score),
            _ => {
                problems.push(problem(
                    "tevredenheid",
                    "Gebruik een cijfer van 1 tot en met 10, of laat leeg.",
                ));
                None
            }
        }
    };
    if satisfaction.is_some() && end.is_none() {
        problems.push(problem(
            "tevredenheid",
            "Een tevredenheidscijfer hoort bij een afgesloten traject.",
        ));
    }
    let checked = match (
        municipality,
        profile,
        intensity,
        start,
        goal,
        age_band,
        kader,
    ) {
        (Some(m), Some(p), Some(i), Some(start_date), Some(goal), Some(age_band), Some(kader))
            if problems.is_empty() =>
        {
            Ok(Trajectory {
                reference: reference_text.to_owned(),
                region_id,
                municipality_id: m.id,
                profile_id: p.id,
                intensity_id: i.id,
                start_date,
                end_date: end,
                end_reason: reason,
                goal,
                client_key: client_key.to_owned(),
                age_band,
                kader,
                satisfaction,
                goals,
                without_care,
                problems_smaller,
            })
        }
        _ => Err(problems),
    };
    checked
        .map_err(|problems| {
            // One message per refused column (its own checks would only repeat the value).
            let mut all = refused.clone();
            all.extend(
                problems
                    .into_iter()
                    .filter(|p| !refused.iter().any(|r| r.column == p.column)),
            );
            all
        })
        .and_then(|trajectory| {
            if refused.is_empty() {
                Ok(trajectory)
            } else {
                Err(refused)
            }
        })
}

/// The Jeugdwet took effect on this day: no trajectory under it starts or ends earlier.
pub const EARLIEST_DATE: NaiveDate = match NaiveDate::from_ymd_opt(2015, 1, 1) {
    Some(date) => date,
    None => panic!("a valid date"),
};

const BEFORE_JEUGDWET: &str =
    "Deze datum ligt vóór 1 januari 2015, toen de Jeugdwet begon. Controleer het jaar.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_elfproef_recognises_citizen_service_numbers() {
        for bsn in ["111222333", "123456782"] {
            assert!(crate::web::input::contains_bsn(bsn), "{bsn}");
        }
        for other in [
            "123456789",
            "12345678",
            "1234567890",
            "000000000",
            "abc",
            "12345678a",
        ] {
            assert!(!crate::web::input::contains_bsn(other), "{other}");
        }
    }

    #[test]
    fn end_reasons_accept_cbs_and_ijw_codes() {
        for (code, cbs) in [
            ("1", 1),
            ("31", 1),
            ("34", 2),
            ("32", 3),
            ("33", 4),
            ("35", 5),
            (" 3 ", 3),
        ] {
            assert_eq!(parse_end_reason(code), Some(cbs), "{code}");
        }
        for other in ["0", "6", "02", "36", "38", "39", "x", ""] {
            assert_eq!(parse_end_reason(other), None, "{other}");
        }
    }

    #[test]
    fn dates_are_read_in_both_usual_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 31);
        assert_eq!(parse_date("2026-03-31"), d);
        assert_eq!(parse_date("31-03-2026"), d);
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("31/03/2026"), None);
    }
}
