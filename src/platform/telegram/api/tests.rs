//! Bot API answers read into teloxide's errors, and the delivery outcomes they map to.

use super::*;
use crate::model::Target;
use crate::platform::DeliveryError;
use crate::platform::telegram::delivery_error;

/// A comparable picture of an answer (`RequestError` has no `PartialEq`).
#[derive(Debug, PartialEq)]
enum Read {
    Sent(Sent),
    Api(ApiError),
    RetryAfter(Seconds),
    Migrate(ChatId),
    InvalidJson(String),
    Other(String),
}

fn read(status: u16, body: &str) -> Read {
    let status = StatusCode::from_u16(status).unwrap();
    match answer::<Sent>(status, body) {
        Ok(sent) => Read::Sent(sent),
        Err(RequestError::Api(api)) => Read::Api(api),
        Err(RequestError::RetryAfter(s)) => Read::RetryAfter(s),
        Err(RequestError::MigrateToChatId(id)) => Read::Migrate(id),
        Err(RequestError::InvalidJson { raw, .. }) => Read::InvalidJson(raw.into()),
        Err(other) => Read::Other(other.to_string()),
    }
}

fn outcome(status: u16, body: &str) -> DeliveryError {
    let status = StatusCode::from_u16(status).unwrap();
    let err = answer::<Sent>(status, body).unwrap_err();
    delivery_error(err, &Target::TelegramChat { chat: "42".into() })
}

#[test]
fn a_sent_message_gives_its_id() {
    let body =
        r#"{"ok":true,"result":{"message_id":17,"date":0,"chat":{"id":42,"type":"private"}}}"#;
    assert_eq!(read(200, body), Read::Sent(Sent { message_id: 17 }));
}

#[test]
fn descriptions_become_teloxide_api_errors() {
    let refused = |code: u16, d: &str| {
        read(
            code,
            &format!(r#"{{"ok":false,"error_code":{code},"description":"{d}"}}"#),
        )
    };
    assert_eq!(
        refused(403, "Forbidden: bot was blocked by the user"),
        Read::Api(ApiError::BotBlocked)
    );
    assert_eq!(
        refused(400, "Bad Request: chat not found"),
        Read::Api(ApiError::ChatNotFound)
    );
    assert_eq!(
        refused(
            400,
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"
        ),
        Read::Api(ApiError::MessageNotModified)
    );
    assert_eq!(
        refused(400, "Bad Request: message to edit not found"),
        Read::Api(ApiError::MessageToEditNotFound)
    );
    assert_eq!(
        refused(403, "Forbidden: bot was kicked from the group chat"),
        Read::Api(ApiError::Unknown(
            "Forbidden: bot was kicked from the group chat".into()
        ))
    );
}

#[test]
fn parameters_win_over_the_description() {
    let body = r#"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#;
    assert_eq!(read(429, body), Read::RetryAfter(Seconds::from_seconds(7)));
    let body = r#"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001006}}"#;
    assert_eq!(read(400, body), Read::Migrate(ChatId(-1001006)));
    assert_eq!(
        outcome(429, r#"{"ok":false,"parameters":{"retry_after":2}}"#),
        DeliveryError::Retry {
            after: Some(Duration::from_millis(2100)),
            reason: "Telegram rate limit".into()
        }
    );
}

#[test]
fn server_errors_are_retried_with_or_without_a_telegram_body() {
    let body = r#"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#;
    assert_eq!(
        read(500, body),
        Read::Api(ApiError::Unknown("Internal Server Error".into()))
    );
    assert_eq!(
        outcome(500, body),
        DeliveryError::Retry {
            after: None,
            reason: "Internal Server Error".into()
        }
    );
    let html = "<html><body>502 Bad Gateway</body></html>";
    assert_eq!(
        read(502, html),
        Read::Api(ApiError::Unknown("502 Bad Gateway".into()))
    );
    assert_eq!(
        outcome(503, ""),
        DeliveryError::Retry {
            after: None,
            reason: "503 Service Unavailable".into()
        }
    );
    // Telegram's own 5xx texts, never read as one of teloxide's known refusals.
    let gateway = r#"{"ok":false,"error_code":502,"description":"Bad Gateway"}"#;
    assert_eq!(
        outcome(502, gateway),
        DeliveryError::Retry {
            after: None,
            reason: "Bad Gateway".into()
        }
    );
    let overloaded =
        r#"{"ok":false,"error_code":500,"description":"Internal Server Error: restart"}"#;
    assert_eq!(
        read(500, overloaded),
        Read::Api(ApiError::Unknown("Internal Server Error: restart".into()))
    );
}

#[test]
fn unreadable_answers_are_invalid_json_and_retried() {
    assert_eq!(
        read(200, "<html>proxy</html>"),
        Read::InvalidJson("<html>proxy</html>".into())
    );
    let wrong = r#"{"ok":true,"result":true}"#;
    assert_eq!(read(200, wrong), Read::InvalidJson(wrong.into()));
    let long = "가".repeat(RAW_KEPT);
    let Read::InvalidJson(kept) = read(200, &long) else {
        panic!("not InvalidJson");
    };
    assert_eq!(kept, "가".repeat(RAW_KEPT / 3));
    assert!(matches!(
        outcome(200, "not json"),
        DeliveryError::Retry { after: None, reason } if reason.starts_with("bad answer: ")
    ));
}

#[test]
fn the_method_url_carries_the_token_under_the_base() {
    let second = Duration::from_secs(1);
    let api = BotApi::new("http://127.0.0.1:9/tg/", "1:T", second, second).unwrap();
    assert_eq!(
        api.url("SendMessage").as_str(),
        "http://127.0.0.1:9/tg/bot1:T/SendMessage"
    );
    let api = BotApi::new("https://api.telegram.org", "1:T", second, second).unwrap();
    assert_eq!(
        api.url("SendPhoto").as_str(),
        "https://api.telegram.org/bot1:T/SendPhoto"
    );
    assert!(BotApi::new("not a url", "1:T", second, second).is_err());
}

#[tokio::test]
async fn a_refused_connection_is_a_network_error_without_the_token() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let second = Duration::from_secs(1);
    let url = format!("http://127.0.0.1:{port}");
    let api = BotApi::new(&url, "1:SECRET-token", second, second).unwrap();
    let payload = teloxide::payloads::SendMessage::new(ChatId(1), "x");
    let err = api.call::<_, Sent>(&payload).await.unwrap_err();
    let shown = format!("{err} {err:?}");
    assert!(matches!(err, RequestError::Network(_)), "{shown}");
    assert!(!shown.contains("SECRET"), "{shown}");
    assert!(matches!(
        delivery_error(err, &Target::TelegramChat { chat: "1".into() }),
        DeliveryError::Retry { after: None, .. }
    ));
}
