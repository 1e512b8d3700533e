//! What help cost, at the region's tariffs, as each intensity is paid: per trajectory (the
//! tariff in force on the start day, in the quarter help started), per 4 weeks or per day
//! (the tariff in force on the first day of care in the quarter, times the days of care in
//! it). Hours are not recorded, so help paid per hour, or without a tariff in force, is
//! counted as "cost unknown" rather than guessed.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::figures::{Breakdown, Cell, Episode, Figure, end_day, within};
use crate::outcomes::compute::Quarter;
use crate::reference::model::{Intensity, Tariff};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaidPer {
    Trajectory,
    FourWeeks,
    Hour,
    Day,
}

impl PaidPer {
    /// The stored code (`reference::model::PAID_PER`); an unknown one is paid per trajectory.
    pub fn of(code: &str) -> PaidPer {
        match code {
            "vier_weken" => PaidPer::FourWeeks,
            "uur" => PaidPer::Hour,
            "dag" => PaidPer::Day,
            _ => PaidPer::Trajectory,
        }
    }
}

/// What one trajectory cost in one quarter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cost {
    /// Nothing to pay in this quarter.
    Nothing,
    Euros(f64),
    Unknown,
}

/// The tariffs and how each intensity is paid.
pub struct Pricing {
    tariffs: HashMap<(i64, i64), Vec<Tariff>>,
    paid_per: HashMap<i64, PaidPer>,
}

impl Pricing {
    pub fn new(tariffs: Vec<Tariff>, intensities: &[Intensity]) -> Pricing {
        let mut by_cell: HashMap<(i64, i64), Vec<Tariff>> = HashMap::new();
        for t in tariffs {
            by_cell
                .entry((t.profile_id, t.intensity_id))
                .or_default()
                .push(t);
        }
        Pricing {
            tariffs: by_cell,
            paid_per: intensities
                .iter()
                .map(|i| (i.id, PaidPer::of(&i.paid_per)))
                .collect(),
        }
    }

    fn euros_on(&self, e: &Episode, day: NaiveDate) -> Option<f64> {
        let cell = self.tariffs.get(&(e.profile_id, e.intensity_id))?;
        #[allow(clippy::cast_precision_loss)]
        crate::reference::tariffs::in_force(cell, e.profile_id, e.intensity_id, day)
            .map(|t| t.amount_cents as f64 / 100.0)
    }

    /// What `e` cost in quarter `q` (up to `today` while it runs).
    pub fn cost(&self, e: &Episode, q: Quarter, today: NaiveDate) -> Cost {
        let paid = self
            .paid_per
            .get(&e.intensity_id)
            .copied()
            .unwrap_or(PaidPer::Trajectory);
        if paid == PaidPer::Trajectory {
            if !within(e.start, q, today) {
                return Cost::Nothing;
            }
            return self.euros_on(e, e.start).map_or(Cost::Unknown, Cost::Euros);
        }
        let from = e.start.max(q.first_day());
        let to = e.end.unwrap_or(NaiveDate::MAX).min(end_day(q, today));
        if to < from {
            return Cost::Nothing;
        }
        #[allow(clippy::cast_precision_loss)]
        let days = ((to - from).num_days() + 1) as f64;
        let Some(tariff) = self.euros_on(e, from) else {
            return Cost::Unknown;
        };
        match paid {
            PaidPer::FourWeeks => Cost::Euros(tariff * days / 28.0),
            PaidPer::Day => Cost::Euros(tariff * days),
            PaidPer::Hour | PaidPer::Trajectory => Cost::Unknown,
        }
    }
}

/// The provider item of a cost cell: "{provider id}:{profile number}".
pub fn provider_item(provider_id: i64, profile: i32) -> String {
    format!("{provider_id}:{profile}")
}

/// The provider id and profile number of a provider item.
pub fn parse_provider_item(item: &str) -> Option<(i64, i32)> {
    let (provider, profile) = item.split_once(':')?;
    Some((provider.parse().ok()?, profile.parse().ok()?))
}

/// The cost cells of one scope in one quarter: in total, per profile and per provider and
/// profile; and the count of trajectories whose cost is unknown.
pub fn cells(episodes: &[&Episode], pricing: &Pricing, q: Quarter, today: NaiveDate) -> Vec<Cell> {
    let mut sums: BTreeMap<(Breakdown, String), (i64, f64)> = BTreeMap::new();
    sums.entry((Breakdown::Total, String::new())).or_default();
    let mut unknown = 0;
    for e in episodes {
        match pricing.cost(e, q, today) {
            Cost::Nothing => {}
            Cost::Unknown => unknown += 1,
            Cost::Euros(euros) => {
                for key in [
                    (Breakdown::Total, String::new()),
                    (Breakdown::Profile, e.profile.to_string()),
                    (Breakdown::Provider, provider_item(e.provider_id, e.profile)),
                ] {
                    let sum = sums.entry(key).or_default();
                    sum.0 += 1;
                    sum.1 += euros;
                }
            }
        }
    }
    let mut out: Vec<Cell> = sums
        .into_iter()
        .map(|((breakdown, item), (count, euros))| Cell {
            figure: Figure::Cost,
            breakdown,
            item,
            count,
            part: None,
            // Whole cents: a sum of days times tariffs is stored as an amount.
            value: Some((euros * 100.0).round() / 100.0),
        })
        .collect();
    out.push(Cell {
        figure: Figure::CostUnknown,
        breakdown: Breakdown::Total,
        item: String::new(),
        count: unknown,
        part: None,
        value: None,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::figures::Vorm;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn intensity(id: i64, paid_per: &str) -> Intensity {
        Intensity {
            id,
            region_id: 1,
            code: format!("i{id}"),
            name: String::new(),
            description: String::new(),
            paid_per: paid_per.into(),
            sort_order: 0,
            closed_from: None,
        }
    }

    fn tariff(intensity_id: i64, cents: i64, from: NaiveDate) -> Tariff {
        Tariff {
            id: intensity_id,
            profile_id: 1,
            intensity_id,
            amount_cents: cents,
            valid_from: from,
            valid_until: None,
            fictional: false,
        }
    }

    fn episode(intensity_id: i64, start: NaiveDate, end: Option<NaiveDate>) -> Episode {
        Episode {
            municipality_id: 1,
            provider_id: 7,
            profile_id: 1,
            intensity_id,
            profile: 1,
            intensity: 0,
            vorm: Vorm::Ambulant,
            start,
            end,
            end_reason: None,
            forced: false,
            young_adult: false,
        }
    }

    #[test]
    fn each_intensity_costs_as_it_is_paid() {
        let q = Quarter::parse("2026-K1").expect("quarter");
        let today = day(2026, 12, 1);
        let pricing = Pricing::new(
            vec![
                tariff(1, 225_000, day(2025, 1, 1)),
                tariff(2, 105_000, day(2025, 1, 1)),
                tariff(3, 10_000, day(2025, 1, 1)),
                tariff(4, 5_000, day(2025, 1, 1)),
            ],
            &[
                intensity(1, "traject"),
                intensity(2, "vier_weken"),
                intensity(3, "dag"),
                intensity(4, "uur"),
                intensity(5, "traject"),
            ],
        );
        // Per trajectory: in the quarter it starts, not after.
        let started = episode(1, day(2026, 2, 1), None);
        assert_eq!(pricing.cost(&started, q, today), Cost::Euros(2250.0));
        assert_eq!(pricing.cost(&started, q.previous(), today), Cost::Nothing);
        let before = episode(1, day(2025, 12, 1), None);
        assert_eq!(pricing.cost(&before, q, today), Cost::Nothing);
        // Per 4 weeks: 56 days of care in the quarter are two periods.
        let long = episode(2, day(2025, 12, 1), Some(day(2026, 2, 25)));
        assert_eq!(pricing.cost(&long, q, today), Cost::Euros(2100.0));
        // Per day: 10 days, both ends counted.
        let days = episode(3, day(2026, 3, 22), None);
        assert_eq!(pricing.cost(&days, q, today), Cost::Euros(1000.0));
        // Per hour, or without a tariff: unknown, not guessed.
        assert_eq!(
            pricing.cost(&episode(4, day(2026, 1, 5), None), q, today),
            Cost::Unknown
        );
        assert_eq!(
            pricing.cost(&episode(5, day(2026, 1, 5), None), q, today),
            Cost::Unknown
        );
        let rows = [started, long, days, episode(4, day(2026, 1, 5), None)];
        let refs: Vec<&Episode> = rows.iter().collect();
        let cells = cells(&refs, &pricing, q, today);
        let total = cells
            .iter()
            .find(|c| c.figure == Figure::Cost && c.breakdown == Breakdown::Total)
            .expect("total");
        assert_eq!((total.count, total.value), (3, Some(5350.0)));
        let provider = cells
            .iter()
            .find(|c| c.breakdown == Breakdown::Provider)
            .expect("per provider");
        assert_eq!(parse_provider_item(&provider.item), Some((7, 1)));
        let unknown = cells
            .iter()
            .find(|c| c.figure == Figure::CostUnknown)
            .expect("unknown");
        assert_eq!(unknown.count, 1);
    }
}
