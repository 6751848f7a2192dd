//! The category toggle keyboard and its callback data.

use sokbo::commands::{
    Button, CallbackData, Command, MAX_CALLBACK_BYTES, Reply, Selection, Toggle, callback_chat,
    category_hash, handle, handle_callback, parse_callback,
};
use sokbo::model::{ChatId, Subscription};

use super::{group, known, private, remote_channel, set, temp_store};

fn button(label: &str, data: &str) -> Button {
    Button {
        label: label.into(),
        data: data.into(),
    }
}

fn keyboard_reply(text: &str, rows: Vec<Vec<Button>>) -> Reply {
    Reply {
        text: text.into(),
        keyboard: Some(rows),
        file: None,
    }
}

#[tokio::test]
async fn menu_shows_every_category_marked() {
    let store = temp_store();
    let ctx = private();
    handle(
        &Command::Subscribe(Selection::Named(vec!["경제".into()])),
        &ctx,
        &store,
        &known(),
        None,
    )
    .await
    .unwrap();
    let reply = handle(
        &Command::Subscribe(Selection::Menu),
        &ctx,
        &store,
        &known(),
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        reply,
        keyboard_reply(
            "누를 때마다 구독이 바뀌어요.\n구독: 경제",
            vec![
                vec![button("전체", "a")],
                vec![
                    button("IT", "c:IT"),
                    button("✅ 경제", "c:경제"),
                    button("국제", "c:국제"),
                ],
                vec![button("사회", "c:사회"), button("정치", "c:정치")],
            ]
        )
    );
    let none = handle(
        &Command::Unsubscribe(Selection::Menu),
        &ctx,
        &store,
        &[],
        None,
    )
    .await
    .unwrap();
    assert_eq!(
        none,
        Reply {
            text: "아직 알려진 분류가 없어요. /subscribe all 로 전체를 구독할 수 있어요.".into(),
            keyboard: None,
            file: None,
        }
    );
}

#[tokio::test]
async fn presses_toggle_categories_and_all() {
    let store = temp_store();
    let ctx = private();
    let press = async |data: &str| handle_callback(data, &ctx, &store, &known()).await.unwrap();
    let reply = press("c:정치").await;
    assert_eq!(reply.text, "누를 때마다 구독이 바뀌어요.\n구독: 정치");
    press("c:경제").await;
    assert_eq!(
        store.get(&ctx.chat).await.unwrap().map(|s| s.categories),
        Some(set(&["경제", "정치"]))
    );
    press("c:정치").await;
    let reply = press("a").await;
    assert_eq!(reply.text, "누를 때마다 구독이 바뀌어요.\n구독: 전체");
    let rows = reply.keyboard.expect("keyboard");
    assert_eq!(rows[0], vec![button("✅ 전체", "a")]);
    assert_eq!(
        rows[2],
        vec![button("✅ 사회", "c:사회"), button("✅ 정치", "c:정치")]
    );
    let reply = press("c:사회").await;
    assert_eq!(
        reply.text,
        "누를 때마다 구독이 바뀌어요.\n구독: IT, 경제, 국제, 정치"
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(Subscription {
            categories: set(&["IT", "경제", "국제", "정치"]),
            language: Some("ko".into()),
            ..Subscription::new(ChatId::telegram(42))
        })
    );
}

#[tokio::test]
async fn long_names_use_a_hash_within_64_bytes() {
    let long = "아주 긴 분류 이름 ".repeat(4);
    let known = vec![long.clone()];
    let store = temp_store();
    let ctx = remote_channel(true);
    let reply = handle(
        &Command::Subscribe(Selection::Menu),
        &ctx,
        &store,
        &known,
        None,
    )
    .await
    .unwrap();
    let rows = reply.keyboard.expect("keyboard");
    let data = format!("telegram:-1009999|h:{}", category_hash(&long));
    assert_eq!(
        rows,
        vec![
            vec![button("전체", "telegram:-1009999|a")],
            vec![button("아주 긴 분류 이름 아주 긴 분류 이름 아…", &data)],
        ]
    );
    assert!(data.len() <= MAX_CALLBACK_BYTES);
    assert_eq!(callback_chat(&data), Some(ChatId::telegram(-1009999)));
    let reply = handle_callback(&data, &ctx, &store, &known).await.unwrap();
    assert_eq!(
        reply.text,
        format!("@news: 누를 때마다 구독이 바뀌어요.\n구독: {long}")
    );
}

#[tokio::test]
async fn callback_data_decodes() {
    assert_eq!(
        parse_callback("c:경제"),
        Some(CallbackData {
            chat: None,
            toggle: Toggle::Category("경제".into())
        })
    );
    assert_eq!(
        parse_callback("discord:77|a"),
        Some(CallbackData {
            chat: Some(ChatId::discord(77)),
            toggle: Toggle::All
        })
    );
    for bad in [
        "",
        "x",
        "c:",
        "h:zz",
        "h:0123",
        "telegram:x|a",
        "discord:1",
        "a|c:x",
    ] {
        assert_eq!(parse_callback(bad), None, "{bad:?}");
    }
}

#[tokio::test]
async fn stale_foreign_and_unauthorized_presses() {
    let store = temp_store();
    let stale = Reply {
        text: "지난 버튼이에요. /subscribe 를 다시 보내 주세요.".into(),
        keyboard: None,
        file: None,
    };
    let ctx = private();
    for data in [
        "c:없는분류",
        "h:0000000000000000",
        "garbage",
        "telegram:7|c:경제",
    ] {
        assert_eq!(
            handle_callback(data, &ctx, &store, &known()).await.unwrap(),
            stale,
            "{data:?}"
        );
    }
    let member = group(false);
    assert_eq!(
        handle_callback("c:경제", &member, &store, &known())
            .await
            .unwrap(),
        Reply {
            text: "관리자만 이 채팅의 구독을 바꿀 수 있어요.".into(),
            keyboard: None,
            file: None,
        }
    );
    assert_eq!(store.len().await.unwrap(), 0);
}
