//! The page of `/beheer/regios`: the regions with their procurement method and what they
//! hold; for the installation's beheerder the form that adds regions from files.

use maud::{Markup, html};

use super::Problem;
use super::edit::ItemForm;
use crate::reference::model::{ReferenceData, Region};
use crate::web::components::{error_summary, notice, scroll_region};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::{FieldError, SiteInfo};

/// The file fields of the form: name, label, whether it must be there.
pub const FILES: [(&str, &str, bool); 7] = [
    (
        "regions",
        "regions.csv: slug, name, procurement_method",
        true,
    ),
    (
        "municipalities",
        "municipalities.csv: region, municipality, cbs_code",
        true,
    ),
    ("profiles", "profiles.csv: number, name_nl", true),
    (
        "intensities",
        "intensities.csv: code, name_nl, paid_per",
        true,
    ),
    (
        "descriptions",
        "profile-descriptions.csv: number, description_b1",
        false,
    ),
    (
        "satisfaction",
        "satisfaction-items.csv: code, name_nl en eventueel question_nl",
        false,
    ),
    (
        "tariffs",
        "tariffs.csv: profile en een kolom per intensiteit",
        false,
    ),
];

pub fn page(
    site: &SiteInfo,
    account: Account<'_>,
    reference: &ReferenceData,
    regions: &[&Region],
    problems: &[Problem],
    done: Option<&str>,
    add: Option<(&ItemForm, &[FieldError])>,
) -> Markup {
    let errors: Vec<FieldError> = problems
        .iter()
        .map(|p| FieldError::new("regions", p.to_string()))
        .collect();
    Page { title: "Regio's", site, crumbs: vec![Crumb::here("Regio's")], section: None, account: Some(account) }.render(html! {
        h1 { "Regio's" }
        (notice(done))
        (error_summary(&errors))
        (error_summary(add.map_or(&[][..], |a| a.1)))
        (scroll_region("Regio's", html! {
            table.data-table {
                caption.visually-hidden { "Regio's in de catalogus" }
                thead { tr {
                    th scope="col" { "Regio" } th scope="col" { "Inkoopmethode" }
                    th scope="col" class="numeric" { "Gemeenten" } th scope="col" class="numeric" { "Profielen" } th scope="col" class="numeric" { "Intensiteiten" }
                } }
                tbody {
                    @for r in regions {
                        tr {
                            th scope="row" { a href={ "/beheer/regios/" (r.slug) } { (r.name) } }
                            td { (r.procurement_method) }
                            td.numeric { (reference.municipalities_of(r.id).count()) }
                            td.numeric { (reference.profiles.iter().filter(|p| p.region_id == r.id).count()) }
                            td.numeric { (reference.intensities.iter().filter(|i| i.region_id == r.id).count()) }
                        }
                    }
                }
            }
        }))
        @if let Some((form, add_errors)) = add {
            (super::edit_pages::add_region_form(&account, form, add_errors))
            h2 { "Regio toevoegen uit bestanden" }
            p { "Gebruik de formaten van de referentietabellen (CSV met een kopregel). De portal controleert alle bestanden eerst samen. Is er iets mis, dan ziet u elke fout met bestand en regel, en wordt niets opgeslagen." }
            form method="post" action="/beheer/regios/import" enctype="multipart/form-data" {
                (account.csrf.field())
                @for (name, label, required) in FILES {
                    div.form-field {
                        label for={ "bestand-" (name) } { (label) @if !required { " " span.optional { "(niet verplicht)" } } }
                        input id={ "bestand-" (name) } type="file" name=(name) accept=".csv,text/csv";
                    }
                }
                div.form-field {
                    label for="tarieven-vanaf" { "Tarieven geldig vanaf " span.optional { "(niet verplicht; leeg is 1 januari van dit jaar)" } }
                    input #tarieven-vanaf type="date" name="tarieven_vanaf";
                }
                button type="submit" { "Bestanden controleren en opslaan" }
            }
        }
    })
}
