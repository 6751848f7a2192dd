//! Feed polling spread over a cluster: 100,000 feeds at a 5-minute interval on 250 hosts, polled
//! by 3 real `sokbo` nodes and by 1, on one throwaway PostgreSQL (fsync on), against a fake feed
//! farm on loopback that answers after 150 ms, mostly 304; then again with faults (2 % 503,
//! 1 % never answered, the nodes' timeout 5 s).
//!
//! The cluster is measured in its steady state: the feeds are in the database already with
//! their next polls spread over one interval (as a cluster that has run for a while has them),
//! the nodes start, warm up, and are measured over one interval. Reported per run: polls, poll
//! lag p50/p99 (a poll's start minus its planned time, from the nodes'
//! `sokbo_poll_lateness_seconds` histograms, interpolated within buckets) and the worst lag of
//! the last minute, CPU (% of one core) and RSS per node from /proc, and the CPU of the whole
//! PostgreSQL server (postmaster, backends, reaped children).
//!
//! Run: `cargo bench --bench cluster_polls` (about 25 minutes). Shorter: `SOKBO_BENCH_FEEDS`,
//! `SOKBO_BENCH_INTERVAL` and `SOKBO_BENCH_WINDOW` (seconds), `SOKBO_BENCH_NODES` (`3,1`),
//! `SOKBO_BENCH_FAULTS` (`off,on`), `SOKBO_BENCH_HOSTS`, `SOKBO_BENCH_CONCURRENT` (128).

#[path = "common/feed_farm.rs"]
mod feed_farm;
#[path = "common/nodes.rs"]
mod nodes;
#[path = "common/poll_report.rs"]
mod poll_report;
#[path = "../tests/it/support/postgres.rs"]
#[allow(dead_code)]
mod postgres;
#[path = "common/procs.rs"]
mod procs;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use feed_farm::FeedFarm;
use nodes::Node;
use poll_report::{LATENESS, report, snapshot};
use sokbo::model::FeedState;
use sqlx::types::Json;

const LATENCY: Duration = Duration::from_millis(150);

struct Settings {
    feeds: usize,
    hosts: usize,
    interval: Duration,
    window: Duration,
    concurrent: usize,
    nodes: Vec<usize>,
    faults: Vec<bool>,
}

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    let value = std::env::var(key).ok();
    value.and_then(|v| v.parse().ok()).unwrap_or(default)
}

impl Settings {
    fn from_env() -> Settings {
        let interval = Duration::from_secs(env_or("SOKBO_BENCH_INTERVAL", 300));
        let list = |key: &str, default: &str| -> Vec<String> {
            let value = std::env::var(key).unwrap_or_else(|_| default.into());
            value.split(',').map(|s| s.trim().to_owned()).collect()
        };
        Settings {
            feeds: env_or("SOKBO_BENCH_FEEDS", 100_000),
            hosts: env_or("SOKBO_BENCH_HOSTS", 250),
            interval,
            window: Duration::from_secs(env_or("SOKBO_BENCH_WINDOW", interval.as_secs())),
            concurrent: env_or("SOKBO_BENCH_CONCURRENT", 128),
            nodes: list("SOKBO_BENCH_NODES", "3,1")
                .iter()
                .filter_map(|n| n.parse().ok())
                .collect(),
            faults: list("SOKBO_BENCH_FAULTS", "off,on")
                .iter()
                .map(|f| f == "on")
                .collect(),
        }
    }
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let settings = Settings::from_env();
    let pg = postgres::Cluster::start(true).expect("a PostgreSQL server (initdb, pg_ctl)");
    println!(
        "{} feeds every {:?} on {} hosts, {:?} latency, max_concurrent {}, window {:?}",
        settings.feeds,
        settings.interval,
        settings.hosts,
        LATENCY,
        settings.concurrent,
        settings.window
    );
    for &faults in &settings.faults {
        for &nodes in &settings.nodes {
            scenario(&pg, &settings, nodes, faults).await;
        }
    }
}

/// The feeds in the database as a running cluster has them: read once (the farm's first ETag),
/// next polls spread over one interval.
async fn seed(url: &str, farm: &FeedFarm, interval: Duration) {
    drop(
        sokbo::storage::Store::postgres(url, true)
            .await
            .expect("migrate"),
    );
    let db = sqlx::PgPool::connect(url).await.expect("connect");
    let n = farm.feeds();
    let names: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
    let hosts: Vec<String> = (0..n).map(|i| farm.host(i)).collect();
    let spread: Vec<f64> = (0..n)
        .map(|_| fastrand::f64() * interval.as_secs_f64())
        .collect();
    let state = FeedState {
        initialized: true,
        etag: Some(FeedFarm::first_etag()),
        ..FeedState::default()
    };
    sqlx::query(
        "INSERT INTO feeds (feed, state, host, next_poll) \
         SELECT n, $4, h, now() + make_interval(secs => d) \
         FROM UNNEST($1::text[], $2::text[], $3::float8[]) AS r(n, h, d)",
    )
    .bind(&names)
    .bind(&hosts)
    .bind(&spread)
    .bind(Json(&state))
    .execute(&db)
    .await
    .expect("seed the feeds");
    db.close().await;
}

async fn data_directory(url: &str) -> PathBuf {
    let db = sqlx::PgPool::connect(url).await.expect("connect");
    let dir: String = sqlx::query_scalar("SHOW data_directory")
        .fetch_one(&db)
        .await
        .expect("data_directory");
    PathBuf::from(dir)
}

fn shared_config(settings: &Settings, url: &str, farm: &FeedFarm) -> String {
    let mut config = format!(
        "[bot]\nconsole = \"never\"\n\n[store]\nurl = \"{url}\"\n\n[cluster]\nlease_ttl = \"5s\"\n\n\
         [http]\nmax_concurrent = {}\ntimeout = \"5s\"\nconnect_timeout = \"2s\"\n",
        settings.concurrent
    );
    let interval = settings.interval.as_secs();
    for i in 0..farm.feeds() {
        config.push_str(&format!(
            "\n[[feeds]]\nname = \"f{i}\"\nurl = \"{}\"\ninterval = \"{interval}s\"\nfull_text = \"never\"\n",
            farm.url(i)
        ));
    }
    config
}

/// Waits until every node polls and the feeds that fell due while the nodes started are
/// polled (none is overdue and unclaimed), then 10 s more; prints how long each took.
async fn warm_up(http: &reqwest::Client, nodes: &[Node], url: &str) {
    let started = Instant::now();
    let deadline = started + Duration::from_secs(600);
    for node in nodes {
        while Instant::now() < deadline {
            let polled = procs::sample(&node.scrape(http).await, &format!("{LATENESS}_count"));
            if polled.is_some_and(|n| n > 0.0) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    let polling = started.elapsed();
    let db = sqlx::PgPool::connect(url).await.expect("connect");
    let mut most = 0;
    while Instant::now() < deadline {
        let overdue: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM feeds WHERE next_poll < now() - interval '2 seconds' \
             AND (lease_until IS NULL OR lease_until <= now())",
        )
        .fetch_one(&db)
        .await
        .expect("count overdue feeds");
        most = most.max(overdue);
        if overdue == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    db.close().await;
    println!(
        "\n  start: every node polling after {:.0} s; the {most} feeds overdue by then polled after {:.0} s",
        polling.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    tokio::time::sleep(Duration::from_secs(10)).await;
}

async fn scenario(pg: &postgres::Cluster, settings: &Settings, count: usize, faults: bool) {
    let url = postgres::create_database(&pg.url("postgres")).await;
    let farm = FeedFarm::start(settings.feeds, settings.hosts, LATENCY, faults).await;
    seed(&url, &farm, settings.interval).await;
    let data_dir = data_directory(&url).await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let shared = shared_config(settings, &url, &farm);
    let nodes: Vec<Node> = (1..=count)
        .map(|k| Node::start(tmp.path(), &shared, k))
        .collect();
    let http = reqwest::Client::new();
    warm_up(&http, &nodes, &url).await;
    let start = snapshot(&http, &nodes, &data_dir, &farm).await;
    tokio::time::sleep(settings.window).await;
    let end = snapshot(&http, &nodes, &data_dir, &farm).await;
    let rss: Vec<(u64, u64)> = nodes.iter().map(|n| procs::rss_kib(n.pid())).collect();
    for node in nodes {
        node.stop();
    }
    report(count, faults, &start, &end, &rss, &farm);
    let logs = std::fs::read_dir(tmp.path())
        .into_iter()
        .flatten()
        .flatten();
    for log in logs.filter(|e| e.path().extension().is_some_and(|x| x == "log")) {
        let text = std::fs::read_to_string(log.path()).unwrap_or_default();
        let errors = text.lines().filter(|l| l.contains("ERROR")).count();
        if errors > 0 {
            println!("    {}: {errors} error lines", log.path().display());
        }
    }
}
