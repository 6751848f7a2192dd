//! Channels (commands posted in them, or sent from a private chat naming them), the category
//! keyboard, and quiet hours.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channels_are_configured_in_place_or_from_a_private_chat() {
    let env = Env::new().await;
    let channel = TgChat::channel(-100_200, "속보 채널").with_username("sokbo_news");
    let other = TgChat::channel(-100_300, "두번째 채널").with_username("second_ch");
    let (owner, stranger) = (
        TgUser::new(7, "운영자").language("ko"),
        TgUser::new(8, "행인").language("ko"),
    );
    let (owner_chat, stranger_chat) = (TgChat::private(&owner), TgChat::private(&stranger));
    for chat in [&channel, &other, &owner_chat, &stranger_chat] {
        env.server.add_chat(chat);
    }
    env.server.set_admins(
        other.id,
        &[(owner.clone(), Role::Creator), (TgUser::bot(), Role::Admin)],
    );
    let app = env.start().await;

    // Posted in the channel itself: only its administrators can post there.
    env.server
        .push(Incoming::channel_post(&channel, "/subscribe 경제"));
    assert!(
        env.server
            .wait_for(WAIT, |s| !replies(s, channel.id).is_empty())
            .await
    );
    // From a private chat, naming the channel: both the sender and the bot must be its admins.
    let refused = env
        .command(&stranger_chat, &stranger, "/subscribe @second_ch 경제")
        .await;
    assert!(refused.contains("관리자"), "{refused}");
    let done = env
        .command(&owner_chat, &owner, "/subscribe @second_ch 경제")
        .await;
    assert!(
        done.contains("@second_ch") && done.contains("경제"),
        "{done}"
    );

    env.post("2026-11-02-a", "경제 소식", "경제");
    assert_eq!(
        titles(&env.alerts_reach(channel.id, 1).await),
        ["🔴 속보 ┃ 경제 소식"]
    );
    assert_eq!(
        titles(&env.alerts_reach(other.id, 1).await),
        ["🔴 속보 ┃ 경제 소식"]
    );
    assert!(
        alerts(&env.server, owner.id).is_empty() && alerts(&env.server, stranger.id).is_empty()
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_category_keyboard_toggles_a_subscription() {
    let env = Env::new().await;
    let user = TgUser::new(9, "독자").language("ko");
    let chat = TgChat::private(&user);
    env.server.add_chat(&chat);
    let app = env.start().await;
    env.command(&chat, &user, "/subscribe").await;
    let menu = replies(&env.server, chat.id).pop().expect("the keyboard");
    let markup = menu.reply_markup.expect("an inline keyboard");
    let button = markup["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().into_iter().flatten())
        .find(|b| b["text"].as_str().is_some_and(|t| t.contains("정치")))
        .expect("a 정치 button")
        .clone();
    let data = button["callback_data"].as_str().expect("callback data");
    env.server.push(Incoming::callback_query(
        &user,
        &chat,
        menu.message_id,
        data,
    ));
    assert!(
        env.server.wait_for_edits(1, WAIT).await,
        "the keyboard is updated"
    );
    let listed = env.command(&chat, &user, "/list").await;
    assert!(
        listed.contains("정치") && !listed.contains("경제"),
        "{listed}"
    );
    env.post("2026-11-02-a", "정치 소식", "정치");
    assert_eq!(
        titles(&env.alerts_reach(chat.id, 1).await),
        ["🔴 속보 ┃ 정치 소식"]
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn alerts_in_quiet_hours_arrive_silently() {
    use chrono::Timelike;
    let env = Env::new().await;
    let user = TgUser::new(10, "야간 독자");
    let chat = TgChat::private(&user);
    env.server.add_chat(&chat);
    let app = env.start().await;
    env.command(&chat, &user, "/subscribe 경제").await;
    let hour = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Seoul)
        .hour();
    // Quiet from this hour for two hours (a test running across the hour is still inside).
    env.command(&chat, &user, &format!("/quiet {hour}-{}", (hour + 2) % 24))
        .await;
    env.post("2026-11-02-a", "밤 소식", "경제");
    assert!(env.alerts_reach(chat.id, 1).await[0].disable_notification);
    env.command(&chat, &user, "/quiet off").await;
    env.post("2026-11-03-b", "아침 소식", "경제");
    assert!(!env.alerts_reach(chat.id, 2).await[1].disable_notification);
    app.stop().await;
}
