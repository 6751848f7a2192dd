//! sokbo's integration tests, in one binary: the public API, the real `sokbo` binary and the running
//! bot against fake feed servers, Telegram, Discord, a WebSub hub and an LLM endpoint, all on
//! loopback. Run one part with `cargo test --test it <module>::` (e.g. `telegram::`).

mod support;

mod articles;
mod chat_feed_notices;
mod chat_feed_polling;
mod chat_feeds_discord;
mod chat_feeds_telegram;
mod check_online;
mod check_tokens;
mod cli;
mod cluster_send;
mod commands;
mod config;
mod delivery;
mod discord;
mod feed_claims;
mod feeds;
mod http_fetch;
mod jekyll;
mod opml;
mod outbox_age;
mod pipeline;
mod pipeline_http;
mod secrets;
mod server;
mod server_app;
mod storage;
mod store_faults;
mod summary;
mod summary_llm;
mod telegram;
mod telegram_fake;
mod websub;
