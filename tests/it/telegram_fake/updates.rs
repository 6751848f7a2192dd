//! Scripted updates through getUpdates: every builder parses in teloxide, offsets confirm, long
//! polls answer as soon as an update is queued, a newer poll ends an older one; other methods a
//! polling bot calls.

use std::time::Duration;

use teloxide::payloads::GetUpdatesSetters;
use teloxide::prelude::Requester;
use teloxide::types::{BotCommand, ChatMemberKind, UpdateKind};
use teloxide::{ApiError, RequestError};

use super::WAIT;
use crate::support::telegram::{
    GROUP_ANONYMOUS_BOT_ID, Incoming, Role, TelegramServer, TgChat, TgUser,
};

#[tokio::test]
async fn every_update_builder_parses_in_teloxide() {
    let server = TelegramServer::start().await;
    let user = TgUser::new(501, "민수").username("minsu").language("ko");
    let group = TgChat::group(-4001, "동네방");
    let supergroup = TgChat::supergroup(-1004002, "속보방");
    let channel = TgChat::channel(-1004003, "속보 채널").with_username("sokbo");
    let first = server.push(Incoming::text(
        &TgChat::private(&user),
        &user,
        "/subscribe 경제",
    ));
    server.push(Incoming::text(&group, &user, "/list@sokbo_test_bot"));
    server.push(Incoming::anonymous_admin_text(&supergroup, "/pause"));
    server.push(Incoming::channel_post(&channel, "/start"));
    server.push(Incoming::my_chat_member(
        &channel,
        &user,
        Role::Left,
        Role::Admin,
    ));
    let last = server.push(Incoming::callback_query(
        &user,
        &TgChat::private(&user),
        3,
        "unsub:경제",
    ));
    assert_eq!((first, last), (1, 6));

    let updates = server.bot().get_updates().await.expect("GetUpdates");
    let ids: Vec<u32> = updates.iter().map(|u| u.id.0).collect();
    assert_eq!(ids, vec![1, 2, 3, 4, 5, 6]);
    let UpdateKind::Message(private) = &updates[0].kind else {
        panic!("{:?}", updates[0].kind)
    };
    assert!(private.chat.is_private());
    assert_eq!(private.text(), Some("/subscribe 경제"));
    let from = private.from.as_ref().expect("from");
    assert_eq!(
        (from.id.0, from.language_code.as_deref()),
        (501, Some("ko"))
    );
    assert_eq!(private.entities().map(|e| e.len()), Some(1));
    let UpdateKind::Message(in_group) = &updates[1].kind else {
        panic!()
    };
    assert!(in_group.chat.is_group());
    let UpdateKind::Message(anonymous) = &updates[2].kind else {
        panic!()
    };
    assert!(anonymous.chat.is_supergroup());
    assert_eq!(
        anonymous.from.as_ref().map(|u| u.id.0),
        Some(GROUP_ANONYMOUS_BOT_ID as u64)
    );
    assert_eq!(
        anonymous.sender_chat.as_ref().map(|c| c.id.0),
        Some(supergroup.id)
    );
    let UpdateKind::ChannelPost(post) = &updates[3].kind else {
        panic!()
    };
    assert!(post.chat.is_channel() && post.from.is_none());
    assert_eq!(post.chat.username(), Some("sokbo"));
    let UpdateKind::MyChatMember(member) = &updates[4].kind else {
        panic!()
    };
    assert!(matches!(member.old_chat_member.kind, ChatMemberKind::Left));
    assert!(member.new_chat_member.is_administrator());
    let UpdateKind::CallbackQuery(query) = &updates[5].kind else {
        panic!()
    };
    assert_eq!(query.data.as_deref(), Some("unsub:경제"));
    assert_eq!(query.regular_message().map(|m| m.id.0), Some(3));
}

#[tokio::test]
async fn offsets_confirm_and_long_polls_return_when_an_update_arrives() {
    let server = TelegramServer::start().await;
    let bot = server.bot();
    let user = TgUser::new(7, "A");
    let chat = TgChat::private(&user);
    let id = server.push(Incoming::text(&chat, &user, "one"));
    assert_eq!(bot.get_updates().await.unwrap().len(), 1);
    assert_eq!(
        bot.get_updates().offset(id as i32 + 1).await.unwrap().len(),
        0
    );
    assert_eq!(server.pending_updates(), 0);

    let poller = tokio::spawn({
        let bot = bot.clone();
        async move { bot.get_updates().offset(id as i32 + 1).timeout(10).await }
    });
    assert!(server.wait_for_requests("GetUpdates", 3, WAIT).await);
    server.push(Incoming::text(&chat, &user, "two"));
    let updates = poller.await.unwrap().expect("long poll");
    let UpdateKind::Message(message) = &updates[0].kind else {
        panic!()
    };
    assert_eq!(message.text(), Some("two"));

    let empty = bot
        .get_updates()
        .offset(id as i32 + 2)
        .timeout(1)
        .await
        .unwrap();
    assert!(
        empty.is_empty(),
        "an idle poll ends after its timeout, empty"
    );
}

#[tokio::test]
async fn a_newer_poll_ends_the_older_with_a_conflict() {
    let server = TelegramServer::start().await;
    let older = tokio::spawn({
        let bot = server.bot();
        async move { bot.get_updates().timeout(10).await }
    });
    assert!(server.wait_for_requests("GetUpdates", 1, WAIT).await);
    let newer = server.bot().get_updates().timeout(0).await;
    assert_eq!(newer.map(|u| u.len()).ok(), Some(0));
    let err = older.await.unwrap().unwrap_err();
    assert!(
        matches!(
            err,
            RequestError::Api(ApiError::TerminatedByOtherGetUpdates)
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn webhook_commands_and_callback_answers() {
    let server = TelegramServer::start().await;
    let bot = server.bot();
    let info = bot.get_webhook_info().await.expect("GetWebhookInfo");
    assert!(info.url.is_none());
    bot.delete_webhook().await.expect("DeleteWebhook");
    let commands = vec![
        BotCommand::new("subscribe", "구독"),
        BotCommand::new("list", "목록"),
    ];
    bot.set_my_commands(commands.clone())
        .await
        .expect("SetMyCommands");
    assert_eq!(bot.get_my_commands().await.unwrap(), commands);
    assert_eq!(
        server.commands(),
        Some(serde_json::json!([
            { "command": "subscribe", "description": "구독" },
            { "command": "list", "description": "목록" }
        ]))
    );
    bot.answer_callback_query(teloxide::types::CallbackQueryId("cbq1".into()))
        .await
        .expect("AnswerCallbackQuery");
    assert_eq!(
        server.callback_answers(),
        vec![serde_json::json!({ "callback_query_id": "cbq1" })]
    );
    bot.send_chat_action(
        teloxide::types::ChatId(1),
        teloxide::types::ChatAction::Typing,
    )
    .await
    .expect("other methods answer true");
    assert!(
        !server
            .wait_for(Duration::from_millis(20), |s| s.messages().len() == 1)
            .await
    );
}
