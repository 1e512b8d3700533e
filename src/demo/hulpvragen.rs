//! The demo worker's hulpvragen, in the demo municipality: one or more in every status, the
//! demo provider among the chosen, and enough closed ones with answered questionnaires that
//! families' experience shows for a few providers. Every step goes through the real workflow
//! (`choice::store`); afterwards the steps are dated back, so waiting times are real too.

use chrono::{Days, NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::listings::Listed;
use crate::choice::experience::{self, Answers};
use crate::choice::model::DeclineReason;
use crate::choice::store::{self, Answer, ChosenBy, Closing, NewHulpvraag};
use crate::db::DbConnection;
use crate::db::schema::{care_requests, hulpvraag_events, hulpvragen};
use crate::outcomes::indicators::{GoalResult, MIN_N};
use crate::providers::{AdmissionStatus, NewOffer};
use crate::web::auth::SessionUser;

/// What becomes of one hulpvraag.
#[derive(Debug, Clone, Copy)]
enum Course {
    Open,
    Chosen,
    Declined,
    DeclinedThenChosen,
    Accepted,
    Started,
    Closed { answered: bool },
}

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
fn band(offer: &NewOffer) -> &'static str {
    match (offer.min_age, offer.max_age) {
        (lo, hi) if lo <= 12 && hi >= 17 => "12-17",
        (lo, hi) if lo <= 4 && hi >= 11 => "4-11",
        (lo, _) if lo <= 3 => "0-3",
        _ => "18-23",
    }
}

pub struct Seeded {
    pub hulpvragen: usize,
    pub answers: usize,
}

/// Makes the demo worker's hulpvragen. `listed[0]` is the demo provider.
pub fn seed(
    conn: &mut DbConnection,
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

    let mut plans: Vec<(Course, i64)> = vec![
        (Course::Open, demo.id),
        (Course::Open, demo.id),
        (Course::Chosen, demo.id),
        (Course::Declined, demo.id),
        (Course::DeclinedThenChosen, demo.id),
        (Course::Accepted, demo.id),
        (Course::Started, demo.id),
        (Course::Closed { answered: false }, demo.id),
    ];
    for other in others.iter().take(3) {
        plans.push((Course::Chosen, other.id));
        plans.push((Course::Started, other.id));
    }
    for provider in &answered_by {
        for _ in 0..=MIN_N {
            plans.push((Course::Closed { answered: true }, *provider));
        }
    }
    let mut made = 0;
    let mut answers = 0;
    for (k, (course, provider)) in plans.into_iter().enumerate() {
        let choices = of(provider);
        let Some(offer) = choices.get(rng.usize(..choices.len().max(1))).copied() else {
            continue;
        };
        let number = k + 1;
        let new = NewHulpvraag {
            region_id,
            municipality_id,
            profile_id: offer.profile_id,
            intensity_id: offer.intensity_id,
            kader: "vrijwillig",
            age_band: band(offer).to_owned(),
            case_number: format!("DLF-{number:04}"),
            notes: String::new(),
        };
        let answered = play(conn, worker, &new, course, provider, public_url, rng)?;
        made += 1;
        answers += usize::from(answered);
    }
    Ok(Seeded {
        hulpvragen: made,
        answers,
    })
}

/// One hulpvraag through its course; returns whether the family answered the questionnaire.
fn play(
    conn: &mut DbConnection,
    worker: &SessionUser,
    new: &NewHulpvraag,
    course: Course,
    provider: i64,
    public_url: &str,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<bool> {
    let now = crate::clock::now();
    let today = now.date();
    let closed = matches!(course, Course::Closed { .. });
    // How long ago it was opened: closed ones up to most of a year ago.
    let age = if closed {
        rng.i64(120..330)
    } else {
        rng.i64(3..60)
    };
    let mut at = now - TimeDelta::days(age);
    let mut steps = vec![("geopend", at)];
    let id = store::open(conn, worker, new)?;
    let step = |at: &mut NaiveDateTime, rng: &mut fastrand::Rng, range: std::ops::Range<i64>| {
        *at =
            (*at + TimeDelta::days(rng.i64(range)) + TimeDelta::minutes(rng.i64(0..480))).min(now);
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
            // Another provider for this profile and age declines first.
            let h = store::load(conn, id)?;
            store::candidates(conn, &h, false, today)?
                .into_iter()
                .find(|p| *p != provider)
        };
        let Some(first) = first else {
            return finish(conn, id, &steps).map(|()| false);
        };
        choose(conn, id, first, step(&mut at, rng, 1..4), public_url)?;
        steps.push(("gekozen", at));
        let h = store::load(conn, id)?;
        let request = open_request(conn, id)?;
        store::answer(
            conn,
            &request,
            &h,
            &Answer::Decline {
                reason: DeclineReason::ALL[rng.usize(..DeclineReason::ALL.len())],
                note: "Wij hebben op dit moment geen plek voor deze leeftijd.".into(),
            },
            public_url,
        )?;
        answered_at(conn, request.id, step(&mut at, rng, 1..3))?;
        steps.push(("afgewezen", at));
        if matches!(course, Course::Declined) {
            return finish(conn, id, &steps).map(|()| false);
        }
    }
    choose(conn, id, provider, step(&mut at, rng, 1..4), public_url)?;
    steps.push(("gekozen", at));
    if matches!(course, Course::Chosen | Course::DeclinedThenChosen) {
        return finish(conn, id, &steps).map(|()| false);
    }
    let h = store::load(conn, id)?;
    let request = open_request(conn, id)?;
    let start = (at + TimeDelta::days(rng.i64(7..35))).min(now).date();
    store::answer(
        conn,
        &request,
        &h,
        &Answer::Accept {
            expected_start: start,
        },
        public_url,
    )?;
    answered_at(conn, request.id, step(&mut at, rng, 1..4))?;
    steps.push(("geaccepteerd", at));
    if matches!(course, Course::Accepted) {
        return finish(conn, id, &steps).map(|()| false);
    }
    let started_on = start.max(at.date()).min(today);
    let h = store::load(conn, id)?;
    store::start(conn, &h, started_on)?;
    at = started_on.and_hms_opt(9, 0, 0).unwrap_or(at).max(at);
    steps.push(("gestart", at));
    if matches!(course, Course::Started) {
        return finish(conn, id, &steps).map(|()| false);
    }
    let ended_on = started_on
        .checked_add_days(Days::new(rng.u64(30..150)))
        .unwrap_or(today)
        .min(today);
    let h = store::load(conn, id)?;
    store::close(
        conn,
        &h,
        &Closing {
            ended_on,
            cbs_reason: if rng.u8(..10) == 0 { 3 } else { 1 },
            goal: [
                GoalResult::Behaald,
                GoalResult::Behaald,
                GoalResult::DeelsBehaald,
            ][rng.usize(..3)],
        },
    )?;
    steps.push((
        "afgesloten",
        ended_on
            .and_hms_opt(16, 0, 0)
            .unwrap_or(now)
            .min(now)
            .max(at),
    ));
    let answered = matches!(course, Course::Closed { answered: true });
    if answered {
        let base = rng.u8(6..=9);
        let mut scores = [0u8; 6];
        for s in &mut scores {
            *s = (base + rng.u8(0..=2)).saturating_sub(1).clamp(1, 10);
        }
        let h = store::load(conn, id)?;
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
    let h = store::load(conn, id)?;
    if !store::shortlist(conn, id)?.contains(&provider) {
        store::add_to_shortlist(conn, &h, provider)?;
    }
    let by = if h.family_chooses() && id % 2 == 0 {
        ChosenBy::Gezin
    } else {
        ChosenBy::Samen
    };
    store::choose(conn, &h, provider, by, public_url)?;
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
    store::requests(conn, id)?
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
fn finish(conn: &mut DbConnection, id: i64, steps: &[(&str, NaiveDateTime)]) -> anyhow::Result<()> {
    let events: Vec<(i64, String)> = hulpvraag_events::table
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
            .find(|(k, (step, _))| !used[*k] && *step == kind.as_str());
        if let Some((k, (_, at))) = found {
            used[k] = true;
            last = (*at).max(last);
        }
        diesel::update(hulpvraag_events::table.find(event))
            .set(hulpvraag_events::at.eq(last))
            .execute(conn)?;
    }
    diesel::update(hulpvragen::table.find(id))
        .set((
            hulpvragen::created_at.eq(first),
            hulpvragen::updated_at.eq(last),
        ))
        .execute(conn)?;
    Ok(())
}
