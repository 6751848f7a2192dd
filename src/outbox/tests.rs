//! Outbox keys, targets and the retry backoff.

use super::*;

#[test]
fn keys_order_breaking_first_then_arrival() {
    let mut keys = [
        OutboxKey::new(false, 1),
        OutboxKey::new(true, 7),
        OutboxKey::new(false, 0),
    ];
    keys.sort_by_key(|k| k.to_bytes());
    assert_eq!(
        keys,
        [
            OutboxKey::new(true, 7),
            OutboxKey::new(false, 0),
            OutboxKey::new(false, 1)
        ]
    );
    assert_eq!(
        OutboxKey::from_bytes(&OutboxKey::new(true, 258).to_bytes()),
        Some(OutboxKey::new(true, 258))
    );
    assert_eq!(OutboxKey::from_bytes(&[1, 2]), None);
}

#[test]
fn backoff_grows_and_caps() {
    assert!((1000..=1250).contains(&backoff(1).as_millis()));
    assert!((4000..=5000).contains(&backoff(3).as_millis()));
    assert!((256_000..=320_000).contains(&backoff(30).as_millis()));
}
