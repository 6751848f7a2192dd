//! The fake Discord's production-like faults, driven by a plain HTTP client: REST latency
//! (requests wait side by side) and a seeded error rate on message creates, with buckets and
//! their 429s untouched by the failed creates.

use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::json;

use crate::support::discord::{DiscordServer, TOKEN};

/// Creates a message in `channel`; the HTTP status.
async fn create(client: &reqwest::Client, server: &DiscordServer, channel: u64) -> u16 {
    let url = format!("{}/api/v10/channels/{channel}/messages", server.url());
    let response = client
        .post(url)
        .header("authorization", format!("Bot {TOKEN}"))
        .json(&json!({ "content": "속보" }))
        .send()
        .await
        .expect("the fake answers");
    response.status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_latency_delays_answers_but_requests_wait_side_by_side() {
    let server = DiscordServer::start().await;
    let latency = Duration::from_millis(200);
    server.set_latency(latency);
    let client = reqwest::Client::new();
    let started = Instant::now();
    let statuses = join_all((0..20).map(|c| create(&client, &server, 1_400 + c))).await;
    let elapsed = started.elapsed();
    assert_eq!(statuses, vec![200; 20]);
    assert!(elapsed >= latency, "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "in turn: {elapsed:?}");
    assert_eq!(server.messages().len(), 20);
}

#[tokio::test]
async fn the_create_error_rate_fails_exactly_the_seeded_draws() {
    let server = DiscordServer::start().await;
    // 24 creates and 24 other requests: within the global 50 a second.
    let (fraction, seed, creates) = (0.25, 42, 24);
    server.set_error_rate(fraction, seed);
    let mut rng = fastrand::Rng::with_seed(seed);
    let expected: Vec<u16> = (0..creates)
        .map(|_| if rng.f64() < fraction { 500 } else { 200 })
        .collect();
    let failures = expected.iter().filter(|s| **s == 500).count();
    assert!(
        (3..creates / 2).contains(&failures),
        "seed gives {failures}"
    );
    let client = reqwest::Client::new();
    let me = format!("{}/api/v10/users/@me", server.url());
    let mut statuses = Vec::new();
    for i in 0..creates {
        statuses.push(create(&client, &server, 1_500 + i as u64).await);
        // Other requests draw nothing.
        let status = client
            .get(&me)
            .header("authorization", format!("Bot {TOKEN}"))
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(status, 200);
    }
    assert_eq!(statuses, expected);
    assert_eq!(server.messages().len(), creates - failures);
    let answered_500 = server.requests().iter().filter(|r| r.status == 500).count();
    assert_eq!(answered_500, failures);
}

#[tokio::test]
async fn failed_creates_leave_buckets_and_their_429s_alone() {
    let server = DiscordServer::start().await;
    server.set_bucket(Duration::from_secs(60));
    server.set_error_rate(1.0, 3);
    let client = reqwest::Client::new();
    for _ in 0..5 {
        assert_eq!(create(&client, &server, 1_600).await, 500);
    }
    assert!(server.messages().is_empty());
    server.set_error_rate(0.0, 3);
    assert_eq!(
        create(&client, &server, 1_600).await,
        200,
        "bucket untouched"
    );
    assert_eq!(
        create(&client, &server, 1_600).await,
        429,
        "bucket enforced"
    );
    assert_eq!(server.rate_limited(), 1);
    assert_eq!(server.messages().len(), 1);
}
