//! Health notices in Telegram chats: a chat feed that fails tells its followers once, and once
//! more when it recovers; an operator feed that fails tells `[chat_feeds] operator_chat`.

use super::*;

/// The notices (HTML messages whose first line is a notice title) `chat` received.
fn notices(server: &TelegramServer, chat: i64) -> Vec<String> {
    alerts(server, chat)
        .iter()
        .map(|m| m.visible_text())
        .filter(|t| t.starts_with("⚠️") || t.starts_with("✅") || t.starts_with("⏸"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn followers_and_the_operator_chat_hear_once_when_a_feed_fails_and_once_when_it_recovers() {
    let env = Env::new().await;
    env.serve("/chat.xml", "Town News", &[("t1", "Snow plan")]);
    env.serve("/site.xml", "Site", &[("s1", "Welcome")]);
    let (chat, user) = private(7101);
    let operator = TgChat::private(&TgUser::new(7102, "Operator"));
    env.server.add_chat(&operator);
    let mut config = env.config();
    config.bot.language = sokbo::model::Lang::En;
    config.http.max_backoff = INTERVAL;
    config.chat_feeds.notify_after = Duration::from_secs(2);
    config.chat_feeds.operator_chat = format!("telegram:{}", operator.id);
    let site = env.feeds.url("/site.xml");
    config.feeds = vec![crate::support::app::http_feed("site", &site, INTERVAL)];
    let app = env.start(config);
    let url = env.feeds.url("/chat.xml");
    env.command(&chat, &user, &format!("/subscribe {url}"))
        .await;
    assert!(env.feeds.wait_for_requests("/site.xml", 1, WAIT).await);

    env.feeds.fail("/chat.xml", 503, None);
    env.feeds.fail("/site.xml", 503, None);
    let failing =
        |s: &TelegramServer| notices(s, chat.id).len() == 1 && notices(s, operator.id).len() == 1;
    assert!(
        env.server.wait_for(WAIT, failing).await,
        "no failure notices"
    );
    let told = notices(&env.server, chat.id);
    assert!(
        told[0].starts_with(&format!(
            "⚠️ Feed failing: Town News\n{url}\nCannot be read since "
        )),
        "{told:?}"
    );
    assert!(
        told[0].ends_with(": HTTP 503 Service Unavailable"),
        "{told:?}"
    );
    let told = notices(&env.server, operator.id);
    assert!(
        told[0].starts_with(&format!("⚠️ Feed failing: site\n{site}\n")),
        "{told:?}"
    );
    // Still failing, several polls later: nothing more.
    let seen = env.feeds.requests("/chat.xml");
    assert!(
        env.feeds
            .wait_for_requests("/chat.xml", seen + 3, WAIT)
            .await
    );

    env.serve("/chat.xml", "Town News", &[("t1", "Snow plan")]);
    env.serve("/site.xml", "Site", &[("s1", "Welcome")]);
    let recovered =
        |s: &TelegramServer| notices(s, chat.id).len() == 2 && notices(s, operator.id).len() == 2;
    assert!(
        env.server.wait_for(WAIT, recovered).await,
        "no recovery notices"
    );
    assert_eq!(
        notices(&env.server, chat.id)[1],
        format!("✅ Feed works again: Town News\n{url}")
    );
    assert_eq!(
        notices(&env.server, operator.id)[1],
        format!("✅ Feed works again: site\n{site}")
    );
    let seen = env.feeds.requests("/chat.xml");
    assert!(
        env.feeds
            .wait_for_requests("/chat.xml", seen + 2, WAIT)
            .await
    );
    app.stop().await;
    assert_eq!(notices(&env.server, chat.id).len(), 2);
    assert_eq!(notices(&env.server, operator.id).len(), 2);
    // The operator chat follows no feed: it got notices only.
    assert_eq!(alerts(&env.server, operator.id).len(), 2);
}
