//! `SubscriptionStore` on a temporary sled, and `ChatId`.

use sokbo::model::Target;
use sokbo::model::{ChatId, ChatIdError, Platform, QuietHours, Subscription};
use sokbo::storage::StoreError;

use super::{alert, set, strings, temp_store};

fn full(chat: ChatId) -> Subscription {
    Subscription {
        chat,
        categories: set(&["경제", "정치"]),
        all: false,
        include: strings(&["반도체"]),
        exclude: strings(&["광고"]),
        paused: false,
        inactive: None,
        quiet: QuietHours::new(23, 7),
        language: Some("ko".into()),
        title: Some("뉴스방".into()),
    }
}

#[tokio::test]
async fn put_get_remove_round_trip() {
    let store = temp_store();
    let chat = ChatId::telegram(-100123);
    assert_eq!(store.get(&chat).await.unwrap(), None);
    store.put(&full(chat.clone())).await.unwrap();
    assert_eq!(store.get(&chat).await.unwrap(), Some(full(chat.clone())));
    assert_eq!(store.len().await.unwrap(), 1);
    assert_eq!(store.remove(&chat).await.unwrap(), Some(full(chat.clone())));
    assert_eq!(store.remove(&chat).await.unwrap(), None);
    assert_eq!(store.len().await.unwrap(), 0);
}

#[tokio::test]
async fn json_record_shape() {
    let value = serde_json::to_value(full(ChatId::telegram(-100123))).unwrap();
    assert_eq!(
        value,
        serde_json::json!({
            "chat": "telegram:-100123",
            "categories": ["경제", "정치"],
            "all": false,
            "include": ["반도체"],
            "exclude": ["광고"],
            "paused": false,
            "inactive": null,
            "quiet": {"start_hour": 23, "end_hour": 7},
            "language": "ko",
            "title": "뉴스방"
        })
    );
    let minimal: Subscription =
        serde_json::from_str(r#"{"chat":"discord:5","categories":["IT"]}"#).unwrap();
    assert_eq!(
        minimal,
        Subscription {
            categories: set(&["IT"]),
            ..Subscription::new(ChatId::discord(5))
        }
    );
    assert!(serde_json::from_str::<Subscription>(r#"{"chat":"irc:5"}"#).is_err());
}

#[tokio::test]
async fn update_creates_then_changes() {
    let store = temp_store();
    let chat = ChatId::discord(42);
    let got = store.update(&chat, |s| s.all = true).await.unwrap();
    let want = Subscription {
        all: true,
        ..Subscription::new(chat.clone())
    };
    assert_eq!(got, want);
    let got = store.update(&chat, |s| s.paused = true).await.unwrap();
    assert_eq!(
        got,
        Subscription {
            paused: true,
            ..want
        }
    );
    assert_eq!(store.get(&chat).await.unwrap(), Some(got));
}

#[tokio::test]
async fn iter_and_matching_in_chat_order() {
    let store = temp_store();
    let a = full(ChatId::telegram(1));
    let b = Subscription {
        all: true,
        ..Subscription::new(ChatId::discord(9))
    };
    let c = Subscription {
        paused: true,
        ..full(ChatId::telegram(2))
    };
    for s in [&c, &a, &b] {
        store.put(s).await.unwrap();
    }
    let all: Vec<Subscription> = store.all().await.unwrap();
    assert_eq!(all, vec![b.clone(), a.clone(), c.clone()]);
    let hit = alert("반도체 호황", "", &["경제"]);
    assert_eq!(
        store.matching(&hit).await.unwrap(),
        vec![b.clone(), a.clone()]
    );
    let ad = alert("반도체 광고", "", &["경제"]);
    assert_eq!(store.matching(&ad).await.unwrap(), vec![b]);
}

#[tokio::test]
async fn corrupt_record_is_an_error_but_matching_skips_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let db = sled::open(dir.path()).unwrap();
        db.open_tree("subs")
            .unwrap()
            .insert("telegram:1", "not json")
            .unwrap();
        db.flush().unwrap();
    }
    let store =
        sokbo::storage::SubscriptionStore::new(sokbo::storage::Store::sled(dir.path()).unwrap());
    let good = Subscription {
        all: true,
        ..Subscription::new(ChatId::telegram(2))
    };
    store.put(&good).await.unwrap();
    let err = store.get(&ChatId::telegram(1)).await.unwrap_err();
    assert!(
        matches!(err, StoreError::Corrupt { tree: "subs", .. }),
        "{err:?}"
    );
    assert!(
        store
            .update(&ChatId::telegram(1), |s| s.all = true)
            .await
            .is_err()
    );
    assert_eq!(
        store.matching(&alert("t", "", &[])).await.unwrap(),
        vec![good]
    );
}

#[tokio::test]
async fn inactive_is_kept_and_reactivated() {
    let store = temp_store();
    let chat = ChatId::telegram(-5);
    assert!(!store.set_inactive(&chat, "kicked").await.unwrap());
    assert_eq!(store.get(&chat).await.unwrap(), None);
    store.put(&full(chat.clone())).await.unwrap();
    assert!(store.set_inactive(&chat, "bot was blocked").await.unwrap());
    let inactive = Subscription {
        inactive: Some("bot was blocked".into()),
        ..full(chat.clone())
    };
    assert_eq!(store.get(&chat).await.unwrap(), Some(inactive.clone()));
    assert!(!inactive.matches(&alert("반도체", "", &["경제"])));
    assert!(store.reactivate(&chat).await.unwrap());
    assert!(!store.reactivate(&chat).await.unwrap());
    assert!(!store.reactivate(&ChatId::telegram(-6)).await.unwrap());
    assert_eq!(store.get(&chat).await.unwrap(), Some(full(chat)));
}

#[tokio::test]
async fn migrate_group_to_supergroup_keeps_everything() {
    let store = temp_store();
    let group = ChatId::telegram(-4242);
    let supergroup = ChatId::telegram(-1004242);
    store.put(&full(group.clone())).await.unwrap();
    assert!(store.migrate(&group, &supergroup).await.unwrap());
    assert_eq!(store.get(&group).await.unwrap(), None);
    assert_eq!(
        store.get(&supergroup).await.unwrap(),
        Some(full(supergroup.clone()))
    );
    assert!(!store.migrate(&group, &supergroup).await.unwrap());
    assert!(!store.migrate(&supergroup, &supergroup).await.unwrap());
}

#[tokio::test]
async fn migrate_keeps_a_record_already_at_the_new_id() {
    let store = temp_store();
    let (old, new) = (ChatId::telegram(-1), ChatId::telegram(-1001));
    store.put(&full(old.clone())).await.unwrap();
    let newer = Subscription {
        all: true,
        ..Subscription::new(new.clone())
    };
    store.put(&newer).await.unwrap();
    assert!(!store.migrate(&old, &new).await.unwrap());
    assert_eq!(store.get(&old).await.unwrap(), None);
    assert_eq!(store.get(&new).await.unwrap(), Some(newer));
}

#[tokio::test]
async fn chat_ids_and_targets() {
    let cases = [
        (
            ChatId::telegram(-100123),
            "telegram:-100123",
            Target::TelegramChat {
                chat: "-100123".into(),
            },
        ),
        (
            ChatId::telegram_username("@MyNews").unwrap(),
            "telegram:@mynews",
            Target::TelegramChat {
                chat: "@mynews".into(),
            },
        ),
        (
            ChatId::discord(987654321),
            "discord:987654321",
            Target::DiscordChannel { channel: 987654321 },
        ),
    ];
    for (id, text, target) in cases {
        assert_eq!(id.to_string(), text);
        assert_eq!(text.parse::<ChatId>(), Ok(id.clone()));
        assert_eq!(id.target(), target);
        assert_eq!(target.id(), text);
        assert_eq!(ChatId::from_target(&target), Some(id.clone()));
        assert_eq!(id.to_key(), text.as_bytes());
    }
    assert_eq!(ChatId::discord(1).platform(), Platform::Discord);
    assert_eq!(ChatId::telegram(1).platform(), Platform::Telegram);
    assert_eq!(ChatId::from_target(&Target::Console), None);
    assert_eq!(
        "slack:1".parse::<ChatId>(),
        Err(ChatIdError::Platform("slack:1".into()))
    );
    assert_eq!(
        "discord:-1".parse::<ChatId>(),
        Err(ChatIdError::Id("discord:-1".into()))
    );
    assert_eq!(
        "telegram:@a-b".parse::<ChatId>(),
        Err(ChatIdError::Id("@a-b".into()))
    );
    assert_eq!(
        "telegram:".parse::<ChatId>(),
        Err(ChatIdError::Id("".into()))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_updates_all_land() {
    let store = temp_store();
    let chat = ChatId::telegram(7);
    let mut tasks = Vec::new();
    for t in 0..4 {
        let (store, chat) = (store.clone(), chat.clone());
        tasks.push(tokio::spawn(async move {
            for i in 0..25 {
                store
                    .update(&chat, |sub| {
                        sub.categories.insert(format!("{t}-{i:02}"));
                    })
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let got = store.get(&chat).await.unwrap().unwrap().categories;
    let want: std::collections::BTreeSet<String> = (0..4)
        .flat_map(|t| (0..25).map(move |i| format!("{t}-{i:02}")))
        .collect();
    assert_eq!(got, want);
}
