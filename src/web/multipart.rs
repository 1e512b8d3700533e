//! Multipart forms (file uploads), read one way: the CSRF token first, then the fields with
//! one limit on their total size. Every form here puts its token first, as browsers send
//! fields in document order; a request whose first field is not a valid token is refused
//! before any file is read.

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::HttpRequest;
use futures_util::StreamExt;

use super::{AppError, FieldError, csrf};

/// The fields of a form, by name.
pub struct Fields(HashMap<String, Vec<u8>>);

impl Fields {
    /// A text field, empty when absent.
    pub fn text(&self, name: &str) -> String {
        self.0
            .get(name)
            .map(|b| String::from_utf8_lossy(b).into_owned())
            .unwrap_or_default()
    }

    /// A file field's bytes; `None` when absent or empty.
    pub fn take(&mut self, name: &str) -> Option<Vec<u8>> {
        self.0.remove(name).filter(|b| !b.is_empty())
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
    let mut fields = HashMap::new();
    let mut total = 0;
    let mut verified = false;
    while let Some(part) = payload.next().await {
        let mut part = part.map_err(|_| refused(broken))?;
        let name = part.name().unwrap_or("").to_owned();
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
        fields.insert(name, bytes);
    }
    if !verified {
        csrf::verify(req, None)?;
    }
    Ok(Fields(fields))
}
