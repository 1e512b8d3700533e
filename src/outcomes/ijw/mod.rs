//! Outcomes from the messages providers already send: iJw 3.2 JW305 (start zorg) and JW307
//! (stop zorg). Uploaded at `/mijn-aanbod/ijw` or posted to `/api/v1/mijn-aanbod/ijw`, as one
//! message, several, or a zip of them.
//!
//! - `message`: reads the XML (namespaces of release 3.2), keeping only what is needed.
//! - `pseudonym`: the BSN becomes the region's keyed pseudonym, the birth date an age band.
//! - `check`: every message and product line against the provider and the region; every
//!   refusal names the message, the element and why. One refusal and nothing is stored.
//! - `apply`: start and stop become one trajectory (by ToewijzingNummer, or else pseudonym +
//!   product + start date), StatusAanlevering 1/2/3 handled, a line received before skipped.
//! - `mapping` (here): how JZ588 and JZ020 codes count, one table for code and pages.

pub mod apply;
pub mod check;
pub mod example;
pub mod files;
pub mod message;
pub mod pseudonym;
pub mod receive;
mod received;
pub mod routes;

pub use pseudonym::PseudonymKey;

/// How a JZ588 reason for ending (RedenBeeindiging) is stored and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndReason {
    pub code: &'static str,
    /// The code list's own words.
    pub meaning: &'static str,
    /// The trajectory's `end_reason`: CBS 1-5, or 6-10 for endings CBS does not have.
    pub stored: u8,
    /// How it counts, in plain words (for `/over-de-cijfers` and the upload page).
    pub counts: &'static str,
}

const OUTSIDE: &str = "telt als afgesloten, maar niet mee voor uitval en terugval";

/// JZ588 (iJw 3.2), every code, and what the portal makes of it.
pub const JZ588: [EndReason; 11] = [
    EndReason {
        code: "02",
        meaning: "Overlijden",
        stored: 6,
        counts: OUTSIDE,
    },
    EndReason {
        code: "20",
        meaning: "Levering is tijdelijk beëindigd",
        stored: 10,
        counts: "telt als afgesloten, maar niet mee voor uitval en terugval; gaat de hulp verder, dan is dat een nieuw traject",
    },
    EndReason {
        code: "31",
        meaning: "Volgens plan beëindigd",
        stored: 1,
        counts: "volgens plan (CBS 1)",
    },
    EndReason {
        code: "32",
        meaning: "Voortijdig afgesloten, door cliënt",
        stored: 3,
        counts: "uitval: eenzijdig door de cliënt (CBS 3)",
    },
    EndReason {
        code: "33",
        meaning: "Voortijdig afgesloten, door aanbieder",
        stored: 4,
        counts: "uitval: eenzijdig door de aanbieder (CBS 4)",
    },
    EndReason {
        code: "34",
        meaning: "Voortijdig afgesloten, in overleg",
        stored: 2,
        counts: "in overeenstemming, geen uitval (CBS 2)",
    },
    EndReason {
        code: "35",
        meaning: "Voortijdig afgesloten, externe oorzaak",
        stored: 5,
        counts: "uitval: externe omstandigheden (CBS 5)",
    },
    EndReason {
        code: "36",
        meaning: "Geïnitieerd door de gemeente",
        stored: 7,
        counts: OUTSIDE,
    },
    EndReason {
        code: "37",
        meaning: "In verband met wijzigingsverzoek",
        stored: 7,
        counts: OUTSIDE,
    },
    EndReason {
        code: "38",
        meaning: "Overstap naar andere aanbieder",
        stored: 8,
        counts: OUTSIDE,
    },
    EndReason {
        code: "39",
        meaning: "Uitstroom naar ander domein",
        stored: 9,
        counts: OUTSIDE,
    },
];

/// The entry of a JZ588 code ("31", also written "031" or " 31 ").
pub fn end_reason(code: &str) -> Option<&'static EndReason> {
    let code = code.trim();
    let code = code
        .strip_prefix('0')
        .filter(|c| c.len() == 2)
        .unwrap_or(code);
    JZ588.iter().find(|r| r.code == code)
}

/// A JZ020 product category and where the care is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    pub code: &'static str,
    pub meaning: &'static str,
    /// ambulant, dagbehandeling, verblijf, crisis, or none where the category is no care
    /// setting (transport, a guardianship measure).
    pub setting: Option<&'static str>,
}

const fn category(
    code: &'static str,
    meaning: &'static str,
    setting: Option<&'static str>,
) -> Category {
    Category {
        code,
        meaning,
        setting,
    }
}

/// JZ020 (iJw 3.2) and the setting of each category.
pub const JZ020: [Category; 24] = [
    category(
        "31",
        "(2015) Zonder verblijf: wijk- of buurtteam",
        Some("ambulant"),
    ),
    category(
        "32",
        "(2015) Zonder verblijf: ambulant op locatie van de aanbieder",
        Some("ambulant"),
    ),
    category(
        "33",
        "(2015) Zonder verblijf: daghulp op locatie van de aanbieder",
        Some("dagbehandeling"),
    ),
    category(
        "34",
        "(2015) Zonder verblijf: in het netwerk van de jeugdige",
        Some("ambulant"),
    ),
    category("35", "(2015) Met verblijf: pleegzorg", Some("verblijf")),
    category("36", "(2015) Met verblijf: gezinsgericht", Some("verblijf")),
    category(
        "37",
        "(2015) Met verblijf: gesloten plaatsing",
        Some("verblijf"),
    ),
    category(
        "38",
        "(2015) Met verblijf: overig residentieel",
        Some("verblijf"),
    ),
    category("40", "Persoonlijke verzorging", Some("ambulant")),
    category("41", "Dagbehandeling", Some("dagbehandeling")),
    category("42", "Vervoerdiensten", None),
    category(
        "43",
        "Jeugdhulp verblijf (incl. behandeling)",
        Some("verblijf"),
    ),
    category(
        "44",
        "Jeugdhulp verblijf (excl. behandeling)",
        Some("verblijf"),
    ),
    category("45", "Jeugdhulp ambulant", Some("ambulant")),
    category("46", "Jeugdhulp crisis", Some("crisis")),
    category("47", "Jeugdreclassering", None),
    category("48", "Jeugdbescherming", None),
    category(
        "49",
        "Activiteiten in het preventief justitieel kader",
        None,
    ),
    category("50", "Maatwerkarrangementen jeugd", Some("ambulant")),
    category("51", "Generalistische basis-ggz", Some("ambulant")),
    category("52", "Specialistische ggz", Some("ambulant")),
    category("53", "Kindergeneeskunde", Some("ambulant")),
    category("54", "Jeugd-ggz", Some("ambulant")),
    category("55", "Landelijk ingekochte zorg", None),
];

/// The entry of a JZ020 category code.
pub fn category_of(code: &str) -> Option<&'static Category> {
    JZ020.iter().find(|c| c.code == code.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_jz588_code_has_one_meaning_and_the_cbs_codes_match_the_csv_import() {
        let mut codes: Vec<&str> = JZ588.iter().map(|r| r.code).collect();
        codes.dedup();
        assert_eq!(codes.len(), JZ588.len());
        // 31-35 mean what the CSV import makes of them.
        for code in ["31", "32", "33", "34", "35"] {
            assert_eq!(
                end_reason(code).map(|r| r.stored),
                crate::outcomes::records::parse_end_reason(code)
            );
        }
        assert_eq!(end_reason("02").map(|r| r.stored), Some(6));
        assert_eq!(end_reason("2"), None, "02 is written with its zero");
        assert_eq!(end_reason("20").map(|r| r.stored), Some(10));
        for stored in JZ588.iter().map(|r| r.stored) {
            let counted_outside = crate::outcomes::indicators::outside_uitval(stored);
            assert_eq!(counted_outside, stored >= 6);
        }
    }

    #[test]
    fn the_settings_of_the_issue_hold() {
        assert_eq!(category_of("45").and_then(|c| c.setting), Some("ambulant"));
        assert_eq!(
            category_of("41").and_then(|c| c.setting),
            Some("dagbehandeling")
        );
        assert_eq!(category_of("43").and_then(|c| c.setting), Some("verblijf"));
        assert_eq!(category_of("44").and_then(|c| c.setting), Some("verblijf"));
        assert_eq!(category_of("46").and_then(|c| c.setting), Some("crisis"));
        assert!(category_of("99").is_none());
    }
}
