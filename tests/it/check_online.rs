//! `sokbo check --online`: every http feed fetched and parsed once, failures counted.

use std::process::Command;

use crate::support::feed_server::{FeedServer, Resource};

const BIN: &str = env!("CARGO_BIN_EXE_sokbo");

const RSS: &str = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>\
                   <item><title>하나</title><guid>1</guid></item><item><title>둘</title><guid>2</guid></item>\
                   </channel></rss>";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_online_fetches_every_feed_once() {
    let server = FeedServer::start().await;
    server.serve("/good.xml", Resource::new(RSS, "application/rss+xml"));
    server.serve(
        "/html",
        Resource::new("<html><body>not a feed</body></html>", "text/html"),
    );
    let tmp = tempfile::tempdir().unwrap();
    let config = tmp.path().join("config.toml");
    let write = |feeds: &[(&str, String)]| {
        let mut text = String::from("[bot]\ndata_dir = \"data\"\n");
        for (name, url) in feeds {
            text.push_str(&format!(
                "\n[[feeds]]\nname = \"{name}\"\nurl = \"{url}\"\n"
            ));
        }
        std::fs::write(&config, text).unwrap();
    };
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .arg("--config")
            .arg(&config)
            .output()
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };

    write(&[("good", server.url("/good.xml"))]);
    let (code, stdout) = run(&["check", "--online"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains(&format!("{} (ok, 2 posts)", server.url("/good.xml"))),
        "{stdout}"
    );
    assert_eq!(server.requests("/good.xml"), 1);
    // Without --online nothing is fetched.
    assert_eq!(run(&["check"]).0, Some(0));
    assert_eq!(server.requests("/good.xml"), 1);

    write(&[
        ("good", server.url("/good.xml")),
        ("page", server.url("/html")),
        ("gone", server.url("/missing")),
    ]);
    let (code, stdout) = run(&["check", "--online"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert_eq!(stdout.matches("— ERROR:").count(), 2, "{stdout}");
    assert!(stdout.trim_end().ends_with("2 problem(s)"), "{stdout}");
}
