//! Plain data shared by the layers above: posts and alerts as they flow from sources to
//! notifiers, where alerts go, what waits in the outbox, chat subscriptions and the records the
//! store keeps. Depends on nothing else in the crate.

mod chat_feed;
mod chat_id;
mod cluster;
mod delivery;
mod feed;
mod lang;
mod post;
mod subscription;
mod webhook;
mod websub;

pub use chat_feed::{ChatFeed, chat_feed_name, is_chat_feed_name};
pub(crate) use chat_id::is_username;
pub use chat_id::{ChatId, ChatIdError, Platform};
pub use cluster::{Fence, Granted, LeaseInfo, NodeClaim, NodeInfo, NodeStatus};
pub use delivery::{Delivery, OutboxKey, SentRecord, Target};
pub use feed::{FeedState, SeenRecord, Told};
pub use lang::{Lang, UnknownLang};
pub use post::{Alert, Post, PostKey, SourceKind, SourceLink};
pub use subscription::{MAX_KEYWORDS, QuietHours, Subscription, same_word};
pub use webhook::DiscordWebhook;
pub use websub::{SubState, WebSubRecord};
