//! Following a feed from a chat: the reply to `/subscribe <url>`, autodiscovery, new posts as
//! alerts (and old ones not), one poll stream for many chats, keyword filters, `/feeds` and
//! `/unsubscribe`.

use super::*;

fn added(title: &str, url: &str, post: &str, link: &str) -> String {
    format!(
        "✅ Feed added: {title}\n{url}\nNewest post: {post}\n{link}\nNew posts will arrive here."
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscribed_feed_alerts_new_posts_only() {
    let env = Env::new().await;
    env.serve(
        "/feed.xml",
        "Daily News",
        &[("p2", "Second story"), ("p1", "First story")],
    );
    let (chat, user) = private(7001);
    let app = env.start(env.config());
    let url = env.feeds.url("/feed.xml");

    let reply = env
        .command(&chat, &user, &format!("/subscribe {url}"))
        .await;
    assert_eq!(
        reply,
        added(
            "Daily News",
            &url,
            "Second story",
            "https://news.example/p2"
        )
    );
    let items = [
        ("p3", "Third story"),
        ("p2", "Second story"),
        ("p1", "First story"),
    ];
    env.set_items("/feed.xml", "Daily News", &items);
    let titles = env.alert_reaches(chat.id, "Third story").await;
    assert_eq!(
        titles,
        ["Third story"],
        "the posts there before were not alerted"
    );
    let alert = &alerts(&env.server, chat.id)[0];
    assert!(
        alert.text.contains("https://news.example/p3"),
        "{}",
        alert.text
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_page_leads_to_the_feed_it_links() {
    let env = Env::new().await;
    let page = "<html><head><title>Site</title>\
        <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Posts\" href=\"/feed.xml\">\
        </head><body>Hello</body></html>";
    env.feeds
        .serve("/", Resource::new(page, "text/html; charset=utf-8"));
    env.serve("/feed.xml", "Site Posts", &[("s1", "Site story")]);
    let (chat, user) = private(7002);
    let app = env.start(env.config());

    let site = env.feeds.url("/");
    let reply = env
        .command(&chat, &user, &format!("/subscribe {site}"))
        .await;
    let feed = env.feeds.url("/feed.xml");
    assert_eq!(
        reply,
        added("Site Posts", &feed, "Site story", "https://news.example/s1")
    );
    let listed = env.command(&chat, &user, "/feeds").await;
    assert!(
        listed.contains(&format!("1. Site Posts — {feed}")),
        "{listed}"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_chats_on_one_feed_share_one_poll_stream() {
    let env = Env::new().await;
    env.serve("/feed.xml", "Shared", &[("a1", "Old one")]);
    let ((one, u1), (two, u2)) = (private(7003), private(7004));
    let app = env.start(env.config());
    let url = env.feeds.url("/feed.xml");
    env.command(&one, &u1, &format!("/subscribe {url}")).await;
    let again = env.command(&two, &u2, &format!("/subscribe {url}")).await;
    assert!(again.starts_with("✅ Feed added: Shared"), "{again}");

    // Polls keep coming about once an interval, not twice: over a window of 4 intervals one
    // stream makes about 4 requests, two would make about 8.
    let start = env.feeds.requests("/feed.xml");
    assert!(
        env.feeds
            .wait_for_requests("/feed.xml", start + 1, WAIT)
            .await
    );
    let from = env.feeds.requests("/feed.xml");
    let doubled = env
        .feeds
        .wait_for_requests("/feed.xml", from + 7, INTERVAL * 4)
        .await;
    let polls = env.feeds.requests("/feed.xml") - from;
    assert!(
        !doubled && (2..=6).contains(&polls),
        "{polls} polls in 4 intervals"
    );

    env.set_items(
        "/feed.xml",
        "Shared",
        &[("a2", "New one"), ("a1", "Old one")],
    );
    assert_eq!(env.alert_reaches(one.id, "New one").await, ["New one"]);
    assert_eq!(env.alert_reaches(two.id, "New one").await, ["New one"]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_excluded_word_keeps_a_chat_feed_post_out() {
    let env = Env::new().await;
    env.serve("/feed.xml", "Mixed", &[("m1", "Opening")]);
    let ((picky, u1), (plain, u2)) = (private(7005), private(7006));
    let app = env.start(env.config());
    let url = env.feeds.url("/feed.xml");
    env.command(&picky, &u1, &format!("/subscribe {url}")).await;
    env.command(&plain, &u2, &format!("/subscribe {url}")).await;
    let excluded = env.command(&picky, &u1, "/exclude casino").await;
    assert!(excluded.contains("casino"), "{excluded}");

    let items = [
        ("m3", "Town hall reopens"),
        ("m2", "Casino night"),
        ("m1", "Opening"),
    ];
    env.set_items("/feed.xml", "Mixed", &items);
    let all = env.alert_reaches(plain.id, "Town hall reopens").await;
    assert_eq!(all.len(), 2, "{all:?}");
    // Both posts were routed in the same poll: the picky chat's share is settled too.
    let picked = env.alert_reaches(picky.id, "Town hall reopens").await;
    assert_eq!(picked, ["Town hall reopens"]);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn feeds_lists_and_unsubscribe_stops_the_alerts() {
    let env = Env::new().await;
    env.serve("/feed.xml", "Listed", &[("l1", "Start")]);
    let ((leaver, u1), (stayer, u2)) = (private(7007), private(7008));
    let app = env.start(env.config());
    let url = env.feeds.url("/feed.xml");
    env.command(&leaver, &u1, &format!("/subscribe {url}"))
        .await;
    env.command(&stayer, &u2, &format!("/subscribe {url}"))
        .await;

    let listed = env.command(&leaver, &u1, "/feeds").await;
    assert_eq!(
        listed,
        format!("This chat's 1 feeds\n1. Listed — {url}\n   no new post yet")
    );
    let removed = env
        .command(&leaver, &u1, &format!("/unsubscribe {url}"))
        .await;
    assert_eq!(removed, "Feed removed: Listed");
    let none = env.command(&leaver, &u1, "/feeds").await;
    assert_eq!(
        none,
        "No feeds added. Add one with /subscribe https://example.com/feed.xml"
    );

    env.set_items(
        "/feed.xml",
        "Listed",
        &[("l2", "After leaving"), ("l1", "Start")],
    );
    assert_eq!(
        env.alert_reaches(stayer.id, "After leaving").await,
        ["After leaving"]
    );
    assert!(
        alerts(&env.server, leaver.id).is_empty(),
        "no alert after /unsubscribe"
    );
    app.stop().await;
}
