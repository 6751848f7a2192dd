//! Sources of posts: http(s) feeds and directories of front-matter posts.

pub mod feed;
pub mod http;
pub mod jekyll;
pub mod schedule;
