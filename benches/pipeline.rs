//! Throughput of the hot path: feed bytes parsed per second, and posts per second through
//! parse → detect → outbox (no notifier draining it).

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sokbo::config::{Config, FeedConfig, FeedSource};
use sokbo::delivery::Queue;
use sokbo::pipeline::Pipeline;
use sokbo::source::feed::parse_feed;
use sokbo::storage::Store;

const POSTS: usize = 50;

/// A Korean RSS 2.0 feed of `POSTS` items shaped like the first target site's posts; `round`
/// makes every guid new.
fn korean_feed(round: u64) -> String {
    let body = "이번 <b>한-일 관세청장 회의</b>는 지난 2016년 이후 7년 만에 진행되었으며, 양국 간의 \
                교역 활성화와 불법 거래 차단을 위한 협력이 주된 목표로 삼고 있습니다. 글로벌 보호무역주의와 \
                국가 간 무역 범죄가 심화되고 있는 상황에서, 세관 당국 간의 협력은 더욱 중요해지고 있습니다.";
    let mut items = String::new();
    for i in 0..POSTS {
        items.push_str(&format!(
            "<item><title>관세청 회의 재개 {round}-{i} 한일 협력 강화 소식!</title>\
             <link>https://news.example.com/경제/2026/11/24/post-{round}-{i}.html</link>\
             <guid isPermaLink=\"false\">post-{round}-{i}</guid>\
             <pubDate>Tue, 24 Nov 2026 09:{:02}:00 +0900</pubDate>\
             <category>경제</category><category>무역</category>\
             <description><![CDATA[한-일 관세청장 회의가 7년 만에 재개돼 전자상거래무역 및 역내포괄적경제동반자협정 활성화를 통한 양국 간 교…]]></description>\
             <content:encoded><![CDATA[<p>출처: <a href=\"https://newsdao.kr/{i}\">한-일 관세청장 회의 7년 만에 재개</a> | 뉴스다오</p>\
             <p>{body}</p><p>{body}</p><p>{body}</p>]]></content:encoded></item>",
            i % 60
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\
         <rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\
         <title>whereispost</title><link>https://news.example.com/</link><description>실시간 뉴스 속보</description>\
         {items}</channel></rss>"
    )
}

fn bench(c: &mut Criterion) {
    let feed_xml = korean_feed(0);
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(feed_xml.len() as u64));
    g.bench_function("korean_rss_50_items", |b| {
        b.iter(|| {
            parse_feed(
                feed_xml.as_bytes(),
                Some("application/rss+xml"),
                "https://news.example.com/feed.xml",
            )
        })
    });
    g.finish();

    let mut config = Config::default();
    let source = FeedSource::Http("https://news.example.com/feed.xml".into());
    let feed = FeedConfig::new("whereispost", source);
    config.feeds.push(feed.clone());
    let store = Store::temporary().expect("temporary store");
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("runtime");
    let pipeline = Pipeline::new(store, &config, vec![], true, Queue::detached());
    rt.block_on(pipeline.ingest(&feed, vec![], None, chrono::Utc::now()))
        .expect("first sight");
    let mut round = 1u64;
    let mut g = c.benchmark_group("parse_detect_outbox");
    g.throughput(Throughput::Elements(POSTS as u64));
    g.sample_size(30);
    g.bench_function("50_new_posts", |b| {
        b.iter_batched(
            || {
                round += 1;
                korean_feed(round)
            },
            |xml| {
                let parsed = parse_feed(
                    xml.as_bytes(),
                    Some("application/rss+xml"),
                    "https://news.example.com/feed.xml",
                )
                .expect("bench feed parses");
                let report = rt
                    .block_on(pipeline.ingest(&feed, parsed.posts, None, chrono::Utc::now()))
                    .expect("ingest");
                assert_eq!(report.alerts, POSTS);
            },
            BatchSize::SmallInput,
        )
    });
    g.bench_function("50_seen_posts", |b| {
        let xml = korean_feed(1);
        b.iter(|| {
            let parsed = parse_feed(
                xml.as_bytes(),
                Some("application/rss+xml"),
                "https://news.example.com/feed.xml",
            )
            .expect("bench feed parses");
            rt.block_on(pipeline.ingest(&feed, parsed.posts, None, chrono::Utc::now()))
                .expect("ingest")
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
