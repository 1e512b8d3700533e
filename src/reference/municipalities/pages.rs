//! The page of `/beheer/gemeenten`: the municipalities per region, with their CBS code and
//! what became of them; forms to add, rename and merge.

use maud::{Markup, html};

use crate::reference::model::{ReferenceData, Region};
use crate::web::components::{
    Field, error_summary, field_id, group_error, group_error_id, notice, scroll_region, select,
};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::text::date_nl;
use crate::web::{FieldError, SiteInfo};

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Form {
    pub naam: String,
    pub cbs: String,
    pub regio: String,
    /// The municipalities that merge (ids).
    pub gemeente: Vec<String>,
    pub r#in: String,
    pub datum: String,
    /// The move to another region: which municipality, where to, from when.
    pub verhuis_gemeente: String,
    pub verhuis_regio: String,
    pub verhuis_datum: String,
}

pub fn page(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    regions: &[&Region],
    form: &Form,
    errors: &[FieldError],
    done: Option<&str>,
) -> Markup {
    let today = crate::clock::today();
    let region_options: Vec<(String, String)> = regions
        .iter()
        .map(|r| (r.id.to_string(), r.name.clone()))
        .collect();
    let current: Vec<(String, String)> = regions
        .iter()
        .flat_map(|r| reference.municipalities_of(r.id))
        .map(|m| (m.id.to_string(), m.name.clone()))
        .collect();
    Page { title: "Gemeenten", site, crumbs: vec![Crumb::here("Gemeenten")], section: None, account: Some(account) }.render(html! {
        h1 { "Gemeenten" }
        (notice(done))
        (error_summary(errors))
        @for region in regions {
            h2 { "Regio " (region.name) }
            (scroll_region(&format!("Gemeenten van {}", region.name), html! {
                table.data-table {
                    caption.visually-hidden { "Gemeenten van regio " (region.name) }
                    thead { tr { th scope="col" { "Gemeente" } th scope="col" { "CBS-code" } th scope="col" { "Status" } th scope="col" { "Nieuwe naam" } } }
                    tbody {
                        @for m in reference.municipalities.iter().filter(|m| m.region_id == region.id) {
                            tr {
                                th scope="row" { (m.name) }
                                td { (m.cbs_code) }
                                td {
                                    @match (m.merged_into_id.and_then(|id| reference.municipality(id)), m.merged_on) {
                                        (Some(into), Some(on)) => {
                                            @if on <= today { "Opgegaan in " (into.name) " op " (date_nl(on)) }
                                            @else { "Gaat op in " (into.name) " op " (date_nl(on)) }
                                        }
                                        _ => {
                                            @match (m.moves_to_region_id.and_then(|id| reference.region(id)), m.moves_on) {
                                                (Some(to), Some(on)) => { "Gaat naar regio " (to.name) " op " (date_nl(on)) }
                                                _ => { "Bestaat" }
                                            }
                                        }
                                    }
                                }
                                td {
                                    form.inline-form method="post" action={ "/beheer/gemeenten/" (m.id) "/naam" } novalidate {
                                        (account.csrf.field())
                                        label.visually-hidden for={ "naam-" (m.id) } { "Nieuwe naam voor " (m.name) }
                                        input id={ "naam-" (m.id) } name="naam" size="18" autocomplete="off";
                                        " "
                                        button.button--secondary type="submit" { "Hernoemen" span.visually-hidden { " " (m.name) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }
        h2 #toevoegen { "Gemeente toevoegen" }
        form method="post" action="/beheer/gemeenten" novalidate {
            (account.csrf.field())
            (Field::text("naam", "Naam", &form.naam).autocomplete("off").render(errors))
            (Field::text("cbs", "CBS-gemeentecode", &form.cbs).hint("Vier cijfers, bijvoorbeeld 0503 voor Delft.").autocomplete("off").render(errors))
            (select("regio", "Regio", &region_options, &form.regio, None, errors))
            button type="submit" { "Gemeente toevoegen" }
        }
        h2 #samenvoegen { "Gemeenten samenvoegen" }
        p { "Het aanbod en de toegangsmedewerkers gaan over naar de nieuwe gemeente. Hulpvragen en trajecten houden de gemeente die ze hadden. Oude adressen leiden naar de nieuwe gemeente. Voeg eerst de nieuwe gemeente toe als die er nog niet is." }
        form method="post" action="/beheer/gemeenten/samenvoegen" novalidate {
            (account.csrf.field())
            fieldset #(field_id("gemeente")) aria-describedby=[group_error_id(errors, "gemeente")] {
                legend { "Welke gemeenten gaan op in een andere?" }
                (group_error(errors, "gemeente"))
                ul.choice-list {
                    @for (id, name) in &current {
                        li.choice {
                            input type="checkbox" name="gemeente" value=(id) id={ "samen-" (id) } checked[form.gemeente.contains(id)];
                            label for={ "samen-" (id) } { (name) }
                        }
                    }
                }
            }
            (select("in", "Gaan op in de gemeente", &current, &form.r#in, Some("De gemeente die blijft of die u net toevoegde."), errors))
            (Field::text("datum", "Vanaf", &form.datum).kind("date").hint("Een dag in de toekomst mag ook: dan gebeurt het op die dag.").render(errors))
            button type="submit" { "Samenvoegen" }
        }
        @if regions.len() > 1 {
            h2 #verhuizen { "Gemeente naar een andere regio" }
            p { "Het aanbod van de oude regio geldt daarna niet meer in de gemeente: aanbieders melden zich aan bij de nieuwe regio. Hulpvragen en trajecten houden de regio die ze hadden." }
            form method="post" action="/beheer/gemeenten/verhuizen" novalidate {
                (account.csrf.field())
                (select("verhuis_gemeente", "Gemeente", &current, &form.verhuis_gemeente, None, errors))
                (select("verhuis_regio", "Naar de regio", &region_options, &form.verhuis_regio, None, errors))
                (Field::text("verhuis_datum", "Vanaf", &form.verhuis_datum).kind("date").hint("Een dag in de toekomst mag ook: dan gebeurt het op die dag.").render(errors))
                button type="submit" { "Gemeente verhuizen" }
            }
        }
    })
}
