//! The page of `/beheer/tarieven`: one region's tariffs from a date, to enter or change,
//! beside the ones in force today; the file export and import.

use chrono::NaiveDate;
use maud::{Markup, html};

use super::in_force;
use crate::reference::model::{ReferenceData, Region, Tariff};
use crate::web::components::{error_summary, field_id, notice, scroll_region};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::text::{date_nl, euro};
use crate::web::{FieldError, SiteInfo};

/// The field of one cell.
pub fn field(profile: i64, intensity: i64) -> String {
    format!("t-{profile}-{intensity}")
}

/// An amount as the form shows it: "2250" or "1150,50".
pub fn typed(cents: i64) -> String {
    if cents % 100 == 0 {
        (cents / 100).to_string()
    } else {
        format!("{},{:02}", cents / 100, cents % 100)
    }
}

pub struct View<'a> {
    pub reference: &'a ReferenceData,
    /// The regions this beheerder manages.
    pub regions: Vec<&'a Region>,
    pub region: &'a Region,
    pub valid_from: NaiveDate,
    pub today: NaiveDate,
    pub tariffs: &'a [Tariff],
    /// What was typed, when a form is shown again.
    pub typed: Option<&'a std::collections::HashMap<String, String>>,
    pub done: Option<&'a str>,
}

pub fn page(
    site: &SiteInfo,
    account: Account<'_>,
    view: &View<'_>,
    errors: &[FieldError],
) -> Markup {
    let region = view.region;
    let profiles: Vec<_> = view
        .reference
        .profiles
        .iter()
        .filter(|p| p.region_id == region.id)
        .collect();
    let mut intensities: Vec<_> = view
        .reference
        .intensities
        .iter()
        .filter(|i| i.region_id == region.id)
        .collect();
    intensities.sort_by_key(|i| i.sort_order);
    let vanaf = view.valid_from.to_string();
    let fictional = view.tariffs.iter().any(|t| t.fictional);
    Page { title: "Tarieven", site, crumbs: vec![Crumb::here("Tarieven")], section: None, account: Some(account) }.render(html! {
        h1 { "Tarieven " (region.name) }
        (notice(view.done))
        (error_summary(errors))
        form.filters method="get" action="/beheer/tarieven" role="search" aria-label="Regio en datum kiezen" {
            @if view.regions.len() > 1 {
                label for="regio" { "Regio" }
                select #regio name="regio" {
                    @for r in &view.regions { option value=(r.slug) selected[r.id == region.id] { (r.name) } }
                }
            } @else {
                input type="hidden" name="regio" value=(region.slug);
            }
            label for="veld-vanaf" { "Tarieven vanaf" }
            input #veld-vanaf type="date" name="vanaf" value=(vanaf)
                aria-invalid=[errors.iter().any(|e| e.field == "vanaf").then_some("true")];
            button type="submit" { "Tonen" }
        }
        @if fictional {
            p { strong { "Let op: " } "een deel van deze bedragen is verzonnen voor de demo. Wat u hier opslaat, is niet meer verzonnen." }
        }
        p { "Vul de bedragen in die gelden vanaf " strong { (date_nl(view.valid_from)) } ". Een leeg vak of een bedrag dat al geldt, verandert niets. Een tarief dat al geldt, blijft bewaard: het nieuwe begint op de datum hierboven." }
        form method="post" action="/beheer/tarieven" novalidate {
            (account.csrf.field())
            input type="hidden" name="regio" value=(region.slug);
            input type="hidden" name="vanaf" value=(vanaf);
            (scroll_region(&format!("Tarieven {}", region.name), html! {
                table.data-table {
                    caption { "Bedragen in euro's vanaf " (date_nl(view.valid_from)) ", met het bedrag van vandaag eronder" }
                    thead { tr {
                        th scope="col" { "Profiel" }
                        @for i in &intensities { th scope="col" { (i.name) " " span.muted { "(" (i.paid_per_label()) ")" } } }
                    } }
                    tbody {
                        @for p in &profiles {
                            tr {
                                th scope="row" { (p.number) " " span.muted { (p.name) } }
                                @for i in &intensities {
                                    @let name = field(p.id, i.id);
                                    @let planned = in_force(view.tariffs, p.id, i.id, view.valid_from);
                                    @let now = in_force(view.tariffs, p.id, i.id, view.today);
                                    @let value = view.typed.and_then(|t| t.get(&name).cloned())
                                        .unwrap_or_else(|| planned.map_or_else(String::new, |t| typed(t.amount_cents)));
                                    @let error = errors.iter().find(|e| e.field == name);
                                    @let id = field_id(&name);
                                    td {
                                        label.visually-hidden for=(id) { "Profiel " (p.number) ", " (i.name) ", in euro's" }
                                        input id=(id) name=(name) value=(value) inputmode="decimal" size="8"
                                            aria-invalid=[error.map(|_| "true")]
                                            aria-describedby={ (id) "-nu" @if error.is_some() { " " (id) "-fout" } };
                                        @if let Some(e) = error { p.field-error id={ (id) "-fout" } { span.visually-hidden { "Fout: " } (e.message) } }
                                        p.hint id={ (id) "-nu" } {
                                            "Nu: " (now.map_or_else(|| "geen".to_owned(), |t| euro(t.amount_cents)))
                                            @if now.is_some_and(|t| t.fictional) { " " span.badge { "verzonnen (demo)" } }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
            button type="submit" { "Tarieven opslaan" }
        }
        h2 { "Als bestand" }
        p {
            a href={ "/beheer/tarieven/export.csv?regio=" (region.slug) "&vanaf=" (vanaf) } { "Download de tarieven vanaf " (date_nl(view.valid_from)) " (CSV)" }
            ". Hetzelfde formaat leest de portal weer in: een regel per profiel, een kolom per intensiteit."
        }
        form method="post" action="/beheer/tarieven/import" enctype="multipart/form-data" {
            (account.csrf.field())
            input type="hidden" name="regio" value=(region.slug);
            input type="hidden" name="vanaf" value=(vanaf);
            div.form-field {
                label for="veld-bestand" { "CSV-bestand met de tarieven vanaf " (date_nl(view.valid_from)) }
                input #veld-bestand type="file" name="bestand" accept=".csv,text/csv"
                    aria-invalid=[errors.iter().any(|e| e.field == "bestand").then_some("true")];
            }
            button.button--secondary type="submit" { "Bestand inlezen" }
        }
    })
}
