//! Test harness: the real app on a temporary store (sled, or a throwaway PostgreSQL), and fake
//! servers on loopback.

pub mod app;
pub mod discord;
pub mod feed_server;
pub mod postgres;
pub mod telegram;
pub mod websub_hub;
