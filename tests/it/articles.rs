//! Article pages for full-text summaries: fixture pages (UTF-8 and EUC-KR, with navigation, ads,
//! related-article lists, comments, bylines and copyright lines) extracted, their text asserted
//! whole; and the pipeline fetching them from the fake feed server, falling back to the teaser
//! summary when a page is slow, huge, not HTML or a redirect loop.

mod pipeline;
mod preview;

use std::path::Path;

use sokbo::config::SummaryStyle;
use sokbo::model::Post;
use sokbo::pipeline::with_page;
use sokbo::source::article::extract;
use sokbo::summary::{SummaryOptions, plain_text, summarize};

pub fn fixture_text(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/articles")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The EUC-KR page, encoded as the site serves it.
pub fn broadcast_euc_kr() -> Vec<u8> {
    let text = fixture_text("ko_broadcast.euckr.utf8.html");
    let (bytes, _, unmappable) = encoding_rs::EUC_KR.encode(&text);
    assert!(!unmappable);
    bytes.into_owned()
}

pub const DAILY_TEASER: &str = "서울 지하철 2호선이 22일 오전 신호 장애로 최대 20분가량 지연 운행돼 출근길 시민들이 큰 불편을 겪…";

pub fn teaser_post(link: &str, description: &str) -> Post {
    Post {
        key: sokbo::model::PostKey(link.to_owned()),
        title: "서울 지하철 2호선 신호 장애로 출근길 지연".into(),
        link: Some(link.to_owned()),
        excerpt: Some(description.to_owned()),
        body_html: Some(description.to_owned()),
        ..Post::default()
    }
}

pub fn opts() -> SummaryOptions {
    SummaryOptions {
        max_chars: 200,
        style: SummaryStyle::Sentences,
    }
}

const DAILY_URL: &str = "https://news.hanbit.example/a/100";
const BROADCAST_URL: &str = "https://news.nuri.example/n/1";

pub const DAILY_TEXT: &str = "사회 > 교통 강남역 인근 신호 설비 고장…최대 20분 늦어져 서울 지하철 2호선이 22일 \
     오전 신호 장애로 최대 20분가량 지연 운행돼 출근길 시민들이 큰 불편을 겪었다. 서울교통공사는 오전 7시 40분께 \
     강남역 인근 신호 설비에서 장애가 발생했다고 밝혔다. 이 여파로 내선과 외선 열차가 잇따라 서행 운행했고, 일부 \
     역에서는 승강장에 승객이 몰려 안전요원이 출입을 통제하기도 했다. 광고 공사는 오전 8시 30분께 복구를 마쳤으며, \
     정확한 원인을 조사하고 있다. 공사 관계자는 \"승객 여러분께 불편을 드려 죄송하다\"며 \"노후 설비를 조기에 \
     교체하겠다\"고 말했다. 시민들은 지연 안내가 늦었다고 지적했다. 신림역에서 출근하던 회사원 이모(34)씨는 \
     \"열차가 멈춘 뒤 10분이 지나서야 안내 방송이 나왔다\"고 말했다. 2호선에서는 올해 들어 신호 장애가 세 차례 \
     발생했다. 서울시는 연말까지 2호선 신호 체계 개량 사업을 마무리할 계획이다. 김민수 기자 minsu@hanbit.example \
     ⓒ 한빛일보, 무단전재 및 재배포 금지";

pub const DAILY_SUMMARY: &str = "서울 지하철 2호선이 22일 오전 신호 장애로 최대 20분가량 지연 운행돼 출근길 \
     시민들이 큰 불편을 겪었다. 서울교통공사는 오전 7시 40분께 강남역 인근 신호 설비에서 장애가 발생했다고 밝혔다.";

pub const BROADCAST_TEXT: &str = "[앵커] 2025 부산 세계탁구선수권대회가 16일 벡스코에서 개막했습니다. [리포트] \
     2025 부산 세계탁구선수권대회가 16일 벡스코에서 개막했다. 이번 대회에는 역대 최대인 120개국 선수 2천여 명이 \
     참가해 25일까지 열전을 벌인다. 한국 대표팀은 남녀 단체전에서 모두 메달을 노린다. 대표팀 감독은 \"안방에서 \
     열리는 대회인 만큼 최선을 다하겠다\"고 말했다. 부산시는 대회 기간 경기장 주변 교통을 통제하고 셔틀버스를 \
     운행한다. 입장권은 대회 홈페이지에서 살 수 있다. 누리방송 뉴스 박지영입니다. 저작권자 ⓒ 누리방송. 무단전재 및 \
     재배포 금지";

pub const BROADCAST_TEASER: &str = "2025 부산 세계탁구선수권대회가 16일 벡스코에서 개막했다. 이번 대회에는 역대 \
     최대인 120개국 선수 2천여 명이 참가해 25일까...";

pub const BROADCAST_SUMMARY: &str = "2025 부산 세계탁구선수권대회가 16일 벡스코에서 개막했다. 이번 대회에는 역대 \
     최대인 120개국 선수 2천여 명이 참가해 25일까지 열전을 벌인다.";

#[test]
fn utf8_page_gives_its_article_text_and_og_image() {
    let html = fixture_text("ko_daily.html");
    let page = extract(html.as_bytes(), Some("text/html; charset=utf-8"), DAILY_URL).unwrap();
    assert_eq!(plain_text(&page.html), DAILY_TEXT);
    assert_eq!(
        page.image.as_deref(),
        Some("https://news.hanbit.example/photo/2026/11/22/subway.jpg")
    );
    let post = with_page(&teaser_post(DAILY_URL, DAILY_TEASER), page);
    assert_eq!(summarize(&post, &opts()), DAILY_SUMMARY);
}

#[test]
fn euc_kr_page_is_decoded_by_its_meta_charset_or_the_header() {
    let bytes = broadcast_euc_kr();
    for content_type in [Some("text/html"), Some("text/html; charset=cp949"), None] {
        let page = extract(&bytes, content_type, BROADCAST_URL).unwrap();
        assert_eq!(plain_text(&page.html), BROADCAST_TEXT, "{content_type:?}");
        assert_eq!(
            page.image.as_deref(),
            Some("https://img.nuri.example/news/2026/0216/table-tennis.jpg")
        );
    }
    let page = extract(&bytes, None, BROADCAST_URL).unwrap();
    let post = with_page(&teaser_post(BROADCAST_URL, BROADCAST_TEASER), page);
    assert_eq!(summarize(&post, &opts()), BROADCAST_SUMMARY);
}

#[test]
fn without_a_teaser_the_summary_is_whole_sentences_of_the_article() {
    let html = fixture_text("ko_daily.html");
    let page = extract(html.as_bytes(), Some("text/html"), DAILY_URL).unwrap();
    let mut post = with_page(&teaser_post(DAILY_URL, ""), page);
    post.excerpt = None;
    assert_eq!(summarize(&post, &opts()), DAILY_SUMMARY);
}

#[test]
fn portal_page_loses_its_photo_caption_menus_and_comments() {
    let html = fixture_text("ko_portal.html");
    let url = "https://n.news.portal.example/mnews/article/001/0015000001";
    let page = extract(html.as_bytes(), Some("text/html;charset=UTF-8"), url).unwrap();
    assert_eq!(
        plain_text(&page.html),
        "(서울=연합뉴스) 홍길동 기자 = 한국은행이 27일 기준금리를 연 3.25%로 동결했다. 한은 \
         금융통화위원회는 이날 통화정책방향 회의를 열고 기준금리를 현 수준에서 유지하기로 했다. 지난 10월에 \
         이어 두 차례 연속 동결이다. 한은은 \"물가 상승률이 목표 수준으로 둔화하는지 더 확인할 필요가 \
         있다\"며 \"가계부채 증가세도 여전히 경계해야 한다\"고 설명했다. 시장에서는 한은이 내년 상반기 중 \
         금리 인하에 나설 것이라는 전망이 우세하다. gildong@yna.co.kr 기사제공 연합뉴스 Copyright ⓒ \
         연합뉴스. All rights reserved. 무단 전재-재배포, AI 학습 및 활용 금지."
    );
    let expected = "한국은행이 27일 기준금리를 연 3.25%로 동결했다. 한은 금융통화위원회는 이날 \
         통화정책방향 회의를 열고 기준금리를 현 수준에서 유지하기로 했다.";
    let teaser = "(서울=연합뉴스) 홍길동 기자 = 한국은행이 27일 기준금리를 연 3.25%로 동결했다. 한은 \
         금융통화위원회는 이날 통화정책방향 회의를 열고…";
    let post = with_page(&teaser_post(url, teaser), page.clone());
    assert_eq!(summarize(&post, &opts()), expected);
    let mut post = with_page(&teaser_post(url, ""), page);
    post.excerpt = None;
    assert_eq!(summarize(&post, &opts()), expected);
}
