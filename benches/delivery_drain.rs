//! The delivery engine draining 100,000 queued deliveries (100 alerts × 1,000 chats) from an
//! on-disk store through a notifier with no limits and no network: deliveries per second and
//! CPU per delivery for the first and the last 10,000, so a cost that grows with the queue
//! shows as a difference between the two.
//!
//! Run: `cargo bench --bench delivery_drain` (`SOKBO_BENCH_DELIVERIES` overrides 100,000).

#[path = "common/count.rs"]
mod count;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use count::Count;
use std::time::{Duration, Instant};

use sokbo::delivery::{Engine, Queue, Settings};
use sokbo::model::{Alert, Delivery, PostKey, SeenRecord, Target};
use sokbo::platform::Notifiers;
use sokbo::storage::{IngestBatch, IngestPost, Store};
use tokio_util::sync::CancellationToken;

const CHATS: usize = 1000;
const SLICE: usize = 10_000;

fn main() {
    let total: usize = std::env::var("SOKBO_BENCH_DELIVERIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run(total));
}

async fn fill(store: &Store, total: usize) {
    let alerts = total.div_ceil(CHATS);
    for a in 0..alerts {
        let alert = Alert {
            feed: "news".into(),
            key: PostKey(format!("post-{a}")),
            title: format!("속보 {a}"),
            ..Alert::default()
        };
        let mut deliveries = Vec::new();
        for c in 0..CHATS.min(total - a * CHATS) {
            let delivery = Delivery {
                feed: "news".into(),
                key: alert.key.clone(),
                target: Target::TelegramChat {
                    chat: (1_000_000 + c).to_string(),
                },
                attempts: 0,
                not_before: 0,
                edit: false,
                enqueued_at: 0,
                failing_since: 0,
            };
            deliveries.push((false, delivery));
        }
        let batch = IngestBatch {
            posts: vec![IngestPost {
                alert: Some(alert.clone()),
                deliveries,
                ..IngestPost::new(alert.key, SeenRecord::default())
            }],
            feed_state: None,
        };
        store.ingest("news", &batch).await.expect("ingest");
    }
}

async fn run(total: usize) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let store = Store::sled(tmp.path()).expect("store");
    let started = Instant::now();
    fill(&store, total).await;
    store.flush().await.expect("flush");
    println!(
        "delivery drain: {total} deliveries queued in {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let counter = Arc::new(Count(AtomicUsize::new(0)));
    let mut notifiers = Notifiers::default();
    notifiers.add(counter.clone());
    let (engine, _queue): (Engine, Queue) =
        Engine::new(store.clone(), notifiers, Settings::default());
    let stop = CancellationToken::new();
    let (t0, c0) = (Instant::now(), cpu());
    let task = tokio::spawn(engine.run(stop.clone()));
    let mut marks = Vec::new();
    for goal in [SLICE.min(total), total.saturating_sub(SLICE), total] {
        while counter.0.load(Ordering::Relaxed) < goal {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        marks.push((Instant::now(), cpu()));
    }
    stop.cancel();
    task.await.expect("engine");
    let report = |label: &str, (ta, ca): (Instant, Duration), (tb, cb): (Instant, Duration)| {
        let secs = tb.duration_since(ta).as_secs_f64();
        let cpu_us = (cb - ca).as_secs_f64() * 1e6 / SLICE as f64;
        println!(
            "  {label:<14} {:>9.0} deliveries/s   {cpu_us:>6.1} µs CPU per delivery",
            SLICE as f64 / secs
        );
    };
    report("first 10,000", (t0, c0), marks[0]);
    report("last 10,000", marks[1], marks[2]);
    let all = marks[2].0.duration_since(t0).as_secs_f64();
    println!(
        "  all            {:>9.0} deliveries/s   (outbox left: {})",
        total as f64 / all,
        store.outbox_len().await.expect("outbox")
    );
    println!("  peak RSS       {:>9} KiB", peak_rss_kib().unwrap_or(0));
}

/// CPU time of this process (user + system), from /proc/self/stat.
fn cpu() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap_or(0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command name.
    Duration::from_millis((ticks(11) + ticks(12)) * 10)
}

/// VmHWM of this process, in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
