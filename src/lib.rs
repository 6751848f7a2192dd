//! sokbo turns new posts into chat alerts:
//! sources → parse → new-post detection (sled) → summary → alert → durable outbox → notifiers.

pub mod config;
pub mod links;
pub mod post;
pub mod source;
pub mod summary;
