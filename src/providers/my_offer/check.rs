//! `/mijn-aanbod/gecontroleerd`: the provider confirms its listing as it is (issue 39), one
//! click every 6 months when nothing changed; and the block on "Mijn aanbod" that asks it.

use actix_web::{HttpResponse, web};
use maud::{Markup, html};
use serde::Deserialize;

use crate::providers::checks;
use crate::startup::AppState;
use crate::web::AppError;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::text::date_nl;

#[derive(Deserialize)]
pub(super) struct Nothing {}

pub(super) async fn confirm_listing(
    state: web::Data<AppState>,
    user: SessionUser,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let provider_id = user.own_provider()?.get();
    let user_id = user.id;
    state
        .db
        .run(move |conn| {
            conn.write_transaction(|conn| checks::confirm_listing(conn, provider_id, user_id))
        })
        .await?;
    Ok(see_other("/mijn-aanbod?gecontroleerd=1#controle"))
}

/// When the listing was last confirmed, when it is due, and the button that confirms it.
pub(super) fn block(csrf: &CsrfToken, checked: chrono::NaiveDateTime) -> Markup {
    let checked = crate::clock::date_of(checked);
    let today = crate::clock::today();
    let due = checks::listing_due(checked);
    html! {
        h2 #controle { "Klopt uw vermelding nog?" }
        @if checks::is_stale(checked, today) {
            div.notice.notice--warning role="note" {
                p { strong { "Uw vermelding is al meer dan " (checks::STALE_MONTHS) " maanden niet gecontroleerd." } " Ouders en jongeren zien dat bij uw vermelding. Uw plaats in de lijst verandert niet." }
            }
        }
        p {
            "U controleerde uw vermelding het laatst op " strong { (date_nl(checked)) } ". "
            @if due > today { "Controleer hem opnieuw vóór " (date_nl(due)) ". " } @else { "Controleer hem nu. " }
            "Ouders en jongeren zien de datum bij uw vermelding. Wij sturen u een herinnering per e-mail."
        }
        p { "Kijk uw gegevens en uw aanbod op deze pagina na. Klopt alles nog? Dan is één klik genoeg. Is er iets veranderd? Pas het dan eerst aan." }
        form method="post" action="/mijn-aanbod/gecontroleerd" {
            (csrf.field())
            button type="submit" { "Alles klopt nog" }
        }
    }
}
