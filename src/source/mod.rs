//! Sources of posts: http(s) feeds and directories of front-matter posts.

pub mod feed;
pub mod http;
pub mod jekyll;
pub mod poll;
pub mod schedule;
pub mod watch;
