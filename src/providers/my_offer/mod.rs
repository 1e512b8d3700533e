//! "Mijn aanbod": a provider user keeps its own listing current. Every route here is behind
//! `require(&[Role::Aanbieder])`, and every query is scoped to `user.own_provider()`, so a
//! provider can never read or change another's listing. Changes are live at once (the
//! catalogue's read model is refreshed in the same transaction) and audited field by field.
//!
//! The overview page is here; the organisation's details, the offers and the API tokens
//! each have their own file.

mod check;
mod colleagues;
mod offer_changes;
mod offer_form;
mod organisation;
mod tokens;
mod waiting;

use offer_changes::{create_offer, delete_offer, edit_offer_page, new_offer_page, update_offer};
use organisation::{OrganisationForm, save_organisation};
use tokens::{create_token, revoke_token, tokens_page};
use waiting::{save_waiting, waiting_page};

use crate::domain::ids::ProviderId;
use crate::startup::AppState;
use crate::web::components::scroll_region;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use crate::db::DbConnection;
use crate::db::schema::{admissions, offer_municipalities, offers, providers, regions};
use crate::providers::model::{Admission, AdmissionStatus, Offer, Provider};
use crate::reference::ReferenceData;
use crate::web::auth::SessionUser;
use crate::web::components::{Field, error_summary, notice as notice_box, textarea};
use crate::web::csrf::CsrfToken;
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::text::{date_nl, weeks_nl};
use crate::web::{AppError, FieldError};

/// Mounted by `startup::routes` in the `/mijn-aanbod` scope, behind the provider role gate.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(overview))
        .route("/organisatie", web::post().to(save_organisation))
        .route("/aanbod/nieuw", web::get().to(new_offer_page))
        .route("/aanbod", web::post().to(create_offer))
        .route("/aanbod/{id}", web::get().to(edit_offer_page))
        .route("/aanbod/{id}", web::post().to(update_offer))
        .route("/aanbod/{id}/verwijderen", web::post().to(delete_offer))
        .route("/gecontroleerd", web::post().to(check::confirm_listing))
        .route("/wachttijden", web::get().to(waiting_page))
        .route("/wachttijden", web::post().to(save_waiting))
        .route("/api-tokens", web::get().to(tokens_page))
        .route("/api-tokens", web::post().to(create_token))
        .route("/api-tokens/{id}/intrekken", web::post().to(revoke_token))
        .route("/collegas", web::get().to(colleagues::colleagues_page))
        .route("/collegas", web::post().to(colleagues::invite_colleague));
}

struct Listing {
    provider: Provider,
    admissions: Vec<(Admission, String)>,
    offers: Vec<Offer>,
    offer_municipalities: Vec<(i64, i64)>,
}

fn load_listing(conn: &mut DbConnection, provider_id: ProviderId) -> Result<Listing, AppError> {
    let provider = providers::table
        .find(provider_id)
        .select(Provider::as_select())
        .first(conn)?;
    let admissions = admissions::table
        .inner_join(regions::table.on(regions::id.eq(admissions::region_id)))
        .filter(admissions::provider_id.eq(provider_id))
        .order(regions::name)
        .select((Admission::as_select(), regions::name))
        .load(conn)?;
    let offers = offers::table
        .filter(offers::provider_id.eq(provider_id))
        .order((offers::region_id, offers::profile_id, offers::intensity_id))
        .select(Offer::as_select())
        .load(conn)?;
    let ids: Vec<i64> = offers.iter().map(|o: &Offer| o.id).collect();
    let offer_municipalities = offer_municipalities::table
        .filter(offer_municipalities::offer_id.eq_any(&ids))
        .select((
            offer_municipalities::offer_id,
            offer_municipalities::municipality_id,
        ))
        .load(conn)?;
    Ok(Listing {
        provider,
        admissions,
        offers,
        offer_municipalities,
    })
}

/// The reference data and the provider's listing, as the overview and the waiting-time
/// form show them.
async fn listing_of(
    state: &AppState,
    provider_id: ProviderId,
) -> Result<(std::sync::Arc<ReferenceData>, Listing), AppError> {
    let cache = state.reference.clone();
    state
        .db
        .run(move |conn| Ok((cache.get(conn)?, load_listing(conn, provider_id)?)))
        .await
}

#[derive(Deserialize, Default)]
struct NoticeQuery {
    opgeslagen: Option<String>,
    verwijderd: Option<String>,
    gecontroleerd: Option<String>,
}

async fn overview(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let (reference, listing) = listing_of(&state, user.own_provider()?).await?;
    let notice = if query.opgeslagen.is_some() {
        Some(
            "Uw wijzigingen zijn opgeslagen. Bent u toegelaten, dan staan ze meteen in de catalogus.",
        )
    } else if query.verwijderd.is_some() {
        Some("Het aanbod is verwijderd.")
    } else if query.gecontroleerd.is_some() {
        Some("Dank u. Uw vermelding is gecontroleerd; de datum staat bij uw vermelding.")
    } else {
        None
    };
    let form = OrganisationForm::from(&listing.provider);
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        overview_page(&state, account, &reference, &listing, &form, &[], notice),
    ))
}

fn overview_page(
    state: &AppState,
    account: Account<'_>,
    reference: &ReferenceData,
    listing: &Listing,
    form: &OrganisationForm,
    errors: &[FieldError],
    notice: Option<&str>,
) -> Markup {
    let p = &listing.provider;
    Page { title: "Mijn aanbod", site: &state.site, crumbs: vec![Crumb::here("Mijn aanbod")], section: None, account: Some(account) }.render(html! {
        h1 { "Mijn aanbod: " (p.name) }
        (notice_box(notice))
        (error_summary(errors))
        p.button-row { a.button href="/mijn-aanbod/aanvragen" { "Aanvragen van gezinnen" } a.button.button--secondary href="/mijn-aanbod/collegas" { "Collega's uitnodigen" } }
        h2 { "Toelating per regio" }
        (scroll_region("Toelating per regio", html! {
            table.data-table {
                thead { tr { th scope="col" { "Regio" } th scope="col" { "Status" } th scope="col" { "Procesovereenkomst" } } }
                tbody {
                    @for (a, region) in &listing.admissions {
                        tr {
                            td { (region) }
                            td { span.status { (a.status().label()) } }
                            td {
                                @match (a.admitted_on, a.ends_on) {
                                    (Some(from), Some(to)) => { "Van " (date_nl(from)) " tot en met " (date_nl(to)) }
                                    _ => { "Nog niet toegelaten" }
                                }
                            }
                        }
                    }
                }
            }
        }))
        @if a_public_listing(listing) {
            p { "Uw openbare pagina: " a href={ "/aanbieders/" (p.slug) } { "/aanbieders/" (p.slug) } }
        }
        (check::block(account.csrf, p.listing_checked_at))
        h2 { "Aanbod per profiel en intensiteit" }
        @if listing.offers.is_empty() {
            p { "U heeft nog geen aanbod ingevuld. Zonder aanbod vinden ouders en toegangsmedewerkers u niet." }
        } @else {
            (scroll_region("Uw aanbod", html! {
                table.data-table {
                    thead { tr { th scope="col" { "Profiel" } th scope="col" { "Intensiteit" } th scope="col" { "Gemeenten" } th scope="col" { "Wachttijd" } th scope="col" { span.visually-hidden { "Acties" } } } }
                    tbody {
                        @for o in &listing.offers {
                            @let towns: Vec<&str> = listing.offer_municipalities.iter().filter(|(id, _)| *id == o.id).filter_map(|(_, m)| reference.municipality(*m)).map(|m| m.name.as_str()).collect();
                            tr {
                                td { (reference.profile(o.profile_id).map_or(String::new(), |p| format!("{} {}", p.number, p.name))) }
                                td { (reference.intensity(o.intensity_id).map_or("", |i| i.name.as_str())) }
                                td { (towns.join(", ")) }
                                td { (weeks_nl(o.waiting_weeks)) @if !o.accepts_new_clients { br; "neemt nu geen nieuwe cliënten" } }
                                td { a href={ "/mijn-aanbod/aanbod/" (o.id) } { "Wijzigen" span.visually-hidden { " aanbod " (o.id) } } }
                            }
                        }
                    }
                }
            }))
        }
        p {
            a.button href="/mijn-aanbod/aanbod/nieuw" { "Aanbod toevoegen" }
            @if !listing.offers.is_empty() { " " a href="/mijn-aanbod/wachttijden" { "Wachttijden van al uw aanbod in één keer bijwerken" } }
        }
        h2 #organisatie { "Gegevens van uw organisatie" }
        form method="post" action="/mijn-aanbod/organisatie" novalidate {
            (account.csrf.field())
            (textarea("beschrijving", "Wie zijn wij?", &form.beschrijving, Some("In gewone taal: voor wie u er bent en wat u doet."), errors))
            (textarea("werkwijze", "Hoe werken wij?", &form.werkwijze, None, errors))
            (textarea("partners", "Met wie werken wij samen?", &form.partners, Some("Bijvoorbeeld onderaannemers. Niet verplicht."), errors))
            (Field::text("straat", "Straat en huisnummer", &form.straat).render(errors))
            (Field::text("postcode", "Postcode", &form.postcode).render(errors))
            (Field::text("plaats", "Plaats", &form.plaats).render(errors))
            (Field::text("telefoon", "Telefoonnummer", &form.telefoon).kind("tel").render(errors))
            (Field::text("email", "Algemeen e-mailadres", &form.email).kind("email").render(errors))
            (Field::text("website", "Website", &form.website).kind("url").optional().render(errors))
            div.choice {
                input type="checkbox" name="verlengde_jeugdhulp" value="ja" id="verlengde" checked[form.verlengde_jeugdhulp == "ja"];
                label for="verlengde" { "Wij bieden verlengde jeugdhulp (18 tot 23 jaar)" }
            }
            p { button type="submit" { "Gegevens opslaan" } }
        }
        h2 { "Koppeling met uw eigen systemen" }
        p { a href="/mijn-aanbod/api-tokens" { "Sleutels voor koppelingen met uw eigen systeem" } }
        h2 { "Resultaten" }
        p { a href="/mijn-aanbod/resultaten" { "Resultaten van uw trajecten aanleveren" } }
        p { a href="/mijn-aanbod/ijw" { "iJw-berichten sturen (JW305 en JW307)" } }
        p { a href="/mijn-aanbod/cijfers" { "Uw cijfers bekijken, toelichten en indienen" } }
    })
}

fn a_public_listing(listing: &Listing) -> bool {
    listing
        .admissions
        .iter()
        .any(|(a, _)| a.status() == AdmissionStatus::Toegelaten)
}
