//! The demo worker's hulpvragen, in the demo municipality: one or more in every status, the
//! demo provider among the chosen, and enough closed ones with answered questionnaires that
//! families' experience shows for a few providers. Every step goes through the real workflow
//! (`choice::commands`); afterwards the steps are dated back, so waiting times are real too.

use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::listings::Listed;
use crate::choice::commands::{self, Answer, ChosenBy, Closing, NewHulpvraag, goals};
use crate::choice::experience::{self, Answers};
use crate::choice::model::{DeclineReason, EventKind, Kader};
use crate::db::DbConnection;
use crate::db::schema::{care_requests, hulpvraag_events, hulpvragen};
use crate::domain::indicator::{GoalMark, ProblemsSmaller, WithoutCare};
use crate::domain::values::{AgeBand, CaseNumber};
use crate::outcomes::compute::Quarter;
use crate::outcomes::indicators::{GoalResult, MIN_N};
use crate::providers::{AdmissionStatus, NewOffer};
use crate::reference::ReferenceData;
use crate::web::auth::SessionUser;

/// What becomes of one hulpvraag.
#[derive(Debug, Clone, Copy)]
enum Course {
    Open,
    Chosen,
    Declined,
    DeclinedThenChosen,
    /// Chosen, then withdrawn by the worker before the provider answered.
    Withdrawn,
    Accepted,
    Started,
    Closed {
        answered: bool,
    },
}

/// Goals as workers write them with families: plain words, no names.
const GOALS: [&str; 6] = [
    "Weer naar school gaan, minstens vier dagen per week.",
    "Minder ruzie thuis: afspraken die iedereen kent en nakomt.",
    "Zelf een dagritme houden: op tijd op en op tijd naar bed.",
    "Weten bij wie je terecht kunt als het misgaat.",
    "Ouders weten hoe ze rustig reageren als hun kind boos wordt.",
    "Zelf boodschappen doen en met geld omgaan.",
];

const REMARKS: [&str; 5] = [
    "",
    "Fijn dat er iemand thuis kwam.",
    "Het duurde lang voordat de hulp begon.",
    "",
    "Mijn zoon voelt zich nu veel beter op school.",
];

/// Offers of working providers that serve the municipality, with the provider.
fn offers_in(listed: &[Listed], municipality: i64) -> Vec<(&Listed, &NewOffer)> {
    listed
        .iter()
        .flat_map(|p| p.offers.iter().map(move |o| (p, o)))
        .filter(|(p, o)| {
            o.accepts_new_clients
                && o.municipality_ids.contains(&municipality)
                && p.regions
                    .iter()
                    .any(|(r, s)| *r == o.region_id && *s == AdmissionStatus::Toegelaten)
        })
        .collect()
}

/// An age band inside the offer's ages.
fn band(offer: &NewOffer) -> AgeBand {
    match (offer.min_age, offer.max_age) {
        (lo, hi) if lo <= 12 && hi >= 17 => AgeBand::Teenager,
        (lo, hi) if lo <= 4 && hi >= 11 => AgeBand::Child,
        (lo, _) if lo <= 3 => AgeBand::Toddler,
        _ => AgeBand::YoungAdult,
    }
}

pub struct Seeded {
    pub hulpvragen: usize,
    pub answers: usize,
}

/// Makes the demo worker's hulpvragen. `listed[0]` is the demo provider.
#[allow(clippy::too_many_arguments)]
pub fn seed(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    listed: &[Listed],
    worker: &SessionUser,
    region_id: i64,
    municipality_id: i64,
    public_url: &str,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<Seeded> {
    let offers = offers_in(listed, municipality_id);
    let Some(demo) = listed.first() else {
        return Ok(Seeded {
            hulpvragen: 0,
            answers: 0,
        });
    };
    let of = |id: i64| -> Vec<&NewOffer> {
        offers
            .iter()
            .filter(|(p, _)| p.id == id)
            .map(|(_, o)| *o)
            .collect()
    };
    // The demo provider and two others (the largest serving the town) collect enough
    // answers for their experience to show.
    let mut others: Vec<&Listed> = offers
        .iter()
        .map(|(p, _)| *p)
        .filter(|p| p.id != demo.id)
        .collect();
    others.dedup_by_key(|p| p.id);
    others.sort_by_key(|p| (p.size != super::listings::Size::Groot, p.id));
    let answered_by: Vec<i64> = std::iter::once(demo.id)
        .chain(others.iter().take(2).map(|p| p.id))
        .collect();

    // (course, provider, kader, the offer to use: None for any of the provider's)
    let mut plans: Vec<(Course, i64, Kader, Option<usize>)> = vec![
        (Course::Open, demo.id, Kader::Vrijwillig, None),
        (Course::Open, demo.id, Kader::Vrijwillig, None),
        (Course::Chosen, demo.id, Kader::Vrijwillig, None),
        (Course::Withdrawn, demo.id, Kader::Vrijwillig, None),
        (Course::Declined, demo.id, Kader::Vrijwillig, None),
        (Course::DeclinedThenChosen, demo.id, Kader::Vrijwillig, None),
        (Course::Accepted, demo.id, Kader::Vrijwillig, None),
        (Course::Started, demo.id, Kader::Vrijwillig, None),
        (Course::Started, demo.id, Kader::Gedwongen, None),
        (
            Course::Closed { answered: false },
            demo.id,
            Kader::Gedwongen,
            None,
        ),
    ];
    // Every provider serving the town has some history here, so its page shows a waiting
    // time measured in practice.
    for (n, other) in others.iter().take(12).enumerate() {
        if n < 3 {
            plans.push((Course::Chosen, other.id, Kader::Vrijwillig, None));
        }
        plans.push((Course::Started, other.id, Kader::Vrijwillig, None));
        for _ in 0..3 {
            plans.push((
                Course::Closed { answered: false },
                other.id,
                Kader::Vrijwillig,
                None,
            ));
        }
    }
    // Enough answers on one profile for the families' experience to show.
    for provider in &answered_by {
        let first = rng.usize(..of(*provider).len().max(1));
        for _ in 0..=MIN_N {
            plans.push((
                Course::Closed { answered: true },
                *provider,
                Kader::Vrijwillig,
                Some(first),
            ));
        }
    }
    let mut made = 0;
    let mut answers = 0;
    for (k, (course, provider, kader, pick)) in plans.into_iter().enumerate() {
        let choices = of(provider);
        let index = pick.unwrap_or_else(|| rng.usize(..choices.len().max(1)));
        let Some(offer) = choices.get(index).copied() else {
            continue;
        };
        let acute = reference
            .intensity(offer.intensity_id)
            .is_some_and(|i| i.code == "acuut");
        let number = k + 1;
        let new = NewHulpvraag {
            region_id,
            municipality_id,
            profile_id: offer.profile_id,
            intensity_id: offer.intensity_id,
            kader,
            age_band: band(offer),
            case_number: CaseNumber::try_from(format!("DLF-{number:04}").as_str())?,
            notes: String::new(),
        };
        let answered = play(conn, worker, &new, course, provider, acute, public_url, rng)?;
        made += 1;
        answers += usize::from(answered);
    }
    made += super::trajectory_rules::returns_within_a_year(conn, worker, demo.id, public_url)?;
    super::trajectory_rules::change_during_care(conn, reference, demo.id, public_url)?;
    Ok(Seeded {
        hulpvragen: made,
        answers,
    })
}

/// One hulpvraag through its course; returns whether the family answered the questionnaire.
/// Its moments are planned first, backwards from today: closed help ended after the last
/// reported quarter (so published reports stay as they were), acute help starts within days,
/// and what waits for an answer was chosen recently.
#[allow(clippy::too_many_arguments)]
fn play(
    conn: &mut DbConnection,
    worker: &SessionUser,
    new: &NewHulpvraag,
    course: Course,
    provider: i64,
    acute: bool,
    public_url: &str,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<bool> {
    let now = crate::clock::now();
    let today = crate::clock::today();
    let moment = |rng: &mut fastrand::Rng, day: NaiveDate| {
        day.and_hms_opt(rng.u32(8..17), rng.u32(0..60), 0)
            .unwrap_or(now)
            .min(now)
    };
    let back = |days: i64| today - TimeDelta::days(days.max(0));
    let wait = if acute { rng.i64(0..3) } else { rng.i64(7..35) };
    let quarter_start = Quarter::of(today).first_day();
    let (start, end) = match course {
        Course::Closed { .. } => {
            let end = back(rng.i64(0..=(today - quarter_start).num_days()));
            (Some(end - TimeDelta::days(rng.i64(20..120))), Some(end))
        }
        Course::Started => (Some(back(rng.i64(3..60))), None),
        _ => (None, None),
    };
    let opened = match (course, start) {
        (_, Some(start)) => start - TimeDelta::days(wait + rng.i64(2..6)),
        (Course::Accepted, _) => back(rng.i64(3..10)),
        (Course::Declined | Course::DeclinedThenChosen, _) => back(rng.i64(4..12)),
        (Course::Chosen | Course::Withdrawn, _) => back(rng.i64(1..4)),
        _ => back(rng.i64(0..10)),
    };
    let mut at = moment(rng, opened);
    let mut steps = vec![(EventKind::Geopend, at)];
    let id = commands::open(conn, worker, new)?;
    let next = |at: &mut NaiveDateTime, rng: &mut fastrand::Rng, days: std::ops::Range<i64>| {
        *at =
            (*at + TimeDelta::days(rng.i64(days)) + TimeDelta::minutes(rng.i64(20..300))).min(now);
        *at
    };
    if matches!(course, Course::Open) {
        return finish(conn, id, &steps).map(|()| false);
    }
    // A provider that declines first, where the course asks for it.
    if matches!(course, Course::Declined | Course::DeclinedThenChosen) {
        let first = if matches!(course, Course::Declined) {
            Some(provider)
        } else {
            // Another provider for this profile, intensity and age declines first.
            let h = commands::load(conn, id)?;
            let all = commands::candidates(conn, &h, false, today)?;
            let offering = commands::with_intensity(conn, &h, &all)?;
            all.into_iter()
                .find(|p| *p != provider && offering.contains(p))
        };
        let Some(first) = first else {
            return finish(conn, id, &steps).map(|()| false);
        };
        choose(conn, id, first, next(&mut at, rng, 0..2), public_url)?;
        steps.push((EventKind::Gekozen, at));
        let h = commands::load(conn, id)?;
        let request = open_request(conn, id)?;
        commands::answer(
            conn,
            &request,
            &h,
            &Answer::Decline {
                reason: DeclineReason::ALL[rng.usize(..DeclineReason::ALL.len())],
                note: "Wij hebben op dit moment geen plek voor deze leeftijd.".into(),
            },
            public_url,
        )?;
        answered_at(conn, request.id, next(&mut at, rng, 0..2))?;
        steps.push((EventKind::Afgewezen, at));
        if matches!(course, Course::Declined) {
            return finish(conn, id, &steps).map(|()| false);
        }
    }
    choose(conn, id, provider, next(&mut at, rng, 0..2), public_url)?;
    steps.push((EventKind::Gekozen, at));
    if matches!(course, Course::Chosen | Course::DeclinedThenChosen) {
        return finish(conn, id, &steps).map(|()| false);
    }
    if matches!(course, Course::Withdrawn) {
        let h = commands::load(conn, id)?;
        commands::withdraw(conn, &h, "Het gezin heeft zelf een oplossing gevonden.")?;
        steps.push((EventKind::Ingetrokken, next(&mut at, rng, 0..2)));
        return finish(conn, id, &steps).map(|()| false);
    }
    let h = commands::load(conn, id)?;
    let request = open_request(conn, id)?;
    next(&mut at, rng, 0..2);
    let started_on = start
        .unwrap_or(today)
        .max(crate::clock::date_of(at))
        .min(today);
    commands::answer(
        conn,
        &request,
        &h,
        &Answer::Accept {
            expected_start: if matches!(course, Course::Accepted) {
                today + TimeDelta::days(wait)
            } else {
                started_on
            },
        },
        public_url,
    )?;
    answered_at(conn, request.id, at)?;
    steps.push((EventKind::Geaccepteerd, at));
    // Most help starts with agreed goals; the accepted one waits for the provider.
    let agreed = matches!(course, Course::Accepted) || rng.u8(..3) > 0;
    if agreed {
        let h = commands::load(conn, id)?;
        let count = rng.usize(1..=3);
        let start = rng.usize(..GOALS.len());
        let goals: Vec<String> = (0..count)
            .map(|i| GOALS[(start + i) % GOALS.len()].to_owned())
            .collect();
        goals::record(conn, &h, &goals, public_url)?;
        steps.push((EventKind::DoelenVastgelegd, next(&mut at, rng, 0..2)));
        if !matches!(course, Course::Accepted) {
            let h = commands::load(conn, id)?;
            let seen = goals::version(&goals::load(conn, id)?);
            goals::confirm(conn, &request, &h, &seen, public_url)?;
            steps.push((EventKind::DoelenBevestigd, next(&mut at, rng, 0..2)));
        }
    }
    if matches!(course, Course::Accepted) {
        return finish(conn, id, &steps).map(|()| false);
    }
    let h = commands::load(conn, id)?;
    commands::start(conn, &h, started_on, None)?;
    at = moment(rng, started_on).max(at);
    steps.push((EventKind::Gestart, at));
    if matches!(course, Course::Started) {
        return finish(conn, id, &steps).map(|()| false);
    }
    let ended_on = end.unwrap_or(today).max(started_on).min(today);
    let h = commands::load(conn, id)?;
    let marks = [
        GoalMark::Behaald,
        GoalMark::Behaald,
        GoalMark::DeelsBehaald,
        GoalMark::NietBehaald,
    ];
    let mut answers = fastrand::Rng::with_seed(h.id.unsigned_abs());
    commands::close(
        conn,
        &h,
        &Closing {
            ended_on,
            cbs_reason: if rng.u8(..10) == 0 { 3 } else { 1 },
            goal: Some(
                [
                    GoalResult::Behaald,
                    GoalResult::Behaald,
                    GoalResult::DeelsBehaald,
                ][rng.usize(..3)],
            ),
            marks: (0..5)
                .map(|_| Some(marks[rng.usize(..marks.len())]))
                .collect(),
            // A generator of its own: the demo's other hulpvragen stay what they were.
            without_care: WithoutCare::ALL[answers.usize(..WithoutCare::ALL.len())],
            problems_smaller: ProblemsSmaller::ALL[answers.usize(..ProblemsSmaller::ALL.len())],
        },
    )?;
    steps.push((EventKind::Afgesloten, moment(rng, ended_on).max(at)));
    let answered = matches!(course, Course::Closed { answered: true });
    if answered && has_questions(conn, id)? {
        let base = rng.u8(6..=9);
        let h = commands::load(conn, id)?;
        let codes: Vec<String> = {
            use crate::db::schema::satisfaction_items as items;
            items::table
                .filter(items::region_id.eq(h.region_id))
                .filter(items::closed_from.is_null())
                .order(items::sort_order)
                .select(items::code)
                .load(conn)?
        };
        let scores = codes
            .into_iter()
            .map(|code| (code, (base + rng.u8(0..=2)).saturating_sub(1).clamp(1, 10)))
            .collect();
        experience::save(
            conn,
            &h,
            &Answers {
                scores,
                remark: REMARKS[rng.usize(..REMARKS.len())].to_owned(),
            },
        )?;
    }
    finish(conn, id, &steps)?;
    Ok(answered)
}

fn choose(
    conn: &mut DbConnection,
    id: i64,
    provider: i64,
    at: NaiveDateTime,
    public_url: &str,
) -> anyhow::Result<()> {
    let h = commands::load(conn, id)?;
    if !commands::shortlist(conn, id)?.contains(&provider) {
        commands::add_to_shortlist(conn, &h, provider)?;
    }
    let by = if h.family_chooses() && id % 2 == 0 {
        ChosenBy::Gezin
    } else {
        ChosenBy::Samen
    };
    commands::choose(conn, &h, provider, by, public_url)?;
    // Dated back at once: starting the help checks it came after the choice.
    let request = open_request(conn, id)?;
    diesel::update(care_requests::table.find(request.id))
        .set(care_requests::chosen_at.eq(at))
        .execute(conn)?;
    Ok(())
}

fn open_request(
    conn: &mut DbConnection,
    id: i64,
) -> anyhow::Result<crate::choice::model::CareRequest> {
    commands::requests(conn, id)?
        .into_iter()
        .find(crate::choice::model::CareRequest::is_open)
        .ok_or_else(|| anyhow::anyhow!("hulpvraag {id} has no open request"))
}

fn answered_at(conn: &mut DbConnection, request: i64, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(care_requests::table.find(request))
        .set(care_requests::answered_at.eq(Some(at)))
        .execute(conn)
        .map(|_| ())
}

/// Dates the hulpvraag and its events back to the moments of its steps: each event gets the
/// moment of the next step of its kind; any other event the moment before it.
fn finish(
    conn: &mut DbConnection,
    id: i64,
    steps: &[(EventKind, NaiveDateTime)],
) -> anyhow::Result<()> {
    let events: Vec<(i64, EventKind)> = hulpvraag_events::table
        .filter(hulpvraag_events::hulpvraag_id.eq(id))
        .order(hulpvraag_events::id)
        .select((hulpvraag_events::id, hulpvraag_events::kind))
        .load(conn)?;
    let first = steps.first().map_or_else(crate::clock::now, |(_, at)| *at);
    let mut used = vec![false; steps.len()];
    let mut last = first;
    for (event, kind) in &events {
        let found = steps
            .iter()
            .enumerate()
            .find(|(k, (step, _))| !used[*k] && step == kind);
        if let Some((k, (_, at))) = found {
            used[k] = true;
            last = (*at).max(last);
        }
        diesel::update(hulpvraag_events::table.find(event))
            .set(hulpvraag_events::at.eq(last))
            .execute(conn)?;
    }
    let confirmed = steps
        .iter()
        .find(|(kind, _)| *kind == EventKind::DoelenBevestigd)
        .map(|(_, at)| *at);
    diesel::update(hulpvragen::table.find(id))
        .set((
            hulpvragen::created_at.eq(first),
            hulpvragen::updated_at.eq(last),
            hulpvragen::goals_confirmed_at.eq(confirmed),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whether the region of the hulpvraag asks families any question.
fn has_questions(conn: &mut DbConnection, id: i64) -> QueryResult<bool> {
    use crate::db::schema::satisfaction_items as items;
    let region: i64 = crate::db::schema::hulpvragen::table
        .find(id)
        .select(crate::db::schema::hulpvragen::region_id)
        .first(conn)?;
    diesel::select(diesel::dsl::exists(
        items::table
            .filter(items::region_id.eq(region))
            .filter(items::closed_from.is_null()),
    ))
    .get_result(conn)
}
