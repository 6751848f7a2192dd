//! The abstractive mode's pure half: the chat prompt for a post (Korean for Korean posts) and the
//! check of an answer (cleaned of markup and labels; whole sentences within the budget).

use serde::Serialize;

use super::{SummaryOptions, clean, fit, sentences};
use crate::config::SummaryStyle;
use crate::model::Post;

/// Characters of the post's body put into the prompt at most.
const MAX_BODY_CHARS: usize = 6000;

/// One chat message.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Message {
    pub role: &'static str,
    pub content: String,
}

/// Why an answer is not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("the answer is empty")]
    Empty,
    #[error("the answer is {chars} characters, over the budget of {max}")]
    TooLong { chars: usize, max: usize },
    #[error("the answer does not end in a whole sentence")]
    Incomplete,
}

/// True when most letters of the post are Hangul.
pub(crate) fn is_korean(post: &Post) -> bool {
    let sample = format!(
        "{} {} {}",
        post.title,
        post.excerpt.as_deref().unwrap_or(""),
        post.body_html.as_deref().unwrap_or("")
    );
    let (mut hangul, mut other) = (0usize, 0usize);
    for c in super::plain_text(&sample)
        .chars()
        .filter(|c| c.is_alphabetic())
    {
        if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
            hangul += 1;
        } else {
            other += 1;
        }
    }
    hangul > 0 && hangul * 2 >= other
}

/// The system and user messages asking for a summary of `post`.
pub(crate) fn messages(post: &Post, opts: &SummaryOptions) -> Vec<Message> {
    let korean = is_korean(post);
    let limit = match opts.style {
        SummaryStyle::Sentences => opts.max_chars,
        SummaryStyle::Lines => opts.max_chars.saturating_sub(8),
    };
    let system = match (korean, opts.style) {
        (true, SummaryStyle::Sentences) => format!(
            "당신은 속보 알림의 요약문을 쓰는 뉴스 편집자입니다. 주어진 기사를 한국어로 요약하세요. \
             공백을 포함해 {limit}자 이내로, 완결된 문장으로만 쓰세요. 제목을 되풀이하지 말고, \
             마크다운이나 머리말 없이 요약문만 출력하세요."
        ),
        (true, SummaryStyle::Lines) => format!(
            "당신은 속보 알림의 요약문을 쓰는 뉴스 편집자입니다. 주어진 기사를 한국어로 세 줄 이내로 \
             요약하세요. 각 줄은 하나의 완결된 문장이고, 전체는 공백을 포함해 {limit}자 이내입니다. \
             글머리 기호나 마크다운 없이 줄바꿈으로만 구분해 요약문만 출력하세요."
        ),
        (false, SummaryStyle::Sentences) => format!(
            "You write the summary line of a breaking-news alert. Summarize the article in English \
             in at most {limit} characters, in complete sentences. Do not repeat the title. Output \
             only the summary, with no markdown and no preamble."
        ),
        (false, SummaryStyle::Lines) => format!(
            "You write the summary of a breaking-news alert. Summarize the article in English in at \
             most three lines, each one complete sentence, {limit} characters in all. Separate the \
             lines with newlines only: no bullets, no markdown, no preamble."
        ),
    };
    let body: String = super::plain_text(post.body_html.as_deref().unwrap_or(""))
        .chars()
        .take(MAX_BODY_CHARS)
        .collect();
    let excerpt = super::plain_text(post.excerpt.as_deref().unwrap_or(""));
    let user = if korean {
        format!("제목: {}\n요약: {excerpt}\n본문: {body}", post.title)
    } else {
        format!("Title: {}\nExcerpt: {excerpt}\nBody: {body}", post.title)
    };
    vec![
        Message {
            role: "system",
            content: system,
        },
        Message {
            role: "user",
            content: user,
        },
    ]
}

/// The answer made into a summary: markup, bullets and a leading "요약:"/"Summary:" label
/// removed; every line whole sentences; within the budget in `opts.style`.
pub(crate) fn accept(answer: &str, opts: &SummaryOptions) -> Result<String, AnswerError> {
    let mut lines: Vec<String> = clean::blocks(answer)
        .into_iter()
        .filter(|b| !b.heading)
        .map(|b| b.lines.join(" "))
        .collect();
    if let Some(first) = lines.first_mut() {
        *first = without_label(first).to_owned();
    }
    lines.retain(|l| !l.is_empty());
    if lines.is_empty() {
        return Err(AnswerError::Empty);
    }
    if lines.iter().any(|l| !sentences::is_terminated(l)) {
        return Err(AnswerError::Incomplete);
    }
    let pieces: Vec<String> = match opts.style {
        SummaryStyle::Sentences => vec![lines.join(" ")],
        SummaryStyle::Lines if lines.len() == 1 => sentences::split(&lines[0])
            .into_iter()
            .map(str::to_owned)
            .collect(),
        SummaryStyle::Lines => lines,
    };
    if opts.style == SummaryStyle::Lines && pieces.len() > 3 {
        return Err(AnswerError::TooLong {
            chars: answer.chars().count(),
            max: opts.max_chars,
        });
    }
    let text = fit::render(&pieces, opts.style);
    let chars = text.chars().count();
    if chars > opts.max_chars {
        return Err(AnswerError::TooLong {
            chars,
            max: opts.max_chars,
        });
    }
    Ok(text)
}

/// `line` without a leading "요약:", "3줄 요약:", "Summary:" label.
fn without_label(line: &str) -> &str {
    let Some(colon) = line.find([':', '：']) else {
        return line;
    };
    let label = line[..colon].to_lowercase();
    let is_label =
        label.chars().count() <= 12 && (label.contains("요약") || label.contains("summary"));
    if is_label {
        line[colon..].trim_start_matches([':', '：']).trim_start()
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts(max_chars: usize, style: SummaryStyle) -> SummaryOptions {
        SummaryOptions { max_chars, style }
    }

    #[test]
    fn accepts_clean_whole_sentences() {
        let o = opts(100, SummaryStyle::Sentences);
        assert_eq!(
            accept(
                "**요약:** 회의가 *7년* 만에 재개됐다.\n\n양국은 협력을 강화한다.",
                &o
            ),
            Ok("회의가 7년 만에 재개됐다. 양국은 협력을 강화한다.".to_owned())
        );
        assert_eq!(
            accept("- 첫째다.\n- 둘째다.", &opts(100, SummaryStyle::Lines)),
            Ok("• 첫째다.\n• 둘째다.".to_owned())
        );
        assert_eq!(
            accept("첫째다. 둘째다.", &opts(100, SummaryStyle::Lines)),
            Ok("• 첫째다.\n• 둘째다.".to_owned())
        );
    }

    #[test]
    fn rejects_empty_cut_and_long_answers() {
        let o = opts(20, SummaryStyle::Sentences);
        assert_eq!(accept("  \n## 요약\n", &o), Err(AnswerError::Empty));
        assert_eq!(accept("회의가 재개되", &o), Err(AnswerError::Incomplete));
        assert_eq!(
            accept("회의가 7년 만에 재개돼 양국 협력이 강화됐다.", &o),
            Err(AnswerError::TooLong { chars: 26, max: 20 })
        );
        let four = "가다.\n나다.\n다다.\n라다.";
        assert!(matches!(
            accept(four, &opts(100, SummaryStyle::Lines)),
            Err(AnswerError::TooLong { .. })
        ));
    }

    #[test]
    fn prompt_language_follows_the_post() {
        let ko = Post {
            title: "관세청 회의 재개".into(),
            body_html: Some(
                "<p>한-일 관세청장 회의가 7년 만에 열렸다. RCEP 협력도 논의했다.</p>".into(),
            ),
            ..Post::default()
        };
        let m = messages(&ko, &opts(200, SummaryStyle::Sentences));
        assert!(m[0].content.contains("한국어로") && m[0].content.contains("200자"));
        assert_eq!(
            m[1].content,
            "제목: 관세청 회의 재개\n요약: \n본문: 한-일 관세청장 회의가 7년 만에 열렸다. RCEP 협력도 논의했다."
        );
        let en = Post {
            title: "Fed holds rates".into(),
            excerpt: Some("The Fed held rates.".into()),
            ..Post::default()
        };
        let m = messages(&en, &opts(120, SummaryStyle::Lines));
        assert!(m[0].content.contains("in English") && m[0].content.contains("112 characters"));
        assert_eq!(
            m[1].content,
            "Title: Fed holds rates\nExcerpt: The Fed held rates.\nBody: "
        );
    }
}
