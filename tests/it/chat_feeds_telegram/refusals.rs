//! Feeds a chat may not add: chat feeds off, a group member who is not an administrator, the
//! per-chat limit, and addresses the SSRF guard refuses (a private address given directly, or
//! reached through a redirect behind a proxy), with no request made to them.

use sokbo::config::ChatFeedsAllow;

use super::*;
use crate::support::telegram::Role;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chat_feeds_off_refuses_with_the_off_text() {
    let env = Env::new().await;
    env.serve("/feed.xml", "Never", &[("n1", "Nothing")]);
    let mut config = env.config();
    config.chat_feeds.allow = ChatFeedsAllow::Off;
    let (chat, user) = private(7101);
    let app = env.start(config);

    let url = env.feeds.url("/feed.xml");
    let reply = env
        .command(&chat, &user, &format!("/subscribe {url}"))
        .await;
    assert_eq!(reply, "Adding feeds from a chat is turned off on this bot.");
    assert_eq!(env.feeds.requests("/feed.xml"), 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_a_group_only_administrators_add_feeds() {
    let env = Env::new().await;
    env.serve("/feed.xml", "Group Feed", &[("g1", "Group story")]);
    let group = TgChat::supergroup(-1007101, "Newsroom");
    let admin = TgUser::new(7102, "Admin").language("en");
    let member = TgUser::new(7103, "Member").language("en");
    env.server.add_chat(&group);
    env.server
        .set_admins(group.id, &[(admin.clone(), Role::Admin)]);
    env.server.set_member(group.id, &member, Role::Member);
    let app = env.start(env.config());

    let url = env.feeds.url("/feed.xml");
    let refused = env
        .command(&group, &member, &format!("/subscribe {url}"))
        .await;
    assert_eq!(
        refused,
        "Only administrators can change this chat's subscription."
    );
    assert_eq!(
        env.feeds.requests("/feed.xml"),
        0,
        "nothing fetched for a refusal"
    );
    let added = env
        .command(&group, &admin, &format!("/subscribe {url}"))
        .await;
    assert!(added.starts_with("✅ Feed added: Group Feed\n"), "{added}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_cannot_add_more_than_max_per_chat() {
    let env = Env::new().await;
    env.serve("/a.xml", "Feed A", &[("a1", "A story")]);
    env.serve("/b.xml", "Feed B", &[("b1", "B story")]);
    let mut config = env.config();
    config.chat_feeds.max_per_chat = 1;
    let (chat, user) = private(7104);
    let app = env.start(config);

    let (a, b) = (env.feeds.url("/a.xml"), env.feeds.url("/b.xml"));
    let first = env.command(&chat, &user, &format!("/subscribe {a}")).await;
    assert!(first.starts_with("✅ Feed added: Feed A\n"), "{first}");
    let second = env.command(&chat, &user, &format!("/subscribe {b}")).await;
    assert_eq!(
        second,
        "A chat may add at most 1 feeds. Remove one with /unsubscribe first."
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_private_address_is_refused_without_a_request() {
    let env = Env::new().await;
    env.serve("/feed.xml", "Internal", &[("i1", "Secret")]);
    let mut config = env.config();
    config.chat_feeds.allow_private_addresses = false;
    let (chat, user) = private(7105);
    let app = env.start(config);

    let url = format!("http://127.0.0.1:{}/feed.xml", env.feeds.addr().port());
    let reply = env
        .command(&chat, &user, &format!("/subscribe {url}"))
        .await;
    assert_eq!(
        reply,
        "That address is not allowed: 127.0.0.1 is not a public address"
    );
    assert_eq!(env.feeds.requests("/feed.xml"), 0);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redirect_to_a_private_address_is_refused_before_it_is_followed() {
    let env = Env::new().await;
    // The fake feed server plays the proxy: it answers the absolute-form request for
    // http://news.example/feed.xml by its path, with a redirect to a loopback address.
    let port = env.feeds.addr().port();
    let internal = format!("http://127.0.0.1:{port}/private.xml");
    env.feeds.redirect_to("/feed.xml", &internal);
    env.serve("/private.xml", "Internal", &[("i1", "Secret")]);
    let mut config = env.config();
    config.chat_feeds.allow_private_addresses = false;
    config.http.proxy = format!("http://{}", env.feeds.addr());
    let (chat, user) = private(7106);
    let app = env.start(config);

    let reply = env
        .command(&chat, &user, "/subscribe http://news.example/feed.xml")
        .await;
    assert_eq!(
        reply,
        "That address is not allowed: 127.0.0.1 is not a public address"
    );
    assert_eq!(
        env.feeds.requests("/feed.xml"),
        1,
        "the proxy was asked once"
    );
    assert_eq!(
        env.feeds.requests("/private.xml"),
        0,
        "the redirect was not followed"
    );
    app.stop().await;
}
