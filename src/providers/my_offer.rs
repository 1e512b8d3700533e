//! "Mijn aanbod": a provider user keeps its own listing current. Every route here is behind
//! `require(&[Role::Aanbieder])`, and every query is scoped to `user.own_provider()`, so a
//! provider can never read or change another's listing. Changes are live at once (the
//! catalogue's read model is refreshed in the same transaction) and audited field by field.

use crate::web::components::scroll_region;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::TimeDelta;
use diesel::prelude::*;
use maud::{Markup, html};
use serde::Deserialize;

use super::model::{Admission, AdmissionStatus, NewOffer, Offer, Provider, Setting, insert_offers};
use crate::accounts::routes::see_other;
use crate::accounts::secrets::{random_token, token_hash};
use crate::catalogue::listing;
use crate::db::DbConnection;
use crate::db::schema::{admissions, api_tokens, offer_municipalities, offers, providers, regions};
use crate::reference::ReferenceData;
use crate::web::auth::SessionUser;
use crate::web::components::{
    Field, error_summary, field_error, field_id, notice as notice_box, select, textarea,
};
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::{Account, Crumb, Page, html_response};
use crate::web::text::{date_nl, fold, weeks_nl};
use crate::web::{AppError, AppState, FieldError};

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("", web::get().to(overview))
        .route("/organisatie", web::post().to(save_organisation))
        .route("/aanbod/nieuw", web::get().to(new_offer_page))
        .route("/aanbod", web::post().to(create_offer))
        .route("/aanbod/{id}", web::get().to(edit_offer_page))
        .route("/aanbod/{id}", web::post().to(update_offer))
        .route("/aanbod/{id}/verwijderen", web::post().to(delete_offer))
        .route("/api-tokens", web::get().to(tokens_page))
        .route("/api-tokens", web::post().to(create_token))
        .route("/api-tokens/{id}/intrekken", web::post().to(revoke_token))
        .configure(crate::outcomes::routes::provider_routes)
        .configure(crate::choice::routes::provider_routes);
}

struct Listing {
    provider: Provider,
    admissions: Vec<(Admission, String)>,
    offers: Vec<Offer>,
    offer_municipalities: Vec<(i64, i64)>,
}

fn load_listing(conn: &mut DbConnection, provider_id: i64) -> Result<Listing, AppError> {
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

#[derive(Deserialize, Default)]
struct NoticeQuery {
    opgeslagen: Option<String>,
    verwijderd: Option<String>,
}

async fn overview(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    query: web::Query<NoticeQuery>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let cache = state.reference.clone();
    let (reference, listing) = state
        .db
        .run(move |conn| Ok((cache.get(conn)?, load_listing(conn, provider_id)?)))
        .await?;
    let notice = if query.opgeslagen.is_some() {
        Some(
            "Uw wijzigingen zijn opgeslagen. Bent u toegelaten, dan staan ze meteen in de catalogus.",
        )
    } else if query.verwijderd.is_some() {
        Some("Het aanbod is verwijderd.")
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
        p { a.button href="/mijn-aanbod/aanvragen" { "Aanvragen van gezinnen" } }
        h2 { "Toelating per regio" }
        (scroll_region("Toelating per regio", html! {
            table.data-table {
                thead { tr { th scope="col" { "Regio" } th scope="col" { "Status" } th scope="col" { "Procesovereenkomst" } } }
                tbody {
                    @for (a, region) in &listing.admissions {
                        tr {
                            td { (region) }
                            td { span.status { (a.status().map_or("onbekend", |s| s.label())) } }
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
        p { a.button href="/mijn-aanbod/aanbod/nieuw" { "Aanbod toevoegen" } }
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
        p { a href="/mijn-aanbod/cijfers" { "Uw cijfers bekijken, toelichten en indienen" } }
    })
}

fn a_public_listing(listing: &Listing) -> bool {
    listing
        .admissions
        .iter()
        .any(|(a, _)| a.status() == Some(AdmissionStatus::Toegelaten))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
struct OrganisationForm {
    beschrijving: String,
    werkwijze: String,
    partners: String,
    email: String,
    telefoon: String,
    website: String,
    straat: String,
    postcode: String,
    plaats: String,
    verlengde_jeugdhulp: String,
}

impl From<&Provider> for OrganisationForm {
    fn from(p: &Provider) -> Self {
        OrganisationForm {
            beschrijving: p.description.clone(),
            werkwijze: p.approach.clone(),
            partners: p.partners.clone(),
            email: p.email.clone(),
            telefoon: p.phone.clone().unwrap_or_default(),
            website: p.website.clone().unwrap_or_default(),
            straat: p.street.clone(),
            postcode: p.postal_code.clone(),
            plaats: p.city.clone(),
            verlengde_jeugdhulp: if p.verlengde_jeugdhulp {
                "ja".into()
            } else {
                String::new()
            },
        }
    }
}

fn check_organisation(form: &OrganisationForm) -> Result<String, Vec<FieldError>> {
    let mut errors = Vec::new();
    for (field, value, max) in [
        ("beschrijving", &form.beschrijving, 2000),
        ("werkwijze", &form.werkwijze, 4000),
        ("partners", &form.partners, 1000),
    ] {
        if value.chars().count() > max {
            errors.push(FieldError::new(
                field,
                format!("Gebruik hoogstens {max} tekens."),
            ));
        } else if crate::web::input::contains_bsn(value) {
            // Public text: never a BSN in it.
            errors.push(FieldError::new(field, crate::web::input::BSN_MESSAGE));
        }
    }
    let postcode = super::registration::Contact {
        street: &form.straat,
        postcode: &form.postcode,
        city: &form.plaats,
        phone: &form.telefoon,
        email: &form.email,
        email_field: "email",
        website: &form.website,
    }
    .check(&mut errors);
    if errors.is_empty() {
        Ok(postcode.unwrap_or_default())
    } else {
        Err(errors)
    }
}

async fn save_organisation(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<OrganisationForm>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let user_id = user.id;
    let checked = check_organisation(&form);
    let submitted = form.clone();
    let cache = state.reference.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let postcode = match checked {
                Ok(postcode) => postcode,
                Err(errors) => {
                    return Ok(Err((
                        cache.get(conn)?,
                        load_listing(conn, provider_id)?,
                        errors,
                    )));
                }
            };
            conn.write_transaction(|conn| {
                let old = providers::table
                    .find(provider_id)
                    .select(Provider::as_select())
                    .first(conn)?;
                let f = &submitted;
                let website = Some(f.website.trim().to_owned()).filter(|w| !w.is_empty());
                let verlengde = f.verlengde_jeugdhulp == "ja";
                let search_text = fold(
                    &[
                        old.name.as_str(),
                        f.plaats.trim(),
                        f.beschrijving.trim(),
                        f.werkwijze.trim(),
                        f.partners.trim(),
                    ]
                    .join(" "),
                );
                diesel::update(providers::table.find(provider_id))
                    .set((
                        providers::description.eq(f.beschrijving.trim()),
                        providers::approach.eq(f.werkwijze.trim()),
                        providers::partners.eq(f.partners.trim()),
                        providers::email.eq(crate::accounts::model::normalise_email(&f.email)),
                        providers::phone.eq(Some(f.telefoon.trim())),
                        providers::website.eq(website.as_deref()),
                        providers::street.eq(f.straat.trim()),
                        providers::postal_code.eq(&postcode),
                        providers::city.eq(f.plaats.trim()),
                        providers::verlengde_jeugdhulp.eq(verlengde),
                        providers::search_text.eq(search_text),
                        providers::updated_at.eq(crate::clock::now()),
                    ))
                    .execute(conn)?;
                crate::audit::fields(
                    conn,
                    Some(user_id),
                    "provider",
                    provider_id,
                    &[
                        (
                            "beschrijving",
                            old.description,
                            f.beschrijving.trim().to_owned(),
                        ),
                        ("werkwijze", old.approach, f.werkwijze.trim().to_owned()),
                        ("partners", old.partners, f.partners.trim().to_owned()),
                        (
                            "email",
                            old.email,
                            crate::accounts::model::normalise_email(&f.email),
                        ),
                        (
                            "telefoon",
                            old.phone.unwrap_or_default(),
                            f.telefoon.trim().to_owned(),
                        ),
                        (
                            "website",
                            old.website.unwrap_or_default(),
                            website.unwrap_or_default(),
                        ),
                        ("straat", old.street, f.straat.trim().to_owned()),
                        ("postcode", old.postal_code, postcode.clone()),
                        ("plaats", old.city, f.plaats.trim().to_owned()),
                        (
                            "verlengde_jeugdhulp",
                            old.verlengde_jeugdhulp.to_string(),
                            verlengde.to_string(),
                        ),
                    ],
                )?;
                listing::refresh(conn, &[provider_id])?;
                Ok::<_, AppError>(Ok(()))
            })
        })
        .await?;
    match outcome {
        Ok(()) => Ok(see_other("/mijn-aanbod?opgeslagen=1")),
        Err((reference, listing, errors)) => {
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(html_response(
                StatusCode::OK,
                overview_page(&state, account, &reference, &listing, &form, &errors, None),
            ))
        }
    }
}

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
struct OfferForm {
    regio: String,
    profiel: String,
    intensiteit: String,
    gemeente: Vec<String>,
    min_leeftijd: String,
    max_leeftijd: String,
    setting: String,
    /// Language codes from the list; older clients sent one comma-separated field.
    talen: Vec<String>,
    wachttijd: String,
    nieuwe_clienten: String,
}

impl OfferForm {
    fn from_offer(o: &Offer, reference: &ReferenceData, towns: &[i64]) -> Self {
        OfferForm {
            regio: reference
                .region(o.region_id)
                .map_or(String::new(), |r| r.slug.clone()),
            profiel: reference
                .profile(o.profile_id)
                .map_or(String::new(), |p| p.number.to_string()),
            intensiteit: reference
                .intensity(o.intensity_id)
                .map_or(String::new(), |i| i.code.clone()),
            gemeente: towns
                .iter()
                .filter_map(|m| reference.municipality(*m))
                .map(|m| m.slug.clone())
                .collect(),
            min_leeftijd: o.min_age.to_string(),
            max_leeftijd: o.max_age.to_string(),
            setting: o.setting.clone(),
            talen: o.language_codes().map(str::to_owned).collect(),
            wachttijd: o.waiting_weeks.to_string(),
            nieuwe_clienten: if o.accepts_new_clients {
                "ja".into()
            } else {
                "nee".into()
            },
        }
    }
}

/// The offer as it will be stored, after every check.
struct CheckedOffer {
    region_id: i64,
    profile_id: i64,
    intensity_id: i64,
    municipality_ids: Vec<i64>,
    min_age: i32,
    max_age: i32,
    setting: Setting,
    languages: Vec<String>,
    waiting_weeks: i32,
    accepts_new_clients: bool,
}

fn check_offer(
    form: &OfferForm,
    reference: &ReferenceData,
    allowed_regions: &[i64],
) -> Result<CheckedOffer, Vec<FieldError>> {
    let mut errors = Vec::new();
    let region = reference
        .regions
        .iter()
        .find(|r| r.slug == form.regio && allowed_regions.contains(&r.id));
    if region.is_none() {
        errors.push(FieldError::new(
            "regio",
            "Kies een regio waar u bent aangemeld of toegelaten.",
        ));
    }
    let region_id = region.map_or(0, |r| r.id);
    let profile = form
        .profiel
        .parse::<i32>()
        .ok()
        .and_then(|n| reference.profile_in_region(region_id, n));
    if profile.is_none() {
        errors.push(FieldError::new("profiel", "Kies een profiel."));
    }
    let intensity = reference.intensity_in_region(region_id, &form.intensiteit);
    if intensity.is_none() {
        errors.push(FieldError::new("intensiteit", "Kies een intensiteit."));
    }
    let mut municipality_ids = Vec::new();
    for slug in &form.gemeente {
        match reference.municipality_by_slug(slug) {
            Some(m) if m.region_id == region_id => municipality_ids.push(m.id),
            Some(m) => errors.push(FieldError::new(
                "gemeente",
                format!("{} hoort niet bij de gekozen regio.", m.name),
            )),
            None => errors.push(FieldError::new("gemeente", "Kies gemeenten uit de lijst.")),
        }
    }
    if form.gemeente.is_empty() {
        errors.push(FieldError::new(
            "gemeente",
            "Kies minstens één gemeente waar u deze hulp geeft.",
        ));
    }
    let age = |value: &str| {
        value
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|a| (0..=23).contains(a))
    };
    let (min_age, max_age) = (age(&form.min_leeftijd), age(&form.max_leeftijd));
    if min_age.is_none() {
        errors.push(FieldError::new(
            "min_leeftijd",
            "Vul een leeftijd in van 0 tot en met 23 jaar.",
        ));
    }
    if max_age.is_none() {
        errors.push(FieldError::new(
            "max_leeftijd",
            "Vul een leeftijd in van 0 tot en met 23 jaar.",
        ));
    }
    if let (Some(min), Some(max)) = (min_age, max_age)
        && min > max
    {
        errors.push(FieldError::new(
            "max_leeftijd",
            "De hoogste leeftijd moet gelijk zijn aan of hoger zijn dan de laagste.",
        ));
    }
    let setting = Setting::ALL
        .into_iter()
        .find(|s| s.as_str() == form.setting);
    if setting.is_none() {
        errors.push(FieldError::new(
            "setting",
            "Kies waar de hulp gegeven wordt.",
        ));
    }
    let mut languages: Vec<String> = form
        .talen
        .iter()
        .flat_map(|field| field.split(','))
        .map(|l| l.trim().to_lowercase())
        .filter(|l| !l.is_empty())
        .collect();
    languages.dedup();
    if languages.is_empty() {
        errors.push(FieldError::new(
            "talen",
            "Kies minstens één taal waarin u de hulp geeft.",
        ));
    } else if languages
        .iter()
        .any(|l| crate::providers::model::language_name(l).is_none())
    {
        errors.push(FieldError::new("talen", "Kies de talen uit de lijst."));
    }
    // Each language once, in the order of the list.
    languages.sort_by_key(|l| {
        crate::providers::model::LANGUAGES
            .iter()
            .position(|(c, _)| c == l)
    });
    languages.dedup();
    let waiting = form
        .wachttijd
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|w| (0..=104).contains(w));
    if waiting.is_none() {
        errors.push(FieldError::new(
            "wachttijd",
            "Vul de wachttijd in hele weken in, van 0 tot en met 104.",
        ));
    }
    if !matches!(form.nieuwe_clienten.as_str(), "ja" | "nee") {
        errors.push(FieldError::new(
            "nieuwe_clienten",
            "Kies of u nu nieuwe cliënten aanneemt.",
        ));
    }
    match (profile, intensity, min_age, max_age, setting, waiting) {
        (Some(p), Some(i), Some(min), Some(max), Some(setting), Some(waiting_weeks))
            if errors.is_empty() =>
        {
            Ok(CheckedOffer {
                region_id,
                profile_id: p.id,
                intensity_id: i.id,
                municipality_ids,
                min_age: min,
                max_age: max,
                setting,
                languages,
                waiting_weeks,
                accepts_new_clients: form.nieuwe_clienten == "ja",
            })
        }
        _ => Err(errors),
    }
}

/// Regions where the provider may keep an offer: every admission that is not rejected or ended.
fn open_regions(conn: &mut DbConnection, provider_id: i64) -> QueryResult<Vec<i64>> {
    admissions::table
        .filter(admissions::provider_id.eq(provider_id))
        .filter(admissions::status.ne_all([
            AdmissionStatus::Afgewezen.as_str(),
            AdmissionStatus::Beeindigd.as_str(),
        ]))
        .select(admissions::region_id)
        .load(conn)
}

fn offer_page(
    state: &AppState,
    account: Account<'_>,
    reference: &ReferenceData,
    allowed_regions: &[i64],
    offer_id: Option<i64>,
    form: &OfferForm,
    errors: &[FieldError],
) -> Markup {
    let title = if offer_id.is_some() {
        "Aanbod wijzigen"
    } else {
        "Aanbod toevoegen"
    };
    let action = offer_id.map_or("/mijn-aanbod/aanbod".to_owned(), |id| {
        format!("/mijn-aanbod/aanbod/{id}")
    });
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here(title),
    ];
    let regions: Vec<_> = reference
        .regions
        .iter()
        .filter(|r| allowed_regions.contains(&r.id))
        .collect();
    Page { title, site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (title) }
        (error_summary(errors))
        @if regions.is_empty() {
            p { "U bent in geen enkele regio aangemeld of toegelaten. Daarom kunt u geen aanbod invullen." }
        } @else {
            form method="post" action=(action) novalidate {
                (account.csrf.field())
                (select("regio", "Regio", &regions.iter().map(|r| (r.slug.clone(), r.name.clone())).collect::<Vec<_>>(), &form.regio, None, errors))
                (select("profiel", "Cliëntprofiel", &reference.profile_summaries().iter().map(|p| (p.number.to_string(), format!("{} {}", p.number, p.name))).collect::<Vec<_>>(), &form.profiel, None, errors))
                (select("intensiteit", "Intensiteit", &reference.intensity_summaries().iter().map(|i| (i.code.to_owned(), i.name.to_owned())).collect::<Vec<_>>(), &form.intensiteit, None, errors))
                fieldset #(field_id("gemeente")) {
                    legend { "In welke gemeenten geeft u deze hulp?" }
                    @if let Some(e) = field_error(errors, "gemeente") { p.field-error { (e.message) } }
                    @for region in &regions {
                        p.hint { (region.name) }
                        ul.choice-list {
                            @for m in reference.municipalities_of(region.id) {
                                li.choice {
                                    input type="checkbox" name="gemeente" value=(m.slug) id={ "gemeente-" (m.slug) } checked[form.gemeente.contains(&m.slug)];
                                    label for={ "gemeente-" (m.slug) } { (m.name) }
                                }
                            }
                        }
                    }
                }
                (Field::text("min_leeftijd", "Vanaf leeftijd (jaar)", &form.min_leeftijd).kind("number").render(errors))
                (Field::text("max_leeftijd", "Tot en met leeftijd (jaar)", &form.max_leeftijd).kind("number").render(errors))
                (select("setting", "Waar wordt de hulp gegeven?", &Setting::ALL.iter().map(|s| (s.as_str().to_owned(), Setting::label(s.as_str()).to_owned())).collect::<Vec<_>>(), &form.setting, None, errors))
                fieldset #(field_id("talen")) {
                    legend { "In welke talen geeft u deze hulp?" }
                    @if let Some(e) = field_error(errors, "talen") { p.field-error { (e.message) } }
                    ul.choice-list.choice-list--columns {
                        @for (code, name) in crate::providers::model::LANGUAGES {
                            li.choice {
                                input type="checkbox" name="talen" value=(code) id={ "taal-" (code) } checked[form.talen.iter().any(|t| t == code)];
                                label for={ "taal-" (code) } { (name) }
                            }
                        }
                    }
                }
                (Field::text("wachttijd", "Wachttijd nu (weken)", &form.wachttijd).kind("number").render(errors))
                (select("nieuwe_clienten", "Neemt u nu nieuwe cliënten aan?", &[("ja".into(), "Ja".into()), ("nee".into(), "Nee, nu geen plek".into())], &form.nieuwe_clienten, None, errors))
                p { button type="submit" { "Opslaan" } }
            }
            @if let Some(id) = offer_id {
                form method="post" action={ "/mijn-aanbod/aanbod/" (id) "/verwijderen" } {
                    (account.csrf.field())
                    button.button--secondary type="submit" { "Dit aanbod verwijderen" }
                }
            }
        }
    })
}

async fn new_offer_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let cache = state.reference.clone();
    let (reference, allowed) = state
        .db
        .run(move |conn| Ok((cache.get(conn)?, open_regions(conn, provider_id)?)))
        .await?;
    let form = OfferForm {
        min_leeftijd: "0".into(),
        max_leeftijd: "18".into(),
        talen: vec!["nl".into()],
        nieuwe_clienten: "ja".into(),
        ..Default::default()
    };
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        offer_page(&state, account, &reference, &allowed, None, &form, &[]),
    ))
}

/// Loads an offer of the user's own provider; another provider's offer is simply not found.
fn own_offer(
    conn: &mut DbConnection,
    provider_id: i64,
    offer_id: i64,
) -> Result<(Offer, Vec<i64>), AppError> {
    let offer = offers::table
        .filter(offers::id.eq(offer_id))
        .filter(offers::provider_id.eq(provider_id))
        .select(Offer::as_select())
        .first(conn)
        .optional()?
        .ok_or(AppError::NotFound)?;
    let towns = offer_municipalities::table
        .filter(offer_municipalities::offer_id.eq(offer_id))
        .select(offer_municipalities::municipality_id)
        .load(conn)?;
    Ok((offer, towns))
}

async fn edit_offer_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let offer_id = id.into_inner();
    let cache = state.reference.clone();
    let (reference, allowed, (offer, towns)) = state
        .db
        .run(move |conn| {
            Ok((
                cache.get(conn)?,
                open_regions(conn, provider_id)?,
                own_offer(conn, provider_id, offer_id)?,
            ))
        })
        .await?;
    let form = OfferForm::from_offer(&offer, &reference, &towns);
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        offer_page(
            &state,
            account,
            &reference,
            &allowed,
            Some(offer_id),
            &form,
            &[],
        ),
    ))
}

async fn create_offer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<OfferForm>,
) -> Result<HttpResponse, AppError> {
    save_offer(state, user, csrf, None, form).await
}

async fn update_offer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<OfferForm>,
) -> Result<HttpResponse, AppError> {
    save_offer(state, user, csrf, Some(id.into_inner()), form).await
}

async fn save_offer(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    offer_id: Option<i64>,
    form: OfferForm,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let user_id = user.id;
    let cache = state.reference.clone();
    let submitted = form.clone();
    let outcome = state
        .db
        .run(move |conn| {
            let reference = cache.get(conn)?;
            let allowed = open_regions(conn, provider_id)?;
            let existing = match offer_id {
                Some(id) => Some(own_offer(conn, provider_id, id)?),
                None => None,
            };
            let checked = match check_offer(&submitted, &reference, &allowed) {
                Ok(checked) => checked,
                Err(errors) => return Ok(Err((reference, allowed, errors))),
            };
            // One offer per profile and intensity: a second one is an edit of the first.
            let duplicate: Option<i64> = offers::table
                .filter(offers::provider_id.eq(provider_id))
                .filter(offers::profile_id.eq(checked.profile_id))
                .filter(offers::intensity_id.eq(checked.intensity_id))
                .filter(offers::id.ne(offer_id.unwrap_or(0)))
                .select(offers::id)
                .first(conn)
                .optional()?;
            if duplicate.is_some() {
                let errors = vec![FieldError::new(
                    "intensiteit",
                    "U heeft al aanbod voor dit profiel en deze intensiteit. Wijzig dat aanbod.",
                )];
                return Ok(Err((reference, allowed, errors)));
            }
            conn.write_transaction(|conn| {
                let id = match &existing {
                    Some((old, old_towns)) => {
                        diesel::update(offers::table.find(old.id))
                            .set((
                                offers::region_id.eq(checked.region_id),
                                offers::profile_id.eq(checked.profile_id),
                                offers::intensity_id.eq(checked.intensity_id),
                                offers::min_age.eq(checked.min_age),
                                offers::max_age.eq(checked.max_age),
                                offers::setting.eq(checked.setting.as_str()),
                                offers::languages.eq(checked.languages.join(",")),
                                offers::waiting_weeks.eq(checked.waiting_weeks),
                                offers::accepts_new_clients.eq(checked.accepts_new_clients),
                                offers::updated_at.eq(crate::clock::now()),
                            ))
                            .execute(conn)?;
                        diesel::delete(
                            offer_municipalities::table
                                .filter(offer_municipalities::offer_id.eq(old.id)),
                        )
                        .execute(conn)?;
                        for m in &checked.municipality_ids {
                            diesel::insert_into(offer_municipalities::table)
                                .values((
                                    offer_municipalities::offer_id.eq(old.id),
                                    offer_municipalities::municipality_id.eq(*m),
                                ))
                                .execute(conn)?;
                        }
                        let mut old_sorted = old_towns.clone();
                        old_sorted.sort_unstable();
                        let mut new_sorted = checked.municipality_ids.clone();
                        new_sorted.sort_unstable();
                        crate::audit::fields(
                            conn,
                            Some(user_id),
                            "offer",
                            old.id,
                            &[
                                (
                                    "profiel",
                                    old.profile_id.to_string(),
                                    checked.profile_id.to_string(),
                                ),
                                (
                                    "intensiteit",
                                    old.intensity_id.to_string(),
                                    checked.intensity_id.to_string(),
                                ),
                                (
                                    "gemeenten",
                                    format!("{old_sorted:?}"),
                                    format!("{new_sorted:?}"),
                                ),
                                (
                                    "leeftijd",
                                    format!("{}-{}", old.min_age, old.max_age),
                                    format!("{}-{}", checked.min_age, checked.max_age),
                                ),
                                (
                                    "setting",
                                    old.setting.clone(),
                                    checked.setting.as_str().to_owned(),
                                ),
                                ("talen", old.languages.clone(), checked.languages.join(",")),
                                (
                                    "wachttijd",
                                    old.waiting_weeks.to_string(),
                                    checked.waiting_weeks.to_string(),
                                ),
                                (
                                    "nieuwe_clienten",
                                    old.accepts_new_clients.to_string(),
                                    checked.accepts_new_clients.to_string(),
                                ),
                            ],
                        )?;
                        old.id
                    }
                    None => {
                        insert_offers(
                            conn,
                            &[NewOffer {
                                provider_id,
                                region_id: checked.region_id,
                                profile_id: checked.profile_id,
                                intensity_id: checked.intensity_id,
                                min_age: checked.min_age,
                                max_age: checked.max_age,
                                setting: checked.setting,
                                languages: checked.languages.clone(),
                                waiting_weeks: checked.waiting_weeks,
                                accepts_new_clients: checked.accepts_new_clients,
                                municipality_ids: checked.municipality_ids.clone(),
                            }],
                        )?;
                        let id: i64 = offers::table
                            .filter(offers::provider_id.eq(provider_id))
                            .filter(offers::profile_id.eq(checked.profile_id))
                            .filter(offers::intensity_id.eq(checked.intensity_id))
                            .select(offers::id)
                            .first(conn)?;
                        crate::audit::action(
                            conn,
                            Some(user_id),
                            "aanbod toegevoegd",
                            "offer",
                            Some(id),
                        )?;
                        id
                    }
                };
                listing::refresh(conn, &[provider_id])?;
                Ok::<_, AppError>(Ok(id))
            })
        })
        .await?;
    match outcome {
        Ok(_) => Ok(see_other("/mijn-aanbod?opgeslagen=1")),
        Err((reference, allowed, errors)) => {
            let account = Account {
                user: &user,
                csrf: &csrf,
            };
            Ok(html_response(
                StatusCode::OK,
                offer_page(
                    &state, account, &reference, &allowed, offer_id, &form, &errors,
                ),
            ))
        }
    }
}

#[derive(Deserialize)]
struct Nothing {}

async fn delete_offer(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let offer_id = id.into_inner();
    let user_id = user.id;
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| {
                own_offer(conn, provider_id, offer_id)?;
                diesel::delete(offers::table.find(offer_id)).execute(conn)?;
                crate::audit::action(
                    conn,
                    Some(user_id),
                    "aanbod verwijderd",
                    "offer",
                    Some(offer_id),
                )?;
                listing::refresh(conn, &[provider_id])?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other("/mijn-aanbod?verwijderd=1"))
}

// API tokens --------------------------------------------------------------------------------

/// The longest a token may live.
pub const MAX_TOKEN_DAYS: i64 = 365;

#[derive(Queryable)]
struct TokenRow {
    id: i64,
    name: String,
    created_at: chrono::NaiveDateTime,
    expires_at: chrono::NaiveDateTime,
    revoked_at: Option<chrono::NaiveDateTime>,
    last_used_at: Option<chrono::NaiveDateTime>,
}

fn load_tokens(conn: &mut DbConnection, provider_id: i64) -> QueryResult<Vec<TokenRow>> {
    api_tokens::table
        .filter(api_tokens::provider_id.eq(provider_id))
        .order(api_tokens::created_at.desc())
        .select((
            api_tokens::id,
            api_tokens::name,
            api_tokens::created_at,
            api_tokens::expires_at,
            api_tokens::revoked_at,
            api_tokens::last_used_at,
        ))
        .load(conn)
}

fn tokens_view(
    state: &AppState,
    account: Account<'_>,
    tokens: &[TokenRow],
    fresh: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    let now = crate::clock::now();
    let crumbs = vec![
        Crumb::link("Mijn aanbod", "/mijn-aanbod"),
        Crumb::here("Sleutels voor koppelingen"),
    ];
    Page { title: "Sleutels voor koppelingen", site: &state.site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { "Sleutels voor koppelingen" }
        p { "Met een sleutel kan uw eigen systeem (bijvoorbeeld uw cliëntregistratie) zelf gegevens uitwisselen met de catalogus, via de API. Uw systeem stuurt de sleutel mee als " code { "Authorization: Bearer <sleutel>" } "." }
        @if let Some(token) = fresh {
            div.notice role="status" {
                p { strong { "Uw nieuwe sleutel. Kopieer hem nu: u ziet hem maar één keer." } }
                p.token-once { (token) }
            }
        }
        (error_summary(errors))
        @if tokens.is_empty() {
            p { "U heeft nog geen sleutels gemaakt." }
        } @else {
            (scroll_region("Uw sleutels", html! {
                table.data-table {
                    thead { tr { th scope="col" { "Naam" } th scope="col" { "Gemaakt" } th scope="col" { "Geldig tot" } th scope="col" { "Laatst gebruikt" } th scope="col" { "Status" } } }
                    tbody {
                        @for t in tokens {
                            tr {
                                td { (t.name) }
                                td { (date_nl(crate::clock::date_of(t.created_at))) }
                                td { (date_nl(crate::clock::date_of(t.expires_at))) }
                                td { (t.last_used_at.map_or("nog niet".to_owned(), |d| date_nl(crate::clock::date_of(d)))) }
                                td {
                                    @if t.revoked_at.is_some() { "ingetrokken" }
                                    @else if t.expires_at <= now { "verlopen" }
                                    @else {
                                        form.inline-form method="post" action={ "/mijn-aanbod/api-tokens/" (t.id) "/intrekken" } {
                                            (account.csrf.field())
                                            button.button--secondary type="submit" { "Intrekken" span.visually-hidden { " " (t.name) } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }
        h2 { "Nieuwe sleutel maken" }
        form method="post" action="/mijn-aanbod/api-tokens" novalidate {
            (account.csrf.field())
            (Field::text("naam", "Naam van de sleutel", "").hint("Bijvoorbeeld de naam van het systeem dat hem gebruikt.").render(errors))
            (Field::text("dagen", "Hoeveel dagen geldig?", "90").kind("number").hint("Hoogstens 365 dagen.").render(errors))
            button type="submit" { "Sleutel maken" }
        }
    })
}

async fn tokens_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let tokens = state
        .db
        .run(move |conn| Ok(load_tokens(conn, provider_id)?))
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        tokens_view(&state, account, &tokens, None, &[]),
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    naam: String,
    dagen: String,
}

async fn create_token(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    CheckedForm(form): CheckedForm<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let user_id = user.id;
    let mut errors = Vec::new();
    let name = form.naam.trim().to_owned();
    if name.is_empty() || name.chars().count() > 80 {
        errors.push(FieldError::new(
            "naam",
            "Geef de sleutel een naam van hoogstens 80 tekens.",
        ));
    }
    let days = form
        .dagen
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|d| (1..=MAX_TOKEN_DAYS).contains(d));
    if days.is_none() {
        errors.push(FieldError::new(
            "dagen",
            "Vul een aantal dagen in van 1 tot en met 365.",
        ));
    }
    let token = if errors.is_empty() {
        Some(format!("jhc_{}", random_token()?))
    } else {
        None
    };
    let stored = token.clone();
    let tokens = state
        .db
        .run(move |conn| {
            if let (Some(token), Some(days)) = (stored, days) {
                let now = crate::clock::now();
                conn.write_transaction(|conn| {
                    let id: i64 = diesel::insert_into(api_tokens::table)
                        .values((
                            api_tokens::provider_id.eq(provider_id),
                            api_tokens::user_id.eq(user_id),
                            api_tokens::name.eq(&name),
                            api_tokens::token_hash.eq(token_hash(&token)),
                            api_tokens::created_at.eq(now),
                            api_tokens::expires_at.eq(now + TimeDelta::days(days)),
                        ))
                        .returning(api_tokens::id)
                        .get_result(conn)?;
                    crate::audit::action(
                        conn,
                        Some(user_id),
                        "API-sleutel gemaakt",
                        "api_token",
                        Some(id),
                    )
                })?;
            }
            Ok(load_tokens(conn, provider_id)?)
        })
        .await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    Ok(html_response(
        status,
        tokens_view(&state, account, &tokens, token.as_deref(), &errors),
    ))
}

async fn revoke_token(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?;
    let token_id = id.into_inner();
    let user_id = user.id;
    state
        .db
        .run(move |conn| {
            // The change and its audit row: one transaction, always.
            conn.write_transaction(|conn| {
                let revoked = diesel::update(
                    api_tokens::table
                        .filter(api_tokens::id.eq(token_id))
                        .filter(api_tokens::provider_id.eq(provider_id))
                        .filter(api_tokens::revoked_at.is_null()),
                )
                .set(api_tokens::revoked_at.eq(Some(crate::clock::now())))
                .execute(conn)?;
                if revoked == 0 {
                    return Err(AppError::NotFound);
                }
                crate::audit::action(
                    conn,
                    Some(user_id),
                    "API-sleutel ingetrokken",
                    "api_token",
                    Some(token_id),
                )?;
                Ok(())
            })
        })
        .await?;
    Ok(see_other("/mijn-aanbod/api-tokens"))
}
