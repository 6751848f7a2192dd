//! The real binary: exit codes, preview output, and a crash in the middle of delivering.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

mod preview_files;

const BIN: &str = env!("CARGO_BIN_EXE_sokbo");

fn write_config(dir: &Path, posts: &Path, backlog: usize) -> std::path::PathBuf {
    let path = dir.join("config.toml");
    let text = format!(
        "[bot]\ndata_dir = \"data\"\n\n[alerts]\nbacklog = {backlog}\n\n[[feeds]]\nname = \"site\"\npath = {:?}\nsite_url = \"https://news.example.com\"\n",
        posts.display().to_string()
    );
    std::fs::write(&path, text).unwrap();
    path
}

pub(crate) fn write_posts(posts: &Path, n: usize) -> Vec<String> {
    std::fs::create_dir_all(posts).unwrap();
    (0..n)
        .map(|i| {
            let title = format!("테스트 기사 {i:02}");
            let text = format!(
                "---\ntitle: {title}\ncategories: [경제]\ndate: 2026-11-{:02} 09:00:00 +0900\nexcerpt: {title} 내용입니다.\n---\n본문입니다.\n",
                1 + i % 28
            );
            std::fs::write(posts.join(format!("2026-11-{:02}-post-{i:02}.md", 1 + i % 28)), text).unwrap();
            title
        })
        .collect()
}

/// Spawns `sokbo run` and a thread that forwards alert titles from its stdout.
fn start(config: &Path) -> (Child, mpsc::Receiver<String>) {
    let mut child = Command::new(BIN)
        .args(["run", "--config"])
        .arg(config)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some((_, title)) = line.split_once(" ┃ ")
                && tx.send(title.to_owned()).is_err()
            {
                break;
            }
        }
    });
    (child, rx)
}

fn recv_until(
    rx: &mpsc::Receiver<String>,
    deadline: Instant,
    mut done: impl FnMut(&[String]) -> bool,
) -> Vec<String> {
    let mut got = Vec::new();
    while !done(&got) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(t) => got.push(t),
            Err(_) => break,
        }
    }
    got
}

#[test]
fn killed_mid_delivery_repeats_at_most_one_alert_and_loses_none() {
    let tmp = tempfile::tempdir().unwrap();
    let posts = tmp.path().join("posts");
    let titles = write_posts(&posts, 40);
    let config = write_config(tmp.path(), &posts, 40);

    let (mut first, rx) = start(&config);
    let deadline = Instant::now() + Duration::from_secs(30);
    let early = recv_until(&rx, deadline, |got| got.len() >= 5);
    assert_eq!(early.len(), 5, "the first run printed alerts");
    first.kill().unwrap();
    first.wait().unwrap();
    // Whatever the first run printed before dying.
    let mut seen: Vec<String> = early;
    seen.extend(rx.try_iter());

    let (mut second, rx) = start(&config);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut all = seen.clone();
    let rest = recv_until(&rx, deadline, |got| {
        titles.iter().all(|t| all.contains(t) || got.contains(t))
    });
    all.extend(rest);
    terminate(&second);
    assert!(
        second.wait().unwrap().success(),
        "SIGTERM stops the bot cleanly"
    );
    all.extend(rx.try_iter());

    for t in &titles {
        assert!(all.contains(t), "{t} was lost");
    }
    let doubled = all.len() - titles.len();
    assert!(doubled <= 1, "{doubled} alerts were repeated: {all:?}");
}

fn terminate(child: &Child) {
    // SIGTERM through the kill command: no libc binding needed.
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn bad_config_exits_2_naming_the_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("config.toml");
    std::fs::write(
        &path,
        "[bot]\nlanguage = \"ko\"\n\n[[feeds]]\nname = \"x\"\ninterval = \"soon\"\npath = \"p\"\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["run", "--config"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("interval") && err.contains(":6"),
        "stderr: {err}"
    );

    let out = Command::new(BIN)
        .args(["run", "--config", "/nonexistent/sokbo.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN).args(["frobnicate"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn preview_json_prints_one_object_per_post() {
    let tmp = tempfile::tempdir().unwrap();
    let posts = tmp.path().join("posts");
    write_posts(&posts, 3);
    let out = Command::new(BIN)
        .arg("preview")
        .arg(&posts)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["title"], "테스트 기사 02");
    for key in [
        "title",
        "link",
        "source_links",
        "categories",
        "summary",
        "image",
        "published",
        "breaking",
        "feed",
    ] {
        assert!(lines[0].get(key).is_some(), "missing {key}");
    }
    assert_eq!(lines[0]["categories"], serde_json::json!(["경제"]));
    assert_eq!(lines[0]["feed"], "posts");
}

#[test]
fn check_reports_sources_and_fails_on_a_missing_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let posts = tmp.path().join("posts");
    write_posts(&posts, 2);
    let config = write_config(tmp.path(), &posts, 0);
    let out = Command::new(BIN)
        .args(["check", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("(2 post files)") && stdout.ends_with("ok\n"),
        "{stdout}"
    );

    std::fs::remove_dir_all(&posts).unwrap();
    let out = Command::new(BIN)
        .args(["check", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn feeds_import_prints_new_entries_and_export_gives_them_back() {
    let feeds = |config: &Path, args: &[&std::ffi::OsStr]| {
        Command::new(BIN)
            .args(["feeds", "--config"])
            .arg(config)
            .args(args)
            .output()
            .unwrap()
    };
    let tmp = tempfile::tempdir().unwrap();
    let opml = tmp.path().join("subs.opml");
    std::fs::write(
        &opml,
        "<?xml version=\"1.0\"?><opml version=\"2.0\"><head/><body><outline text=\"경제\">\
         <outline text=\"한국은행\" type=\"rss\" xmlUrl=\"https://www.bok.or.kr/rss.xml\"/></outline>\
         <outline text=\"ftp\" xmlUrl=\"ftp://example.kr/x\"/></body></opml>",
    )
    .unwrap();
    let config = tmp.path().join("config.toml");
    let out = feeds(&config, &["import".as_ref(), opml.as_os_str()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let entries = String::from_utf8(out.stdout).unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 new feed(s)"));
    std::fs::write(&config, &entries).unwrap();
    // The printed entries load as config, and importing again finds nothing new.
    let out = feeds(&config, &["import".as_ref(), opml.as_os_str()]);
    assert!(
        out.status.success() && out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = feeds(&config, &["export".as_ref()]);
    let exported = String::from_utf8(out.stdout).unwrap();
    assert!(
        exported.contains("xmlUrl=\"https://www.bok.or.kr/rss.xml\"")
            && exported.contains("category=\"경제\""),
        "{exported}"
    );
}
