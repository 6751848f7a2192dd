//! `sokbo preview --json` of a teaser feed prints the summaries its alerts would carry: made from
//! the article pages, or from the teaser when a page has no article.

use std::process::Command;

use super::*;
use crate::support::feed_server::{FeedServer, Resource};

fn rss(server: &FeedServer) -> String {
    let item = |n: u32, path: &str, teaser: &str| {
        format!(
            "<item><title>기사 {n}</title><link>{}</link><guid>g{n}</guid>\
             <pubDate>Sun, 22 Nov 2026 09:1{n}:00 +0900</pubDate>\
             <description><![CDATA[{teaser}]]></description></item>",
            server.url(path)
        )
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>t</title>\
         {}{}</channel></rss>",
        item(2, "/a/1", DAILY_TEASER),
        item(1, "/gone", DAILY_TEASER)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_prints_the_summary_made_from_the_page() {
    let server = FeedServer::start().await;
    server.serve(
        "/feed.xml",
        Resource::new(rss(&server), "application/rss+xml"),
    );
    server.serve(
        "/a/1",
        Resource::new(fixture_text("ko_daily.html"), "text/html"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let url = server.url("/feed.xml");
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_sokbo"))
            .args(["preview", "--json", &url])
            .current_dir(tmp.path())
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let alerts: Vec<(String, String, Option<String>)> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            let text = |k: &str| v[k].as_str().map(str::to_owned);
            (
                text("title").unwrap(),
                text("summary").unwrap(),
                text("image"),
            )
        })
        .collect();
    assert_eq!(
        alerts,
        [
            (
                "기사 2".to_owned(),
                DAILY_SUMMARY.to_owned(),
                Some(server.url("/photo/2026/11/22/subway.jpg"))
            ),
            (
                "기사 1".to_owned(),
                "서울 지하철 2호선이 22일 오전 신호 장애로 최대 20분가량 지연 운행돼 출근길 시민들이 큰 불편을…"
                    .to_owned(),
                None
            ),
        ]
    );
    assert_eq!(server.requests("/gone"), 1);
}
