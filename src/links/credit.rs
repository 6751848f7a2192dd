//! Credit labels ("출처", "자료출처", "Source", "via", …) and the link or bare URL each one names.

use super::flatten::{Inline, Line};
use crate::model::SourceKind;

/// A credit as written: its URL is not resolved yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credit {
    pub kind: SourceKind,
    pub url: String,
    pub text: String,
}

struct Label {
    word: &'static str,
    kind: SourceKind,
}

/// Labels are tried at each character from the left, so "자료출처" is read before its "출처";
/// at one position the longest label wins ("data source" over "data"), hence this order.
const LABELS: &[Label] = &[
    label("original article", SourceKind::Original),
    label("original source", SourceKind::Original),
    label("data sources", SourceKind::Data),
    label("data source", SourceKind::Data),
    label("데이터 출처", SourceKind::Data),
    label("데이터출처", SourceKind::Data),
    label("sources", SourceKind::Original),
    label("자료 출처", SourceKind::Data),
    label("원문 기사", SourceKind::Original),
    label("원문 보기", SourceKind::Original),
    label("기사 원문", SourceKind::Original),
    label("기사 출처", SourceKind::Original),
    label("뉴스 출처", SourceKind::Original),
    label("source", SourceKind::Original),
    label("자료출처", SourceKind::Data),
    label("원문기사", SourceKind::Original),
    label("원문보기", SourceKind::Original),
    label("기사원문", SourceKind::Original),
    label("기사출처", SourceKind::Original),
    label("data", SourceKind::Data),
    label("via", SourceKind::Original),
    label("출처", SourceKind::Original),
    label("원문", SourceKind::Original),
];

const fn label(word: &'static str, kind: SourceKind) -> Label {
    Label { word, kind }
}

/// Words that make a label an image credit ("사진 출처", "Photo via").
const IMAGE_WORDS: &[&str] = &[
    "사진",
    "이미지",
    "그림",
    "영상",
    "photo",
    "photos",
    "image",
    "images",
    "picture",
    "pictures",
    "video",
    "illustration",
    "graphic",
    "img",
];

/// Most characters of free text allowed between a label and its link ("자료출처: 정책브리핑 https://…").
const MAX_GAP_CHARS: usize = 40;

/// The credits of all lines, in document order.
pub fn find(lines: &[Line]) -> Vec<Credit> {
    let mut out = Vec::new();
    for (li, line) in lines.iter().enumerate() {
        for (i, item) in line.iter().enumerate() {
            let Inline::Text(text) = item else { continue };
            let chars: Vec<char> = text.chars().collect();
            let mut pos = 0;
            while pos < chars.len() {
                match match_label(&chars, pos) {
                    Some(label) => {
                        let end = pos + label.word.chars().count();
                        let opens_line =
                            i == 0 && clean(&chars[..pos].iter().collect::<String>()).is_empty();
                        let at = Place { li, i, opens_line };
                        credits_after(lines, at, &chars[end..], label, &mut out);
                        pos = end;
                    }
                    None => pos += 1,
                }
            }
        }
    }
    out
}

fn match_label(chars: &[char], pos: usize) -> Option<&'static Label> {
    let label = LABELS.iter().find(|l| {
        let mut word = l.word.chars();
        let len = l.word.chars().count();
        chars.len() >= pos + len
            && chars[pos..pos + len]
                .iter()
                .all(|c| word.next().is_some_and(|w| c.to_ascii_lowercase() == w))
            && !chars.get(pos + len).is_some_and(|c| c.is_alphanumeric())
    })?;
    let before = &chars[..pos];
    let prev_word: String = {
        let trimmed = before.len()
            - before
                .iter()
                .rev()
                .take_while(|c| c.is_whitespace())
                .count();
        let start = before[..trimmed]
            .iter()
            .rposition(|c| !c.is_alphanumeric())
            .map_or(0, |p| p + 1);
        before[start..trimmed]
            .iter()
            .collect::<String>()
            .to_lowercase()
    };
    if IMAGE_WORDS.iter().any(|w| prev_word.ends_with(w)) {
        return None;
    }
    if label.word.is_ascii() {
        // English labels stand at a word boundary; all but "via" also after no other word.
        let touching = before.last().is_some_and(|c| c.is_alphanumeric());
        let after_word = before
            .iter()
            .rev()
            .find(|c| !c.is_whitespace())
            .is_some_and(|c| c.is_alphanumeric());
        if touching || (label.word != "via" && after_word) {
            return None;
        }
    }
    Some(label)
}

/// Where a label stands: line `li`, item `i`; `opens_line` when nothing precedes it on its line.
#[derive(Debug, Clone, Copy)]
struct Place {
    li: usize,
    i: usize,
    opens_line: bool,
}

/// What follows a label (`rest` is the text after it, up to the next link or the line's end).
fn credits_after(lines: &[Line], at: Place, rest: &[char], label: &Label, out: &mut Vec<Credit>) {
    let Place { li, i, opens_line } = at;
    let mut j = rest.iter().take_while(|c| c.is_whitespace()).count();
    let colon = matches!(rest.get(j), Some(':' | '：'));
    if colon {
        j += 1;
    }
    let rest = &rest[j..];
    let gap_ok = |gap: &[char]| {
        let gap = clean(&gap.iter().collect::<String>());
        let english_bare = label.word.is_ascii() && (!colon || label.word == "via");
        if english_bare {
            gap.is_empty()
        } else {
            gap.chars().count() <= MAX_GAP_CHARS && !gap.contains([':', '：'])
        }
    };
    if let Some(at) = find_url(rest) {
        let (gap, tail) = rest.split_at(at);
        if gap_ok(gap)
            && let Some(url) = bare_url(tail)
        {
            let name = clean(&gap.iter().collect::<String>());
            let text = if name.is_empty() { host(&url) } else { name };
            out.push(Credit {
                kind: label.kind,
                url,
                text,
            });
        }
        return;
    }
    if !gap_ok(rest) {
        return;
    }
    let gap = clean(&rest.iter().collect::<String>());
    let line = &lines[li];
    if matches!(line.get(i + 1), Some(Inline::Link { .. })) {
        links_from(line, i + 1, &gap, label.kind, out);
    } else if opens_line && i + 1 == line.len() && gap.is_empty() && label.word != "via" {
        // A label alone on its line (a heading "출처"): the lines below that open with a link.
        for below in &lines[li + 1..] {
            let first = below.iter().position(|item| match item {
                Inline::Text(t) => !t.trim().is_empty(),
                Inline::Link { .. } => true,
            });
            match first {
                Some(k) if matches!(below[k], Inline::Link { .. }) => {
                    links_from(below, k, "", label.kind, out)
                }
                _ => break,
            }
        }
    }
}

/// The link at `line[k]` and the links that follow it as a list ("<a>A</a>, <a>B</a>").
fn links_from(line: &Line, mut k: usize, gap: &str, kind: SourceKind, out: &mut Vec<Credit>) {
    let mut first = true;
    while let Some(Inline::Link { href, text }) = line.get(k) {
        let text = clean(text);
        if text.is_empty() {
            return;
        }
        let text = if first && !gap.is_empty() && looks_like_url(&text) {
            gap.to_owned()
        } else {
            text
        };
        out.push(Credit {
            kind,
            url: href.trim().to_owned(),
            text,
        });
        first = false;
        match line.get(k + 1) {
            Some(Inline::Text(sep)) if is_list_separator(sep) => k += 2,
            _ => return,
        }
    }
}

fn is_list_separator(text: &str) -> bool {
    matches!(
        text.trim(),
        "" | "," | "，" | "、" | "·" | "/" | ";" | "&" | "and" | "및" | "그리고"
    )
}

fn looks_like_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.")
}

/// Index of the first "http://" or "https://" in `chars`.
fn find_url(chars: &[char]) -> Option<usize> {
    (0..chars.len()).find(|&i| {
        ["https://", "http://"].iter().any(|p| {
            p.chars().enumerate().all(|(k, pc)| {
                chars
                    .get(i + k)
                    .is_some_and(|c| c.to_ascii_lowercase() == pc)
            })
        })
    })
}

/// The URL at the start of `chars`: up to whitespace, a non-ASCII or a quote/angle character,
/// without trailing punctuation or an unbalanced closing bracket.
fn bare_url(chars: &[char]) -> Option<String> {
    let mut url: String = chars
        .iter()
        .take_while(|c| c.is_ascii() && !c.is_ascii_whitespace() && !"<>\"'|`".contains(**c))
        .collect();
    while let Some(last) = url.chars().last() {
        let unbalanced = |open: char, close: char| {
            last == close && url.matches(open).count() < url.matches(close).count()
        };
        if !(".,;:!?".contains(last) || unbalanced('(', ')') || unbalanced('[', ']')) {
            break;
        }
        url.pop();
    }
    url::Url::parse(&url)
        .ok()
        .filter(|u| u.host_str().is_some())?;
    Some(url)
}

fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| url.to_owned())
}

/// Whitespace collapsed, separators trimmed from both ends.
pub fn clean(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed
        .trim_matches(|c: char| c.is_whitespace() || "-–—|·,:：".contains(c))
        .trim_end_matches(['(', '（', '['])
        .trim()
        .to_owned()
}
