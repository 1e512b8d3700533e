//! The pages of `/beheer/regios/{regio}`: a region's profiles and intensities with the forms
//! to add them, and the page of one of them with the forms to change, close or delete it.

use maud::{Markup, html};

use super::edit::{ItemForm, Kind, METHODS};
use crate::reference::model::{
    Intensity, PAID_PER, Profile, ReferenceData, Region, SatisfactionItem,
};
use crate::web::components::{Field, error_summary, notice, scroll_region, select, textarea};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::text::date_nl;
use crate::web::{FieldError, SiteInfo};

fn status(closed_from: Option<chrono::NaiveDate>) -> Markup {
    let today = crate::clock::today();
    html! {
        @match closed_from {
            Some(from) if from <= today => { "Gesloten sinds " (date_nl(from)) }
            Some(from) => { "Open, sluit op " (date_nl(from)) }
            None => { "Open" }
        }
    }
}

fn method_label(code: &str) -> &str {
    METHODS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

fn paid_per_options() -> Vec<(String, String)> {
    PAID_PER
        .iter()
        .map(|(code, label)| ((*code).to_owned(), (*label).to_owned()))
        .collect()
}

/// The form that adds a region by hand (the installation's beheerder).
pub fn add_region_form(account: &Account<'_>, form: &ItemForm, errors: &[FieldError]) -> Markup {
    let methods: Vec<(String, String)> = METHODS
        .iter()
        .map(|(code, label)| ((*code).to_owned(), (*label).to_owned()))
        .collect();
    html! {
        h2 #regio-toevoegen { "Regio toevoegen" }
        p { "Daarna voegt u op de pagina van de regio haar profielen en intensiteiten toe, en bij Gemeenten haar gemeenten." }
        form method="post" action="/beheer/regios" novalidate {
            (account.csrf.field())
            (Field::text("naam", "Naam van de regio", &form.naam).autocomplete("off").render(errors))
            (select("methode", "Inkoopmethode", &methods, &form.methode, None, errors))
            button type="submit" { "Regio toevoegen" }
        }
    }
}

pub fn region_page(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    region: &Region,
    done: Option<&str>,
) -> Markup {
    let base = format!("/beheer/regios/{}", region.slug);
    let profiles: Vec<&Profile> = {
        let mut list: Vec<&Profile> = reference
            .profiles
            .iter()
            .filter(|p| p.region_id == region.id)
            .collect();
        list.sort_by_key(|p| p.number);
        list
    };
    let intensities: Vec<&Intensity> = {
        let mut list: Vec<&Intensity> = reference
            .intensities
            .iter()
            .filter(|i| i.region_id == region.id)
            .collect();
        list.sort_by_key(|i| i.sort_order);
        list
    };
    let today = crate::clock::today();
    let questions: Vec<&SatisfactionItem> = reference
        .satisfaction_items
        .iter()
        .filter(|i| i.region_id == region.id)
        .collect();
    let title = format!("Regio {}", region.name);
    Page {
        title: &title,
        site,
        crumbs: vec![Crumb::link("Regio's", "/beheer/regios"), Crumb::here(region.name.clone())],
        section: None,
        account: Some(account),
    }
    .render(html! {
        h1 { (title) }
        p { "Inkoopmethode: " (method_label(&region.procurement_method)) "." }
        (notice(done))
        h2 { "Profielen" }
        @if profiles.is_empty() {
            p { "Deze regio heeft nog geen profielen." }
        } @else {
            (scroll_region(&format!("Profielen van {}", region.name), html! {
                table.data-table {
                    caption.visually-hidden { "Profielen van regio " (region.name) }
                    thead { tr { th scope="col" { "Nummer" } th scope="col" { "Naam" } th scope="col" { "Status" } } }
                    tbody {
                        @for p in &profiles {
                            tr {
                                td { (p.number) }
                                th scope="row" { a href={ (base) "/profielen/" (p.id) } { (p.name) } }
                                td { (status(p.closed_from)) }
                            }
                        }
                    }
                }
            }))
        }
        p { a href={ (base) "/profielen/nieuw" } { "Profiel toevoegen" } }
        h2 { "Intensiteiten" }
        @if intensities.is_empty() {
            p { "Deze regio heeft nog geen intensiteiten." }
        } @else {
            (scroll_region(&format!("Intensiteiten van {}", region.name), html! {
                table.data-table {
                    caption.visually-hidden { "Intensiteiten van regio " (region.name) }
                    thead { tr { th scope="col" { "Naam" } th scope="col" { "Code" } th scope="col" { "Betaald" } th scope="col" { "Status" } } }
                    tbody {
                        @for i in &intensities {
                            tr {
                                th scope="row" { a href={ (base) "/intensiteiten/" (i.id) } { (i.name) } }
                                td { (i.code) }
                                td { (i.paid_per_label()) }
                                td { (status(i.closed_from)) }
                            }
                        }
                    }
                }
            }))
        }
        p { a href={ (base) "/intensiteiten/nieuw" } { "Intensiteit toevoegen" } }
        h2 { "Vragen aan gezinnen" }
        p { "Na de hulp vragen we het gezin een cijfer van 1 tot 10 per vraag. Het gemiddelde van de antwoorden telt mee in de cliënttevredenheid. Nu gesteld: " (questions.iter().filter(|q| q.open_on(today)).count()) "." }
        @if questions.is_empty() {
            p { "Deze regio stelt nog geen vragen." }
        } @else {
            (scroll_region(&format!("Vragen van {}", region.name), html! {
                table.data-table {
                    caption.visually-hidden { "Vragen aan gezinnen in regio " (region.name) }
                    thead { tr { th scope="col" { "Vraag" } th scope="col" { "Meet" } th scope="col" { "Status" } } }
                    tbody {
                        @for q in &questions {
                            tr {
                                th scope="row" { a href={ (base) "/vragen/" (q.id) } { (q.question) } }
                                td { (q.name) }
                                td { (status(q.closed_from)) }
                            }
                        }
                    }
                }
            }))
        }
        p { a href={ (base) "/vragen/nieuw" } { "Vraag toevoegen" } }
        h2 { "Productcodes" }
        p { "Welk profiel en welke intensiteit de producten in iJw-berichten van aanbieders zijn. " a href={ (base) "/productcodes" } { "Productcodes bekijken en vervangen" } }
    })
}

/// What closing does, in a sentence for the beheerder.
fn closed_effect(kind: Kind) -> &'static str {
    match kind {
        Kind::Question => {
            "Gezinnen krijgen de vraag dan niet meer. De antwoorden die al gegeven zijn, tellen mee."
        }
        _ => {
            "Nieuwe hulpvragen en nieuw aanbod kunnen die dan niet meer kiezen. Wat er al gebruik van maakt, blijft zoals het is."
        }
    }
}

fn in_use_by(kind: Kind) -> &'static str {
    match kind {
        Kind::Question => "gezinnen hebben de vraag al beantwoord",
        _ => "door aanbod, hulpvragen, trajecten of cijfers",
    }
}

/// One profile, intensity or question, what it is now and what can be done with it.
pub struct Item<'a> {
    pub kind: Kind,
    pub id: i64,
    pub name: &'a str,
    pub closed_from: Option<chrono::NaiveDate>,
    pub in_use: bool,
}

pub fn item_page(
    site: &SiteInfo,
    account: Account<'_>,
    region: &Region,
    item: &Item<'_>,
    form: &ItemForm,
    errors: &[FieldError],
    done: Option<&str>,
) -> Markup {
    let base = format!("/beheer/regios/{}", region.slug);
    let here = format!("{base}/{}/{}", item.kind.segment(), item.id);
    let title = match item.kind {
        Kind::Profile => format!("Profiel {}", item.name),
        Kind::Intensity => format!("Intensiteit {}", item.name),
        Kind::Question => format!("Vraag: {}", item.name),
    };
    let this = item.kind.this();
    Page {
        title: &title,
        site,
        crumbs: vec![
            Crumb::link("Regio's", "/beheer/regios"),
            Crumb::link(region.name.clone(), base.clone()),
            Crumb::here(item.name.to_owned()),
        ],
        section: None,
        account: Some(account),
    }
    .render(html! {
        h1 { (title) }
        p { "Status: " (status(item.closed_from)) "." }
        (notice(done))
        (error_summary(errors))
        h2 { "Wijzigen" }
        form method="post" action=(here) novalidate {
            (account.csrf.field())
            @if item.kind == Kind::Profile { p { "Het nummer blijft: aanbod, hulpvragen en cijfers herkennen het profiel aan dit nummer." } }
            @if item.kind == Kind::Question {
                (Field::text("vraag", "Vraag zoals gezinnen hem lezen", &form.vraag).autocomplete("off").render(errors))
                (Field::text("naam", "Wat de vraag meet", &form.naam).autocomplete("off").render(errors))
            } @else {
                (Field::text("naam", "Naam", &form.naam).autocomplete("off").render(errors))
                (textarea("omschrijving", "Uitleg in gewone woorden", &form.omschrijving, None, errors))
            }
            @if item.kind == Kind::Intensity {
                (select("betaald_per", "Betaald", &paid_per_options(), &form.betaald_per, None, errors))
            }
            button type="submit" { "Wijzigingen opslaan" }
        }
        h2 { "Sluiten" }
        @match item.closed_from {
            Some(from) => {
                p { "U hebt " (this) " gesloten vanaf " (date_nl(from)) ". " (closed_effect(item.kind)) }
                form method="post" action={ (here) "/openen" } {
                    (account.csrf.field())
                    button.button--secondary type="submit" { "Weer openen" }
                }
            }
            None => {
                p { "Kies de datum vanaf wanneer " (this) " gesloten is. " (closed_effect(item.kind)) }
                form method="post" action={ (here) "/sluiten" } novalidate {
                    (account.csrf.field())
                    (Field::text("datum", "Gesloten vanaf", &form.datum).kind("date").render(errors))
                    button.button--secondary type="submit" { "Sluiten vanaf deze datum" }
                }
            }
        }
        h2 { "Verwijderen" }
        @if item.in_use {
            p { "U kunt " (this) " niet verwijderen, want die wordt al gebruikt: " (in_use_by(item.kind)) ". U kunt die wel sluiten." }
        } @else {
            p { "Niets gebruikt " (this) " nog. U kunt die verwijderen." @if item.kind != Kind::Question { " De tarieven gaan dan ook weg." } }
            form method="post" action={ (here) "/verwijderen" } {
                (account.csrf.field())
                button.button--secondary type="submit" { "Verwijderen" }
            }
        }
    })
}

/// The page that adds a profile, an intensity or a question to a region.
pub fn add_page(
    site: &SiteInfo,
    account: Account<'_>,
    region: &Region,
    kind: Kind,
    form: &ItemForm,
    errors: &[FieldError],
) -> Markup {
    let base = format!("/beheer/regios/{}", region.slug);
    let title = match kind {
        Kind::Profile => "Profiel toevoegen",
        Kind::Intensity => "Intensiteit toevoegen",
        Kind::Question => "Vraag toevoegen",
    };
    Page {
        title,
        site,
        crumbs: vec![
            Crumb::link("Regio's", "/beheer/regios"),
            Crumb::link(region.name.clone(), base.clone()),
            Crumb::here(title),
        ],
        section: None,
        account: Some(account),
    }
    .render(html! {
        h1 { (title) " aan regio " (region.name) }
        (error_summary(errors))
        @match kind {
            Kind::Profile => {
                form method="post" action={ (base) "/profielen" } novalidate {
                    (account.csrf.field())
                    (Field::text("nummer", "Nummer", &form.nummer).kind("number").hint("1 tot en met 99.").autocomplete("off").render(errors))
                    (Field::text("naam", "Officiële naam", &form.naam).autocomplete("off").render(errors))
                    (textarea("omschrijving", "Uitleg in gewone woorden", &form.omschrijving, Some("Voor ouders en jongeren: wie dit profiel past, in korte zinnen."), errors))
                    button type="submit" { "Profiel toevoegen" }
                }
            }
            Kind::Intensity => {
                form method="post" action={ (base) "/intensiteiten" } novalidate {
                    (account.csrf.field())
                    (Field::text("code", "Code", &form.code).hint("Kleine letters, cijfers en streepjes, bijvoorbeeld licht-ambulant.").autocomplete("off").render(errors))
                    (Field::text("naam", "Naam", &form.naam).autocomplete("off").render(errors))
                    (textarea("omschrijving", "Uitleg in gewone woorden", &form.omschrijving, None, errors))
                    (select("betaald_per", "Betaald", &paid_per_options(), &form.betaald_per, Some("Regio's die per uur of per dag betalen (prijs × hoeveelheid) kiezen per uur of per dag."), errors))
                    button type="submit" { "Intensiteit toevoegen" }
                }
            }
            Kind::Question => {
                form method="post" action={ (base) "/vragen" } novalidate {
                    (account.csrf.field())
                    (Field::text("code", "Code", &form.code).hint("Kleine letters, cijfers en streepjes, bijvoorbeeld uitleg-hulp.").autocomplete("off").render(errors))
                    (Field::text("vraag", "Vraag zoals gezinnen hem lezen", &form.vraag).hint("Kort en in gewone woorden, bijvoorbeeld: Kreeg u genoeg uitleg?").autocomplete("off").render(errors))
                    (Field::text("naam", "Wat de vraag meet", &form.naam).hint("Bijvoorbeeld: ervaren informatie.").autocomplete("off").render(errors))
                    button type="submit" { "Vraag toevoegen" }
                }
            }
        }
    })
}
