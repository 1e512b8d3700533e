//! Input the database cannot keep, refused at the edge: control characters (NUL first of all,
//! which PostgreSQL refuses in text and SQLite would store) in the path, the query string and
//! every form field, with the same Dutch message on both backends. Tabs and line breaks are
//! ordinary text.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use super::{ApiError, AppError, FieldError};

pub const CONTROL_MESSAGE: &str = "Hier staat een teken dat wij niet kunnen opslaan (een stuurteken). Haal het weg en probeer het opnieuw.";

/// The same rule as [`has_control`] as an ECMA-262 pattern, for the API's description.
pub const NO_CONTROL_PATTERN: &str =
    "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFEFF]*$";

/// A control character other than tab, line feed or carriage return.
pub fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{feff}')
}

pub const INVISIBLE_MESSAGE: &str = "Hier staat een onzichtbaar teken (bijvoorbeeld een teken dat de schrijfrichting omdraait of een spatie zonder breedte). Haal het weg en probeer het opnieuw.";

/// A character that changes how text is shown without being seen: the bidirectional
/// overrides, embeddings, isolates and marks (a name like `\u{202e}SAPMOK` reads as
/// another), and the zero-width characters (`Jeugdhulp\u{200b}Kompas` looks like
/// `JeugdhulpKompas`). Refused in names and public texts by their forms' checks
/// ([`refuse_invisible`]), which show the form again with what was typed.
pub fn has_invisible(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            c,
            '\u{061c}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200f}'
                | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
        )
    })
}

/// Files [`INVISIBLE_MESSAGE`] under each of these fields that holds an invisible character.
pub fn refuse_invisible<'a>(
    errors: &mut Vec<FieldError>,
    fields: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    for (field, value) in fields {
        if has_invisible(value) && !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError::new(field, INVISIBLE_MESSAGE));
        }
    }
}

/// What a field says when it holds a BSN.
pub const BSN_MESSAGE: &str = "Dit lijkt op een burgerservicenummer (BSN). Vul nooit een BSN in: wij bewaren geen nummers waarmee iemand te herkennen is.";

pub use crate::domain::values::{contains_bsn, elfproef};

/// The field errors for form or query pairs that hold control characters (in name or value).
pub fn control_errors<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<FieldError> {
    pairs
        .into_iter()
        .filter(|(k, v)| has_control(k) || has_control(v))
        .map(|(k, _)| {
            if has_control(k) {
                FieldError::form(CONTROL_MESSAGE)
            } else {
                FieldError::new(k, CONTROL_MESSAGE)
            }
        })
        .collect()
}

/// Refuses a request whose decoded path or query string holds a control character: 400 with
/// the Dutch page, or the JSON error under `/api/`.
pub async fn refuse_control_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let path = percent_encoding::percent_decode_str(req.path()).decode_utf8_lossy();
    let query = percent_encoding::percent_decode_str(&req.query_string().replace('+', " "))
        .decode_utf8_lossy()
        .into_owned();
    if has_control(&path) || has_control(&query) {
        let error = AppError::InvalidInput(vec![FieldError::form(CONTROL_MESSAGE)]);
        let response = if super::error::is_api_path(req.path()) {
            ApiError::json_response(&error)
        } else {
            actix_web::ResponseError::error_response(&error)
        };
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// HEAD is answered as GET: uptime monitors and link checkers ask with HEAD, and a route
/// made with `web::get()` answers it 404. Only the routing changes; actix's HTTP/1 codec
/// noted the request was HEAD when it read it, and sends the headers without the body.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    next.call(req).await
}

/// A date as a date field sends it (2027-01-01) or as people type it (1-1-2027, 01-01-2027).
pub fn date(typed: &str) -> Option<chrono::NaiveDate> {
    let typed = typed.trim();
    chrono::NaiveDate::parse_from_str(typed, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(typed, "%d-%m-%Y"))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_and_ordinary_text_passes() {
        for bad in [
            "a\0b",
            "\u{1}",
            "x\u{7f}",
            "\u{1b}[31m",
            "\u{85}",
            "\u{feff}tekst",
        ] {
            assert!(has_control(bad), "{bad:?}");
        }
        for good in ["", "Zoë's café", "regel 1\r\nregel 2\tmet tab", "😀", "a–b"] {
            assert!(!has_control(good), "{good:?}");
        }
    }

    #[test]
    fn direction_overrides_and_zero_width_characters_are_found() {
        for bad in [
            "Jeugdhulp\u{200b}Kompas",
            "\u{202e}SAPMOK PLUHDGUEJ",
            "a\u{2066}b\u{2069}",
            "\u{200f}x",
            "woord\u{2060}voeger",
        ] {
            assert!(has_invisible(bad), "{bad:?}");
        }
        for good in ["Jeugdhulp Kompas", "Zoë's café", "مرحبا", "a–b", "😀"] {
            assert!(!has_invisible(good), "{good:?}");
        }
    }

    #[test]
    fn a_date_as_the_field_sends_it_or_as_people_type_it() {
        let day = chrono::NaiveDate::from_ymd_opt(2027, 1, 1);
        assert_eq!(super::date("2027-01-01"), day);
        assert_eq!(super::date(" 1-1-2027 "), day);
        assert_eq!(super::date("01-01-2027"), day);
        assert_eq!(super::date("1 januari"), None);
        assert_eq!(super::date("31-2-2027"), None);
    }
}
