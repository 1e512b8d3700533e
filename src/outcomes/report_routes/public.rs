//! Published scores for everyone: the page about the scores, the JSON and CSV open data,
//! and the block on a provider's public page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;

use crate::db::schema::{providers, score_reports, scores};
use crate::outcomes::reports::{self, PUBLISHED, Report};
use crate::web::layout::{Crumb, Page, html_response};
use crate::web::{ApiError, AppError, AppState};

use super::CsvRow;

pub(super) async fn about_scores(state: web::Data<AppState>) -> HttpResponse {
    let crumbs = vec![Crumb::here("Over de cijfers")];
    html_response(StatusCode::OK, Page { title: "Over de cijfers", site: &state.site, crumbs, section: Some("/over"), account: None }.render(html! {
        h1 { "Over de cijfers" }
        p.lead { "Per aanbieder en per profiel laten wij zien hoe de hulp afliep. Zo kunt u kiezen op resultaat." }
        h2 { "Welke cijfers?" }
        dl {
            dt { "Doelen bereikt (doelrealisatie)" }
            dd { "Van de afgesloten trajecten waarvan bekend is of de doelen zijn bereikt: het deel waarin alle doelen zijn bereikt. Daarnaast ziet u het deel waarin de doelen deels zijn bereikt." }
            dt { "Voortijdig gestopt (uitval)" }
            dd { "Van alle afgesloten trajecten: het deel dat eerder stopte dan gepland, omdat de cliënt of de aanbieder stopte, of door omstandigheden. Lager is beter." }
            dt { "Binnen een jaar weer hulp nodig (terugval)" }
            dd { "Van alle afgesloten trajecten: het deel waarbij dezelfde cliënt binnen 12 maanden (365 dagen) weer hulp kreeg bij dezelfde aanbieder voor hetzelfde profiel. Lager is beter." }
            dt { "Tevredenheid" }
            dd { "Het gemiddelde cijfer (1 tot 10) dat cliënten gaven, en het deel dat een 7 of hoger gaf. Wij laten zien wie het mat: de aanbieder zelf of de gemeente." }
        }
        h2 { "Welke periode?" }
        p { "Elk rapport gaat over de trajecten die zijn afgesloten in de 12 maanden tot en met het einde van een kwartaal. Naast elk cijfer staat die datum." }
        h2 { "Hoe zeker is een cijfer?" }
        p { "Bij elk cijfer staat het aantal trajecten (n). Hoe meer trajecten, hoe zekerder het cijfer. Daarom staat er ook een marge bij: de echte waarde ligt met 95% zekerheid tussen die twee getallen. Voor de percentages gebruiken wij het Wilson-interval, voor het gemiddelde cijfer het t-interval." }
        p { "Zijn er minder dan " (crate::outcomes::indicators::MIN_N) " trajecten? Dan tonen wij geen cijfer maar 'te weinig gegevens'. Zo is niemand te herkennen en voorkomen wij toevalstreffers." }
        h2 { "Vergeleken met het gemiddelde" }
        p { "Het gemiddelde is dat van alle aanbieders in de regio voor hetzelfde profiel. Wij schrijven alleen 'beter' of 'minder goed dan gemiddeld' als de hele marge boven of onder het gemiddelde ligt. Anders staat er 'vergelijkbaar'." }
        h2 { "Het verhaal achter de cijfers" }
        p { "Aanbieders zien hun cijfers eerst zelf en mogen ze toelichten. De contractmanager van de regio controleert het rapport voordat het openbaar wordt." }
        h2 { "Ervaring van gezinnen" }
        p { "Na afloop van de hulp vraagt de gemeente het gezin om een cijfer van 1 tot 10 voor zes dingen: of de hulp hielp, of het gezin kon meebeslissen, of de hulp makkelijk te krijgen was, of de aanbieder vriendelijk en duidelijk was, of het gezin zich veilig voelde, en hoe de hulpverleners met het gezin omgingen. Het cijfer van een gezin is het gemiddelde van die zes, afgerond." }
        p { "Deze cijfers meet de gemeente zelf. Wij tonen ze per profiel en apart voor vrijwillige en gedwongen hulp, want bij gedwongen hulp zijn gezinnen vaak minder tevreden. Wij tonen een cijfer pas vanaf " (crate::outcomes::indicators::MIN_N) " antwoorden. De aanbieder ziet nooit de antwoorden van één gezin. Het afgesloten traject telt ook mee in de andere cijfers van de aanbieder, met de gemeente als bron." }
        h2 { "Wachttijd in de praktijk" }
        p { "De wachttijd in de praktijk is het aantal dagen tussen de keuze van het gezin en de start van de hulp. Wij tonen de middelste waarde (mediaan) van de afgelopen 12 maanden en het aantal starts (n). Daarnaast staat de wachttijd die de aanbieder zelf opgeeft." }
    }))
}

pub(super) async fn published_for_slug(
    state: &AppState,
    slug: String,
) -> Result<
    (
        std::sync::Arc<crate::reference::ReferenceData>,
        Vec<(Report, Vec<reports::Score>)>,
    ),
    AppError,
> {
    let cache = state.reference.clone();
    state
        .db
        .run(move |conn| {
            let id: i64 = providers::table
                .filter(providers::slug.eq(&slug))
                .filter(providers::in_catalogue.eq(true))
                .select(providers::id)
                .first(conn)
                .optional()?
                .ok_or(AppError::NotFound)?;
            Ok((cache.get(conn)?, reports::published(conn, id)?))
        })
        .await
}

pub(super) async fn api_provider_scores(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (reference, published) = published_for_slug(&state, slug.into_inner()).await?;
    let items: Vec<serde_json::Value> = published
        .iter()
        .flat_map(|(report, list)| {
            let reference = &reference;
            list.iter().map(move |s| {
                serde_json::json!({
                    "region": reference.region(report.region_id).map(|r| r.slug.clone()),
                    "period": report.period,
                    "window": "12 maanden",
                    "version": report.version,
                    "profile": reference.profile(s.profile_id).map(|p| p.number),
                    "indicator": s.indicator,
                    "n": s.n,
                    "value": s.value,
                    "interval": s.interval().map(|(l, h)| [l, h]),
                    "regional_average": s.average,
                    "source": s.source,
                    "explanation": s.explanation,
                })
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(serde_json::json!({ "items": items })))
}

/// The minimum number of cases behind a score, as the database stores counts.
pub(super) const MIN_CASES: i32 = crate::outcomes::indicators::MIN_N as i32;

pub(super) async fn api_scores_csv(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let cache = state.reference.clone();
    let csv = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let rows: Vec<CsvRow> = scores::table
                .inner_join(score_reports::table.inner_join(providers::table))
                .filter(score_reports::status.eq(PUBLISHED))
                // Below the minimum there is no score: those rows are left out.
                .filter(scores::n.ge(MIN_CASES))
                .order((
                    providers::slug,
                    score_reports::region_id,
                    score_reports::period,
                    score_reports::version,
                    scores::profile_id,
                    scores::indicator,
                ))
                .select((
                    providers::slug,
                    score_reports::region_id,
                    score_reports::period,
                    scores::profile_id,
                    score_reports::version,
                    scores::indicator,
                    scores::source,
                    scores::n,
                    scores::value,
                    scores::interval_low,
                    scores::interval_high,
                    scores::average,
                    providers::name,
                ))
                .load(conn)?;
            let mut writer = csv::Writer::from_writer(Vec::new());
            let header = [
                "aanbieder",
                "naam",
                "regio",
                "periode",
                "versie",
                "profiel",
                "indicator",
                "bron",
                "n",
                "waarde",
                "interval_laag",
                "interval_hoog",
                "regiogemiddelde",
            ];
            writer.write_record(header).map_err(anyhow::Error::from)?;
            let f = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
            for (
                slug,
                region,
                period,
                profile,
                version,
                indicator,
                source,
                n,
                value,
                low,
                high,
                average,
                name,
            ) in rows
            {
                let number = reference.profile(profile).map_or(0, |p| p.number);
                writer
                    .write_record([
                        slug,
                        name,
                        reference
                            .region(region)
                            .map_or(String::new(), |r| r.slug.clone()),
                        period,
                        version.to_string(),
                        number.to_string(),
                        indicator,
                        source,
                        n.to_string(),
                        f(value),
                        f(low),
                        f(high),
                        f(average),
                    ])
                    .map_err(anyhow::Error::from)?;
            }
            Ok(writer.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)
        })
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(("Content-Disposition", "attachment; filename=\"scores.csv\""))
        .body(csv))
}
