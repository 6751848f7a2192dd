//! Test harness: the real app on a temporary sled dir, and fake servers on loopback.

pub mod app;
pub mod discord;
pub mod feed_server;
pub mod telegram;
pub mod websub_hub;
