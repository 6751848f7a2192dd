//! Feeds that Telegram chats add themselves, end to end: the real app against the fake Bot API
//! and the fake feed server. `/subscribe <url>`, polling and alerts to the followers, `/feeds`,
//! `/unsubscribe`, refusals (`[chat_feeds]` policy, SSRF guard) and OPML in and out.

mod follow;
mod notices;
mod opml;
mod refusals;

use std::path::PathBuf;
use std::time::Duration;

use sokbo::config::{ChatFeedsAllow, Config, ConsoleMode, TelegramConfig};

use crate::support::app::{TestApp, spawn_app};
use crate::support::feed_server::{FeedServer, Resource};
use crate::support::telegram::{Incoming, SentMessage, TOKEN, TelegramServer, TgChat, TgUser};

const WAIT: Duration = Duration::from_secs(20);
/// `[chat_feeds] interval` in these tests.
const INTERVAL: Duration = Duration::from_secs(1);
const RSS: &str = "application/rss+xml";

struct Env {
    server: TelegramServer,
    feeds: FeedServer,
    _tmp: tempfile::TempDir,
    data: PathBuf,
}

impl Env {
    async fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        Env {
            server: TelegramServer::start().await,
            feeds: FeedServer::start().await,
            data: tmp.path().join("data"),
            _tmp: tmp,
        }
    }

    /// No operator feeds, the fake Telegram, chat feeds on (admins), polled every second, the
    /// fake feed server reachable (loopback allowed, its port allowed).
    fn config(&self) -> Config {
        let mut config = Config::default();
        config.bot.data_dir = self.data.clone();
        config.bot.console = ConsoleMode::Never;
        config.telegram = Some(TelegramConfig {
            token: TOKEN.into(),
            api_url: self.server.url(),
            photo: false,
        });
        config.chat_feeds.allow = ChatFeedsAllow::Admins;
        config.chat_feeds.interval = INTERVAL;
        config.chat_feeds.allow_private_addresses = true;
        config.chat_feeds.allow_ports = vec![self.feeds.addr().port()];
        config
    }

    fn start(&self, config: Config) -> TestApp {
        spawn_app(config)
    }

    /// Serves an RSS feed titled `title` at `path` with `items` (guid, title), newest first.
    fn serve(&self, path: &str, title: &str, items: &[(&str, &str)]) {
        self.feeds
            .serve(path, Resource::new(rss(title, items), RSS));
    }

    fn set_items(&self, path: &str, title: &str, items: &[(&str, &str)]) {
        self.feeds.set_body(path, rss(title, items));
    }

    /// Sends a command and waits for the bot's reply to it.
    async fn command(&self, chat: &TgChat, from: &TgUser, text: &str) -> String {
        self.send(chat, Incoming::text(chat, from, text)).await
    }

    /// Pushes `update` into `chat` and waits for the bot's (plain text) reply.
    async fn send(&self, chat: &TgChat, update: Incoming) -> String {
        let before = replies(&self.server, chat.id).len();
        self.server.push(update);
        assert!(
            self.server
                .wait_for(WAIT, |s| replies(s, chat.id).len() > before)
                .await,
            "no reply in chat {}",
            chat.id
        );
        replies(&self.server, chat.id)[before].text.clone()
    }

    /// Waits until `chat` got an alert mentioning `title`; returns the titles of all of its
    /// alerts so far.
    async fn alert_reaches(&self, chat: i64, title: &str) -> Vec<String> {
        let has = |s: &TelegramServer| alert_titles(s, chat).iter().any(|t| t == title);
        assert!(
            self.server.wait_for(WAIT, has).await,
            "chat {chat} got no alert {title:?}; it has {:?}",
            alert_titles(&self.server, chat)
        );
        alert_titles(&self.server, chat)
    }
}

/// A private chat with a fresh user (English replies).
fn private(id: i64) -> (TgChat, TgUser) {
    let user = TgUser::new(id, "Reader").language("en");
    (TgChat::private(&user), user)
}

/// An RSS 2.0 document titled `title`; each item links to news.example.
fn rss(title: &str, items: &[(&str, &str)]) -> String {
    let items: String = items
        .iter()
        .map(|(guid, item)| {
            format!(
                "<item><title>{item}</title><link>https://news.example/{guid}</link>\
                 <guid>{guid}</guid><description>{item}: the whole story.</description></item>"
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel>\
         <title>{title}</title><link>https://news.example/</link>{items}</channel></rss>"
    )
}

/// Command replies (plain messages) a chat received, in order.
fn replies(server: &TelegramServer, chat: i64) -> Vec<SentMessage> {
    let messages = server.messages_to(chat).into_iter();
    messages.filter(|m| m.parse_mode.is_none()).collect()
}

/// Alerts (HTML messages) a chat received, in order.
fn alerts(server: &TelegramServer, chat: i64) -> Vec<SentMessage> {
    let messages = server.messages_to(chat).into_iter();
    messages
        .filter(|m| m.parse_mode.as_deref() == Some("HTML"))
        .collect()
}

/// The post titles of a chat's alerts: the item titles the alerts' text mentions.
fn alert_titles(server: &TelegramServer, chat: i64) -> Vec<String> {
    alerts(server, chat)
        .iter()
        .map(|m| post_title(&m.visible_text()))
        .collect()
}

/// The item title in an alert's visible text: the first line, after any "┃" prefix.
fn post_title(visible: &str) -> String {
    let first = visible.lines().next().unwrap_or_default();
    let title = first.rsplit('┃').next().unwrap_or(first);
    title.trim().to_owned()
}
