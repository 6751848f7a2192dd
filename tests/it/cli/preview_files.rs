//! `sokbo preview` on single files: a local feed file is read as a feed, a post file with
//! front matter as a post, anything else is refused with a reason.

use std::path::Path;
use std::process::Command;

use super::{BIN, write_posts};

/// `sokbo preview PATH --json`: the alerts as JSON values, or the stderr of a failure.
fn preview_json(path: &Path) -> Result<Vec<serde_json::Value>, String> {
    let out = Command::new(BIN)
        .arg("preview")
        .arg(path)
        .arg("--json")
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect())
}

#[test]
fn preview_reads_a_feed_file_and_a_post_file() {
    let tmp = tempfile::tempdir().unwrap();
    // Links on a closed local port: a teaser's article page is not fetched from anywhere else.
    let feed = tmp.path().join("legacy.xml");
    std::fs::write(
        &feed,
        "\u{feff}<?xml version=\"1.0\"?><rss><channel><title>로컬 피드</title>\
         <item><title>버전 없는 RSS 파일</title><guid>http://127.0.0.1:9/news/1</guid>\
         <pubDate>Tue, 14 Nov 2023 09:00:00 +0900</pubDate><category>경제</category></item>\
         </channel></rss>",
    )
    .unwrap();
    let alerts = preview_json(&feed).unwrap();
    assert_eq!(alerts.len(), 1, "{alerts:?}");
    let alert = &alerts[0];
    assert_eq!(alert["title"], "버전 없는 RSS 파일");
    assert_eq!(alert["link"], "http://127.0.0.1:9/news/1");
    assert_eq!(alert["categories"], serde_json::json!(["경제"]));
    assert_eq!(alert["feed"], "legacy");

    let posts = tmp.path().join("posts");
    let titles = write_posts(&posts, 1);
    let post_file = std::fs::read_dir(&posts)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let alerts = preview_json(&post_file).unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0]["title"], titles[0].as_str());
    assert_eq!(alerts[0]["feed"], "posts");

    let broken = tmp.path().join("broken.atom");
    std::fs::write(
        &broken,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry>",
    )
    .unwrap();
    let err = preview_json(&broken).unwrap_err();
    assert!(
        err.contains("parsing") && err.contains("broken.atom"),
        "{err}"
    );
    let text = tmp.path().join("notes.txt");
    std::fs::write(&text, "just words").unwrap();
    let err = preview_json(&text).unwrap_err();
    assert!(err.contains("not a post file with front matter"), "{err}");
}
