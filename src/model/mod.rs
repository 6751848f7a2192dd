//! Plain data shared by the layers above: posts and alerts as they flow from sources to
//! notifiers, where alerts go, and what waits in the outbox. Depends on nothing else in the crate.

mod delivery;
mod post;

pub use delivery::{Delivery, OutboxKey, Target};
pub use post::{Alert, Post, PostKey, SourceKind, SourceLink};
