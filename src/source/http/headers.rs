//! Response header readings (pure): Cache-Control/Expires freshness and Retry-After.

use std::time::{Duration, SystemTime};

use reqwest::header::{AGE, CACHE_CONTROL, DATE, EXPIRES, HeaderMap, RETRY_AFTER};

/// How long the response says it stays fresh: `Cache-Control: max-age` (less `Age`), else
/// `Expires` minus `Date` (or minus `now` without a Date). `None` when absent, zero or past.
pub(crate) fn cache_hint(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let max_age = headers
        .get_all(CACHE_CONTROL)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .find_map(|directive| {
            let (name, value) = directive.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("max-age")
                .then(|| value.trim().trim_matches('"').parse::<u64>().ok())
                .flatten()
        });
    let fresh = match max_age {
        Some(secs) => {
            let age = header_str(headers, AGE).and_then(|a| a.trim().parse::<u64>().ok());
            Duration::from_secs(secs.saturating_sub(age.unwrap_or(0)))
        }
        None => {
            let expires = httpdate::parse_http_date(header_str(headers, EXPIRES)?).ok()?;
            let date = header_str(headers, DATE)
                .and_then(|d| httpdate::parse_http_date(d).ok())
                .unwrap_or(now);
            expires.duration_since(date).ok()?
        }
    };
    (!fresh.is_zero()).then_some(fresh)
}

/// `Retry-After` as delay-seconds or an HTTP-date (relative to `now`; a past date is zero).
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = header_str(headers, RETRY_AFTER)?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

fn header_str(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    fn at(secs: u64) -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
    }

    // 1_700_000_000 = Tue, 14 Nov 2023 22:13:20 GMT
    const NOW: u64 = 1_700_000_000;

    #[test]
    fn cache_hint_from_max_age_and_expires() {
        let h = headers(&[("cache-control", "public, max-age=600"), ("age", "100")]);
        assert_eq!(cache_hint(&h, at(NOW)), Some(Duration::from_secs(500)));
        let h = headers(&[
            ("cache-control", "no-cache"),
            ("cache-control", "max-age=\"90\""),
        ]);
        assert_eq!(cache_hint(&h, at(NOW)), Some(Duration::from_secs(90)));
        let h = headers(&[
            ("date", "Tue, 14 Nov 2023 22:13:20 GMT"),
            ("expires", "Tue, 14 Nov 2023 22:43:20 GMT"),
        ]);
        assert_eq!(cache_hint(&h, at(0)), Some(Duration::from_secs(1800)));
        let h = headers(&[("expires", "Tue, 14 Nov 2023 22:23:20 GMT")]);
        assert_eq!(cache_hint(&h, at(NOW)), Some(Duration::from_secs(600)));
        let h = headers(&[("expires", "0")]);
        assert_eq!(cache_hint(&h, at(NOW)), None);
        let h = headers(&[("cache-control", "max-age=0")]);
        assert_eq!(cache_hint(&h, at(NOW)), None);
        assert_eq!(cache_hint(&HeaderMap::new(), at(NOW)), None);
    }

    #[test]
    fn retry_after_seconds_or_date() {
        let h = headers(&[("retry-after", " 120 ")]);
        assert_eq!(retry_after(&h, at(NOW)), Some(Duration::from_secs(120)));
        let h = headers(&[("retry-after", "Tue, 14 Nov 2023 22:15:00 GMT")]);
        assert_eq!(retry_after(&h, at(NOW)), Some(Duration::from_secs(100)));
        assert_eq!(retry_after(&h, at(NOW + 1000)), Some(Duration::ZERO));
        let h = headers(&[("retry-after", "soon")]);
        assert_eq!(retry_after(&h, at(NOW)), None);
    }
}
