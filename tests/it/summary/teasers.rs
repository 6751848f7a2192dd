//! Teasers in the shape Korean news feeds publish (RSS `description` only, cut by the site), each
//! summary asserted whole: every cut mark, deck headlines run into the lede, notices, captions,
//! bylines, "▲" lists, comments, image tables, photo-only items and wire datelines.

use sokbo::config::SummaryStyle;
use sokbo::model::Post;
use sokbo::summary::{SummaryOptions, summarize};

/// An RSS item with only a description: feed-rs gives it as the excerpt, and the source uses it
/// as the body too.
fn teaser(title: &str, description: &str) -> Post {
    Post {
        title: title.to_owned(),
        excerpt: Some(description.to_owned()),
        body_html: Some(description.to_owned()),
        ..Post::default()
    }
}

fn summary_of(title: &str, description: &str) -> String {
    let opts = SummaryOptions {
        max_chars: 200,
        style: SummaryStyle::Sentences,
    };
    summarize(&teaser(title, description), &opts)
}

#[test]
fn every_cut_mark_ends_the_text_at_the_last_whole_sentence() {
    let lede = "정부가 내년도 예산안을 656조원 규모로 편성했다.";
    let cut =
        " 올해보다 3.2% 늘어난 것으로, 경기 둔화 우려 속에 재정 역할을 키우겠다는 의지로 보인";
    for mark in ["…", "...", "..", "···", "⋯", "‥", "[…]"] {
        let description = format!("{lede}{cut}{mark}");
        assert_eq!(
            summary_of("정부, 내년 예산 편성", &description),
            lede,
            "{mark}"
        );
    }
}

#[test]
fn a_cut_inside_a_tag_or_an_entity_is_a_cut() {
    assert_eq!(
        summary_of(
            "관세청, 일본과 회의",
            "관세청은 24일 일본 관세청과 회의를 열었다. 양국은 <b>전자상거래 협력</b>을 확대하기로 하고 <span style=\"col"
        ),
        "관세청은 24일 일본 관세청과 회의를 열었다."
    );
    assert_eq!(
        summary_of(
            "관세청, 일본과 회의",
            "관세청은 24일 일본 관세청과 회의를 열었다. 한&amp;일 양국은 &quo"
        ),
        "관세청은 24일 일본 관세청과 회의를 열었다."
    );
}

#[test]
fn two_sentences_before_the_cut_are_both_kept() {
    assert_eq!(
        summary_of(
            "삼성전자 3분기 영업이익 9조원",
            "삼성전자가 3분기 영업이익 9조원을 기록했다고 8일 공시했다. 시장 전망치를 웃도는 실적으로 반도체 \
             부문이 회복세를 보였다는 분석이 나온다. 특히 고대역폭메모리(HBM) 판매가.."
        ),
        "삼성전자가 3분기 영업이익 9조원을 기록했다고 8일 공시했다. 시장 전망치를 웃도는 실적으로 반도체 \
         부문이 회복세를 보였다는 분석이 나온다."
    );
}

#[test]
fn without_a_whole_sentence_the_teaser_is_cut_at_a_whole_word_with_one_mark() {
    assert_eq!(
        summary_of(
            "강남 아파트 화재",
            "서울 강남구 한 아파트 단지에서 불이 나 주민 수십 명이 대피하는 소동이 벌어졌는데 소방당국은 현장에 \
             출동해 진화 작업을 벌이···"
        ),
        "서울 강남구 한 아파트 단지에서 불이 나 주민 수십 명이 대피하는 소동이 벌어졌는데 소방당국은 현장에 \
         출동해 진화 작업을…"
    );
    assert_eq!(
        summary_of(
            "국무회의",
            "이재명 대통령은 19일 국무회의에서 “민생 회복을 위해 모든 역량을 집중하겠다”며 “추경 편성을 서둘러 \
             달라고 당부했..."
        ),
        "이재명 대통령은 19일 국무회의에서 “민생 회복을 위해 모든 역량을 집중하겠다”며…"
    );
    assert_eq!(
        summary_of(
            "국무회의",
            "정부는 19일 국무회의를 열고 추가경정예산안(추경 규모 30조원 이상을 검토…"
        ),
        "정부는 19일 국무회의를 열고 추가경정예산안…"
    );
}

#[test]
fn deck_headlines_run_into_the_lede_are_split_off() {
    assert_eq!(
        summary_of(
            "강릉시, 관광객 유치 총력",
            "강릉시, 여름 관광객 유치 총력…동해안 시장 공략“탁 트인 동해 바다를 보며 여름을 즐기세요.” 강릉시가 \
             올여름 관광객 500만명 유치를 목표로 대대적인 홍보에 나섰다. 시는 다음 달부터…"
        ),
        "“탁 트인 동해 바다를 보며 여름을 즐기세요.” 강릉시가 올여름 관광객 500만명 유치를 목표로 대대적인 \
         홍보에 나섰다."
    );
    assert_eq!(
        summary_of(
            "한국, 일본 꺾고 결승행",
            "한국 대표팀이 일본을 3-1로 따돌렸다.경기를 지켜본 관중들은 환호했다. 대표팀은 오는 20일 중국과…"
        ),
        "한국 대표팀이 일본을 3-1로 따돌렸다. 경기를 지켜본 관중들은 환호했다."
    );
}

#[test]
fn notices_captions_and_bylines_never_reach_the_summary() {
    assert_eq!(
        summary_of(
            "코스피 2,900 회복",
            "[본 기사는 06월 19일(15:23) 아시아경제 프라임에 보도 된 기사입니다] 코스피가 외국인 매수세에 힘입어 \
             2,900선을 회복했다. 19일 한국거래소에 따르면…"
        ),
        "코스피가 외국인 매수세에 힘입어 2,900선을 회복했다."
    );
    assert_eq!(
        summary_of(
            "추경 통과",
            "국회 본회의장 모습. /사진=연합뉴스 국회가 19일 본회의를 열고 추가경정예산안을 통과시켰다. 여야는 막판까지…"
        ),
        "국회가 19일 본회의를 열고 추가경정예산안을 통과시켰다."
    );
    assert_eq!(
        summary_of(
            "추경 통과",
            "[사진] 국회가 19일 본회의를 열고 추가경정예산안을 통과시켰다(사진=뉴스1). 여야는 막판까지…"
        ),
        "국회가 19일 본회의를 열고 추가경정예산안을 통과시켰다."
    );
    assert_eq!(
        summary_of(
            "추경 통과",
            "국회가 19일 본회의를 열고 추가경정예산안을 통과시켰다. 홍길동 기자(hong@example.com)"
        ),
        "국회가 19일 본회의를 열고 추가경정예산안을 통과시켰다."
    );
    assert_eq!(
        summary_of(
            "류현진 10승",
            "류현진이 시즌 10승을 달성했다. 류현진은 19일 대전에서 열린 경기에 선발 등판해 6이닝 무실점으로 \
             호투했다. OSEN(   )"
        ),
        "류현진이 시즌 10승을 달성했다. 류현진은 19일 대전에서 열린 경기에 선발 등판해 6이닝 무실점으로 호투했다."
    );
}

#[test]
fn link_lists_comments_and_image_tables_are_dropped() {
    assert_eq!(
        summary_of(
            "부동산 대책 발표",
            "정부가 부동산 대책을 발표했다. 수도권 공급을 늘리는 내용이 담겼다. ▲[단독] 강남 아파트값 또 올라 ▲집값 잡기 총력전"
        ),
        "정부가 부동산 대책을 발표했다. 수도권 공급을 늘리는 내용이 담겼다."
    );
    assert_eq!(
        summary_of(
            "부동산 대책 발표",
            "<!-- 기사 본문 시작 -->정부가 부동산 대책을 발표했다.<!--/기사 본문--> &lt;!-- ad --&gt;"
        ),
        "정부가 부동산 대책을 발표했다."
    );
    assert_eq!(
        summary_of(
            "류현진 10승",
            "<table><tr><td><img src='http://sports.example.com/photo.jpg' width=100></td></tr><tr><td>역투하는 \
             류현진</td></tr></table>류현진이 시즌 10승을 달성했다. 류현진은 선발 등판해…"
        ),
        "류현진이 시즌 10승을 달성했다."
    );
}

#[test]
fn a_photo_only_item_has_no_summary() {
    let table = "<table><tr><td><img src='http://sports.example.com/a.jpg'></td></tr><tr><td>[포토] \
                 봄꽃 만개한 여의도</td></tr></table>";
    assert_eq!(summary_of("[포토] 봄꽃 만개한 여의도", table), "");
    let image = "<p><img src=\"https://img.example.com/b.jpg\" alt=\"봄꽃\"></p>";
    assert_eq!(summary_of("[포토] 봄꽃 만개한 여의도", image), "");
    assert_eq!(
        summary_of("[포토] 봄꽃 만개한 여의도", "[포토] 봄꽃 만개한 여의도"),
        ""
    );
}

#[test]
fn wire_datelines_with_dates_are_stripped() {
    assert_eq!(
        summary_of(
            "Exports rise",
            "SEOUL, Dec 1 (Reuters) - South Korea's exports rose 5% in November, data showed on Monday."
        ),
        "South Korea's exports rose 5% in November, data showed on Monday."
    );
    assert_eq!(
        summary_of(
            "코스피 상승",
            "[서울=뉴시스] 2025.06.19 14:00 홍길동 김철수 기자 = 코스피가 19일 2% 넘게 올랐다."
        ),
        "코스피가 19일 2% 넘게 올랐다."
    );
    assert_eq!(
        summary_of(
            "연준 금리 동결",
            "(워싱턴=연합뉴스) 홍길동 특파원 = 미국 연준이 18일(현지시간) 기준금리를 동결했다."
        ),
        "미국 연준이 18일(현지시간) 기준금리를 동결했다."
    );
}

#[test]
fn teasers_are_told_from_full_posts() {
    let cut = teaser(
        "제목",
        "정부가 예산안을 편성했다. 올해보다 늘어난 것으로 보인···",
    );
    let short = teaser("제목", "정부가 예산안을 편성했다.");
    let long_text = "정부가 내년도 예산안을 656조원 규모로 편성했다. ".repeat(30);
    let long = teaser("제목", &long_text);
    let with_content = Post {
        body_html: Some("<p>본문 전체.</p>".into()),
        ..teaser("제목", "정부가 예산안을 편성했다.")
    };
    let nothing = Post::default();
    let verdicts: Vec<bool> = [&cut, &short, &long, &with_content, &nothing]
        .iter()
        .map(|p| sokbo::summary::is_teaser(p))
        .collect();
    assert_eq!(verdicts, [true, true, false, false, true]);
}
