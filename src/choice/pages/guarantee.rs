//! The 12-month guarantee on the worker's page: offered first, before anything else; once
//! decided, one line saying how.

use maud::{Markup, html};

use crate::choice::commands::guarantee::Offer;
use crate::choice::model::{Guarantee, Hulpvraag};
use crate::web::FieldError;
use crate::web::components::textarea;
use crate::web::layout::Account;
use crate::web::text::date_nl;

pub(super) fn worker_guarantee(
    account: Account<'_>,
    h: &Hulpvraag,
    offer: Option<&Offer>,
    errors: &[FieldError],
) -> Markup {
    let (Some(offer), Some(state)) = (offer, h.guarantee) else {
        return html! {};
    };
    let base = format!("/toegang/hulpvragen/{}", h.id);
    html! {
        @match state {
            Guarantee::Aangeboden => {
                section.notice.guarantee aria-labelledby="garantie" {
                    h2 #garantie { "Deze cliënt valt onder de 12-maandengarantie" }
                    p { "Deze cliënt kreeg in de afgelopen 12 maanden hulp in hetzelfde profiel bij " strong { (offer.provider_name) } ". Die hulp is afgesloten op " (date_nl(offer.ended_on)) "." }
                    p { "Volgens de afspraken van de regio pakt " (offer.provider_name) " het eerdere traject weer op, zonder nieuw tarief. De aanbieder krijgt bericht en kan alleen met een toelichting afwijzen." }
                    form method="post" action={ (base) "/garantie" } {
                        (account.csrf.field())
                        button type="submit" { "Eerder traject weer oppakken bij " (offer.provider_name) }
                    }
                    h3 { "Toch anders kiezen" }
                    form method="post" action={ (base) "/garantie/afzien" } novalidate {
                        (account.csrf.field())
                        (textarea("reden", "Waarom kiest u niet voor het eerdere traject?", "",
                            Some("Bijvoorbeeld: het gezin en de aanbieder passen niet bij elkaar. Schrijf geen namen of burgerservicenummers."), errors))
                        button.secondary type="submit" { "Anders kiezen" }
                    }
                }
            }
            Guarantee::Heropend => {
                p.hint { strong { "12-maandengarantie: " } "het eerdere traject bij " (offer.provider_name) " (afgesloten op " (date_nl(offer.ended_on)) ") is weer opgepakt, zonder nieuw tarief." }
            }
            Guarantee::Afgezien => {
                p.hint { strong { "12-maandengarantie: " } "niet gebruikt (eerder traject bij " (offer.provider_name) "). Reden: " (h.guarantee_reason) }
            }
        }
    }
}
