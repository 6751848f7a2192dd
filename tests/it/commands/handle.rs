//! `handle`: replies and the stored subscription after each command.

use sokbo::commands::{Command, Context, Reply, Selection, handle};
use sokbo::i18n::Lang;
use sokbo::model::{ChatId, QuietHours, Subscription};
use sokbo::storage::SubscriptionStore;

use super::{group, known, named, private, remote_channel, set, strings, temp_store};

async fn run(cmd: Command, ctx: &Context, store: &SubscriptionStore) -> Reply {
    handle(&cmd, ctx, store, &known(), None)
        .await
        .expect("store works")
}

fn said(text: &str) -> Reply {
    Reply {
        text: text.into(),
        keyboard: None,
        file: None,
    }
}

/// The subscription of user 42 after commands in Korean.
fn expected(categories: &[&str]) -> Subscription {
    Subscription {
        categories: set(categories),
        language: Some("ko".into()),
        ..Subscription::new(ChatId::telegram(42))
    }
}

#[tokio::test]
async fn subscribe_several_then_again() {
    let store = temp_store();
    let ctx = private();
    assert_eq!(
        run(Command::Subscribe(named(&["경제", "정치"])), &ctx, &store).await,
        said("구독했어요: 경제, 정치")
    );
    assert_eq!(
        run(Command::Subscribe(named(&["정치", "it"])), &ctx, &store).await,
        said("구독했어요: IT\n이미 구독 중: 정치")
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(expected(&["IT", "경제", "정치"]))
    );
}

#[tokio::test]
async fn subscribe_all() {
    let store = temp_store();
    let ctx = private();
    assert_eq!(
        run(Command::Subscribe(Selection::All), &ctx, &store).await,
        said("모든 분류를 구독했어요.")
    );
    assert_eq!(
        run(Command::Subscribe(named(&["경제"])), &ctx, &store).await,
        said("이미 구독 중: 경제")
    );
    let want = Subscription {
        all: true,
        ..expected(&[])
    };
    assert_eq!(store.get(&ctx.chat).await.unwrap(), Some(want));
}

#[tokio::test]
async fn unknown_category_lists_known_and_suggests() {
    let store = temp_store();
    let ctx = private();
    assert_eq!(
        run(
            Command::Subscribe(named(&["겅제", "정치", "xyz"])),
            &ctx,
            &store
        )
        .await,
        said(
            "구독했어요: 정치\n없는 분류: 겅제 (혹시 ‘경제’?)\n없는 분류: xyz\n\
             분류: IT, 경제, 국제, 사회, 정치"
        )
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(expected(&["정치"]))
    );
    let en = Context {
        lang: Lang::En,
        ..private()
    };
    assert_eq!(
        run(Command::Subscribe(named(&["사희"])), &en, &store).await,
        said(
            "Unknown category: 사희 (did you mean ‘사회’?)\nCategories: IT, 경제, 국제, 사회, 정치"
        )
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(expected(&["정치"]))
    );
}

#[tokio::test]
async fn only_unknown_writes_nothing() {
    let store = temp_store();
    run(Command::Subscribe(named(&["스포츠"])), &private(), &store).await;
    assert_eq!(store.get(&private().chat).await.unwrap(), None);
}

#[tokio::test]
async fn no_known_categories_accepts_names_as_given() {
    let store = temp_store();
    let ctx = private();
    let reply = handle(
        &Command::Subscribe(named(&["스포츠", "날씨"])),
        &ctx,
        &store,
        &[],
        None,
    )
    .await
    .unwrap();
    assert_eq!(reply, said("구독했어요: 스포츠, 날씨"));
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(expected(&["날씨", "스포츠"]))
    );
    let reply = handle(&Command::Categories, &ctx, &store, &[], None)
        .await
        .unwrap();
    assert_eq!(
        reply,
        said("아직 알려진 분류가 없어요. /subscribe all 로 전체를 구독할 수 있어요.")
    );
}

#[tokio::test]
async fn group_non_admin_is_refused_but_may_read() {
    let store = temp_store();
    let member = group(false);
    let refused = said("관리자만 이 채팅의 구독을 바꿀 수 있어요.");
    for cmd in [
        Command::Subscribe(named(&["경제"])),
        Command::Subscribe(Selection::Menu),
        Command::Unsubscribe(Selection::All),
        Command::Include(strings(&["a"])),
        Command::ClearFilters,
        Command::Pause,
        Command::Resume,
        Command::Quiet(None),
    ] {
        assert_eq!(run(cmd.clone(), &member, &store).await, refused, "{cmd:?}");
    }
    assert_eq!(store.get(&member.chat).await.unwrap(), None);
    assert_eq!(
        run(Command::List, &member, &store).await,
        said("구독한 분류가 없어요. /subscribe 로 시작하세요.")
    );
    assert_eq!(
        run(Command::Categories, &member, &store).await,
        said("분류: IT, 경제, 국제, 사회, 정치")
    );
    assert_eq!(
        run(Command::Help, &member, &store).await.text,
        sokbo::i18n::help(Lang::Ko)
    );

    let admin = group(true);
    assert_eq!(
        run(Command::Subscribe(named(&["경제"])), &admin, &store).await,
        said("구독했어요: 경제")
    );
    assert_eq!(
        run(Command::List, &member, &store).await,
        said("구독: 경제")
    );
    let want = Subscription {
        categories: set(&["경제"]),
        language: Some("ko".into()),
        title: Some("뉴스방".into()),
        ..Subscription::new(ChatId::telegram(-1001234))
    };
    assert_eq!(store.get(&admin.chat).await.unwrap(), Some(want));
}

#[tokio::test]
async fn remote_channel_needs_rights_and_names_the_channel() {
    let store = temp_store();
    let outsider = remote_channel(false);
    let refused = said("@news: 관리자만 이 채팅의 구독을 바꿀 수 있어요.");
    assert_eq!(run(Command::List, &outsider, &store).await, refused);
    assert_eq!(
        run(Command::Subscribe(named(&["경제"])), &outsider, &store).await,
        refused
    );
    let admin = remote_channel(true);
    assert_eq!(
        run(Command::Subscribe(named(&["경제"])), &admin, &store).await,
        said("@news: 구독했어요: 경제")
    );
    assert_eq!(
        run(Command::List, &admin, &store).await,
        said("@news: 구독: 경제")
    );
}

#[tokio::test]
async fn unsubscribe_named_all_and_nothing() {
    let store = temp_store();
    let ctx = private();
    assert_eq!(
        run(Command::Unsubscribe(named(&["경제"])), &ctx, &store).await,
        said("구독한 분류가 없어요. /subscribe 로 시작하세요.")
    );
    run(Command::Subscribe(named(&["경제", "정치"])), &ctx, &store).await;
    assert_eq!(
        run(Command::Unsubscribe(named(&["경제", "사회"])), &ctx, &store).await,
        said("해지했어요: 경제\n구독하지 않은 분류: 사회")
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(expected(&["정치"]))
    );
    assert_eq!(
        run(Command::Unsubscribe(Selection::All), &ctx, &store).await,
        said("모든 구독을 해지했어요.")
    );
    assert_eq!(store.get(&ctx.chat).await.unwrap(), Some(expected(&[])));
}

#[tokio::test]
async fn unsubscribe_one_under_all_keeps_the_rest() {
    let store = temp_store();
    let ctx = private();
    run(Command::Subscribe(Selection::All), &ctx, &store).await;
    assert_eq!(
        run(Command::Unsubscribe(named(&["사회", "날씨"])), &ctx, &store).await,
        said("해지했어요: 사회\n구독하지 않은 분류: 날씨")
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(expected(&["IT", "경제", "국제", "정치"]))
    );
}

#[tokio::test]
async fn pause_resume_quiet_and_filters() {
    let store = temp_store();
    let ctx = private();
    run(Command::Subscribe(named(&["경제"])), &ctx, &store).await;
    assert_eq!(
        run(Command::Pause, &ctx, &store).await,
        said("알림을 멈췄어요. /resume 으로 다시 받아요.")
    );
    assert_eq!(
        run(Command::Include(strings(&["반도체", "AI"])), &ctx, &store).await,
        said("포함 단어: 반도체, AI — 이 중 하나가 있는 알림만 보내요.")
    );
    assert_eq!(
        run(Command::Include(strings(&["ai", "수출"])), &ctx, &store).await,
        said("포함 단어: 반도체, AI, 수출 — 이 중 하나가 있는 알림만 보내요.")
    );
    assert_eq!(
        run(Command::Exclude(strings(&["광고"])), &ctx, &store).await,
        said("제외 단어: 광고 — 이 단어가 있는 알림은 빼요.")
    );
    assert_eq!(
        run(Command::Quiet(QuietHours::new(23, 7)), &ctx, &store).await,
        said("23시–7시에는 알림이 소리 없이 와요.")
    );
    assert_eq!(
        run(Command::List, &ctx, &store).await,
        said(
            "구독: 경제\n포함 단어: 반도체, AI, 수출\n제외 단어: 광고\n무음 시간: 23시–7시\n일시정지 중 (/resume)"
        )
    );
    let want = Subscription {
        include: strings(&["반도체", "AI", "수출"]),
        exclude: strings(&["광고"]),
        paused: true,
        quiet: QuietHours::new(23, 7),
        ..expected(&["경제"])
    };
    assert_eq!(store.get(&ctx.chat).await.unwrap(), Some(want));

    assert_eq!(
        run(Command::Resume, &ctx, &store).await,
        said("알림을 다시 보내요.")
    );
    assert_eq!(
        run(Command::Quiet(None), &ctx, &store).await,
        said("무음 시간을 껐어요.")
    );
    assert_eq!(
        run(Command::ClearFilters, &ctx, &store).await,
        said("단어 필터를 지웠어요.")
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(expected(&["경제"]))
    );
}

#[tokio::test]
async fn keyword_limit() {
    let store = temp_store();
    let ctx = private();
    let twenty: Vec<String> = (0..20).map(|i| format!("w{i}")).collect();
    run(Command::Exclude(twenty.clone()), &ctx, &store).await;
    assert_eq!(
        run(Command::Exclude(strings(&["W3", "new"])), &ctx, &store).await,
        said("단어는 포함, 제외 각각 20개까지예요.")
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(Subscription {
            exclude: twenty,
            ..expected(&[])
        })
    );
}

#[tokio::test]
async fn a_command_reactivates_and_records_language() {
    let store = temp_store();
    let ctx = Context {
        lang: Lang::En,
        ..private()
    };
    store
        .put(&Subscription {
            inactive: Some("bot blocked".into()),
            language: Some("ko".into()),
            ..expected(&["경제"])
        })
        .await
        .unwrap();
    assert_eq!(
        run(Command::List, &ctx, &store).await,
        said("Subscribed: 경제\nDelivery stopped: bot blocked")
    );
    assert_eq!(
        run(Command::Resume, &ctx, &store).await,
        said("Alerts resumed.")
    );
    assert_eq!(
        store.get(&ctx.chat).await.unwrap(),
        Some(Subscription {
            language: Some("en".into()),
            ..expected(&["경제"])
        })
    );
}

#[tokio::test]
async fn start_help_categories() {
    let store = temp_store();
    let ctx = private();
    assert_eq!(
        run(Command::Start, &ctx, &store).await,
        said(
            "안녕하세요! 새 글이 올라오면 바로 알려 드려요.\n\
             /subscribe 경제 처럼 분류를 구독하세요. 분류는 /categories, 명령은 /help 에 있어요."
        )
    );
    assert_eq!(
        run(Command::Help, &ctx, &store).await,
        said(&sokbo::i18n::help(Lang::Ko))
    );
    assert_eq!(
        run(Command::Categories, &ctx, &store).await,
        said("분류: IT, 경제, 국제, 사회, 정치")
    );
    assert_eq!(store.len().await.unwrap(), 0);
}

#[tokio::test]
async fn suggestions_compare_jamo() {
    use sokbo::commands::{distance, suggest};
    let known = known();
    let got: Vec<Option<&str>> = ["겅제", "정지", "국재", "it", "사휘", "sports", "경", "제경"]
        .iter()
        .map(|t| suggest(t, &known))
        .collect();
    assert_eq!(
        got,
        vec![
            Some("경제"),
            Some("정치"),
            Some("국제"),
            Some("IT"),
            Some("사회"),
            None,
            None,
            None
        ]
    );
    assert_eq!(distance("겅제", "경제"), 1);
    assert_eq!(distance("경제", "정치"), 4);
    assert_eq!(distance("Economy", "economy"), 0);
}

#[tokio::test]
async fn repeated_names_from_a_front_end_count_once() {
    let store = temp_store();
    assert_eq!(
        run(
            Command::Subscribe(named(&["경제", "경제", "IT", "it"])),
            &private(),
            &store
        )
        .await,
        said("구독했어요: 경제, IT")
    );
}

#[tokio::test]
async fn empty_lists_from_a_front_end() {
    let store = temp_store();
    let ctx = private();
    let menu = run(
        Command::Subscribe(Selection::Named(Vec::new())),
        &ctx,
        &store,
    )
    .await;
    assert_eq!(
        (menu.text.as_str(), menu.keyboard.map(|k| k.len())),
        ("누를 때마다 구독이 바뀌어요.\n구독: 없음", Some(3))
    );
    assert_eq!(
        run(Command::Include(Vec::new()), &ctx, &store).await,
        said("사용법: /include 단어…")
    );
    assert_eq!(
        run(Command::Exclude(Vec::new()), &ctx, &store).await,
        said("사용법: /exclude 단어…")
    );
    assert_eq!(store.len().await.unwrap(), 0);
}
