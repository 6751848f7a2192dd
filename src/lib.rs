//! sokbo turns new posts into chat alerts: sources (polls, post folders, WebSub pushes) → parse →
//! new-post detection in the store (sled or PostgreSQL) → summary → alert → durable outbox →
//! delivery engine → notifiers. Read `app.rs` first: it wires them.

pub mod app;
pub mod chat_feeds;
pub mod check;
pub mod cli;
pub mod cluster;
pub mod commands;
pub mod config;
pub mod delivery;
pub mod feeds_cli;
pub mod healthcheck;
pub mod i18n;
pub mod links;
pub mod memory;
pub mod metrics;
pub mod model;
pub mod opml;
pub mod ops;
pub mod pipeline;
pub mod platform;
pub mod preview;
pub mod render;
pub mod server;
pub mod source;
pub mod storage;
pub mod summary;
pub mod websub;

pub use app::{run, run_with};
