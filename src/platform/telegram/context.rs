//! Who a Telegram command concerns and whether its sender may change it: the chat's kind, its
//! administrators (anonymous ones included), and channels named from a private chat.

use teloxide::prelude::*;
use teloxide::types::{Chat, Recipient, User};

use super::Telegram;
use crate::commands::{ChatKind, Context};
use crate::model::{ChatId, Lang};

/// Telegram's anonymous group administrator account.
const GROUP_ANONYMOUS_BOT: u64 = 1087968824;

impl Telegram {
    /// The context of a command about the chat it was sent in.
    pub(super) async fn local_context(
        &self,
        chat: &Chat,
        from: Option<&User>,
        sender_chat: Option<&Chat>,
        lang: Lang,
    ) -> Context {
        let kind = kind_of(chat);
        let can_admin = match kind {
            ChatKind::Private | ChatKind::Channel => true,
            ChatKind::Group | ChatKind::Supergroup => {
                let anonymous = sender_chat.is_some_and(|c| c.id == chat.id)
                    || from.is_some_and(|u| u.id.0 == GROUP_ANONYMOUS_BOT);
                anonymous || self.is_admin(Recipient::Id(chat.id), from).await
            }
        };
        Context {
            chat: ChatId::telegram(chat.id.0),
            kind,
            can_admin,
            lang,
            title: chat
                .title()
                .map(str::to_owned)
                .or_else(|| chat.username().map(|u| format!("@{u}"))),
            remote: false,
        }
    }

    /// The context of a command naming a channel (`/subscribe @channel 경제`): both the sender and
    /// the bot must administer it. None when the channel cannot be looked up.
    pub(super) async fn remote_context(
        &self,
        at: Recipient,
        from: Option<&User>,
        lang: Lang,
    ) -> Option<Context> {
        let info = self.plain.get_chat(at.clone()).await.ok()?;
        let title = match &at {
            Recipient::ChannelUsername(name) => name.clone(),
            Recipient::Id(id) => info
                .title()
                .map(str::to_owned)
                .unwrap_or_else(|| id.to_string()),
        };
        let me = Some(&self.me.user);
        let can_admin = self.is_admin(at.clone(), from).await && self.is_admin(at, me).await;
        Some(Context {
            chat: ChatId::telegram(info.id.0),
            kind: if info.is_channel() {
                ChatKind::Channel
            } else if info.is_private() {
                ChatKind::Private
            } else {
                ChatKind::Supergroup
            },
            can_admin,
            lang,
            title: Some(title),
            remote: true,
        })
    }

    async fn is_admin(&self, chat: Recipient, user: Option<&User>) -> bool {
        let Some(user) = user else { return false };
        match self.plain.get_chat_member(chat, user.id).await {
            Ok(member) => member.is_privileged(),
            Err(e) => {
                tracing::debug!("getChatMember failed: {e}");
                false
            }
        }
    }
}

fn kind_of(chat: &Chat) -> ChatKind {
    if chat.is_private() {
        ChatKind::Private
    } else if chat.is_channel() {
        ChatKind::Channel
    } else if chat.is_supergroup() {
        ChatKind::Supergroup
    } else {
        ChatKind::Group
    }
}
