//! Users, chats and incoming updates as the Bot API shows them: text messages in private chats,
//! groups and supergroups, anonymous admins, channel posts, my_chat_member and callback queries.

use serde_json::{Value, json};

use super::state::Role;

/// The fake bot's own user id (the part of the token before ':').
pub const BOT_ID: i64 = 123456;
pub const BOT_USERNAME: &str = "sokbo_test_bot";
/// The user anonymous group admins post as.
pub const GROUP_ANONYMOUS_BOT_ID: i64 = 1087968824;

/// A Telegram user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TgUser {
    pub id: i64,
    pub first_name: String,
    pub username: Option<String>,
    pub language_code: Option<String>,
    pub is_bot: bool,
}

impl TgUser {
    pub fn new(id: i64, first_name: &str) -> TgUser {
        TgUser {
            id,
            first_name: first_name.to_owned(),
            username: None,
            language_code: None,
            is_bot: false,
        }
    }

    pub fn username(mut self, username: &str) -> TgUser {
        self.username = Some(username.trim_start_matches('@').to_owned());
        self
    }

    pub fn language(mut self, code: &str) -> TgUser {
        self.language_code = Some(code.to_owned());
        self
    }

    /// The fake bot itself.
    pub fn bot() -> TgUser {
        TgUser {
            is_bot: true,
            ..TgUser::new(BOT_ID, "Sokbo Test").username(BOT_USERNAME)
        }
    }

    /// "GroupAnonymousBot", the sender of anonymous admins' messages.
    pub fn group_anonymous_bot() -> TgUser {
        TgUser {
            is_bot: true,
            ..TgUser::new(GROUP_ANONYMOUS_BOT_ID, "Group").username("GroupAnonymousBot")
        }
    }

    pub fn json(&self) -> Value {
        let mut user =
            json!({ "id": self.id, "is_bot": self.is_bot, "first_name": self.first_name });
        if let Some(username) = &self.username {
            user["username"] = json!(username);
        }
        if let Some(code) = &self.language_code {
            user["language_code"] = json!(code);
        }
        user
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChatKind {
    Private,
    Group,
    Supergroup,
    Channel,
}

/// A chat: private (id = the user's), group, supergroup or channel (ids "-100…").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TgChat {
    pub id: i64,
    pub kind: ChatKind,
    /// The title, or the user's first name for a private chat.
    pub title: String,
    pub username: Option<String>,
}

impl TgChat {
    pub fn private(user: &TgUser) -> TgChat {
        TgChat {
            id: user.id,
            kind: ChatKind::Private,
            title: user.first_name.clone(),
            username: user.username.clone(),
        }
    }

    fn public(id: i64, kind: ChatKind, title: &str) -> TgChat {
        TgChat {
            id,
            kind,
            title: title.to_owned(),
            username: None,
        }
    }

    pub fn group(id: i64, title: &str) -> TgChat {
        TgChat::public(id, ChatKind::Group, title)
    }

    pub fn supergroup(id: i64, title: &str) -> TgChat {
        TgChat::public(id, ChatKind::Supergroup, title)
    }

    pub fn channel(id: i64, title: &str) -> TgChat {
        TgChat::public(id, ChatKind::Channel, title)
    }

    /// A public username ("@name" or "name").
    pub fn with_username(mut self, username: &str) -> TgChat {
        self.username = Some(username.trim_start_matches('@').to_owned());
        self
    }

    /// What the fake assumes for a chat id nobody described: a user for positive ids, a
    /// supergroup for "-100…", else a basic group.
    pub fn assumed(id: i64) -> TgChat {
        if id > 0 {
            TgChat::private(&TgUser::new(id, &format!("User {id}")))
        } else if id <= -1_000_000_000_000 {
            TgChat::supergroup(id, &format!("Chat {id}"))
        } else {
            TgChat::group(id, &format!("Group {id}"))
        }
    }

    pub fn json(&self) -> Value {
        let mut chat = match self.kind {
            ChatKind::Private => {
                json!({ "id": self.id, "type": "private", "first_name": self.title })
            }
            ChatKind::Group => json!({ "id": self.id, "type": "group", "title": self.title }),
            ChatKind::Supergroup => {
                json!({ "id": self.id, "type": "supergroup", "title": self.title })
            }
            ChatKind::Channel => json!({ "id": self.id, "type": "channel", "title": self.title }),
        };
        if let Some(username) = &self.username {
            chat["username"] = json!(username);
        }
        chat
    }
}

/// `user` with `role`, as a ChatMember object.
pub fn member_json(user: &TgUser, role: Role) -> Value {
    let user = user.json();
    match role {
        Role::Creator => json!({ "user": user, "status": "creator", "is_anonymous": false }),
        Role::Admin | Role::AnonymousAdmin => json!({
            "user": user, "status": "administrator", "can_be_edited": false,
            "is_anonymous": role == Role::AnonymousAdmin, "can_manage_chat": true,
            "can_change_info": true, "can_post_messages": true, "can_edit_messages": true,
            "can_delete_messages": true, "can_manage_video_chats": true, "can_invite_users": true,
            "can_restrict_members": true, "can_pin_messages": true, "can_promote_members": false,
            "can_post_stories": false, "can_edit_stories": false, "can_delete_stories": false
        }),
        Role::Member => json!({ "user": user, "status": "member" }),
        Role::Left => json!({ "user": user, "status": "left" }),
        Role::Kicked => json!({ "user": user, "status": "kicked", "until_date": 0 }),
    }
}

/// An update for the bot; the server fills in update_id, message_id, date and ids.
#[derive(Debug, Clone, PartialEq)]
pub struct Incoming {
    pub(super) kind: &'static str,
    pub(super) payload: Value,
    /// The chat whose message-id counter numbers this message, if it is one.
    pub(super) numbered_in: Option<i64>,
}

fn text_message(chat: &TgChat, text: &str) -> Value {
    let mut message = json!({ "chat": chat.json(), "text": text });
    if let Some(command) = text.strip_prefix('/') {
        let word = command.split_whitespace().next().unwrap_or("");
        let length = 1 + word.encode_utf16().count();
        message["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
    }
    message
}

impl Incoming {
    /// A text message from `from` in a private chat, group or supergroup.
    pub fn text(chat: &TgChat, from: &TgUser, text: &str) -> Incoming {
        let mut message = text_message(chat, text);
        message["from"] = from.json();
        Incoming {
            kind: "message",
            payload: message,
            numbered_in: Some(chat.id),
        }
    }

    /// A text message from an anonymous admin of `chat`: from GroupAnonymousBot, sender_chat = chat.
    pub fn anonymous_admin_text(chat: &TgChat, text: &str) -> Incoming {
        let mut message = text_message(chat, text);
        message["from"] = TgUser::group_anonymous_bot().json();
        message["sender_chat"] = chat.json();
        Incoming {
            kind: "message",
            payload: message,
            numbered_in: Some(chat.id),
        }
    }

    /// A post in a channel: no `from`, sender_chat = the channel.
    pub fn channel_post(chat: &TgChat, text: &str) -> Incoming {
        let mut message = text_message(chat, text);
        message["sender_chat"] = chat.json();
        Incoming {
            kind: "channel_post",
            payload: message,
            numbered_in: Some(chat.id),
        }
    }

    /// The bot's own membership in `chat` changed from `old` to `new`, done by `from`.
    pub fn my_chat_member(chat: &TgChat, from: &TgUser, old: Role, new: Role) -> Incoming {
        let bot = TgUser::bot();
        let payload = json!({
            "chat": chat.json(), "from": from.json(),
            "old_chat_member": member_json(&bot, old), "new_chat_member": member_json(&bot, new)
        });
        Incoming {
            kind: "my_chat_member",
            payload,
            numbered_in: None,
        }
    }

    /// `from` pressed a callback button with `data` under the bot's message `message_id` in `chat`.
    pub fn callback_query(from: &TgUser, chat: &TgChat, message_id: i64, data: &str) -> Incoming {
        let payload = json!({
            "from": from.json(), "chat_instance": format!("ci{}", chat.id), "data": data,
            "message": {
                "message_id": message_id, "date": 0, "chat": chat.json(),
                "from": TgUser::bot().json(), "text": "…"
            }
        });
        Incoming {
            kind: "callback_query",
            payload,
            numbered_in: None,
        }
    }

    /// Any other update kind, as given.
    #[allow(dead_code)] // harness API that no test uses yet
    pub fn raw(kind: &'static str, payload: Value) -> Incoming {
        Incoming {
            kind,
            payload,
            numbered_in: None,
        }
    }
}
