//! The HTTP endpoints on 127.0.0.1: every route and status, metrics text, token hygiene, shutdown.

mod prom;
mod shutdown;
mod support;

use std::collections::BTreeMap;
use std::time::Duration;

use prom::{parse_metrics, sample};
use reqwest::StatusCode;
use serde_json::json;
use sokbo::model::Platform;
use sokbo::server::Health;
use support::*;

#[tokio::test(flavor = "current_thread")]
async fn healthz_reports_each_component() {
    let server = start(TOKEN).await;
    let http = client();
    let url = format!("{}/healthz", server.url);

    let ok = send(http.get(&url)).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(
        ok.headers
            .contains("\"content-type\": \"application/json\"")
    );
    assert!(ok.headers.contains("\"cache-control\": \"no-store\""));
    assert_eq!(
        json_body(&ok),
        json!({
            "status": "ok", "store": "ok",
            "platforms": {"telegram": "ok", "discord": "ok"},
            "feeds_failing": [], "outbox_depth": 0, "outbox_oldest_seconds": null,
            "websub": {}
        })
    );

    {
        let mut health = server.health.lock().expect("health");
        health.feeds_failing = vec!["blog".into()];
        health.outbox_depth = 7;
        health.outbox_oldest = Some(Duration::from_millis(1500));
        health.websub = vec![("blog".into(), "verified".into())];
    }
    let degraded = send(http.get(&url)).await;
    assert_eq!(degraded.status, StatusCode::OK);
    assert_eq!(
        json_body(&degraded),
        json!({
            "status": "degraded", "store": "ok",
            "platforms": {"telegram": "ok", "discord": "ok"},
            "feeds_failing": ["blog"], "outbox_depth": 7, "outbox_oldest_seconds": 1.5,
            "websub": {"blog": "verified"}
        })
    );

    server.health.lock().expect("health").platforms[1].1 = false;
    let platform_down = send(http.get(&url)).await;
    assert_eq!(platform_down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(json_body(&platform_down)["status"], "down");
    assert_eq!(json_body(&platform_down)["platforms"]["discord"], "down");

    *server.health.lock().expect("health") = Health {
        store_ok: false,
        ..healthy()
    };
    let store_down = send(http.get(&url)).await;
    assert_eq!(store_down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        json_body(&store_down),
        json!({
            "status": "down", "store": "down",
            "platforms": {"telegram": "ok", "discord": "ok"},
            "feeds_failing": [], "outbox_depth": 0, "outbox_oldest_seconds": null,
            "websub": {}
        })
    );
    stop(server).await;
}

#[tokio::test(flavor = "current_thread")]
async fn metrics_text_parses_and_escapes_feed_names() {
    let server = start(TOKEN).await;
    server.metrics.register_feed("blog");
    server.metrics.poll(ODD_FEED);
    server.metrics.poll(ODD_FEED);
    server.metrics.fetch_error(ODD_FEED);
    server
        .metrics
        .alert(Platform::Telegram, sokbo::metrics::AlertOutcome::Delivered);
    server.metrics.latency(Duration::from_secs(3));
    {
        let mut health = server.health.lock().expect("health");
        health.outbox_depth = 3;
        health.outbox_oldest = Some(Duration::from_millis(2500));
        health.feeds_failing = vec![ODD_FEED.into(), "blog".into()];
    }
    let seen = send(client().get(format!("{}/metrics", server.url))).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(
        seen.headers
            .contains("\"content-type\": \"text/plain; version=0.0.4; charset=utf-8\""),
        "{}",
        seen.headers
    );
    assert!(
        seen.body
            .contains("sokbo_polls_total{feed=\"we\\\"ird\\\\feed\\nname\"} 2\n")
    );
    let samples = parse_metrics(&seen.body);
    let found = [
        sample(&samples, "sokbo_polls_total", &[("feed", ODD_FEED)]),
        sample(&samples, "sokbo_polls_total", &[("feed", "blog")]),
        sample(&samples, "sokbo_fetch_errors_total", &[("feed", ODD_FEED)]),
        sample(
            &samples,
            "sokbo_alerts_total",
            &[("platform", "telegram"), ("outcome", "delivered")],
        ),
        sample(
            &samples,
            "sokbo_publish_to_sent_seconds_bucket",
            &[("le", "2.5")],
        ),
        sample(
            &samples,
            "sokbo_publish_to_sent_seconds_bucket",
            &[("le", "5")],
        ),
        sample(&samples, "sokbo_publish_to_sent_seconds_count", &[]),
        sample(&samples, "sokbo_outbox_depth", &[]),
        sample(&samples, "sokbo_outbox_oldest_seconds", &[]),
        sample(&samples, "sokbo_feeds_failing", &[]),
    ];
    let expected = [2.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 3.0, 2.5, 2.0].map(Some);
    assert_eq!(found, expected);
    let names: BTreeMap<&str, usize> = samples.iter().fold(BTreeMap::new(), |mut m, s| {
        *m.entry(s.0.as_str()).or_default() += 1;
        m
    });
    assert_eq!(names.get("sokbo_summary_seconds_bucket"), Some(&13));
    stop(server).await;
}

#[tokio::test(flavor = "current_thread")]
async fn ping_checks_token_method_and_feed() {
    let logs = Logs::default();
    let _guard = logs.capture();
    let server = start(TOKEN).await;
    let http = client();
    let ping = |feed: &str| {
        let url = format!("{}/ping?feed={}", server.url, urlencode(feed));
        http.post(url)
    };
    let bearer = format!("Bearer {TOKEN}");

    let mut seen = Vec::new();
    let cases = [
        ("no token", ping("blog")),
        (
            "wrong token",
            ping("blog").bearer_auth("s3cr3t-Ping-t0ken_Zx8"),
        ),
        (
            "token as query",
            http.post(format!("{}/ping?feed=blog&token={TOKEN}", server.url)),
        ),
        ("basic auth", ping("blog").basic_auth("user", Some(TOKEN))),
        (
            "no feed",
            http.post(format!("{}/ping", server.url))
                .header("authorization", &bearer),
        ),
        (
            "unknown feed",
            ping("nope").header("authorization", &bearer),
        ),
        ("started", ping("blog").header("authorization", &bearer)),
        ("in flight", ping("blog").header("authorization", &bearer)),
        ("odd name", ping(ODD_FEED).header("authorization", &bearer)),
        (
            "GET",
            http.get(format!("{}/ping?feed=blog", server.url))
                .header("authorization", &bearer),
        ),
        ("PUT healthz", http.put(format!("{}/healthz", server.url))),
        (
            "other path",
            http.get(format!("{}/admin?token={TOKEN}", server.url)),
        ),
        (
            "large body",
            ping("blog")
                .header("authorization", &bearer)
                .body(vec![b'x'; 4096]),
        ),
    ];
    for (name, request) in cases {
        seen.push((name, send(request).await));
    }
    let statuses: Vec<(&str, u16)> = seen.iter().map(|(n, s)| (*n, s.status.as_u16())).collect();
    assert_eq!(
        statuses,
        [
            ("no token", 401),
            ("wrong token", 401),
            ("token as query", 401),
            ("basic auth", 401),
            ("no feed", 400),
            ("unknown feed", 404),
            ("started", 202),
            ("in flight", 202),
            ("odd name", 202),
            ("GET", 405),
            ("PUT healthz", 405),
            ("other path", 404),
            ("large body", 413),
        ]
    );
    let by_name: BTreeMap<&str, &Seen> = seen.iter().map(|(n, s)| (*n, s)).collect();
    assert!(
        by_name["no token"]
            .headers
            .contains("\"www-authenticate\": \"Bearer realm=\\\"sokbo\\\"\"")
    );
    assert!(by_name["wrong token"].headers.contains(
        "\"www-authenticate\": \"Bearer realm=\\\"sokbo\\\", error=\\\"invalid_token\\\"\""
    ));
    assert_eq!(
        json_body(by_name["started"]),
        json!({"feed": "blog", "status": "started"})
    );
    assert_eq!(
        json_body(by_name["in flight"]),
        json!({"feed": "blog", "status": "already running"})
    );
    assert_eq!(
        json_body(by_name["odd name"]),
        json!({"feed": ODD_FEED, "status": "started"})
    );
    assert_eq!(
        json_body(by_name["unknown feed"]),
        json!({"error": "unknown feed"})
    );
    assert!(by_name["GET"].headers.contains("\"allow\": \"POST\""));
    assert_eq!(
        *server.pings.lock().expect("pings"),
        ["blog".to_owned(), ODD_FEED.to_owned()]
    );

    // The token shows up nowhere: not in any response, not in the logs.
    for (name, response) in &seen {
        assert!(!response.headers.contains(TOKEN), "{name}: {response:?}");
        assert!(!response.body.contains(TOKEN), "{name}: {response:?}");
    }
    stop(server).await;
    let logged = logs.text();
    assert!(
        logged.contains("ping refused: wrong bearer token"),
        "{logged}"
    );
    assert!(logged.contains("ping: poll started"), "{logged}");
    assert!(!logged.contains(TOKEN), "{logged}");
    assert!(!logged.contains("t0ken"), "{logged}");
}

fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn ping_is_off_without_a_token() {
    let server = start("").await;
    let http = client();
    let url = format!("{}/ping?feed=blog", server.url);
    let statuses = [
        send(http.post(&url)).await.status,
        send(http.post(&url).bearer_auth("")).await.status,
        send(http.post(&url).bearer_auth("anything")).await.status,
    ];
    assert_eq!(statuses, [StatusCode::FORBIDDEN; 3]);
    assert!(server.pings.lock().expect("pings").is_empty());
    stop(server).await;
}
