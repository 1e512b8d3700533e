//! The agreed goals on the worker's page: the form while they can change, the list with
//! marks afterwards, and the marks asked at closing.

use maud::{Markup, html};

use crate::choice::commands::goals::{Goal, field};
use crate::choice::model::{Hulpvraag, Status};
use crate::domain::indicator::{GoalMark, MAX_GOALS};
use crate::web::FieldError;
use crate::web::components::Field;
use crate::web::layout::Account;

use super::{datetime_nl, radios};

/// The goals section of the worker's page, from acceptance on.
pub(super) fn worker_goals(
    account: Account<'_>,
    h: &Hulpvraag,
    goals: &[Goal],
    typed: Option<&[String]>,
    errors: &[FieldError],
) -> Markup {
    let base = format!("/toegang/hulpvragen/{}", h.id);
    let status = h.status();
    if !matches!(
        status,
        Status::Geaccepteerd | Status::Gestart | Status::Afgesloten
    ) {
        return html! {};
    }
    html! {
        h2 #doelen { "Afgesproken doelen" }
        @if status == Status::Geaccepteerd {
            p { "Spreek met het gezin en de aanbieder af wat de hulp moet bereiken: één tot vijf doelen, in gewone woorden. De aanbieder bevestigt ze. Bij het afsluiten geeft u per doel aan of het is behaald." }
            p.hint { "Schrijf geen namen, geboortedata of burgerservicenummers in de doelen." }
            @if !goals.is_empty() {
                (confirmation(h))
            }
            form method="post" action={ (base) "/doelen" } novalidate {
                (account.csrf.field())
                @for i in 0..usize::from(MAX_GOALS) {
                    @let name = field(i + 1);
                    @let value = typed.map_or_else(
                        || goals.get(i).map_or("", |g| g.text.as_str()),
                        |t| t.get(i).map_or("", String::as_str),
                    );
                    @let label = format!("Doel {}", i + 1);
                    @let input = Field::text(&name, &label, value);
                    @let input = if i == 0 { input } else { input.optional() };
                    (input.render(errors))
                }
                button type="submit" { @if goals.is_empty() { "Doelen vastleggen" } @else { "Doelen opnieuw vastleggen" } }
            }
            @if !goals.is_empty() {
                form method="post" action={ (base) "/doelen/weghalen" } {
                    (account.csrf.field())
                    p { "Spreekt u vooraf geen doelen af? Haal ze dan weg. Bij het afsluiten kiest u dan of de doelen zijn bereikt." }
                    button.secondary type="submit" { "Doelen weghalen" }
                }
            }
        } @else if goals.is_empty() {
            p.empty-state { "Er zijn vooraf geen doelen afgesproken." }
        } @else {
            (confirmation(h))
            (goal_list(goals))
        }
    }
}

fn confirmation(h: &Hulpvraag) -> Markup {
    html! {
        @match h.goals_confirmed_at {
            Some(at) => p { strong { "Bevestigd door de aanbieder" } " op " (datetime_nl(at)) "." },
            None => p { strong { "Wacht op bevestiging van de aanbieder." } " De hulp kan pas starten als de aanbieder de doelen heeft bevestigd." },
        }
    }
}

/// The goals with their marks (once marked).
pub(super) fn goal_list(goals: &[Goal]) -> Markup {
    html! {
        ol.goals {
            @for goal in goals {
                li {
                    (goal.text)
                    @if let Some(mark) = goal.result { " – " strong { (mark.label()) } }
                }
            }
        }
    }
}

/// At closing: a mark for every agreed goal, or (none agreed) the yes/no of before.
pub(super) fn closing_marks(goals: &[Goal], errors: &[FieldError]) -> Markup {
    let marks: Vec<(String, String)> = GoalMark::ALL
        .iter()
        .map(|m| (m.as_str().to_owned(), m.label().to_owned()))
        .collect();
    html! {
        @if goals.is_empty() {
            (radios("doelen", "Zijn de doelen bereikt?", &[
                ("behaald".into(), "Ja, helemaal".into()),
                ("deels_behaald".into(), "Deels".into()),
                ("niet_behaald".into(), "Nee".into()),
                ("onbekend".into(), "Weet ik niet".into()),
            ], "", errors))
        } @else {
            p { "Geef per afgesproken doel aan of het is behaald." }
            @for (i, goal) in goals.iter().enumerate() {
                (radios(&field(i + 1), &format!("Doel {}: {}", i + 1, goal.text), &marks, "", errors))
            }
        }
    }
}
