//! `Subscription::matches` and quiet hours.

use chrono::{TimeZone, Utc};
use chrono_tz::{Asia::Seoul, UTC};
use sokbo::model::{ChatId, QuietHours, Subscription};

use super::{alert, set, strings};

fn sub(categories: &[&str]) -> Subscription {
    Subscription {
        categories: set(categories),
        ..Subscription::new(ChatId::telegram(1))
    }
}

#[test]
fn categories_all_pause_and_inactive() {
    let a = alert("금리 인상", "한국은행이 금리를 올렸다.", &["경제", "IT"]);
    let cases = [
        (sub(&["경제"]), true),
        (sub(&["it"]), true),
        (sub(&["정치"]), false),
        (sub(&[]), false),
        (
            Subscription {
                all: true,
                ..sub(&[])
            },
            true,
        ),
        (
            Subscription {
                paused: true,
                ..sub(&["경제"])
            },
            false,
        ),
        (
            Subscription {
                inactive: Some("kicked".into()),
                all: true,
                ..sub(&[])
            },
            false,
        ),
    ];
    for (s, want) in cases {
        assert_eq!(s.matches(&a), want, "{s:?}");
    }
    let uncategorized = alert("속보", "", &[]);
    assert!(!sub(&["경제"]).matches(&uncategorized));
    assert!(
        Subscription {
            all: true,
            ..sub(&[])
        }
        .matches(&uncategorized)
    );
}

#[test]
fn include_and_exclude_keywords() {
    let a = alert("반도체 수출 급증", "AI 칩 수요가 늘었다.", &["경제"]);
    let with = |include: &[&str], exclude: &[&str]| Subscription {
        include: strings(include),
        exclude: strings(exclude),
        ..sub(&["경제"])
    };
    let cases = [
        (with(&["반도체"], &[]), true),
        (with(&["ai"], &[]), true),
        (with(&["자동차", "칩"], &[]), true),
        (with(&["자동차"], &[]), false),
        (with(&[], &["광고"]), true),
        (with(&[], &["수출"]), false),
        (with(&[], &["ai"]), false),
        (with(&["반도체"], &["수요"]), false),
        (with(&[" "], &[""]), false),
        (with(&[], &[" "]), true),
    ];
    for (s, want) in cases {
        assert_eq!(
            s.matches(&a),
            want,
            "include {:?} exclude {:?}",
            s.include,
            s.exclude
        );
    }
}

#[test]
fn quiet_hours_wrap_past_midnight() {
    let s = Subscription {
        quiet: QuietHours::new(23, 7),
        ..sub(&[])
    };
    let utc = |h, m| Utc.with_ymd_and_hms(2026, 3, 1, h, m, 0).unwrap();
    // Seoul is UTC+9: 14:00 UTC is 23:00 there.
    assert!(!s.is_quiet(utc(13, 59), Seoul));
    assert!(s.is_quiet(utc(14, 0), Seoul));
    assert!(s.is_quiet(utc(17, 0), Seoul));
    assert!(s.is_quiet(utc(21, 59), Seoul));
    assert!(!s.is_quiet(utc(22, 0), Seoul));
    assert!(!s.is_quiet(utc(14, 0), UTC));

    let day = Subscription {
        quiet: QuietHours::new(9, 18),
        ..sub(&[])
    };
    assert!(day.is_quiet(utc(9, 0), UTC));
    assert!(day.is_quiet(utc(17, 59), UTC));
    assert!(!day.is_quiet(utc(18, 0), UTC));
    assert!(!day.is_quiet(utc(8, 59), UTC));
    assert!(!sub(&[]).is_quiet(utc(3, 0), UTC));
}

#[test]
fn quiet_hours_bounds() {
    assert_eq!(
        QuietHours::new(22, 24),
        Some(QuietHours {
            start_hour: 22,
            end_hour: 0
        })
    );
    assert_eq!(QuietHours::new(24, 3), None);
    assert_eq!(QuietHours::new(3, 3), None);
    assert_eq!(QuietHours::new(0, 25), None);
    let q = QuietHours::new(0, 1).unwrap();
    assert_eq!(
        (0..24).filter(|h| q.contains(*h)).collect::<Vec<_>>(),
        vec![0]
    );
    let q = QuietHours::new(22, 2).unwrap();
    assert_eq!(
        (0..24).filter(|h| q.contains(*h)).collect::<Vec<_>>(),
        vec![0, 1, 22, 23]
    );
}

#[test]
fn a_followed_feed_passes_unless_chosen_categories_or_keywords_say_otherwise() {
    let plain = alert("구청 제설 대책", "눈이 오면 바로 치운다.", &[]);
    let economy = alert("금리 인상", "한국은행이 금리를 올렸다.", &["경제"]);
    let sports = alert("야구 개막", "프로야구가 개막했다.", &["스포츠"]);
    let nothing_chosen = sub(&[]);
    let chose_economy = sub(&["경제"]);
    let everything = Subscription {
        all: true,
        ..sub(&[])
    };
    let no_snow = Subscription {
        exclude: strings(&["눈"]),
        ..sub(&[])
    };
    let paused = Subscription {
        paused: true,
        ..sub(&[])
    };
    let got = |s: &Subscription| [&plain, &economy, &sports].map(|a| s.matches_followed(a));
    assert_eq!(got(&nothing_chosen), [true, true, true]);
    assert_eq!(got(&everything), [true, true, true]);
    // Posts without categories still arrive; categorized ones must be among the chosen.
    assert_eq!(got(&chose_economy), [true, true, false]);
    assert_eq!(got(&no_snow), [false, true, true]);
    assert_eq!(got(&paused), [false, false, false]);
    // The operator's feeds still need a category the chat chose.
    assert!(!nothing_chosen.matches(&plain));
}
