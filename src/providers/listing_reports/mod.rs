//! "Klopt er iets niet?" (issue 39): anyone can say a provider's listing is wrong, without an
//! account. The report goes to the provider's "Mijn werk"; the provider answers and says
//! whether it fixed its listing; the reporter reads the answer with the receipt code it
//! was given (only the code's hash is kept); the region's contract managers see the reports
//! that wait longer than [`ANSWER_DAYS`].
//!
//! Kept: the provider, the topic, the text (checked: no BSN, at most [`MESSAGE_MAX`]
//! characters) and the dates. Not kept: who reported, how to reach them, their address.

pub mod pages;
pub mod routes;

use chrono::{NaiveDateTime, TimeDelta};
use diesel::dsl::count_star;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use crate::db::DbConnection;
use crate::db::schema::{admissions, listing_reports, providers};
use crate::domain::ids::ProviderId;
use crate::domain::provider::{AdmissionStatus, ListingTopic};
use crate::web::{AppError, FieldError};

/// A report waits this many days for an answer before the region sees it.
pub const ANSWER_DAYS: i64 = 14;
/// The longest text a report or an answer may have.
pub const MESSAGE_MAX: usize = 1000;
/// Reports one address may send within the throttle's window (15 minutes).
pub const PER_ADDRESS: i64 = 5;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = listing_reports)]
pub struct ListingReport {
    pub id: i64,
    pub provider_id: i64,
    pub topic: String,
    pub message: String,
    pub created_at: NaiveDateTime,
    pub answer: Option<String>,
    pub fixed: bool,
    pub answered_at: Option<NaiveDateTime>,
}

impl ListingReport {
    pub fn topic(&self) -> ListingTopic {
        ListingTopic::parse(&self.topic).unwrap_or(ListingTopic::Anders)
    }

    /// Waiting for an answer longer than [`ANSWER_DAYS`] at `now`.
    pub fn overdue(&self, now: NaiveDateTime) -> bool {
        self.answered_at.is_none() && now - self.created_at > TimeDelta::days(ANSWER_DAYS)
    }
}

/// What a visitor typed, checked: the topic and the text. Refusals are in the page's
/// language (the form is a family page).
pub fn check(topic: &str, message: &str) -> Result<(ListingTopic, String), Vec<FieldError>> {
    let t = crate::web::language::texts();
    let mut errors = Vec::new();
    let topic = ListingTopic::parse(topic.trim());
    if topic.is_none() {
        errors.push(FieldError::new("onderwerp", t.msg("report-topic-missing")));
    }
    let message = message.trim().to_owned();
    if message.is_empty() {
        errors.push(FieldError::new("bericht", t.msg("report-message-missing")));
    } else if message.chars().count() > MESSAGE_MAX {
        errors.push(FieldError::new(
            "bericht",
            t.fmt("report-message-too-long", &[("max", MESSAGE_MAX.into())]),
        ));
    } else if crate::web::input::contains_bsn(&message) {
        errors.push(FieldError::new("bericht", t.msg("report-message-bsn")));
    }
    match (topic, errors.is_empty()) {
        (Some(topic), true) => Ok((topic, message)),
        _ => Err(errors),
    }
}

fn hash(code: &str) -> String {
    format!("{:x}", Sha256::digest(code.as_bytes()))
}

/// A receipt code: 20 characters from an alphabet without look-alikes, in groups of five.
fn new_code() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    Ok(chars
        .chunks(5)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// Stores a report about the provider, mails the provider, and returns the receipt code.
pub fn submit(
    conn: &mut DbConnection,
    provider_id: i64,
    topic: ListingTopic,
    message: &str,
    public_url: &str,
) -> Result<String, AppError> {
    let code = new_code()?;
    diesel::insert_into(listing_reports::table)
        .values((
            listing_reports::provider_id.eq(provider_id),
            listing_reports::topic.eq(topic.as_str()),
            listing_reports::message.eq(message),
            listing_reports::receipt_hash.eq(hash(&code)),
            listing_reports::created_at.eq(crate::clock::now()),
        ))
        .execute(conn)?;
    super::admission::mail_provider(conn, provider_id, |email| {
        crate::mail::templates::compose(
            email,
            "Iemand meldt dat uw vermelding niet klopt",
            "Beste medewerker,",
            &[
                format!(
                    "Via de jeugdhulpcatalogus meldt iemand dat er iets niet klopt in uw vermelding (onderwerp: {}).",
                    topic.label().to_lowercase()
                ),
                format!(
                    "Beantwoord de melding binnen {ANSWER_DAYS} dagen, en pas uw vermelding aan als dat nodig is. Daarna ziet de contractmanager van de regio dat de melding nog open staat."
                ),
            ],
            Some((
                "Bekijk de melding",
                &format!("{public_url}/mijn-aanbod/meldingen"),
            )),
        )
    })?;
    Ok(code)
}

/// The report a receipt code opens, with the provider's name and slug.
pub fn by_receipt(
    conn: &mut DbConnection,
    code: &str,
) -> QueryResult<Option<(ListingReport, String, String)>> {
    listing_reports::table
        .inner_join(providers::table)
        .filter(listing_reports::receipt_hash.eq(hash(code.trim())))
        .select((ListingReport::as_select(), providers::name, providers::slug))
        .first(conn)
        .optional()
}

/// One page of the provider's reports, open ones first, newest first; and how many in all.
pub fn of_provider(
    conn: &mut DbConnection,
    provider: ProviderId,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<ListingReport>, i64)> {
    let total = listing_reports::table
        .filter(listing_reports::provider_id.eq(provider.get()))
        .select(count_star())
        .first(conn)?;
    let list = listing_reports::table
        .filter(listing_reports::provider_id.eq(provider.get()))
        .order((
            listing_reports::answered_at.is_not_null(),
            listing_reports::created_at.desc(),
            listing_reports::id.desc(),
        ))
        .limit(per_page)
        .offset((page - 1) * per_page)
        .select(ListingReport::as_select())
        .load(conn)?;
    Ok((list, total))
}

/// How many of the provider's reports wait for its answer.
pub fn count_open(conn: &mut DbConnection, provider: ProviderId) -> QueryResult<i64> {
    listing_reports::table
        .filter(listing_reports::provider_id.eq(provider.get()))
        .filter(listing_reports::answered_at.is_null())
        .select(count_star())
        .first(conn)
}

/// The provider answers one of its own reports (another provider's is not found), once.
pub fn answer(
    conn: &mut DbConnection,
    provider: ProviderId,
    id: i64,
    user_id: i64,
    text: &str,
    fixed: bool,
) -> Result<(), AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "antwoord",
            "Schrijf een antwoord voor wie de melding deed.",
        )]));
    }
    if text.chars().count() > MESSAGE_MAX {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "antwoord",
            format!("Uw antwoord is te lang. Gebruik hoogstens {MESSAGE_MAX} tekens."),
        )]));
    }
    if crate::web::input::contains_bsn(text) {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "antwoord",
            crate::web::input::BSN_MESSAGE,
        )]));
    }
    let own = listing_reports::table
        .find(id)
        .filter(listing_reports::provider_id.eq(provider.get()));
    if own
        .select(listing_reports::id)
        .first::<i64>(conn)
        .optional()?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    let answered = diesel::update(own.filter(listing_reports::answered_at.is_null()))
        .set((
            listing_reports::answer.eq(Some(text)),
            listing_reports::fixed.eq(fixed),
            listing_reports::answered_at.eq(Some(crate::clock::now())),
            listing_reports::answered_by.eq(Some(user_id)),
        ))
        .execute(conn)?;
    if answered != 1 {
        return Err(AppError::Conflict(
            "Deze melding is al beantwoord. Vernieuw de pagina om het antwoord te zien.".into(),
        ));
    }
    crate::audit::fields(
        conn,
        Some(user_id),
        "listing_report",
        id,
        &[("beantwoord", String::new(), fixed.to_string())],
    )?;
    Ok(())
}

/// The admissions of one region in a state the region follows.
type Followed = diesel::dsl::Filter<
    diesel::dsl::Filter<admissions::table, diesel::dsl::Eq<admissions::region_id, i64>>,
    diesel::dsl::EqAny<admissions::status, [AdmissionStatus; 2]>,
>;

/// The providers a region has admitted (or suspended): whose reports its managers follow.
fn listed_in(region: i64) -> diesel::dsl::Select<Followed, admissions::provider_id> {
    admissions::table
        .filter(admissions::region_id.eq(region))
        .filter(
            admissions::status.eq_any([AdmissionStatus::Toegelaten, AdmissionStatus::Opgeschort]),
        )
        .select(admissions::provider_id)
}

/// How many reports of the region's providers (all for `None`) wait longer than
/// [`ANSWER_DAYS`] at `now`: the count in the managers' "Mijn werk".
pub fn count_overdue(
    conn: &mut DbConnection,
    region: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let mut query = listing_reports::table
        .filter(listing_reports::answered_at.is_null())
        .filter(listing_reports::created_at.lt(now - TimeDelta::days(ANSWER_DAYS)))
        .into_boxed();
    if let Some(region) = region {
        query = query.filter(listing_reports::provider_id.eq_any(listed_in(region)));
    }
    query.select(count_star()).first(conn)
}

/// The reports of the region's providers (all regions for `None`) that wait longer than
/// [`ANSWER_DAYS`] at `now`, oldest first, with the provider's name and slug.
pub fn overdue(
    conn: &mut DbConnection,
    region: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<Vec<(ListingReport, String, String)>> {
    let mut query = listing_reports::table
        .inner_join(providers::table)
        .filter(listing_reports::answered_at.is_null())
        .filter(listing_reports::created_at.lt(now - TimeDelta::days(ANSWER_DAYS)))
        .into_boxed();
    if let Some(region) = region {
        query = query.filter(listing_reports::provider_id.eq_any(listed_in(region)));
    }
    query
        .order((listing_reports::created_at, listing_reports::id))
        .limit(500)
        .select((ListingReport::as_select(), providers::name, providers::slug))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_codes_are_long_random_and_only_their_hash_is_kept() {
        let a = new_code().expect("code");
        let b = new_code().expect("code");
        assert_ne!(a, b);
        assert_eq!(a.len(), 23, "{a}");
        assert_ne!(hash(&a), a);
        assert_eq!(hash(&a).len(), 64);
    }

    #[test]
    fn a_report_needs_a_topic_and_a_text_without_a_bsn() {
        assert!(check("wachttijd", "De wachttijd is veel langer.").is_ok());
        assert_eq!(check("", "").expect_err("empty").len(), 2);
        assert!(check("anders", "mijn bsn is 111222333").is_err());
        assert!(check("anders", &"x".repeat(MESSAGE_MAX + 1)).is_err());
        assert!(check("kleur", "tekst").is_err());
    }
}
