//! Alerts shared by the renderers' tests: one shaped like the seed post of the first site.

use chrono::{TimeZone, Utc};

use crate::model::{Alert, PostKey, SourceKind, SourceLink};

pub(crate) const POST: &str = "https://whereispost.example/economy/2023/11/24/customs.html";
pub(crate) const IMAGE: &str = "https://whereispost.example/assets/img/newsdao_breakingnews.jpg";

pub(crate) fn source(url: &str, text: &str, kind: SourceKind) -> SourceLink {
    SourceLink {
        url: url.into(),
        text: text.into(),
        kind,
    }
}

/// Shaped like the seed post of the first target site.
pub(crate) fn seed() -> Alert {
    Alert {
        feed: "뉴스다오".into(),
        key: PostKey("post-1870".into()),
        title: "관세청 회의 재개 한일 협력 강화 소식!".into(),
        link: Some(POST.into()),
        source_links: vec![
            source(
                "https://newsdao.kr/1870",
                "한-일 관세청장 회의 7년 만에 재개…세관협력 강화 합의 - 관세청",
                SourceKind::Original,
            ),
            source(
                "https://www.customs.go.kr/stats?y=2023&m=11",
                "관세청 수출입 통계",
                SourceKind::Data,
            ),
        ],
        categories: vec!["경제".into(), "한-일 관계".into()],
        summary: "한-일 관세청장 회의가 7년 만에 재개됐습니다.\n• 우범 거래 차단 협력\n• RCEP 활용 방안 논의"
            .into(),
        image: Some(IMAGE.into()),
        published: Some(Utc.with_ymd_and_hms(2023, 11, 24, 0, 30, 0).unwrap()),
        breaking: true,
        notice: false,
        feed_title: None,
    }
}
