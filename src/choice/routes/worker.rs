//! The worker's list, the new-hulpvraag form and the worker's page of one hulpvraag.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::catalogue::compare;
use crate::choice::commands::{self, Correction, NewHulpvraag};
use crate::choice::model::{Hulpvraag, Kader, Status};
use crate::choice::pages::{self, HulpvraagForm, WorkerView};
use crate::choice::queries;
use crate::db::DbConnection;
use crate::domain::ids::MunicipalityId;
use crate::domain::values::{AgeBand, CaseNumber, parse_field};
use crate::reference::ReferenceData;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::input::contains_bsn;
use crate::web::layout::see_other;
use crate::web::layout::{Account, html_response};
use crate::web::{AppError, FieldError};

use super::{PER_PAGE, names};

#[derive(Deserialize)]
pub(super) struct ListQuery {
    pub(super) status: Option<String>,
    pub(super) pagina: Option<u32>,
    pub(super) zoek: Option<String>,
    pub(super) aanbieder: Option<String>,
}

pub(super) async fn worker_list(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = queries::WorkerFilter {
        status: query.status.as_deref().and_then(Status::parse),
        words: query
            .zoek
            .as_deref()
            .map(str::trim)
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().take(64).collect()),
        provider: query
            .aanbieder
            .as_deref()
            .and_then(|p| p.trim().parse().ok()),
    };
    let page = query.pagina.unwrap_or(1).max(1);
    let cache = state.reference.clone();
    let who = user.clone();
    let wanted = filter.clone();
    let (reference, (items, total), chosen) = state
        .db
        .run(move |conn| {
            Ok((
                cache.get(conn)?,
                queries::list_for_worker(conn, &who, &wanted, page, PER_PAGE)?,
                queries::chosen_providers(conn, &who)?,
            ))
        })
        .await?;
    let pages_count = crate::web::components::page_count(total, PER_PAGE);
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::worker_list(
            &state.site,
            account,
            &reference,
            &pages::WorkerListView {
                items: &items,
                filter: &filter,
                chosen: &chosen,
                page,
                pages: pages_count,
            },
        ),
    ))
}

pub(super) async fn new_form(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let municipality = user.own_municipality()?;
    let reference = state.reference_data().await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        pages::new_hulpvraag(
            &state.site,
            account,
            &reference,
            municipality,
            &HulpvraagForm::default(),
            &[],
        ),
    ))
}

/// Checks the new-hulpvraag form against the worker's own municipality and region.
pub(super) fn check_new(
    form: &HulpvraagForm,
    reference: &ReferenceData,
    municipality_id: MunicipalityId,
) -> Result<NewHulpvraag, Vec<FieldError>> {
    let mut errors = Vec::new();
    let region_id = reference
        .municipality(municipality_id.get())
        .map(|m| m.region_id)
        .unwrap_or_default();
    let details = check_details(form, reference, region_id, &mut errors);
    if let Some(d) = &details {
        check_open(reference, (d.profile_id, d.intensity_id), None, &mut errors);
    }
    let case_number = parse_field::<CaseNumber>(&mut errors, "zaaknummer", &form.zaaknummer);
    match (details, case_number) {
        (Some(d), Some(case_number)) if errors.is_empty() => Ok(NewHulpvraag {
            region_id,
            municipality_id: municipality_id.get(),
            profile_id: d.profile_id,
            intensity_id: d.intensity_id,
            kader: d.kader,
            age_band: d.age_band,
            case_number,
            notes: d.notes,
        }),
        _ => Err(errors),
    }
}

/// A new choice of profile or intensity must be open today (a region closes one from a
/// date); what a hulpvraag already has (`kept`) stays allowed.
pub(super) fn check_open(
    reference: &ReferenceData,
    chosen: (i64, i64),
    kept: Option<(i64, i64)>,
    errors: &mut Vec<FieldError>,
) {
    let today = crate::clock::today();
    if let Some(p) = reference.profile(chosen.0).filter(|p| !p.open_on(today))
        && kept.is_none_or(|k| k.0 != chosen.0)
    {
        errors.push(FieldError::new(
            "profiel",
            format!("Profiel {} is gesloten. Kies een ander profiel.", p.number),
        ));
    }
    if let Some(i) = reference.intensity(chosen.1).filter(|i| !i.open_on(today))
        && kept.is_none_or(|k| k.1 != chosen.1)
    {
        errors.push(FieldError::new(
            "intensiteit",
            format!("De intensiteit {} is gesloten. Kies een andere.", i.name),
        ));
    }
}

/// Profile and intensity of the region, age band, kader and notes: what a new hulpvraag
/// asks and a correction may change. Adds a message per wrong field.
pub(super) fn check_details(
    form: &HulpvraagForm,
    reference: &ReferenceData,
    region_id: i64,
    errors: &mut Vec<FieldError>,
) -> Option<Correction> {
    let profile = form
        .profiel
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(|n| reference.profile_in_region(region_id, n));
    if profile.is_none() {
        errors.push(FieldError::new("profiel", "Kies het profiel."));
    }
    let intensity = reference.intensity_in_region(region_id, form.intensiteit.trim());
    if intensity.is_none() {
        errors.push(FieldError::new("intensiteit", "Kies de intensiteit."));
    }
    let age_band = parse_field::<AgeBand>(errors, "leeftijd", &form.leeftijd);
    let kader = Kader::parse(form.kader.trim());
    if kader.is_none() {
        errors.push(FieldError::new("kader", "Kies vrijwillig of gedwongen."));
    }
    let notes = form.notities.trim();
    if notes.chars().count() > 2000 {
        errors.push(FieldError::new(
            "notities",
            "De notities zijn te lang. Gebruik hoogstens 2000 tekens.",
        ));
    } else if contains_bsn(notes) {
        errors.push(FieldError::new(
            "notities",
            "De notities bevatten iets dat lijkt op een burgerservicenummer. Haal dat weg.",
        ));
    }
    Some(Correction {
        profile_id: profile?.id,
        intensity_id: intensity?.id,
        age_band: age_band?,
        kader: kader?,
        notes: notes.to_owned(),
    })
}

pub(super) async fn create(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<HulpvraagForm>,
) -> Result<HttpResponse, AppError> {
    let municipality = user.own_municipality()?;
    let reference = state.reference_data().await?;
    match check_new(&form, &reference, municipality) {
        Ok(new) => {
            let who = user.clone();
            let id = state
                .db
                .run(move |conn| {
                    Ok(conn.write_transaction(|conn| commands::open(conn, &who, &new))?)
                })
                .await?;
            Ok(see_other(&format!(
                "/toegang/hulpvragen/{id}?gelukt=geopend"
            )))
        }
        Err(errors) => {
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(html_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                pages::new_hulpvraag(
                    &state.site,
                    account,
                    &reference,
                    municipality,
                    &form,
                    &errors,
                ),
            ))
        }
    }
}

#[derive(Deserialize)]
pub(super) struct PageQuery {
    pub(super) gelukt: Option<String>,
}

pub(super) fn message(code: Option<&str>) -> Option<&'static str> {
    Some(match code? {
        "geopend" => {
            "De hulpvraag is gemaakt. Bekijk de voorgestelde aanbieders en maak een link voor het gezin."
        }
        "toegevoegd" => "De aanbieder staat nu op de lijst.",
        "verwijderd" => "De aanbieder is van de lijst gehaald.",
        "gekozen" => "De keuze is vastgelegd. De aanbieder heeft een e-mail gekregen.",
        "gestart" => "De start van de hulp is vastgelegd.",
        "link" => "De link voor het gezin is gemaakt.",
        "link_nieuw" => {
            "Er is een nieuwe link voor het gezin gemaakt. De vorige link werkt niet meer."
        }
        "link_gemaild" => "De link is naar het gezin gemaild. Het e-mailadres is niet bewaard.",
        "aangepast" => {
            "De hulpvraag is aangepast. Wat er veranderd is, staat onderaan in de geschiedenis."
        }
        "aangepast_gemaild" => {
            "De hulpvraag is aangepast. Het gezin heeft een e-mail gekregen met wat er veranderd is; het adres is niet bewaard."
        }
        "niets_aangepast" => "Er was niets veranderd. De hulpvraag is gebleven zoals hij was.",
        "ingetrokken" => "De hulpvraag is ingetrokken.",
        "doelen" => {
            "De doelen zijn vastgelegd. De aanbieder heeft een e-mail gekregen om ze te bevestigen."
        }
        "garantie" => {
            "Het eerdere traject wordt weer opgepakt. De aanbieder heeft een e-mail gekregen."
        }
        "garantie_afgezien" => {
            "U kiest anders dan het eerdere traject. De reden staat bij de hulpvraag."
        }
        "wijziging" => {
            "De wijziging is vastgelegd. De aanbieder heeft een e-mail gekregen om haar te bevestigen."
        }
        "wijziging_weg" => "De wijziging is ingetrokken.",
        "doelen_weg" => {
            "De doelen zijn weggehaald. Bij het afsluiten kiest u dan of de doelen zijn bereikt."
        }
        _ => return None,
    })
}

/// What the worker's page needs, loaded in one go.
pub(super) struct Loaded {
    pub(super) reference: std::sync::Arc<ReferenceData>,
    pub(super) hulpvraag: Hulpvraag,
    pub(super) shortlist: Vec<compare::Compared>,
    pub(super) addable: Vec<(i64, String)>,
    pub(super) requests: Vec<crate::choice::model::CareRequest>,
    pub(super) names: HashMap<i64, String>,
    pub(super) events: Vec<crate::choice::model::Event>,
    pub(super) goals: Vec<commands::goals::Goal>,
    pub(super) guarantee: Option<commands::guarantee::Offer>,
    pub(super) shifts: Vec<commands::shifts::Shift>,
    pub(super) periods: Vec<commands::shifts::TariffPeriod>,
}

pub(super) fn load_for_worker(
    conn: &mut DbConnection,
    cache: &crate::reference::ReferenceCache,
    user: &SessionUser,
    id: i64,
) -> Result<Loaded, AppError> {
    let reference = cache.get(conn)?;
    let hulpvraag = commands::for_worker(conn, user, id)?;
    let (shortlist, requests) = family_data(conn, &reference, &hulpvraag)?;
    let listed: Vec<i64> = shortlist.iter().map(|c| c.provider.id).collect();
    let candidates = commands::candidates(conn, &hulpvraag, false, crate::clock::today())?;
    // Only providers that offer the requested intensity can be added.
    let offering = commands::with_intensity(conn, &hulpvraag, &candidates)?;
    let others: Vec<i64> = candidates
        .into_iter()
        .filter(|p| !listed.contains(p) && offering.contains(p))
        .collect();
    let mut ids: Vec<i64> = others.clone();
    ids.extend(requests.iter().map(|r| r.provider_id));
    ids.extend(hulpvraag.provider_id);
    ids.extend(&listed);
    let events = commands::events(conn, id)?;
    let goals = commands::goals::load(conn, id)?;
    let guarantee = commands::guarantee::offer(conn, &hulpvraag)?;
    let shifts = commands::shifts::load(conn, id)?;
    let periods = commands::shifts::tariff_periods(
        &hulpvraag,
        &shifts,
        &crate::reference::tariffs::of_region(conn, hulpvraag.region_id)?,
        commands::guarantee::binds(conn, &hulpvraag, hulpvraag.provider_id.unwrap_or_default())?,
    );
    ids.extend(events.iter().filter_map(|e| e.provider_id));
    let names = names(conn, &ids)?;
    let mut addable: Vec<(i64, String)> = others
        .into_iter()
        .filter_map(|p| names.get(&p).map(|n| (p, n.clone())))
        .collect();
    addable.sort_by_cached_key(|(_, name)| crate::web::text::fold(name));
    Ok(Loaded {
        reference,
        hulpvraag,
        shortlist,
        addable,
        requests,
        names,
        events,
        goals,
        guarantee,
        shifts,
        periods,
    })
}

pub(super) fn family_data(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    h: &Hulpvraag,
) -> Result<
    (
        Vec<compare::Compared>,
        Vec<crate::choice::model::CareRequest>,
    ),
    AppError,
> {
    let profile = reference.profile(h.profile_id);
    let scope = compare::Scope {
        profile_number: profile.map_or(0, |p| p.number),
        region: profile.map(|p| p.region_id),
        intensity: reference.intensity(h.intensity_id).map(|i| i.code.as_str()),
    };
    let ids = commands::shortlist(conn, h.id)?;
    Ok((
        compare::load(conn, reference, scope, &ids)?,
        commands::requests(conn, h.id)?,
    ))
}

pub(super) struct Shown<'a> {
    pub(super) experience_code: Option<&'a str>,
    pub(super) message: Option<&'a str>,
    pub(super) errors: &'a [FieldError],
    pub(super) status: StatusCode,
    /// The goals as the worker typed them, shown again with their errors.
    pub(super) typed_goals: Option<&'a [String]>,
}

pub(super) async fn render_worker(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    id: i64,
    shown: Shown<'_>,
) -> Result<HttpResponse, AppError> {
    let cache = state.reference.clone();
    let who = user.clone();
    let loaded = state
        .db
        .run(move |conn| load_for_worker(conn, &cache, &who, id))
        .await?;
    let account = Account { user, csrf };
    let family_code = commands::current_family_code(&loaded.hulpvraag, &state.link_key);
    let view = WorkerView {
        hulpvraag: &loaded.hulpvraag,
        shortlist: &loaded.shortlist,
        addable: &loaded.addable,
        requests: &loaded.requests,
        names: &loaded.names,
        events: &loaded.events,
        goals: &loaded.goals,
        guarantee: loaded.guarantee.as_ref(),
        shifts: &loaded.shifts,
        periods: &loaded.periods,
        typed_goals: shown.typed_goals,
        family_code: family_code.as_deref(),
        experience_code: shown.experience_code,
        public_url: &state.public_url,
        message: shown.message,
    };
    Ok(html_response(
        shown.status,
        pages::worker_hulpvraag(&state.site, account, &loaded.reference, &view, shown.errors),
    ))
}

pub(super) async fn worker_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let shown = Shown {
        experience_code: None,
        message: message(query.gelukt.as_deref()),
        errors: &[],
        status: StatusCode::OK,
        typed_goals: None,
    };
    render_worker(&state, &user, &csrf, id.into_inner(), shown).await
}

/// Runs a step on the worker's own hulpvraag in one transaction. Input errors show the page
/// again with the messages; everything else is the step's result.
pub(super) async fn worker_step<T: Send + 'static>(
    state: &AppState,
    user: &SessionUser,
    id: i64,
    step: impl FnOnce(&mut DbConnection, &Hulpvraag) -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    let who = user.clone();
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                let h = commands::for_worker(conn, &who, id)?;
                step(conn, &h)
            })
        })
        .await
}

/// Shows the worker's page with the input errors of a step, or passes other errors on.
pub(super) async fn or_show_errors(
    state: &AppState,
    user: &SessionUser,
    csrf: &CsrfToken,
    id: i64,
    result: Result<HttpResponse, AppError>,
) -> Result<HttpResponse, AppError> {
    match result {
        Err(AppError::InvalidInput(errors)) => {
            let shown = Shown {
                experience_code: None,
                message: None,
                errors: &errors,
                status: StatusCode::UNPROCESSABLE_ENTITY,
                typed_goals: None,
            };
            render_worker(state, user, csrf, id, shown).await
        }
        other => other,
    }
}
