//! Layout of rendered alerts: the seed-like alert, labels, escaping, links, buttons, hashtags.

use super::*;
use crate::model::SourceKind;

use crate::render::fixtures::{IMAGE, POST, seed, source};

pub(super) const SEED_HEAD: &str = "<b>🔴 속보 ┃ 관세청 회의 재개 한일 협력 강화 소식!</b>\n\
                         #경제 #한_일_관계 · 뉴스다오 · 2023-11-24 09:30 KST";
pub(super) const SEED_LINKS: &str = "🔗 <a href=\"https://whereispost.example/economy/2023/11/24/customs.html\">기사 보기</a>\n\
     출처: <a href=\"https://newsdao.kr/1870\">한-일 관세청장 회의 7년 만에 재개…세관협력 강화 합의 - 관세청</a>\n\
     자료: <a href=\"https://www.customs.go.kr/stats?y=2023&amp;m=11\">관세청 수출입 통계</a>";

pub(super) fn seed_buttons() -> Vec<Vec<(String, String)>> {
    vec![vec![
        ("기사 보기".into(), POST.into()),
        ("출처".into(), "https://newsdao.kr/1870".into()),
    ]]
}

pub(super) fn visible(text: &str) -> usize {
    validate_html(text).unwrap_or_else(|e| panic!("invalid HTML ({e}): {text}"))
}

#[test]
fn seed_alert_in_korean() {
    let message = render(&seed(), &RenderOptions::default());
    assert_eq!(
        message,
        TelegramMessage {
            text: format!(
                "{SEED_HEAD}\n\n한-일 관세청장 회의가 7년 만에 재개됐습니다.\n• 우범 거래 차단 협력\n• RCEP 활용 방안 논의\n\n{SEED_LINKS}"
            ),
            buttons: seed_buttons(),
            link_preview_url: Some(IMAGE.into()),
            photo: None,
        }
    );
    visible(&message.text);
}

#[test]
fn english_labels_other_zone_not_breaking() {
    let mut alert = seed();
    alert.breaking = false;
    alert.title = "Customs talks resume".into();
    alert.categories = vec!["Economy".into()];
    alert.feed = "News".into();
    alert.summary = "Talks resumed after 7 years.".into();
    alert.source_links.truncate(1);
    alert.source_links[0].text = String::new();
    let opts = RenderOptions {
        timezone: chrono_tz::UTC,
        language: Lang::En,
        photo: false,
    };
    assert_eq!(
        render(&alert, &opts),
        TelegramMessage {
            text: format!(
                "<b>Customs talks resume</b>\n#Economy · News · 2023-11-24 00:30 UTC\n\n\
                 Talks resumed after 7 years.\n\n\
                 🔗 <a href=\"{POST}\">Read</a>\nSource: <a href=\"https://newsdao.kr/1870\">newsdao.kr</a>"
            ),
            buttons: vec![vec![
                ("Read".into(), POST.into()),
                ("Source".into(), "https://newsdao.kr/1870".into()),
            ]],
            link_preview_url: Some(IMAGE.into()),
            photo: None,
        }
    );
}

#[test]
fn hostile_title_text_and_urls_are_escaped() {
    let mut alert = seed();
    alert.title = "<script>alert(\"x\")</script> & &amp; 1<2>".into();
    alert.feed = "<i>feed</i>".into();
    alert.categories = vec!["<b>".into()];
    alert.summary = "a<b>&c\"d'".into();
    alert.link = Some("https://evil.example/p?q=\"><script>&x=1#\"frag".into());
    alert.source_links = vec![
        source(
            "https://src.example/a&amp;b",
            "\"<원문>\" & co",
            SourceKind::Original,
        ),
        source("javascript:alert(1)", "<img>", SourceKind::Data),
    ];
    alert.image = Some("javascript:alert(2)".into());
    alert.published = None;
    let message = render(&alert, &RenderOptions::default());
    let link = "https://evil.example/p?q=%22%3E%3Cscript%3E&x=1#%22frag";
    assert_eq!(
        message,
        TelegramMessage {
            text: format!(
                "<b>🔴 속보 ┃ &lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; &amp;amp; 1&lt;2&gt;</b>\n\
                 #b · &lt;i&gt;feed&lt;/i&gt;\n\n\
                 a&lt;b&gt;&amp;c\"d'\n\n\
                 🔗 <a href=\"{}\">기사 보기</a>\n\
                 출처: <a href=\"https://src.example/a&amp;amp;b\">\"&lt;원문&gt;\" &amp; co</a>\n\
                 자료: &lt;img&gt;",
                link.replace('&', "&amp;")
            ),
            buttons: vec![vec![
                ("기사 보기".into(), link.into()),
                ("출처".into(), "https://src.example/a&amp;b".into()),
            ]],
            link_preview_url: None,
            photo: None,
        }
    );
    assert_eq!(
        parse_html(&message.text).unwrap().text,
        "🔴 속보 ┃ <script>alert(\"x\")</script> & &amp; 1<2>\n#b · <i>feed</i>\n\n\
         a<b>&c\"d'\n\n🔗 기사 보기\n출처: \"<원문>\" & co\n자료: <img>"
    );
}

#[test]
fn quotes_in_href_values_are_escaped() {
    assert_eq!(
        escape_attr("https://x.example/?a=\"b\"&c"),
        "https://x.example/?a=&quot;b&quot;&amp;c"
    );
}

#[test]
fn without_post_link_or_sources() {
    let mut alert = seed();
    alert.link = None;
    let message = render(&alert, &RenderOptions::default());
    assert_eq!(
        message.buttons,
        vec![vec![(
            "출처".to_owned(),
            "https://newsdao.kr/1870".to_owned()
        )]]
    );
    assert!(!message.text.contains("🔗"));

    alert.source_links.clear();
    alert.summary.clear();
    alert.categories.clear();
    alert.title = "  여러\n줄  제목 ".into();
    assert_eq!(
        render(&alert, &RenderOptions::default()),
        TelegramMessage {
            text: "<b>🔴 속보 ┃ 여러 줄 제목</b>\n뉴스다오 · 2023-11-24 09:30 KST".into(),
            buttons: vec![],
            link_preview_url: Some(IMAGE.into()),
            photo: None,
        }
    );
}

#[test]
fn empty_title_gets_a_placeholder() {
    let mut alert = seed();
    alert.title = " \n ".into();
    alert.breaking = false;
    let text = render(&alert, &RenderOptions::default()).text;
    assert!(text.starts_with("<b>(제목 없음)</b>\n"), "{text}");
}

#[test]
fn over_long_button_urls_stay_text_links() {
    let mut alert = seed();
    let long = format!(
        "https://whereispost.example/{}",
        "a".repeat(MAX_BUTTON_URL_BYTES)
    );
    alert.link = Some(long.clone());
    let message = render(&alert, &RenderOptions::default());
    assert_eq!(
        message.buttons,
        vec![vec![(
            "출처".to_owned(),
            "https://newsdao.kr/1870".to_owned()
        )]]
    );
    assert!(
        message
            .text
            .contains(&format!("🔗 <a href=\"{long}\">기사 보기</a>"))
    );
}

#[test]
fn hashtags_keep_letters_digits_and_underscores() {
    let mut alert = seed();
    alert.categories = [
        "C++",
        "  ",
        "국제 경제",
        "AI/ML",
        "경제",
        "___",
        "2024",
        "경제!",
    ]
    .map(String::from)
    .to_vec();
    alert.published = None;
    let text = render(&alert, &RenderOptions::default()).text;
    let meta = text.lines().nth(1).unwrap_or_default();
    assert_eq!(meta, "#C #국제_경제 #AI_ML #경제 #2024 · 뉴스다오");
}

#[test]
fn non_ascii_urls_are_percent_encoded() {
    let mut alert = seed();
    alert.link = Some("https://whereispost.example/경제/관세청 회의".into());
    let message = render(&alert, &RenderOptions::default());
    let encoded = "https://whereispost.example/%EA%B2%BD%EC%A0%9C/%EA%B4%80%EC%84%B8%EC%B2%AD%20%ED%9A%8C%EC%9D%98";
    assert_eq!(
        message.buttons[0][0],
        ("기사 보기".to_owned(), encoded.to_owned())
    );
}

mod limits;

#[test]
fn a_feed_notice_is_a_bold_line_and_plain_text() {
    let notice = Alert {
        feed: "news".into(),
        title: "✅ Feed works again: <news>".into(),
        link: Some("https://news.example/rss".into()),
        summary: "https://news.example/rss".into(),
        notice: true,
        ..Alert::default()
    };
    assert_eq!(
        render(&notice, &RenderOptions::default()),
        TelegramMessage {
            text: "<b>✅ Feed works again: &lt;news&gt;</b>\nhttps://news.example/rss".into(),
            buttons: Vec::new(),
            link_preview_url: None,
            photo: None,
        }
    );
}
