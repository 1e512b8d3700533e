//! The stored figures of the computed scores: one indicator's [`Figures`] with its
//! gedwongen part, and the [`ScoreSet`] row of `computed_scores` that holds all six.

use diesel::prelude::*;

use super::compute::INDICATORS;
use super::indicators::{self, Proportion};
use crate::db::schema::computed_scores;
use crate::domain::indicator::Indicator;

/// One indicator's stored figures. `n` = 0: nothing to count (no trajectory ended with a
/// known goal, no score given).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Figures {
    pub n: i32,
    /// Dropouts, goals reached, returns, scores of 7 or more.
    pub hits: i32,
    /// The share of hits, or for satisfaction the mean score; None below the minimum n.
    pub value: Option<f64>,
    pub interval: Option<(f64, f64)>,
    /// Doelrealisatie: the share partly reached; 3.1 the share "met lichtere hulp"; 3.3 the
    /// share "deels"; satisfaction: the share scoring 7 or more.
    pub extra: Option<f64>,
    /// The cases of `n` in the gedwongen kader.
    pub forced_n: i32,
    /// Their hits, or for satisfaction the sum of their scores.
    pub forced_sum: i32,
}

impl Figures {
    /// The share of the cases in the gedwongen kader; `None` without cases.
    pub fn forced_share(&self) -> Option<f64> {
        (self.n > 0).then(|| f64::from(self.forced_n) / f64::from(self.n))
    }

    /// The (n, value) of the vrijwillig part alone, exact for proportions; for satisfaction
    /// the mean of the vrijwillig scores (the total's sum less the gedwongen sum). `None`
    /// when the total has no value (too few cases).
    pub fn voluntary_part(&self, indicator: Indicator) -> Option<(i32, f64)> {
        let n = self.n - self.forced_n;
        if n <= 0 {
            return None;
        }
        let sum = if indicator.is_mean() {
            self.value? * f64::from(self.n) - f64::from(self.forced_sum)
        } else {
            f64::from(self.hits - self.forced_sum)
        };
        Some((n, sum / f64::from(n)))
    }

    /// The gedwongen part's (n, value).
    pub fn forced_part(&self) -> Option<(i32, f64)> {
        (self.forced_n > 0).then(|| {
            (
                self.forced_n,
                f64::from(self.forced_sum) / f64::from(self.forced_n),
            )
        })
    }

    /// The vrijwillig-only value, shown where both parts have at least the minimum n: a
    /// value of either part alone would otherwise say too much about too few clients.
    pub fn voluntary(&self, indicator: Indicator) -> Option<f64> {
        let min = i32::try_from(indicators::MIN_N).unwrap_or(i32::MAX);
        let (n, value) = self.voluntary_part(indicator)?;
        (n >= min && self.forced_n >= min).then_some(value)
    }
}

/// A row of `computed_scores`: one provider, profile, period and span, the six indicators
/// side by side (a sixth of the rows one per indicator would need), each with its gedwongen
/// part (`*_forced_n`, `*_forced_sum`). A proportion keeps only its counts (and the share
/// beside it): its value and interval follow from them ([`Proportion`]), so a recomputation
/// writes 15 columns fewer; the mean satisfaction keeps its value and t interval.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = computed_scores)]
// None is NULL, not DEFAULT: COPY has no DEFAULT, and SQLite would insert row by row.
#[diesel(treat_none_as_default_value = false)]
pub struct ScoreSet {
    pub provider_id: i64,
    pub region_id: i64,
    pub profile_id: i64,
    pub period: String,
    pub span: String,
    doel_n: i32,
    doel_hits: i32,
    doel_extra: Option<f64>,
    uitval_n: i32,
    uitval_hits: i32,
    uitval_extra: Option<f64>,
    terugval_n: i32,
    terugval_hits: i32,
    terugval_extra: Option<f64>,
    tevreden_n: i32,
    tevreden_hits: i32,
    tevreden_value: Option<f64>,
    tevreden_low: Option<f64>,
    tevreden_high: Option<f64>,
    tevreden_extra: Option<f64>,
    pub computed_at: chrono::NaiveDateTime,
    zonder_hulp_n: i32,
    zonder_hulp_hits: i32,
    zonder_hulp_extra: Option<f64>,
    problemen_n: i32,
    problemen_hits: i32,
    problemen_extra: Option<f64>,
    doel_forced_n: i32,
    doel_forced_sum: i32,
    zonder_hulp_forced_n: i32,
    zonder_hulp_forced_sum: i32,
    problemen_forced_n: i32,
    problemen_forced_sum: i32,
    uitval_forced_n: i32,
    uitval_forced_sum: i32,
    terugval_forced_n: i32,
    terugval_forced_sum: i32,
    tevreden_forced_n: i32,
    tevreden_forced_sum: i32,
}

/// A proportion's figures from its stored counts: value and interval as
/// [`Proportion`] gives them (none below the minimum n).
fn proportion(
    (n, hits, extra): (i32, i32, Option<f64>),
    (forced_n, forced_sum): (i32, i32),
    with_interval: bool,
) -> Figures {
    let p = Proportion::new(
        u32::try_from(hits).unwrap_or(0),
        u32::try_from(n).unwrap_or(0),
    );
    Figures {
        n,
        hits,
        value: p.value(),
        interval: if with_interval { p.interval() } else { None },
        extra,
        forced_n,
        forced_sum,
    }
}

impl ScoreSet {
    /// The six indicators' figures, in the order of [`INDICATORS`].
    pub fn all(&self) -> [Figures; 6] {
        self.figures(true)
    }

    /// The figures, with or without the proportions' intervals (the funnels never read
    /// those, and a refresh reads some 14,000 sets per pair).
    fn figures(&self, with_intervals: bool) -> [Figures; 6] {
        let w = with_intervals;
        [
            proportion(
                (self.doel_n, self.doel_hits, self.doel_extra),
                (self.doel_forced_n, self.doel_forced_sum),
                w,
            ),
            proportion(
                (
                    self.zonder_hulp_n,
                    self.zonder_hulp_hits,
                    self.zonder_hulp_extra,
                ),
                (self.zonder_hulp_forced_n, self.zonder_hulp_forced_sum),
                w,
            ),
            proportion(
                (self.problemen_n, self.problemen_hits, self.problemen_extra),
                (self.problemen_forced_n, self.problemen_forced_sum),
                w,
            ),
            proportion(
                (self.uitval_n, self.uitval_hits, self.uitval_extra),
                (self.uitval_forced_n, self.uitval_forced_sum),
                w,
            ),
            proportion(
                (self.terugval_n, self.terugval_hits, self.terugval_extra),
                (self.terugval_forced_n, self.terugval_forced_sum),
                w,
            ),
            Figures {
                n: self.tevreden_n,
                hits: self.tevreden_hits,
                value: self.tevreden_value,
                interval: self.tevreden_low.zip(self.tevreden_high),
                extra: self.tevreden_extra,
                forced_n: self.tevreden_forced_n,
                forced_sum: self.tevreden_forced_sum,
            },
        ]
    }

    /// [`ScoreSet::counted`] without the proportions' intervals: what the funnels read.
    pub fn counted_for_funnels(&self) -> impl Iterator<Item = (Indicator, Figures)> {
        INDICATORS
            .into_iter()
            .zip(self.figures(false))
            .filter(|(_, f)| f.n > 0)
    }

    /// The figures of one indicator.
    pub fn get(&self, indicator: Indicator) -> Figures {
        let i = INDICATORS
            .iter()
            .position(|i| *i == indicator)
            .unwrap_or_default();
        self.all()[i]
    }

    /// The trajectories that ended in the window: the denominator of uitval.
    pub fn ended(&self) -> i32 {
        self.uitval_n
    }

    /// Every indicator with something counted, in the order of [`INDICATORS`].
    pub fn counted(&self) -> impl Iterator<Item = (Indicator, Figures)> {
        INDICATORS
            .into_iter()
            .zip(self.all())
            .filter(|(_, f)| f.n > 0)
    }

    pub(super) fn new(
        key: (i64, i64, i64, String, &str),
        [doel, zonder, problemen, uitval, terugval, tevreden]: [Figures; 6],
        computed_at: chrono::NaiveDateTime,
    ) -> ScoreSet {
        let (provider_id, region_id, profile_id, period, span) = key;
        ScoreSet {
            provider_id,
            region_id,
            profile_id,
            period,
            span: span.to_owned(),
            doel_n: doel.n,
            doel_hits: doel.hits,
            doel_extra: doel.extra,
            doel_forced_n: doel.forced_n,
            doel_forced_sum: doel.forced_sum,
            zonder_hulp_n: zonder.n,
            zonder_hulp_hits: zonder.hits,
            zonder_hulp_extra: zonder.extra,
            zonder_hulp_forced_n: zonder.forced_n,
            zonder_hulp_forced_sum: zonder.forced_sum,
            problemen_n: problemen.n,
            problemen_hits: problemen.hits,
            problemen_extra: problemen.extra,
            problemen_forced_n: problemen.forced_n,
            problemen_forced_sum: problemen.forced_sum,
            uitval_n: uitval.n,
            uitval_hits: uitval.hits,
            uitval_extra: uitval.extra,
            uitval_forced_n: uitval.forced_n,
            uitval_forced_sum: uitval.forced_sum,
            terugval_n: terugval.n,
            terugval_hits: terugval.hits,
            terugval_extra: terugval.extra,
            terugval_forced_n: terugval.forced_n,
            terugval_forced_sum: terugval.forced_sum,
            tevreden_n: tevreden.n,
            tevreden_hits: tevreden.hits,
            tevreden_value: tevreden.value,
            tevreden_low: tevreden.interval.map(|i| i.0),
            tevreden_high: tevreden.interval.map(|i| i.1),
            tevreden_extra: tevreden.extra,
            tevreden_forced_n: tevreden.forced_n,
            tevreden_forced_sum: tevreden.forced_sum,
            computed_at,
        }
    }
}
