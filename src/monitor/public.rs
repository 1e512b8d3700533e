//! What the public may see of a municipality's monitor: every cell that counts fewer than 10
//! young people is hidden ("verborgen"), and so many more that no hidden cell can be worked out
//! again from what is shown: from a total and its other parts (a breakdown), or from the
//! quarter's flow (with help at the end = at the end of the quarter before + started −
//! ended). Computed over every kept quarter at once, so the hidden cells are the same
//! whichever quarter a visitor picks.

use std::collections::{BTreeMap, BTreeSet};

use super::figures::{Breakdown, Cell, Figure};
use crate::outcomes::compute::Quarter;

/// Below this a count is not shown.
pub const MIN_SHOWN: i64 = 10;

/// A cell's place: quarter, figure, breakdown, item.
pub type Key = (Quarter, Figure, Breakdown, String);

/// Figures whose parts add up to their total.
const ADDITIVE: [Figure; 7] = [
    Figure::InCare,
    Figure::Starts,
    Figure::Endings,
    Figure::Declines,
    Figure::Cost,
    Figure::CostUnknown,
    Figure::Waiting,
];

/// Whether a cell on its own tells of fewer than 10 young people.
fn too_small(c: &Cell) -> bool {
    let small = |n: i64| (1..MIN_SHOWN).contains(&n);
    if c.count == 0 {
        // No one: nothing to hide (a median or share of none is not shown anyway).
        return false;
    }
    match c.figure {
        // A median of fewer than 10.
        Figure::Duration => c.count < MIN_SHOWN,
        // A share: its base, its part and the rest.
        Figure::Forced | Figure::Extended | Figure::FamilyChose => {
            let part = c.part.unwrap_or(0);
            c.count < MIN_SHOWN || small(part) || small(c.count - part)
        }
        Figure::Waiting => {
            let part = c.part.unwrap_or(0);
            c.count < MIN_SHOWN || small(part) || small(c.count - part)
        }
        _ => small(c.count),
    }
}

/// The cells to hide.
pub fn hidden(cells: &[(Quarter, &Cell)]) -> BTreeSet<Key> {
    let key = |q: Quarter, c: &Cell| (q, c.figure, c.breakdown, c.item.clone());
    let counts: BTreeMap<Key, i64> = cells.iter().map(|(q, c)| (key(*q, c), c.count)).collect();
    let mut hide: BTreeSet<Key> = cells
        .iter()
        .filter(|(_, c)| too_small(c))
        .map(|(q, c)| key(*q, c))
        .collect();
    let relations = relations(cells);
    let same = same_counts(cells);
    loop {
        let mut more: Vec<Key> = Vec::new();
        for terms in &relations {
            more.extend(second(terms, &hide, &counts));
        }
        // A cell that repeats another's count hides with it.
        for (a, b) in &same {
            if hide.contains(a) && !hide.contains(b) {
                more.push(b.clone());
            }
        }
        let before = hide.len();
        hide.extend(more);
        if hide.len() == before {
            return hide;
        }
    }
}

/// The sets of cells of which any one follows from the others: a total and its parts (and
/// a profile's cost and its lines per provider), and each item's flow over a quarter.
fn relations(cells: &[(Quarter, &Cell)]) -> Vec<Vec<Key>> {
    let mut groups: BTreeMap<Key, Vec<Key>> = BTreeMap::new();
    for (q, c) in cells {
        if !ADDITIVE.contains(&c.figure) || c.breakdown == Breakdown::Total {
            continue;
        }
        let part = (*q, c.figure, c.breakdown, c.item.clone());
        // Grouped under their total, and their breakdown (the same total parted two ways).
        let total = (
            *q,
            c.figure,
            Breakdown::Total,
            c.breakdown.as_str().to_owned(),
        );
        groups.entry(total).or_default().push(part.clone());
        if c.breakdown == Breakdown::Provider
            && let Some((_, profile)) = super::cost::parse_provider_item(&c.item)
        {
            let of_profile = (*q, c.figure, Breakdown::Profile, profile.to_string());
            groups.entry(of_profile).or_default().push(part);
        }
    }
    let mut out: Vec<Vec<Key>> = groups
        .into_iter()
        .map(|((q, figure, breakdown, item), parts)| {
            // The total of a breakdown is the figure's total row.
            let whole = if breakdown == Breakdown::Total {
                (q, figure, Breakdown::Total, String::new())
            } else {
                (q, figure, breakdown, item)
            };
            std::iter::once(whole).chain(parts).collect()
        })
        .collect();
    let quarters: BTreeSet<Quarter> = cells.iter().map(|(q, _)| *q).collect();
    let items: BTreeSet<(Breakdown, String)> = cells
        .iter()
        .filter(|(_, c)| c.figure == Figure::InCare)
        .map(|(_, c)| (c.breakdown, c.item.clone()))
        .collect();
    for (breakdown, item) in &items {
        for q in &quarters {
            let before = q.previous();
            if quarters.contains(&before) {
                out.push(vec![
                    (*q, Figure::Starts, *breakdown, item.clone()),
                    (*q, Figure::Endings, *breakdown, item.clone()),
                    (*q, Figure::InCare, *breakdown, item.clone()),
                    (before, Figure::InCare, *breakdown, item.clone()),
                ]);
            }
        }
    }
    out
}

/// Pairs (a, b) where b shows a's count again: b hides when a does. Crisis is the
/// intensity acuut (both ways); a median's cases are the endings it is of; a share of those
/// in care has their number as its base.
fn same_counts(cells: &[(Quarter, &Cell)]) -> Vec<(Key, Key)> {
    let quarters: BTreeSet<Quarter> = cells.iter().map(|(q, _)| *q).collect();
    let mut out = Vec::new();
    for q in &quarters {
        for figure in [Figure::InCare, Figure::Starts, Figure::Endings] {
            let crisis = (*q, figure, Breakdown::Setting, "crisis".to_owned());
            let acute = (*q, figure, Breakdown::Intensity, "acuut".to_owned());
            out.push((crisis.clone(), acute.clone()));
            out.push((acute, crisis));
        }
        for share in [Figure::Forced, Figure::Extended] {
            out.push((
                (*q, Figure::InCare, Breakdown::Total, String::new()),
                (*q, share, Breakdown::Total, String::new()),
            ));
        }
    }
    for (q, c) in cells {
        if c.figure == Figure::Duration {
            out.push((
                (*q, Figure::Endings, c.breakdown, c.item.clone()),
                (*q, Figure::Duration, c.breakdown, c.item.clone()),
            ));
        }
    }
    out
}

/// For terms of which one follows from the others: when exactly one is hidden, the smallest
/// other that is not zero (a zero tells nothing, and a term without a cell is zero).
fn second(terms: &[Key], hide: &BTreeSet<Key>, counts: &BTreeMap<Key, i64>) -> Option<Key> {
    let hidden = terms.iter().filter(|t| hide.contains(*t)).count();
    if hidden != 1 {
        return None;
    }
    terms
        .iter()
        .filter(|t| !hide.contains(*t))
        .filter_map(|t| counts.get(t).filter(|n| **n > 0).map(|n| (*n, t)))
        .min_by_key(|(n, _)| *n)
        .map(|(_, t)| t.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(figure: Figure, breakdown: Breakdown, item: &str, count: i64) -> Cell {
        Cell {
            figure,
            breakdown,
            item: item.into(),
            count,
            part: None,
            value: None,
        }
    }

    #[test]
    fn a_lone_small_part_takes_the_next_smallest_with_it() {
        let q = Quarter::parse("2026-K3").expect("quarter");
        let cells = [
            cell(Figure::Starts, Breakdown::Total, "", 40),
            cell(Figure::Starts, Breakdown::Profile, "1", 4),
            cell(Figure::Starts, Breakdown::Profile, "2", 0),
            cell(Figure::Starts, Breakdown::Profile, "3", 15),
            cell(Figure::Starts, Breakdown::Profile, "4", 21),
        ];
        let refs: Vec<(Quarter, &Cell)> = cells.iter().map(|c| (q, c)).collect();
        let hide = hidden(&refs);
        let shown =
            |item: &str| !hide.contains(&(q, Figure::Starts, Breakdown::Profile, item.to_owned()));
        assert!(!shown("1"), "fewer than 10");
        assert!(!shown("3"), "else 40 - 0 - 21 - 15 tells it");
        assert!(shown("2") && shown("4"));
    }

    #[test]
    fn the_flow_does_not_give_a_hidden_start_away() {
        let q = Quarter::parse("2026-K3").expect("quarter");
        let p = q.previous();
        let cells = [
            (p, cell(Figure::InCare, Breakdown::Total, "", 50)),
            (q, cell(Figure::InCare, Breakdown::Total, "", 45)),
            (q, cell(Figure::Starts, Breakdown::Total, "", 7)),
            (q, cell(Figure::Endings, Breakdown::Total, "", 12)),
        ];
        let refs: Vec<(Quarter, &Cell)> = cells.iter().map(|(q, c)| (*q, c)).collect();
        let hide = hidden(&refs);
        assert!(hide.contains(&(q, Figure::Starts, Breakdown::Total, String::new())));
        assert!(
            hide.contains(&(q, Figure::Endings, Breakdown::Total, String::new())),
            "else 45 - 50 + 12 tells the starts"
        );
        assert!(!hide.contains(&(q, Figure::InCare, Breakdown::Total, String::new())));
    }

    #[test]
    fn a_count_shown_twice_hides_in_both_places() {
        let q = Quarter::parse("2026-K3").expect("quarter");
        // Acuut is hidden second (3 is hidden, 11 the smallest other); crisis repeats it.
        let cells = [
            cell(Figure::Starts, Breakdown::Total, "", 74),
            cell(Figure::Starts, Breakdown::Intensity, "acuut", 11),
            cell(Figure::Starts, Breakdown::Intensity, "intensief", 3),
            cell(Figure::Starts, Breakdown::Intensity, "perspectief", 40),
            cell(Figure::Starts, Breakdown::Intensity, "duurzaam", 20),
            cell(Figure::Starts, Breakdown::Setting, "crisis", 11),
            cell(Figure::Starts, Breakdown::Setting, "ambulant", 63),
        ];
        let refs: Vec<(Quarter, &Cell)> = cells.iter().map(|c| (q, c)).collect();
        let hide = hidden(&refs);
        assert!(hide.contains(&(q, Figure::Starts, Breakdown::Intensity, "acuut".into())));
        assert!(hide.contains(&(q, Figure::Starts, Breakdown::Setting, "crisis".into())));
        assert!(
            hide.contains(&(q, Figure::Starts, Breakdown::Setting, "ambulant".into())),
            "else 74 - 63 tells crisis again"
        );
    }

    #[test]
    fn a_profiles_cost_lines_keep_a_hidden_line_hidden() {
        let q = Quarter::parse("2026-K3").expect("quarter");
        let cells = [
            cell(Figure::Cost, Breakdown::Total, "", 60),
            cell(Figure::Cost, Breakdown::Profile, "3", 25),
            cell(Figure::Cost, Breakdown::Profile, "5", 35),
            cell(Figure::Cost, Breakdown::Provider, "1:3", 5),
            cell(Figure::Cost, Breakdown::Provider, "2:3", 20),
            cell(Figure::Cost, Breakdown::Provider, "1:5", 12),
            cell(Figure::Cost, Breakdown::Provider, "3:5", 23),
        ];
        let refs: Vec<(Quarter, &Cell)> = cells.iter().map(|c| (q, c)).collect();
        let hide = hidden(&refs);
        assert!(
            hide.contains(&(q, Figure::Cost, Breakdown::Provider, "2:3".into())),
            "else 25 - 20 tells the first line of profile 3"
        );
    }

    #[test]
    fn a_share_hides_a_small_part_and_a_small_rest() {
        let share = |count, part| Cell {
            part: Some(part),
            ..cell(Figure::Forced, Breakdown::Total, "", count)
        };
        assert!(too_small(&share(50, 3)));
        assert!(too_small(&share(50, 45)));
        assert!(!too_small(&share(50, 20)));
        assert!(!too_small(&share(50, 0)), "none of 50 tells of no one");
        assert!(too_small(&share(9, 0)));
        assert!(!too_small(&share(0, 0)), "of no one: nothing to hide");
    }
}
