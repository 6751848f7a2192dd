//! Faults on the way out: 429 storms and 5xx (with latency), blocked and migrated chats, a restart
//! mid fan-out.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_storm_delivers_every_alert_exactly_once() {
    let env = Env::new().await;
    let app = env.start().await;
    let users = env.subscribers(300, 3, "/subscribe all").await;
    env.server
        .fail_next(6, Transient::TooManyRequests { retry_after: 1 });
    env.post("2026-11-02-a", "첫 소식", "경제");
    env.post("2026-11-03-b", "둘째 소식", "사회");
    for u in &users {
        env.alerts_reach(u.id, 2).await;
    }
    // Nothing more comes: the next alert each chat gets is the one written now.
    env.post("2026-11-04-c", "셋째 소식", "경제");
    for u in &users {
        let got = env.alerts_reach(u.id, 3).await;
        assert_eq!(
            titles(&got),
            [
                "🔴 속보 ┃ 첫 소식",
                "🔴 속보 ┃ 둘째 소식",
                "🔴 속보 ┃ 셋째 소식"
            ]
        );
    }
    assert!(env.server.too_many_requests() >= 1);
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocked_chat_pauses_until_the_bot_is_added_back() {
    let env = Env::new().await;
    let (a, b) = (TgUser::new(401, "가"), TgUser::new(402, "나"));
    let (chat_a, chat_b) = (TgChat::private(&a), TgChat::private(&b));
    env.server.add_chat(&chat_a);
    env.server.add_chat(&chat_b);
    let app = env.start().await;
    env.command(&chat_a, &a, "/subscribe 경제").await;
    env.command(&chat_b, &b, "/subscribe 경제").await;
    env.server.fail_chat(a.id, ChatFault::Blocked);
    env.post("2026-11-02-a", "첫 소식", "경제");
    env.alerts_reach(b.id, 1).await;
    let blocked_errors = || {
        env.server
            .errors()
            .iter()
            .filter(|e| e.description.contains("blocked"))
            .count()
    };
    assert!(env.server.wait_for(WAIT, |_| blocked_errors() == 1).await);
    // Paused: the next post is not even tried for the blocked chat.
    env.post("2026-11-03-b", "둘째 소식", "경제");
    env.alerts_reach(b.id, 2).await;
    assert_eq!(blocked_errors(), 1);
    // The user unblocks the bot: its subscription resumes.
    env.server.clear_chat_fault(a.id);
    env.server.push(Incoming::my_chat_member(
        &chat_a,
        &a,
        Role::Kicked,
        Role::Member,
    ));
    env.command(&chat_a, &a, "/list").await;
    env.post("2026-11-04-c", "셋째 소식", "경제");
    assert_eq!(
        titles(&env.alerts_reach(a.id, 1).await),
        ["🔴 속보 ┃ 셋째 소식"]
    );
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_that_became_a_supergroup_keeps_its_subscription() {
    let env = Env::new().await;
    let admin = TgUser::new(5, "관리자");
    let group = TgChat::group(-500, "모임");
    let supergroup = TgChat::supergroup(-100500, "모임");
    env.server.add_chat(&group);
    env.server.add_chat(&supergroup);
    env.server
        .set_admins(group.id, &[(admin.clone(), Role::Creator)]);
    let app = env.start().await;
    env.command(&group, &admin, "/subscribe 경제").await;
    env.server
        .fail_chat(group.id, ChatFault::MigratedTo(supergroup.id));
    env.post("2026-11-02-a", "첫 소식", "경제");
    assert_eq!(
        titles(&env.alerts_reach(supergroup.id, 1).await),
        ["🔴 속보 ┃ 첫 소식"]
    );
    env.post("2026-11-03-b", "둘째 소식", "경제");
    assert_eq!(
        titles(&env.alerts_reach(supergroup.id, 2).await)[1],
        "🔴 속보 ┃ 둘째 소식"
    );
    assert!(alerts(&env.server, group.id).is_empty());
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_in_the_middle_of_a_fan_out_loses_and_doubles_nothing() {
    let env = Env::new().await;
    let app = env.start().await;
    let users = env.subscribers(1000, 40, "/subscribe 경제").await;
    let before = env.server.messages().len();
    env.post("2026-11-02-a", "속보 하나", "경제");
    assert!(env.server.wait_for_messages(before + 5, WAIT).await);
    app.stop().await;
    let app = env.start_again().await;
    for u in &users {
        assert_eq!(
            titles(&env.alerts_reach(u.id, 1).await),
            ["🔴 속보 ┃ 속보 하나"],
            "chat {}",
            u.id
        );
    }
    // Nothing doubled: the next alert of every chat is the next post.
    env.post("2026-11-03-b", "속보 둘", "경제");
    for u in &users {
        assert_eq!(
            titles(&env.alerts_reach(u.id, 2).await)[1],
            "🔴 속보 ┃ 속보 둘",
            "chat {}",
            u.id
        );
    }
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_500s_and_latency_on_sends_still_deliver_every_alert_once() {
    const SEED: u64 = 4;
    let env = Env::new().await;
    let app = env.start().await;
    let users = env.subscribers(600, 3, "/subscribe all").await;
    // Faults from now on only: command replies go through teloxide, which sleeps 10 s on a 5xx.
    assert!(
        fastrand::Rng::with_seed(SEED).f64() < 0.3,
        "the seed fails the first send"
    );
    env.server.set_latency(Duration::from_millis(150));
    env.server.set_send_error_rate(0.3, SEED);
    env.post("2026-11-02-a", "첫 소식", "경제");
    env.post("2026-11-03-b", "둘째 소식", "사회");
    for u in &users {
        assert_eq!(
            titles(&env.alerts_reach(u.id, 2).await),
            ["🔴 속보 ┃ 첫 소식", "🔴 속보 ┃ 둘째 소식"]
        );
    }
    assert!(env.server.errors().iter().any(|e| e.code == 500));
    app.stop().await;
}
