//! Discord's JSON shapes as the fake sends them: the bot user, READY, slash-command (with text
//! or file options) and autocomplete interactions, registered commands and created messages.

use serde_json::{Value, json};

use super::{APP_ID, BOT_ID, GUILD_ID};

/// The token part of webhook URLs tests configure (Discord's are 60–68 characters).
pub const WEBHOOK_TOKEN: &str = "wHk-Token_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQR";

/// Permission bits as Discord sends them (decimal strings).
pub const MANAGE_CHANNELS: &str = "16";
#[allow(dead_code)] // harness API that no test uses yet
pub const ADMINISTRATOR: &str = "8";
/// Send messages and view channel only.
pub const MEMBER: &str = "3072";

pub fn bot_user() -> Value {
    json!({
        "id": BOT_ID.to_string(),
        "username": "sokbo",
        "discriminator": "0",
        "global_name": null,
        "avatar": null,
        "bot": true,
        "flags": 0,
    })
}

pub fn ready(gateway_url: &str) -> Value {
    json!({
        "v": 10,
        "user": bot_user(),
        "guilds": [{ "id": GUILD_ID.to_string(), "unavailable": true }],
        "session_id": "fake-session",
        "resume_gateway_url": gateway_url,
        "shard": [0, 1],
        "application": { "id": APP_ID.to_string(), "flags": 0 },
    })
}

/// A user who runs commands.
#[derive(Debug, Clone)]
pub struct Member {
    pub id: u64,
    pub name: String,
    /// Permission bits in the channel, e.g. [`MANAGE_CHANNELS`] or [`MEMBER`].
    pub permissions: &'static str,
    /// Discord locale, e.g. "ko" or "en-US".
    pub locale: &'static str,
}

impl Member {
    pub fn admin() -> Member {
        Member {
            id: 1_011_111_111_111_111_111,
            name: "editor".into(),
            permissions: MANAGE_CHANNELS,
            locale: "ko",
        }
    }

    pub fn reader() -> Member {
        Member {
            id: 1_022_222_222_222_222_222,
            name: "reader".into(),
            permissions: MEMBER,
            locale: "en-US",
        }
    }
}

fn interaction(kind: u8, id: u64, channel: u64, by: &Member, data: Value) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": APP_ID.to_string(),
        "type": kind,
        "data": data,
        "guild_id": GUILD_ID.to_string(),
        "channel": { "id": channel.to_string(), "name": "속보", "type": 0 },
        "channel_id": channel.to_string(),
        "member": {
            "user": {
                "id": by.id.to_string(),
                "username": by.name,
                "discriminator": "0",
                "global_name": by.name,
                "avatar": null,
            },
            "roles": [],
            "joined_at": "2026-01-01T00:00:00.000000+00:00",
            "deaf": false,
            "mute": false,
            "flags": 0,
            "pending": false,
            "permissions": by.permissions,
        },
        "token": format!("interaction-token-{id}"),
        "version": 1,
        "app_permissions": "2248473465835073",
        "locale": by.locale,
        "guild_locale": "ko",
        "entitlements": [],
        "authorizing_integration_owners": { "0": GUILD_ID.to_string() },
        "context": 0,
        "attachment_size_limit": 10485760,
    })
}

/// `/name option:value` used by `by` in `channel`.
pub fn slash(
    id: u64,
    channel: u64,
    by: &Member,
    name: &str,
    option: Option<(&str, &str)>,
) -> Value {
    let options: Vec<Value> = option
        .into_iter()
        .map(|(n, v)| json!({ "name": n, "type": 3, "value": v }))
        .collect();
    let data = json!({
        "id": "1055555555555555555",
        "name": name,
        "type": 1,
        "options": options,
    });
    interaction(2, id, channel, by, data)
}

/// `/name option:<file>` used by `by` in `channel`: `attachment` (see
/// `DiscordServer::attach`) as the option's value and in the resolved data.
pub fn slash_file(
    id: u64,
    channel: u64,
    by: &Member,
    name: &str,
    option: &str,
    attachment: &Value,
) -> Value {
    let file = attachment["id"].clone();
    let key = file.as_str().unwrap_or_default().to_owned();
    let data = json!({
        "id": "1055555555555555555",
        "name": name,
        "type": 1,
        "options": [{ "name": option, "type": 11, "value": file }],
        "resolved": { "attachments": { key: attachment } },
    });
    interaction(2, id, channel, by, data)
}

/// Autocomplete while `by` types `typed` into `option` of `/name`.
pub fn autocomplete(
    id: u64,
    channel: u64,
    by: &Member,
    name: &str,
    option: &str,
    typed: &str,
) -> Value {
    let data = json!({
        "id": "1055555555555555555",
        "name": name,
        "type": 1,
        "options": [{ "name": option, "type": 3, "value": typed, "focused": true }],
    });
    interaction(4, id, channel, by, data)
}

/// Registered commands as Discord echoes them, with ids.
pub fn registered(commands: &Value) -> Value {
    let list = commands.as_array().cloned().unwrap_or_default();
    let out: Vec<Value> = list
        .into_iter()
        .enumerate()
        .map(|(i, mut c)| {
            c["id"] = json!((1_066_666_666_666_666_000u64 + i as u64).to_string());
            c["application_id"] = json!(APP_ID.to_string());
            c["version"] = json!("1");
            if c.get("type").is_none() {
                c["type"] = json!(1);
            }
            c
        })
        .collect();
    json!(out)
}

/// A created message: what the bot sent, with the fields Discord adds.
pub fn message(id: &str, channel: u64, body: &Value, webhook: Option<u64>) -> Value {
    let mut m = body.clone();
    m["id"] = json!(id);
    m["channel_id"] = json!(channel.to_string());
    m["author"] = bot_user();
    m["timestamp"] = json!("2026-11-24T00:00:00.000000+00:00");
    if let Some(w) = webhook {
        m["webhook_id"] = json!(w.to_string());
    }
    m
}
