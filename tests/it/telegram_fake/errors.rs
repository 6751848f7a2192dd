//! Faults and refusals as teloxide sees them: 429, blocked/kicked/deactivated/not found,
//! migration, 500, bad HTML and lengths, bad buttons, wrong token.

use serde_json::json;
use teloxide::payloads::{SendMessageSetters, SendPhotoSetters};
use teloxide::prelude::Requester;
use teloxide::types::{
    ChatId, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, ParseMode, Seconds,
};
use teloxide::{ApiError, RequestError};

use crate::support::telegram::{ChatFault, ErrorReply, TelegramServer, Transient};

async fn send(server: &TelegramServer, chat: i64, text: &str) -> Result<(), RequestError> {
    server
        .bot()
        .send_message(ChatId(chat), text)
        .parse_mode(ParseMode::Html)
        .await
        .map(drop)
}

#[tokio::test]
async fn injected_429_is_retry_after_then_passes() {
    let server = TelegramServer::start().await;
    server.fail_next_for(5, 2, Transient::TooManyRequests { retry_after: 7 });
    send(&server, 6, "other chat")
        .await
        .expect("other chats pass");
    for _ in 0..2 {
        let err = send(&server, 5, "x").await.unwrap_err();
        assert!(
            matches!(err, RequestError::RetryAfter(s) if s == Seconds::from_seconds(7)),
            "{err:?}"
        );
    }
    send(&server, 5, "x").await.expect("storm over");
    assert_eq!(server.too_many_requests(), 2);
    assert_eq!(
        server.errors()[0],
        ErrorReply {
            method: "SendMessage".into(),
            code: 429,
            description: "Too Many Requests: retry after 7".into(),
        }
    );
    assert_eq!(server.messages().len(), 2);
}

#[tokio::test]
async fn chat_faults_map_to_teloxide_errors() {
    let server = TelegramServer::start().await;
    let cases = [
        (1, ChatFault::Blocked),
        (-1002, ChatFault::KickedFromSupergroup),
        (-1003, ChatFault::KickedFromChannel),
        (4, ChatFault::UserDeactivated),
        (5, ChatFault::ChatNotFound),
        (-6, ChatFault::MigratedTo(-1001006)),
    ];
    for (chat, fault) in &cases {
        server.fail_chat(*chat, fault.clone());
    }
    let mut got = Vec::new();
    for (chat, _) in &cases {
        got.push(send(&server, *chat, "x").await.unwrap_err());
    }
    assert!(
        matches!(got[0], RequestError::Api(ApiError::BotBlocked)),
        "{:?}",
        got[0]
    );
    assert!(matches!(
        got[1],
        RequestError::Api(ApiError::BotKickedFromSupergroup)
    ));
    assert!(matches!(
        got[2],
        RequestError::Api(ApiError::BotKickedFromChannel)
    ));
    assert!(matches!(
        got[3],
        RequestError::Api(ApiError::UserDeactivated)
    ));
    assert!(matches!(got[4], RequestError::Api(ApiError::ChatNotFound)));
    assert!(
        matches!(got[5], RequestError::MigrateToChatId(ChatId(-1001006))),
        "{:?}",
        got[5]
    );
    let unknown = server
        .bot()
        .send_message(
            teloxide::types::Recipient::ChannelUsername("@nobody".into()),
            "x",
        )
        .await
        .unwrap_err();
    assert!(matches!(unknown, RequestError::Api(ApiError::ChatNotFound)));
    server.fail_chat(7, ChatFault::KickedFromGroup);
    let kicked = send(&server, 7, "x").await.unwrap_err();
    assert!(
        matches!(&kicked, RequestError::Api(ApiError::Unknown(s)) if s == "Forbidden: bot was kicked from the group chat")
    );
    server.clear_chat_fault(1);
    send(&server, 1, "x").await.expect("fault cleared");
    assert_eq!(server.messages().len(), 1);
}

#[tokio::test]
async fn injected_500_is_reported_at_once() {
    let server = TelegramServer::start().await;
    server.fail_next(1, Transient::ServerError);
    let err = server.bot().get_me().await.unwrap_err();
    assert!(
        matches!(&err, RequestError::Api(ApiError::Unknown(s)) if s == "Internal Server Error"),
        "{err:?}"
    );
    server.bot().get_me().await.expect("one failure only");
}

#[tokio::test]
async fn bad_html_lengths_and_buttons_are_refused() {
    let server = TelegramServer::start().await;
    let err = send(&server, 1, "<p>x</p>").await.unwrap_err();
    assert!(
        matches!(&err, RequestError::Api(ApiError::CantParseEntities(s))
            if s == "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0"),
        "{err:?}"
    );
    let err = send(&server, 1, "a & b").await.unwrap_err();
    assert!(matches!(
        err,
        RequestError::Api(ApiError::CantParseEntities(_))
    ));
    let err = send(&server, 1, &"가".repeat(4097)).await.unwrap_err();
    assert!(matches!(err, RequestError::Api(ApiError::MessageIsTooLong)));
    send(&server, 1, &"가".repeat(4096))
        .await
        .expect("4096 fits");
    let err = send(&server, 1, "<b> </b>").await.unwrap_err();
    assert!(matches!(
        err,
        RequestError::Api(ApiError::MessageTextIsEmpty)
    ));
    let err = server
        .bot()
        .send_photo(
            ChatId(1),
            InputFile::url("https://x.example/i.jpg".parse().unwrap()),
        )
        .caption("가".repeat(1025))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, RequestError::Api(ApiError::Unknown(s)) if s == "Bad Request: message caption is too long")
    );
    let markup = InlineKeyboardMarkup::new([[InlineKeyboardButton::url(
        "ftp",
        "ftp://x.example/f".parse().unwrap(),
    )]]);
    let err = server
        .bot()
        .send_message(ChatId(1), "x")
        .reply_markup(markup)
        .await
        .unwrap_err();
    assert!(matches!(err, RequestError::Api(ApiError::ButtonUrlInvalid)));
    assert_eq!(server.messages().len(), 1);
    assert_eq!(server.requests("SendMessage"), 6);
}

#[tokio::test]
async fn wrong_token_is_invalid_token() {
    let server = TelegramServer::start().await;
    server.require_token("999:other");
    let err = server.bot().get_me().await.unwrap_err();
    assert!(
        matches!(err, RequestError::Api(ApiError::InvalidToken)),
        "{err:?}"
    );
    assert_eq!(server.calls()[0].params, json!({}));
}

#[tokio::test]
async fn real_server_errors_carry_the_http_status() {
    let server = TelegramServer::start().await;
    server.set_real_server_errors(true);
    server.fail_next(1, Transient::ServerError);
    let url = format!(
        "{}/bot{}/getMe",
        server.url(),
        crate::support::telegram::TOKEN
    );
    let client = reqwest::Client::new();
    let first = client.post(&url).send().await.unwrap();
    assert_eq!(first.status().as_u16(), 500);
    let body: serde_json::Value = first.json().await.unwrap();
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 500, "description": "Internal Server Error" })
    );
    let second = client.post(&url).send().await.unwrap();
    assert_eq!(second.status().as_u16(), 200);
    let body: serde_json::Value = second.json().await.unwrap();
    assert_eq!(body["result"]["username"], "sokbo_test_bot");
}

#[tokio::test]
async fn uploaded_photos_arrive_as_multipart_files() {
    let server = TelegramServer::start().await;
    server
        .bot()
        .send_photo(
            ChatId(2),
            InputFile::memory(vec![0u8; 300]).file_name("a.jpg"),
        )
        .caption("<b>사진</b>")
        .parse_mode(ParseMode::Html)
        .await
        .expect("SendPhoto with an upload");
    let sent = &server.messages()[0];
    assert!(
        sent.photo
            .as_deref()
            .is_some_and(|p| p.starts_with("attach://")),
        "{sent:?}"
    );
    assert_eq!(sent.visible_text(), "사진");
    let params = &server.calls_of("SendPhoto")[0];
    let attached = sent
        .photo
        .as_deref()
        .and_then(|p| p.strip_prefix("attach://"))
        .unwrap();
    assert_eq!(params[attached], json!("<file a.jpg, 300 bytes>"));
}
