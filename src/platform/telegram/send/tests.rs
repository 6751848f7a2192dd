//! Bot API errors as outbox outcomes, and chat recipients.

use super::*;

fn map(err: RequestError) -> DeliveryError {
    delivery_error(err, &Target::TelegramChat { chat: "42".into() })
}

#[test]
fn bot_api_errors_map_to_outbox_outcomes() {
    let unknown = |t: &str| RequestError::Api(ApiError::Unknown(t.into()));
    assert_eq!(
        map(unknown("Internal Server Error")),
        DeliveryError::Retry {
            after: None,
            reason: "Internal Server Error".into()
        }
    );
    assert_eq!(
        map(RequestError::Api(ApiError::BotBlocked)),
        DeliveryError::Gone {
            reason: "Forbidden: bot was blocked by the user".into()
        }
    );
    assert_eq!(
        map(unknown("Forbidden: bot was kicked from the group chat")),
        DeliveryError::Gone {
            reason: "Forbidden: bot was kicked from the group chat".into()
        }
    );
    assert!(matches!(
        map(unknown("Bad Request: wrong type of the web page content")),
        DeliveryError::Rejected { .. }
    ));
    assert_eq!(
        map(RequestError::MigrateToChatId(teloxide::types::ChatId(
            -1007
        ))),
        DeliveryError::Moved {
            to: Target::TelegramChat {
                chat: "-1007".into()
            }
        }
    );
    assert!(matches!(
        map(RequestError::RetryAfter(teloxide::types::Seconds::from_seconds(3))),
        DeliveryError::Retry { after: Some(d), .. } if d >= Duration::from_secs(3)
    ));
    assert_eq!(
        recipient("@news_ch"),
        Some(Recipient::ChannelUsername("@news_ch".into()))
    );
    assert_eq!(recipient("-100123"), Some(Recipient::Id(TgChatId(-100123))));
    assert_eq!(recipient("news"), None);
}
