//! Alert → plain text block for a terminal.

use chrono_tz::Tz;

use crate::model::{Alert, Lang, SourceKind};

/// Words the console output uses, per language.
#[derive(Debug)]
pub struct Labels {
    pub breaking: &'static str,
    pub new_post: &'static str,
    pub correction: &'static str,
    pub link: &'static str,
    pub source: &'static str,
    pub data: &'static str,
    pub image: &'static str,
}

const KO: Labels = Labels {
    breaking: "🔴 속보",
    new_post: "📰 새 글",
    correction: "✏️ 정정",
    link: "기사",
    source: "출처",
    data: "자료",
    image: "이미지",
};

const EN: Labels = Labels {
    breaking: "🔴 BREAKING",
    new_post: "📰 New",
    correction: "✏️ Corrected",
    link: "Link",
    source: "Source",
    data: "Data",
    image: "Image",
};

impl Labels {
    pub fn for_language(language: Lang) -> &'static Labels {
        match language {
            Lang::Ko => &KO,
            Lang::En => &EN,
        }
    }
}

/// Renders one alert (or its correction) as a block of lines ending in a blank line.
pub fn render(alert: &Alert, tz: Tz, labels: &Labels, correction: bool) -> String {
    if alert.notice {
        return format!("⚠ ┃ {}\n{}\n\n", alert.title, alert.summary.trim());
    }
    let mut out = String::new();
    let marker = match (correction, alert.breaking) {
        (true, _) => labels.correction,
        (false, true) => labels.breaking,
        (false, false) => labels.new_post,
    };
    out.push_str(&format!("{marker} ┃ {}\n", alert.title));
    let mut meta: Vec<String> = alert
        .categories
        .iter()
        .map(|c| format!("#{}", c.replace(' ', "_")))
        .collect();
    meta.push(alert.feed_label().to_owned());
    if let Some(published) = alert.published {
        meta.push(
            published
                .with_timezone(&tz)
                .format("%Y-%m-%d %H:%M %Z")
                .to_string(),
        );
    }
    out.push_str(&format!("   {}\n", meta.join(" · ")));
    if !alert.summary.is_empty() {
        for line in alert.summary.lines() {
            out.push_str(&format!("   {line}\n"));
        }
    }
    if let Some(link) = &alert.link {
        out.push_str(&format!("   ▸ {}: {link}\n", labels.link));
    }
    for s in &alert.source_links {
        let label = match s.kind {
            SourceKind::Original => labels.source,
            SourceKind::Data => labels.data,
        };
        if s.text.is_empty() || s.text == s.url {
            out.push_str(&format!("   ▸ {label}: {}\n", s.url));
        } else {
            out.push_str(&format!("   ▸ {label}: {} — {}\n", s.text, s.url));
        }
    }
    if let Some(image) = &alert.image {
        out.push_str(&format!("   ▸ {}: {image}\n", labels.image));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{PostKey, SourceLink};
    use chrono::TimeZone;

    fn alert() -> Alert {
        Alert {
            feed: "whereispost".into(),
            key: PostKey("file:seed".into()),
            title: "관세청 회의 재개 한일 협력 강화 소식!".into(),
            link: Some("https://news.example.com/a.html".into()),
            source_links: vec![
                SourceLink {
                    url: "https://newsdao.kr/1870".into(),
                    text: "한-일 관세청장 회의 7년 만에 재개".into(),
                    kind: SourceKind::Original,
                },
                SourceLink {
                    url: "https://www.korea.kr".into(),
                    text: "정책브리핑".into(),
                    kind: SourceKind::Data,
                },
            ],
            categories: vec!["경제".into(), "무역 정책".into()],
            summary: "한-일 관세청장 회의가 7년 만에 재개됐다.".into(),
            image: Some("https://news.example.com/img.jpg".into()),
            published: Some(
                chrono::Utc
                    .with_ymd_and_hms(2026, 11, 24, 0, 30, 0)
                    .unwrap(),
            ),
            breaking: true,
            notice: false,
            feed_title: None,
        }
    }

    #[test]
    fn renders_every_part_in_the_configured_zone() {
        let text = render(
            &alert(),
            chrono_tz::Asia::Seoul,
            Labels::for_language(Lang::Ko),
            false,
        );
        assert_eq!(
            text,
            "🔴 속보 ┃ 관세청 회의 재개 한일 협력 강화 소식!\n\
             \x20  #경제 · #무역_정책 · whereispost · 2026-11-24 09:30 KST\n\
             \x20  한-일 관세청장 회의가 7년 만에 재개됐다.\n\
             \x20  ▸ 기사: https://news.example.com/a.html\n\
             \x20  ▸ 출처: 한-일 관세청장 회의 7년 만에 재개 — https://newsdao.kr/1870\n\
             \x20  ▸ 자료: 정책브리핑 — https://www.korea.kr\n\
             \x20  ▸ 이미지: https://news.example.com/img.jpg\n\n"
        );
    }

    #[test]
    fn plain_post_in_english() {
        let mut a = alert();
        a.breaking = false;
        a.source_links.clear();
        a.image = None;
        a.link = None;
        a.published = None;
        a.categories.clear();
        let text = render(&a, chrono_tz::UTC, Labels::for_language(Lang::En), false);
        assert_eq!(
            text,
            "📰 New ┃ 관세청 회의 재개 한일 협력 강화 소식!\n   whereispost\n   한-일 관세청장 회의가 7년 만에 재개됐다.\n\n"
        );
        let text = render(&a, chrono_tz::UTC, Labels::for_language(Lang::Ko), true);
        assert!(text.starts_with("✏️ 정정 ┃ 관세청 회의 재개"), "{text}");
    }
}
