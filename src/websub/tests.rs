//! Unit tests of the subscription record's transitions and the next step (whole values).

use super::*;

const NOW: i64 = 1_700_000_000;
const MAX_BACKOFF: i64 = 6 * 3600;

fn found() -> Discovery {
    Discovery {
        hub: "https://hub.example/".into(),
        topic: "https://news.example/feed.xml".into(),
    }
}

fn pending() -> Subscription {
    Subscription {
        hub: "https://hub.example/".into(),
        topic: "https://news.example/feed.xml".into(),
        secret: "aa".into(),
        state: SubState::Pending,
        awaiting: true,
        requested_at: NOW,
        lease_expires: None,
        next_attempt: NOW + VERIFY_WAIT_SECS,
        failures: 0,
        last_error: None,
    }
}

#[test]
fn a_first_request_makes_a_pending_record_with_the_fresh_secret() {
    assert_eq!(
        Subscription::requested(None, &found(), "aa".into(), NOW),
        pending()
    );
}

#[test]
fn verification_starts_the_lease_and_plans_renewal_at_85_percent() {
    let verified = pending().verified(1000, NOW + 5);
    assert_eq!(
        verified,
        Subscription {
            state: SubState::Verified,
            awaiting: false,
            lease_expires: Some(NOW + 1005),
            next_attempt: NOW + 5 + 850,
            ..pending()
        }
    );
    assert!(verified.is_healthy(NOW + 1004));
    assert!(!verified.is_healthy(NOW + 1005));
    assert_eq!(verified.label(NOW + 1005), "expired");
    assert_eq!(pending().verified(2, NOW).next_attempt, NOW + 1);
    assert_eq!(pending().verified(0, NOW).next_attempt, NOW + 1);
}

#[test]
fn a_renewal_keeps_secret_state_and_lease() {
    let verified = pending().verified(1000, NOW);
    let renewal = Subscription::requested(Some(verified.clone()), &found(), "bb".into(), NOW + 850);
    assert_eq!(
        renewal,
        Subscription {
            awaiting: true,
            requested_at: NOW + 850,
            next_attempt: NOW + 850 + VERIFY_WAIT_SECS,
            ..verified
        }
    );
}

#[test]
fn an_unanswered_request_counts_as_a_failure_when_sent_again() {
    let again = Subscription::requested(Some(pending()), &found(), "bb".into(), NOW + 300);
    assert_eq!(
        again,
        Subscription {
            requested_at: NOW + 300,
            next_attempt: NOW + 300 + VERIFY_WAIT_SECS,
            failures: 1,
            last_error: Some("the hub did not verify the last request".into()),
            ..pending()
        }
    );
}

#[test]
fn another_hub_or_topic_starts_over_with_the_new_secret() {
    let moved = Discovery {
        hub: "https://other.example/".into(),
        ..found()
    };
    let verified = pending().verified(1000, NOW);
    assert_eq!(
        Subscription::requested(Some(verified), &moved, "cc".into(), NOW + 1),
        Subscription {
            hub: "https://other.example/".into(),
            secret: "cc".into(),
            requested_at: NOW + 1,
            next_attempt: NOW + 1 + VERIFY_WAIT_SECS,
            ..pending()
        }
    );
}

#[test]
fn failures_and_denials_back_off() {
    let failed = pending().request_failed("hub answered HTTP 500".into(), NOW, MAX_BACKOFF);
    assert_eq!(
        failed,
        Subscription {
            state: SubState::Failed,
            awaiting: false,
            next_attempt: NOW + 60,
            failures: 1,
            last_error: Some("hub answered HTTP 500".into()),
            ..pending()
        }
    );
    let denied = failed.denied(Some("no".into()), NOW + 60, MAX_BACKOFF);
    assert_eq!(
        denied,
        Subscription {
            state: SubState::Denied,
            awaiting: false,
            next_attempt: NOW + 60 + 120,
            failures: 2,
            last_error: Some("no".into()),
            ..pending()
        }
    );
    let verified = pending().verified(1000, NOW);
    let renewal_failed = verified
        .clone()
        .request_failed("x".into(), NOW + 900, MAX_BACKOFF);
    assert_eq!(renewal_failed.state, SubState::Verified);
    assert!(renewal_failed.is_healthy(NOW + 900));
}

#[test]
fn backoff_doubles_up_to_the_cap() {
    let delays: Vec<i64> = [0, 1, 2, 3, 9, 10, 64, u32::MAX]
        .iter()
        .map(|f| backoff(*f, MAX_BACKOFF))
        .collect();
    assert_eq!(delays, [60, 60, 120, 240, 15_360, 21_600, 21_600, 21_600]);
    assert_eq!(backoff(3, 10), 60);
}

#[test]
fn step_subscribes_when_new_moved_or_due() {
    let verified = pending().verified(1000, NOW);
    let moved = Discovery {
        topic: "https://news.example/other.xml".into(),
        ..found()
    };
    let steps = [
        step(None, &found(), NOW),
        step(Some(&verified), &moved, NOW),
        step(Some(&verified), &found(), NOW + 849),
        step(Some(&verified), &found(), NOW + 850),
    ];
    assert_eq!(
        steps,
        [
            Step::Subscribe { fresh_secret: true },
            Step::Subscribe { fresh_secret: true },
            Step::Wait { until: NOW + 850 },
            Step::Subscribe {
                fresh_secret: false
            },
        ]
    );
}

#[test]
fn debug_hides_the_secret_and_ids_are_url_safe() {
    let text = format!(
        "{:?}",
        Subscription {
            secret: "0123456789abcdef-secret".into(),
            ..pending()
        }
    );
    assert!(text.contains("secret: \"<redacted>\""), "{text}");
    assert!(!text.contains("0123456789abcdef-secret"));
    let id = callback_id("경제 뉴스/feed");
    assert_eq!(id.len(), 16);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(id, callback_id("경제 뉴스/feed"));
    assert_ne!(id, callback_id("경제 뉴스/feed2"));
    let secret = new_secret().expect("the OS has randomness");
    assert_eq!(secret.len(), 64);
    assert_ne!(secret, new_secret().expect("the OS has randomness"));
}
