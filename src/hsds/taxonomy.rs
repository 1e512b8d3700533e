//! The portal's taxonomies in HSDS terms: the region's cliëntprofielen, the intensities, the
//! setting (where the care is given), the wait and the published outcomes. Every service
//! carries its terms as `attributes`; `taxonomy_term_id` filters on them.

use uuid::Uuid;

use super::ids;
use super::model::{Taxonomy, TaxonomyTerm};
use crate::domain::indicator::Indicator;
use crate::domain::provider::Setting;
use crate::reference::ReferenceData;

pub const PROFILE: &str = "profiel";
pub const INTENSITY: &str = "intensiteit";
pub const SETTING: &str = "vorm";
pub const WAIT: &str = "wachttijd";
pub const OUTCOMES: &str = "uitkomsten";

/// The code of the wait's one term; its value is the wait in weeks.
pub const WAIT_WEEKS: &str = "weken";

const TAXONOMIES: [(&str, &str, &str); 5] = [
    (
        PROFILE,
        "Cliëntprofielen",
        "De cliëntprofielen van de regio's: welke hulp een jongere of gezin nodig heeft. Het nummer is in elke regio hetzelfde.",
    ),
    (
        INTENSITY,
        "Intensiteit",
        "Hoe zwaar en hoe vaak de hulp is, van licht tot zeer intensief.",
    ),
    (
        SETTING,
        "Vorm van de hulp",
        "Waar de hulp gegeven wordt: thuis of op de praktijk, overdag op een groep, of dag en nacht.",
    ),
    (
        WAIT,
        "Wachttijd",
        "Hoeveel weken een nieuwe cliënt nu ongeveer wacht voordat de hulp begint.",
    ),
    (
        OUTCOMES,
        "Gepubliceerde uitkomsten",
        "De uitkomsten die de contractmanagers van de regio hebben gepubliceerd, elk met het aantal trajecten (n) waarop ze rusten. Bij te weinig trajecten is er geen uitkomst.",
    ),
];

/// What a term stands for, to filter on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    Profile(i32),
    Intensity(String),
    Setting(Setting),
    Wait,
    Score(Indicator),
    ScoreCount(Indicator),
}

pub fn taxonomies() -> Vec<Taxonomy> {
    TAXONOMIES
        .iter()
        .map(|&(code, name, description)| Taxonomy {
            id: ids::taxonomy(code),
            name,
            description,
            version: "1",
        })
        .collect()
}

fn taxonomy_name(code: &str) -> &'static str {
    TAXONOMIES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or("", |(_, name, _)| name)
}

pub fn term(taxonomy: &'static str, code: &str, name: &str, description: &str) -> TaxonomyTerm {
    TaxonomyTerm {
        id: ids::taxonomy_term(taxonomy, code),
        code: code.to_owned(),
        name: name.to_owned(),
        description: description.to_owned(),
        taxonomy: taxonomy_name(taxonomy),
        taxonomy_id: ids::taxonomy(taxonomy),
    }
}

pub fn profile_term(number: i32, name: &str, description: &str) -> TaxonomyTerm {
    term(PROFILE, &number.to_string(), name, description)
}

pub fn intensity_term(code: &str, name: &str, description: &str) -> TaxonomyTerm {
    term(INTENSITY, code, name, description)
}

pub fn setting_term(setting: Setting) -> TaxonomyTerm {
    term(SETTING, setting.as_str(), setting.label(), setting.label())
}

pub fn wait_term() -> TaxonomyTerm {
    term(
        WAIT,
        WAIT_WEEKS,
        "Wachttijd in weken",
        "De wachttijd in hele weken, zoals de aanbieder die opgeeft.",
    )
}

pub fn score_term(indicator: Indicator) -> TaxonomyTerm {
    term(
        OUTCOMES,
        indicator.as_str(),
        indicator.label(),
        if indicator.is_mean() {
            "Gemiddeld rapportcijfer van 1 tot 10 dat gezinnen gaven."
        } else {
            "Aandeel van de trajecten, als breuk van 0 tot 1."
        },
    )
}

pub fn score_count_term(indicator: Indicator) -> TaxonomyTerm {
    term(
        OUTCOMES,
        &format!("{}-n", indicator.as_str()),
        &format!("{}: aantal trajecten (n)", indicator.label()),
        "Het aantal trajecten waarop de gepubliceerde uitkomst rust.",
    )
}

/// Every term, with what it stands for, in a fixed order.
pub fn terms(reference: &ReferenceData) -> Vec<(TaxonomyTerm, Meaning)> {
    let mut all = Vec::new();
    for p in reference.profile_summaries() {
        all.push((
            profile_term(p.number, p.name, p.description),
            Meaning::Profile(p.number),
        ));
    }
    for i in reference.intensity_summaries() {
        all.push((
            intensity_term(i.code, i.name, i.description),
            Meaning::Intensity(i.code.to_owned()),
        ));
    }
    for &setting in Setting::ALL {
        all.push((setting_term(setting), Meaning::Setting(setting)));
    }
    all.push((wait_term(), Meaning::Wait));
    for indicator in Indicator::EVERY {
        all.push((score_term(indicator), Meaning::Score(indicator)));
        all.push((score_count_term(indicator), Meaning::ScoreCount(indicator)));
    }
    all
}

/// What the term with this id stands for; `None` for an id that is no term.
pub fn meaning(reference: &ReferenceData, id: Uuid) -> Option<Meaning> {
    terms(reference)
        .into_iter()
        .find(|(t, _)| t.id == id)
        .map(|(_, m)| m)
}
