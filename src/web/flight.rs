//! Single flight for kept pages: of the requests that miss the same page at the same moment,
//! one makes it and the others wait for it to be kept, instead of each reading the database
//! and rendering the same page (a burst on a popular address after a start or a publication
//! would otherwise queue on the pool). A follower whose leader kept nothing (an error, a page
//! too large to keep, a leader whose visitor went away) makes the page itself.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use tokio::sync::watch;

/// The pages being made now, by key.
pub struct Flights<K> {
    running: Mutex<HashMap<K, watch::Receiver<()>>>,
}

impl<K> Default for Flights<K> {
    fn default() -> Self {
        Flights {
            running: Mutex::new(HashMap::new()),
        }
    }
}

/// What a request that missed does: make the page, or wait for the one making it.
pub enum Flight<'a, K: Hash + Eq> {
    Lead(Leader<'a, K>),
    Follow(Landing),
}

/// Held by the request making the page; dropping it (after the page is kept, or when the
/// request fails or is abandoned) wakes the followers.
pub struct Leader<'a, K: Hash + Eq> {
    flights: &'a Flights<K>,
    key: Option<K>,
    _done: watch::Sender<()>,
}

impl<K: Hash + Eq> Drop for Leader<'_, K> {
    fn drop(&mut self) {
        // Removed before the sender drops (fields drop after this), so that a follower that
        // wakes and misses again leads a flight of its own rather than joining this one.
        if let Some(key) = self.key.take() {
            self.flights
                .running
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .remove(&key);
        }
    }
}

/// A follower's wait for its leader.
pub struct Landing(watch::Receiver<()>);

impl Landing {
    /// Returns when the leader is done, whatever came of it.
    pub async fn wait(mut self) {
        // The leader never sends: `changed` fails when its sender is dropped.
        while self.0.changed().await.is_ok() {}
    }
}

impl<K: Hash + Eq + Clone> Flights<K> {
    pub fn join(&self, key: &K) -> Flight<'_, K> {
        let mut running = self
            .running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(receiver) = running.get(key) {
            return Flight::Follow(Landing(receiver.clone()));
        }
        let (done, receiver) = watch::channel(());
        running.insert(key.clone(), receiver);
        Flight::Lead(Leader {
            flights: self,
            key: Some(key.clone()),
            _done: done,
        })
    }

    /// How many pages are being made now.
    pub fn running(&self) -> usize {
        self.running
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn one_request_makes_a_page_the_others_wait_for_it() {
        let flights = Arc::new(Flights::<&'static str>::default());
        let made = Arc::new(AtomicUsize::new(0));
        let joined = Arc::new(AtomicUsize::new(0));
        let (go, gate) = watch::channel(false);
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (flights, made, joined, mut gate) =
                (flights.clone(), made.clone(), joined.clone(), gate.clone());
            tasks.push(tokio::spawn(async move {
                let flight = flights.join(&"/aanbieders/de-linde");
                joined.fetch_add(1, Ordering::SeqCst);
                match flight {
                    Flight::Lead(leader) => {
                        // Made slowly: every other request arrives meanwhile.
                        let _ = gate.wait_for(|open| *open).await;
                        made.fetch_add(1, Ordering::SeqCst);
                        drop(leader);
                    }
                    Flight::Follow(landing) => landing.wait().await,
                }
            }));
        }
        while joined.load(Ordering::SeqCst) < 16 {
            tokio::task::yield_now().await;
        }
        assert_eq!(flights.running(), 1);
        let _ = go.send(true);
        for task in tasks {
            task.await.expect("task");
        }
        assert_eq!(made.load(Ordering::SeqCst), 1);
        assert_eq!(flights.running(), 0, "a landed flight is forgotten");
        assert!(matches!(
            flights.join(&"/aanbieders/de-linde"),
            Flight::Lead(_)
        ));
    }

    #[tokio::test]
    async fn a_follower_wakes_when_its_leader_gives_up() {
        let flights = Flights::<u32>::default();
        let Flight::Lead(leader) = flights.join(&1) else {
            panic!("the first leads");
        };
        let Flight::Follow(landing) = flights.join(&1) else {
            panic!("the second follows");
        };
        assert!(matches!(flights.join(&2), Flight::Lead(_)), "another key");
        drop(leader);
        landing.wait().await;
        assert_eq!(flights.running(), 0);
    }
}
