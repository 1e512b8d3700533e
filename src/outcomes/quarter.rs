//! The calendar quarter that score reports are made for.

use chrono::{Datelike, Months, NaiveDate};

/// A calendar quarter, written "2026-K1" (K for kwartaal).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    pub year: i32,
    pub number: u32,
}

impl Quarter {
    pub fn of(date: NaiveDate) -> Quarter {
        Quarter {
            year: date.year(),
            number: (date.month() - 1) / 3 + 1,
        }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, (self.number - 1) * 3 + 1, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        self.first_day()
            .checked_add_months(Months::new(3))
            .and_then(|d| d.pred_opt())
            .unwrap_or(NaiveDate::MAX)
    }

    /// The first day of the twelve months that end with this quarter.
    pub fn twelve_months_start(self) -> NaiveDate {
        self.last_day()
            .succ_opt()
            .and_then(|d| d.checked_sub_months(Months::new(12)))
            .unwrap_or(NaiveDate::MIN)
    }

    pub fn code(self) -> String {
        format!("{}-K{}", self.year, self.number)
    }

    pub fn parse(code: &str) -> Option<Quarter> {
        let (year, number) = code.split_once("-K")?;
        let quarter = Quarter {
            year: year.parse().ok()?,
            number: number.parse().ok()?,
        };
        (1..=4).contains(&quarter.number).then_some(quarter)
    }

    pub fn label(self) -> String {
        format!("{}e kwartaal {}", self.number, self.year)
    }

    pub fn previous(self) -> Quarter {
        if self.number == 1 {
            Quarter {
                year: self.year - 1,
                number: 4,
            }
        } else {
            Quarter {
                year: self.year,
                number: self.number - 1,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_have_their_days_codes_and_twelve_months() {
        let q = Quarter::of(NaiveDate::from_ymd_opt(2026, 5, 17).expect("date"));
        assert_eq!(q.code(), "2026-K2");
        assert_eq!(q.first_day().to_string(), "2026-04-01");
        assert_eq!(q.last_day().to_string(), "2026-06-30");
        assert_eq!(q.twelve_months_start().to_string(), "2025-07-01");
        assert_eq!(Quarter::parse("2026-K2"), Some(q));
        assert_eq!(Quarter::parse("2026-K5"), None);
        assert_eq!(
            Quarter::of(NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"))
                .last_day()
                .to_string(),
            "2026-12-31"
        );
        assert_eq!(q.previous().previous().code(), "2025-K4");
    }
}
