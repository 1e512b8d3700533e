//! Two years (or more) of the demo's trajectories and score reports. Each provider gets its own
//! rates, so some are better and some worse than the regional average and most are alike;
//! small providers stay below the minimum number of cases. Reports are published for the last
//! four quarters, in bulk through the same snapshot the review uses; a few in the demo region
//! go the real way through every state (see [`play_reports`]).

use chrono::{Days, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::listings::{Listed, Size};
use crate::accounts::model as users;
use crate::db::DbConnection;
use crate::domain::hulpvraag::Kader;
use crate::domain::ids::ProviderId;
use crate::domain::indicator::{GoalCounts, ProblemsSmaller, WithoutCare};
use crate::domain::values::AgeBand;
use crate::outcomes::compute::{Quarter, recompute_all};
use crate::outcomes::indicators::GoalResult;
use crate::outcomes::records::Trajectory;
use crate::outcomes::reports::{self, PastReport};
use crate::outcomes::store;
use crate::providers::{AdmissionStatus, NewOffer};
use crate::reference::ReferenceData;
use crate::web::auth::SessionUser;

/// Quarters published for (almost) everyone, counting back from the last complete one.
pub const PUBLISHED_QUARTERS: u32 = 4;

/// "Het verhaal achter de cijfers": what providers write beside their numbers. General enough
/// to fit any result; small providers write the last one.
const EXPLANATIONS: [&str; 7] = [
    "Wij bespreken deze cijfers elk kwartaal met ons team en met de ouderraad.",
    "Dit jaar kwamen meer gezinnen met zware problemen bij ons. Wij spreken met hen kleinere doelen af.",
    "Een deel van de jongeren verhuisde naar een andere gemeente en stopte daarom eerder. Dat telt als uitval.",
    "Wij hadden een half jaar te weinig personeel. Daardoor werd de wachttijd langer.",
    "Wij vragen elk gezin aan het eind om een cijfer. Bijna alle gezinnen doen mee.",
    "Wij werken sinds dit jaar met één vaste begeleider per gezin.",
    "Wij bellen gezinnen drie maanden na afloop om te horen hoe het gaat.",
];
const SMALL: &str =
    "Wij zijn een kleine praktijk. Eén of twee gezinnen maken al een groot verschil in de cijfers.";

/// How well a provider does: its rates, from which its trajectories are drawn.
#[derive(Debug, Clone, Copy)]
struct Rates {
    goal: f64,
    dropout: f64,
    returns: f64,
    satisfaction: f64,
}

impl Rates {
    fn draw(rng: &mut fastrand::Rng) -> Rates {
        let jitter = |rng: &mut fastrand::Rng, width: f64| (rng.f64() - 0.5) * width;
        match rng.u8(..100) {
            // Clearly better than the rest.
            0..=14 => Rates {
                goal: 0.80 + jitter(rng, 0.08),
                dropout: 0.05 + jitter(rng, 0.04),
                returns: 0.04,
                satisfaction: 8.3,
            },
            // Clearly worse.
            15..=29 => Rates {
                goal: 0.38 + jitter(rng, 0.08),
                dropout: 0.32 + jitter(rng, 0.06),
                returns: 0.18,
                satisfaction: 6.1,
            },
            _ => Rates {
                goal: 0.62 + jitter(rng, 0.08),
                dropout: 0.15 + jitter(rng, 0.06),
                returns: 0.09,
                satisfaction: 7.4 + jitter(rng, 0.6),
            },
        }
    }
}

/// A normal draw (Box–Muller), for satisfaction marks.
fn normal(rng: &mut fastrand::Rng, mean: f64, sd: f64) -> f64 {
    let u = rng.f64().max(f64::MIN_POSITIVE);
    let v = rng.f64();
    mean + sd * (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

fn days(rng: &mut fastrand::Rng, range: std::ops::Range<u64>) -> Days {
    Days::new(rng.u64(range))
}

/// How long help of an intensity lasts, in days.
fn duration(rng: &mut fastrand::Rng, intensity: &str) -> Days {
    match intensity {
        "acuut" => days(rng, 7..60),
        "intensief" => days(rng, 60..200),
        "duurzaam" => days(rng, 200..500),
        _ => days(rng, 90..300),
    }
}

/// The trajectories of one provider over `years` up to today.
fn trajectories_of(
    rng: &mut fastrand::Rng,
    reference: &ReferenceData,
    provider: &Listed,
    years: u32,
    today: NaiveDate,
) -> Vec<Trajectory> {
    let offers: Vec<&NewOffer> = provider
        .working_offers()
        .filter(|o| !o.municipality_ids.is_empty())
        .collect();
    if offers.is_empty() {
        return vec![];
    }
    let rates = Rates::draw(rng);
    let count = provider.size.trajectories_a_year(rng) * years as usize;
    let span = u64::from(years) * 365;
    let mut out = Vec::with_capacity(count + count / 8);
    let mut next_client = 0u32;
    while out.len() < count {
        let offer = offers[rng.usize(..offers.len())];
        let intensity = reference
            .intensity(offer.intensity_id)
            .map_or("perspectief", |i| i.code.as_str());
        let Some(start) = today.checked_sub_days(days(rng, 14..span + 60)) else {
            continue;
        };
        next_client += 1;
        let client = format!("D{}-{next_client}", provider.id);
        let mut start = start;
        // A client may come back after the end: terugval.
        loop {
            let end = start.checked_add_days(duration(rng, intensity));
            let ended = end.filter(|e| *e <= today);
            out.push(one(rng, offer, &rates, &client, start, ended, out.len()));
            let (Some(end), true) = (ended, rng.f64() < rates.returns) else {
                break;
            };
            match end.checked_add_days(days(rng, 30..300)) {
                Some(again) if again <= today => start = again,
                _ => break,
            }
        }
    }
    out
}

fn one(
    rng: &mut fastrand::Rng,
    offer: &NewOffer,
    rates: &Rates,
    client: &str,
    start: NaiveDate,
    end: Option<NaiveDate>,
    number: usize,
) -> Trajectory {
    let dropout = end.is_some() && rng.f64() < rates.dropout;
    let (end_reason, goal) = match (end, dropout) {
        (None, _) => (None, GoalResult::Onbekend),
        // CBS 3, 4, 5 (iJw 32, 33, 35): stopped early without agreement.
        (Some(_), true) => (
            Some([3, 3, 4, 5][rng.usize(..4)]),
            [
                GoalResult::NietBehaald,
                GoalResult::NietBehaald,
                GoalResult::DeelsBehaald,
                GoalResult::Onbekend,
            ][rng.usize(..4)],
        ),
        // CBS 1 (volgens plan) mostly, 2 (voortijdig in overeenstemming) sometimes.
        (Some(_), false) => (
            Some(if rng.u8(..10) < 8 { 1 } else { 2 }),
            if rng.f64() < rates.goal {
                GoalResult::Behaald
            } else if rng.u8(..10) < 6 {
                GoalResult::DeelsBehaald
            } else if rng.u8(..10) < 8 {
                GoalResult::NietBehaald
            } else {
                GoalResult::Onbekend
            },
        ),
    };
    let bands: Vec<AgeBand> = AgeBand::ALL
        .iter()
        .copied()
        .filter(|band| {
            let (lo, hi) = band.range();
            lo <= offer.max_age && hi >= offer.min_age
        })
        .collect();
    let satisfaction = (end.is_some() && rng.u8(..100) < 55).then(|| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let mark = normal(rng, rates.satisfaction, 1.3)
            .round()
            .clamp(1.0, 10.0) as u8;
        mark
    });
    // A generator of its own, so the history's other figures stay what they were.
    let own = &mut fastrand::Rng::with_seed(number as u64);
    let goals = demo_goals(own, goal, end.is_some());
    let (without_care, problems_smaller) = demo_answers(own, goal, end.is_some());
    Trajectory {
        reference: format!("DEMO-{number:06}"),
        region_id: offer.region_id,
        municipality_id: offer.municipality_ids[rng.usize(..offer.municipality_ids.len())],
        profile_id: offer.profile_id,
        intensity_id: offer.intensity_id,
        start_date: start,
        end_date: end,
        end_reason,
        goal,
        client_key: client.to_owned(),
        age_band: bands
            .get(rng.usize(..bands.len().max(1)))
            .copied()
            .unwrap_or(AgeBand::Teenager),
        // Part of the help is ordered by a court: gedwongen kader, more often where the
        // help stopped early, and at a few providers for a large part of their clients.
        kader: if rng.u8(..100) < forced_percent(offer.provider_id, dropout) {
            Kader::Gedwongen
        } else {
            Kader::Vrijwillig
        },
        satisfaction,
        goals,
        without_care,
        problems_smaller,
    }
}

/// How often a trajectory of this provider is in the gedwongen kader: one provider in seven
/// works mostly under a court order, and help that stopped early was more often forced.
fn forced_percent(provider_id: i64, dropout: bool) -> u8 {
    match (provider_id % 7 == 3, dropout) {
        (true, true) => 70,
        (true, false) => 40,
        (false, true) => 20,
        (false, false) => 10,
    }
}

/// The two questions of closing (3.1 and 3.3), answered for most ended trajectories, in
/// line with how far the goals were reached.
fn demo_answers(
    rng: &mut fastrand::Rng,
    goal: GoalResult,
    ended: bool,
) -> (Option<WithoutCare>, Option<ProblemsSmaller>) {
    if !ended || rng.u8(..10) == 0 {
        return (None, None);
    }
    // Percentages of "ja" and of the middle answer.
    let (yes, middle) = match goal {
        GoalResult::Behaald => (65, 25),
        GoalResult::DeelsBehaald => (30, 45),
        GoalResult::NietBehaald | GoalResult::Onbekend => (10, 30),
    };
    let pick = |rng: &mut fastrand::Rng| match rng.u8(..100) {
        x if x < yes => 0,
        x if x < yes + middle => 1,
        _ => 2,
    };
    (
        Some([WithoutCare::Ja, WithoutCare::LichtereHulp, WithoutCare::Nee][pick(rng)]),
        Some(
            [
                ProblemsSmaller::Ja,
                ProblemsSmaller::Deels,
                ProblemsSmaller::Nee,
            ][pick(rng)],
        ),
    )
}

/// Stores every provider's trajectories (a few hundred providers at a time, so memory stays
/// small at 10,000 providers) and computes the scores. Returns the number stored.
pub fn seed_trajectories(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    listed: &[Listed],
    years: u32,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<usize> {
    let today = crate::clock::today();
    let now = crate::clock::now();
    let mut stored = 0;
    for chunk in listed.chunks(200) {
        let made: Vec<(i64, Vec<Trajectory>)> = chunk
            .iter()
            .map(|p| (p.id, trajectories_of(rng, reference, p, years, today)))
            .collect();
        let rows: Vec<(i64, &Trajectory)> = made
            .iter()
            .flat_map(|(id, list)| list.iter().map(move |t| (*id, t)))
            .collect();
        stored += store::insert_many(conn, &rows, "aanbieder", now)?;
    }
    tracing::debug!(stored, "demo: trajectories stored");
    recompute_all(conn)?;
    Ok(stored)
}

/// A moment `days` after the end of a quarter, but never after now.
fn after(quarter: Quarter, days: u64, now: NaiveDateTime) -> NaiveDateTime {
    quarter
        .last_day()
        .checked_add_days(Days::new(days))
        .and_then(|d| d.and_hms_opt(10, 0, 0))
        .map_or(now, |t| t.min(now))
}

/// The providers in the demo region whose newest report goes the real way: a concept (the
/// demo provider's own), one submitted and waiting, one returned with a comment, and one
/// with a correction published as version 2.
pub struct Played {
    pub concept: i64,
    pub submitted: i64,
    pub returned: i64,
    pub corrected: i64,
}

/// Publishes the last quarters for every working provider in bulk, except the newest
/// quarter of the providers in `played` (which [`play_reports`] takes through the workflow).
pub fn seed_reports(
    conn: &mut DbConnection,
    reference: &ReferenceData,
    listed: &[Listed],
    played: &Played,
    demo_region: i64,
    manager: Option<i64>,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<usize> {
    let now = crate::clock::now();
    let newest = Quarter::of(crate::clock::today()).previous();
    let mut quarters = vec![newest];
    for _ in 1..PUBLISHED_QUARTERS {
        let q = quarters[quarters.len() - 1].previous();
        quarters.push(q);
    }
    let skipped = [played.concept, played.submitted, played.returned];
    let mut batches = Vec::new();
    for region in &reference.regions {
        for quarter in &quarters {
            let past: Vec<PastReport> = listed
                .iter()
                .filter(|p| {
                    p.regions.iter().any(|(r, s)| {
                        *r == region.id
                            && matches!(
                                s,
                                AdmissionStatus::Toegelaten | AdmissionStatus::Opgeschort
                            )
                    })
                })
                .filter(|p| {
                    !(region.id == demo_region && *quarter == newest && skipped.contains(&p.id))
                })
                .map(|p| {
                    let submitted = rng.u64(5..15);
                    let profiles: std::collections::BTreeSet<i64> = p
                        .working_offers()
                        .filter(|o| o.region_id == region.id)
                        .map(|o| o.profile_id)
                        .collect();
                    let mut explanations = std::collections::BTreeMap::new();
                    for profile in profiles {
                        // Most reports carry the story behind the numbers.
                        if rng.u8(..4) != 0 {
                            let text = if p.size == Size::Klein {
                                SMALL
                            } else {
                                EXPLANATIONS[rng.usize(..EXPLANATIONS.len())]
                            };
                            explanations.insert(profile, text.to_owned());
                        }
                    }
                    PastReport {
                        provider_id: p.id,
                        created_at: after(*quarter, 2, now),
                        submitted_at: after(*quarter, submitted, now),
                        published_at: after(*quarter, submitted + rng.u64(3..20), now),
                        decided_by: manager.filter(|_| region.id == demo_region),
                        explanations,
                    }
                })
                .collect();
            batches.push((region.id, *quarter, past));
        }
    }
    let stored = reports::store_past_published(conn, &batches)?;
    reports::rebuild_published(conn)?;
    Ok(stored)
}

/// Takes the newest quarter of a few demo-region providers through the real workflow:
/// concept, submitted, returned with a comment; and a correction (version 2) published.
pub fn play_reports(
    conn: &mut DbConnection,
    played: &Played,
    demo_region: i64,
    manager: &SessionUser,
    public_url: &str,
) -> anyhow::Result<()> {
    let newest = Quarter::of(crate::clock::today()).previous();
    let user_of = super::accounts::provider_user;
    reports::open(conn, ProviderId(played.concept), demo_region, newest)?;

    let id = reports::open(conn, ProviderId(played.submitted), demo_region, newest)?;
    let report = reports::load(conn, id)?;
    let user = user_of(conn, played.submitted)?;
    reports::submit(conn, &report, user, public_url, None)?;

    let id = reports::open(conn, ProviderId(played.returned), demo_region, newest)?;
    let report = reports::load(conn, id)?;
    let user = user_of(conn, played.returned)?;
    reports::submit(conn, &report, user, public_url, None)?;
    let report = reports::load(conn, id)?;
    reports::decide(
        conn,
        &report,
        manager,
        false,
        "Bij profiel 3 is de uitval veel hoger dan vorig kwartaal. Kunt u uitleggen waardoor dat komt?",
        public_url,
    )?;

    // A correction of the quarter before: version 2, published with its reason.
    let earlier = newest.previous();
    let published = crate::db::schema::score_reports::table
        .filter(crate::db::schema::score_reports::provider_id.eq(played.corrected))
        .filter(crate::db::schema::score_reports::region_id.eq(demo_region))
        .filter(crate::db::schema::score_reports::period.eq(earlier.code()))
        .select(crate::db::schema::score_reports::id)
        .first::<i64>(conn)
        .optional()?;
    if let Some(v1) = published {
        let user = user_of(conn, played.corrected)?;
        let report = reports::load(conn, v1)?;
        let v2 = reports::correct(
            conn,
            &report,
            user,
            "Twaalf trajecten stonden bij het verkeerde profiel. Die zijn nu verbeterd.",
        )?;
        let report = reports::load(conn, v2)?;
        reports::submit(conn, &report, user, public_url, None)?;
        let report = reports::load(conn, v2)?;
        reports::decide(conn, &report, manager, true, "", public_url)?;
    }
    Ok(())
}

/// Picks the played providers: working in the demo region with enough cases for a report,
/// the demo provider (the first) keeping the concept.
pub fn choose_played(
    conn: &mut DbConnection,
    listed: &[Listed],
    demo_region: i64,
) -> anyhow::Result<Option<Played>> {
    let newest = Quarter::of(crate::clock::today()).previous().code();
    let with_scores: std::collections::HashSet<i64> = crate::db::schema::computed_scores::table
        .filter(crate::db::schema::computed_scores::region_id.eq(demo_region))
        .filter(crate::db::schema::computed_scores::period.eq(&newest))
        .select(crate::db::schema::computed_scores::provider_id)
        .distinct()
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    let mut candidates = listed.iter().filter(|p| {
        with_scores.contains(&p.id)
            && p.size != Size::Klein
            && p.regions
                .iter()
                .any(|(r, s)| *r == demo_region && *s == AdmissionStatus::Toegelaten)
    });
    let Some(concept) = candidates.next().map(|p| p.id) else {
        return Ok(None);
    };
    let rest: Vec<i64> = candidates.map(|p| p.id).collect();
    let (Some(submitted), Some(returned), Some(corrected)) =
        (rest.first(), rest.get(1), rest.get(2))
    else {
        return Ok(None);
    };
    Ok(Some(Played {
        concept,
        submitted: *submitted,
        returned: *returned,
        corrected: *corrected,
    }))
}

/// A demo user as a signed-in user, to decide on reports and open hulpvragen.
pub fn session_user(conn: &mut DbConnection, email: &str) -> anyhow::Result<Option<SessionUser>> {
    Ok(users::find_by_email(conn, email)?.and_then(SessionUser::of))
}

/// Goals agreed beforehand for most trajectories since the portal asks for them, with counts
/// that give the same doelrealisatie as `goal`.
fn demo_goals(rng: &mut fastrand::Rng, goal: GoalResult, ended: bool) -> Option<GoalCounts> {
    if rng.u8(..10) < 4 {
        return None;
    }
    let agreed = rng.u8(1..=4);
    if !ended {
        return GoalCounts::new(agreed, 0, 0);
    }
    match goal {
        GoalResult::Behaald => GoalCounts::new(agreed, agreed, 0),
        GoalResult::NietBehaald => GoalCounts::new(agreed, 0, 0),
        GoalResult::DeelsBehaald => {
            let agreed = agreed.max(2);
            let reached = rng.u8(..agreed);
            let partly = rng.u8(u8::from(reached == 0)..=agreed - reached);
            GoalCounts::new(agreed, reached, partly)
        }
        GoalResult::Onbekend => None,
    }
}
