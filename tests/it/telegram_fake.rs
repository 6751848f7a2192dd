//! Self-tests of the fake Telegram Bot API, driven by the real teloxide client: identity, sends
//! and their records, errors as teloxide maps them, limits, updates and long polling, and the
//! production-like faults (latency, error rate, hanging chats) met by sokbo's alert client.

mod errors;
mod limits;
mod production;
mod updates;

use std::time::Duration;

use serde_json::json;
use sokbo::model::{Alert, PostKey, SourceKind, SourceLink};
use sokbo::render::telegram::{RenderOptions, render};
use teloxide::payloads::{EditMessageTextSetters, SendMessageSetters, SendPhotoSetters};
use teloxide::prelude::Requester;
use teloxide::types::{
    ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, LinkPreviewOptions, MessageId,
    ParseMode,
};

use crate::support::telegram::{BOT_ID, BOT_USERNAME, SentMessage, TelegramServer, TgChat};

pub const WAIT: Duration = Duration::from_secs(10);

fn keyboard(rows: &[Vec<(String, String)>]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.iter().map(|row| {
        row.iter()
            .map(|(label, url)| InlineKeyboardButton::url(label.clone(), url.parse().unwrap()))
            .collect::<Vec<_>>()
    }))
}

fn alert() -> Alert {
    Alert {
        feed: "뉴스다오".into(),
        key: PostKey("p1".into()),
        title: "관세청 회의 재개 <속보> & 합의".into(),
        link: Some("https://news.example.kr/p/1".into()),
        source_links: vec![SourceLink {
            url: "https://newsdao.kr/1870?a=1&b=\"2\"".into(),
            text: "원문".into(),
            kind: SourceKind::Original,
        }],
        categories: vec!["경제".into()],
        summary: "요약 문장입니다.".into(),
        image: Some("https://news.example.kr/img.jpg".into()),
        published: None,
        breaking: true,
        notice: false,
        feed_title: None,
    }
}

#[tokio::test]
async fn get_me_parses() {
    let server = TelegramServer::start().await;
    let me = server.bot().get_me().await.expect("GetMe");
    assert_eq!(me.id.0, BOT_ID as u64);
    assert_eq!(me.username(), BOT_USERNAME);
    assert!(me.can_join_groups);
    assert_eq!(server.requests("GetMe"), 1);
}

#[tokio::test]
async fn sent_messages_are_recorded_with_ids_per_chat() {
    let server = TelegramServer::start().await;
    let bot = server.bot();
    let rows = vec![vec![("Read".to_owned(), "https://x.example/a".to_owned())]];
    let preview = LinkPreviewOptions {
        is_disabled: false,
        url: Some("https://x.example/i.jpg".into()),
        prefer_small_media: false,
        prefer_large_media: true,
        show_above_text: true,
    };
    let first = bot
        .send_message(ChatId(42), "<b>hi</b> &amp; bye")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard(&rows))
        .link_preview_options(preview)
        .disable_notification(true)
        .await
        .expect("SendMessage");
    assert_eq!((first.id, first.chat.id), (MessageId(1), ChatId(42)));
    assert_eq!(first.text(), Some("hi & bye"));
    let second = bot.send_message(ChatId(42), "plain").await.unwrap();
    let other = bot.send_message(ChatId(-100500), "group").await.unwrap();
    assert_eq!((second.id, other.id), (MessageId(2), MessageId(1)));

    let messages = server.messages();
    assert_eq!(
        messages[0],
        SentMessage {
            method: "SendMessage".into(),
            chat_id: 42,
            message_id: 1,
            text: "<b>hi</b> &amp; bye".into(),
            parse_mode: Some("HTML".into()),
            photo: None,
            reply_markup: Some(json!({
                "inline_keyboard": [[{ "text": "Read", "url": "https://x.example/a" }]]
            })),
            link_preview_options: Some(json!({
                "url": "https://x.example/i.jpg", "prefer_large_media": true, "show_above_text": true
            })),
            disable_notification: true,
        }
    );
    assert_eq!(messages[0].buttons(), rows);
    assert_eq!(messages[0].visible_text(), "hi & bye");
    assert_eq!(server.messages_to(-100500).len(), 1);
    assert!(server.wait_for_messages(3, WAIT).await);
    assert!(!server.wait_for_messages(4, Duration::from_millis(50)).await);
}

#[tokio::test]
async fn a_rendered_alert_goes_through_as_text_and_as_photo() {
    let server = TelegramServer::start().await;
    let bot = server.bot();
    let message = render(&alert(), &RenderOptions::default());
    bot.send_message(ChatId(7), message.text.clone())
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard(&message.buttons))
        .await
        .expect("rendered text accepted");
    let opts = RenderOptions {
        photo: true,
        ..RenderOptions::default()
    };
    let photo = render(&alert(), &opts);
    let url = photo.photo.clone().expect("photo");
    let sent = bot
        .send_photo(ChatId(7), InputFile::url(url.parse().unwrap()))
        .caption(photo.text.clone())
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard(&photo.buttons))
        .await
        .expect("rendered caption accepted");
    assert_eq!(sent.photo().map(|p| p.len()), Some(1));
    assert!(
        sent.caption()
            .is_some_and(|c| c.starts_with("🔴 속보 ┃ 관세청"))
    );

    let recorded = server.messages();
    assert_eq!(recorded.len(), 2);
    assert_eq!(recorded[0].text, message.text);
    assert_eq!(recorded[0].buttons(), message.buttons);
    assert_eq!(recorded[1].method, "SendPhoto");
    assert_eq!(recorded[1].photo.as_deref(), Some(url.as_str()));
    assert_eq!(recorded[1].text, photo.text);
    assert_eq!(recorded[1].parse_mode.as_deref(), Some("HTML"));
    assert_eq!(recorded[1].buttons(), photo.buttons);
}

#[tokio::test]
async fn edits_are_recorded_and_checked() {
    let server = TelegramServer::start().await;
    let bot = server.bot();
    let sent = bot.send_message(ChatId(9), "v1").await.unwrap();
    let edited = bot
        .edit_message_text(ChatId(9), sent.id, "<i>v2</i>")
        .parse_mode(ParseMode::Html)
        .await
        .expect("EditMessageText");
    assert_eq!(edited.text(), Some("v2"));
    assert!(server.wait_for_edits(1, WAIT).await);
    let edits = server.edits();
    assert_eq!(
        (
            edits[0].method.as_str(),
            edits[0].message_id,
            edits[0].text.as_str()
        ),
        ("EditMessageText", 1, "<i>v2</i>")
    );
    let same = bot
        .edit_message_text(ChatId(9), sent.id, "<i>v2</i>")
        .parse_mode(ParseMode::Html)
        .await;
    assert!(matches!(
        same,
        Err(teloxide::RequestError::Api(
            teloxide::ApiError::MessageNotModified
        ))
    ));
    let missing = bot.edit_message_text(ChatId(9), MessageId(99), "x").await;
    assert!(matches!(
        missing,
        Err(teloxide::RequestError::Api(
            teloxide::ApiError::MessageToEditNotFound
        ))
    ));
}

#[tokio::test]
async fn chats_members_and_admins_are_scripted() {
    use crate::support::telegram::{Role, TgUser};
    let server = TelegramServer::start().await;
    let bot = server.bot();
    let group = TgChat::supergroup(-1001234567890, "속보방").with_username("sokbo_news");
    server.add_chat(&group);
    let owner = TgUser::new(11, "Owner");
    let admin = TgUser::new(12, "Admin");
    server.set_admins(
        group.id,
        &[(owner.clone(), Role::Creator), (admin.clone(), Role::Admin)],
    );

    let admins = bot.get_chat_administrators(ChatId(group.id)).await.unwrap();
    let ids: Vec<u64> = admins.iter().map(|m| m.user.id.0).collect();
    assert_eq!(ids, vec![11, 12]);
    assert!(admins[0].is_owner() && admins[1].is_administrator());
    let member = bot
        .get_chat_member(ChatId(group.id), teloxide::types::UserId(13))
        .await
        .unwrap();
    assert!(member.is_member() && !member.is_privileged());

    let chat = bot.get_chat(ChatId(group.id)).await.unwrap();
    assert_eq!(chat.title(), Some("속보방"));
    assert_eq!(chat.username(), Some("sokbo_news"));
    bot.send_message(
        teloxide::types::Recipient::ChannelUsername("@sokbo_news".into()),
        "hi",
    )
    .await
    .expect("@username resolves to the described chat");
    assert_eq!(server.messages_to(group.id).len(), 1);
}

/// sokbo's alert client sends teloxide's payloads: the fake records the same messages as when
/// teloxide sends them (SendPhoto goes as JSON instead of multipart, the same fields).
#[tokio::test]
async fn the_alert_client_sends_what_teloxide_sends() {
    use sokbo::platform::telegram::api::{BotApi, Sent};
    use teloxide::payloads::{EditMessageCaption, EditMessageCaptionSetters, SendMessage};
    use teloxide::requests::{HasPayload, Payload, Request};

    use crate::support::telegram::TOKEN;

    let server = TelegramServer::start().await;
    let second = Duration::from_secs(5);
    let api = BotApi::new(&server.url(), TOKEN, second, second).unwrap();
    let bot = server.bot();
    let message = render(&alert(), &RenderOptions::default());
    let preview = LinkPreviewOptions {
        is_disabled: false,
        url: Some("https://news.example.kr/img.jpg".into()),
        prefer_small_media: false,
        prefer_large_media: true,
        show_above_text: false,
    };
    let text = bot
        .send_message(ChatId(1), message.text.clone())
        .parse_mode(ParseMode::Html)
        .link_preview_options(preview)
        .disable_notification(true)
        .reply_markup(keyboard(&message.buttons));
    let photo_url = "https://x.example/i.jpg".parse().unwrap();
    let photo = bot
        .send_photo(ChatId(2), InputFile::url(photo_url))
        .caption(message.text.clone())
        .parse_mode(ParseMode::Html)
        .disable_notification(true)
        .reply_markup(keyboard(&message.buttons));
    for chat in [1, 2] {
        bot.send_message(ChatId(chat), "first").await.unwrap();
    }
    text.send_ref().await.unwrap();
    photo.send_ref().await.unwrap();
    let by_api = api.call::<_, Sent>(text.payload_ref()).await.unwrap();
    assert_eq!(by_api, Sent { message_id: 3 });
    let by_api = api.call::<_, Sent>(photo.payload_ref()).await.unwrap();
    assert_eq!(by_api, Sent { message_id: 3 });
    let caption = EditMessageCaption::new(ChatId(2), MessageId(3))
        .caption("<b>고침</b>")
        .parse_mode(ParseMode::Html);
    api.call::<_, serde_json::Value>(&caption).await.unwrap();

    let messages = server.messages();
    let as_teloxide = |m: &SentMessage| SentMessage {
        message_id: 2,
        ..m.clone()
    };
    assert_eq!(as_teloxide(&messages[4]), messages[2]);
    assert_eq!(as_teloxide(&messages[5]), messages[3]);
    let sends = server.calls_of(SendMessage::NAME);
    assert_eq!(sends[2], sends[3], "the same JSON body");
    assert_eq!(server.edits()[0].visible_text(), "고침");
}
