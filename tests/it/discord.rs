//! The real bot (serenity gateway and commands, sokbo's REST) against the fake Discord: slash
//! commands in, embeds out, rate limits, lost channels, webhooks and corrections.

mod delivery;
mod fake;
mod health;

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use sokbo::config::{ConsoleMode, DiscordConfig};

use crate::support::app::{TestApp, dir_config, spawn_app};
use crate::support::discord::json::{self, Member};
use crate::support::discord::{DiscordServer, Posted, TOKEN};

const WAIT: Duration = Duration::from_secs(20);
const NEWS: u64 = 1_300_000_000_000_000_001;
const OTHER: u64 = 1_300_000_000_000_000_002;

struct Env {
    server: DiscordServer,
    _tmp: tempfile::TempDir,
    data: PathBuf,
    posts: PathBuf,
    next_interaction: std::sync::atomic::AtomicU64,
}

impl Env {
    async fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let (data, posts) = (tmp.path().join("data"), tmp.path().join("posts"));
        std::fs::create_dir_all(&posts).unwrap();
        write_post(
            &posts,
            "2026-11-01-first",
            "처음 있던 글",
            "경제",
            "첫 요약이다.",
        );
        Env {
            server: DiscordServer::start().await,
            _tmp: tmp,
            data,
            posts,
            next_interaction: 1_400_000_000_000_000_000.into(),
        }
    }

    fn config(&self, token: &str) -> sokbo::config::Config {
        let mut config = dir_config(&self.data, &self.posts, 1);
        config.bot.console = ConsoleMode::Always;
        config.discord = Some(DiscordConfig {
            token: token.into(),
            api_url: self.server.url(),
            gateway_url: String::new(),
        });
        config
    }

    /// Starts the bot, waits for its gateway session and the folder's first read.
    async fn start(&self) -> TestApp {
        let mut app = spawn_app(self.config(TOKEN));
        assert!(app.next_alert(WAIT).await.is_some(), "the folder was read");
        assert!(
            self.server.wait_ready(WAIT).await,
            "gateway session and commands"
        );
        app
    }

    /// Runs `/name option:value` in `channel` as `by`; returns the reply's data.
    async fn slash(
        &self,
        channel: u64,
        by: &Member,
        name: &str,
        option: Option<(&str, &str)>,
    ) -> Value {
        let id = self
            .next_interaction
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let sessions = self
            .server
            .push_interaction(json::slash(id, channel, by, name, option));
        assert_eq!(sessions, 1, "one gateway session");
        let reply = self.server.wait_reply(&id.to_string(), WAIT).await;
        let reply = reply.unwrap_or_else(|| panic!("no reply to /{name}"));
        assert_eq!(reply["type"], 4, "{reply}");
        assert_eq!(reply["data"]["flags"], 64, "ephemeral: {reply}");
        reply["data"].clone()
    }

    /// An admin subscribes `channel` to 경제.
    async fn subscribe(&self, channel: u64) -> Value {
        self.slash(
            channel,
            &Member::admin(),
            "subscribe",
            Some(("category", "경제")),
        )
        .await
    }

    fn post(&self, slug: &str, title: &str, category: &str) {
        write_post(
            &self.posts,
            slug,
            title,
            category,
            "관계 당국이 오늘 새 대책을 발표했다.",
        );
    }

    async fn embeds_reach(&self, channel: u64, n: usize) -> Vec<Posted> {
        let got = self.server.wait_messages(channel, n, WAIT).await;
        assert!(
            got.len() >= n,
            "{channel} got {} messages, expected {n}; requests: {:?}",
            got.len(),
            self.server
                .requests()
                .iter()
                .map(|r| (&r.method, &r.path, r.status))
                .collect::<Vec<_>>()
        );
        got
    }
}

fn write_post(dir: &Path, slug: &str, title: &str, category: &str, excerpt: &str) {
    let text = format!(
        "---\ntitle: {title}\ncategories: [{category}]\nexcerpt: {excerpt}\n---\n\n\
         <p>출처: <a href=\"https://news.example.kr/{slug}\">원문 기사</a></p>\n\n{excerpt} 시행은 다음 달부터다.\n"
    );
    std::fs::write(dir.join(format!("{slug}.md")), text).unwrap();
}

fn titles(messages: &[Posted]) -> Vec<String> {
    messages
        .iter()
        .map(|m| {
            m.body["embeds"][0]["title"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

#[test]
fn fake_interactions_are_what_serenity_reads() {
    use serenity::model::application::Interaction;
    let slash = json::slash(
        7,
        NEWS,
        &Member::admin(),
        "subscribe",
        Some(("category", "경제")),
    );
    let Interaction::Command(cmd) = serde_json::from_value::<Interaction>(slash).unwrap() else {
        panic!("not a command interaction");
    };
    assert_eq!(cmd.data.name, "subscribe");
    assert_eq!(cmd.data.options[0].value.as_str(), Some("경제"));
    let perms = cmd.member.unwrap().permissions.unwrap();
    assert!(perms.manage_channels());
    let ac = json::autocomplete(8, NEWS, &Member::reader(), "subscribe", "category", "경");
    assert!(matches!(
        serde_json::from_value::<Interaction>(ac).unwrap(),
        Interaction::Autocomplete(_)
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_then_exactly_one_embed_with_both_links() {
    let env = Env::new().await;
    let app = env.start().await;
    let commands = env.server.commands().unwrap();
    let subscribe = &commands[0];
    assert_eq!(subscribe["name"], "subscribe");
    assert_eq!(subscribe["name_localizations"]["ko"], "구독");
    assert_eq!(subscribe["default_member_permissions"], "16");
    assert_eq!(subscribe["options"][0]["autocomplete"], true);

    let reply = env
        .slash(
            NEWS,
            &Member::admin(),
            "subscribe",
            Some(("category", "경제")),
        )
        .await;
    assert_eq!(
        reply["content"], "구독했어요: 경제",
        "Korean for a Korean client"
    );
    let again = env.subscribe(NEWS).await;
    assert_eq!(again["content"], "이미 구독 중: 경제");
    env.post("2026-11-02-politics", "정치 소식", "정치");
    env.post("2026-11-03-economy", "경제 소식", "경제");
    let got = env.embeds_reach(NEWS, 1).await;
    env.post("2026-11-04-economy", "경제 둘째", "경제");
    let got2 = env.embeds_reach(NEWS, 2).await;
    assert_eq!(
        titles(&got2),
        ["🔴 속보 ┃ 경제 소식", "🔴 속보 ┃ 경제 둘째"]
    );

    let body = &got[0].body;
    let embed = &body["embeds"][0];
    let link = "https://news.example.kr/2026-11-03-economy";
    let post = "https://news.example.com/%EA%B2%BD%EC%A0%9C/2026/11/03/economy.html";
    assert_eq!(
        *embed,
        serde_json::json!({
            "title": "🔴 속보 ┃ 경제 소식",
            "url": post,
            "description": "관계 당국이 오늘 새 대책을 발표했다. 시행은 다음 달부터다.",
            "color": 0xE53935,
            "author": { "name": "whereispost" },
            "footer": { "text": "#경제" },
            "timestamp": "2026-11-02T15:00:00+00:00",
            "fields": [{ "name": "출처", "value": format!("[원문 기사]({link})"), "inline": true }],
        })
    );
    assert_eq!(
        body["components"],
        serde_json::json!([{ "type": 1, "components": [
            { "type": 2, "style": 5, "label": "기사 보기", "url": post },
            { "type": 2, "style": 5, "label": "출처", "url": link },
        ]}])
    );
    assert_eq!(body["allowed_mentions"]["parse"], serde_json::json!([]));
    assert!(
        env.server.violations().is_empty(),
        "{:?}",
        env.server.violations()
    );
    let auth = env
        .server
        .requests()
        .iter()
        .find(|r| r.path.ends_with(&format!("{NEWS}/messages")))
        .unwrap()
        .authorization
        .clone();
    assert_eq!(auth.as_deref(), Some(format!("Bot {TOKEN}").as_str()));
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn member_without_manage_channels_is_refused() {
    let env = Env::new().await;
    let app = env.start().await;
    let reader = Member::reader();
    let reply = env
        .slash(NEWS, &reader, "subscribe", Some(("category", "경제")))
        .await;
    assert_eq!(
        reply["content"],
        "You need the Manage Channels permission to change this channel's alerts."
    );
    let list = env.slash(NEWS, &reader, "list", None).await;
    assert!(!list["content"].as_str().unwrap().is_empty());

    env.subscribe(OTHER).await;
    env.post("2026-11-03-economy", "경제 소식", "경제");
    env.embeds_reach(OTHER, 1).await;
    assert!(
        env.server.messages_to(NEWS).is_empty(),
        "the refused channel got nothing"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_known_categories() {
    let env = Env::new().await;
    let app = env.start().await;
    let id = 1_499_999_999_999_999_999u64;
    let ac = json::autocomplete(id, NEWS, &Member::admin(), "subscribe", "category", "경");
    env.server.push_interaction(ac);
    let reply = env.server.wait_reply(&id.to_string(), WAIT).await.unwrap();
    assert_eq!(reply["type"], 8, "{reply}");
    assert_eq!(reply["data"]["choices"][0]["value"], "경제");
    app.stop().await;
}
