//! Send limits: the limiter on a synthetic clock, and 429 answers through teloxide.

use std::time::{Duration, Instant};

use teloxide::RequestError;
use teloxide::prelude::Requester;
use teloxide::types::{ChatId, Seconds};

use crate::support::telegram::{Limiter, Limits, TelegramServer};

#[test]
fn per_chat_bucket_allows_a_burst_then_one_a_second() {
    let limits = Limits::telegram();
    let mut limiter = Limiter::default();
    let t0 = Instant::now();
    let at = |ms: u64| t0 + Duration::from_millis(ms);
    for ms in [0, 10, 20] {
        assert_eq!(limiter.admit(&limits, 1, at(ms)), Ok(()));
    }
    assert_eq!(limiter.admit(&limits, 1, at(30)), Err(1));
    assert_eq!(
        limiter.admit(&limits, 2, at(30)),
        Ok(()),
        "other chats are separate"
    );
    assert_eq!(limiter.admit(&limits, 1, at(990)), Err(1));
    assert_eq!(limiter.admit(&limits, 1, at(1040)), Ok(()));
    assert_eq!(limiter.admit(&limits, 1, at(1500)), Err(1));
    assert_eq!(limiter.admit(&limits, 1, at(2100)), Ok(()));
}

#[test]
fn groups_get_twenty_a_minute() {
    let limits = Limits {
        per_chat_burst: 100.0,
        ..Limits::telegram()
    };
    let mut limiter = Limiter::default();
    let t0 = Instant::now();
    let at = |secs: u64| t0 + Duration::from_secs(secs);
    for i in 0..20 {
        assert_eq!(limiter.admit(&limits, -100, at(i)), Ok(()), "send {i}");
    }
    assert_eq!(limiter.admit(&limits, -100, at(20)), Err(40));
    assert_eq!(
        limiter.admit(&limits, 100, at(20)),
        Ok(()),
        "private chats are not limited per minute"
    );
    assert_eq!(limiter.admit(&limits, -100, at(59)), Err(1));
    assert_eq!(limiter.admit(&limits, -100, at(60)), Ok(()));
}

#[test]
fn thirty_a_second_overall() {
    let limits = Limits::telegram();
    let mut limiter = Limiter::default();
    let t0 = Instant::now();
    for chat in 0..30 {
        assert_eq!(limiter.admit(&limits, chat, t0), Ok(()));
    }
    assert_eq!(
        limiter.admit(&limits, 99, t0 + Duration::from_millis(400)),
        Err(1)
    );
    assert_eq!(
        limiter.admit(&limits, 99, t0 + Duration::from_secs(1)),
        Ok(())
    );
    let off = Limits::off();
    for _ in 0..100 {
        assert_eq!(limiter.admit(&off, 5, t0), Ok(()));
    }
}

#[tokio::test]
async fn over_the_limit_is_a_429_with_retry_after() {
    let server = TelegramServer::start().await;
    server.set_limits(Limits {
        per_chat_per_sec: 0.001,
        per_chat_burst: 2.0,
        ..Limits::telegram()
    });
    let bot = server.bot();
    for _ in 0..2 {
        bot.send_message(ChatId(3), "x")
            .await
            .expect("within the burst");
    }
    let err = bot.send_message(ChatId(3), "x").await.unwrap_err();
    let waited = |s: Seconds| (990..=1000).contains(&s.seconds());
    assert!(
        matches!(err, RequestError::RetryAfter(s) if waited(s)),
        "{err:?}"
    );
    bot.send_message(ChatId(4), "x")
        .await
        .expect("another chat");
    assert_eq!(server.too_many_requests(), 1);
    assert_eq!(server.messages().len(), 3);
}
