//! Plain data shared by the layers above: where alerts go and what waits in the outbox.
//! Depends on nothing else in the crate but the post values.

mod delivery;

pub use delivery::{Delivery, OutboxKey, Target};
