//! Discord through the fake (real serenity gateway client, sokbo's REST client):
//! - slash command → reply latency (p50/p99 over 200 `/list` and 200 `/subscribe`), against
//!   Discord's 3-second window;
//! - fan-out: one post to 300 subscribed channels, on loopback, with the fake answering 150 ms
//!   late, and with 5 % of creates answered HTTP 500: embeds per second against the floor of
//!   Discord's 50 requests a second (the fake enforces it with global 429s), and 429s received.
//!
//! Run: `cargo bench --bench discord`

/// The integration tests' harness; a bench uses only part of it.
#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use std::time::{Duration, Instant};

use sokbo::config::{ConsoleMode, DiscordConfig};
use support::app::{dir_config, spawn_app};
use support::discord::json::{Member, slash};
use support::discord::{DiscordServer, TOKEN};

const COMMANDS: u64 = 200;
const CHANNELS: u64 = 300;
const WAIT: Duration = Duration::from_secs(60);

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

fn post(dir: &std::path::Path, slug: &str, title: &str) {
    let text = format!(
        "---\ntitle: {title}\ncategories: [경제]\nexcerpt: 오늘 발표가 있었다.\n---\n\n본문.\n"
    );
    std::fs::write(dir.join(format!("{slug}.md")), text).expect("post");
}

async fn run() {
    let server = DiscordServer::start().await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let posts = tmp.path().join("posts");
    std::fs::create_dir_all(&posts).expect("posts");
    post(&posts, "2026-11-01-first", "처음");
    let mut config = dir_config(&tmp.path().join("data"), &posts, 1);
    config.bot.console = ConsoleMode::Never;
    config.discord = Some(DiscordConfig {
        token: TOKEN.into(),
        api_url: server.url(),
        gateway_url: String::new(),
    });
    let app = spawn_app(config);
    assert!(server.wait_ready(WAIT).await, "gateway ready");

    let admin = Member::admin();
    let mut round = 0u64;
    let mut timed = |name: &'static str, option: Option<(&'static str, &'static str)>| {
        let server = &server;
        let admin = admin.clone();
        round += 1;
        let base = 1_400_000_000_000_000_000u64 + round * 10_000;
        async move {
            let mut latencies = Vec::new();
            for i in 0..COMMANDS {
                let channel = 1_300_000_000_000_000_000 + i;
                let started = Instant::now();
                server.push_interaction(slash(base + i, channel, &admin, name, option));
                let reply = server.wait_reply(&(base + i).to_string(), WAIT).await;
                assert!(reply.is_some(), "reply to /{name}");
                latencies.push(started.elapsed());
            }
            latencies.sort();
            let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
            println!(
                "/{name}: {COMMANDS} interactions, reply p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
                at(0.5).as_secs_f64() * 1000.0,
                at(0.99).as_secs_f64() * 1000.0,
                at(1.0).as_secs_f64() * 1000.0
            );
        }
    };
    timed("list", None).await;
    timed("subscribe", Some(("category", "경제"))).await;
    let answered = server
        .requests()
        .iter()
        .filter(|r| r.path.ends_with("/callback"))
        .count();
    assert_eq!(answered as u64, 2 * COMMANDS, "one reply per interaction");

    // Channels 0..COMMANDS are subscribed; subscribe the rest of the fan-out.
    let rest: Vec<u64> = (COMMANDS..CHANNELS).collect();
    for i in &rest {
        let channel = 1_300_000_000_000_000_000 + i;
        let iid = 1_600_000_000_000_000_000 + i;
        server.push_interaction(slash(
            iid,
            channel,
            &admin,
            "subscribe",
            Some(("category", "경제")),
        ));
        assert!(server.wait_reply(&iid.to_string(), WAIT).await.is_some());
    }
    let floor = CHANNELS as f64 / 50.0;
    let runs = [
        ("loopback", 0, 0.0),
        ("150 ms", 150, 0.0),
        ("150 ms, 5 % HTTP 500", 150, 0.05),
    ];
    for (i, (label, ms, errors)) in runs.into_iter().enumerate() {
        server.set_latency(Duration::from_millis(ms));
        server.set_error_rate(errors, 11);
        let limited = server.rate_limited();
        let before = server.messages().len();
        let started = Instant::now();
        post(&posts, &format!("2026-11-0{}-news", 2 + i), "속보");
        let done = server
            .wait(WAIT, |s| s.messages.len() >= before + CHANNELS as usize)
            .await;
        let took = started.elapsed().as_secs_f64();
        assert!(done, "every channel got the embed");
        println!(
            "fan-out {label:<22} {CHANNELS} channels in {took:.2} s = {:.1} embeds/s, floor {floor:.1} s, \
             ratio {:.2}, {} answered 429",
            CHANNELS as f64 / took,
            took / floor,
            server.rate_limited() - limited
        );
    }
    app.stop().await;
}
