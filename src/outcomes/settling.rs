//! When the job runner recomputes the marked funnels ([`super::fair::refresh_marked`]): once
//! the uploads settle, or after a longest wait under a steady stream.

use super::fair::StaleMark;

/// Which marked pairs the job runner refreshes on a round: all of them once a round passed
/// without a new or raised mark (the uploads are over), and otherwise those that have waited
/// `longest` (under a steady stream of uploads; a pair marked again after its refresh waits
/// anew, so a refresh comes at most every `longest` while its scores keep changing).
/// Nothing is lost here: the marks are read from the database every round. A funnel read while uploads still change its region's
/// scores is work done twice (the swap finds the mark raised and leaves it, or the next
/// upload marks it again), and the read of a region's score sets competes with the uploads
/// for the cores, the disk and, on SQLite, the write lock.
#[derive(Debug)]
pub struct Settling {
    longest: std::time::Duration,
    /// Per waiting pair: the generation seen last round, and since when it waits.
    seen: std::collections::HashMap<(i64, i64), (i64, std::time::Instant)>,
}

impl Settling {
    pub fn new(longest: std::time::Duration) -> Self {
        Settling {
            longest,
            seen: std::collections::HashMap::new(),
        }
    }

    /// The marks to refresh now, from every mark there is at `now`; the others are kept in
    /// view for the next round.
    pub fn due(&mut self, marks: &[StaleMark], now: std::time::Instant) -> Vec<StaleMark> {
        // Quiet: no mark is new or raised since the last round. A mark that is gone was
        // refreshed (here, by another node or by a full recomputation): no reason to wait.
        let quiet = marks.iter().all(|&(region, profile, generation)| {
            self.seen
                .get(&(region, profile))
                .is_some_and(|&(seen, _)| seen == generation)
        });
        let mut due = Vec::new();
        let mut waiting = std::collections::HashMap::with_capacity(marks.len());
        for &(region, profile, generation) in marks {
            let since = self
                .seen
                .get(&(region, profile))
                .map_or(now, |&(_, since)| since);
            if quiet || now.duration_since(since) >= self.longest {
                due.push((region, profile, generation));
            } else {
                waiting.insert((region, profile), (generation, since));
            }
        }
        self.seen = waiting;
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of rounds one second apart: the marked pairs are refreshed the round after
    /// no mark changed, or one by one once they waited `longest` under a steady stream.
    #[test]
    fn marked_pairs_are_refreshed_once_the_marks_settle_or_they_waited_long_enough() {
        use std::time::{Duration, Instant};
        let start = Instant::now();
        let round = |k: u64| start + Duration::from_secs(k);
        let mut settling = Settling::new(Duration::from_secs(3));
        // (round, marks there are, marks due)
        let table: [(u64, Vec<StaleMark>, Vec<StaleMark>); 11] = [
            (0, vec![(1, 10, 1), (1, 11, 4)], vec![]),
            // 11 marked again: nothing settled, both wait.
            (1, vec![(1, 10, 1), (1, 11, 5)], vec![]),
            // A new pair is a change as well.
            (2, vec![(1, 10, 1), (1, 11, 5), (2, 10, 1)], vec![]),
            // 10 and 11 have waited 3 rounds; the new pair waits on while 11 is marked.
            (
                3,
                vec![(1, 10, 1), (1, 11, 6), (2, 10, 1)],
                vec![(1, 10, 1), (1, 11, 6)],
            ),
            // 11 marked again after its refresh (the swap left it): it waits anew.
            (4, vec![(1, 11, 7), (2, 10, 1)], vec![]),
            // Quiet: everything left is due.
            (
                5,
                vec![(1, 11, 7), (2, 10, 1)],
                vec![(1, 11, 7), (2, 10, 1)],
            ),
            (6, vec![], vec![]),
            (7, vec![(3, 12, 1)], vec![]),
            (8, vec![(3, 12, 1)], vec![(3, 12, 1)]),
            (9, vec![(4, 1, 1), (4, 2, 1)], vec![]),
            // (4, 1) was refreshed elsewhere: a mark that is gone does not break the quiet.
            (10, vec![(4, 2, 1)], vec![(4, 2, 1)]),
        ];
        for (k, marks, expected) in table {
            assert_eq!(settling.due(&marks, round(k)), expected, "round {k}");
        }
        assert!(
            settling.seen.is_empty(),
            "nothing is kept once no mark waits"
        );
    }
}
