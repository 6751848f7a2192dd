//! Commands in from Telegram: long polling, replies and keyboard presses.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use teloxide::payloads::{
    AnswerCallbackQuerySetters, EditMessageTextSetters, GetUpdatesSetters, SendMessageSetters,
};
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, CallbackQuery, ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup,
    Recipient, UpdateKind, User,
};
use tokio_util::sync::CancellationToken;

use super::Telegram;
use crate::cluster::LeaseView;
use crate::commands::{ChannelRef, Reply, handle, handle_callback, parse};
use crate::model::ChatId;
use crate::platform::Pace;
use crate::storage::StoreError;

/// Long-poll wait; below teloxide's 17 s client timeout.
const POLL_SECS: u32 = 10;
/// A long poll ends at least this long before the session's lease would lapse.
const LEASE_MARGIN: Duration = Duration::from_secs(2);
const OFFSET_KEY: &str = "telegram.offset";

impl Telegram {
    /// Reads updates until `shutdown`, or until `lease` (this bot's session) is lost; the
    /// offset is kept in the store, fenced by the lease, so no command runs twice. A long poll
    /// never outlasts the lease: once it lapses no request of this node is still open, and the
    /// next holder's getUpdates meets no conflict.
    pub async fn run_updates(self: Arc<Self>, shutdown: CancellationToken, lease: LeaseView) {
        let mut offset: i32 = self
            .front
            .store
            .meta_get(OFFSET_KEY)
            .await
            .ok()
            .flatten()
            .and_then(|v| Some(i32::from_be_bytes(v.try_into().ok()?)))
            .unwrap_or(0);
        let mut failures = 0u32;
        loop {
            let Some(left) = lease.left() else {
                return;
            };
            let wait = left.saturating_sub(LEASE_MARGIN).as_secs();
            let request = self
                .plain
                .get_updates()
                .offset(offset)
                .timeout(u32::try_from(wait).unwrap_or(POLL_SECS).min(POLL_SECS))
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
                        // Lost meanwhile: the next holder reads these updates again.
                        let Some(held) = lease.held() else {
                            return;
                        };
                        offset = (update.id.0 as i32).saturating_add(1);
                        self.on_update(update.kind).await;
                        let bytes = offset.to_be_bytes();
                        let fence = held.fence.as_ref();
                        let put = self.front.store.meta_put_fenced(OFFSET_KEY, &bytes, fence);
                        match put.await {
                            Ok(()) => {}
                            Err(StoreError::Fenced { .. }) => return,
                            Err(e) => tracing::error!("cannot record the Telegram offset: {e}"),
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
                if let Some(doc) = m.document() {
                    return self.on_document(&m, doc).await;
                }
                let Some(text) = m.text() else { return };
                let lang = self.front.lang_for(language_code(m.from.as_ref()));
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
                                &self.front.subs,
                                &self.front.known_categories().await,
                                self.front.feeds(),
                            )
                            .await
                            {
                                Ok(reply) => reply,
                                Err(e) => {
                                    // The store did not answer: the chat hears to try again.
                                    tracing::error!("command failed: {e}");
                                    Reply::text(lang, &crate::i18n::Text::Failed)
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

    pub(super) async fn reply(&self, chat: teloxide::types::ChatId, reply: Reply) {
        // A reply waits for its slot rather than being dropped.
        let id = chat.0.to_string();
        while let Err(Pace::Platform(wait) | Pace::Target(wait)) =
            self.reserve_slot(&id, std::time::Instant::now())
        {
            tokio::time::sleep(wait).await;
        }
        if let Some(file) = reply.file {
            let markup = reply.keyboard.map(markup);
            return self.send_file(chat, file, reply.text, markup).await;
        }
        let mut req = self.bot.send_message(chat, reply.text);
        if let Some(rows) = reply.keyboard {
            req = req.reply_markup(markup(rows));
        }
        if let Err(e) = req.await {
            tracing::warn!(chat = chat.0, "reply failed: {e}");
        }
    }

    async fn on_callback(&self, q: CallbackQuery) {
        let (Some(data), Some(message)) = (q.data.as_deref(), q.regular_message()) else {
            return;
        };
        let lang = self.front.lang_for(language_code(Some(&q.from)));
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
        let known = self.front.known_categories().await;
        let reply = match handle_callback(data, &ctx, &self.front.subs, &known).await {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!("keyboard press failed: {e}");
                Reply::text(lang, &crate::i18n::Text::Failed)
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
            self.front.subs.reactivate(&chat).await
        } else {
            self.front
                .subs
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

fn language_code(user: Option<&User>) -> Option<&str> {
    user.and_then(|u| u.language_code.as_deref())
}

fn markup(rows: Vec<Vec<crate::commands::Button>>) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new(rows.into_iter().map(|row| {
        row.into_iter()
            .map(|b| InlineKeyboardButton::callback(b.label, b.data))
            .collect::<Vec<_>>()
    }))
}
