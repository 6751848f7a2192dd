//! getMe, getChat, getChatMember and getChatAdministrators answered from the scripted chats and
//! members.

use serde_json::{Value, json};

use super::handler::{Answer, Failure, int};
use super::state::{Role, State};
use super::updates::{BOT_ID, ChatKind, TgChat, TgUser, member_json};

/// The bot's User with the fields GetMe must carry for teloxide's `Me`.
pub(super) fn me_json() -> Value {
    let mut me = TgUser::bot().json();
    for (key, value) in [
        ("can_join_groups", true),
        ("can_read_all_group_messages", false),
        ("supports_inline_queries", false),
        ("can_connect_to_business", false),
        ("has_main_web_app", false),
    ] {
        me[key] = json!(value);
    }
    me
}

fn chat_of(state: &State, chat: i64) -> TgChat {
    state
        .chats
        .get(&chat)
        .cloned()
        .unwrap_or_else(|| TgChat::assumed(chat))
}

/// ChatFullInfo: the chat's fields plus the ones teloxide requires.
pub(super) fn chat_full_info(state: &State, chat: i64) -> Value {
    let mut info = chat_of(state, chat).json();
    info["accent_color_id"] = json!(0);
    info["max_reaction_count"] = json!(11);
    info["accepted_gift_types"] = json!({
        "unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false,
        "premium_subscription": false
    });
    info
}

pub(super) fn chat_member(state: &State, chat: i64, p: &Value) -> Answer {
    let Some(user_id) = int(p, "user_id") else {
        return Err(Failure::bad_request("invalid user_id specified"));
    };
    let scripted = state
        .members
        .get(&chat)
        .and_then(|members| members.iter().find(|(user, _)| user.id == user_id));
    if let Some((user, role)) = scripted {
        return Ok(member_json(user, *role));
    }
    let user = if user_id == BOT_ID {
        TgUser::bot()
    } else {
        TgUser::new(user_id, &format!("User {user_id}"))
    };
    let private_other =
        chat_of(state, chat).kind == ChatKind::Private && user_id != chat && user_id != BOT_ID;
    if private_other {
        return Err(Failure::bad_request("user not found"));
    }
    Ok(member_json(&user, Role::Member))
}

pub(super) fn administrators(state: &State, chat: i64) -> Answer {
    if chat_of(state, chat).kind == ChatKind::Private {
        return Err(Failure::bad_request(
            "there are no administrators in the private chat",
        ));
    }
    let admins: Vec<Value> = state
        .members
        .get(&chat)
        .into_iter()
        .flatten()
        .filter(|(_, role)| matches!(role, Role::Creator | Role::Admin | Role::AnonymousAdmin))
        .map(|(user, role)| member_json(user, *role))
        .collect();
    Ok(json!(admins))
}
