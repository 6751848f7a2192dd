//! The real bot against the fake Telegram Bot API: commands in, alerts out, faults handled.

mod channels;
mod faults;

use std::path::{Path, PathBuf};
use std::time::Duration;

use sokbo::config::{ConsoleMode, TelegramConfig};

use crate::support::app::{TestApp, dir_config, spawn_app};
use crate::support::telegram::{
    ChatFault, Incoming, Role, SentMessage, TOKEN, TelegramServer, TgChat, TgUser, Transient,
};

const WAIT: Duration = Duration::from_secs(20);

struct Env {
    server: TelegramServer,
    _tmp: tempfile::TempDir,
    data: PathBuf,
    posts: PathBuf,
    /// PostgreSQL instead of sled in `data`, when set.
    store_url: Option<String>,
}

impl Env {
    async fn new() -> Env {
        let tmp = tempfile::tempdir().unwrap();
        let (data, posts) = (tmp.path().join("data"), tmp.path().join("posts"));
        std::fs::create_dir_all(&posts).unwrap();
        write_post(&posts, "2026-10-30-society", "사회 단신", "사회");
        write_post(&posts, "2026-10-31-politics", "정치 단신", "정치");
        write_post(&posts, "2026-11-01-first", "처음 있던 글", "경제");
        Env {
            server: TelegramServer::start().await,
            _tmp: tmp,
            data,
            posts,
            store_url: None,
        }
    }

    /// The same, with the bot's data in a fresh PostgreSQL database.
    async fn on_postgres() -> Env {
        Env {
            store_url: Some(crate::support::postgres::fresh_database().await),
            ..Env::new().await
        }
    }

    /// Starts the app and waits until the post folder was read once (its backlog alert is
    /// printed on the console), so later posts are new.
    async fn start(&self) -> TestApp {
        let mut app = spawn_app(self.config());
        assert!(app.next_alert(WAIT).await.is_some(), "the folder was read");
        app
    }

    fn post(&self, slug: &str, title: &str, category: &str) {
        write_post(&self.posts, slug, title, category);
    }

    /// Sends a command and waits for the bot's reply to it.
    async fn command(&self, chat: &TgChat, from: &TgUser, text: &str) -> String {
        let before = replies(&self.server, chat.id).len();
        self.server.push(Incoming::text(chat, from, text));
        assert!(
            self.server
                .wait_for(WAIT, |s| replies(s, chat.id).len() > before)
                .await,
            "no reply to {text}"
        );
        replies(&self.server, chat.id)[before].text.clone()
    }

    async fn alerts_reach(&self, chat: i64, n: usize) -> Vec<SentMessage> {
        assert!(
            self.server
                .wait_for(WAIT, |s| alerts(s, chat).len() >= n)
                .await,
            "chat {chat} got {} alerts, expected {n}",
            alerts(&self.server, chat).len()
        );
        alerts(&self.server, chat)
    }
}

fn write_post(dir: &Path, slug: &str, title: &str, category: &str) {
    let text = format!(
        "---\ntitle: {title}\ncategories: [{category}]\nexcerpt: 관계 당국이 오늘 새 대책을 발표했다.\n---\n\n\
         <p>출처: <a href=\"https://news.example.kr/{slug}\">원문 기사</a></p>\n\n관계 당국이 오늘 새 대책을 발표했다. 시행은 다음 달부터다.\n"
    );
    std::fs::write(dir.join(format!("{slug}.md")), text).unwrap();
}

/// Alerts (HTML messages) a chat received, in order.
fn alerts(server: &TelegramServer, chat: i64) -> Vec<SentMessage> {
    server
        .messages_to(chat)
        .into_iter()
        .filter(|m| m.parse_mode.as_deref() == Some("HTML"))
        .collect()
}

/// Command replies (plain messages) a chat received, in order.
fn replies(server: &TelegramServer, chat: i64) -> Vec<SentMessage> {
    server
        .messages_to(chat)
        .into_iter()
        .filter(|m| m.parse_mode.is_none())
        .collect()
}

fn titles(messages: &[SentMessage]) -> Vec<String> {
    messages
        .iter()
        .map(|m| {
            m.visible_text()
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribe_then_exactly_one_alert_with_both_links() {
    let env = Env::new().await;
    let user = TgUser::new(100, "민수").language("ko");
    let chat = TgChat::private(&user);
    env.server.add_chat(&chat);
    let app = env.start().await;
    assert!(
        env.server.commands().is_some(),
        "the command list was registered"
    );

    let reply = env.command(&chat, &user, "/subscribe 경제").await;
    assert!(reply.contains("경제"), "{reply}");
    env.post("2026-11-02-politics", "정치 소식", "정치");
    env.post("2026-11-03-economy", "경제 소식", "경제");
    let got = env.alerts_reach(chat.id, 1).await;
    assert_eq!(titles(&got), ["🔴 속보 ┃ 경제 소식"]);
    let alert = &got[0];
    assert!(
        alert
            .text
            .contains("https://news.example.kr/2026-11-03-economy"),
        "{}",
        alert.text
    );
    let post_link = "https://news.example.com/%EA%B2%BD%EC%A0%9C/2026/11/03/economy.html";
    assert!(
        alert
            .visible_text()
            .contains("관계 당국이 오늘 새 대책을 발표했다."),
        "{}",
        alert.text
    );
    assert!(alert.text.contains(post_link), "{}", alert.text);
    assert_eq!(
        alert.buttons(),
        vec![vec![
            ("기사 보기".to_owned(), post_link.to_owned()),
            (
                "출처".to_owned(),
                "https://news.example.kr/2026-11-03-economy".to_owned()
            ),
        ]]
    );
    // Exactly one: the next alert after a later post is that post.
    env.post("2026-11-04-economy", "경제 후속", "경제");
    let got = env.alerts_reach(chat.id, 2).await;
    assert_eq!(titles(&got), ["🔴 속보 ┃ 경제 소식", "🔴 속보 ┃ 경제 후속"]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_postgres_subscribe_then_one_alert_and_a_restart_repeats_nothing() {
    let env = Env::on_postgres().await;
    let user = TgUser::new(101, "지영").language("ko");
    let chat = TgChat::private(&user);
    env.server.add_chat(&chat);
    let app = env.start().await;
    let reply = env.command(&chat, &user, "/subscribe 경제").await;
    assert!(reply.contains("경제"), "{reply}");
    env.post("2026-11-02-politics", "정치 소식", "정치");
    env.post("2026-11-03-economy", "경제 소식", "경제");
    let got = env.alerts_reach(chat.id, 1).await;
    assert_eq!(titles(&got), ["🔴 속보 ┃ 경제 소식"]);
    app.stop().await;
    assert!(!env.data.exists(), "nothing was kept in sled");

    // Restarted on the same database: nothing old again, the subscription holds, new posts come.
    let mut app = spawn_app(env.config());
    env.post("2026-11-04-economy", "경제 후속", "경제");
    let first = app
        .next_alert(WAIT)
        .await
        .expect("the new post on the console");
    assert_eq!(first.title, "경제 후속");
    let got = env.alerts_reach(chat.id, 2).await;
    assert_eq!(titles(&got), ["🔴 속보 ┃ 경제 소식", "🔴 속보 ┃ 경제 후속"]);
    assert!(app.next_alert(Duration::from_secs(1)).await.is_none());
    app.stop().await;
    assert_eq!(alerts(&env.server, chat.id).len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_groups_only_administrators_change_subscriptions() {
    let env = Env::new().await;
    let group = TgChat::supergroup(-1001, "뉴스방");
    let (admin, member) = (
        TgUser::new(1, "관리자").language("ko"),
        TgUser::new(2, "회원").language("ko"),
    );
    env.server.add_chat(&group);
    env.server
        .set_admins(group.id, &[(admin.clone(), Role::Admin)]);
    env.server.set_member(group.id, &member, Role::Member);
    let app = env.start().await;

    let refused = env.command(&group, &member, "/subscribe 경제").await;
    assert_eq!(refused, "관리자만 이 채팅의 구독을 바꿀 수 있어요.");
    let listed = env.command(&group, &member, "/list").await;
    assert_ne!(listed, refused, "anyone may list");
    env.command(&group, &admin, "/subscribe 경제").await;
    // An anonymous administrator posts as the group itself.
    env.server
        .push(Incoming::anonymous_admin_text(&group, "/subscribe 정치"));
    assert!(
        env.server
            .wait_for(WAIT, |s| replies(s, group.id).len() >= 4)
            .await
    );
    assert!(!replies(&env.server, group.id)[3].text.contains("관리자만"));
    // Commands for another bot are ignored: the next reply is to the command after it.
    env.server
        .push(Incoming::text(&group, &admin, "/subscribe@other_bot 사회"));
    let last = env.command(&group, &admin, "/list").await;
    assert!(
        last.contains("경제") && last.contains("정치") && !last.contains("사회"),
        "{last}"
    );
    env.post("2026-11-02-politics", "정치 소식", "정치");
    assert_eq!(
        titles(&env.alerts_reach(group.id, 1).await),
        ["🔴 속보 ┃ 정치 소식"]
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_post_edits_the_sent_alert() {
    let env = Env::new().await;
    let user = TgUser::new(600, "독자");
    let chat = TgChat::private(&user);
    env.server.add_chat(&chat);
    let app = env.start().await;
    env.command(&chat, &user, "/subscribe 경제").await;
    env.post("2026-11-02-a", "오타 있는 제목", "경제");
    let sent = env.alerts_reach(chat.id, 1).await;
    env.post("2026-11-02-a", "고친 제목", "경제");
    assert!(env.server.wait_for_edits(1, WAIT).await);
    let edit = &env.server.edits()[0];
    assert_eq!(
        (edit.chat_id, edit.message_id),
        (chat.id, sent[0].message_id)
    );
    assert!(
        edit.visible_text().starts_with("🔴 속보 ┃ 고친 제목"),
        "{}",
        edit.visible_text()
    );
    assert_eq!(alerts(&env.server, chat.id).len(), 1, "no second message");
    app.stop().await;
}

impl Env {
    /// `n` private chats from id `first` on, each subscribed with `command`.
    async fn subscribers(&self, first: i64, n: i64, command: &str) -> Vec<TgUser> {
        let users: Vec<TgUser> = (0..n).map(|i| TgUser::new(first + i, "구독자")).collect();
        for u in &users {
            let chat = TgChat::private(u);
            self.server.add_chat(&chat);
            self.command(&chat, u, command).await;
        }
        users
    }

    /// Starts the app again on the same data (the folder is known: no backlog alert).
    async fn start_again(&self) -> TestApp {
        spawn_app(self.config())
    }

    /// The post folder (backlog 1), the console on as a sync point, and the fake Telegram.
    fn config(&self) -> sokbo::config::Config {
        let mut config = dir_config(&self.data, &self.posts, 1);
        config.bot.console = ConsoleMode::Always;
        config.telegram = Some(TelegramConfig {
            token: TOKEN.into(),
            api_url: self.server.url(),
            photo: false,
        });
        if let Some(url) = &self.store_url {
            config.store.url = url.clone();
        }
        config
    }
}
