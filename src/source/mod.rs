//! Sources of posts: http(s) feeds and directories of front-matter posts.

pub mod article;
pub mod claims;
pub mod discover;
pub mod feed;
mod front_matter;
pub mod guard;
pub mod http;
pub mod jekyll;
mod permalink;
pub mod poll;
mod post_date;
pub mod schedule;
pub mod watch;
