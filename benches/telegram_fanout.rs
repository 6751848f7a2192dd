//! Telegram fan-out through the fake Bot API enforcing Telegram's limits (30 messages a second,
//! one a second per chat, 20 a minute per group), the whole bot running (folder → alert →
//! delivery engine → sokbo's Bot API client), with the fake answering 0–300 ms late:
//! - `private`: one alert to 1,000 private chats at 0, 50, 150 and 300 ms;
//! - `mix`: 180 private chats and 20 groups, 5 alerts each, at 150 ms;
//! - `faults`: 1,000 private chats at 150 ms with 5 % of sends answered HTTP 500;
//! - `breaking`: 1,000 ordinary alerts queued, then a breaking one: time to its first chat.
//!
//! Each line gives the time from the bot's start (connecting to the Bot API, reading the folder)
//! to the last alert, from the first alert to the last, the floor Telegram's limits set for the
//! fan-out, and the ratio of fan-out to floor. Run: `cargo bench --bench telegram_fanout` (`SOKBO_BENCH_SCENARIOS=
//! private,mix` picks scenarios, `SOKBO_BENCH_CHATS` scales the private ones,
//! `SOKBO_BENCH_STORE=postgres` keeps the bot's data in a throwaway PostgreSQL with fsync on
//! instead of sled).

/// The integration tests' harness; a bench uses only part of it.
#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code, unused_imports)]
mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use sokbo::config::{ConsoleMode, TelegramConfig};
use sokbo::model::{ChatId, Subscription};
use sokbo::storage::{Location, Store, SubscriptionStore};
use support::app::{TestApp, dir_config, spawn_app};
use support::telegram::{SentMessage, TOKEN, TelegramServer, TgChat, TgUser};

const WAIT: Duration = Duration::from_secs(600);
const PER_SECOND: f64 = 30.0;

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

fn wanted(name: &str) -> bool {
    std::env::var("SOKBO_BENCH_SCENARIOS").map_or(true, |v| v.split(',').any(|s| s == name))
}

fn private_chats() -> i64 {
    std::env::var("SOKBO_BENCH_CHATS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

async fn run() {
    println!("telegram fan-out (fake Bot API enforcing Telegram's limits)");
    if wanted("private") {
        for ms in [0, 50, 150, 300] {
            let chats = privates(private_chats());
            let floor = chats.len() as f64 / PER_SECOND;
            let label = format!("private {} chats, {ms} ms", chats.len());
            fan_out(&label, &chats, 1, ms, 0.0, floor).await;
        }
    }
    if wanted("mix") {
        let mut chats = privates(180);
        chats.extend((0..20).map(|i| TgChat::supergroup(-1_001_000_000_000 - i, "뉴스방")));
        // 1,000 messages at 30 a second; a group's 5 in a row at one a second, well inside
        // its 20 a minute.
        let floor = (5.0 * chats.len() as f64 / PER_SECOND).max(4.0);
        fan_out(
            "mix 180 private + 20 groups × 5, 150 ms",
            &chats,
            5,
            150,
            0.0,
            floor,
        )
        .await;
    }
    if wanted("faults") {
        let chats = privates(private_chats());
        let floor = chats.len() as f64 / PER_SECOND;
        let label = format!("private {} chats, 150 ms, 5 % HTTP 500", chats.len());
        fan_out(&label, &chats, 1, 150, 0.05, floor).await;
    }
    if wanted("breaking") {
        breaking_under_load().await;
    }
}

fn privates(n: i64) -> Vec<TgChat> {
    (0..n)
        .map(|i| TgChat::private(&TgUser::new(10_000 + i, "구독자")))
        .collect()
}

fn post(dir: &Path, slug: &str, title: &str) {
    let text = format!(
        "---\ntitle: {title}\ncategories: [경제]\nexcerpt: 한-일 관세청장 회의가 7년 만에 재개됐다.\n---\n\
         <p>출처: <a href=\"https://newsdao.kr/1870\">관세청</a></p>\n\n한-일 관세청장 회의가 재개됐다.\n"
    );
    std::fs::write(dir.join(format!("{slug}.md")), text).expect("post");
}

/// With `SOKBO_BENCH_STORE=postgres`: the URL of a durable throwaway cluster, started once.
fn postgres_server() -> Option<&'static str> {
    static SERVER: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    SERVER
        .get_or_init(|| {
            (std::env::var("SOKBO_BENCH_STORE").as_deref() == Ok("postgres")).then(|| {
                let cluster = support::postgres::Cluster::start(true).expect("PostgreSQL");
                let url = cluster.url("postgres");
                // Kept for the whole run; its watcher removes it at exit.
                std::mem::forget(cluster);
                url
            })
        })
        .as_deref()
}

/// A fake with `chats` and the given latency and error rate, and the bot on a store where each
/// chat subscribes to everything, `posts` waiting in its folder.
async fn setup(
    chats: &[TgChat],
    posts: usize,
    breaking: bool,
    ms: u64,
    error_rate: f64,
) -> (TelegramServer, tempfile::TempDir, TestApp) {
    let server = TelegramServer::start().await;
    server.set_latency(Duration::from_millis(ms));
    server.set_send_error_rate(error_rate, 7);
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, dir) = (tmp.path().join("data"), tmp.path().join("posts"));
    std::fs::create_dir_all(&dir).expect("posts dir");
    for i in 0..posts {
        post(
            &dir,
            &format!("2026-12-0{}-news-{i}", 1 + i),
            &format!("관세청 회의 {i}"),
        );
    }
    let location = match postgres_server() {
        Some(server) => Location::Postgres(support::postgres::create_database(server).await),
        None => Location::Sled(data.clone()),
    };
    {
        let store = Store::open(&location).await.expect("store");
        let subs = SubscriptionStore::new(store.clone());
        for chat in chats {
            server.add_chat(chat);
            let mut sub = Subscription::new(ChatId::telegram(chat.id));
            sub.all = true;
            subs.put(&sub).await.expect("subscription");
        }
        store.flush().await.expect("flush");
    }
    let mut config = dir_config(&data, &dir, posts);
    if let Location::Postgres(url) = &location {
        config.store.url = url.clone();
    }
    config.feeds[0].breaking = breaking;
    config.bot.console = ConsoleMode::Never;
    config.telegram = Some(TelegramConfig {
        token: TOKEN.into(),
        api_url: server.url(),
        photo: false,
    });
    let app = spawn_app(config);
    (server, tmp, app)
}

fn alerts(messages: &[SentMessage]) -> impl Iterator<Item = &SentMessage> {
    messages
        .iter()
        .filter(|m| m.method == "SendMessage" && m.parse_mode.as_deref() == Some("HTML"))
}

async fn fan_out(label: &str, chats: &[TgChat], posts: usize, ms: u64, errors: f64, floor: f64) {
    let started = Instant::now();
    let (server, _tmp, app) = setup(chats, posts, true, ms, errors).await;
    let want = chats.len() * posts;
    let first = server
        .wait_for(WAIT, |s| alerts(&s.messages()).count() >= 1)
        .await;
    let first_at = started.elapsed().as_secs_f64();
    let all = server
        .wait_for(WAIT, |s| alerts(&s.messages()).count() >= want)
        .await;
    let took = started.elapsed().as_secs_f64();
    assert!(first && all, "{label}: every alert delivered");
    let span = took - first_at;
    app.stop().await;
    let messages = server.messages();
    let once = chats.iter().all(|c| {
        let n = alerts(&messages).filter(|m| m.chat_id == c.id).count();
        n == posts
    });
    println!(
        "  {label:<44} start→last {took:>5.1} s  first→last {span:>5.1} s  floor {floor:>5.1} s  \
         ratio {:>4.2}  exactly once {once}  429s {}  500s {}",
        span / floor,
        server.too_many_requests(),
        server.errors().iter().filter(|e| e.code == 500).count(),
    );
}

/// 1,000 ordinary alerts are queued; once 100 are out, a breaking post arrives.
async fn breaking_under_load() {
    let chats = privates(1000);
    let (server, tmp, app) = setup(&chats, 1, false, 150, 0.0).await;
    assert!(
        server
            .wait_for(WAIT, |s| alerts(&s.messages()).count() >= 100)
            .await
    );
    let written = Instant::now();
    post(
        &tmp.path().join("posts"),
        "2026-12-07-breaking",
        "속보 관세청장 회의 재개",
    );
    let first = server
        .wait_for(WAIT, |s| {
            alerts(&s.messages()).any(|m| m.text.contains("속보 관세청장"))
        })
        .await;
    let took = written.elapsed().as_secs_f64();
    assert!(first, "the breaking alert went out");
    let ordinary_left = 1000
        - alerts(&server.messages())
            .filter(|m| !m.text.contains("속보"))
            .count();
    println!(
        "  breaking alert behind 1,000 ordinary ones: first chat {:.0} ms after the post was \
         written (folder watch included), {ordinary_left} ordinary alerts still queued",
        took * 1000.0
    );
    app.stop().await;
}
