//! Who may add feeds from a Discord channel: `[chat_feeds] allow` (admins = Manage Channels,
//! everyone, off), the per-chat limit, and the guard against private addresses.

use sokbo::config::ChatFeedsAllow;

use super::{Env, FEED, NEWS, OTHER, rss};
use crate::support::discord::json::Member;
use crate::support::feed_server::Resource;

#[tokio::test]
async fn admins_only_and_the_per_chat_limit() {
    let mut env = Env::new(ChatFeedsAllow::Admins).await;
    env.config.chat_feeds.max_per_chat = 1;
    let env = env.start().await;
    env.feeds.serve(
        "/other.xml",
        Resource::new(rss("다른 피드", &[1]), "application/rss+xml"),
    );
    let url = env.feeds.url(FEED);

    // A member without Manage Channels: refused before anything is fetched.
    let refused = env
        .slash(NEWS, &Member::reader(), "subscribe", ("url", &url))
        .await;
    assert_eq!(
        refused,
        "Only administrators can change this chat's subscription."
    );
    assert_eq!(env.feeds.requests(FEED), 0);
    let listed = env.slash(NEWS, &Member::reader(), "feeds", ("", "")).await;
    assert!(listed.starts_with("No feeds added."), "{listed}");

    let admin = Member::admin();
    let added = env.slash(NEWS, &admin, "subscribe", ("url", &url)).await;
    assert!(added.contains("✅ 피드 추가: 속보 피드"), "{added}");
    let other = env.feeds.url("/other.xml");
    let limit = env.slash(NEWS, &admin, "subscribe", ("url", &other)).await;
    assert!(
        limit.starts_with("이 채팅은 피드를 1개까지 추가할 수 있어요."),
        "{limit}"
    );
    // The limit is per channel.
    let added = env.slash(OTHER, &admin, "subscribe", ("url", &other)).await;
    assert!(added.contains("✅ 피드 추가: 다른 피드"), "{added}");

    // Category commands still need Manage Channels.
    let pause = env.slash(NEWS, &Member::reader(), "pause", ("", "")).await;
    assert_eq!(
        pause,
        "You need the Manage Channels permission to change this channel's alerts."
    );
}

#[tokio::test]
async fn everyone_may_add_and_the_commands_say_so() {
    let env = Env::new(ChatFeedsAllow::Everyone).await.start().await;
    let commands = env.discord.commands().expect("registered");
    let subscribe = commands
        .as_array()
        .and_then(|all| all.iter().find(|c| c["name"] == "subscribe"))
        .expect("/subscribe");
    assert!(
        subscribe["default_member_permissions"].is_null(),
        "{subscribe}"
    );

    let url = env.feeds.url(FEED);
    let reader = Member::reader();
    let added = env.slash(NEWS, &reader, "subscribe", ("url", &url)).await;
    assert!(added.starts_with("✅ Feed added: 속보 피드"), "{added}");
    let listed = env.slash(NEWS, &reader, "feeds", ("", "")).await;
    assert!(
        listed.contains(&format!("1. 속보 피드 — {url}")),
        "{listed}"
    );
    let removed = env.slash(NEWS, &reader, "unsubscribe", ("url", &url)).await;
    assert_eq!(removed, "Feed removed: 속보 피드");
}

#[tokio::test]
async fn off_refuses_every_feed_command() {
    let env = Env::new(ChatFeedsAllow::Off).await.start().await;
    let url = env.feeds.url(FEED);
    let off = "이 봇에서는 채팅에서 피드를 추가할 수 없어요.";
    let admin = Member::admin();
    assert_eq!(
        env.slash(NEWS, &admin, "subscribe", ("url", &url)).await,
        off
    );
    assert_eq!(env.slash(NEWS, &admin, "feeds", ("", "")).await, off);
    assert_eq!(env.slash(NEWS, &admin, "export", ("", "")).await, off);
    assert_eq!(env.feeds.requests(FEED), 0);
}

#[tokio::test]
async fn private_addresses_are_refused_unless_allowed() {
    let mut env = Env::new(ChatFeedsAllow::Admins).await;
    env.config.chat_feeds.allow_private_addresses = false;
    let env = env.start().await;
    let url = format!("http://127.0.0.1:{}{FEED}", env.feeds.addr().port());
    let refused = env
        .slash(NEWS, &Member::admin(), "subscribe", ("url", &url))
        .await;
    assert!(
        refused.starts_with("추가할 수 없는 주소예요: "),
        "{refused}"
    );
    assert_eq!(env.feeds.requests(FEED), 0, "nothing was fetched");
    let listed = env.slash(NEWS, &Member::admin(), "feeds", ("", "")).await;
    assert!(listed.starts_with("추가한 피드가 없어요."), "{listed}");
}
