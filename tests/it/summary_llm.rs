//! The abstractive mode against a fake OpenAI-compatible endpoint on 127.0.0.1: good answers are
//! cleaned and used; errors, timeouts, over-long and unfinished answers fall back to the extractive
//! summary.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::{Value, json};
use sokbo::config::SummaryStyle;
use sokbo::model::Post;
use sokbo::summary::llm::{AnswerError, LlmError, LlmSummarizer, SummaryConfig};
use sokbo::summary::{SummaryOptions, summarize};

use crate::summary::fixture;

#[derive(Clone)]
enum Reply {
    Answer(String),
    Status(u16),
    /// Never answers.
    Hang,
}

/// What the fake saw: the Authorization header and the JSON body of each request.
type Seen = Arc<Mutex<Vec<(Option<String>, Value)>>>;

#[derive(Clone)]
struct Fake {
    reply: Reply,
    seen: Seen,
}

async fn completions(State(fake): State<Fake>, headers: HeaderMap, body: String) -> Response {
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let request = serde_json::from_str(&body).unwrap_or(Value::Null);
    fake.seen.lock().expect("lock").push((auth, request));
    match fake.reply {
        Reply::Answer(content) => {
            let reply = json!({
                "id": "chatcmpl-1",
                "object": "chat.completion",
                "choices": [{
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop"
                }]
            });
            (
                [(header::CONTENT_TYPE, "application/json")],
                reply.to_string(),
            )
                .into_response()
        }
        Reply::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            (status, "{\"error\":{\"message\":\"boom\"}}").into_response()
        }
        Reply::Hang => std::future::pending::<Response>().await,
    }
}

/// Starts a fake endpoint; returns its "/v1" base URL and what it sees.
async fn start(reply: Reply) -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = axum::Router::new()
        .route("/v1/chat/completions", post(completions))
        .with_state(Fake {
            reply,
            seen: seen.clone(),
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move { axum::serve(listener, app).await });
    (format!("http://{addr}/v1"), seen)
}

fn summarizer(url: &str, timeout: Duration) -> LlmSummarizer {
    let config = SummaryConfig {
        llm_url: url.to_owned(),
        model: "test-model".into(),
        timeout,
        ..SummaryConfig::default()
    };
    LlmSummarizer::from_parts(&config, reqwest::Client::new(), Some("test-key".into()))
        .expect("summarizer")
}

const SEED: &str = "seed_000_fc95c76552527bf6.md";
const LONG: Duration = Duration::from_secs(30);

fn opts(style: SummaryStyle) -> SummaryOptions {
    SummaryOptions {
        max_chars: 200,
        style,
    }
}

#[tokio::test]
async fn good_answer_is_used_and_the_prompt_asks_for_korean() {
    let answer = "한-일 관세청장 회의가 7년 만에 재개됐다. 양국은 전자상거래와 RCEP 활용, 불법 거래 차단에 협력하기로 했다.";
    let (url, seen) = start(Reply::Answer(answer.into())).await;
    let post = fixture::load(SEED);
    let got = summarizer(&url, LONG)
        .summarize(&post, &opts(SummaryStyle::Sentences))
        .await;
    assert_eq!(got, answer);

    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 1);
    let (auth, request) = &seen[0];
    assert_eq!(auth.as_deref(), Some("Bearer test-key"));
    assert_eq!(request["model"], "test-model");
    assert_eq!(request["stream"], false);
    assert_eq!(request["messages"][0]["role"], "system");
    let system = request["messages"][0]["content"].as_str().unwrap_or("");
    assert!(
        system.contains("한국어로") && system.contains("200자"),
        "{system}"
    );
    let user = request["messages"][1]["content"].as_str().unwrap_or("");
    assert!(
        user.starts_with(
            "제목: 관세청 회의 재개 한일 협력 강화 소식!\n요약: 한-일 관세청장 회의가"
        )
    );
    assert!(!user.contains('<') && !user.contains("&nbsp;"));
}

#[tokio::test]
async fn server_error_falls_back() {
    let (url, _) = start(Reply::Status(500)).await;
    let post = fixture::load(SEED);
    let s = summarizer(&url, LONG);
    let o = opts(SummaryStyle::Sentences);
    assert_eq!(s.summarize(&post, &o).await, summarize(&post, &o));
    assert!(matches!(
        s.try_summarize(&post, &o).await,
        Err(LlmError::Status(500))
    ));
}

#[tokio::test]
async fn endpoint_that_never_answers_falls_back_after_the_timeout() {
    let (url, seen) = start(Reply::Hang).await;
    let post = fixture::load(SEED);
    let s = summarizer(&url, Duration::from_millis(300));
    let o = opts(SummaryStyle::Sentences);
    assert_eq!(s.summarize(&post, &o).await, summarize(&post, &o));
    assert!(matches!(
        s.try_summarize(&post, &o).await,
        Err(LlmError::Timeout(_))
    ));
    assert_eq!(seen.lock().expect("lock").len(), 2);
}

#[tokio::test]
async fn over_long_answer_falls_back() {
    let long = "한-일 관세청장 회의가 7년 만에 재개됐다. ".repeat(12);
    let (url, _) = start(Reply::Answer(long)).await;
    let post = fixture::load(SEED);
    let s = summarizer(&url, LONG);
    let o = opts(SummaryStyle::Sentences);
    assert_eq!(s.summarize(&post, &o).await, summarize(&post, &o));
    assert!(matches!(
        s.try_summarize(&post, &o).await,
        Err(LlmError::Answer(AnswerError::TooLong {
            chars: 299,
            max: 200
        }))
    ));
}

#[tokio::test]
async fn unfinished_answer_falls_back() {
    let (url, _) = start(Reply::Answer(
        "한-일 관세청장 회의가 7년 만에 재개돼 양국 간 교".into(),
    ))
    .await;
    let post = fixture::load(SEED);
    let s = summarizer(&url, LONG);
    let o = opts(SummaryStyle::Sentences);
    assert_eq!(s.summarize(&post, &o).await, summarize(&post, &o));
    assert!(matches!(
        s.try_summarize(&post, &o).await,
        Err(LlmError::Answer(AnswerError::Incomplete))
    ));
}

#[tokio::test]
async fn markdown_answer_is_cleaned() {
    let answer = "## 요약\n\n**요약:** 한-일 관세청장 회의가 *7년* 만에 재개됐다. [관세청](https://www.customs.go.kr)은 &lt;RCEP&gt; 협력을 강화한다.";
    let (url, _) = start(Reply::Answer(answer.into())).await;
    let post = fixture::load(SEED);
    let got = summarizer(&url, LONG)
        .summarize(&post, &opts(SummaryStyle::Sentences))
        .await;
    assert_eq!(
        got,
        "한-일 관세청장 회의가 7년 만에 재개됐다. 관세청은 협력을 강화한다."
    );
}

#[tokio::test]
async fn numbered_answer_becomes_bullet_lines() {
    let answer = "1. 한-일 관세청장 회의가 7년 만에 재개됐다.\n2. 양국은 전자상거래 협력을 늘린다.\n3. 마약 밀수 단속도 함께한다.";
    let (url, _) = start(Reply::Answer(answer.into())).await;
    let post = fixture::load(SEED);
    let got = summarizer(&url, LONG)
        .summarize(&post, &opts(SummaryStyle::Lines))
        .await;
    assert_eq!(
        got,
        "• 한-일 관세청장 회의가 7년 만에 재개됐다.\n• 양국은 전자상거래 협력을 늘린다.\n• 마약 밀수 단속도 함께한다."
    );
}

#[tokio::test]
async fn english_post_gets_an_english_prompt() {
    let (url, seen) = start(Reply::Answer(
        "The Fed signalled patience on rate cuts.".into(),
    ))
    .await;
    let post = fixture::load("en_abbreviations.md");
    let got = summarizer(&url, LONG)
        .summarize(&post, &opts(SummaryStyle::Lines))
        .await;
    assert_eq!(got, "• The Fed signalled patience on rate cuts.");
    let seen = seen.lock().expect("lock").clone();
    let system = seen[0].1["messages"][0]["content"].as_str().unwrap_or("");
    assert!(
        system.contains("in English") && !system.contains("한국어"),
        "{system}"
    );
}

#[tokio::test]
async fn without_an_url_the_extractive_summary_is_used() {
    let config = SummaryConfig::default();
    let s = LlmSummarizer::new(&config).expect("summarizer");
    assert!(!s.enabled());
    let post = Post {
        title: "제목".into(),
        excerpt: Some("관세청은 회의를 열었다.".into()),
        ..Post::default()
    };
    let o = opts(SummaryStyle::Sentences);
    assert_eq!(s.summarize(&post, &o).await, "관세청은 회의를 열었다.");
    assert!(matches!(
        s.try_summarize(&post, &o).await,
        Err(LlmError::Off)
    ));
}
