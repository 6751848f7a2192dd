//! Feed polling spread over a cluster, in the store (PostgreSQL): two claimers never hold the
//! same feed, a lapsed claim goes to another node, a lapsed holder's result is refused,
//! registration keeps what the store knows, claims stay within a node's config and within the
//! per-host bound, and a ping makes a feed due now. `nodes` runs whole nodes.

mod chat;
mod nodes;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use sokbo::model::FeedState;
use sokbo::storage::{ClaimAsk, Claimed, ClusterStore, FeedEntry, FeedSet, Store, StoreError};
use tokio::sync::Barrier;

use crate::support::postgres::fresh_database;

const WAIT: Duration = Duration::from_secs(30);
const HOUR: Duration = Duration::from_secs(3600);

async fn cluster(url: &str) -> ClusterStore {
    let store = Store::postgres(url, true).await.unwrap();
    store.cluster().expect("PostgreSQL has cluster operations")
}

/// A set of `names`, the i-th on host `h{i % hosts}`, all due at once.
fn set(names: &[String], hosts: usize) -> FeedSet {
    let entries = names.iter().enumerate().map(|(i, name)| FeedEntry {
        name: name.clone(),
        host: format!("h{}", i % hosts.max(1)),
        first_poll: Duration::ZERO,
    });
    FeedSet::new(entries.collect())
}

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

fn ask<'a>(holder: &'a str, set: &'a FeedSet, max: usize, ttl: Duration) -> ClaimAsk<'a> {
    ClaimAsk {
        holder,
        set_id: &set.id,
        max,
        per_host: 1000,
        lookahead: Duration::ZERO,
        ttl,
        chat_feeds: false,
    }
}

fn feeds_of(claimed: &[Claimed]) -> Vec<String> {
    let mut feeds: Vec<String> = claimed.iter().map(|c| c.claim.feed.clone()).collect();
    feeds.sort();
    feeds
}

/// Claims until `holder` gets something; panics after `WAIT`.
async fn claim_until_some(store: &ClusterStore, ask: &ClaimAsk<'_>) -> Vec<Claimed> {
    let deadline = tokio::time::Instant::now() + WAIT;
    loop {
        let got = store.claim_feeds(ask).await.unwrap();
        if !got.is_empty() {
            return got;
        }
        assert!(tokio::time::Instant::now() < deadline, "nothing to claim");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Claims in batches of 3 until nothing is left, starting with the other claimers; returns
/// every feed got.
async fn drain(
    store: ClusterStore,
    set: FeedSet,
    holder: &'static str,
    start: Arc<Barrier>,
) -> Vec<String> {
    let mut got = Vec::new();
    start.wait().await;
    loop {
        let batch = store
            .claim_feeds(&ask(holder, &set, 3, HOUR))
            .await
            .unwrap();
        if batch.is_empty() {
            return got;
        }
        got.extend(feeds_of(&batch));
        tokio::task::yield_now().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_claimers_never_get_the_same_due_feed() {
    let url = fresh_database().await;
    let (a, b) = (cluster(&url).await, cluster(&url).await);
    let feeds = set(&names("f", 300), 30);
    a.register_feeds(&feeds).await.unwrap();
    let start = Arc::new(Barrier::new(2));
    let (got_a, got_b) = tokio::join!(
        tokio::spawn(drain(a, feeds.clone(), "a", start.clone())),
        tokio::spawn(drain(b, feeds.clone(), "b", start)),
    );
    let (got_a, got_b) = (got_a.unwrap(), got_b.unwrap());
    let both: HashSet<&String> = got_a.iter().chain(&got_b).collect();
    assert_eq!(got_a.len() + got_b.len(), 300, "each feed claimed once");
    assert_eq!(both.len(), 300, "no feed claimed twice");
    eprintln!("claimed: a {}, b {}", got_a.len(), got_b.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lapsed_claim_goes_to_another_node_and_the_old_holder_is_fenced() {
    let url = fresh_database().await;
    let (a, b) = (cluster(&url).await, cluster(&url).await);
    let feeds = set(&names("f", 1), 1);
    a.register_feeds(&feeds).await.unwrap();
    let first = a.claim_feeds(&ask("a", &feeds, 5, HOUR)).await.unwrap();
    assert_eq!(feeds_of(&first), ["f0"]);
    assert!(
        b.claim_feeds(&ask("b", &feeds, 5, HOUR))
            .await
            .unwrap()
            .is_empty()
    );
    let held = [("f0".to_owned(), first[0].claim.number)];
    assert_eq!(a.renew_claims("a", &held, HOUR).await.unwrap(), ["f0"]);

    // "a" goes silent: its last renewal lets the claim lapse at once.
    a.renew_claims("a", &held, Duration::from_millis(1))
        .await
        .unwrap();
    let second = claim_until_some(&b, &ask("b", &feeds, 5, HOUR)).await;
    assert_eq!(second[0].claim.holder, "b");
    assert!(second[0].claim.number > first[0].claim.number);
    assert!(a.renew_claims("a", &held, HOUR).await.unwrap().is_empty());

    let mut late = FeedState {
        etag: Some("\"from-a\"".into()),
        ..FeedState::default()
    };
    let refused = a.finish_claim(&first[0].claim, &late, HOUR).await;
    assert!(
        matches!(refused, Err(StoreError::Fenced { .. })),
        "{refused:?}"
    );
    late.etag = Some("\"from-b\"".into());
    b.finish_claim(&second[0].claim, &late, HOUR).await.unwrap();
    let store = Store::postgres(&url, false).await.unwrap();
    let state = store.feed_state("f0").await.unwrap();
    assert_eq!(state.etag.as_deref(), Some("\"from-b\""));
    // Released by its result: the claim cannot be written twice.
    let again = b.finish_claim(&second[0].claim, &late, HOUR).await;
    assert!(matches!(again, Err(StoreError::Fenced { .. })), "{again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn registration_keeps_the_state_and_next_poll_of_known_feeds() {
    let url = fresh_database().await;
    let a = cluster(&url).await;
    let feeds = set(&names("f", 1), 1);
    a.register_feeds(&feeds).await.unwrap();
    let claimed = a.claim_feeds(&ask("a", &feeds, 5, HOUR)).await.unwrap();
    let state = FeedState {
        initialized: true,
        etag: Some("\"v1\"".into()),
        failures: 2,
        ..FeedState::default()
    };
    a.finish_claim(&claimed[0].claim, &state, HOUR)
        .await
        .unwrap();

    // Another node with more feeds registers: the known one keeps its state and next poll.
    let more = set(&names("f", 2), 1);
    cluster(&url).await.register_feeds(&more).await.unwrap();
    a.register_feeds(&feeds).await.unwrap();
    let store = Store::postgres(&url, false).await.unwrap();
    assert_eq!(store.feed_state("f0").await.unwrap(), state);
    let due = a.claim_feeds(&ask("a", &more, 5, HOUR)).await.unwrap();
    assert_eq!(feeds_of(&due), ["f1"], "f0 is not due for an hour");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_node_claims_only_the_feeds_its_config_holds() {
    let url = fresh_database().await;
    let (old, new) = (cluster(&url).await, cluster(&url).await);
    let before = set(&["gone".into(), "kept".into()], 1);
    let after = set(&["kept".into(), "added".into()], 1);
    old.register_feeds(&before).await.unwrap();
    new.register_feeds(&after).await.unwrap();
    let got = new
        .claim_feeds(&ask("new", &after, 10, HOUR))
        .await
        .unwrap();
    assert_eq!(feeds_of(&got), ["added", "kept"]);
    let got = old
        .claim_feeds(&ask("old", &before, 10, HOUR))
        .await
        .unwrap();
    assert_eq!(
        feeds_of(&got),
        ["gone"],
        "left to the node that still has it"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claims_in_flight_per_host_stay_within_the_bound_across_nodes() {
    let url = fresh_database().await;
    let (a, b) = (cluster(&url).await, cluster(&url).await);
    // Even feeds on h0, odd ones on h1: 6 each.
    let feeds = set(&names("f", 12), 2);
    a.register_feeds(&feeds).await.unwrap();
    let polite = |holder, max| ClaimAsk {
        per_host: 2,
        ..ask(holder, &feeds, max, HOUR)
    };
    let got = a.claim_feeds(&polite("a", 10)).await.unwrap();
    assert_eq!(per_host(&got), [2, 2], "two per host: {:?}", feeds_of(&got));
    assert!(b.claim_feeds(&polite("b", 10)).await.unwrap().is_empty());
    let on_h0 = got
        .iter()
        .find(|c| per_host(std::slice::from_ref(c))[0] == 1);
    a.finish_claim(&on_h0.unwrap().claim, &FeedState::default(), HOUR)
        .await
        .unwrap();
    let next = b.claim_feeds(&polite("b", 10)).await.unwrap();
    assert_eq!(per_host(&next), [1, 0], "one h0 slot came free");
}

/// Claimed feeds on h0 (even numbers) and h1 (odd ones).
fn per_host(claimed: &[Claimed]) -> [usize; 2] {
    let mut counts = [0, 0];
    for c in claimed {
        let n: usize = c.claim.feed[1..].parse().unwrap();
        counts[n % 2] += 1;
    }
    counts
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ping_makes_a_feed_due_now_even_while_it_is_polled() {
    let url = fresh_database().await;
    let a = cluster(&url).await;
    let feeds = set(&names("f", 2), 2);
    a.register_feeds(&feeds).await.unwrap();
    for c in a.claim_feeds(&ask("a", &feeds, 5, HOUR)).await.unwrap() {
        a.finish_claim(&c.claim, &FeedState::default(), HOUR)
            .await
            .unwrap();
    }
    assert!(
        a.claim_feeds(&ask("a", &feeds, 5, HOUR))
            .await
            .unwrap()
            .is_empty()
    );
    a.poll_now("f1").await.unwrap();
    let pinged = a.claim_feeds(&ask("a", &feeds, 5, HOUR)).await.unwrap();
    assert_eq!(feeds_of(&pinged), ["f1"]);
    assert!(pinged[0].due_in_ms <= 0, "due now: {}", pinged[0].due_in_ms);
    // A ping during the poll: its result makes the feed due again at once.
    a.poll_now("f1").await.unwrap();
    a.finish_claim(&pinged[0].claim, &FeedState::default(), HOUR)
        .await
        .unwrap();
    let again = a.claim_feeds(&ask("a", &feeds, 5, HOUR)).await.unwrap();
    assert_eq!(feeds_of(&again), ["f1"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_never_takes_back_the_read_mark_an_ingest_set() {
    let url = fresh_database().await;
    let a = cluster(&url).await;
    let feeds = set(&names("f", 1), 1);
    a.register_feeds(&feeds).await.unwrap();
    let claimed = a.claim_feeds(&ask("a", &feeds, 5, HOUR)).await.unwrap();
    assert!(!claimed[0].state.initialized);
    // A pushed document is ingested meanwhile and marks the feed read.
    let store = Store::postgres(&url, false).await.unwrap();
    let read = FeedState {
        initialized: true,
        ..FeedState::default()
    };
    store.put_feed_state("f0", &read).await.unwrap();
    let result = FeedState {
        etag: Some("\"v2\"".into()),
        ..claimed[0].state.clone()
    };
    a.finish_claim(&claimed[0].claim, &result, HOUR)
        .await
        .unwrap();
    let state = store.feed_state("f0").await.unwrap();
    assert!(state.initialized, "still read");
    assert_eq!(state.etag.as_deref(), Some("\"v2\""));
}
