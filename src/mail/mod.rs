//! E-mail: messages are queued in `mail_outbox` in the same transaction as the change that
//! causes them, and a background worker sends them over SMTP (lettre) with retries. Without
//! `SMTP_URL` each message is written as an .eml file, so the portal works without a mail
//! server.

pub mod outbox;
pub mod templates;
pub mod worker;

pub use outbox::{OutgoingMail, queue, queue_and_forget, queue_held_for, release};
pub use worker::{MailWorker, Transport};
