//! The review of a report: the provider explains and submits, a contract manager publishes
//! or returns it, a correction becomes a new version.

use std::collections::BTreeMap;

use diesel::prelude::*;

use crate::accounts::model as users;
use crate::db::DbConnection;
use crate::db::schema::{providers, regions, score_reports, scores};
use crate::domain::ids::ProviderId;
use crate::mail::{self, templates};
use crate::outcomes::compute::Quarter;
use crate::providers::admission::provider_addresses;
use crate::web::auth::SessionUser;
use crate::web::{AppError, FieldError};

use super::published::refresh_published;
use super::{CONCEPT, PUBLISHED, RETURNED, Report, SUBMITTED, create_version, snapshot};

/// Saves the provider's explanations (per profile) while the report is still editable.
pub fn explain(
    conn: &mut DbConnection,
    report: &Report,
    explanations: &BTreeMap<i64, String>,
) -> Result<(), AppError> {
    if report.status != CONCEPT && report.status != RETURNED {
        return Err(AppError::InvalidInput(vec![FieldError::form(
            "Dit rapport is ingediend of gepubliceerd en kan niet meer worden gewijzigd.",
        )]));
    }
    for (profile, text) in explanations {
        if text.chars().count() > 2000 {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                format!("uitleg-{profile}"),
                "Gebruik hoogstens 2000 tekens.",
            )]));
        }
        // Public text, beside the scores: never a BSN in it, nor a character that turns
        // the text around or hides in it.
        if crate::web::input::contains_bsn(text) {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                format!("uitleg-{profile}"),
                crate::web::input::BSN_MESSAGE,
            )]));
        }
        if crate::web::input::has_invisible(text) {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                format!("uitleg-{profile}"),
                crate::web::input::INVISIBLE_MESSAGE,
            )]));
        }
        diesel::update(
            scores::table
                .filter(scores::report_id.eq(report.id))
                .filter(scores::profile_id.eq(profile)),
        )
        .set(scores::explanation.eq(text.trim()))
        .execute(conn)?;
    }
    Ok(())
}

/// What a submit says when the figures changed after the page showed them.
pub const FIGURES_CHANGED: &str = "Uw cijfers zijn veranderd sinds u deze pagina opende. Hieronder staan de nieuwe cijfers. Kijk of uw uitleg nog klopt en dien het rapport opnieuw in.";

/// The provider submits the figures it saw (`seen`, from [`super::figures_seen`] of the page;
/// without it, those of the stored snapshot): the snapshot is taken once more, and when its
/// figures differ from what was seen the submit is refused, never swapped silently. Then
/// the managers are mailed.
pub fn submit(
    conn: &mut DbConnection,
    report: &Report,
    user_id: i64,
    public_url: &str,
    seen: Option<&str>,
) -> Result<(), AppError> {
    let shown = match seen {
        Some(seen) => seen.to_owned(),
        None => super::figures_seen(&super::scores_of(conn, report.id)?),
    };
    if report.status == CONCEPT || report.status == RETURNED {
        snapshot(conn, report)?;
        if super::figures_seen(&super::scores_of(conn, report.id)?) != shown {
            return Err(AppError::InvalidInput(vec![FieldError::form(
                FIGURES_CHANGED,
            )]));
        }
    }
    let changed = diesel::update(
        score_reports::table
            .find(report.id)
            .filter(score_reports::status.eq_any([CONCEPT, RETURNED])),
    )
    .set((
        score_reports::status.eq(SUBMITTED),
        score_reports::submitted_at.eq(Some(crate::clock::now())),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(AppError::InvalidInput(vec![FieldError::form(
            "Dit rapport is al ingediend.",
        )]));
    }
    crate::audit::action(
        conn,
        Some(user_id),
        "scorerapport ingediend",
        "score_report",
        Some(report.id),
    )?;
    let (provider, region) = names(conn, report)?;
    let quarter = Quarter::parse(&report.period).map_or(report.period.clone(), |q| q.label());
    for manager in users::contract_managers(conn, report.region_id)? {
        mail::queue(
            conn,
            &templates::compose(
                &manager.email,
                &format!("Cijfers ter beoordeling: {provider}"),
                "Beste contractmanager,",
                &[format!(
                    "{provider} heeft de cijfers van het {quarter} in de regio {region} ingediend. Wilt u ze beoordelen?"
                )],
                Some((
                    "Naar de rapporten",
                    &format!("{public_url}/beheer/scores/rapporten/{}", report.id),
                )),
            ),
        )?;
    }
    Ok(())
}

pub(super) fn names(conn: &mut DbConnection, report: &Report) -> QueryResult<(String, String)> {
    let provider: String = providers::table
        .find(report.provider_id)
        .select(providers::name)
        .first(conn)?;
    let region: String = regions::table
        .find(report.region_id)
        .select(regions::name)
        .first(conn)?;
    Ok((provider, region))
}

/// A contract manager publishes or returns a submitted report.
pub fn decide(
    conn: &mut DbConnection,
    report: &Report,
    by: &SessionUser,
    publish: bool,
    comment: &str,
    public_url: &str,
) -> Result<(), AppError> {
    if !by.may_decide_for_region(report.region_id) {
        return Err(AppError::Forbidden(
            "Dit rapport hoort bij een andere regio.".into(),
        ));
    }
    if !publish && comment.trim().is_empty() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "opmerking",
            "Schrijf op wat de aanbieder moet aanpassen.",
        )]));
    }
    let now = crate::clock::now();
    let changed = diesel::update(
        score_reports::table
            .find(report.id)
            .filter(score_reports::status.eq(SUBMITTED)),
    )
    .set((
        score_reports::status.eq(if publish { PUBLISHED } else { RETURNED }),
        score_reports::published_at.eq(publish.then_some(now)),
        score_reports::comment.eq(comment.trim()),
        score_reports::decided_by.eq(Some(by.id)),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(AppError::InvalidInput(vec![FieldError::form(
            "Over dit rapport is al besloten. Vernieuw de pagina.",
        )]));
    }
    if publish {
        let kept = super::reference::keep(conn, report.region_id)?;
        diesel::update(score_reports::table.find(report.id))
            .set(score_reports::reference_snapshot_id.eq(Some(kept)))
            .execute(conn)?;
        super::read_against_region(conn, report)?;
        // The catalogue sorts on `published_scores`: without this the sort on results never
        // saw a publication.
        refresh_published(conn, report.provider_id)?;
    }
    crate::audit::action(
        conn,
        Some(by.id),
        if publish {
            "scorerapport gepubliceerd"
        } else {
            "scorerapport teruggestuurd"
        },
        "score_report",
        Some(report.id),
    )?;
    let (provider, region) = names(conn, report)?;
    let quarter = Quarter::parse(&report.period).map_or(report.period.clone(), |q| q.label());
    let mut lines = vec![if publish {
        format!(
            "De cijfers van {provider} over het {quarter} in de regio {region} zijn gepubliceerd. Ze staan nu in de catalogus."
        )
    } else {
        format!(
            "De contractmanager heeft de cijfers van {provider} over het {quarter} in de regio {region} teruggestuurd."
        )
    }];
    if !comment.trim().is_empty() {
        lines.push(format!("Opmerking: {}", comment.trim()));
    }
    for email in provider_addresses(conn, report.provider_id)? {
        mail::queue(
            conn,
            &templates::compose(
                &email,
                &if publish {
                    format!("Uw cijfers zijn gepubliceerd ({region})")
                } else {
                    format!("Uw cijfers zijn teruggestuurd ({region})")
                },
                "Beste aanbieder,",
                &lines,
                Some((
                    "Naar uw cijfers",
                    &format!("{public_url}/mijn-aanbod/cijfers/{}", report.id),
                )),
            ),
        )?;
    }
    Ok(())
}

/// A correction of a published report: a new concept version with a reason; the published
/// version stays as it was (and public) until the new one is published.
pub fn correct(
    conn: &mut DbConnection,
    report: &Report,
    user_id: i64,
    reason: &str,
) -> Result<i64, AppError> {
    if report.status != PUBLISHED {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "reden",
            "Alleen een gepubliceerd rapport kan worden gecorrigeerd.",
        )]));
    }
    if reason.trim().is_empty() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "reden",
            "Schrijf op waarom de cijfers worden gecorrigeerd.",
        )]));
    }
    let newest: i32 = score_reports::table
        .filter(score_reports::provider_id.eq(report.provider_id))
        .filter(score_reports::region_id.eq(report.region_id))
        .filter(score_reports::period.eq(&report.period))
        .select(diesel::dsl::max(score_reports::version))
        .first::<Option<i32>>(conn)?
        .unwrap_or(report.version);
    if newest > report.version {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "reden",
            "Er is al een nieuwere versie van dit rapport.",
        )]));
    }
    let id = create_version(
        conn,
        ProviderId(report.provider_id),
        report.region_id,
        &report.period,
        newest + 1,
        reason.trim(),
    )?;
    crate::audit::action(
        conn,
        Some(user_id),
        "correctie scorerapport",
        "score_report",
        Some(id),
    )?;
    Ok(id)
}
