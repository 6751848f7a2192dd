//! Peak memory of the real `sokbo` binary (a child process) polling hostile feeds all at once,
//! at the default `[http]` settings, from a fake feed server on 127.0.0.1 that adds 150 ms to
//! every response:
//!
//! - a 64 MiB body without Content-Length (read up to `http.max_body_bytes`, then refused),
//! - an entity bomb (a billion-laughs DOCTYPE, its entities referenced 100,000 times),
//! - a slow trickle (a feed sent 256 bytes every 250 ms, cut by `http.timeout`).
//!
//! A second run adds faults: a feed answering 503, one that never answers and one whose body
//! never ends. Every feed is polled every second (failures back off), so the window, which
//! lasts until the trickle has timed out and been asked again, sees each hostile feed several
//! times, all of them in flight together. Printed: the peak RSS (VmHWM) of each run.
//!
//! Run: `cargo bench --bench hostile_memory` (about 80 s). `SOKBO_BENCH_BIN` runs another
//! build of `sokbo` instead (to compare two versions under the same load).

/// The integration tests' harness; a bench uses only part of it.
#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use std::time::{Duration, Instant};

use support::feed_server::{FeedServer, Resource, numbered_rss};

const LATENCY: Duration = Duration::from_millis(150);
const HUGE: u64 = 64 * 1024 * 1024;
/// The longest a run waits for the trickle to be asked a second time.
const MAX_WINDOW: Duration = Duration::from_secs(75);

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let hostile = runtime.block_on(run(false));
    let faults = runtime.block_on(run(true));
    println!("sokbo polling hostile feeds at once, 150 ms latency, default [http] settings");
    println!("  64 MiB body + entity bomb + slow trickle    peak RSS {hostile:>8} KiB");
    println!("  the same + 503 + no answer + endless body    peak RSS {faults:>8} KiB");
}

/// One run; returns the peak RSS of `sokbo` in KiB.
async fn run(faults: bool) -> u64 {
    let server = FeedServer::start().await;
    server.set_latency(LATENCY);
    server.huge("/huge.xml", HUGE, false);
    server.serve(
        "/bomb.xml",
        Resource::new(entity_bomb(), "application/rss+xml"),
    );
    let items: Vec<u32> = (1..=200).collect();
    server.trickle(
        "/trickle.xml",
        numbered_rss(&items),
        256,
        Duration::from_millis(250),
    );
    let mut paths = vec!["/huge.xml", "/bomb.xml", "/trickle.xml"];
    if faults {
        server.fail("/503.xml", 503, None);
        server.stall("/stall.xml");
        server.hang("/hang.xml");
        paths.extend(["/503.xml", "/stall.xml", "/hang.xml"]);
    }

    let tmp = tempfile::tempdir().expect("temp dir");
    let mut config = String::from("[bot]\ndata_dir = \"data\"\nconsole = \"never\"\n");
    for (i, path) in paths.iter().enumerate() {
        config.push_str(&format!(
            "\n[[feeds]]\nname = \"f{i}\"\nurl = \"{}\"\ninterval = \"1s\"\n",
            server.url(path)
        ));
    }
    let config_path = tmp.path().join("config.toml");
    std::fs::write(&config_path, config).expect("config");
    let bin = std::env::var("SOKBO_BENCH_BIN").unwrap_or(env!("CARGO_BIN_EXE_sokbo").into());
    let mut child = std::process::Command::new(bin)
        .args(["run", "--config"])
        .arg(&config_path)
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start sokbo");

    let started = Instant::now();
    while server.requests("/trickle.xml") < 2 && started.elapsed() < MAX_WINDOW {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let peak = peak_rss_kib(child.id());
    let counts: Vec<String> = paths
        .iter()
        .map(|p| format!("{p} {}", server.requests(p)))
        .collect();
    eprintln!(
        "  {:.0} s, requests: {}",
        started.elapsed().as_secs_f64(),
        counts.join(", ")
    );
    let _ = std::process::Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status();
    let _ = child.wait();
    peak
}

/// An RSS feed whose DOCTYPE nests entities ten deep (a billion laughs if expanded) and whose
/// items reference the outermost one 100,000 times.
fn entity_bomb() -> String {
    let mut doc =
        String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol0 \"lol\">\n");
    for i in 1..10 {
        let refs = format!("&lol{};", i - 1).repeat(10);
        doc.push_str(&format!("<!ENTITY lol{i} \"{refs}\">\n"));
    }
    doc.push_str("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title>");
    for i in 0..100 {
        let refs = "&lol9;".repeat(1000);
        doc.push_str(&format!(
            "<item><title>&lol9; {i}</title><guid>bomb-{i}</guid><description>{refs}</description></item>"
        ));
    }
    doc.push_str("</channel></rss>");
    doc
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
