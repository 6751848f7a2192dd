//! A database that is not there, or goes away: the bot says which one at start and exits 1;
//! while running it pauses, reports the store down on /healthz, loses nothing and resumes by
//! itself, and a chat command meanwhile gets a short try-again reply. The password never shows.

use std::process::{Command, Stdio};
use std::time::Duration;

use sokbo::config::{ServerConfig, TelegramConfig};

use crate::support::app::{dir_config, free_port, http_feed, spawn_app};
use crate::support::feed_server::{FeedServer, Resource, numbered_rss as rss};
use crate::support::postgres::{Cluster, create_database};
use crate::support::telegram::{Incoming, TOKEN, TelegramServer, TgChat, TgUser};

const BIN: &str = env!("CARGO_BIN_EXE_sokbo");
const WAIT: Duration = Duration::from_secs(45);

#[test]
fn an_unreachable_database_at_start_is_named_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let port = free_port();
    let url = format!("postgres://sokbo:top-secret-pw@127.0.0.1:{port}/newsroom");
    let config = tmp.path().join("config.toml");
    std::fs::write(
        &config,
        format!("[store]\nurl = \"{url}\"\n\n[[feeds]]\nname = \"n\"\npath = \"posts\"\n"),
    )
    .unwrap();
    std::fs::create_dir_all(tmp.path().join("posts")).unwrap();
    for args in [&["run", "--config"][..], &["check", "--config"][..]] {
        let out = Command::new(BIN)
            .args(args)
            .arg(&config)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{args:?}: {said}");
        assert!(
            said.contains(&format!("127.0.0.1:{port}")) && said.contains("newsroom"),
            "{args:?} names host and database: {said}"
        );
        assert!(
            !said.contains("top-secret-pw"),
            "{args:?} leaks the password: {said}"
        );
    }
}

/// `GET /healthz` until `want` comes back (status, body contains `store_is`).
async fn healthz_until(base: &str, status: u16, store_is: &str) -> bool {
    let http = reqwest::Client::new();
    let deadline = tokio::time::Instant::now() + WAIT;
    while tokio::time::Instant::now() < deadline {
        if let Ok(r) = http.get(format!("{base}/healthz")).send().await {
            let got = r.status().as_u16();
            let body = r.text().await.unwrap_or_default();
            if got == status && body.contains(&format!("\"store\":\"{store_is}\"")) {
                return true;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_lost_while_running_pauses_and_everything_resumes() {
    let cluster = Cluster::start(false).unwrap();
    let url = create_database(&cluster.url("postgres")).await;
    let feeds = FeedServer::start().await;
    feeds.serve("/feed.xml", Resource::new(rss(&[1]), "application/rss+xml"));
    let port = free_port();
    let mut config = sokbo::config::Config::default();
    config.store.url = url.clone();
    config.feeds.push(http_feed(
        "news",
        &feeds.url("/feed.xml"),
        Duration::from_millis(300),
    ));
    config.server = Some(ServerConfig {
        listen: format!("127.0.0.1:{port}"),
        ping_token: String::new(),
        public_url: String::new(),
    });
    let base = format!("http://127.0.0.1:{port}");
    let mut app = spawn_app(config);
    assert!(healthz_until(&base, 200, "ok").await, "up on PostgreSQL");
    // The feed's first sight is recorded (its one post is backlog, not alerted).
    let probe = sokbo::storage::Store::postgres(&url, false).await.unwrap();
    let deadline = tokio::time::Instant::now() + WAIT;
    while !probe.feed_state("news").await.unwrap().initialized {
        assert!(
            tokio::time::Instant::now() < deadline,
            "first poll recorded"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    drop(probe);
    feeds.set_body("/feed.xml", rss(&[2, 1]));
    let first = app
        .next_alert(WAIT)
        .await
        .expect("an alert while the store is up");
    assert_eq!(first.title, "속보 2번 기사");

    cluster.pause().unwrap();
    assert!(
        healthz_until(&base, 503, "down").await,
        "/healthz reports the store down"
    );
    // Posts that appear while the database is away are alerted once it is back.
    feeds.set_body("/feed.xml", rss(&[4, 3, 2, 1]));
    // Polls pause while the store cannot say what is new; the healthz check above already
    // waited through at least one failed store round.
    cluster.resume().unwrap();
    assert!(healthz_until(&base, 200, "ok").await, "/healthz recovers");
    assert_eq!(
        app.sorted_titles(2, WAIT).await,
        ["속보 3번 기사", "속보 4번 기사"]
    );
    // Nothing else: no repeats of what was sent before the outage.
    assert!(app.next_alert(Duration::from_secs(2)).await.is_none());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_command_while_the_database_is_away_gets_a_try_again_reply() {
    let cluster = Cluster::start(false).unwrap();
    let url = create_database(&cluster.url("postgres")).await;
    let telegram = TelegramServer::start().await;
    let user = TgUser::new(300, "민지").language("ko");
    let chat = TgChat::private(&user);
    telegram.add_chat(&chat);
    let tmp = tempfile::tempdir().unwrap();
    let posts = tmp.path().join("posts");
    std::fs::create_dir_all(&posts).unwrap();
    let mut config = dir_config(&tmp.path().join("data"), &posts, 0);
    config.store.url = url;
    config.telegram = Some(TelegramConfig {
        token: TOKEN.into(),
        api_url: telegram.url(),
        photo: false,
    });
    let app = spawn_app(config);
    let said = |s: &TelegramServer| s.messages_to(chat.id).len();
    let reply_to = async |text: &str| {
        let before = said(&telegram);
        telegram.push(Incoming::text(&chat, &user, text));
        assert!(
            telegram.wait_for(WAIT, |s| said(s) > before).await,
            "no reply to {text}"
        );
        telegram.messages_to(chat.id)[before].text.clone()
    };
    assert!(reply_to("/subscribe 경제").await.contains("경제"));

    cluster.pause().unwrap();
    let reply = reply_to("/subscribe 정치").await;
    assert_eq!(reply, "지금은 처리할 수 없어요. 잠시 후 다시 해 주세요.");

    cluster.resume().unwrap();
    let reply = reply_to("/subscribe 정치").await;
    assert!(reply.contains("정치"), "{reply}");
    app.stop().await;
}
