//! Lane order, readiness, waits, removal and retargeting.

use std::time::{Duration, Instant};

use super::*;

fn chat(id: &str) -> Target {
    Target::TelegramChat { chat: id.into() }
}

fn k(breaking: bool, seq: u64) -> OutboxKey {
    OutboxKey::new(breaking, seq)
}

/// Starts and finishes every ready head of platform 0 in turn; returns (chat, seq) in order.
fn drain(lanes: &mut Lanes) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    while let Some(head) = lanes.peek(0) {
        lanes.start(head);
        let Some(Target::TelegramChat { chat }) = lanes.target(head.lane).cloned() else {
            panic!("telegram lane");
        };
        out.push((chat, head.key.seq));
        lanes.finish(head.lane, head.key);
    }
    out
}

#[test]
fn breaking_heads_go_first_and_each_chat_keeps_its_order() {
    let mut lanes = Lanes::new(1);
    lanes.push(0, &chat("1"), k(false, 1), false);
    lanes.push(0, &chat("1"), k(false, 2), true);
    lanes.push(0, &chat("2"), k(false, 3), false);
    lanes.push(0, &chat("3"), k(true, 4), false);
    lanes.push(0, &chat("1"), k(false, 2), true);
    assert_eq!(lanes.len(), 4);
    assert_eq!(
        drain(&mut lanes),
        vec![
            ("3".into(), 4),
            ("1".into(), 1),
            ("1".into(), 2),
            ("2".into(), 3)
        ]
    );
    assert_eq!(lanes.len(), 0);
    assert_eq!(lanes.lane_count(), 0);
}

#[test]
fn one_in_flight_per_lane() {
    let mut lanes = Lanes::new(1);
    lanes.push(0, &chat("1"), k(false, 1), false);
    lanes.push(0, &chat("1"), k(false, 2), false);
    lanes.push(0, &chat("2"), k(false, 3), false);
    let first = lanes.peek(0).unwrap();
    lanes.start(first);
    let second = lanes.peek(0).unwrap();
    assert_eq!(
        (second.key.seq, lanes.target(second.lane)),
        (3, Some(&chat("2")))
    );
    lanes.start(second);
    assert_eq!(lanes.peek(0), None, "chat 1's second waits for its first");
    // A breaking alert for a busy chat waits too; it goes first once the lane is free.
    lanes.push(0, &chat("1"), k(true, 9), false);
    assert_eq!(lanes.peek(0), None);
    lanes.finish(first.lane, first.key);
    assert_eq!(lanes.peek(0).map(|h| h.key), Some(k(true, 9)));
}

#[test]
fn waiting_lanes_come_back_when_due() {
    let mut lanes = Lanes::new(1);
    let t = Instant::now();
    lanes.push(0, &chat("1"), k(false, 1), false);
    lanes.push(0, &chat("2"), k(false, 2), false);
    let head = lanes.peek(0).unwrap();
    lanes.wait(head.lane, t + Duration::from_secs(1));
    assert_eq!(lanes.peek(0).map(|h| h.key.seq), Some(2));
    assert_eq!(lanes.next_timer(), Some(t + Duration::from_secs(1)));
    lanes.wake_due(t + Duration::from_millis(999));
    assert_eq!(lanes.next_timer(), Some(t + Duration::from_secs(1)));
    lanes.wake_due(t + Duration::from_secs(1));
    assert_eq!(lanes.next_timer(), None);
    assert_eq!(lanes.peek(0).map(|h| h.key.seq), Some(1));
}

#[test]
fn platforms_have_their_own_ready_sets() {
    let mut lanes = Lanes::new(2);
    lanes.push(
        1,
        &Target::DiscordChannel { channel: 5 },
        k(false, 1),
        false,
    );
    lanes.push(0, &chat("1"), k(false, 2), false);
    assert_eq!(lanes.peek(0).map(|h| h.key.seq), Some(2));
    assert_eq!(lanes.peek(1).map(|h| h.key.seq), Some(1));
}

#[test]
fn removing_a_lane_returns_its_keys() {
    let mut lanes = Lanes::new(1);
    lanes.push(0, &chat("1"), k(false, 1), false);
    lanes.push(0, &chat("1"), k(true, 2), false);
    lanes.push(0, &chat("2"), k(false, 3), false);
    let head = lanes.peek(0).unwrap();
    lanes.start(head);
    assert_eq!(lanes.remove(head.lane), vec![k(true, 2), k(false, 1)]);
    assert_eq!(lanes.len(), 1);
    assert_eq!(drain(&mut lanes), vec![("2".into(), 3)]);
}

#[test]
fn retargeting_merges_into_the_new_chat_in_order() {
    let mut lanes = Lanes::new(1);
    lanes.push(0, &chat("-1"), k(false, 1), false);
    lanes.push(0, &chat("-1"), k(false, 4), true);
    lanes.push(0, &chat("-100"), k(false, 2), false);
    let head = lanes.peek(0).unwrap();
    lanes.start(head);
    let moved = lanes.retarget(head.lane, &chat("-100"));
    assert_eq!(moved, vec![(k(false, 1), false), (k(false, 4), true)]);
    assert_eq!(lanes.len(), 3);
    assert_eq!(
        drain(&mut lanes),
        vec![("-100".into(), 1), ("-100".into(), 2), ("-100".into(), 4)]
    );
}

#[test]
fn dropping_a_platform_leaves_the_others() {
    let mut lanes = Lanes::new(2);
    lanes.push(0, &chat("1"), k(false, 1), false);
    lanes.push(0, &chat("2"), k(false, 2), false);
    lanes.push(1, &chat("3"), k(false, 3), false);
    let head = lanes.peek(0).expect("a ready head");
    lanes.start(head);
    lanes.wait(
        lanes.peek(0).expect("second head").lane,
        Instant::now() + Duration::from_secs(9),
    );
    assert_eq!(lanes.drop_platform(0), 2);
    assert_eq!(lanes.len(), 1);
    assert_eq!(lanes.peek(0), None);
    assert_eq!(lanes.next_timer(), None);
    assert_eq!(lanes.peek(1).map(|h| h.key), Some(k(false, 3)));
    // A finish for a dropped lane is a no-op; the same chat gets a fresh lane.
    lanes.finish(head.lane, head.key);
    lanes.push(0, &chat("1"), k(false, 1), false);
    assert_eq!(lanes.peek(0).map(|h| h.key), Some(k(false, 1)));
}
