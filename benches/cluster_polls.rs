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
#[path = "../tests/it/support/postgres.rs"]
#[allow(dead_code)]
mod postgres;
#[path = "common/procs.rs"]
mod procs;

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use feed_farm::FeedFarm;
use nodes::Node;
use sokbo::model::FeedState;
use sqlx::types::Json;

const LATENCY: Duration = Duration::from_millis(150);
const LATENESS: &str = "sokbo_poll_lateness_seconds";

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

/// Figures of every node and the database at one moment.
struct Snapshot {
    at: Instant,
    scrapes: Vec<String>,
    cpu: Vec<f64>,
    db_cpu: f64,
    requests: u64,
}

async fn snapshot(
    http: &reqwest::Client,
    nodes: &[Node],
    data_dir: &Path,
    farm: &FeedFarm,
) -> Snapshot {
    let mut scrapes = Vec::new();
    for node in nodes {
        scrapes.push(node.scrape(http).await);
    }
    Snapshot {
        at: Instant::now(),
        scrapes,
        cpu: nodes
            .iter()
            .map(|n| procs::cpu_seconds(n.pid(), false))
            .collect(),
        db_cpu: procs::postgres_cpu_seconds(data_dir),
        requests: farm.served.requests.load(Ordering::Relaxed),
    }
}

/// Waits until every node has started polls, then a little more.
async fn warm_up(http: &reqwest::Client, nodes: &[Node]) {
    let deadline = Instant::now() + Duration::from_secs(300);
    for node in nodes {
        while Instant::now() < deadline {
            let polled = procs::sample(&node.scrape(http).await, &format!("{LATENESS}_count"));
            if polled.is_some_and(|n| n > 0.0) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
    tokio::time::sleep(Duration::from_secs(20)).await;
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
    warm_up(&http, &nodes).await;
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

fn report(
    count: usize,
    faults: bool,
    start: &Snapshot,
    end: &Snapshot,
    rss: &[(u64, u64)],
    farm: &FeedFarm,
) {
    let window = end.at.duration_since(start.at).as_secs_f64();
    let mut lags = Vec::new();
    let mut per_node = Vec::new();
    for (before, after) in start.scrapes.iter().zip(&end.scrapes) {
        let (b, a) = (
            procs::buckets(before, LATENESS),
            procs::buckets(after, LATENESS),
        );
        procs::add_difference(&mut lags, &b, &a);
        per_node.push(a.last().map_or(0.0, |x| x.1) - b.last().map_or(0.0, |x| x.1));
    }
    let worst = end
        .scrapes
        .iter()
        .filter_map(|s| procs::sample(s, "sokbo_poll_lag_seconds"))
        .fold(0.0, f64::max);
    let polls = end.requests - start.requests;
    let q = |p| procs::quantile(&lags, p).map_or("-".into(), |v| format!("{v:.3} s"));
    let served = &farm.served;
    println!(
        "\n{count} node(s), faults {}: {polls} polls in {window:.0} s ({:.0}/s); 304s {}, 503s {}, hangs {} so far",
        if faults { "on" } else { "off" },
        polls as f64 / window,
        served.not_modified.load(Ordering::Relaxed),
        served.errors.load(Ordering::Relaxed),
        served.hangs.load(Ordering::Relaxed)
    );
    println!(
        "  poll lag p50 {}, p99 {}, worst in the last minute {worst:.3} s",
        q(0.5),
        q(0.99)
    );
    for (i, n) in per_node.iter().enumerate() {
        let cpu = end.cpu[i] - start.cpu[i];
        println!(
            "  node n{}: {n:.0} polls, CPU {:.1}% of a core, RSS {} MiB (peak {} MiB)",
            i + 1,
            100.0 * cpu / window,
            rss[i].0 / 1024,
            rss[i].1 / 1024
        );
    }
    let db = end.db_cpu - start.db_cpu;
    println!("  PostgreSQL: CPU {:.1}% of a core", 100.0 * db / window);
}
