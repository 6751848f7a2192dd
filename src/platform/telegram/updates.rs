//! Commands in from Telegram: long polling, who may change what, replies and keyboard presses.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use teloxide::payloads::{
    AnswerCallbackQuerySetters, EditMessageTextSetters, GetUpdatesSetters, SendMessageSetters,
};
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, CallbackQuery, Chat, ChatMemberUpdated, InlineKeyboardButton,
    InlineKeyboardMarkup, Recipient, UpdateKind, User,
};
use tokio_util::sync::CancellationToken;

use super::Telegram;
use crate::commands::{ChannelRef, ChatKind, Context, Reply, handle, handle_callback, parse};
use crate::model::{ChatId, Lang};
use crate::platform::Pace;

/// Telegram's anonymous group administrator account.
const GROUP_ANONYMOUS_BOT: u64 = 1087968824;
/// Long-poll wait; below teloxide's 17 s client timeout.
const POLL_SECS: u32 = 10;
const OFFSET_KEY: &str = "telegram.offset";

impl Telegram {
    /// Reads updates until `shutdown`; the offset is kept in sled so no command runs twice.
    pub async fn run_updates(self: Arc<Self>, shutdown: CancellationToken) {
        let mut offset: i32 = self
            .store
            .meta_get(OFFSET_KEY)
            .await
            .ok()
            .flatten()
            .and_then(|v| Some(i32::from_be_bytes(v.try_into().ok()?)))
            .unwrap_or(0);
        let mut failures = 0u32;
        loop {
            let request = self
                .plain
                .get_updates()
                .offset(offset)
                .timeout(POLL_SECS)
                .allowed_updates(vec![
                    AllowedUpdate::Message,
                    AllowedUpdate::ChannelPost,
                    AllowedUpdate::CallbackQuery,
                    AllowedUpdate::MyChatMember,
                ]);
            let result = tokio::select! {
                _ = shutdown.cancelled() => return,
                r = request.send() => r,
            };
            match result {
                Ok(updates) => {
                    if failures > 0 {
                        tracing::info!("Telegram updates flow again");
                    }
                    failures = 0;
                    self.polling_ok.store(true, Ordering::Relaxed);
                    for update in updates {
                        offset = (update.id.0 as i32).saturating_add(1);
                        self.on_update(update.kind).await;
                        if let Err(e) = self.store.meta_put(OFFSET_KEY, &offset.to_be_bytes()).await
                        {
                            tracing::error!("cannot record the Telegram offset: {e}");
                        }
                    }
                }
                Err(e) => {
                    failures += 1;
                    // One miss is common (a network blip); three in a row is an outage.
                    if failures >= 3 {
                        self.polling_ok.store(false, Ordering::Relaxed);
                    }
                    if failures == 1 {
                        tracing::warn!("Telegram getUpdates failed: {e}");
                    }
                    let wait = Duration::from_millis(500 * 2u64.pow(failures.min(6)));
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        _ = tokio::time::sleep(wait) => {}
                    }
                }
            }
        }
    }

    async fn on_update(&self, kind: UpdateKind) {
        match kind {
            UpdateKind::Message(m) | UpdateKind::ChannelPost(m) => {
                let Some(text) = m.text() else { return };
                let lang = lang_of(m.from.as_ref(), self.lang);
                let reply = match parse(text, self.me.username()) {
                    Ok(None) => return,
                    Err(e) => Reply::parse_error(lang, &e),
                    Ok(Some(pc)) => {
                        let ctx = match &pc.target {
                            Some(ChannelRef::Username(name)) => {
                                let at = Recipient::ChannelUsername(format!("@{name}"));
                                self.remote_context(at, m.from.as_ref(), lang).await
                            }
                            Some(ChannelRef::Discord(_)) => None,
                            None => Some(
                                self.local_context(
                                    &m.chat,
                                    m.from.as_ref(),
                                    m.sender_chat.as_ref(),
                                    lang,
                                )
                                .await,
                            ),
                        };
                        match ctx {
                            Some(ctx) => match handle(
                                &pc.command,
                                &ctx,
                                &self.subs,
                                &self.known_categories().await,
                            )
                            .await
                            {
                                Ok(reply) => reply,
                                Err(e) => {
                                    tracing::error!("command failed: {e}");
                                    return;
                                }
                            },
                            None => Reply::text(lang, &crate::i18n::Text::NotAdmin),
                        }
                    }
                };
                self.reply(m.chat.id, reply).await;
            }
            UpdateKind::CallbackQuery(q) => self.on_callback(q).await,
            UpdateKind::MyChatMember(u) => self.on_membership(u).await,
            _ => {}
        }
    }

    async fn reply(&self, chat: teloxide::types::ChatId, reply: Reply) {
        // A reply waits for its slot rather than being dropped.
        let id = chat.0.to_string();
        while let Err(Pace::Platform(wait) | Pace::Target(wait)) =
            self.reserve_slot(&id, std::time::Instant::now())
        {
            tokio::time::sleep(wait).await;
        }
        let mut req = self.bot.send_message(chat, reply.text);
        if let Some(rows) = reply.keyboard {
            req = req.reply_markup(markup(rows));
        }
        if let Err(e) = req.await {
            tracing::warn!(chat = chat.0, "reply failed: {e}");
        }
    }

    /// The context of a command about the chat it was sent in.
    async fn local_context(
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
    async fn remote_context(
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

    async fn on_callback(&self, q: CallbackQuery) {
        let (Some(data), Some(message)) = (q.data.as_deref(), q.regular_message()) else {
            return;
        };
        let lang = lang_of(Some(&q.from), self.lang);
        let mut ctx = self
            .local_context(&message.chat, Some(&q.from), None, lang)
            .await;
        if let Some(chat) = crate::commands::callback_chat(data)
            && chat != ctx.chat
            && let crate::model::Target::TelegramChat { chat } = chat.target()
            && let Some(at) = super::recipient(&chat)
        {
            match self.remote_context(at, Some(&q.from), lang).await {
                Some(remote) => ctx = remote,
                None => return,
            }
        }
        let known = self.known_categories().await;
        let reply = match handle_callback(data, &ctx, &self.subs, &known).await {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!("keyboard press failed: {e}");
                return;
            }
        };
        match reply.keyboard {
            Some(rows) => {
                let edit = self
                    .bot
                    .edit_message_text(message.chat.id, message.id, reply.text)
                    .reply_markup(markup(rows));
                if let Err(e) = edit.await {
                    tracing::debug!("keyboard update failed: {e}");
                }
                let _ = self.bot.answer_callback_query(q.id).await;
            }
            None => {
                let _ = self.bot.answer_callback_query(q.id).text(reply.text).await;
            }
        }
    }

    /// Keeps subscriptions true when the bot is removed from or added back to a chat.
    async fn on_membership(&self, update: ChatMemberUpdated) {
        let chat = ChatId::telegram(update.chat.id.0);
        let result = if update.new_chat_member.is_present() {
            self.subs.reactivate(&chat).await
        } else {
            self.subs
                .set_inactive(&chat, "the bot was removed from the chat")
                .await
        };
        match result {
            Ok(true) => tracing::info!(
                chat = update.chat.id.0,
                present = update.new_chat_member.is_present(),
                "chat membership changed"
            ),
            Ok(false) => {}
            Err(e) => tracing::error!("cannot record the membership change: {e}"),
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

fn lang_of(user: Option<&User>, default: Lang) -> Lang {
    Lang::from_code(user.and_then(|u| u.language_code.as_deref()), default)
}

fn markup(rows: Vec<Vec<crate::commands::Button>>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.into_iter().map(|row| {
        row.into_iter()
            .map(|b| InlineKeyboardButton::callback(b.label, b.data))
            .collect::<Vec<_>>()
    }))
}
