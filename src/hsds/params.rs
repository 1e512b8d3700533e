//! The query parameters of the `/hsds/…` lists, as typed and as checked: paging, format,
//! search words, taxonomy and organization filters, a moment of change.

use serde::Deserialize;
use uuid::Uuid;

use super::ids;
use super::queries::{self, Filter};
use super::taxonomy::{self, Meaning};
use crate::reference::ReferenceData;
use crate::web::{AppError, FieldError};

/// At most this many items a page.
pub const MAX_PER_PAGE: i64 = 100;
pub const DEFAULT_PER_PAGE: i64 = 50;
const MAX_SEARCH_CHARS: usize = 200;

/// The query parameters of a list, as typed (checked in [`ListQuery::parse`]).
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Words that must all occur in the provider's name, description or town.
    #[param(max_length = 200)]
    search: Option<String>,
    /// Page number, from 1.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 4294967295_i64)]
    page: Option<String>,
    /// Items per page, 1 to 100 (50 when absent).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100)]
    per_page: Option<String>,
    /// `json` (paged, the default) or `ndjson` (every item in full, one JSON object a line).
    #[param(value_type = Option<Format>)]
    format: Option<String>,
    /// Only services with this taxonomy term (an id from `/hsds/taxonomy_terms`).
    #[param(value_type = Option<String>, format = Uuid)]
    taxonomy_term_id: Option<String>,
    /// Only terms of this taxonomy (`/hsds/taxonomy_terms`).
    #[param(value_type = Option<String>, format = Uuid)]
    taxonomy_id: Option<String>,
    /// Only this organization's services (or the organization itself).
    #[param(value_type = Option<String>, format = Uuid)]
    organization_id: Option<String>,
    /// Only what changed on or after this moment (RFC 3339).
    #[param(value_type = Option<String>, format = DateTime)]
    modified_after: Option<String>,
}

/// The answer's format.
#[derive(utoipa::ToSchema)]
#[allow(dead_code, non_camel_case_types)]
pub enum Format {
    json,
    ndjson,
}

/// A checked list query.
pub(super) struct List {
    pub(super) page: i64,
    pub(super) per_page: i64,
    pub(super) ndjson: bool,
    pub(super) filter: Filter,
    pub(super) taxonomy_id: Option<Uuid>,
}

fn parse_uuid(field: &str, raw: &str, errors: &mut Vec<FieldError>) -> Option<Uuid> {
    match Uuid::parse_str(raw.trim()) {
        Ok(id) => Some(id),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                format!("{field} is geen geldige id. Gebruik een id (UUID) uit deze API."),
            ));
            None
        }
    }
}

fn number(
    field: &str,
    raw: Option<&str>,
    default: i64,
    max: i64,
    errors: &mut Vec<FieldError>,
) -> i64 {
    let Some(raw) = raw else { return default };
    match raw.trim().parse::<i64>() {
        Ok(n) if (1..=max).contains(&n) => n,
        _ => {
            errors.push(FieldError::new(
                field,
                format!("{field} moet een heel getal zijn van 1 tot en met {max}."),
            ));
            default
        }
    }
}

fn parse_moment(raw: &str) -> Option<chrono::NaiveDateTime> {
    let raw = raw.trim();
    chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| t.naive_utc())
        .ok()
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })
}

impl ListQuery {
    pub(super) fn parse(
        &self,
        conn: &mut crate::db::DbConnection,
        reference: &ReferenceData,
    ) -> Result<List, AppError> {
        let mut errors = Vec::new();
        let page = number(
            "page",
            self.page.as_deref(),
            1,
            i64::from(u32::MAX),
            &mut errors,
        );
        let per_page = number(
            "per_page",
            self.per_page.as_deref(),
            DEFAULT_PER_PAGE,
            MAX_PER_PAGE,
            &mut errors,
        );
        let ndjson = match self.format.as_deref().map(str::trim) {
            None | Some("" | "json") => false,
            Some("ndjson") => true,
            Some(_) => {
                errors.push(FieldError::new("format", "format kan json of ndjson zijn."));
                false
            }
        };
        let mut filter = Filter::default();
        if let Some(raw) = self.search.as_deref() {
            if raw.chars().count() > MAX_SEARCH_CHARS {
                errors.push(FieldError::new(
                    "search",
                    format!("Zoek met hoogstens {MAX_SEARCH_CHARS} tekens."),
                ));
            } else {
                filter.words = crate::web::text::fold(raw)
                    .split_whitespace()
                    .take(8)
                    .map(str::to_owned)
                    .collect();
            }
        }
        if let Some(raw) = self.modified_after.as_deref() {
            match parse_moment(raw) {
                Some(moment) => filter.modified_after = Some(moment),
                None => errors.push(FieldError::new(
                    "modified_after",
                    "modified_after moet een datum zijn (2026-01-31) of een tijdstip volgens RFC 3339 (2026-01-31T12:00:00Z).",
                )),
            }
        }
        let term = self
            .taxonomy_term_id
            .as_deref()
            .and_then(|raw| parse_uuid("taxonomy_term_id", raw, &mut errors));
        let taxonomy_id = self
            .taxonomy_id
            .as_deref()
            .and_then(|raw| parse_uuid("taxonomy_id", raw, &mut errors));
        let organization = self
            .organization_id
            .as_deref()
            .and_then(|raw| parse_uuid("organization_id", raw, &mut errors));
        if !errors.is_empty() {
            return Err(AppError::InvalidInput(errors));
        }
        if let Some(id) = term {
            match taxonomy::meaning(reference, id) {
                None => filter.profile_ids = Some(Vec::new()),
                Some(Meaning::Profile(number)) => {
                    filter.profile_ids = Some(
                        reference
                            .profiles
                            .iter()
                            .filter(|p| p.number == number)
                            .map(|p| p.id)
                            .collect(),
                    );
                }
                Some(Meaning::Intensity(code)) => {
                    filter.intensity_ids = Some(
                        reference
                            .intensities
                            .iter()
                            .filter(|i| i.code == code)
                            .map(|i| i.id)
                            .collect(),
                    );
                }
                Some(Meaning::Setting(setting)) => filter.setting = Some(setting),
                Some(Meaning::Wait) => {}
                Some(Meaning::Score(indicator) | Meaning::ScoreCount(indicator)) => {
                    filter.scored = Some(indicator);
                }
            }
        }
        if let Some(id) = organization {
            let keys = queries::published_provider_ids(conn)?;
            filter.provider_ids = Some(find(&keys, id, ids::organization).into_iter().collect());
        }
        Ok(List {
            page,
            per_page,
            ndjson,
            filter,
            taxonomy_id,
        })
    }
}

/// The internal key behind an HSDS id, among the published keys.
pub(super) fn find(keys: &[i64], id: Uuid, of: impl Fn(i64) -> Uuid) -> Option<i64> {
    keys.iter().copied().find(|k| of(*k) == id)
}
