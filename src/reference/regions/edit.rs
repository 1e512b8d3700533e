//! A region's own reference data, edited by hand on `/beheer/regios/{regio}`: add a region;
//! add and change its profiles, intensities and the questions it asks families; close one
//! from a date (what uses it keeps it; new hulpvragen, offers and questionnaires do not
//! have it); delete one nothing uses yet.

use diesel::prelude::*;
use serde::Deserialize;

use crate::db::DbConnection;
use crate::db::schema::{intensities, profiles, regions, satisfaction_items};
use crate::domain::principal::RegionScope;
use crate::reference::model::{PAID_PER, ReferenceData};
use crate::web::FieldError;

/// Why a change is refused: the fields and the Dutch sentences.
pub type Refused = Vec<FieldError>;

pub use super::closing::{close, delete};
use super::usage::has_tariffs;
pub use super::usage::in_use;

/// The procurement methods a region buys youth care under (DOMAIN.md), with their labels.
pub const METHODS: [(&str, &str); 3] = [
    ("outputgericht", "Outputgericht (resultaat per traject)"),
    (
        "inspanningsgericht",
        "Inspanningsgericht (prijs × hoeveelheid)",
    ),
    ("taakgericht", "Taakgericht (budget per aanbieder)"),
];

/// What a region's page edits: its profiles, its intensities, or the questions it asks
/// families (satisfaction items). The address says which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Profile,
    Intensity,
    Question,
}

/// Field names of the questionnaire that a question's code may not take.
const RESERVED_CODES: [&str; 2] = ["opmerking", "csrf"];

impl Kind {
    pub fn from_segment(segment: &str) -> Option<Kind> {
        match segment {
            "profielen" => Some(Kind::Profile),
            "intensiteiten" => Some(Kind::Intensity),
            "vragen" => Some(Kind::Question),
            _ => None,
        }
    }

    pub fn segment(self) -> &'static str {
        match self {
            Kind::Profile => "profielen",
            Kind::Intensity => "intensiteiten",
            Kind::Question => "vragen",
        }
    }

    pub(super) fn entity(self) -> &'static str {
        match self {
            Kind::Profile => "profile",
            Kind::Intensity => "intensity",
            Kind::Question => "satisfaction_item",
        }
    }

    /// "het profiel", "de intensiteit": for the Dutch sentences.
    pub fn the(self) -> &'static str {
        match self {
            Kind::Profile => "het profiel",
            Kind::Intensity => "de intensiteit",
            Kind::Question => "de vraag",
        }
    }

    /// "dit profiel", "deze intensiteit", "deze vraag".
    pub fn this(self) -> &'static str {
        match self {
            Kind::Profile => "dit profiel",
            Kind::Intensity => "deze intensiteit",
            Kind::Question => "deze vraag",
        }
    }
}

/// The fields of every form on a region's page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ItemForm {
    pub nummer: String,
    pub code: String,
    pub naam: String,
    pub omschrijving: String,
    /// A question as families read it.
    pub vraag: String,
    pub betaald_per: String,
    pub datum: String,
    /// A new region: its procurement method.
    pub methode: String,
}

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, message)
}

fn check_text(errors: &mut Refused, field: &str, value: &str, max: usize, missing: &str) {
    if value.trim().is_empty() || value.trim().chars().count() > max {
        errors.push(error(field, format!("{missing} (hoogstens {max} tekens).")));
    }
}

fn record(
    conn: &mut DbConnection,
    by: Option<i64>,
    action: &'static str,
    entity: &'static str,
    id: i64,
    new_value: &str,
) -> QueryResult<()> {
    crate::audit::record(
        conn,
        &crate::audit::Change {
            user_id: by,
            action,
            entity,
            entity_id: Some(id),
            field: "naam",
            old_value: None,
            new_value: Some(new_value),
        },
    )
}

/// A new region with its name and procurement method; the installation's beheerder only
/// (a regional beheerder's scope is its own region).
pub fn add_region(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    form: &ItemForm,
) -> QueryResult<Result<String, Refused>> {
    let mut errors = Vec::new();
    if scope != RegionScope::All {
        errors.push(error(
            "naam",
            "Alleen de beheerder van alle regio's voegt een regio toe.",
        ));
    }
    check_text(
        &mut errors,
        "naam",
        &form.naam,
        80,
        "Vul de naam van de regio in",
    );
    let slug = crate::web::text::slugify(&form.naam);
    if slug.is_empty() && !form.naam.trim().is_empty() {
        errors.push(error("naam", "Gebruik letters in de naam van de regio."));
    }
    if reference
        .regions
        .iter()
        .any(|r| r.slug == slug || r.name == form.naam.trim())
    {
        errors.push(error("naam", "Er is al een regio met deze naam."));
    }
    if !METHODS.iter().any(|(code, _)| *code == form.methode) {
        errors.push(error("methode", "Kies de inkoopmethode van de regio."));
    }
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    conn.write_transaction(|conn| {
        let id: i64 = diesel::insert_into(regions::table)
            .values((
                regions::slug.eq(&slug),
                regions::name.eq(form.naam.trim()),
                regions::procurement_method.eq(&form.methode),
            ))
            .returning(regions::id)
            .get_result(conn)?;
        record(conn, by, "regio toegevoegd", "region", id, form.naam.trim())?;
        crate::reference::seed::add_default_satisfaction_items(conn, id)?;
        crate::read_model::scores_changed(conn)?;
        Ok(Ok(slug))
    })
}

/// Adds a profile (number, official name, B1 description) or an intensity (code, name,
/// description, how it is paid) to a region in the actor's scope.
pub fn add(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    region_id: i64,
    kind: Kind,
    form: &ItemForm,
) -> QueryResult<Result<i64, Refused>> {
    let mut errors = Vec::new();
    if reference.region(region_id).is_none() || !scope.includes(region_id) {
        return Ok(Err(vec![error("naam", "Deze regio beheert u niet.")]));
    }
    check_texts(&mut errors, kind, form);
    let (name, description) = (form.naam.trim(), form.omschrijving.trim());
    let added = match kind {
        Kind::Profile => {
            let number = form
                .nummer
                .trim()
                .parse::<i32>()
                .ok()
                .filter(|n| (1..=99).contains(n));
            match number {
                None => errors.push(error(
                    "nummer",
                    "Vul het nummer van het profiel in: 1 tot en met 99.",
                )),
                Some(n) if reference.profile_in_region(region_id, n).is_some() => {
                    errors.push(error(
                        "nummer",
                        "Deze regio heeft al een profiel met dit nummer.",
                    ));
                }
                Some(_) => {}
            }
            let (Some(number), true) = (number, errors.is_empty()) else {
                return Ok(Err(errors));
            };
            conn.write_transaction(|conn| {
                let id: i64 = diesel::insert_into(profiles::table)
                    .values((
                        profiles::region_id.eq(region_id),
                        profiles::number.eq(number),
                        profiles::name.eq(name),
                        profiles::description.eq(description),
                    ))
                    .returning(profiles::id)
                    .get_result(conn)?;
                record(
                    conn,
                    by,
                    "profiel toegevoegd",
                    "profile",
                    id,
                    &format!("{number}. {name}"),
                )?;
                crate::read_model::scores_changed(conn)?;
                Ok::<_, diesel::result::Error>(id)
            })?
        }
        Kind::Intensity => {
            let taken = |code: &str| reference.intensity_in_region(region_id, code).is_some();
            let code = new_code(&mut errors, kind, &form.code, taken);
            let (Some(code), true) = (code, errors.is_empty()) else {
                return Ok(Err(errors));
            };
            let order = next(
                reference
                    .intensities
                    .iter()
                    .filter(|i| i.region_id == region_id)
                    .map(|i| i.sort_order),
            );
            conn.write_transaction(|conn| {
                let id: i64 = diesel::insert_into(intensities::table)
                    .values((
                        intensities::region_id.eq(region_id),
                        intensities::code.eq(&code),
                        intensities::name.eq(name),
                        intensities::description.eq(description),
                        intensities::paid_per.eq(&form.betaald_per),
                        intensities::sort_order.eq(order),
                    ))
                    .returning(intensities::id)
                    .get_result(conn)?;
                record(conn, by, "intensiteit toegevoegd", "intensity", id, name)?;
                crate::read_model::scores_changed(conn)?;
                Ok::<_, diesel::result::Error>(id)
            })?
        }
        Kind::Question => {
            let in_region = || {
                reference
                    .satisfaction_items
                    .iter()
                    .filter(|i| i.region_id == region_id)
            };
            let code = new_code(&mut errors, kind, &form.code, |code| {
                in_region().any(|i| i.code == code)
            });
            let (Some(code), true) = (code, errors.is_empty()) else {
                return Ok(Err(errors));
            };
            let order = next(in_region().map(|i| i.sort_order));
            let question = form.vraag.trim();
            conn.write_transaction(|conn| {
                let id: i64 = diesel::insert_into(satisfaction_items::table)
                    .values((
                        satisfaction_items::region_id.eq(region_id),
                        satisfaction_items::code.eq(&code),
                        satisfaction_items::name.eq(name),
                        satisfaction_items::question.eq(question),
                        satisfaction_items::sort_order.eq(order),
                    ))
                    .returning(satisfaction_items::id)
                    .get_result(conn)?;
                record(
                    conn,
                    by,
                    "vraag toegevoegd",
                    "satisfaction_item",
                    id,
                    question,
                )?;
                crate::read_model::families_changed(conn)?;
                Ok::<_, diesel::result::Error>(id)
            })?
        }
    };
    Ok(Ok(added))
}

/// A new intensity's or question's code: short, in the form a field name or an address can
/// carry, not yet taken in the region (and not a field the questionnaire has already).
fn new_code(
    errors: &mut Refused,
    kind: Kind,
    typed: &str,
    taken: impl Fn(&str) -> bool,
) -> Option<String> {
    let code = crate::web::text::slugify(typed);
    let example = match kind {
        Kind::Question => "uitleg-hulp",
        _ => "licht-ambulant",
    };
    if code.is_empty()
        || code != typed.trim()
        || code.len() > 30
        || (kind == Kind::Question && RESERVED_CODES.contains(&code.as_str()))
    {
        errors.push(error(
            "code",
            format!("Vul een korte code in: kleine letters, cijfers en streepjes, bijvoorbeeld {example}."),
        ));
        return None;
    }
    if taken(&code) {
        errors.push(error(
            "code",
            format!(
                "Deze regio heeft al {} met deze code.",
                match kind {
                    Kind::Question => "een vraag",
                    _ => "een intensiteit",
                }
            ),
        ));
        return None;
    }
    Some(code)
}

/// The place after the last one.
fn next(orders: impl Iterator<Item = i32>) -> i32 {
    orders.max().unwrap_or(0) + 1
}

fn check_texts(errors: &mut Refused, kind: Kind, form: &ItemForm) {
    check_text(errors, "naam", &form.naam, 200, "Vul de naam in");
    if kind == Kind::Question {
        check_text(
            errors,
            "vraag",
            &form.vraag,
            200,
            "Vul de vraag in zoals ouders en jongeren hem lezen",
        );
    } else {
        check_text(
            errors,
            "omschrijving",
            &form.omschrijving,
            1000,
            "Vul een korte uitleg in gewone woorden in",
        );
    }
    if kind == Kind::Intensity && !PAID_PER.iter().any(|(code, _)| *code == form.betaald_per) {
        errors.push(error(
            "betaald_per",
            "Kies hoe de intensiteit betaald wordt: per traject, per 4 weken, per uur of per dag.",
        ));
    }
}

/// The region of a profile or intensity, when the actor manages it.
pub(super) fn region_of(
    reference: &ReferenceData,
    scope: RegionScope,
    kind: Kind,
    id: i64,
) -> Option<i64> {
    let region = match kind {
        Kind::Profile => reference.profile(id).map(|p| p.region_id),
        Kind::Intensity => reference.intensity(id).map(|i| i.region_id),
        Kind::Question => reference.satisfaction_item(id).map(|i| i.region_id),
    }?;
    scope.includes(region).then_some(region)
}

pub(super) fn not_yours(kind: Kind) -> Refused {
    vec![FieldError::form(format!(
        "Dit is niet {} van een regio die u beheert.",
        kind.the()
    ))]
}

/// New name and description; for an intensity also how it is paid, as long as no tariff or
/// use depends on that (then it is closed and a new one added).
pub fn change(
    conn: &mut DbConnection,
    by: Option<i64>,
    scope: RegionScope,
    reference: &ReferenceData,
    kind: Kind,
    id: i64,
    form: &ItemForm,
) -> QueryResult<Result<(), Refused>> {
    if region_of(reference, scope, kind, id).is_none() {
        return Ok(Err(not_yours(kind)));
    }
    let mut errors = Vec::new();
    check_texts(&mut errors, kind, form);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let (name, description) = (
        form.naam.trim().to_owned(),
        form.omschrijving.trim().to_owned(),
    );
    conn.write_transaction(|conn| {
        let changes = match kind {
            Kind::Profile => {
                let Some(old) = reference.profile(id) else {
                    return Ok(Err(not_yours(kind)));
                };
                diesel::update(profiles::table.find(id))
                    .set((profiles::name.eq(&name), profiles::description.eq(&description)))
                    .execute(conn)?;
                vec![
                    ("naam", old.name.clone(), name.clone()),
                    ("omschrijving", old.description.clone(), description.clone()),
                ]
            }
            Kind::Intensity => {
                let Some(old) = reference.intensity(id) else {
                    return Ok(Err(not_yours(kind)));
                };
                if old.paid_per != form.betaald_per
                    && (has_tariffs(conn, kind, id)? || in_use(conn, kind, id)?)
                {
                    return Ok(Err(vec![error(
                        "betaald_per",
                        "Hoe deze intensiteit betaald wordt, kan niet meer veranderen: er zijn al tarieven of aanbod voor. Sluit haar vanaf een datum en voeg een nieuwe toe.",
                    )]));
                }
                diesel::update(intensities::table.find(id))
                    .set((
                        intensities::name.eq(&name),
                        intensities::description.eq(&description),
                        intensities::paid_per.eq(&form.betaald_per),
                    ))
                    .execute(conn)?;
                vec![
                    ("naam", old.name.clone(), name.clone()),
                    ("omschrijving", old.description.clone(), description.clone()),
                    ("betaald per", old.paid_per.clone(), form.betaald_per.clone()),
                ]
            }
            Kind::Question => {
                let Some(old) = reference.satisfaction_item(id) else {
                    return Ok(Err(not_yours(kind)));
                };
                let question = form.vraag.trim().to_owned();
                if question != old.question && in_use(conn, kind, id)? {
                    return Ok(Err(vec![error(
                        "vraag",
                        "Gezinnen hebben deze vraag al beantwoord: de vraag zelf blijft daarom zoals hij is. Sluit hem en voeg een nieuwe vraag toe.",
                    )]));
                }
                diesel::update(satisfaction_items::table.find(id))
                    .set((
                        satisfaction_items::name.eq(&name),
                        satisfaction_items::question.eq(&question),
                    ))
                    .execute(conn)?;
                vec![
                    ("naam", old.name.clone(), name.clone()),
                    ("vraag", old.question.clone(), question),
                ]
            }
        };
        crate::audit::fields(conn, by, kind.entity(), id, &changes)?;
        crate::read_model::scores_changed(conn)?;
        Ok(Ok(()))
    })
}
