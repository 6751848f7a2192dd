//! WebSub against a fake hub: subscribe, verification of intent, signed pushes into the
//! pipeline, rejected signatures, denial and hub failures (polling goes on), lease renewal.

mod setup;

use std::time::Duration;

use setup::{WAIT, atom, metric_lines, setup, wait_for_websub_state};

use crate::support::app::{get_text, spawn_app};
use crate::support::websub_hub::{HubMode, Verification};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hub_verifies_and_a_signed_push_alerts_once() {
    let mut s = setup(
        HubMode::Verify {
            lease_seconds: 3600,
        },
        Duration::from_secs(3600),
    )
    .await;
    assert!(s.hub.wait_for(1, 1, WAIT).await, "{:?}", s.hub.requests());
    let request = s.hub.requests().remove(0);
    let callback = format!("{}/websub/{}", s.base, sokbo::websub::callback_id("news"));
    assert_eq!(
        (
            request.mode.as_str(),
            request.topic.as_str(),
            request.callback.as_str()
        ),
        ("subscribe", s.topic.as_str(), callback.as_str())
    );
    assert_eq!(request.lease_seconds, Some(864_000));
    assert_eq!(request.secret.len(), 64);
    assert!(request.secret.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(s.hub.verifications(), [Verification::Echoed]);
    assert!(wait_for_websub_state(&s.base, "verified").await);

    let pushed = atom(&s.topic, &s.hub.url(), &[2, 1]);
    assert_eq!(
        s.hub.publish(&callback, &request.secret, &pushed).await,
        202
    );
    let alert = s
        .app
        .next_alert(WAIT)
        .await
        .expect("the pushed post alerts");
    assert_eq!(alert.title, "2번 소식");

    // Rejected: nothing of post 3 is recorded, so the later good push alerts it too.
    let with_3 = atom(&s.topic, &s.hub.url(), &[3, 2, 1]);
    let wrong = crate::support::websub_hub::sign_sha256("not-the-secret", with_3.as_bytes());
    let statuses = [
        s.hub
            .post(&callback, &[("x-hub-signature-256", &wrong)], &with_3)
            .await,
        s.hub.post(&callback, &[], &with_3).await,
        s.hub
            .post(&callback, &[("x-hub-signature", "sha1=00")], &with_3)
            .await,
        s.hub
            .publish(
                &format!("{}/websub/0000000000000000", s.base),
                &request.secret,
                &with_3,
            )
            .await,
        s.hub
            .publish(&callback, &request.secret, &"x".repeat(100 * 1024))
            .await,
    ];
    assert_eq!(statuses, [403, 403, 403, 404, 413]);
    let both = atom(&s.topic, &s.hub.url(), &[4, 3, 2, 1]);
    assert_eq!(s.hub.publish(&callback, &request.secret, &both).await, 202);
    assert_eq!(s.app.sorted_titles(2, WAIT).await, ["3번 소식", "4번 소식"]);

    // Verification requests the subscriber did not make are refused.
    let http = reqwest::Client::new();
    let verify = |id: &str, mode: &str, topic: &str| {
        let url = format!("{}/websub/{id}", s.base);
        let query = [
            ("hub.mode", mode),
            ("hub.topic", topic),
            ("hub.challenge", "c"),
        ];
        http.get(url).query(&query).send()
    };
    let id = sokbo::websub::callback_id("news");
    let refused = [
        verify("0000000000000000", "subscribe", &s.topic)
            .await
            .unwrap()
            .status()
            .as_u16(),
        verify(&id, "subscribe", "https://elsewhere.example/feed")
            .await
            .unwrap()
            .status()
            .as_u16(),
        verify(&id, "unsubscribe", &s.topic)
            .await
            .unwrap()
            .status()
            .as_u16(),
        verify(&id, "denied", "https://elsewhere.example/feed")
            .await
            .unwrap()
            .status()
            .as_u16(),
    ];
    assert_eq!(refused, [404, 404, 404, 404]);

    assert!(
        wait_for_websub_state(&s.base, "verified").await,
        "unchanged"
    );
    let metrics = get_text(&reqwest::Client::new(), &format!("{}/metrics", s.base)).await;
    assert_eq!(
        metric_lines(&metrics, "sokbo_websub_"),
        [
            "sokbo_websub_notifications_total{feed=\"news\",outcome=\"accepted\"} 2",
            "sokbo_websub_notifications_total{feed=\"news\",outcome=\"rejected\"} 3",
            "sokbo_websub_subscribe_total{feed=\"news\",outcome=\"requested\"} 1",
            "sokbo_websub_subscribe_total{feed=\"news\",outcome=\"verified\"} 1",
        ]
    );
    assert_eq!(s.hub.requests().len(), 1);
    let rest = s.app.stop().await;
    assert!(rest.is_empty(), "no other alert: {rest:?}");
    assert_eq!(s.feeds.requests("/feed.xml"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_denied_subscription_leaves_polling_on() {
    let mut s = setup(HubMode::Deny, Duration::from_millis(300)).await;
    assert!(s.hub.wait_for(1, 1, WAIT).await);
    assert_eq!(
        s.hub.verifications(),
        [Verification::Denied { status: 200 }]
    );
    assert!(wait_for_websub_state(&s.base, "denied").await);
    s.feeds
        .set_body("/feed.xml", atom(&s.topic, &s.hub.url(), &[2, 1]));
    let alert = s.app.next_alert(WAIT).await.expect("polling still alerts");
    assert_eq!(alert.title, "2번 소식");
    s.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_hub_leaves_polling_on() {
    let mut s = setup(HubMode::Fail(500), Duration::from_millis(300)).await;
    assert!(s.hub.wait_for(1, 0, WAIT).await);
    assert!(wait_for_websub_state(&s.base, "failed").await);
    s.feeds
        .set_body("/feed.xml", atom(&s.topic, &s.hub.url(), &[2, 1]));
    let alert = s.app.next_alert(WAIT).await.expect("polling still alerts");
    assert_eq!(alert.title, "2번 소식");
    let metrics = get_text(&reqwest::Client::new(), &format!("{}/metrics", s.base)).await;
    assert_eq!(
        metric_lines(&metrics, "sokbo_websub_subscribe_total"),
        ["sokbo_websub_subscribe_total{feed=\"news\",outcome=\"failed\"} 1"]
    );
    s.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_lease_is_renewed_with_the_same_secret() {
    let s = setup(
        HubMode::Verify { lease_seconds: 2 },
        Duration::from_secs(3600),
    )
    .await;
    assert!(s.hub.wait_for(2, 2, WAIT).await, "{:?}", s.hub.requests());
    let requests = s.hub.requests();
    assert_eq!(requests[0], requests[1]);
    assert_eq!(
        s.hub.verifications()[..2],
        [Verification::Echoed, Verification::Echoed]
    );
    s.app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscription_is_renewed_after_a_restart_before_any_poll() {
    let s = setup(
        HubMode::Verify { lease_seconds: 2 },
        Duration::from_secs(3600),
    )
    .await;
    assert!(s.hub.wait_for(1, 1, WAIT).await);
    s.app.stop().await;
    let before = s.hub.requests().len();
    let app = spawn_app(s.config.clone());
    assert!(
        s.hub.wait_for(before + 1, 0, WAIT).await,
        "renewed without a fresh discovery"
    );
    // The restarted app's next poll is an hour away: the stored subscription did it.
    assert_eq!(s.feeds.requests("/feed.xml"), 1);
    app.stop().await;
}
