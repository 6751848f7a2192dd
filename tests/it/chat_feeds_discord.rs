//! Feeds a Discord channel adds itself, end to end: the real bot against the fake Discord and
//! the fake feed server — `/subscribe url:`, new posts into the channel, `/feeds`,
//! `/unsubscribe url:`, who may add feeds, the address guard, and OPML out and back in.

mod opml;
mod rights;

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde_json::Value;
use sokbo::config::{ChatFeedsAllow, Config, DiscordConfig};

use crate::support::app::{TestApp, dir_config, spawn_app};
use crate::support::discord::json::{self, Member};
use crate::support::discord::{DiscordServer, TOKEN};
use crate::support::feed_server::{FeedServer, Resource};

const WAIT: Duration = Duration::from_secs(20);
const NEWS: u64 = 1_310_000_000_000_000_001;
const OTHER: u64 = 1_310_000_000_000_000_002;
const FEED: &str = "/feed.xml";

/// An RSS feed titled `title` with items numbered `items`, newest first.
fn rss(title: &str, items: &[u32]) -> String {
    let items: String = items
        .iter()
        .map(|i| {
            format!(
                "<item><title>{title} {i}번 글</title><link>https://news.example.kr/{i}</link>\
                 <guid>{title}-{i}</guid><pubDate>Tue, 24 Nov 2026 09:{i:02}:00 +0900</pubDate>\
                 <description>{i}번 글의 요약입니다.</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>{title}</title><link>https://news.example.kr/</link>{items}</channel></rss>"
    )
}

struct Env {
    discord: DiscordServer,
    feeds: FeedServer,
    _tmp: tempfile::TempDir,
    config: Config,
    next_interaction: AtomicU64,
    _app: Option<TestApp>,
}

impl Env {
    /// The fake servers, a feed "속보 피드" with posts 2 and 1 at [`FEED`], and a config that
    /// lets chats add it (`allow` as given, loopback and the feed server's port allowed).
    async fn new(allow: ChatFeedsAllow) -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let (data, posts) = (tmp.path().join("data"), tmp.path().join("posts"));
        std::fs::create_dir_all(&posts).unwrap();
        let (discord, feeds) = (DiscordServer::start().await, FeedServer::start().await);
        feeds.serve(
            FEED,
            Resource::new(rss("속보 피드", &[2, 1]), "application/rss+xml"),
        );
        let mut config = dir_config(&data, &posts, 1);
        config.discord = Some(DiscordConfig {
            token: TOKEN.into(),
            api_url: discord.url(),
            gateway_url: String::new(),
        });
        config.chat_feeds.allow = allow;
        config.chat_feeds.interval = Duration::from_secs(1);
        config.chat_feeds.allow_private_addresses = true;
        config.chat_feeds.allow_ports = vec![feeds.addr().port()];
        Env {
            discord,
            feeds,
            _tmp: tmp,
            config,
            next_interaction: AtomicU64::new(1_410_000_000_000_000_000),
            _app: None,
        }
    }

    /// Starts the bot with the config as changed since [`Env::new`] and waits for its gateway
    /// session and commands.
    async fn start(mut self) -> Env {
        self._app = Some(spawn_app(self.config.clone()));
        assert!(self.discord.wait_ready(WAIT).await, "gateway and commands");
        self
    }

    /// Pushes `interaction` (made with the id given) and returns the id and the reply's data.
    async fn interact(&self, make: impl FnOnce(u64) -> Value) -> (String, Value) {
        let id = self.next_interaction.fetch_add(1, Ordering::Relaxed);
        assert_eq!(self.discord.push_interaction(make(id)), 1, "one session");
        let id = id.to_string();
        let reply = self.discord.wait_reply(&id, WAIT).await;
        let reply = reply.unwrap_or_else(|| panic!("no reply to interaction {id}"));
        assert_eq!(reply["type"], 4, "{reply}");
        assert_eq!(reply["data"]["flags"], 64, "ephemeral: {reply}");
        (id, reply["data"].clone())
    }

    /// `/name option:value` in `channel` by `by`; returns the reply's text.
    async fn slash(&self, channel: u64, by: &Member, name: &str, option: (&str, &str)) -> String {
        let option = (!option.0.is_empty()).then_some(option);
        let make = |id| json::slash(id, channel, by, name, option);
        let (_, data) = self.interact(make).await;
        data["content"].as_str().unwrap_or_default().to_owned()
    }
}

#[tokio::test]
async fn subscribe_url_alerts_new_posts_then_unsubscribe() {
    let env = Env::new(ChatFeedsAllow::Admins).await.start().await;
    let admin = Member::admin();
    let url = env.feeds.url(FEED);

    let added = env.slash(NEWS, &admin, "subscribe", ("url", &url)).await;
    assert!(added.contains("✅ 피드 추가: 속보 피드"), "{added}");
    assert!(added.contains("최신 글: 속보 피드 2번 글"), "{added}");
    assert!(added.contains(&url), "{added}");
    // It fetched before answering, so it answered "thinking" at once and edited that later.
    assert_eq!(env.discord.deferred(), 1);

    // A new post arrives in the channel; the two it already had are not alerted.
    env.feeds.set_body(FEED, rss("속보 피드", &[3, 2, 1]));
    let got = env.discord.wait_messages(NEWS, 1, WAIT).await;
    let titles: Vec<String> = got
        .iter()
        .map(|m| {
            m.body["embeds"][0]["title"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect();
    assert_eq!(titles.len(), 1, "{titles:?}");
    assert!(titles[0].contains("속보 피드 3번 글"), "{titles:?}");
    // Two more polls later, still only the new post.
    let seen = env.feeds.requests(FEED);
    assert!(env.feeds.wait_for_requests(FEED, seen + 2, WAIT).await);
    assert_eq!(env.discord.messages_to(NEWS).len(), 1);
    assert!(env.discord.messages_to(OTHER).is_empty());
    assert!(env.discord.violations().is_empty());

    let listed = env.slash(NEWS, &admin, "feeds", ("", "")).await;
    assert!(listed.contains("이 채팅의 피드 1개"), "{listed}");
    assert!(
        listed.contains(&format!("1. 속보 피드 — {url}")),
        "{listed}"
    );

    let removed = env.slash(NEWS, &admin, "unsubscribe", ("url", &url)).await;
    assert_eq!(removed, "피드를 뺐어요: 속보 피드");
    // Listing and removing fetch nothing: answered at once.
    assert_eq!(env.discord.deferred(), 1);
    let listed = env.slash(NEWS, &admin, "feeds", ("", "")).await;
    assert!(listed.contains("추가한 피드가 없어요."), "{listed}");
}
