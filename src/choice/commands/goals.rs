//! The agreed result ("het beoogde resultaat is vooraf afgestemd"): once a provider has
//! accepted and before care starts, the worker records one to five goals in plain words,
//! agreed with the family and the provider; the provider confirms them; at closing each goal
//! is marked, and doelrealisatie of the trajectory follows from the marks
//! ([`GoalCounts::result`]). Only the counts go into the trajectory.

use diesel::prelude::*;

use crate::choice::model::{Actor, CareRequest, EventKind, Hulpvraag, RequestAnswer, Status};
use crate::db::DbConnection;
use crate::db::schema::{care_requests, hulpvraag_goals, hulpvragen};
use crate::domain::indicator::{GoalCounts, GoalMark, MAX_GOALS};
use crate::web::{AppError, FieldError};

use super::{event, now};

/// One agreed goal, with its mark once the hulpvraag is closed.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = hulpvraag_goals)]
pub struct Goal {
    pub position: i32,
    pub text: String,
    pub result: Option<GoalMark>,
}

/// The longest goal: one sentence in plain words.
pub const GOAL_MAX_CHARS: usize = 300;

/// The form field of the goal at this position (1-based): `doel_1` … `doel_5`.
pub fn field(position: usize) -> String {
    format!("doel_{position}")
}

/// The agreed goals of a hulpvraag, in their order.
pub fn load(conn: &mut DbConnection, hulpvraag_id: i64) -> QueryResult<Vec<Goal>> {
    hulpvraag_goals::table
        .filter(hulpvraag_goals::hulpvraag_id.eq(hulpvraag_id))
        .order(hulpvraag_goals::position)
        .select(Goal::as_select())
        .load(conn)
}

/// What the provider read when it confirms: a digest of the goals' words, so a confirmation
/// from a page shown before the worker changed them confirms nothing.
pub fn version(goals: &[Goal]) -> String {
    let words: Vec<&str> = goals.iter().map(|g| g.text.as_str()).collect();
    let digest = crate::accounts::secrets::token_hash(&words.join("\u{0}"));
    digest.get(..16).unwrap_or(&digest).to_owned()
}

/// Checks the typed goals: the filled-in fields, in order; one to five, each a sentence,
/// none holding a BSN. Errors name the field they belong to.
pub fn check_texts(typed: &[String]) -> Result<Vec<String>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut goals = Vec::new();
    for (i, text) in typed.iter().enumerate() {
        let text = text.trim();
        let name = field(i + 1);
        if text.is_empty() {
            continue;
        }
        if text.chars().count() > GOAL_MAX_CHARS {
            errors.push(FieldError::new(
                name,
                format!("Dit doel is te lang. Gebruik hoogstens {GOAL_MAX_CHARS} tekens: één zin in gewone woorden."),
            ));
        } else if crate::web::input::contains_bsn(text) {
            errors.push(FieldError::new(name, crate::web::input::BSN_MESSAGE));
        } else if crate::web::input::has_invisible(text) {
            // The provider confirms what it reads: nothing hidden in it.
            errors.push(FieldError::new(name, crate::web::input::INVISIBLE_MESSAGE));
        } else {
            goals.push(text.to_owned());
        }
    }
    if typed.len() > usize::from(MAX_GOALS) {
        errors.push(FieldError::new(
            field(1),
            format!("Spreek hoogstens {MAX_GOALS} doelen af."),
        ));
    }
    if goals.is_empty() && errors.is_empty() {
        errors.push(FieldError::new(
            field(1),
            "Vul minstens één doel in, zoals u het met het gezin en de aanbieder heeft afgesproken.",
        ));
    }
    if errors.is_empty() {
        Ok(goals)
    } else {
        Err(errors)
    }
}

fn refuse_unless_accepted(conn: &mut DbConnection, h: &Hulpvraag) -> Result<i64, AppError> {
    // Every side takes this lock first, so a confirmation, a change and the start cannot
    // cross.
    super::lock(conn, h.id)?;
    match (h.status(), h.provider_id) {
        (Status::Geaccepteerd, Some(provider)) => Ok(provider),
        _ => Err(AppError::Conflict(
            "Doelen legt u vast nadat de aanbieder heeft geaccepteerd en voordat de hulp start."
                .into(),
        )),
    }
}

/// Records the agreed goals (replacing earlier ones, whose confirmation then lapses), and
/// asks the provider to confirm them.
pub fn record(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    goals: &[String],
    public_url: &str,
) -> Result<(), AppError> {
    let provider_id = unconfirm_before_start(conn, h)?;
    diesel::delete(hulpvraag_goals::table.filter(hulpvraag_goals::hulpvraag_id.eq(h.id)))
        .execute(conn)?;
    // At most five rows; one statement each (a multi-row insert is not portable here).
    for (text, position) in goals.iter().zip(1..) {
        diesel::insert_into(hulpvraag_goals::table)
            .values((
                hulpvraag_goals::hulpvraag_id.eq(h.id),
                hulpvraag_goals::position.eq::<i32>(position),
                hulpvraag_goals::text.eq(text),
            ))
            .execute(conn)?;
    }
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::DoelenVastgelegd,
        Some(provider_id),
        &format!("{} doel(en)", goals.len()),
    )?;
    let reference = crate::choice::queries::reference_of(h.id);
    let request = accepted_request(conn, h.id, provider_id)?;
    let url = format!("{public_url}/mijn-aanbod/aanvragen/{request}");
    crate::providers::admission::mail_provider(conn, provider_id, |to| {
        crate::choice::mail::goals_recorded(to, &reference, goals.len(), &url)
    })?;
    Ok(())
}

/// The request the provider accepted: its page is where the provider confirms.
pub(super) fn accepted_request(
    conn: &mut DbConnection,
    hulpvraag_id: i64,
    provider_id: i64,
) -> QueryResult<i64> {
    care_requests::table
        .filter(care_requests::hulpvraag_id.eq(hulpvraag_id))
        .filter(care_requests::provider_id.eq(provider_id))
        .filter(care_requests::answer.eq(RequestAnswer::Geaccepteerd))
        .select(care_requests::id)
        .first(conn)
}

/// The first move of recording and of removing goals: only before the start of an accepted
/// hulpvraag (a conditional update), and any confirmation lapses. Returns the provider.
fn unconfirm_before_start(conn: &mut DbConnection, h: &Hulpvraag) -> Result<i64, AppError> {
    let provider_id = refuse_unless_accepted(conn, h)?;
    let moved = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Geaccepteerd)),
    )
    .set((
        hulpvragen::goals_confirmed_at.eq(None::<chrono::NaiveDateTime>),
        hulpvragen::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if moved != 1 {
        return Err(AppError::Conflict("De hulp is intussen gestart.".into()));
    }
    Ok(provider_id)
}

/// Takes the goals away before the start: the hulpvraag then closes with the yes/no of
/// before, as when none were agreed.
pub fn remove(conn: &mut DbConnection, h: &Hulpvraag) -> Result<(), AppError> {
    let provider_id = unconfirm_before_start(conn, h)?;
    let removed =
        diesel::delete(hulpvraag_goals::table.filter(hulpvraag_goals::hulpvraag_id.eq(h.id)))
            .execute(conn)?;
    if removed == 0 {
        return Err(AppError::Conflict(
            "Er zijn geen doelen om weg te halen.".into(),
        ));
    }
    event(
        conn,
        h.id,
        Actor::Medewerker,
        EventKind::DoelenWeggehaald,
        Some(provider_id),
        "",
    )?;
    let reference = crate::choice::queries::reference_of(h.id);
    crate::providers::admission::mail_provider(conn, provider_id, |to| {
        crate::choice::mail::step_taken_back(to, &reference, "de afgesproken doelen weggehaald")
    })?;
    Ok(())
}

/// The provider confirms the goals it was shown (`seen`: their [`version`]).
pub fn confirm(
    conn: &mut DbConnection,
    request: &CareRequest,
    h: &Hulpvraag,
    seen: &str,
    public_url: &str,
) -> Result<(), AppError> {
    let provider_id = refuse_unless_accepted(conn, h)?;
    if provider_id != request.provider_id {
        return Err(AppError::NotFound);
    }
    let goals = load(conn, h.id)?;
    if goals.is_empty() {
        return Err(AppError::Conflict(
            "De toegangsmedewerker heeft de doelen weggehaald. Er is niets te bevestigen.".into(),
        ));
    }
    if version(&goals) != seen {
        return Err(AppError::Conflict(
            "De doelen zijn intussen gewijzigd. Lees ze opnieuw en bevestig dan.".into(),
        ));
    }
    let at = now();
    let confirmed = diesel::update(
        hulpvragen::table
            .find(h.id)
            .filter(hulpvragen::status.eq(Status::Geaccepteerd))
            .filter(hulpvragen::provider_id.eq(provider_id))
            .filter(hulpvragen::goals_confirmed_at.is_null()),
    )
    .set((
        hulpvragen::goals_confirmed_at.eq(Some(at)),
        hulpvragen::updated_at.eq(at),
    ))
    .execute(conn)?;
    if confirmed != 1 {
        return Err(AppError::Conflict(
            "U heeft deze doelen al bevestigd.".into(),
        ));
    }
    event(
        conn,
        h.id,
        Actor::Aanbieder,
        EventKind::DoelenBevestigd,
        Some(provider_id),
        "",
    )?;
    super::tell_worker(
        conn,
        h,
        provider_id,
        public_url,
        crate::choice::mail::goals_confirmed,
    )?;
    Ok(())
}

/// Refuses the start while goals wait for the provider's confirmation.
///
/// Read again under the hulpvraag's lock, so goals changed a moment ago count.
pub fn require_confirmed(conn: &mut DbConnection, h: &Hulpvraag) -> Result<(), AppError> {
    super::lock(conn, h.id)?;
    let confirmed: Option<chrono::NaiveDateTime> = hulpvragen::table
        .find(h.id)
        .select(hulpvragen::goals_confirmed_at)
        .first(conn)?;
    if confirmed.is_none() && !load(conn, h.id)?.is_empty() {
        return Err(AppError::Conflict(
            "De aanbieder heeft de doelen nog niet bevestigd. Wacht op de bevestiging, of haal de doelen weg als u ze niet vooraf afspreekt."
                .into(),
        ));
    }
    Ok(())
}

/// Marks every agreed goal at closing and returns their counts; `None` when no goals were
/// agreed. A missing mark is an error under its own field.
pub fn mark(
    conn: &mut DbConnection,
    h: &Hulpvraag,
    marks: &[Option<GoalMark>],
) -> Result<Option<GoalCounts>, AppError> {
    let goals = load(conn, h.id)?;
    if goals.is_empty() {
        return Ok(None);
    }
    let mut given = Vec::with_capacity(goals.len());
    let mut errors = Vec::new();
    for (i, goal) in goals.iter().enumerate() {
        match marks.get(i).copied().flatten() {
            Some(m) => given.push((goal.position, m)),
            None => errors.push(FieldError::new(
                field(i + 1),
                format!("Kies of dit doel is behaald: {}", goal.text),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::InvalidInput(errors));
    }
    for (position, m) in &given {
        diesel::update(hulpvraag_goals::table.find((h.id, position)))
            .set(hulpvraag_goals::result.eq(Some(m)))
            .execute(conn)?;
    }
    let marks: Vec<GoalMark> = given.into_iter().map(|(_, m)| m).collect();
    Ok(GoalCounts::of_marks(&marks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_goals_keep_their_order_and_skip_empty_fields() {
        let typed = ["  Naar school  ", "", "Rust in huis"].map(String::from);
        assert_eq!(
            check_texts(&typed).expect("two goals"),
            vec!["Naar school".to_owned(), "Rust in huis".to_owned()]
        );
        let none = check_texts(&["".into(), " ".into()]).expect_err("no goal");
        assert_eq!(none[0].field, "doel_1");
        let bsn = check_texts(&["Doel".into(), "bsn 111222333".into()]).expect_err("a BSN");
        assert_eq!(bsn[0].field, "doel_2");
        let long = check_texts(&["x".repeat(GOAL_MAX_CHARS + 1)]).expect_err("too long");
        assert_eq!(long[0].field, "doel_1");
        assert!(check_texts(&vec!["Doel".to_owned(); 6]).is_err());
    }

    #[test]
    fn the_version_changes_with_the_words() {
        let goal = |text: &str| Goal {
            position: 1,
            text: text.into(),
            result: None,
        };
        assert_eq!(version(&[goal("a")]), version(&[goal("a")]));
        assert_ne!(version(&[goal("a")]), version(&[goal("b")]));
        assert_ne!(version(&[goal("ab")]), version(&[goal("a"), goal("b")]));
    }
}
