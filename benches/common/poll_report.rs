//! The cluster_polls benchmark's measurements: a snapshot of every node (its `/metrics`, CPU)
//! and of the database and farm at one moment, and the report between two snapshots.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::feed_farm::FeedFarm;
use super::nodes::Node;
use super::procs;

pub const LATENESS: &str = "sokbo_poll_lateness_seconds";

/// Figures of every node and the database at one moment.
pub struct Snapshot {
    pub at: Instant,
    scrapes: Vec<String>,
    cpu: Vec<f64>,
    db_cpu: f64,
    requests: u64,
}

pub async fn snapshot(
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

pub fn report(
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
        "{count} node(s), faults {}: {polls} polls in {window:.0} s ({:.0}/s); 304s {}, 503s {}, hangs {} so far",
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
