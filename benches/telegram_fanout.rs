//! Fan-out of one breaking alert to 1,000 subscribed private chats through the fake Telegram Bot
//! API enforcing Telegram's limits: messages per second, 429s received, peak memory.
//!
//! Run: `cargo bench --bench telegram_fanout`

#[path = "../tests/support/mod.rs"]
mod support;

use std::time::{Duration, Instant};

use sokbo::config::{ConsoleMode, TelegramConfig};
use sokbo::store::Store;
use sokbo::subscriptions::{ChatId, Subscription, SubscriptionStore};
use support::app::{dir_config, spawn_app};
use support::telegram::{TOKEN, TelegramServer, TgChat, TgUser};

/// Subscribed chats; `SOKBO_BENCH_CHATS` overrides it for a quick run.
fn chats() -> i64 {
    std::env::var("SOKBO_BENCH_CHATS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn main() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    let chats = chats();
    let server = TelegramServer::start().await;
    let tmp = tempfile::tempdir().expect("temp dir");
    let (data, posts) = (tmp.path().join("data"), tmp.path().join("posts"));
    std::fs::create_dir_all(&posts).expect("posts dir");
    std::fs::write(
        posts.join("2026-11-24-breaking.md"),
        "---\ntitle: 속보 관세청 회의 재개\ncategories: [경제]\nexcerpt: 한-일 관세청장 회의가 7년 만에 재개됐다.\n---\n\
         <p>출처: <a href=\"https://newsdao.kr/1870\">관세청</a></p>\n\n한-일 관세청장 회의가 7년 만에 재개됐다.\n",
    )
    .expect("post");
    {
        let store = Store::open(&data).expect("store");
        let subs = SubscriptionStore::new(store.subs_tree().clone());
        for i in 0..chats {
            let user = TgUser::new(10_000 + i, "구독자");
            server.add_chat(&TgChat::private(&user));
            let mut sub = Subscription::new(ChatId::telegram(user.id));
            sub.all = true;
            subs.put(&sub).expect("subscription");
        }
        store.flush().await.expect("flush");
    }

    let mut config = dir_config(&data, &posts, 1);
    config.bot.console = ConsoleMode::Never;
    config.telegram = Some(TelegramConfig {
        token: TOKEN.into(),
        api_url: server.url(),
        photo: false,
    });
    let started = Instant::now();
    let app = spawn_app(config);
    let alerts = |s: &TelegramServer| {
        s.messages()
            .iter()
            .filter(|m| m.parse_mode.as_deref() == Some("HTML"))
            .count()
    };
    assert!(
        server
            .wait_for(Duration::from_secs(1), |s| alerts(s) >= 1)
            .await,
        "first alert"
    );
    let first = Instant::now();
    assert!(
        server
            .wait_for(Duration::from_secs(300), |s| alerts(s) >= chats as usize)
            .await,
        "all alerts delivered"
    );
    let last = Instant::now();
    app.stop().await;

    let span = last.duration_since(first).as_secs_f64();
    println!("telegram fan-out: {chats} private chats, Telegram limits enforced by the fake");
    println!(
        "  start → first alert   {:>8.3} s",
        first.duration_since(started).as_secs_f64()
    );
    println!("  first → last alert    {span:>8.3} s");
    println!("  messages per second   {:>8.1}", (chats - 1) as f64 / span);
    println!("  429s received         {:>8}", server.too_many_requests());
    println!(
        "  peak RSS (process)    {:>8} KiB",
        peak_rss_kib().unwrap_or(0)
    );
}

/// VmHWM of this process (bot and fake together), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
