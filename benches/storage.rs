//! Both storage backends side by side, in one run: posts per second through parse → new? →
//! outbox (the pipeline's ingest), and deliveries per second completed by the delivery engine
//! with a notifier that accepts at once (no platform in the way). sled in a temporary folder
//! (each group of finished deliveries flushed to disk); PostgreSQL from
//! `SOKBO_TEST_DATABASE_URL`, else a throwaway local cluster with fsync on, as in production.
//!
//! `cargo bench --bench storage` (SOKBO_BENCH_POSTS, default 20,000 posts in feeds of 50;
//! SOKBO_BENCH_CHATS subscribed chats, default 1; SOKBO_BENCH_FSYNC=off runs the local cluster
//! without fsync, for comparison).

#[path = "../tests/it/support/postgres.rs"]
#[allow(dead_code)]
mod postgres;

#[path = "common/count.rs"]
mod count;

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;

use count::Count;
use std::time::{Duration, Instant};

use tokio_util::sync::CancellationToken;

use sokbo::config::{Config, FeedConfig, FeedSource};
use sokbo::delivery::{Engine, Queue, Settings};
use sokbo::model::{ChatId, Subscription};
use sokbo::pipeline::Pipeline;
use sokbo::platform::Notifiers;
use sokbo::source::feed::parse_feed;
use sokbo::storage::{Location, Store, SubscriptionStore};

const POSTS_PER_FEED: usize = 50;
/// Chats subscribed to everything (SOKBO_BENCH_CHATS, default 1): each post queues one delivery
/// per chat.
fn chats() -> usize {
    std::env::var("SOKBO_BENCH_CHATS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1)
}

fn feed_xml(round: usize) -> String {
    let mut items = String::new();
    for i in 0..POSTS_PER_FEED {
        items.push_str(&format!(
            "<item><title>관세청 회의 재개 {round}-{i} 한일 협력 강화</title>\
             <link>https://news.example.com/경제/2026/12/07/post-{round}-{i}.html</link>\
             <guid isPermaLink=\"false\">post-{round}-{i}</guid>\
             <pubDate>Mon, 07 Dec 2026 09:{:02}:00 +0900</pubDate><category>경제</category>\
             <description>한-일 관세청장 회의가 7년 만에 재개됐다. 양국은 전자상거래 무역 활성화에 합의했다.</description></item>",
            i % 60
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>news</title><link>https://news.example.com/</link>{items}</channel></rss>"
    )
}

struct Figures {
    posts_per_s: f64,
    deliveries_per_s: f64,
    deliveries: usize,
}

async fn measure(location: &Location, posts: usize) -> Figures {
    let store = Store::open(location).await.expect("store");
    let subs = SubscriptionStore::new(store.clone());
    for c in 0..chats() {
        let mut sub = Subscription::new(ChatId::telegram(1_000 + c as i64));
        sub.all = true;
        subs.put(&sub).await.expect("subscription");
    }
    let mut config = Config::default();
    let source = FeedSource::Http("https://news.example.com/feed.xml".into());
    let feed = FeedConfig::new("news", source);
    config.feeds.push(feed.clone());
    let pipeline = Pipeline::new(store.clone(), &config, vec![], false, Queue::detached())
        .with_subscriptions(subs, vec![sokbo::model::Platform::Telegram]);
    let now = chrono::Utc::now;
    pipeline
        .ingest(&feed, vec![], None, now())
        .await
        .expect("first sight");
    let rounds = posts.div_ceil(POSTS_PER_FEED);
    let docs: Vec<String> = (0..rounds).map(feed_xml).collect();
    let started = Instant::now();
    for doc in &docs {
        let parsed = parse_feed(
            doc.as_bytes(),
            Some("application/rss+xml"),
            "https://news.example.com/feed.xml",
        )
        .expect("feed parses");
        pipeline
            .ingest(&feed, parsed.posts, None, now())
            .await
            .expect("ingest");
    }
    let posts_per_s = (rounds * POSTS_PER_FEED) as f64 / started.elapsed().as_secs_f64();

    let deliveries = store.outbox_len().await.expect("outbox");
    let counter = Arc::new(Count(AtomicUsize::new(0)));
    let mut notifiers = Notifiers::default();
    notifiers.add(counter.clone());
    let (engine, _queue) = Engine::new(store.clone(), notifiers, Settings::default());
    let stop = CancellationToken::new();
    let started = Instant::now();
    let task = tokio::spawn(engine.run(stop.clone()));
    while store.outbox_len().await.expect("outbox") > 0 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let deliveries_per_s = deliveries as f64 / started.elapsed().as_secs_f64();
    stop.cancel();
    task.await.expect("engine");
    Figures {
        posts_per_s,
        deliveries_per_s,
        deliveries,
    }
}

fn main() {
    let posts: usize = std::env::var("SOKBO_BENCH_POSTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let tmp = tempfile::tempdir().expect("temp dir");
        let backends = [
            ("sled", Location::Sled(tmp.path().join("sled"))),
            (
                "PostgreSQL",
                Location::Postgres(postgres::fresh_database().await),
            ),
        ];
        println!(
            "storage: {posts} posts in feeds of {POSTS_PER_FEED}, {} chat(s) each",
            chats()
        );
        println!(
            "  {:<11} {:>12} {:>16}",
            "backend", "posts/s", "deliveries/s"
        );
        for (name, location) in &backends {
            let f = measure(location, posts).await;
            println!(
                "  {name:<11} {:>12.0} {:>16.0}   ({} deliveries)",
                f.posts_per_s, f.deliveries_per_s, f.deliveries
            );
        }
    });
}
