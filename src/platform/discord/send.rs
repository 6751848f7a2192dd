//! Alerts out to Discord: the rendered embed as a message body, posted to a channel or a
//! webhook, or edited in place for a correction; silent (no push) in a channel's quiet hours.

use std::time::Instant;

use futures_util::future::BoxFuture;
use serde_json::{Map, Value, json};

use super::Discord;
use super::rest::Dest;
use crate::model::{Alert, Target};
use crate::platform::{DeliveryError, Notifier, Pace};
use crate::render::discord::{DiscordMessage, render};

/// Discord's SUPPRESS_NOTIFICATIONS message flag ("@silent").
const SILENT: u64 = 1 << 12;

/// The JSON body of a create or edit message request; `silent` only on create.
pub fn body(message: &DiscordMessage, silent: bool) -> Value {
    let e = &message.embed;
    let mut embed = Map::new();
    embed.insert("title".into(), json!(e.title));
    let mut put = |key: &str, value: Option<Value>| {
        if let Some(v) = value {
            embed.insert(key.into(), v);
        }
    };
    put("url", e.url.as_ref().map(|u| json!(u)));
    put(
        "description",
        (!e.description.is_empty()).then(|| json!(e.description)),
    );
    put("color", Some(json!(e.color)));
    put(
        "author",
        (!e.author.is_empty()).then(|| json!({ "name": e.author })),
    );
    put(
        "footer",
        (!e.footer.is_empty()).then(|| json!({ "text": e.footer })),
    );
    put("timestamp", e.timestamp.map(|t| json!(t.to_rfc3339())));
    put("image", e.image.as_ref().map(|u| json!({ "url": u })));
    let fields: Vec<Value> = e
        .fields
        .iter()
        .map(|f| json!({ "name": f.name, "value": f.value, "inline": f.inline }))
        .collect();
    put("fields", (!fields.is_empty()).then(|| json!(fields)));
    let buttons: Vec<Value> = message
        .buttons
        .iter()
        .map(|(label, url)| json!({ "type": 2, "style": 5, "label": label, "url": url }))
        .collect();
    let components = if buttons.is_empty() {
        json!([])
    } else {
        json!([{ "type": 1, "components": buttons }])
    };
    let mut out = json!({
        "content": "",
        "embeds": [Value::Object(embed)],
        "components": components,
        "allowed_mentions": { "parse": [] },
    });
    if silent {
        out["flags"] = json!(SILENT);
    }
    out
}

/// Where a Discord target points.
fn dest(target: &Target) -> Result<Dest, DeliveryError> {
    match target {
        Target::DiscordChannel { channel } => Ok(Dest::Channel(*channel)),
        Target::DiscordWebhook { url } => {
            Dest::webhook(url).ok_or_else(|| DeliveryError::Rejected {
                reason: format!("{} is not a Discord webhook URL", target.id()),
            })
        }
        _ => Err(DeliveryError::Rejected {
            reason: format!("not a Discord target: {}", target.id()),
        }),
    }
}

impl Discord {
    async fn send(
        &self,
        alert: &Alert,
        target: &Target,
        previous: Option<&str>,
    ) -> Result<Option<String>, DeliveryError> {
        let dest = dest(target)?;
        let message = render(alert, &self.render);
        let id = match previous {
            Some(previous) => {
                self.rest
                    .edit(&dest, previous, &body(&message, false))
                    .await?
            }
            None => {
                let silent = self.front.is_quiet(target).await;
                self.rest.post(&dest, &body(&message, silent)).await?
            }
        };
        Ok(Some(id))
    }
}

impl Notifier for Discord {
    fn serves(&self, target: &Target) -> bool {
        match target {
            Target::DiscordChannel { .. } => self.is_bot(),
            Target::DiscordWebhook { .. } => true,
            _ => false,
        }
    }

    fn reserve(&self, target: &Target, edit: bool, now: Instant) -> Result<(), Pace> {
        // A target that is no Discord destination fails in `deliver`, with its reason.
        match dest(target) {
            Ok(dest) => self.rest.reserve(&dest, edit, now),
            Err(_) => Ok(()),
        }
    }

    fn deliver<'a>(
        &'a self,
        alert: &'a Alert,
        target: &'a Target,
        previous: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<String>, DeliveryError>> {
        Box::pin(self.send(alert, target, previous))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::discord::{Embed, Field, NEWS_COLOR};

    #[test]
    fn message_body() {
        let message = DiscordMessage {
            embed: Embed {
                title: "제목".into(),
                url: Some("https://example.com/p".into()),
                description: String::new(),
                color: NEWS_COLOR,
                author: "피드".into(),
                footer: String::new(),
                timestamp: None,
                image: None,
                fields: vec![Field {
                    name: "출처".into(),
                    value: "[원문](https://example.org/1)".into(),
                    inline: true,
                }],
            },
            buttons: vec![("기사 보기".into(), "https://example.com/p".into())],
        };
        assert_eq!(
            body(&message, true),
            json!({
                "content": "",
                "embeds": [{
                    "title": "제목",
                    "url": "https://example.com/p",
                    "color": NEWS_COLOR,
                    "author": { "name": "피드" },
                    "fields": [{ "name": "출처", "value": "[원문](https://example.org/1)", "inline": true }],
                }],
                "components": [{ "type": 1, "components": [
                    { "type": 2, "style": 5, "label": "기사 보기", "url": "https://example.com/p" }
                ]}],
                "allowed_mentions": { "parse": [] },
                "flags": 4096,
            })
        );
    }
}
