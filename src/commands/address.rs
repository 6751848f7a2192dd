//! Telling a feed address from a category name in command arguments.

use super::ParseError;
use crate::model::is_chat_feed_name;

/// The feed address (or stored feed name) among `args`, when they name one; more than one
/// argument with an address is refused.
pub(super) fn feed_arg(args: &[String]) -> Result<Option<String>, ParseError> {
    let names_feed = |a: &String| looks_like_url(a) || is_chat_feed_name(a);
    match args {
        [one] if names_feed(one) => Ok(Some(one.clone())),
        many if many.iter().any(names_feed) => Err(ParseError::OneFeedAtATime),
        _ => Ok(None),
    }
}

/// Whether `arg` is meant as a web address: it has a scheme, or it is a dotted host name
/// (ASCII letters, digits and hyphens, a top-level label of letters) with an optional path.
pub fn looks_like_url(arg: &str) -> bool {
    let arg = arg.trim_start_matches('<').trim_end_matches('>');
    if arg.contains("://") {
        return true;
    }
    let host = arg.split(['/', '?']).next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_category_names() {
        for url in [
            "https://news.example.com/feed.xml",
            "http://127.0.0.1:8080/rss",
            "news.example.com",
            "www.example.co.kr/rss?x=1",
            "<https://news.example.com>",
            "ftp://files.example/x",
        ] {
            assert!(looks_like_url(url), "{url}");
        }
        for word in [
            "경제",
            "AI",
            "2.0",
            "v1.2",
            "e.g",
            "a..b",
            "국제.뉴스",
            "example.c0m",
        ] {
            assert!(!looks_like_url(word), "{word}");
        }
    }

    #[test]
    fn one_feed_argument_at_a_time() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(feed_arg(&args(&["경제", "정치"])), Ok(None));
        assert_eq!(
            feed_arg(&args(&["news.example.com"])),
            Ok(Some("news.example.com".into()))
        );
        assert_eq!(
            feed_arg(&args(&["chat-0123456789abcdef"])),
            Ok(Some("chat-0123456789abcdef".into()))
        );
        assert_eq!(
            feed_arg(&args(&["경제", "news.example.com"])),
            Err(ParseError::OneFeedAtATime)
        );
    }
}
