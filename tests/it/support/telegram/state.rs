//! The fake's shared state: recorded calls and messages, scripted chats, members, updates and
//! faults, and the value types tests read back.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use super::files::{SentDocument, TgFile};
use super::limits::{Limiter, Limits};
use super::updates::{TgChat, TgUser};

/// A message the bot sent or edited, as the fake accepted it.
#[derive(Debug, Clone, PartialEq)]
pub struct SentMessage {
    /// The method as called, e.g. "SendMessage", "EditMessageText".
    pub method: String,
    pub chat_id: i64,
    pub message_id: i64,
    /// The text, or the caption of a photo, as sent (markup included).
    pub text: String,
    pub parse_mode: Option<String>,
    /// The photo field of SendPhoto (URL, file id or attach://…).
    pub photo: Option<String>,
    pub reply_markup: Option<Value>,
    pub link_preview_options: Option<Value>,
    pub disable_notification: bool,
}

impl SentMessage {
    /// The inline keyboard's URL buttons as (label, url) rows.
    pub fn buttons(&self) -> Vec<Vec<(String, String)>> {
        let rows = self
            .reply_markup
            .as_ref()
            .and_then(|m| m.get("inline_keyboard"))
            .and_then(Value::as_array);
        let Some(rows) = rows else {
            return Vec::new();
        };
        rows.iter()
            .map(|row| {
                row.as_array()
                    .into_iter()
                    .flatten()
                    .map(|b| {
                        let field =
                            |k: &str| b.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
                        (field("text"), field("url"))
                    })
                    .collect()
            })
            .collect()
    }

    /// The text as a user sees it (HTML parsed when parse_mode is HTML).
    pub fn visible_text(&self) -> String {
        if self.parse_mode.as_deref() == Some("HTML") {
            sokbo::render::telegram::parse_html(&self.text)
                .map(|p| p.text)
                .unwrap_or_else(|_| self.text.clone())
        } else {
            self.text.clone()
        }
    }
}

/// One request as received: method (as in the URL) and its parameters as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub method: String,
    pub params: Value,
}

/// An error answer the fake gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorReply {
    pub method: String,
    pub code: u16,
    pub description: String,
}

/// A lasting condition of one chat, answered to every request aimed at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatFault {
    /// 403 "Forbidden: bot was blocked by the user" (ApiError::BotBlocked).
    Blocked,
    /// 403 "Forbidden: bot was kicked from the group chat" (ApiError::Unknown).
    KickedFromGroup,
    /// 403 "Forbidden: bot was kicked from the supergroup chat" (BotKickedFromSupergroup).
    KickedFromSupergroup,
    /// 403 "Forbidden: bot was kicked from the channel chat" (BotKickedFromChannel).
    KickedFromChannel,
    /// 403 "Forbidden: user is deactivated" (UserDeactivated).
    UserDeactivated,
    /// 400 "Bad Request: chat not found" (ChatNotFound).
    ChatNotFound,
    /// 400 with parameters.migrate_to_chat_id (RequestError::MigrateToChatId).
    MigratedTo(i64),
    /// 400 "Bad Request: need administrator rights in the channel chat".
    #[allow(dead_code)] // harness API that no test uses yet
    NotEnoughRights,
    /// 500 "Internal Server Error" with the real HTTP status, every time, for every method.
    ServerError,
    /// Never answered: the request waits until the client gives up (or the fake is dropped),
    /// and nothing is recorded but the call.
    Hang,
    /// Any other answer.
    #[allow(dead_code)] // harness API that no test uses yet
    Custom { code: u16, description: String },
}

impl ChatFault {
    pub(super) fn answer(&self) -> (u16, String, Option<Value>) {
        let plain = |code: u16, d: &str| (code, d.to_owned(), None);
        match self {
            ChatFault::Blocked => plain(403, "Forbidden: bot was blocked by the user"),
            ChatFault::KickedFromGroup => {
                plain(403, "Forbidden: bot was kicked from the group chat")
            }
            ChatFault::KickedFromSupergroup => {
                plain(403, "Forbidden: bot was kicked from the supergroup chat")
            }
            ChatFault::KickedFromChannel => {
                plain(403, "Forbidden: bot was kicked from the channel chat")
            }
            ChatFault::UserDeactivated => plain(403, "Forbidden: user is deactivated"),
            ChatFault::ChatNotFound => plain(400, "Bad Request: chat not found"),
            ChatFault::MigratedTo(id) => (
                400,
                "Bad Request: group chat was upgraded to a supergroup chat".to_owned(),
                Some(serde_json::json!({ "migrate_to_chat_id": id })),
            ),
            ChatFault::NotEnoughRights => plain(
                400,
                "Bad Request: need administrator rights in the channel chat",
            ),
            ChatFault::ServerError | ChatFault::Hang => plain(500, "Internal Server Error"),
            ChatFault::Custom { code, description } => (*code, description.clone(), None),
        }
    }
}

/// A fault for the next requests only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transient {
    /// 500 "Internal Server Error": the real HTTP status on alert methods, 200 on others unless
    /// real server errors are on (see the module doc).
    ServerError,
    /// 429 "Too Many Requests: retry after N" with parameters.retry_after = N.
    TooManyRequests { retry_after: u32 },
}

pub(super) struct PendingFault {
    pub chat: Option<i64>,
    pub fault: Transient,
    pub remaining: usize,
}

/// A member's standing in a chat, for getChatMember / getChatAdministrators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Creator,
    Admin,
    /// An administrator who posts as the group (anonymous admin).
    AnonymousAdmin,
    Member,
    Left,
    Kicked,
}

#[derive(Default)]
pub(super) struct State {
    pub required_token: Option<String>,
    pub real_server_errors: bool,
    /// Every answer waits this long after the request was processed.
    pub latency: Duration,
    /// (fraction, generator): sends drawing below the fraction get a real 500.
    pub send_errors: Option<(f64, fastrand::Rng)>,
    pub limits: Limits,
    pub limiter: Limiter,
    pub updates: VecDeque<Value>,
    pub next_update_id: i64,
    pub poll_generation: u64,
    pub next_message_id: HashMap<i64, i64>,
    pub messages: Vec<SentMessage>,
    pub edits: Vec<SentMessage>,
    /// (chat, message id) → the latest accepted version.
    pub stored: HashMap<(i64, i64), SentMessage>,
    pub calls: Vec<Call>,
    pub errors: Vec<ErrorReply>,
    pub chats: HashMap<i64, TgChat>,
    pub members: HashMap<i64, Vec<(TgUser, Role)>>,
    pub commands: Option<Value>,
    pub chat_faults: HashMap<i64, ChatFault>,
    pub pending_faults: Vec<PendingFault>,
    /// Files tests registered, documents the bot sent, and downloads asked for.
    pub files: Vec<TgFile>,
    pub documents: Vec<SentDocument>,
    pub downloads: usize,
}

impl State {
    pub fn next_message_id(&mut self, chat: i64) -> i64 {
        let id = self.next_message_id.entry(chat).or_insert(0);
        *id += 1;
        *id
    }

    /// One draw of the send error rate: whether this send fails.
    pub fn draw_send_error(&mut self) -> bool {
        self.send_errors
            .as_mut()
            .is_some_and(|(fraction, rng)| rng.f64() < *fraction)
    }

    /// Takes one use of the first pending fault that applies to `chat`.
    pub fn take_pending_fault(&mut self, chat: Option<i64>) -> Option<Transient> {
        let index = self
            .pending_faults
            .iter()
            .position(|p| p.remaining > 0 && (p.chat.is_none() || p.chat == chat))?;
        let pending = &mut self.pending_faults[index];
        pending.remaining -= 1;
        let fault = pending.fault;
        if pending.remaining == 0 {
            self.pending_faults.remove(index);
        }
        Some(fault)
    }
}

pub(super) struct Shared {
    pub state: Mutex<State>,
    /// Bumped on every change tests or pollers may wait for.
    pub changed: watch::Sender<u64>,
    /// Cancelled when the server handle is dropped: hanging requests end.
    pub closed: CancellationToken,
}

impl Shared {
    pub fn new() -> Shared {
        Shared {
            state: Mutex::new(State {
                next_update_id: 1,
                limits: Limits::telegram(),
                ..State::default()
            }),
            changed: watch::channel(0).0,
            closed: CancellationToken::new(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn bump(&self) {
        self.changed.send_modify(|n| *n += 1);
    }
}
