//! The demo plays the rules along a trajectory (issue 37), so a newcomer sees them: agreed
//! goals waiting for the provider, confirmed and marked; a client back within a year under
//! the guarantee, offered and taken up; a running trajectory that moved to another profile.

mod common;

use common::spawn_demo_app;
use diesel::dsl::count_star;
use diesel::prelude::*;
use jeugdhulpcatalogus::db::schema::{hulpvraag_goals, hulpvraag_shifts, hulpvragen, trajectories};

#[tokio::test]
async fn the_demo_plays_goals_and_the_guarantee() {
    let app = spawn_demo_app().await;
    let mut conn = app.conn();
    let guarantees: Vec<Option<String>> = hulpvragen::table
        .filter(hulpvragen::guarantee.is_not_null())
        .order(hulpvragen::id)
        .select(hulpvragen::guarantee)
        .load(&mut *conn)
        .expect("guarantees");
    assert_eq!(
        guarantees,
        [Some("aangeboden".to_owned()), Some("heropend".to_owned())]
    );
    let waiting: i64 = hulpvragen::table
        .filter(hulpvragen::goals_confirmed_at.is_null())
        .filter(diesel::dsl::exists(
            hulpvraag_goals::table.filter(hulpvraag_goals::hulpvraag_id.eq(hulpvragen::id)),
        ))
        .select(count_star())
        .first(&mut *conn)
        .expect("count");
    assert!(waiting >= 1, "goals waiting for the provider");
    let marked: i64 = hulpvraag_goals::table
        .filter(hulpvraag_goals::result.is_not_null())
        .select(count_star())
        .first(&mut *conn)
        .expect("count");
    assert!(marked >= 1, "goals marked at closing");
    let counted: i64 = trajectories::table
        .filter(trajectories::goals_agreed.is_not_null())
        .select(count_star())
        .first(&mut *conn)
        .expect("count");
    assert!(counted > 1000, "{counted} trajectories with agreed goals");
    // A running trajectory moved to another profile, confirmed by the provider, and the
    // hulpvraag now has that profile.
    let moved: Vec<(i64, i64)> = hulpvraag_shifts::table
        .inner_join(hulpvragen::table)
        .filter(hulpvraag_shifts::confirmed_at.is_not_null())
        .select((hulpvraag_shifts::to_profile_id, hulpvragen::profile_id))
        .load(&mut *conn)
        .expect("shifts");
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert_eq!(moved[0].0, moved[0].1);
}
