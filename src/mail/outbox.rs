//! Writing messages into the outbox.

use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::mail_outbox;

/// One message, in plain text and HTML, both in Dutch.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Queues a message; call it inside the transaction of the change it reports.
pub fn queue(conn: &mut DbConnection, mail: &OutgoingMail) -> QueryResult<()> {
    insert(conn, mail, false, None)
}

/// Queues a message that must not be kept once sent (or given up on): the whole row is
/// deleted then. For a family's own e-mail address, and for a message that carries a live
/// secret (an address-confirmation or password-reset link), which anyone who can read the
/// outbox could otherwise use (the database keeps only the tokens' hashes).
pub fn queue_and_forget(conn: &mut DbConnection, mail: &OutgoingMail) -> QueryResult<()> {
    insert(conn, mail, true, None)
}

/// Queues a message that waits until the user confirms their e-mail address ([`release`]):
/// the contract managers hear of a registration only once its address is real.
pub fn queue_held_for(
    conn: &mut DbConnection,
    mail: &OutgoingMail,
    user_id: i64,
) -> QueryResult<()> {
    insert(conn, mail, false, Some(user_id))
}

/// Lets the messages held for this user go out, now.
pub fn release(conn: &mut DbConnection, user_id: i64) -> QueryResult<usize> {
    diesel::update(mail_outbox::table.filter(mail_outbox::held_for_user.eq(user_id)))
        .set((
            mail_outbox::held_for_user.eq(None::<i64>),
            mail_outbox::next_attempt_at.eq(crate::clock::now()),
        ))
        .execute(conn)
}

fn insert(
    conn: &mut DbConnection,
    mail: &OutgoingMail,
    forget: bool,
    held_for_user: Option<i64>,
) -> QueryResult<()> {
    let now = crate::clock::now();
    diesel::insert_into(mail_outbox::table)
        .values((
            mail_outbox::recipient.eq(&mail.to),
            mail_outbox::subject.eq(&mail.subject),
            mail_outbox::body_text.eq(&mail.text),
            mail_outbox::body_html.eq(&mail.html),
            mail_outbox::created_at.eq(now),
            mail_outbox::next_attempt_at.eq(now),
            mail_outbox::forget_after_send.eq(forget),
            mail_outbox::held_for_user.eq(held_for_user),
        ))
        .execute(conn)
        .map(|_| ())
}
