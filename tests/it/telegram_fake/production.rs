//! Production-like faults: answers after a latency (side by side, not in turn), a seeded rate of
//! real 500s on sends, chats that never answer, and sokbo's own alert client meeting them.

use std::future::IntoFuture;
use std::time::{Duration, Instant};

use futures_util::future::join_all;
use serde_json::{Value, json};
use sokbo::model::Target;
use sokbo::platform::DeliveryError;
use sokbo::platform::telegram::api::{BotApi, Sent};
use sokbo::platform::telegram::delivery_error;
use teloxide::RequestError;
use teloxide::payloads::SendMessage;
use teloxide::prelude::Requester;
use teloxide::types::ChatId;

use crate::support::telegram::{ChatFault, Limits, TOKEN, TelegramServer, Transient};

/// POSTs `body` to `method` with a plain reqwest client; the HTTP status and the JSON answer.
async fn post(
    client: &reqwest::Client,
    server: &TelegramServer,
    method: &str,
    body: Value,
) -> Result<(u16, Value), reqwest::Error> {
    let url = format!("{}/bot{TOKEN}/{method}", server.url());
    let response = client.post(url).json(&body).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await?))
}

fn api(server: &TelegramServer, timeout: Duration) -> BotApi {
    BotApi::new(&server.url(), TOKEN, timeout, timeout).expect("client")
}

async fn send_with(api: &BotApi, chat: i64) -> Result<Sent, RequestError> {
    api.call(&SendMessage::new(ChatId(chat), "속보")).await
}

fn target(chat: i64) -> Target {
    Target::TelegramChat {
        chat: chat.to_string(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_delays_every_answer_but_requests_wait_side_by_side() {
    let server = TelegramServer::start().await;
    let latency = Duration::from_millis(200);
    server.set_latency(latency);
    let bot = server.bot();

    let started = Instant::now();
    bot.get_me().await.expect("GetMe");
    let updates = bot.get_updates().await.expect("GetUpdates");
    assert!(updates.is_empty());
    assert!(started.elapsed() >= 2 * latency, "{:?}", started.elapsed());

    let started = Instant::now();
    let sends = (0..20).map(|chat| bot.send_message(ChatId(chat), "x").into_future());
    let answers = join_all(sends).await;
    let elapsed = started.elapsed();
    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    assert!(elapsed >= latency, "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "in turn: {elapsed:?}");
    assert_eq!(server.messages().len(), 20);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_send_is_recorded_when_it_arrives_and_answered_after_the_latency() {
    let server = TelegramServer::start().await;
    server.set_latency(Duration::from_secs(1));
    let api = api(&server, Duration::from_secs(10));
    let sending = tokio::spawn(async move { send_with(&api, 4).await });
    assert!(server.wait_for_messages(1, super::WAIT).await);
    assert!(!sending.is_finished(), "answered before the latency");
    let sent = sending.await.unwrap().expect("sent");
    assert_eq!(sent, Sent { message_id: 1 });
}

#[tokio::test]
async fn the_send_error_rate_fails_exactly_the_seeded_draws() {
    let server = TelegramServer::start().await;
    server.set_limits(Limits::off());
    let (fraction, seed, sends) = (0.3, 7, 60);
    server.set_send_error_rate(fraction, seed);
    let mut rng = fastrand::Rng::with_seed(seed);
    let expected: Vec<bool> = (0..sends).map(|_| rng.f64() < fraction).collect();
    let client = reqwest::Client::new();
    let mut failed = Vec::new();
    for i in 0..sends {
        let (status, body) = post(
            &client,
            &server,
            "sendMessage",
            json!({ "chat_id": i, "text": "x" }),
        )
        .await
        .unwrap();
        if status == 500 {
            assert_eq!(
                body,
                json!({ "ok": false, "error_code": 500, "description": "Internal Server Error" })
            );
        }
        failed.push(status == 500);
        // Other methods draw nothing.
        assert_eq!(
            post(&client, &server, "getMe", json!({})).await.unwrap().0,
            200
        );
    }
    let count = expected.iter().filter(|f| **f).count();
    assert!((5..sends / 2).contains(&count), "seed gives {count}");
    assert_eq!(failed, expected);
    assert_eq!(server.messages().len(), sends - count);
    assert_eq!(server.errors().len(), count);
    assert_eq!(server.requests("sendMessage"), sends);
}

#[tokio::test]
async fn sends_failed_by_the_error_rate_count_against_no_limit() {
    let server = TelegramServer::start().await;
    server.set_send_error_rate(1.0, 1);
    let api = api(&server, Duration::from_secs(5));
    for _ in 0..10 {
        let err = send_with(&api, 3).await.unwrap_err();
        assert_eq!(
            delivery_error(err, &target(3)),
            DeliveryError::Retry {
                after: None,
                reason: "Internal Server Error".into()
            }
        );
    }
    server.set_send_error_rate(0.0, 1);
    for id in 1..=3 {
        let sent = send_with(&api, 3).await.expect("the burst of 3 is intact");
        assert_eq!(sent, Sent { message_id: id });
    }
    assert_eq!(server.too_many_requests(), 0);
}

#[tokio::test]
async fn a_hanging_chat_is_never_answered() {
    let server = TelegramServer::start().await;
    server.fail_chat(5, ChatFault::Hang);
    let timeout = Duration::from_millis(300);
    let client = reqwest::Client::builder().timeout(timeout).build().unwrap();
    let started = Instant::now();
    let err = post(
        &client,
        &server,
        "sendMessage",
        json!({ "chat_id": 5, "text": "x" }),
    )
    .await
    .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));

    let err = send_with(&api(&server, timeout), 5).await.unwrap_err();
    assert!(
        matches!(&err, RequestError::Network(e) if e.is_timeout()),
        "{err:?}"
    );
    assert_eq!(
        delivery_error(err, &target(5)),
        DeliveryError::Retry {
            after: None,
            reason: "network: timed out".into()
        }
    );
    send_with(&api(&server, timeout), 6)
        .await
        .expect("other chats answer");
    assert_eq!(server.requests("sendMessage"), 3);
    assert!(server.messages_to(5).is_empty());
    assert!(server.errors().is_empty());
}

#[tokio::test]
async fn real_500s_reach_sokbos_client_at_once_as_retry() {
    let server = TelegramServer::start().await;
    server.fail_chat(8, ChatFault::ServerError);
    server.fail_next_for(9, 1, Transient::ServerError);
    let client = reqwest::Client::new();
    let (status, _) = post(
        &client,
        &server,
        "sendMessage",
        json!({ "chat_id": 8, "text": "x" }),
    )
    .await
    .unwrap();
    assert_eq!(status, 500, "ChatFault::ServerError is a real 500");

    let api = api(&server, Duration::from_secs(30));
    for chat in [8, 9] {
        let started = Instant::now();
        let err = send_with(&api, chat).await.unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(
            delivery_error(err, &target(chat)),
            DeliveryError::Retry {
                after: None,
                reason: "Internal Server Error".into()
            }
        );
    }
    send_with(&api, 9).await.expect("one failure only");
    assert_eq!(server.messages().len(), 1);
}
