//! Post dates as Jekyll reads them: front matter date strings and the `YYYY-MM-DD-` file name prefix.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Parses a front matter date: "2024-11-24 09:30:00 +0900", "2024-11-24T09:30:00+09:00",
/// "2024-11-24 09:30", "2024-11-24". A date without an offset is in `tz`.
pub fn parse_date(text: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let text = text.trim();
    let text = normalize_zone_name(text);
    if let Ok(dt) = DateTime::parse_from_rfc3339(&text) {
        return Some(dt.with_timezone(&Utc));
    }
    const WITH_OFFSET: &[&str] = &[
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M:%S%.f %z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M %z",
        "%Y-%m-%dT%H:%M%z",
    ];
    for format in WITH_OFFSET {
        if let Ok(dt) = DateTime::parse_from_str(&text, format) {
            return Some(dt.with_timezone(&Utc));
        }
    }
    const LOCAL: &[&str] = &[
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ];
    for format in LOCAL {
        if let Ok(naive) = NaiveDateTime::parse_from_str(&text, format) {
            return local(naive, tz);
        }
    }
    let date = NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()?;
    local(date.and_time(NaiveTime::MIN), tz)
}

/// "… UTC" / "… GMT" / "… Z" → "… +0000", so the offset formats read them.
fn normalize_zone_name(text: &str) -> String {
    for name in [" UTC", " GMT", " Z"] {
        if let Some(head) = text.strip_suffix(name) {
            return format!("{head} +0000");
        }
    }
    text.to_owned()
}

/// A wall-clock time in `tz`; in a DST gap, the earliest valid reading.
fn local(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|dt| dt.with_timezone(&Utc))
}

/// Splits a file stem "2024-11-24-slug" into ("2024-11-24", "slug"), as Jekyll's
/// `DATE_FILENAME_MATCHER` does (4-digit year, 1–2 digit month and day).
pub fn split_dated_stem(stem: &str) -> Option<(&str, &str)> {
    let mut parts = stem.splitn(4, '-');
    let year = parts.next()?;
    let month = parts.next()?;
    let day = parts.next()?;
    let slug = parts.next()?;
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if digits(year, 4, 4) && digits(month, 1, 2) && digits(day, 1, 2) {
        let date_len = year.len() + month.len() + day.len() + 2;
        Some((&stem[..date_len], slug))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEOUL: Tz = chrono_tz::Asia::Seoul;

    fn utc(s: &str) -> Option<DateTime<Utc>> {
        Some(DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc))
    }

    #[test]
    fn jekyll_formats() {
        let want = utc("2024-11-24T00:30:00Z");
        assert_eq!(parse_date("2024-11-24 09:30:00 +0900", SEOUL), want);
        assert_eq!(parse_date("2024-11-24 09:30:00 +09:00", SEOUL), want);
        assert_eq!(parse_date("2024-11-24T09:30:00+09:00", SEOUL), want);
        assert_eq!(parse_date(" 2024-11-24 09:30:00+0900 ", SEOUL), want);
        assert_eq!(parse_date("2024-11-24 00:30:00 UTC", SEOUL), want);
        assert_eq!(parse_date("2024-11-24T00:30:00Z", SEOUL), want);
        assert_eq!(parse_date("2024-11-24 09:30 +0900", SEOUL), want);
    }

    #[test]
    fn dates_without_offset_are_in_the_site_zone() {
        assert_eq!(
            parse_date("2024-11-24 09:30:00", SEOUL),
            utc("2024-11-24T00:30:00Z")
        );
        assert_eq!(parse_date("2024-11-24", SEOUL), utc("2024-11-23T15:00:00Z"));
        assert_eq!(
            parse_date("2024-11-24", chrono_tz::UTC),
            utc("2024-11-24T00:00:00Z")
        );
        // 02:30 does not exist in New York on 2024-03-10.
        assert_eq!(
            parse_date("2024-03-10 02:30", chrono_tz::America::New_York),
            utc("2024-03-10T07:30:00Z")
        );
    }

    #[test]
    fn rejects_non_dates() {
        assert_eq!(parse_date("yesterday", SEOUL), None);
        assert_eq!(parse_date("2024-13-01", SEOUL), None);
        assert_eq!(parse_date("", SEOUL), None);
    }

    #[test]
    fn dated_stems() {
        assert_eq!(
            split_dated_stem("2024-11-24-관세청-회의"),
            Some(("2024-11-24", "관세청-회의"))
        );
        assert_eq!(split_dated_stem("2024-1-5-a-b"), Some(("2024-1-5", "a-b")));
        assert_eq!(split_dated_stem("2024-11-24-"), Some(("2024-11-24", "")));
        assert_eq!(split_dated_stem("2024-11-24"), None);
        assert_eq!(split_dated_stem("24-11-24-x"), None);
        assert_eq!(split_dated_stem("관세-11-24-x"), None);
        assert_eq!(split_dated_stem("seed"), None);
    }
}
