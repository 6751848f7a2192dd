//! Summaries of the fixture posts (tests/fixtures/summary), asserted whole, and plain_text.

mod edge;
/// Also loads the posts for `summary_llm`.
pub(crate) mod fixture;
mod props;
mod teasers;

use sokbo::config::SummaryStyle::{self, Lines, Sentences};
use sokbo::summary::{SummaryOptions, plain_text, summarize};

fn summary(name: &str, max_chars: usize, style: SummaryStyle) -> String {
    summarize(&fixture::load(name), &SummaryOptions { max_chars, style })
}

const SEED: &str = "seed_000_fc95c76552527bf6.md";

#[test]
fn seed_is_one_whole_sentence_about_the_resumed_meeting() {
    let s = summary(SEED, 200, Sentences);
    assert_eq!(
        s,
        "이번 한-일 관세청장 회의는 지난 2016년 이후 7년 만에 진행되었으며, 양국 간의 교역 활성화와 \
         불법 거래 차단을 위한 협력이 주된 목표로 삼고 있습니다."
    );
    assert!(s.chars().count() <= 200 && !s.contains('…'));
}

#[test]
fn seed_as_three_lines() {
    assert_eq!(
        summary(SEED, 200, Lines),
        "• 이번 한-일 관세청장 회의는 지난 2016년 이후 7년 만에 진행되었으며, 양국 간의 교역 활성화와 \
         불법 거래 차단을 위한 협력이 주된 목표로 삼고 있습니다.\n\
         • 이번 회의에서는 양국의 관련 제도 및 경험을 공유하고 지속적으로 협력하기로 하였습니다.\n\
         • 이번 한-일 관세청장 회의는 양국 간의 무역 및 세관 협력의 중요한 전환점이 될 것입니다."
    );
}

#[test]
fn seed_with_a_small_budget_takes_the_central_sentence_that_fits() {
    assert_eq!(
        summary(SEED, 80, Sentences),
        "이번 한-일 관세청장 회의는 양국 간의 무역 및 세관 협력의 중요한 전환점이 될 것입니다."
    );
}

#[test]
fn seed_feature_text_loses_its_tagline_heading() {
    let post = fixture::load(SEED);
    assert_eq!(
        plain_text(post.feature_text.as_deref().unwrap_or_default()),
        "whereispost 실시간 뉴스 속보입니다. 한-일 관세청장 회의가 7년 만에 재개돼 전자상거래무역 및 \
         역내포괄적경제동반자협정 활성화를 통한 양국 간 교…"
    );
}

#[test]
fn truncated_excerpt_is_completed_from_the_body() {
    assert_eq!(
        summary("ko_truncated_excerpt.md", 200, Sentences),
        "서울 지하철 2호선이 22일 오전 신호 장애로 최대 20분가량 지연 운행돼 출근길 시민들이 큰 불편을 \
         겪었다. 서울교통공사는 오전 7시 40분께 강남역 인근 신호 설비에서 장애가 발생했다고 밝혔다."
    );
    assert_eq!(
        summary("ko_truncated_excerpt.md", 80, Sentences),
        "서울 지하철 2호선이 22일 오전 신호 장애로 최대 20분가량 지연 운행돼 출근길 시민들이 큰 불편을 겪었다."
    );
}

#[test]
fn unterminated_excerpt_is_completed_from_the_body() {
    assert_eq!(
        summary("ko_unterminated_excerpt.md", 200, Sentences),
        "2025 부산 세계탁구선수권대회가 16일 벡스코에서 개막했다. 이번 대회에는 역대 최대인 120개국 선수 \
         2천여 명이 참가해 25일까지 열전을 벌인다."
    );
}

#[test]
fn missing_excerpt_takes_central_sentences() {
    assert_eq!(
        summary("ko_missing_excerpt.md", 200, Sentences),
        "한국은행 금융통화위원회는 21일 통화정책방향 회의를 열고 기준금리를 연 3.50%로 동결했다. \
         시장에서는 한국은행이 다음 회의에서 기준금리를 인하할 가능성이 있다고 본다."
    );
    assert_eq!(
        summary("ko_missing_excerpt.md", 200, Lines),
        "• 한국은행 금융통화위원회는 21일 통화정책방향 회의를 열고 기준금리를 연 3.50%로 동결했다.\n\
         • 이창용 한국은행 총재는 기자간담회에서 \"가계부채와 환율 흐름을 보며 금리 인하 시점을 판단하겠다\"고 말했다.\n\
         • 시장에서는 한국은행이 다음 회의에서 기준금리를 인하할 가능성이 있다고 본다."
    );
}

#[test]
fn boilerplate_only_excerpt_falls_back_to_the_body() {
    assert_eq!(
        summary("ko_boilerplate_excerpt.md", 200, Sentences),
        "기상청은 목요일인 내일 전국에 비가 내리겠다고 예보했다. 기상청은 비가 그친 뒤 기온이 크게 \
         떨어지겠다며 건강 관리에 유의해 달라고 당부했다."
    );
    assert_eq!(
        summary("ko_boilerplate_excerpt.md", 80, Lines),
        "• 기상청은 목요일인 내일 전국에 비가 내리겠다고 예보했다.\n• 남부 지방에는 최대 80㎜ 이상의 많은 비가 예상된다."
    );
}

#[test]
fn feature_text_stands_in_for_a_missing_excerpt() {
    assert_eq!(
        summary("ko_feature_text.md", 200, Sentences),
        "국립중앙박물관은 올해 누적 관람객이 400만 명을 넘어 개관 이래 최다 기록을 세웠다고 밝혔다. \
         박물관은 연말까지 야간 개장을 이어간다."
    );
}

#[test]
fn entities_and_double_encoded_html_are_decoded() {
    assert_eq!(
        summary("ko_html_entities.html", 200, Lines),
        "• 정부가 “반도체 특별법” 시행령을 확정했다.\n\
         • 시행령은 연구개발 인력의 주 52시간 예외 적용 범위를 정했다.\n\
         • 산업통상자원부는 ‘첨단산업 경쟁력 강화’를 위해 세액공제 & 보조금 지원도 늘린다고 밝혔다."
    );
}

#[test]
fn markdown_excerpt_loses_its_syntax_and_marker() {
    assert_eq!(
        summary("ko_markdown_excerpt.md", 200, Sentences),
        "기상청은 23일 오후 중부지방에 호우경보를 발령했다. 시간당 최대 50mm의 매우 강한 비가 내리고 있다."
    );
}

#[test]
fn numbers_and_dates_do_not_split_sentences() {
    assert_eq!(
        summary("ko_numbers.md", 200, Lines),
        "• 코스피가 24일 1.8% 오른 2,650.12에 마감했다.\n• 외국인은 3.5조 원어치를 순매수했다.\n\
         • 발표일은 2024. 11. 24. 오후였다."
    );
}

#[test]
fn quotes_end_sentences_only_when_closed() {
    assert_eq!(
        summary("ko_quotes.md", 200, Lines),
        "• 국토교통부 장관은 “전세사기 피해자를 끝까지 돕겠다.”라고 말했다.\n• “피해 주택 매입을 늘리겠다.”\n\
         • 장관은 ‘보증금 반환이 먼저다.’고 강조했다.’"
    );
    assert_eq!(
        summary("ko_quotes.md", 80, Sentences),
        "국토교통부 장관은 “전세사기 피해자를 끝까지 돕겠다.”라고 말했다. “피해 주택 매입을 늘리겠다.”"
    );
}

#[test]
fn one_long_sentence_is_cut_at_a_clause() {
    assert_eq!(
        summary("ko_long_sentence.md", 200, Sentences),
        "정부는 내년도 예산안을 올해보다 3.2% 늘어난 677조 4천억 원 규모로 편성해 국회에 제출했으며, \
         저출산 대응과 연구개발, 취약계층 지원, 지역 균형발전, 국방력 강화 분야에 재원을 집중 배분하고 \
         부처별 재량지출은 강도 높은 구조조정을 거쳐 전년 대비 23조 원가량 줄였다고 기획재정부가 밝혔는데…"
    );
    assert_eq!(
        summary("ko_long_sentence.md", 80, Lines),
        "• 정부는 내년도 예산안을 올해보다 3.2% 늘어난 677조 4천억 원 규모로 편성해 국회에 제출했으며, \
         저출산 대응과 연구개발…"
    );
}

#[test]
fn title_repeated_in_excerpt_is_dropped() {
    assert_eq!(
        summary("ko_title_repeated.md", 200, Sentences),
        "경기 남부 지역에 시간당 5㎝ 안팎의 눈이 내리면서 경부고속도로 등 주요 도로에서 극심한 정체가 빚어지고 있다."
    );
}

#[test]
fn short_excerpt_continues_with_the_body() {
    assert_eq!(
        summary("ko_short_excerpt.md", 200, Sentences),
        "정부가 전기요금을 동결했다. 산업통상자원부와 한국전력은 4분기 연료비조정단가를 현재와 같은 \
         kWh당 5원으로 유지한다고 밝혔다."
    );
}

#[test]
fn credits_captions_and_contacts_are_removed() {
    assert_eq!(
        summary("ko_boilerplate_body.html", 200, Sentences),
        "인천국제공항공사는 지난달 입국객이 450만 명으로 개항 이후 월간 최다를 기록했다고 14일 밝혔다. \
         공사는 겨울 성수기를 앞두고 보안검색 인력을 늘릴 계획이다."
    );
}

#[test]
fn particles_do_not_hide_a_repeated_entity() {
    assert_eq!(
        summary("ko_particles.md", 200, Lines),
        "• 해양경찰청은 서해 북방한계선 인근에서 중국 어선의 불법조업 단속을 강화한다고 밝혔다.\n\
         • 해양경찰청의 단속 함정은 하루 평균 12척에서 20척으로 늘어난다.\n\
         • 해양경찰청이 단속한 불법조업 어선은 지난해 150척이었다."
    );
    assert_eq!(
        summary("ko_particles.md", 80, Lines),
        "• 해양경찰청은 서해 북방한계선 인근에서 중국 어선의 불법조업 단속을 강화한다고 밝혔다."
    );
}

#[test]
fn english_abbreviations_and_dateline() {
    assert_eq!(
        summary("en_abbreviations.md", 200, Lines),
        "• Dr. Lisa Cook, a U.S. Federal Reserve governor, said on Tuesday that No. 1 priority for the \
         central bank was bringing inflation back to 2.0% without hurting jobs.\n\
         • She spoke at 9 a.m. in New York."
    );
}

#[test]
fn english_feed_description_without_title_and_footer() {
    assert_eq!(
        summary("en_feed_description.html", 200, Sentences),
        "Apple Inc. and Google agreed on Monday to settle a four-year dispute over app store fees, the \
         companies said in a joint statement. Terms weren’t disclosed."
    );
    assert_eq!(
        summary("en_feed_description.html", 80, Sentences),
        "Apple Inc. and Google agreed on Monday to settle a four-year dispute over app…"
    );
}

#[test]
fn english_long_sentence_is_cut_at_a_comma() {
    assert_eq!(
        summary("en_long_sentence.md", 200, Sentences),
        "A powerful nor'easter knocked out electricity to more than 600,000 homes and businesses across \
         New England and upstate New York on Thursday, toppling trees onto power lines, flooding coastal roads…"
    );
}

#[test]
fn english_markdown_lists_and_quotes() {
    assert_eq!(
        summary("en_markdown.md", 200, Lines),
        "• The city council voted 7-2 on Tuesday to approve 40 miles of protected bike lanes.\n\
         • Construction starts in March.\n• The plan costs $12 million — paid by a federal grant."
    );
}
