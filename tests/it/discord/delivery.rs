//! Delivery to Discord: 429 and 500 retried, announced buckets kept, a lost channel paused,
//! webhook routes without a bot, corrections edited in place.

use std::time::Duration;

use sokbo::config::RouteConfig;

use super::{Env, NEWS, OTHER, WAIT, titles, write_post};
use crate::support::app::spawn_app;
use crate::support::discord::json::Member;
use crate::support::discord::{DiscordServer, Fault};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_is_waited_out_and_delivers_once() {
    let env = Env::new().await;
    let app = env.start().await;
    env.subscribe(NEWS).await;
    env.server.fail(
        NEWS,
        Fault::RateLimited {
            retry_after: 0.3,
            times: 1,
        },
    );
    env.server.fail(OTHER, Fault::ServerError { times: 1 });
    env.subscribe(OTHER).await;
    env.post("2026-11-03-economy", "경제 소식", "경제");
    let got = env.embeds_reach(NEWS, 1).await;
    assert_eq!(titles(&got), ["🔴 속보 ┃ 경제 소식"]);
    assert_eq!(env.server.rate_limited(), 1);
    // A 500 is retried with backoff.
    let other = env.embeds_reach(OTHER, 1).await;
    assert_eq!(titles(&other), ["🔴 속보 ┃ 경제 소식"]);
    env.post("2026-11-04-economy", "경제 둘째", "경제");
    let got = env.embeds_reach(NEWS, 2).await;
    assert_eq!(titles(&got), ["🔴 속보 ┃ 경제 소식", "🔴 속보 ┃ 경제 둘째"]);
    env.embeds_reach(OTHER, 2).await;
    let tries = |channel: u64| {
        let path = format!("/api/v10/channels/{channel}/messages");
        env.server
            .requests()
            .iter()
            .filter(|r| r.path == path)
            .count()
    };
    assert_eq!(
        (tries(NEWS), tries(OTHER)),
        (3, 3),
        "one retry each, no duplicates"
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_that_disappeared_pauses_and_others_go_on() {
    let env = Env::new().await;
    let app = env.start().await;
    let admin = Member::admin();
    env.subscribe(NEWS).await;
    env.subscribe(OTHER).await;
    env.server.fail(NEWS, Fault::UnknownChannel);
    env.post("2026-11-03-economy", "경제 소식", "경제");
    env.embeds_reach(OTHER, 1).await;
    env.post("2026-11-04-economy", "경제 둘째", "경제");
    env.embeds_reach(OTHER, 2).await;
    let tries = env
        .server
        .requests()
        .iter()
        .filter(|r| r.path == format!("/api/v10/channels/{NEWS}/messages"))
        .count();
    assert_eq!(tries, 1, "a gone channel is not tried again");
    let list = env.slash(NEWS, &admin, "list", None).await;
    let text = list["content"].as_str().unwrap();
    assert!(text.contains("경제"), "{text}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_route_without_a_bot_and_corrections_edit() {
    let env = Env::new().await;
    let hook = 1_500_000_000_000_000_001u64;
    let mut config = env.config("");
    config.routes.push(RouteConfig {
        discord_webhook: Some(DiscordServer::webhook_url(hook)),
        ..RouteConfig::default()
    });
    let mut app = spawn_app(config);
    let got = env.embeds_reach(hook, 1).await;
    assert_eq!(titles(&got), ["🔴 속보 ┃ 처음 있던 글"]);
    assert!(app.next_alert(WAIT).await.is_some());
    let request = &env.server.requests()[0];
    assert!(
        request
            .path
            .starts_with(&format!("/api/v10/webhooks/{hook}/")),
        "{}",
        request.path
    );
    assert_eq!(request.authorization, None, "no bot token on webhook calls");

    write_post(
        &env.posts,
        "2026-11-01-first",
        "처음 있던 글 (수정)",
        "경제",
        "고친 요약이다.",
    );
    let edited = env
        .server
        .wait(WAIT, |s| s.messages.iter().any(|m| !m.edits.is_empty()))
        .await;
    assert!(edited, "the webhook message was edited");
    let message = &env.server.messages_to(hook)[0];
    assert_eq!(
        message.edits[0]["embeds"][0]["title"],
        "🔴 속보 ┃ 처음 있던 글 \\(수정\\)"
    );
    assert_eq!(
        env.server.messages_to(hook).len(),
        1,
        "edited, not sent again"
    );
    assert!(env.server.violations().is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrected_post_edits_the_channel_message() {
    let env = Env::new().await;
    let app = env.start().await;
    env.subscribe(NEWS).await;
    env.post("2026-11-03-economy", "경제 소식", "경제");
    env.embeds_reach(NEWS, 1).await;
    write_post(
        &env.posts,
        "2026-11-03-economy",
        "경제 소식",
        "경제",
        "수정된 요약이다.",
    );
    let got = env.server.wait_edits(NEWS, 1, WAIT).await;
    assert_eq!(got.len(), 1, "edited, not sent again");
    assert_eq!(got[0].edits.len(), 1);
    assert_eq!(
        got[0].edits[0]["embeds"][0]["description"],
        "수정된 요약이다. 시행은 다음 달부터다."
    );
    let edit = env
        .server
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .unwrap();
    assert_eq!(
        edit.path,
        format!("/api/v10/channels/{NEWS}/messages/{}", got[0].id)
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn announced_buckets_are_kept_without_a_429() {
    let env = Env::new().await;
    let app = env.start().await;
    env.subscribe(NEWS).await;
    env.server.set_bucket(Duration::from_millis(400));
    for day in 3..7 {
        env.post(
            &format!("2026-11-0{day}-economy"),
            &format!("경제 {day}"),
            "경제",
        );
    }
    let got = env.embeds_reach(NEWS, 4).await;
    assert_eq!(got.len(), 4);
    assert_eq!(
        env.server.rate_limited(),
        0,
        "the announced bucket was waited out"
    );
    app.stop().await;
}
