//! "Mijn werk": every role's start page. It lists the role's work with a count of what waits
//! for it (reports to review, registrations to decide, requests to answer, hulpvragen waiting
//! for a start), each linking to the page where that work is done. It sits above the
//! features (it counts the work of each) and only reads their published counts.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use maud::{Markup, html};

use crate::domain::hulpvraag::Status;
use crate::startup::AppState;
use crate::web::auth::{Principal, RegionScope, SessionUser};
use crate::web::csrf::CsrfToken;
use crate::web::layout::{Account, Crumb, html_response};
use crate::web::{AppError, Page};

/// One line of work: what it is, how many wait, where to do it.
struct Task {
    label: &'static str,
    waiting: Option<i64>,
    href: String,
    help: &'static str,
    /// Whether the count waits on someone else (a provider, a family, the region) rather
    /// than on the person reading the page.
    on_others: bool,
}

impl Task {
    fn new(label: &'static str, waiting: Option<i64>, href: &str, help: &'static str) -> Self {
        Task {
            label,
            waiting,
            href: href.to_owned(),
            help,
            on_others: false,
        }
    }

    fn waits_on_others(mut self) -> Self {
        self.on_others = true;
        self
    }
}

pub async fn work_page(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
) -> Result<HttpResponse, AppError> {
    let who = user.clone();
    let tasks = state.db.run(move |conn| Ok(tasks(conn, &who)?)).await?;
    let account = Account {
        user: &user,
        csrf: &csrf,
    };
    Ok(html_response(
        StatusCode::OK,
        render(&state, account, &tasks),
    ))
}

fn tasks(conn: &mut crate::db::DbConnection, user: &SessionUser) -> diesel::QueryResult<Vec<Task>> {
    use crate::outcomes::reports;
    Ok(match user.principal {
        Principal::Aanbieder(provider) => {
            let next = crate::providers::model::next_steps(conn, provider)?;
            let mut list = Vec::new();
            // A new provider sees what comes next instead of "nothing waits".
            if next.offers == 0 {
                list.push(Task::new(
                    "Aanbod toevoegen",
                    Some(1),
                    "/mijn-aanbod/aanbod/nieuw",
                    "Zet per profiel en intensiteit in wat u biedt. Na toelating ziet iedereen dit in de catalogus.",
                ));
            }
            if next.undecided > 0 {
                list.push(
                    Task::new(
                        "Uw aanmelding",
                        Some(next.undecided),
                        "/mijn-aanbod",
                        "De contractmanager van de regio beoordeelt uw aanmelding. U krijgt een e-mail met het besluit. Tot dan staat u niet in de catalogus.",
                    )
                    .waits_on_others(),
                );
            }
            list.extend([
                Task::new(
                    "Aanvragen beantwoorden",
                    Some(crate::choice::queries::count_unanswered(conn, provider)?),
                    "/mijn-aanbod/aanvragen",
                    "Gezinnen die voor u kozen. Accepteer of wijs af.",
                ),
                Task::new(
                    "Rapporten uitleggen en indienen",
                    Some(reports::count(
                        conn,
                        Some(provider.get()),
                        None,
                        &[reports::CONCEPT, reports::RETURNED],
                    )?),
                    "/mijn-aanbod/cijfers",
                    "Rapporten die nog niet zijn ingediend of die zijn teruggestuurd.",
                ),
                Task::new(
                    "Meldingen over uw vermelding beantwoorden",
                    Some(crate::providers::listing_reports::count_open(conn, provider)?),
                    "/mijn-aanbod/meldingen",
                    "Bezoekers zagen iets in uw vermelding dat niet klopt. Antwoord binnen 14 dagen en pas uw vermelding aan als dat nodig is.",
                ),
                Task::new(
                    "Resultaten aanleveren",
                    None,
                    "/mijn-aanbod/resultaten",
                    "Stuur de trajecten van uw cliënten als CSV-bestand.",
                ),
                Task::new(
                    "iJw-berichten sturen",
                    None,
                    "/mijn-aanbod/ijw",
                    "Of stuur de start- en stopberichten (JW305, JW307) die u al aan de gemeente stuurt.",
                ),
                Task::new(
                    "Mijn aanbod",
                    None,
                    "/mijn-aanbod",
                    "Uw gegevens en uw aanbod per profiel.",
                ),
            ]);
            list
        }
        Principal::Toegang(municipality) => {
            let counts = crate::choice::queries::count_by_status(conn, municipality)?;
            let n = |status: Status| counts.get(&status).copied().unwrap_or(0);
            // Of the ones where the family chooses: those that need the worker now.
            let needing = crate::choice::queries::count_needing_worker(conn, municipality)?;
            let help = |status: Status| needing.get(&status).copied().unwrap_or(0);
            vec![
                Task::new(
                    "Hulpvragen waar de hulp nog moet starten",
                    Some(n(Status::Geaccepteerd)),
                    "/toegang/hulpvragen?status=geaccepteerd",
                    "De aanbieder heeft geaccepteerd. Vul de startdatum in.",
                ),
                Task::new(
                    "Gezinnen die u nodig hebben bij het kiezen",
                    Some(help(Status::Open) + help(Status::Afgewezen)),
                    "/toegang/hulpvragen",
                    "Het gezin vroeg om hulp bij het kiezen, of een aanbieder wees af en er staat niemand meer op de lijst. Neem contact op met het gezin of voeg aanbieders toe.",
                ),
                Task::new(
                    "Hulpvragen waar het gezin nog kiest",
                    Some(n(Status::Open) - help(Status::Open)),
                    "/toegang/hulpvragen?status=open",
                    "Help het gezin kiezen of stuur de link naar de keuzepagina.",
                )
                .waits_on_others(),
                Task::new(
                    "Hulpvragen waar de aanbieder afwees",
                    Some(n(Status::Afgewezen) - help(Status::Afgewezen)),
                    "/toegang/hulpvragen?status=afgewezen",
                    "Het gezin kiest opnieuw, met dezelfde link of samen met u.",
                )
                .waits_on_others(),
                Task::new(
                    "Hulpvragen die wachten op de aanbieder",
                    Some(n(Status::Gekozen)),
                    "/toegang/hulpvragen?status=gekozen",
                    "Het gezin heeft gekozen; de aanbieder antwoordt nog.",
                )
                .waits_on_others(),
                Task::new(
                    "Lopende hulp afsluiten",
                    Some(n(Status::Gestart)),
                    "/toegang/hulpvragen?status=gestart",
                    "Sluit de hulp af als die klaar is.",
                )
                .waits_on_others(),
                Task::new(
                    "Nieuwe hulpvraag",
                    None,
                    "/toegang/hulpvragen/nieuw",
                    "Zoek samen met het gezin passende hulp.",
                ),
            ]
        }
        Principal::Beleid(_) => vec![Task::new(
            "Monitor van uw gemeente",
            None,
            "/monitor",
            "Gebruik, in- en uitstroom, wachttijden en kosten per kwartaal, met de trend.",
        )],
        Principal::Contractmanager(_) | Principal::Beheerder(_) => {
            let region = user.region_scope().and_then(RegionScope::filter);
            let mut list = vec![
                Task::new(
                    "Rapporten beoordelen",
                    Some(reports::count(conn, None, region, &[reports::SUBMITTED])?),
                    "/beheer/scores/rapporten",
                    "Ingediende cijfers. Publiceer ze of stuur ze terug.",
                ),
                Task::new(
                    "Meldingen zonder antwoord",
                    Some(crate::providers::listing_reports::count_overdue(
                        conn,
                        region,
                        crate::clock::now(),
                    )?),
                    "/beheer/meldingen",
                    "Meldingen dat een vermelding niet klopt, waarop de aanbieder na 14 dagen nog niet antwoordde.",
                )
                .waits_on_others(),
                Task::new(
                    "Aanmeldingen beoordelen",
                    Some(crate::providers::admission::count_undecided(conn, region)?),
                    "/beheer/aanmeldingen",
                    "Aanbieders die wachten op toelating.",
                ),
                Task::new(
                    "Cijfers van de regio",
                    None,
                    "/beheer/scores",
                    "Alle berekende cijfers per aanbieder en profiel.",
                ),
                Task::new(
                    "Monitor",
                    None,
                    "/monitor",
                    "Gebruik, in- en uitstroom en wachttijden per gemeente en per kwartaal.",
                ),
            ];
            if user.principal.role() == crate::accounts::Role::Beheerder {
                list.push(Task::new(
                    "Gebruikers",
                    None,
                    "/beheer/gebruikers",
                    "Nodig mensen uit, wijzig hun rol of deactiveer een account.",
                ));
                list.push(Task::new(
                    "Regio's",
                    None,
                    "/beheer/regios",
                    "Regio's met hun profielen, intensiteiten en vragen aan gezinnen; een nieuwe regio met de hand of uit bestanden.",
                ));
                list.push(Task::new(
                    "Gemeenten",
                    None,
                    "/beheer/gemeenten",
                    "Voeg een gemeente toe, wijzig een naam, voeg gemeenten samen of verhuis er een naar een andere regio.",
                ));
                list.push(Task::new(
                    "Tarieven",
                    None,
                    "/beheer/tarieven",
                    "Wat de regio per profiel en intensiteit betaalt, ook voor volgend jaar.",
                ));
                list.push(Task::new(
                    "Procesovereenkomst",
                    None,
                    "/beheer/procesovereenkomst",
                    "De voorwaarden waar aanbieders mee instemmen.",
                ));
            }
            list
        }
    })
}

fn render(state: &AppState, account: Account<'_>, tasks: &[Task]) -> Markup {
    let crumbs = vec![Crumb::here("Mijn werk")];
    // What waits on the reader, and apart from it what waits on others.
    let total: i64 = tasks
        .iter()
        .filter(|t| !t.on_others)
        .filter_map(|t| t.waiting)
        .sum();
    let elsewhere: i64 = tasks
        .iter()
        .filter(|t| t.on_others)
        .filter_map(|t| t.waiting)
        .sum();
    Page {
        title: "Mijn werk",
        site: &state.site,
        crumbs,
        section: Some("/mijn-werk"),
        account: Some(account),
    }
    .render(html! {
        h1 { "Mijn werk" }
        p.lead {
            "U bent ingelogd als " strong { (account.user.name) } " (" (account.user.role().label().to_lowercase()) "). "
            @match total {
                0 => "Er wacht nu niets op u.",
                1 => "Er wacht 1 zaak op u.",
                n => { "Er wachten " (n) " zaken op u." }
            }
            @match elsewhere {
                0 => {}
                1 => " 1 zaak wacht op iemand anders of loopt nog.",
                n => { " " (n) " zaken wachten op iemand anders of lopen nog." }
            }
        }
        ul.work-list {
            @for task in tasks {
                li.work-list__item {
                    a href=(task.href) { (task.label) }
                    @if let Some(n) = task.waiting {
                        " "
                        @if task.on_others {
                            // Not a count that waits on this user: said in words, not only by colour.
                            span.count.count--zero { (n) } " bij anderen"
                        } @else {
                            span.count.count--zero[n == 0] { (n) span.visually-hidden { @if n == 1 { " wacht op u" } @else { " wachten op u" } } }
                        }
                    }
                    p { (task.help) }
                }
            }
        }
    })
}
