//! The background sender. It claims due messages one at a time (so several nodes can run a
//! worker against one database without sending twice), sends them, and on failure tries
//! again later with a growing pause.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;
use lettre::message::{Mailbox, MultiPart};
use lettre::{FileTransport, Message, SmtpTransport, Transport as _};

use crate::db::schema::mail_outbox;
use crate::db::{Db, DbConnection};

/// After this many failed attempts a message is left for a person to look at.
pub const MAX_ATTEMPTS: i32 = 12;
const CLAIM_SECONDS: i64 = 120;

pub enum Transport {
    Smtp(Box<SmtpTransport>),
    Files(PathBuf),
}

impl Transport {
    pub fn from_config(smtp_url: Option<&str>, mail_dir: &str) -> anyhow::Result<Transport> {
        match smtp_url.filter(|u| !u.is_empty()) {
            Some(url) => Ok(Transport::Smtp(Box::new(
                SmtpTransport::from_url(url)
                    .map_err(|e| anyhow::anyhow!("SMTP_URL is not usable: {e}"))?
                    .timeout(Some(Duration::from_secs(20)))
                    .build(),
            ))),
            None => Ok(Transport::Files(PathBuf::from(mail_dir))),
        }
    }

    fn send(&self, message: &Message) -> anyhow::Result<()> {
        match self {
            Transport::Smtp(smtp) => {
                smtp.send(message)?;
            }
            Transport::Files(dir) => {
                std::fs::create_dir_all(dir)?;
                let id = FileTransport::new(dir).send(message)?;
                tracing::info!(file = %dir.join(format!("{id}.eml")).display(), "e-mail written to a file (no SMTP_URL set)");
            }
        }
        Ok(())
    }
}

#[derive(Queryable)]
struct Queued {
    id: i64,
    recipient: String,
    subject: String,
    body_text: String,
    body_html: String,
    attempts: i32,
    forget_after_send: bool,
    created_at: NaiveDateTime,
}

pub struct MailWorker {
    db: Db,
    transport: Transport,
    from: Mailbox,
    poll: Duration,
    stop: Arc<AtomicBool>,
    /// How long a claimed message stays this worker's: counted from the claim of each
    /// message, never from the start of a batch (a slow server sent a batch twice that way).
    lease: TimeDelta,
}

impl MailWorker {
    pub fn new(db: Db, transport: Transport, from: &str, poll: Duration) -> anyhow::Result<Self> {
        Ok(MailWorker {
            db,
            transport,
            from: from
                .parse()
                .map_err(|e| anyhow::anyhow!("MAIL_FROM is not an address: {e}"))?,
            poll,
            stop: Arc::new(AtomicBool::new(false)),
            lease: TimeDelta::seconds(CLAIM_SECONDS),
        })
    }

    /// Another lease than the default two minutes (tests of slow servers).
    pub fn with_lease(mut self, lease: Duration) -> Self {
        self.lease = TimeDelta::from_std(lease).unwrap_or(self.lease);
        self
    }

    /// Set to stop the worker after its current message.
    pub fn stop_flag(&self) -> Arc<AtomicBool> {
        self.stop.clone()
    }

    /// Runs on its own thread: SMTP is blocking I/O.
    pub fn spawn(self) -> std::io::Result<std::thread::JoinHandle<()>> {
        std::thread::Builder::new()
            .name("mail-worker".into())
            .spawn(move || {
                while !self.stop.load(Ordering::Relaxed) {
                    if let Err(error) = self.send_due() {
                        tracing::warn!(error = %format!("{error:#}"), "mail worker could not read the outbox");
                    }
                    std::thread::sleep(self.poll);
                }
            })
    }

    /// Sends every message that is due; returns how many were sent.
    pub fn send_due(&self) -> anyhow::Result<usize> {
        let mut conn = self.db.conn()?;
        let now = crate::clock::now();
        let due: Vec<Queued> = mail_outbox::table
            .filter(mail_outbox::sent_at.is_null())
            .filter(mail_outbox::held_for_user.is_null())
            .filter(mail_outbox::next_attempt_at.le(now))
            .filter(mail_outbox::attempts.lt(MAX_ATTEMPTS))
            .filter(
                mail_outbox::locked_until
                    .is_null()
                    .or(mail_outbox::locked_until.lt(now)),
            )
            .order(mail_outbox::id)
            .limit(50)
            .select((
                mail_outbox::id,
                mail_outbox::recipient,
                mail_outbox::subject,
                mail_outbox::body_text,
                mail_outbox::body_html,
                mail_outbox::attempts,
                mail_outbox::forget_after_send,
                mail_outbox::created_at,
            ))
            .load(&mut *conn)?;
        let mut sent = 0;
        for mail in due {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            let Some(until) = claim(&mut conn, mail.id, crate::clock::now(), self.lease)? else {
                continue;
            };
            match self.send_holding_lease(&mail, until) {
                Ok(()) if mail.forget_after_send => {
                    // The address (a family's) must not be kept once the message is out.
                    diesel::delete(mail_outbox::table.find(mail.id)).execute(&mut *conn)?;
                    conn.forget_deleted()?;
                    sent += 1;
                }
                Ok(()) => {
                    diesel::update(mail_outbox::table.find(mail.id))
                        .set((
                            mail_outbox::sent_at.eq(Some(crate::clock::now())),
                            mail_outbox::attempts.eq(mail.attempts + 1),
                            mail_outbox::locked_until.eq(None::<NaiveDateTime>),
                            mail_outbox::last_error.eq(None::<String>),
                        ))
                        .execute(&mut *conn)?;
                    sent += 1;
                }
                Err(error) => {
                    let attempts = mail.attempts + 1;
                    let next = crate::clock::now() + backoff(attempts);
                    let message = format!("{error:#}");
                    if attempts >= MAX_ATTEMPTS && mail.forget_after_send {
                        tracing::error!(id = mail.id, error = %message, "giving up on an e-mail; its address is deleted");
                        diesel::delete(mail_outbox::table.find(mail.id)).execute(&mut *conn)?;
                        conn.forget_deleted()?;
                        continue;
                    } else if attempts >= MAX_ATTEMPTS {
                        tracing::error!(id = mail.id, error = %message, "giving up on an e-mail");
                    } else {
                        tracing::warn!(id = mail.id, attempts, error = %message, "e-mail not sent; will retry");
                    }
                    diesel::update(mail_outbox::table.find(mail.id))
                        .set((
                            mail_outbox::attempts.eq(attempts),
                            mail_outbox::next_attempt_at.eq(next),
                            mail_outbox::locked_until.eq(None::<NaiveDateTime>),
                            mail_outbox::last_error.eq(Some(message)),
                        ))
                        .execute(&mut *conn)?;
                }
            }
        }
        Ok(sent)
    }

    /// Sends one claimed message while a helper thread renews the claim every third of the
    /// lease: a slow server can take longer than any lease (about seven round trips, each
    /// up to the 20-second timeout), and another node must not take the message meanwhile.
    fn send_holding_lease(&self, mail: &Queued, until: NaiveDateTime) -> anyhow::Result<()> {
        let message = self.build(mail)?;
        let every = (self.lease / 3)
            .to_std()
            .unwrap_or(Duration::from_secs(1))
            .max(Duration::from_millis(10));
        let done = AtomicBool::new(false);
        std::thread::scope(|scope| {
            let renewer = scope.spawn(|| {
                let mut held = until;
                loop {
                    std::thread::park_timeout(every);
                    if done.load(Ordering::Acquire) {
                        return;
                    }
                    let renewed = self.db.conn().map_err(anyhow::Error::from).and_then(|mut c| {
                        Ok(renew(&mut c, mail.id, held, crate::clock::now() + self.lease)?)
                    });
                    match renewed {
                        Ok(Some(next)) => held = next,
                        Ok(None) => {
                            tracing::warn!(id = mail.id, "the claim on an e-mail was lost while sending");
                            return;
                        }
                        Err(error) => {
                            tracing::warn!(id = mail.id, error = %format!("{error:#}"), "could not renew the claim on an e-mail");
                        }
                    }
                }
            });
            let result = self.transport.send(&message);
            done.store(true, Ordering::Release);
            renewer.thread().unpark();
            result
        })
    }

    fn build(&self, mail: &Queued) -> anyhow::Result<Message> {
        // The same Message-ID on every try: a receiving server can drop a duplicate.
        let message_id = format!(
            "<outbox-{}-{}@{}>",
            mail.id,
            mail.created_at.and_utc().timestamp(),
            self.from.email.domain()
        );
        Ok(Message::builder()
            .message_id(Some(message_id))
            .from(self.from.clone())
            .to(mail.recipient.parse()?)
            .subject(&mail.subject)
            .multipart(MultiPart::alternative_plain_html(
                mail.body_text.clone(),
                mail.body_html.clone(),
            ))?)
    }
}

/// Takes a message for this worker only, until the time returned; `None` when another
/// worker was first.
fn claim(
    conn: &mut DbConnection,
    id: i64,
    now: NaiveDateTime,
    lease: TimeDelta,
) -> QueryResult<Option<NaiveDateTime>> {
    let until = to_micros(now + lease);
    let claimed = diesel::update(mail_outbox::table.find(id))
        .filter(mail_outbox::sent_at.is_null())
        .filter(
            mail_outbox::locked_until
                .is_null()
                .or(mail_outbox::locked_until.lt(now)),
        )
        .set(mail_outbox::locked_until.eq(Some(until)))
        .execute(conn)?;
    Ok((claimed == 1).then_some(until))
}

/// A moment as PostgreSQL keeps it (to the microsecond), so that the claim read back
/// compares equal on both databases.
fn to_micros(moment: NaiveDateTime) -> NaiveDateTime {
    use chrono::Timelike;
    moment
        .with_nanosecond(moment.nanosecond() / 1000 * 1000)
        .unwrap_or(moment)
}

/// Extends a claim this worker still holds (`held` is the time it set last) to `until`;
/// `None` when it no longer holds it.
fn renew(
    conn: &mut DbConnection,
    id: i64,
    held: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    let until = to_micros(until);
    let renewed = diesel::update(mail_outbox::table.find(id))
        .filter(mail_outbox::sent_at.is_null())
        .filter(mail_outbox::locked_until.eq(held))
        .set(mail_outbox::locked_until.eq(Some(until)))
        .execute(conn)?;
    Ok((renewed == 1).then_some(until))
}

/// 30 s, 1 min, 2 min, … capped at an hour.
pub fn backoff(attempts: i32) -> TimeDelta {
    let exponent = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    TimeDelta::seconds((30_i64 << exponent).min(3600))
}

#[cfg(test)]
mod tests {
    use super::backoff;

    #[test]
    fn retries_wait_longer_each_time_up_to_an_hour() {
        let waits: Vec<i64> = (1..=10).map(|a| backoff(a).num_seconds()).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
    }
}
