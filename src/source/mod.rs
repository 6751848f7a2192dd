//! Sources of posts: http(s) feeds and directories of front-matter posts.

pub mod feed;
mod front_matter;
pub mod http;
pub mod jekyll;
mod permalink;
mod post_date;
pub mod schedule;
