//! The `[server]` endpoints on the running bot: /ping polls a feed now, /healthz, /metrics.

use std::time::Duration;

use crate::support::app::{get_text, pinged_feed_config, spawn_app};
use crate::support::feed_server::{FeedServer, Resource};

const WAIT: Duration = Duration::from_secs(20);

fn rss(items: &[u32]) -> String {
    let items: String = items
        .iter()
        .map(|i| format!("<item><title>{i}번 소식</title><link>https://news.example.kr/{i}</link><guid>n{i}</guid></item>"))
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>{items}</channel></rss>"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ping_polls_at_once_and_health_and_metrics_report() {
    let feeds = FeedServer::start().await;
    feeds.serve(
        "/feed.xml",
        Resource::new(rss(&[1]), "application/rss+xml").etag("\"a\""),
    );
    let tmp = tempfile::tempdir().unwrap();
    let (config, listen) = pinged_feed_config(
        &tmp.path().join("data"),
        &feeds.url("/feed.xml"),
        "ping-secret-42",
    );
    let mut app = spawn_app(config);
    assert!(feeds.wait_for_requests("/feed.xml", 1, WAIT).await);

    let http = reqwest::Client::new();
    let base = format!("http://{listen}");
    let ping = format!("{base}/ping?feed=news");
    let wait_up = async {
        loop {
            if http.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::task::yield_now().await;
        }
    };
    tokio::time::timeout(WAIT, wait_up)
        .await
        .expect("server up");

    assert_eq!(http.post(&ping).send().await.unwrap().status(), 401);
    let unknown = http
        .post(format!("{base}/ping?feed=nope"))
        .bearer_auth("ping-secret-42")
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    feeds.set_body("/feed.xml", rss(&[2, 1]));
    let pinged = http
        .post(&ping)
        .bearer_auth("ping-secret-42")
        .send()
        .await
        .unwrap();
    assert_eq!(pinged.status(), 202);
    let alert = app.next_alert(WAIT).await.expect("the pinged feed alerts");
    assert_eq!(alert.title, "2번 소식");

    let health = http.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    let body: serde_json::Value = health.json().await.unwrap();
    assert_eq!(body["status"], "ok", "{body}");
    let want = [
        "sokbo_polls_total{feed=\"news\"} 2",
        "sokbo_posts_seen_total{feed=\"news\"} 2",
        "sokbo_alerts_total{platform=\"console\",outcome=\"delivered\"} 1",
    ];
    // The alert is printed before the outbox counts it: wait for the count.
    let deadline = tokio::time::Instant::now() + WAIT;
    let metrics = loop {
        let metrics = get_text(&http, &format!("{base}/metrics")).await;
        let all = want.iter().all(|w| metrics.lines().any(|l| l == *w));
        if all || tokio::time::Instant::now() > deadline {
            break metrics;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    for line in want {
        assert!(
            metrics.lines().any(|l| l == line),
            "missing {line:?} in\n{metrics}"
        );
    }
    assert!(!metrics.contains("ping-secret-42"));
    app.stop().await;
}

/// Runs `sokbo health --config <config>` to its end: exit code, stdout, stderr.
async fn health_command(config: std::path::PathBuf) -> (Option<i32>, String, String) {
    tokio::task::spawn_blocking(move || {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sokbo"))
            .args(["health", "--timeout", "5s", "--config"])
            .arg(&config)
            .env_remove("SOKBO_CONFIG")
            .output()
            .expect("sokbo runs");
        let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8");
        (out.status.code(), text(out.stdout), text(out.stderr))
    })
    .await
    .expect("the command thread")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_command_exits_0_while_the_bot_answers_and_1_after() {
    let feeds = FeedServer::start().await;
    feeds.serve("/feed.xml", Resource::new(rss(&[1]), "application/rss+xml"));
    let tmp = tempfile::tempdir().unwrap();
    let (config, listen) =
        pinged_feed_config(&tmp.path().join("data"), &feeds.url("/feed.xml"), "");
    // The command is told the wildcard address the bot would bind in a container.
    let port = listen.rsplit_once(':').expect("host:port").1;
    let file = tmp.path().join("config.toml");
    std::fs::write(&file, format!("[server]\nlisten = \"0.0.0.0:{port}\"\n")).unwrap();
    let app = spawn_app(config);
    assert!(feeds.wait_for_requests("/feed.xml", 1, WAIT).await);

    let deadline = tokio::time::Instant::now() + WAIT;
    let (code, stdout, stderr) = loop {
        let answer = health_command(file.clone()).await;
        if answer.0 == Some(0) || tokio::time::Instant::now() > deadline {
            break answer;
        }
    };
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.ends_with("}\n") && stdout.lines().count() == 1,
        "{stdout:?}"
    );
    let body: serde_json::Value = serde_json::from_str(&stdout).expect("JSON on stdout");
    assert_eq!(
        body,
        serde_json::json!({
            "status": "ok", "store": "ok", "platforms": {"console": "ok"},
            "feeds_failing": [], "outbox_depth": 0, "outbox_oldest_seconds": null,
            "websub": {}
        })
    );
    app.stop().await;

    let (code, stdout, stderr) = health_command(file.clone()).await;
    assert_eq!((code, stdout.as_str()), (Some(1), ""));
    // (Config warnings come first: this config watches no feed.)
    let error = stderr.lines().last().unwrap_or_default();
    assert!(
        error.starts_with(&format!("error: http://127.0.0.1:{port}/healthz: ")),
        "{stderr}"
    );
    std::fs::write(&file, "[bot]\n").unwrap();
    let (code, _, stderr) = health_command(file).await;
    assert_eq!(
        (code, stderr.lines().last()),
        (
            Some(1),
            Some("error: no [server] section: the bot serves no /healthz")
        )
    );
}
