//! The monitor's figures from the rows behind them: pure functions, no database. Each
//! figure is defined here once; the page's "Zo tellen wij" and the test that recomputes a
//! hand-made region by hand follow these definitions.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::outcomes::compute::Quarter;

crate::stored_enum! {
    /// A figure of the monitor.
    pub enum Figure("monitor figure") {
        /// Young people whose help ran past the last day of the quarter.
        InCare = "in_zorg",
        /// Trajectories that started in the quarter.
        Starts = "gestart",
        /// Trajectories that ended in the quarter.
        Endings = "beeindigd",
        /// Days from start to end of the trajectories that ended (median).
        Duration = "duur",
        /// Of those in care at the end: in the gedwongen kader.
        Forced = "gedwongen",
        /// Of those in care at the end: 18 to 23 (verlengde jeugdhulp).
        Extended = "verlengd",
        /// Days from the hulpvraag to the start of help (median), and the share within the norm.
        Waiting = "wachttijd",
        /// Providers' declines of a request, by reason.
        Declines = "afgewezen",
        /// Hulpvragen in the vrijwillig kader with a first choice in the quarter; part: the
        /// family chose itself.
        FamilyChose = "gezin_koos",
        /// What the quarter's help cost at the region's tariffs (value, in euros), and the
        /// trajectories that cost something in it (count).
        Cost = "kosten",
        /// Trajectories in the quarter whose cost cannot be computed: no tariff in force, or
        /// paid per hour (hours are not recorded).
        CostUnknown = "kosten_onbekend",
    }
}

crate::stored_enum! {
    /// How a figure is split.
    pub enum Breakdown("monitor breakdown") {
        Total = "totaal",
        Profile = "profiel",
        Intensity = "intensiteit",
        Setting = "vorm",
        Reason = "reden",
        /// Per provider and profile: "{provider id}:{profile number}".
        Provider = "aanbieder",
    }
}

/// Where help is given: the offer's setting, and crisis for the acuut intensity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Vorm {
    Ambulant,
    Dagbehandeling,
    Verblijf,
    Crisis,
    /// The provider no longer lists the help (its offer is gone).
    Onbekend,
}

impl Vorm {
    pub const ALL: [Vorm; 5] = [
        Vorm::Ambulant,
        Vorm::Dagbehandeling,
        Vorm::Verblijf,
        Vorm::Crisis,
        Vorm::Onbekend,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Vorm::Ambulant => "ambulant",
            Vorm::Dagbehandeling => "dagbehandeling",
            Vorm::Verblijf => "verblijf",
            Vorm::Crisis => "crisis",
            Vorm::Onbekend => "onbekend",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Vorm::Ambulant => "Ambulant (thuis, school of praktijk)",
            Vorm::Dagbehandeling => "Dagbehandeling",
            Vorm::Verblijf => "Verblijf",
            Vorm::Crisis => "Crisis (intensiteit acuut)",
            Vorm::Onbekend => "Onbekend (staat niet meer in het aanbod)",
        }
    }
}

/// The item of an ending without a reason.
pub const UNKNOWN: &str = "onbekend";

/// The norm for the time from hulpvraag to start: one day (24 hours) for acuut, else 28.
pub fn norm_days(acute: bool) -> i64 {
    if acute { 1 } else { 28 }
}

/// One trajectory, or help that started through the portal and has not ended yet.
#[derive(Debug, Clone)]
pub struct Episode {
    /// The municipality it counts for today (after mergers).
    pub municipality_id: i64,
    pub provider_id: i64,
    /// The region's own profile and intensity (for the tariff).
    pub profile_id: i64,
    pub intensity_id: i64,
    /// Profile number and intensity code (the same in every region's words).
    pub profile: i32,
    pub intensity: u8,
    pub vorm: Vorm,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    /// CBS 1–5.
    pub end_reason: Option<i32>,
    pub forced: bool,
    pub young_adult: bool,
}

/// One hulpvraag: when it was asked, when help started, and the first choice.
#[derive(Debug, Clone)]
pub struct Request {
    pub municipality_id: i64,
    pub profile: i32,
    pub acute: bool,
    pub forced: bool,
    pub asked_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    /// The day of the first choice, and whether the family made it itself (not with the worker).
    pub first_choice: Option<(NaiveDate, bool)>,
}

/// A provider's decline of a request.
#[derive(Debug, Clone)]
pub struct Decline {
    pub municipality_id: i64,
    pub on: NaiveDate,
    pub reason: String,
}

/// One stored figure.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub figure: Figure,
    pub breakdown: Breakdown,
    pub item: String,
    pub count: i64,
    pub part: Option<i64>,
    pub value: Option<f64>,
}

/// The intensity codes, by their number in an [`Episode`].
pub type IntensityCodes = Vec<String>;

/// The median of these values (the mean of the two middle ones for an even count).
pub fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    #[allow(clippy::cast_precision_loss)]
    Some(if values.len() % 2 == 1 {
        values[mid] as f64
    } else {
        (values[mid - 1] + values[mid]) as f64 / 2.0
    })
}

/// The last day the quarter's figures look at: its last day, or today while it runs.
pub fn end_day(quarter: Quarter, today: NaiveDate) -> NaiveDate {
    quarter.last_day().min(today)
}

pub fn within(day: NaiveDate, quarter: Quarter, today: NaiveDate) -> bool {
    day >= quarter.first_day() && day <= end_day(quarter, today)
}

/// Counts per breakdown item, written as cells in a stable order.
#[derive(Default)]
struct Counter {
    counts: BTreeMap<(Breakdown, String), (i64, i64)>,
    days: BTreeMap<(Breakdown, String), Vec<i64>>,
}

impl Counter {
    fn add(&mut self, breakdown: Breakdown, item: String, hit: bool) {
        let entry = self.counts.entry((breakdown, item)).or_default();
        entry.0 += 1;
        entry.1 += i64::from(hit);
    }

    fn add_days(&mut self, breakdown: Breakdown, item: String, days: i64, hit: bool) {
        self.add(breakdown, item.clone(), hit);
        self.days.entry((breakdown, item)).or_default().push(days);
    }

    /// The cells; a total row always, so that zero is told apart from not computed.
    fn cells(mut self, figure: Figure, with_part: bool, with_median: bool) -> Vec<Cell> {
        self.counts
            .entry((Breakdown::Total, String::new()))
            .or_default();
        self.counts
            .into_iter()
            .map(|((breakdown, item), (count, part))| {
                let value = if with_median {
                    self.days
                        .get_mut(&(breakdown, item.clone()))
                        .and_then(|d| median(d))
                } else {
                    None
                };
                Cell {
                    figure,
                    breakdown,
                    item,
                    count,
                    part: with_part.then_some(part),
                    value,
                }
            })
            .collect()
    }
}

/// Every figure of one scope (the rows given are that scope's) for one quarter.
pub fn quarter_cells(
    episodes: &[&Episode],
    requests: &[&Request],
    declines: &[&Decline],
    intensities: &[String],
    quarter: Quarter,
    today: NaiveDate,
) -> Vec<Cell> {
    let last = end_day(quarter, today);
    let intensity = |i: u8| intensities.get(usize::from(i)).cloned().unwrap_or_default();
    let (mut in_care, mut starts, mut endings, mut duration) = (
        Counter::default(),
        Counter::default(),
        Counter::default(),
        Counter::default(),
    );
    let (mut forced, mut extended) = (Counter::default(), Counter::default());
    for e in episodes {
        let split = |c: &mut Counter, hit: bool| {
            c.add(Breakdown::Total, String::new(), hit);
            c.add(Breakdown::Profile, e.profile.to_string(), hit);
            c.add(Breakdown::Intensity, intensity(e.intensity), hit);
            c.add(Breakdown::Setting, e.vorm.code().to_owned(), hit);
        };
        if e.start <= last && e.end.is_none_or(|end| end > last) {
            split(&mut in_care, false);
            forced.add(Breakdown::Total, String::new(), e.forced);
            extended.add(Breakdown::Total, String::new(), e.young_adult);
        }
        if within(e.start, quarter, today) {
            split(&mut starts, false);
        }
        if let Some(end) = e.end.filter(|&end| within(end, quarter, today)) {
            split(&mut endings, false);
            // Every ending has an item, so the reasons add up to the total.
            let reason = e
                .end_reason
                .map_or_else(|| UNKNOWN.to_owned(), |r| r.to_string());
            endings.add(Breakdown::Reason, reason, false);
            let days = (end - e.start).num_days();
            duration.add_days(Breakdown::Total, String::new(), days, false);
            duration.add_days(Breakdown::Profile, e.profile.to_string(), days, false);
            duration.add_days(Breakdown::Intensity, intensity(e.intensity), days, false);
        }
    }
    let (mut waiting, mut chose, mut declined) =
        (Counter::default(), Counter::default(), Counter::default());
    for r in requests {
        if let Some(started) = r.started_on.filter(|&s| within(s, quarter, today)) {
            let days = (started - r.asked_on).num_days().max(0);
            let in_norm = days <= norm_days(r.acute);
            waiting.add_days(Breakdown::Total, String::new(), days, in_norm);
            waiting.add_days(Breakdown::Profile, r.profile.to_string(), days, in_norm);
        }
        if let Some((on, by_family)) = r.first_choice
            && !r.forced
            && within(on, quarter, today)
        {
            chose.add(Breakdown::Total, String::new(), by_family);
        }
    }
    for d in declines {
        if within(d.on, quarter, today) {
            declined.add(Breakdown::Total, String::new(), false);
            declined.add(Breakdown::Reason, d.reason.clone(), false);
        }
    }
    let mut cells = Vec::new();
    cells.extend(in_care.cells(Figure::InCare, false, false));
    cells.extend(starts.cells(Figure::Starts, false, false));
    cells.extend(endings.cells(Figure::Endings, false, false));
    cells.extend(duration.cells(Figure::Duration, false, true));
    cells.extend(forced.cells(Figure::Forced, true, false));
    cells.extend(extended.cells(Figure::Extended, true, false));
    cells.extend(waiting.cells(Figure::Waiting, true, true));
    cells.extend(declined.cells(Figure::Declines, false, false));
    cells.extend(chose.cells(Figure::FamilyChose, true, false));
    cells
}

/// The quarters the monitor keeps: the running one and the eleven before it.
pub fn kept_quarters(today: NaiveDate) -> Vec<Quarter> {
    let mut quarters = vec![Quarter::of(today)];
    for _ in 0..11 {
        let before = quarters[quarters.len() - 1].previous();
        quarters.push(before);
    }
    quarters.reverse();
    quarters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn episode(start: NaiveDate, end: Option<NaiveDate>) -> Episode {
        Episode {
            municipality_id: 1,
            provider_id: 1,
            profile_id: 1,
            intensity_id: 1,
            profile: 2,
            intensity: 0,
            vorm: Vorm::Ambulant,
            start,
            end,
            end_reason: end.map(|_| 1),
            forced: false,
            young_adult: false,
        }
    }

    fn total(cells: &[Cell], figure: Figure) -> &Cell {
        cells
            .iter()
            .find(|c| c.figure == figure && c.breakdown == Breakdown::Total)
            .expect("a total row")
    }

    #[test]
    fn medians_take_the_middle_or_the_mean_of_the_two_middle_values() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 10]), Some(3.5));
    }

    #[test]
    fn in_care_at_the_end_is_the_last_quarter_plus_starts_minus_endings() {
        let q = Quarter::parse("2026-K2").expect("quarter");
        let today = day(2026, 12, 1);
        let rows = [
            episode(day(2026, 1, 10), None),                  // in care both
            episode(day(2026, 2, 1), Some(day(2026, 6, 30))), // ends on the last day of K2
            episode(day(2026, 4, 1), None),                   // starts in K2
            episode(day(2026, 4, 2), Some(day(2026, 5, 1))),  // starts and ends in K2
            episode(day(2026, 7, 1), None),                   // after K2
        ];
        let refs: Vec<&Episode> = rows.iter().collect();
        let intensities = vec!["acuut".to_owned()];
        let k1 = quarter_cells(&refs, &[], &[], &intensities, q.previous(), today);
        let k2 = quarter_cells(&refs, &[], &[], &intensities, q, today);
        assert_eq!(total(&k1, Figure::InCare).count, 2);
        assert_eq!(total(&k2, Figure::Starts).count, 2);
        assert_eq!(total(&k2, Figure::Endings).count, 2);
        assert_eq!(total(&k2, Figure::InCare).count, 2, "2 + 2 - 2");
        // Durations 149 and 29 days: the median is their mean.
        assert_eq!(total(&k2, Figure::Duration).value, Some(89.0));
    }

    #[test]
    fn the_running_quarter_ends_today() {
        let today = day(2026, 11, 15);
        let q = Quarter::of(today);
        let rows = [episode(day(2026, 10, 1), Some(day(2026, 11, 20)))];
        let refs: Vec<&Episode> = rows.iter().collect();
        let cells = quarter_cells(&refs, &[], &[], &[], q, today);
        assert_eq!(
            total(&cells, Figure::InCare).count,
            1,
            "its end is still to come"
        );
        assert_eq!(total(&cells, Figure::Endings).count, 0);
        assert_eq!(kept_quarters(today).len(), 12);
        assert_eq!(kept_quarters(today).last(), Some(&q));
    }

    #[test]
    fn waiting_counts_the_norm_of_acuut_in_one_day_and_of_the_rest_in_28() {
        let q = Quarter::parse("2026-K3").expect("quarter");
        let request = |acute, asked: NaiveDate, started: NaiveDate| Request {
            municipality_id: 1,
            profile: 1,
            acute,
            forced: false,
            asked_on: asked,
            started_on: Some(started),
            first_choice: None,
        };
        let rows = [
            request(true, day(2026, 7, 1), day(2026, 7, 2)), // 1 day: within
            request(true, day(2026, 7, 1), day(2026, 7, 3)), // 2 days: late
            request(false, day(2026, 7, 1), day(2026, 7, 29)), // 28: within
            request(false, day(2026, 7, 1), day(2026, 7, 30)), // 29: late
        ];
        let refs: Vec<&Request> = rows.iter().collect();
        let cells = quarter_cells(&[], &refs, &[], &[], q, day(2026, 12, 1));
        let w = total(&cells, Figure::Waiting);
        assert_eq!((w.count, w.part, w.value), (4, Some(2), Some(15.0)));
    }
}
