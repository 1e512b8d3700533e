//! Published scores for everyone: the page about the scores, the JSON and CSV open data,
//! and the block on a provider's public page.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::html;

use crate::db::schema::{admissions, providers, score_reports, scores};
use crate::domain::provider::{AdmissionStatus, ProviderStatus};
use crate::outcomes::reports::{self, PUBLISHED, Report};
use crate::startup::AppState;
use crate::web::csv_export::{CsvExport, Dialect};
use crate::web::layout::{Crumb, Page, html_response};
use crate::web::{ApiError, AppError};

use super::CsvRow;

pub(super) async fn about_scores(state: web::Data<AppState>) -> HttpResponse {
    let crumbs = vec![Crumb::here("Over de cijfers")];
    html_response(StatusCode::OK, Page { title: "Over de cijfers", site: &state.site, crumbs, section: Some("/over"), account: None }.render(html! {
        h1 { "Over de cijfers" }
        p.lead { "Per aanbieder en per profiel laten wij zien hoe de hulp afliep. Zo kunt u kiezen op resultaat." }
        h2 { "Welke cijfers?" }
        dl {
            dt { "Doelen bereikt (doelrealisatie)" }
            dd {
                p { "Van de afgesloten trajecten waarvan bekend is of de doelen zijn bereikt: het deel waarin alle doelen zijn bereikt. Daarnaast ziet u het deel waarin de doelen deels zijn bereikt." }
                p #doelen { "Bij de start spreken het gezin, de toegangsmedewerker en de aanbieder één tot vijf doelen af; de aanbieder bevestigt ze. Bij het afsluiten krijgt elk doel een oordeel: behaald, deels of niet behaald. Een traject telt als " strong { "behaald" } " als alle afgesproken doelen zijn behaald, als " strong { "deels behaald" } " als minstens één doel (deels) is behaald, en anders als " strong { "niet behaald" } ". Aanbieders die hun resultaten aanleveren, geven hetzelfde door: hoeveel doelen zijn afgesproken, behaald en deels behaald. Zijn er vooraf geen doelen afgesproken, dan telt het oordeel van de toegangsmedewerker of de aanbieder bij het afsluiten." }
            }
            dt #zonder-hulp { "Kan verder zonder jeugdhulp" }
            dd { "Bij het afsluiten vraagt de toegangsmedewerker: 'Kan de jongere verder zonder jeugdhulp?' Het antwoord is ja, met lichtere hulp of nee. Het cijfer is het deel 'ja' van de afgesloten trajecten met een antwoord. Daarnaast ziet u het deel 'met lichtere hulp'. Aanbieders die hun resultaten aanleveren, geven hetzelfde door (kolom " code { "zonder_hulp" } ")." }
            dt #problemen-kleiner { "Problemen kleiner geworden" }
            dd { "Bij het afsluiten vraagt de toegangsmedewerker ook: 'Zijn de problemen kleiner geworden?' Het antwoord is ja, deels of nee. Het cijfer is het deel 'ja'; daarnaast ziet u het deel 'deels' (kolom " code { "problemen_kleiner" } ")." }
            dt { "Voortijdig gestopt (uitval)" }
            dd { "Van alle afgesloten trajecten: het deel dat eerder stopte dan gepland, omdat de cliënt of de aanbieder stopte, of door omstandigheden. Lager is beter." }
            dt { "Binnen een jaar weer hulp nodig (terugval)" }
            dd { "Van alle afgesloten trajecten: het deel waarbij dezelfde cliënt binnen 12 maanden (365 dagen) weer jeugdhulp kreeg, bij welke aanbieder in de regio en in welk profiel ook. Lager is beter. Wij herkennen een cliënt aan het pseudoniem van de gemeente; trajecten die een aanbieder zelf aanlevert, hebben het pseudoniem van die aanbieder, en daar tellen alleen terugkeren bij dezelfde aanbieder." }
            dt { "Tevredenheid" }
            dd { "Het gemiddelde cijfer (1 tot 10) dat cliënten gaven, en het deel dat een 7 of hoger gaf. Wij laten zien wie het mat: de aanbieder zelf of de gemeente." }
        }
        h2 #profiel { "Onder welk profiel telt een traject?" }
        p { "Soms verandert tijdens de hulp wat een gezin nodig heeft. De toegangsmedewerker legt een wijziging van profiel of intensiteit dan vast, met de datum en de reden, en de aanbieder bevestigt haar. Het resultaat telt onder het profiel en de intensiteit waarmee de hulp eindigde." }
        h2 { "Welke periode?" }
        p { "Elk rapport gaat over de trajecten die zijn afgesloten in de 12 maanden tot en met het einde van een kwartaal. Naast elk cijfer staat die datum." }
        h2 { "Hoe zeker is een cijfer?" }
        p { "Bij elk cijfer staat het aantal trajecten (n). Hoe meer trajecten, hoe zekerder het cijfer. Daarom staat er ook een marge bij: de echte waarde ligt met 95% zekerheid tussen die twee getallen." }
        p { "Zijn er minder dan " (crate::outcomes::indicators::MIN_N) " trajecten? Dan tonen wij geen cijfer maar 'te weinig gegevens'. Zo is niemand te herkennen en voorkomen wij toevalstreffers." }
        h2 #regiogemiddelde { "Vergeleken met het regiogemiddelde" }
        p { "Het regiogemiddelde telt alle trajecten van de aanbieders in de regio met hetzelfde profiel samen, van de aanbieders met minstens " (crate::outcomes::indicators::MIN_N) " trajecten. Met dat ene getal vergelijken wij elke aanbieder, op elke pagina en in elk bestand." }
        p { "Een aanbieder met weinig trajecten kan door toeval hoog of laag uitkomen. Daarom kijken wij hoeveel een cijfer mag afwijken bij dat aantal trajecten. Bij weinig trajecten mag dat veel zijn, bij veel trajecten weinig." }
        figure {
            (funnel_picture())
            figcaption { "Zo werkt het: de lijn in het midden is het regiogemiddelde. Tussen de twee gebogen lijnen liggen de cijfers die je door toeval kunt verwachten. Links (weinig trajecten) is die ruimte breed, rechts (veel trajecten) smal. Alleen een punt buiten de lijnen is echt beter of minder goed." }
        }
        p { "Ligt het cijfer binnen die ruimte? Dan staat er 'vergelijkbaar met gemiddeld'. Dat betekent: het verschil met het gemiddelde kan toeval zijn. Ligt het cijfer erbuiten, dan staat er 'beter' of 'minder goed dan gemiddeld'. Verschillen de aanbieders in een regio meer dan toeval verklaart, dan maken wij de ruimte breder, zodat niet te veel aanbieders als uitschieter gelden." }
        p { "Sorteert u de lijst op een resultaat? Dan tellen wij ook mee hoeveel trajecten achter een cijfer zitten. Een aanbieder met 10 van de 10 bereikt komt zo niet boven een aanbieder met 285 van de 300, alleen door geluk. Het cijfer dat u bij een aanbieder leest, blijft het echte cijfer met het aantal trajecten." }
        h2 #kader { "Vrijwillige en gedwongen hulp" }
        p { "Soms krijgt een gezin hulp omdat de rechter dat beslist: hulp in het gedwongen kader. Die hulp loopt vaker anders af, en gezinnen zijn er vaak minder tevreden over. Een aanbieder die veel gedwongen hulp geeft, zou daardoor slechter lijken dan hij is." }
        p { "Daarom ziet u bij elk cijfer welk deel van de trajecten gedwongen hulp was. Hebben zowel de vrijwillige als de gedwongen trajecten minstens " (crate::outcomes::indicators::MIN_N) " trajecten, dan ziet u ook het cijfer van alleen de vrijwillige hulp." }
        p { "En wij vergelijken gelijk met gelijk. Wij rekenen uit wat de aanbieders in de regio samen halen bij vrijwillige hulp en bij gedwongen hulp. Daarmee berekenen wij wat je mag verwachten bij het deel gedwongen hulp van deze aanbieder: het verwachte cijfer. 'Beter' of 'minder goed dan gemiddeld' betekent: het cijfer ligt buiten de ruimte rond dat verwachte cijfer. Heeft een aanbieder evenveel gedwongen hulp als de regio, dan is het verwachte cijfer gelijk aan het regiogemiddelde. Is het anders, dan staat het verwachte cijfer bij de vergelijking." }
        h2 { "Het verhaal achter de cijfers" }
        p { "Aanbieders zien hun cijfers eerst zelf en mogen ze toelichten. De contractmanager van de regio controleert het rapport voordat het openbaar wordt." }
        h2 { "Ervaring van gezinnen" }
        p { "Na afloop van de hulp vraagt de gemeente het gezin om een cijfer van 1 tot 10 voor zes dingen: of de hulp hielp, of het gezin kon meebeslissen, of de hulp makkelijk te krijgen was, of de aanbieder vriendelijk en duidelijk was, of het gezin zich veilig voelde, en hoe de hulpverleners met het gezin omgingen. Het cijfer van een gezin is het gemiddelde van die zes, afgerond." }
        p { "Deze cijfers meet de gemeente zelf. Wij tonen ze per profiel en apart voor vrijwillige en gedwongen hulp, want bij gedwongen hulp zijn gezinnen vaak minder tevreden. Wij tonen een cijfer pas vanaf " (crate::outcomes::indicators::MIN_N) " antwoorden. De aanbieder ziet nooit de antwoorden van één gezin. Het afgesloten traject telt ook mee in de andere cijfers van de aanbieder, met de gemeente als bron." }
        h2 { "Wachttijd in de praktijk" }
        p { "De wachttijd in de praktijk is het aantal dagen tussen de keuze van het gezin en de start van de hulp. Wij tonen de middelste waarde (mediaan) van de afgelopen 12 maanden en het aantal starts (n). Daarnaast staat de wachttijd die de aanbieder zelf opgeeft." }
        h2 #minstens-tien { "Altijd minstens " (crate::outcomes::indicators::MIN_N) }
        p { "Elk cijfer dat wij van cliënten maken en openbaar tonen (resultaten, ervaring van gezinnen, wachttijd in de praktijk) tonen wij pas vanaf " (crate::outcomes::indicators::MIN_N) " trajecten, antwoorden of starts. Zijn het er minder, dan ziet u alleen hoeveel het er zijn. Dat geldt op elke pagina, in elk bestand en in de API. Alleen de aanbieder zelf ziet op zijn eigen pagina's ook de kleinere aantallen." }
        h2 #voor-deskundigen { "Voor deskundigen: hoe wij rekenen" }
        ul {
            li { "De marge (95%) is voor percentages het Wilson-interval en voor het gemiddelde cijfer het t-interval." }
            li { "Het regiogemiddelde is het doel (target) van het trechterdiagram: Σ gebeurtenissen ÷ Σ n over de aanbieders met n ≥ " (crate::outcomes::indicators::MIN_N) " (voor tevredenheid het naar n gewogen gemiddelde). De grenzen van de trechter zijn exact binomiaal (95% en 99,8%); bij overdispersie (φ) worden ze verbreed met τ² (DerSimonian-Laird, z-scores gewinsoriseerd)." }
            li { "De open data (" code { "/api/v1/scores.csv" } ", " code { "/api/v1/providers/{slug}/scores" } ") geeft het regiogemiddelde als " code { "target" } ". Daarnaast staat het gewone gemiddelde over alle aanbieders, ook die met minder dan " (crate::outcomes::indicators::MIN_N) " trajecten (" code { "gemiddelde_alle_aanbieders" } " en " code { "mean_all_providers" } "). Dat getal gebruiken wij niet voor de vergelijking; het kan daarom iets anders zijn." }
            li { "Kader (indirecte standaardisatie): per profiel en indicator is de regiowaarde per kader Σ gebeurtenissen ÷ Σ n van de vrijwillige en van de gedwongen trajecten, over dezelfde aanbieders als het target. Die regiowaarden gebruiken wij alleen als elk kader minstens 10 trajecten heeft en de delen van minder dan 10 trajecten (bij één aanbieder) samen verborgen blijven: van minstens twee aanbieders en samen minstens 10 trajecten. Anders is het verwachte cijfer het regiogemiddelde. Het verwachte cijfer van een aanbieder is (n" sub { "vrijwillig" } " × regiowaarde" sub { "vrijwillig" } " + n" sub { "gedwongen" } " × regiowaarde" sub { "gedwongen" } ") ÷ n. De grenzen (en dus het oordeel) liggen rond dat verwachte cijfer, met de breedte (en τ²) van de trechter van de regio. De shrinkage voor het sorteren blijft naar het regiogemiddelde trekken: zonder spreiding boven toeval volgt de lijst de getoonde cijfers, niet het deel gedwongen hulp. In het trechterdiagram van de contractmanager staat de aanbieder op zijn cijfer − verwacht + target. In de open data: " code { "aandeel_gedwongen" } ", " code { "waarde_alleen_vrijwillig" } " en " code { "verwacht_bij_kader" } " (API: " code { "forced_share" } ", " code { "voluntary_value" } ", " code { "expected" } ")." }
            li { "Sorteren op een resultaat gebeurt op de naar het regiogemiddelde getrokken waarde (shrinkage met τ²), zodat een klein aantal trajecten niet door toeval bovenaan komt." }
        }
    }))
}

/// A small drawing of a funnel plot: target line, the limits narrowing as n grows, and a
/// few points, one outside. Decorative: the caption says what it shows.
fn funnel_picture() -> maud::Markup {
    html! {
        svg.funnel-picture viewBox="0 0 320 180" width="320" height="180" aria-hidden="true" focusable="false" {
            line x1="20" y1="160" x2="310" y2="160" stroke="currentColor" stroke-width="1" {}
            line x1="20" y1="10" x2="20" y2="160" stroke="currentColor" stroke-width="1" {}
            line x1="20" y1="85" x2="310" y2="85" stroke="currentColor" stroke-width="2" {}
            path d="M30 15 C 80 55, 160 70, 310 75" fill="none" stroke="currentColor" stroke-dasharray="5 4" {}
            path d="M30 155 C 80 115, 160 100, 310 95" fill="none" stroke="currentColor" stroke-dasharray="5 4" {}
            circle cx="45" cy="40" r="4" {}
            circle cx="80" cy="120" r="4" {}
            circle cx="130" cy="92" r="4" {}
            circle cx="190" cy="80" r="4" {}
            circle cx="240" cy="60" r="5" {}
            circle cx="285" cy="88" r="4" {}
            text x="165" y="176" font-size="11" text-anchor="middle" fill="currentColor" { "aantal trajecten →" }
        }
    }
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

/// One published value of a provider, with its fair comparison (issue 15).
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ScoreItem<'a> {
    region: Option<&'a str>,
    period: &'a str,
    window: &'static str,
    version: i32,
    profile: Option<i32>,
    #[schema(value_type = String)]
    indicator: crate::domain::indicator::Indicator,
    n: i32,
    value: Option<f64>,
    interval: Option<[f64; 2]>,
    /// The plain average over all the region's providers, also those with fewer than 10
    /// trajectories. Not what the provider is compared with: that is `target`, the
    /// regiogemiddelde on every page.
    mean_all_providers: Option<f64>,
    regio: Option<&'a str>,
    /// The regiogemiddelde: all trajectories of the providers with at least 10, pooled (the
    /// funnel's target). The comparison and the funnel limits are read against it.
    target: Option<f64>,
    funnel_lower_95: Option<f64>,
    funnel_upper_95: Option<f64>,
    funnel_lower_998: Option<f64>,
    funnel_upper_998: Option<f64>,
    tau2: Option<f64>,
    shrunk_value: Option<f64>,
    /// `better`, `similar` or `worse`.
    #[schema(value_type = Option<String>)]
    comparison: Option<crate::domain::indicator::Comparison>,
    /// The share (0 to 1) of the cases in the gedwongen kader; only beside a value.
    forced_share: Option<f64>,
    /// The value of the vrijwillig cases alone, where both kaders have at least 10 cases.
    voluntary_value: Option<f64>,
    /// What the region's providers reach at this provider's mix of vrijwillig and
    /// gedwongen cases: the centre of the limits the comparison is read against.
    expected: Option<f64>,
    source: &'a str,
    explanation: &'a str,
}

/// `GET /api/v1/providers/{slug}/scores`: the provider's newest published reports.
#[utoipa::path(get, path = "/api/v1/providers/{slug}/scores", tag = "scores",
    params(("slug" = String, Path, description = "The provider's slug")),
    responses((status = 200, description = "The answer", body = crate::web::api::Items<ScoreItem>), (status = 400, description = "A parameter or the body was refused; details per field", body = crate::web::ApiErrorDoc), (status = 404, description = "No such object", body = crate::web::ApiErrorDoc)))]
pub async fn api_provider_scores(
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (reference, published) = published_for_slug(&state, slug.into_inner()).await?;
    let items: Vec<ScoreItem<'_>> = published
        .iter()
        .flat_map(|(report, list)| {
            let reference = &reference;
            let region = reference.region(report.region_id).map(|r| r.slug.as_str());
            list.iter().map(move |s| ScoreItem {
                region,
                period: &report.period,
                window: "12 maanden",
                version: report.version,
                profile: reference.profile(s.profile_id).map(|p| p.number),
                indicator: s.indicator,
                n: s.n,
                value: s.value,
                interval: s.interval().map(|(l, h)| [l, h]),
                mean_all_providers: s.average,
                regio: region,
                target: s.target,
                funnel_lower_95: s.funnel_lower_95,
                funnel_upper_95: s.funnel_upper_95,
                funnel_lower_998: s.funnel_lower_998,
                funnel_upper_998: s.funnel_upper_998,
                tau2: s.tau2,
                shrunk_value: s.shrunk_value,
                comparison: s.comparison,
                forced_share: s.forced_share().filter(|_| s.value.is_some()),
                voluntary_value: s.voluntary_value,
                expected: s.expected,
                source: &s.source,
                explanation: &s.explanation,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(crate::web::api::Items { items }))
}

/// The minimum number of cases behind a score, as the database stores counts.
pub(super) const MIN_CASES: i32 = crate::outcomes::indicators::MIN_N as i32;

/// `GET /api/v1/scores.csv`: every published value as open data (CSV, comma-separated, UTF-8).
#[utoipa::path(get, path = "/api/v1/scores.csv", tag = "scores",
    responses((status = 200, description = "The answer", content_type = "text/csv", body = String)))]
pub async fn api_scores_csv(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let cache = state.reference.clone();
    let csv = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let rows: Vec<CsvRow> = scores::table
                .inner_join(score_reports::table.inner_join(providers::table))
                // What the provider pages show: an active provider, in the regions where it
                // is admitted now (a suspended one's page answers 404, and so do its rows).
                .inner_join(
                    admissions::table.on(admissions::provider_id
                        .eq(score_reports::provider_id)
                        .and(admissions::region_id.eq(score_reports::region_id))),
                )
                .filter(admissions::status.eq(AdmissionStatus::Toegelaten))
                .filter(providers::status.eq(ProviderStatus::Actief))
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
                    (
                        scores::target,
                        scores::funnel_lower_95,
                        scores::funnel_upper_95,
                        scores::funnel_lower_998,
                        scores::funnel_upper_998,
                        scores::tau2,
                        scores::shrunk_value,
                        scores::comparison,
                    ),
                    (scores::forced_n, scores::voluntary_value, scores::expected),
                ))
                .load(conn)?;
            let mut writer = CsvExport::new(Dialect::OpenData);
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
                "gemiddelde_alle_aanbieders",
                "target",
                "funnel_lower_95",
                "funnel_upper_95",
                "funnel_lower_998",
                "funnel_upper_998",
                "tau2",
                "shrunk_value",
                "comparison",
                "aandeel_gedwongen",
                "waarde_alleen_vrijwillig",
                "verwacht_bij_kader",
            ];
            writer.row(header)?;
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
                (target, lower_95, upper_95, lower_998, upper_998, tau2, shrunk, comparison),
                (forced_n, voluntary, expected),
            ) in rows
            {
                let number = reference.profile(profile).map_or(0, |p| p.number);
                let f = |v: Option<f64>| writer.number(v, 4);
                let cells = [
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
                    f(target),
                    f(lower_95),
                    f(upper_95),
                    f(lower_998),
                    f(upper_998),
                    writer.number(tau2, 6),
                    f(shrunk),
                    comparison.map_or(String::new(), |c| c.as_str().to_owned()),
                    f(forced_n.map(|g| f64::from(g) / f64::from(n.max(1)))),
                    f(voluntary),
                    f(expected),
                ];
                writer.row(cells)?;
            }
            writer.into_bytes()
        })
        .await?;
    Ok(CsvExport::attachment(csv, "scores.csv"))
}
