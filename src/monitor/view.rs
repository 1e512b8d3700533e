//! The stored figures of one scope, looked up by quarter, figure, breakdown and item; what
//! the page, the chart and the export read.

use std::collections::HashMap;

use super::figures::{Breakdown, Cell, Figure};
use super::store::StoredCell;
use crate::outcomes::compute::Quarter;

type Key = (Quarter, Figure, Breakdown, String);

/// The count of a cell hidden from the public.
pub const HIDDEN: i64 = -1;

pub struct Figures {
    cells: HashMap<Key, Cell>,
    /// The quarters asked for, oldest first; the last is the one shown.
    pub quarters: Vec<Quarter>,
}

impl Figures {
    pub fn new(stored: Vec<StoredCell>, quarters: Vec<Quarter>) -> Figures {
        let cells = stored
            .into_iter()
            .map(|s| {
                (
                    (
                        s.quarter,
                        s.cell.figure,
                        s.cell.breakdown,
                        s.cell.item.clone(),
                    ),
                    s.cell,
                )
            })
            .collect();
        Figures { cells, quarters }
    }

    /// The same figures as the public may see them: each cell `public::hidden` names keeps
    /// its place with count -1 (shown as "verborgen") and no part or value.
    pub fn masked(mut self) -> Figures {
        let all: Vec<(Quarter, Cell)> = self
            .cells
            .iter()
            .map(|((q, ..), c)| (*q, c.clone()))
            .collect();
        let refs: Vec<(Quarter, &Cell)> = all.iter().map(|(q, c)| (*q, c)).collect();
        for key in super::public::hidden(&refs) {
            if let Some(c) = self.cells.get_mut(&key) {
                c.count = HIDDEN;
                c.part = None;
                c.value = None;
            }
        }
        self
    }

    /// Whether anything was computed for these quarters.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn quarter(&self) -> Option<Quarter> {
        self.quarters.last().copied()
    }

    pub fn cell(
        &self,
        q: Quarter,
        figure: Figure,
        breakdown: Breakdown,
        item: &str,
    ) -> Option<&Cell> {
        self.cells.get(&(q, figure, breakdown, item.to_owned()))
    }

    pub fn total(&self, q: Quarter, figure: Figure) -> Option<&Cell> {
        self.cell(q, figure, Breakdown::Total, "")
    }

    /// The count of a figure; 0 where no row was stored for the item.
    pub fn count(&self, q: Quarter, figure: Figure, breakdown: Breakdown, item: &str) -> i64 {
        self.cell(q, figure, breakdown, item).map_or(0, |c| c.count)
    }

    /// The items of a breakdown present in quarter `q`, in stored order.
    pub fn items(&self, q: Quarter, figure: Figure, breakdown: Breakdown) -> Vec<&Cell> {
        let mut out: Vec<&Cell> = self
            .cells
            .iter()
            .filter(|((cq, f, b, _), _)| *cq == q && *f == figure && *b == breakdown)
            .map(|(_, c)| c)
            .collect();
        out.sort_by(|a, b| item_order(&a.item, &b.item));
        out
    }

    /// Every stored cell, ordered for a file: quarter, figure, breakdown, item.
    pub fn all(&self) -> Vec<(Quarter, &Cell)> {
        let mut out: Vec<(Quarter, &Cell)> =
            self.cells.iter().map(|((q, ..), c)| (*q, c)).collect();
        out.sort_by(|(qa, a), (qb, b)| {
            qa.cmp(qb)
                .then(a.figure.cmp(&b.figure))
                .then(a.breakdown.cmp(&b.breakdown))
                .then(item_order(&a.item, &b.item))
        });
        out
    }
}

/// Numbers in numeric order (profile 2 before 10), then text.
fn item_order(a: &str, b: &str) -> std::cmp::Ordering {
    match (a.parse::<i64>(), b.parse::<i64>()) {
        (Ok(x), Ok(y)) => x.cmp(&y),
        _ => a.cmp(b),
    }
}

/// A count as shown: "verborgen" for one hidden from the public (under 10, or hidden so
/// that a small one cannot be worked out: "< 10" would not be true of those).
pub fn number(count: i64) -> String {
    if count < 0 {
        "verborgen".to_owned()
    } else {
        count.to_string()
    }
}

/// A share as a percentage with its count: "12% (3 van 25)"; a dash without cases.
pub fn share(cell: Option<&Cell>) -> String {
    match cell {
        Some(c) if c.count < 0 => number(c.count),
        Some(c) if c.count > 0 => {
            let part = c.part.unwrap_or(0);
            #[allow(clippy::cast_precision_loss)]
            let percent = part as f64 * 100.0 / c.count as f64;
            format!("{percent:.0}% ({part} van {})", c.count)
        }
        _ => "–".to_owned(),
    }
}

/// A median in days: "12 dagen", "12,5 dagen"; a dash without cases.
pub fn days(cell: Option<&Cell>) -> String {
    if let Some(c) = cell.filter(|c| c.count < 0) {
        return number(c.count);
    }
    match cell.and_then(|c| c.value) {
        Some(v) if v.fract() == 0.0 => format!("{v:.0} {}", if v == 1.0 { "dag" } else { "dagen" }),
        Some(v) => format!("{} dagen", format!("{v:.1}").replace('.', ",")),
        None => "–".to_owned(),
    }
}
