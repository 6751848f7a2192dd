//! The Discord embed of the seed-like alert, escaping, labels, and every limit under hostile input.

use super::*;
use crate::model::{SourceKind, SourceLink};
use crate::render::fixtures::{IMAGE, POST, seed, source};

fn ko() -> RenderOptions {
    RenderOptions { language: Lang::Ko }
}

fn seed_embed() -> Embed {
    Embed {
        title: "🔴 속보 ┃ 관세청 회의 재개 한일 협력 강화 소식!".into(),
        url: Some(POST.into()),
        description: "한\\-일 관세청장 회의가 7년 만에 재개됐습니다.\n• 우범 거래 차단 협력\n• RCEP 활용 방안 논의"
            .into(),
        color: BREAKING_COLOR,
        author: "뉴스다오".into(),
        footer: "#경제 #한_일_관계".into(),
        timestamp: seed().published,
        image: Some(IMAGE.into()),
        fields: vec![
            Field {
                name: "출처".into(),
                value: "[한\\-일 관세청장 회의 7년 만에 재개…세관협력 강화 합의 \\- 관세청](https://newsdao.kr/1870)"
                    .into(),
                inline: true,
            },
            Field {
                name: "자료".into(),
                value: "[관세청 수출입 통계](https://www.customs.go.kr/stats?y=2023&m=11)".into(),
                inline: true,
            },
        ],
    }
}

#[test]
fn seed_alert_in_korean() {
    assert_eq!(
        render(&seed(), &ko()),
        DiscordMessage {
            embed: seed_embed(),
            buttons: vec![
                ("기사 보기".into(), POST.into()),
                ("출처".into(), "https://newsdao.kr/1870".into()),
            ],
        }
    );
}

#[test]
fn english_labels_and_normal_colour() {
    let mut alert = seed();
    alert.breaking = false;
    alert.source_links.truncate(1);
    let message = render(&alert, &RenderOptions { language: Lang::En });
    assert_eq!(message.embed.title, "관세청 회의 재개 한일 협력 강화 소식!");
    assert_eq!(message.embed.color, NEWS_COLOR);
    assert_eq!(message.embed.fields[0].name, "Source");
    assert_eq!(
        message.buttons,
        vec![
            ("Read".to_owned(), POST.to_owned()),
            ("Source".to_owned(), "https://newsdao.kr/1870".to_owned())
        ]
    );
}

#[test]
fn markdown_is_escaped_and_links_cannot_break_out() {
    let mut alert = seed();
    alert.breaking = false;
    alert.title = "**굵게** _기울임_ [링크](https://evil.example) `코드`".into();
    alert.summary = "> 인용 ||스포일러|| <@123> ~~취소~~".into();
    alert.source_links = vec![source(
        "https://example.com/a_(b)",
        "위키 [문서]",
        SourceKind::Original,
    )];
    let embed = render(&alert, &ko()).embed;
    assert_eq!(
        embed.title,
        "\\*\\*굵게\\*\\* \\_기울임\\_ \\[링크\\]\\(https\\://evil.example\\) \\`코드\\`"
    );
    assert_eq!(
        embed.description,
        "\\> 인용 \\|\\|스포일러\\|\\| \\<@123\\> \\~\\~취소\\~\\~"
    );
    assert_eq!(
        embed.fields[0].value,
        "[위키 \\[문서\\]](https://example.com/a_%28b%29)"
    );
}

#[test]
fn no_links_no_image_no_categories() {
    let mut alert = seed();
    alert.link = Some("javascript:alert(1)".into());
    alert.image = Some("/relative.png".into());
    alert.categories.clear();
    alert.source_links = vec![SourceLink {
        url: "not a url".into(),
        text: String::new(),
        kind: SourceKind::Original,
    }];
    let message = render(&alert, &ko());
    assert_eq!(message.embed.url, None);
    assert_eq!(message.embed.image, None);
    assert_eq!(message.embed.footer, "");
    assert!(message.embed.fields.is_empty());
    assert!(message.buttons.is_empty());
}

#[test]
fn duplicate_source_of_the_post_is_not_repeated() {
    let mut alert = seed();
    alert.source_links = vec![source(POST, "여기", SourceKind::Original)];
    let message = render(&alert, &ko());
    assert!(message.embed.fields.is_empty());
    assert_eq!(message.buttons.len(), 1);
}

#[test]
fn huge_fields_stay_within_every_limit() {
    let mut alert = seed();
    alert.title = "가".repeat(5000);
    alert.feed = "피드".repeat(500);
    alert.summary = "아주 긴 문장입니다. ".repeat(2000);
    alert.categories = (0..100).map(|i| format!("분류{i}").repeat(20)).collect();
    alert.source_links = (0..40)
        .map(|i| {
            source(
                &format!("https://example.com/{i}"),
                &"출처 글 ".repeat(300),
                SourceKind::Original,
            )
        })
        .collect();
    let message = render(&alert, &ko());
    let embed = &message.embed;
    assert!(utf16_len(&embed.title) <= MAX_TITLE);
    assert!(utf16_len(&embed.description) <= MAX_DESCRIPTION);
    assert!(utf16_len(&embed.author) <= MAX_AUTHOR);
    assert!(utf16_len(&embed.footer) <= MAX_FOOTER);
    assert_eq!(embed.fields.len(), MAX_SOURCES);
    for field in &embed.fields {
        assert!(utf16_len(&field.name) <= MAX_FIELD_NAME);
        assert!(utf16_len(&field.value) <= MAX_FIELD_VALUE);
    }
    assert!(embed.total_len() <= MAX_EMBED_TOTAL);
    assert!(embed.description.ends_with('…'), "{}", embed.description);
    assert!(embed.description.starts_with("아주 긴 문장입니다."));
}

#[test]
fn summary_full_of_markdown_still_fits_after_escaping() {
    let mut alert = seed();
    alert.summary = "*_".repeat(3000);
    let embed = render(&alert, &ko()).embed;
    assert!(utf16_len(&embed.description) <= MAX_DESCRIPTION);
    assert!(embed.total_len() <= MAX_EMBED_TOTAL);
    assert!(embed.description.starts_with("\\*\\_"));
}

#[test]
fn a_feed_notice_is_a_plain_amber_embed() {
    let notice = Alert {
        feed: "chat-0123456789abcdef".into(),
        title: "⚠️ 피드 오류: 동네 소식".into(),
        link: Some("https://town.example/rss".into()),
        summary: "https://town.example/rss\n2026-12-07 09:00부터 가져오지 못하고 있어요: HTTP 503"
            .into(),
        notice: true,
        feed_title: Some("동네 소식".into()),
        ..Alert::default()
    };
    let message = render(&notice, &ko());
    assert_eq!(
        message,
        DiscordMessage {
            embed: Embed {
                title: "⚠️ 피드 오류: 동네 소식".into(),
                url: Some("https://town.example/rss".into()),
                description: "https\\://town.example/rss\n2026\\-12\\-07 09\\:00부터 가져오지 못하고 있어요\\: HTTP 503"
                    .into(),
                color: NOTICE_COLOR,
                author: String::new(),
                footer: String::new(),
                timestamp: None,
                image: None,
                fields: Vec::new(),
            },
            buttons: Vec::new(),
        }
    );
}
