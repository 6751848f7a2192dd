//! Peak memory of the real `sokbo` binary (a child process) polling hostile feeds all at once,
//! at the default `[http]` settings, from fake feed servers on loopback (one address each, so
//! the per-host bound does not queue them) that add 150 ms to every response:
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
    let mut feeds = Vec::new();
    let huge = server(feeds.len()).await;
    huge.huge("/huge.xml", HUGE, false);
    feeds.push((huge, "/huge.xml"));
    let bomb = server(feeds.len()).await;
    bomb.serve(
        "/bomb.xml",
        Resource::new(entity_bomb(), "application/rss+xml"),
    );
    feeds.push((bomb, "/bomb.xml"));
    let trickle = server(feeds.len()).await;
    let items: Vec<u32> = (1..=200).collect();
    let (chunk, every) = (256, Duration::from_millis(250));
    trickle.trickle("/trickle.xml", numbered_rss(&items), chunk, every);
    feeds.push((trickle, "/trickle.xml"));
    if faults {
        let failing = server(feeds.len()).await;
        failing.fail("/503.xml", 503, None);
        feeds.push((failing, "/503.xml"));
        let silent = server(feeds.len()).await;
        silent.stall("/stall.xml");
        feeds.push((silent, "/stall.xml"));
        let endless = server(feeds.len()).await;
        endless.hang("/hang.xml");
        feeds.push((endless, "/hang.xml"));
    }

    let tmp = tempfile::tempdir().expect("temp dir");
    let mut config = String::from("[bot]\ndata_dir = \"data\"\nconsole = \"never\"\n");
    for (i, (server, path)) in feeds.iter().enumerate() {
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
    let trickled = || feeds[2].0.requests(feeds[2].1);
    while trickled() < 2 && started.elapsed() < MAX_WINDOW {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let peak = peak_rss_kib(child.id());
    let counts: Vec<String> = feeds
        .iter()
        .map(|(server, path)| format!("{path} {}", server.requests(path)))
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

/// A fake feed server of its own on 127.0.0.(2 + i): each feed is another host to sokbo's
/// per-host bound, so all are fetched at once; every response waits `LATENCY`.
async fn server(i: usize) -> FeedServer {
    let last = u8::try_from(2 + i).expect("a few servers");
    let server = FeedServer::start_on(std::net::Ipv4Addr::new(127, 0, 0, last)).await;
    server.set_latency(LATENCY);
    server
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
