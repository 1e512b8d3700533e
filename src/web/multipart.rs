//! Multipart forms (file uploads), read one way: the CSRF token first, then the fields with
//! one limit on their total size. Every form here puts its token first, as browsers send
//! fields in document order; a request whose first field is not a valid token is refused
//! before any file is read.

use actix_multipart::Multipart;
use actix_web::HttpRequest;
use futures_util::StreamExt;

use super::{AppError, FieldError, csrf};

/// The fields of a form, in the order sent: name, file name (empty for a text field), bytes.
pub struct Fields(Vec<(String, String, Vec<u8>)>);

impl Fields {
    /// A text field, empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(n, _, _)| n == name)
            .map(|(_, _, b)| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    /// A file field's bytes; `None` when absent or empty.
    pub fn take(&mut self, name: &str) -> Option<Vec<u8>> {
        let at = self.0.iter().position(|(n, _, _)| n == name)?;
        Some(self.0.swap_remove(at).2).filter(|b| !b.is_empty())
    }

    /// Every file sent under this name (an `<input type=file multiple>`), with its file
    /// name; empty parts (no file chosen) left out.
    pub fn take_all(&mut self, name: &str) -> Vec<(String, Vec<u8>)> {
        let (wanted, rest) = std::mem::take(&mut self.0)
            .into_iter()
            .partition(|(n, _, _)| n == name);
        self.0 = rest;
        wanted
            .into_iter()
            .filter(|(_, _, b): &(String, String, Vec<u8>)| !b.is_empty())
            .map(|(_, file, bytes)| (file, bytes))
            .collect()
    }
}

/// Reads the form. `field` names where an error shows; `too_large` says the limit in Dutch.
pub async fn read(
    req: &HttpRequest,
    mut payload: Multipart,
    max_bytes: usize,
    field: &str,
    too_large: &str,
) -> Result<Fields, AppError> {
    let refused = |message: &str| AppError::InvalidInput(vec![FieldError::new(field, message)]);
    let broken = "Het bestand kwam niet goed aan. Probeer het opnieuw.";
    let mut fields = Vec::new();
    let mut total = 0;
    let mut verified = false;
    while let Some(part) = payload.next().await {
        let mut part = part.map_err(|_| refused(broken))?;
        let name = part.name().unwrap_or("").to_owned();
        let file_name = part
            .content_disposition()
            .and_then(|d| d.get_filename())
            .unwrap_or("")
            .to_owned();
        if !verified && name != "csrf" {
            return Err(csrf::verify(req, None).err().unwrap_or(refused(broken)));
        }
        // A token is 64 characters: a longer "token" is not read any further.
        let limit = if verified { max_bytes } else { 128 };
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(|_| refused(broken))?;
            total += chunk.len();
            if total > max_bytes || bytes.len() + chunk.len() > limit {
                return Err(if verified {
                    refused(too_large)
                } else {
                    csrf::verify(req, None).err().unwrap_or(refused(broken))
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        if name == "csrf" && !verified {
            csrf::verify(req, Some(&String::from_utf8_lossy(&bytes)))?;
            verified = true;
        }
        fields.push((name, file_name, bytes));
    }
    if !verified {
        csrf::verify(req, None)?;
    }
    Ok(Fields(fields))
}
