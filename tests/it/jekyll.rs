//! Jekyll post files → Post: the seed and one fixture per front matter form, whole values.

use std::path::Path;

use chrono::{DateTime, Utc};
use sokbo::model::{Post, PostKey, SourceKind, SourceLink};
use sokbo::source::jekyll::{JekyllError, SiteOptions, parse_post};

mod fixtures;

const SITE: &str = "https://news.example.com";
const ECON: &str = "%EA%B2%BD%EC%A0%9C";

fn site() -> SiteOptions {
    SiteOptions {
        site_url: Some(SITE.into()),
        ..SiteOptions::default()
    }
}

fn time(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .expect("test time")
        .with_timezone(&Utc)
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/posts")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(name: &str, file_time: Option<DateTime<Utc>>) -> Result<Option<Post>, JekyllError> {
    parse_post(Path::new(name), &fixture(name), &site(), file_time)
}

fn post(name: &str, file_time: Option<DateTime<Utc>>) -> Post {
    parse(name, file_time)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
        .unwrap_or_else(|| panic!("{name}: no post"))
}

fn source(kind: SourceKind, url: &str, text: &str) -> SourceLink {
    SourceLink {
        url: url.into(),
        text: text.into(),
        kind,
    }
}

fn seed_links() -> Vec<SourceLink> {
    vec![
        source(
            SourceKind::Original,
            "https://newsdao.kr/1870",
            "한-일 관세청장 회의 7년 만에 재개…세관협력 강화 합의 - 관세청",
        ),
        source(SourceKind::Data, "https://www.korea.kr", "정책브리핑"),
    ]
}

const SEED_EXCERPT: &str = "한-일 관세청장 회의가 7년 만에 재개돼 전자상거래무역 및 \
    역내포괄적경제동반자협정 활성화를 통한 양국 간 교…";

#[test]
fn seed_field_by_field() {
    let file_time = time("2024-11-24T09:30:00+09:00");
    let mut post = post("seed.md", Some(file_time));
    let body = post.body_html.take().unwrap_or_default();
    assert!(body.starts_with(
        "<p><img src=\"/assets/img/newsdao_breakingnews.jpg\" alt=\"뉴스다오 속보\" /></p>\n\
         <p>출처: <a href=\"https://newsdao.kr/1870\" rel=\"dofollow\">"
    ));
    assert!(body.contains("<h2 data-ke-size=\"size26\">한-일 관세청장 회의 재개 배경과 의의</h2>"));
    assert!(body.contains("<h2 data-ke-size=\"size26\">결론 및 향후 전망</h2>"));
    assert!(body.contains(
        "<b><span style=\"color: #ee2323;\">자료출처</span></b>: 정책브리핑 https://www.korea.kr"
    ));
    assert!(body.ends_with(
        "<p>원하는 뉴스 찾아보기 👉 <a href=\"https://newsdao.kr\" rel=\"dofollow\">newsdao.kr</a></p>\n"
    ));
    assert_eq!(
        post,
        Post {
            key: PostKey("file:seed".into()),
            title: "관세청 회의 재개 한일 협력 강화 소식!".into(),
            author: None,
            link: Some(format!("{SITE}/{ECON}/2024/11/24/seed.html")),
            categories: vec!["경제".into()],
            tags: vec![],
            excerpt: Some(SEED_EXCERPT.into()),
            feature_text: Some(format!(
                "## whereispost 실시간 뉴스 속보입니다.\n{SEED_EXCERPT}"
            )),
            body_html: None,
            image: Some(format!("{SITE}/assets/img/newsdao_breakingnews.jpg")),
            published: Some(file_time),
            updated: None,
            source_links: seed_links(),
        }
    );
}

#[test]
fn seed_under_a_dated_name_takes_date_and_slug_from_it() {
    let post = parse_post(
        Path::new("2024-11-24-관세청-회의-재개.md"),
        &fixture("seed.md"),
        &site(),
        Some(time("2025-01-01T00:00:00Z")),
    )
    .unwrap()
    .unwrap();
    assert_eq!(post.key, PostKey("file:2024-11-24-관세청-회의-재개".into()));
    assert_eq!(post.published, Some(time("2024-11-24T00:00:00+09:00")));
    assert_eq!(
        post.link.as_deref(),
        Some(
            "https://news.example.com/%EA%B2%BD%EC%A0%9C/2024/11/24/\
             %EA%B4%80%EC%84%B8%EC%B2%AD-%ED%9A%8C%EC%9D%98-%EC%9E%AC%EA%B0%9C.html"
        )
    );
}

#[test]
fn example_site_posts() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/posts");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("examples/posts")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut seen = Vec::new();
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).expect("example post");
        let post = parse_post(Path::new(name), &text, &site(), None)
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("{name}: no post"));
        let excerpt = post.excerpt.clone().unwrap_or_default();
        assert!(excerpt.ends_with('…'), "{name}: excerpt {excerpt:?}");
        assert_eq!(
            post.feature_text,
            Some(format!("## whereispost 실시간 뉴스 속보입니다.\n{excerpt}")),
            "{name}"
        );
        assert!(
            post.image
                .as_deref()
                .is_some_and(|i| i.starts_with(&format!("{SITE}/assets/img/"))),
            "{name}: image {:?}",
            post.image
        );
        let kinds: Vec<SourceKind> = post.source_links.iter().map(|l| l.kind).collect();
        assert_eq!(
            kinds,
            vec![SourceKind::Original, SourceKind::Data],
            "{name}"
        );
        assert!(
            post.source_links[0]
                .url
                .starts_with("https://news.example.kr/"),
            "{name}"
        );
        seen.push((post.title, post.categories, post.source_links[1].clone()));
    }
    assert_eq!(
        seen,
        vec![
            (
                "소상공인 정책자금 지원 대상 확대 소식!".to_string(),
                vec!["경제".to_string()],
                source(
                    SourceKind::Data,
                    "https://briefing.example.kr",
                    "예시 정책브리핑"
                ),
            ),
            (
                "1월 중순 수출 반도체 덕분에 반등 소식!".to_string(),
                vec!["경제".to_string()],
                source(
                    SourceKind::Data,
                    "https://trade.example.kr/stats",
                    "예시 무역통계"
                ),
            ),
            (
                "지방선거 사전투표소 대폭 늘린다 소식!".to_string(),
                vec!["정치".to_string()],
                source(
                    SourceKind::Data,
                    "https://election.example.kr",
                    "예시 선거정보"
                ),
            ),
            (
                "북극 한파에 수도관 동파 주의보 소식!".to_string(),
                vec!["사회".to_string()],
                source(
                    SourceKind::Data,
                    "https://weather.example.kr/cold-wave",
                    "예시 기상정보"
                ),
            ),
            (
                "공공 앱 로그인 하나로 통합 소식!".to_string(),
                vec!["IT".to_string()],
                source(
                    SourceKind::Data,
                    "https://digital.example.kr",
                    "예시 디지털정부"
                ),
            ),
        ]
    );
}
