//! Input the database cannot keep, refused at the edge: control characters (NUL first of all,
//! which PostgreSQL refuses in text and SQLite would store) in the path, the query string and
//! every form field, with the same Dutch message on both backends. Tabs and line breaks are
//! ordinary text.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use super::{ApiError, AppError, FieldError};

pub const CONTROL_MESSAGE: &str = "Hier staat een teken dat wij niet kunnen opslaan (een stuurteken). Haal het weg en probeer het opnieuw.";

/// A control character other than tab, line feed or carriage return.
pub fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{feff}')
}

/// What a field says when it holds a BSN.
pub const BSN_MESSAGE: &str = "Dit lijkt op een burgerservicenummer (BSN). Vul nooit een BSN in: wij bewaren geen nummers waarmee iemand te herkennen is.";

/// Nine digits pass the "elfproef" of a Dutch citizen service number (BSN): the weighted
/// sum 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of eleven, and not zero.
pub fn elfproef(digits: &[u32]) -> bool {
    if digits.len() != 9 {
        return false;
    }
    let sum: i64 = digits
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(d, w)| w * i64::from(*d))
        .sum();
    sum != 0 && sum % 11 == 0
}

/// Whether the text holds a BSN anywhere: nine digits that pass the elfproef, also when
/// written in groups split by spaces, dots, dashes, underscores or slashes (`111 222 333`,
/// `111.222.333`, `bsn-123456782`, `111222333/26`). Groups are taken whole, so a phone
/// number (`015 123 45 67`) or a longer number is not mistaken for one.
pub fn contains_bsn(text: &str) -> bool {
    let mut runs: Vec<Vec<Vec<u32>>> = vec![Vec::new()];
    let mut group: Vec<u32> = Vec::new();
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            group.push(d);
            continue;
        }
        if !group.is_empty() {
            if let Some(run) = runs.last_mut() {
                run.push(std::mem::take(&mut group));
            }
        }
        if !matches!(c, ' ' | '.' | '-' | '_' | '/') {
            runs.push(Vec::new());
        }
    }
    if !group.is_empty() {
        if let Some(run) = runs.last_mut() {
            run.push(group);
        }
    }
    runs.iter().any(|groups| {
        (0..groups.len()).any(|start| {
            let mut digits = Vec::new();
            for g in &groups[start..] {
                digits.extend_from_slice(g);
                if digits.len() >= 9 {
                    break;
                }
            }
            elfproef(&digits)
        })
    })
}

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
        let response = if req.path().starts_with("/api/") {
            ApiError::json_response(&error)
        } else {
            actix_web::ResponseError::error_response(&error)
        };
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bsn_is_found_however_it_is_written() {
        for text in [
            "111222333",
            "123456782",
            "BSN111222333",
            "bsn:111222333",
            "111222333/26",
            "111_222_333",
            "BSN: 111.222.333",
            "BSN 111 222 333",
            "111.222.333",
            "bsn-123456782",
            "traject-111222333",
            "moeder belde, nummer 111-22-2333 genoemd",
        ] {
            assert!(contains_bsn(text), "{text}");
        }
        for text in [
            "",
            "123456789",
            "12345678",
            "1234567890",
            "1112223334",
            "100000009",
            "000000000",
            "015 123 45 67",
            "2611 AB Delft",
            "KvK 9123 4567",
            "DLF-2026-0001",
            "R-2025-000123",
        ] {
            assert!(!contains_bsn(text), "{text}");
        }
    }

    #[test]
    fn the_elfproef_is_the_weighted_sum_modulo_eleven_and_never_zero() {
        let digits = |s: &str| s.chars().filter_map(|c| c.to_digit(10)).collect::<Vec<_>>();
        assert!(elfproef(&digits("111222333")));
        assert!(!elfproef(&digits("111222334")));
        // 9·1 + 0 + … − 9 = 0: a multiple of eleven, but not a BSN.
        assert!(!elfproef(&digits("100000009")));
        assert!(!elfproef(&digits("11122233")));
    }

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
}
