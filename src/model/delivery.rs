//! Targets, outbox keys and deliveries: one alert for one chat, waiting in the outbox.

use serde::{Deserialize, Serialize};

use super::chat_id::Platform;
use super::post::PostKey;

/// Order of a delivery in the outbox: breaking news first, then by arrival.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OutboxKey {
    /// 0 for breaking news, 1 for the rest.
    pub priority: u8,
    pub seq: u64,
}

impl OutboxKey {
    pub fn new(breaking: bool, seq: u64) -> OutboxKey {
        OutboxKey {
            priority: if breaking { 0 } else { 1 },
            seq,
        }
    }

    pub fn to_bytes(&self) -> [u8; 9] {
        let mut b = [0u8; 9];
        b[0] = self.priority;
        b[1..].copy_from_slice(&self.seq.to_be_bytes());
        b
    }

    pub fn from_bytes(b: &[u8]) -> Option<OutboxKey> {
        let (&priority, seq) = b.split_first()?;
        Some(OutboxKey {
            priority,
            seq: u64::from_be_bytes(seq.try_into().ok()?),
        })
    }
}

/// Where an alert goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Console,
    TelegramChat { chat: String },
    DiscordChannel { channel: u64 },
    DiscordWebhook { url: String },
}

impl Target {
    /// The platform that delivers to this target (webhooks are Discord's).
    pub fn platform(&self) -> Platform {
        match self {
            Target::Console => Platform::Console,
            Target::TelegramChat { .. } => Platform::Telegram,
            Target::DiscordChannel { .. } | Target::DiscordWebhook { .. } => Platform::Discord,
        }
    }

    /// A stable text id, used in the `sent` tree and in logs (webhook tokens left out).
    pub fn id(&self) -> String {
        match self {
            Target::Console => "console".into(),
            Target::TelegramChat { chat } => format!("telegram:{chat}"),
            Target::DiscordChannel { channel } => format!("discord:{channel}"),
            Target::DiscordWebhook { url } => {
                let hash = blake3::hash(url.as_bytes()).to_hex();
                format!("webhook:{}", &hash[..16])
            }
        }
    }
}

/// One alert for one target, waiting to be delivered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub feed: String,
    pub key: PostKey,
    pub target: Target,
    /// Failed attempts so far.
    #[serde(default)]
    pub attempts: u32,
    /// Unix milliseconds before which it is not tried again.
    #[serde(default)]
    pub not_before: i64,
    /// Edit the message the post already got at this target (a correction).
    #[serde(default)]
    pub edit: bool,
    /// Unix milliseconds when it was queued; 0 in records written before this was kept.
    #[serde(default)]
    pub enqueued_at: i64,
    /// Unix milliseconds of its first failed attempt, 0 while none failed.
    #[serde(default)]
    pub failing_since: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_breaking_first_then_arrival() {
        let mut keys = [
            OutboxKey::new(false, 1),
            OutboxKey::new(true, 7),
            OutboxKey::new(false, 0),
        ];
        keys.sort_by_key(|k| k.to_bytes());
        assert_eq!(
            keys,
            [
                OutboxKey::new(true, 7),
                OutboxKey::new(false, 0),
                OutboxKey::new(false, 1)
            ]
        );
        assert_eq!(
            OutboxKey::from_bytes(&OutboxKey::new(true, 258).to_bytes()),
            Some(OutboxKey::new(true, 258))
        );
        assert_eq!(OutboxKey::from_bytes(&[1, 2]), None);
    }
}

/// A message a post got at a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentRecord {
    pub target: Target,
    pub message_id: String,
}
