//! 10,000 feeds polled every 60 s, almost all answering 304: CPU seconds per minute and peak RSS
//! of the real `sokbo` binary (run as a child process, so the fake feed server's own work is not
//! counted).
//!
//! After the first round (every feed fetched once, 200), the window lasts at least one interval
//! and until every feed has been polled a second time (304), so the peak RSS (VmHWM, read at
//! its end) covers a whole round of polls. CPU seconds per minute is the CPU used in the window
//! per poll × the feed count (each feed is polled once a minute); the raw CPU of the window is
//! printed too.
//!
//! Run: `cargo bench --bench feeds_10k` (about 80 s). `SOKBO_BENCH_FEEDS` sets the count.

/// The integration tests' harness; a bench uses only part of it.
#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use std::time::{Duration, Instant};

use support::feed_server::{FeedServer, Resource};

const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
                   <item><title>소식</title><guid>1</guid></item></channel></rss>";

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let feeds: usize = std::env::var("SOKBO_BENCH_FEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let server = FeedServer::start().await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut config =
        String::from("[bot]\ndata_dir = \"data\"\nconsole = \"never\"\n\n[http]\nper_host = 8\n");
    for i in 0..feeds {
        let path = format!("/f/{i}.xml");
        server.serve(
            &path,
            Resource::new(RSS, "application/rss+xml").etag("\"v1\""),
        );
        config.push_str(&format!(
            "\n[[feeds]]\nname = \"f{i}\"\nurl = \"{}\"\ninterval = \"60s\"\n",
            server.url(&path)
        ));
    }
    let config_path = tmp.path().join("config.toml");
    std::fs::write(&config_path, config).expect("config");

    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sokbo"))
        .args(["run", "--config"])
        .arg(&config_path)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start sokbo");
    let pid = child.id();
    let total = |s: &FeedServer| {
        (0..feeds)
            .map(|i| s.requests(&format!("/f/{i}.xml")))
            .sum::<usize>()
    };
    let not_modified = |s: &FeedServer| {
        (0..feeds)
            .map(|i| s.not_modified(&format!("/f/{i}.xml")))
            .sum::<usize>()
    };

    // First round: every feed fetched once (200), spread over the first seconds.
    let started = Instant::now();
    while total(&server) < feeds && started.elapsed() < Duration::from_secs(120) {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let first_round = started.elapsed();
    let requests_start = total(&server);
    let cpu_start = cpu_seconds(pid);
    let window_start = Instant::now();
    // Steady state: at least one interval, and on until every feed has been polled again and
    // answered 304. Second polls come 54–66 s after the first ones (60 s ± 10 %), which were
    // spread over the first seconds, so one interval from the end of the first round would
    // see only part of the second one.
    while window_start.elapsed() < Duration::from_secs(60)
        || (total(&server) < 2 * feeds && window_start.elapsed() < Duration::from_secs(180))
    {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let cpu = cpu_seconds(pid) - cpu_start;
    let window = window_start.elapsed().as_secs_f64();
    let polls = total(&server) - requests_start;
    let rss = peak_rss_kib(pid);
    let (requests, n304) = (total(&server), not_modified(&server));
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(pid.to_string())
        .status();
    let _ = child.wait();

    println!("{feeds} feeds at a 60 s interval against the fake feed server (ETag, 304s)");
    println!(
        "  first round (all fetched once)  {:>8.2} s",
        first_round.as_secs_f64()
    );
    println!(
        "  CPU in the next {window:.0} s          {:>8.2} s ({:.2}% of one core)",
        cpu,
        100.0 * cpu / window
    );
    println!("  polls in that time              {polls:>8}");
    // Every feed is polled once a minute: the CPU of one poll (idle time included) × feeds.
    let per_minute = if polls == 0 {
        0.0
    } else {
        cpu * feeds as f64 / polls as f64
    };
    println!(
        "  CPU seconds per minute          {per_minute:>8.2} ({:.2}% of one core)",
        100.0 * per_minute / 60.0
    );
    println!("  requests / 304s so far          {requests:>8} / {n304}");
    println!("  peak RSS of sokbo               {:>8} KiB", rss);
}

/// utime + stime of a process, in seconds.
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat: 12 and 13 after the name.
    (ticks(11) + ticks(12)) / clock_ticks()
}

fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?.to_owned();
            line.split_whitespace().nth(1)?.parse().ok()
        })
        .unwrap_or(0)
}
