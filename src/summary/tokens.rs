//! Korean-aware index terms for scoring: words split at non-alphanumerics, Latin lower-cased,
//! Korean particles and common endings stripped (관세청은 / 관세청의 / 관세청이 → 관세청), stop
//! words and one-syllable words dropped. Each term is a 64-bit hash, so counting allocates nothing.

use std::sync::OnceLock;

/// Particles and endings, longest first, stripped from the end of a Korean word.
#[rustfmt::skip]
const SUFFIXES: &[&str] = &[
    "하였습니다", "으로부터", "에서부터", "하였으며", "되었으며", "했습니다", "이라는", "이라고",
    "으로서", "으로써", "에서는", "에서도", "에서의", "에게서", "으로는", "으로도", "까지는",
    "부터는", "로부터", "합니다", "됩니다", "입니다", "하였다", "했으며", "하면서", "하기로",
    "되었다", "됐으며", "적으로", "에서", "에게", "한테", "으로", "까지", "부터", "보다", "처럼",
    "만큼", "마다", "이나", "이며", "이고", "이다", "라는", "라고", "와의", "과의", "에는", "에도",
    "에의", "로서", "로써", "로는", "들은", "들이", "들의", "들을", "들과", "들도", "했다", "됐다",
    "된다", "되는", "되고", "되어", "되며", "한다", "하는", "하고", "하며", "하여", "해야", "하기",
    "하게", "적인", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과", "도", "로", "만",
    "들", "께",
];

/// Words that say nothing about what a post is about (after stripping).
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "이번", "지난", "또한", "그리고", "하지만", "그러나", "이러한", "이런", "그런", "있다", "있는",
    "있을", "있으며", "있습니다", "없는", "없다", "위해", "위한", "통해", "대한", "대해", "따라",
    "같은", "더욱", "매우", "모든", "이를", "이는", "것으로", "것이", "것을", "것입니다", "앞으로",
    "향후", "만에", "the", "and", "for", "with", "that", "this", "from", "are", "was", "were",
    "has", "have", "had", "its", "not", "but", "will", "said", "says", "into", "than", "then",
    "they", "their", "about", "which", "would", "there", "been", "also", "more", "after", "over",
    "such", "can", "could", "our", "you", "your", "his", "her", "she", "him", "who", "what",
    "when", "where", "all", "one", "of", "to", "in", "on", "at", "by", "an", "is", "as", "be",
    "or", "it", "we", "he", "if", "so", "do", "no", "up",
];

/// Calls `f` with the hash of each index term of `text`, in order.
pub(crate) fn terms(text: &str, mut f: impl FnMut(u64)) {
    for word in text.split(|c: char| !is_word_char(c)) {
        if word.is_empty() {
            continue;
        }
        let word = if word.chars().any(is_hangul) {
            stem(word)
        } else {
            word
        };
        let keep = word.chars().nth(1).is_some() || word.bytes().all(|b| b.is_ascii_digit());
        if !keep {
            continue;
        }
        let h = hash(word);
        if stop_words().binary_search(&h).is_err() {
            f(h);
        }
    }
}

/// `char::is_alphanumeric`, answered fast for ASCII and Hangul syllables.
#[inline]
pub(crate) fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        ('\u{AC00}'..='\u{D7A3}').contains(&c) || c.is_alphanumeric()
    }
}

/// `char::is_alphabetic`, answered fast for ASCII and Hangul syllables.
#[inline]
pub(crate) fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        ('\u{AC00}'..='\u{D7A3}').contains(&c) || c.is_alphabetic()
    }
}

/// Appends `c` lower-cased to `out`, fast for ASCII and Hangul.
#[inline]
pub(crate) fn push_lower(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if ('\u{AC00}'..='\u{D7A3}').contains(&c) {
        out.push(c);
    } else {
        out.extend(c.to_lowercase());
    }
}

/// The suffixes ending in each character, longest first, sorted by that character.
fn suffixes_by_last_char() -> &'static [(char, Vec<&'static str>)] {
    static TABLE: OnceLock<Vec<(char, Vec<&'static str>)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<(char, Vec<&'static str>)> = Vec::new();
        for s in SUFFIXES {
            let Some(last) = s.chars().next_back() else {
                continue;
            };
            match table.iter_mut().find(|(c, _)| *c == last) {
                Some((_, list)) => list.push(s),
                None => table.push((last, vec![s])),
            }
        }
        for (_, list) in &mut table {
            list.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
        table.sort_by_key(|(c, _)| *c);
        table
    })
}

/// `word` without its particles and endings (at most two, leaving at least two characters).
pub(crate) fn stem(word: &str) -> &str {
    let table = suffixes_by_last_char();
    let mut w = word;
    for _ in 0..2 {
        let Some(last) = w.chars().next_back() else {
            break;
        };
        let Ok(at) = table.binary_search_by_key(&last, |(c, _)| *c) else {
            break;
        };
        let stripped = table[at].1.iter().find_map(|s| {
            w.strip_suffix(s)
                .filter(|rest| rest.chars().nth(1).is_some())
        });
        match stripped {
            Some(rest) => w = rest,
            None => break,
        }
    }
    w
}

fn is_hangul(c: char) -> bool {
    matches!(c, '\u{AC00}'..='\u{D7A3}' | '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}')
}

/// FNV-1a over the bytes, ASCII lower-cased.
fn hash(word: &str) -> u64 {
    word.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b.to_ascii_lowercase())).wrapping_mul(0x0100_0000_01b3)
    })
}

fn stop_words() -> &'static [u64] {
    static SET: OnceLock<Vec<u64>> = OnceLock::new();
    SET.get_or_init(|| {
        let mut v: Vec<u64> = STOP_WORDS.iter().map(|w| hash(w)).collect();
        v.sort_unstable();
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_particles_and_endings() {
        let words = [
            "관세청은",
            "관세청의",
            "관세청이",
            "관세청들의",
            "회의는",
            "회의",
            "협력하기로",
            "범죄로부터",
            "일본으로",
            "한도",
        ];
        let stems: Vec<&str> = words.iter().map(|w| stem(w)).collect();
        assert_eq!(
            stems,
            vec![
                "관세청",
                "관세청",
                "관세청",
                "관세청",
                "회의",
                "회의",
                "협력",
                "범죄",
                "일본",
                "한도"
            ]
        );
    }

    #[test]
    fn terms_merge_forms_and_drop_stop_words() {
        let mut a = Vec::new();
        terms(
            "관세청은 이번 U.S. 회의에서 7년 만에 The Customs",
            |h| a.push(h),
        );
        let mut b = Vec::new();
        terms("관세청 회의 7년 customs", |h| b.push(h));
        assert_eq!(a.len(), 4);
        assert_eq!(b.len(), 4);
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a, b);
    }
}
