//! Closest known category to a mistyped one: Levenshtein distance over Hangul jamo, so "겅제"
//! is one edit from "경제" (ㅓ→ㅕ) rather than one whole syllable.

const SYLLABLE_FIRST: u32 = 0xAC00;
const SYLLABLE_LAST: u32 = 0xD7A3;
const LEADS: u32 = 0x1100;
const VOWELS: u32 = 0x1161;
const TAILS: u32 = 0x11A7;

/// Lower-cased characters with each precomposed Hangul syllable split into its jamo.
fn jamo(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        let code = u32::from(c);
        if !(SYLLABLE_FIRST..=SYLLABLE_LAST).contains(&code) {
            out.push(c);
            continue;
        }
        let index = code - SYLLABLE_FIRST;
        let parts = [
            Some(LEADS + index / 588),
            Some(VOWELS + (index % 588) / 28),
            (!index.is_multiple_of(28)).then_some(TAILS + index % 28),
        ];
        out.extend(parts.into_iter().flatten().filter_map(char::from_u32));
    }
    out
}

fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != cb);
            row[j + 1] = substitute.min(prev[j + 1] + 1).min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// Edit distance between two words, ignoring case and counting Hangul jamo as letters.
pub fn distance(a: &str, b: &str) -> usize {
    levenshtein(&jamo(a), &jamo(b))
}

/// The known category closest to `name`, if close enough to be a typo: at most a third of the
/// longer word's letters (jamo) differ, and at least one may. Ties go to the first in `known`.
pub fn suggest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    let typed = jamo(name);
    known
        .iter()
        .map(|k| {
            let candidate = jamo(k);
            let d = levenshtein(&typed, &candidate);
            (d, candidate.len().max(typed.len()), k)
        })
        .filter(|&(d, longer, _)| d <= (longer / 3).max(1))
        .min_by_key(|&(d, _, _)| d)
        .map(|(_, _, k)| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_syllables_into_jamo() {
        assert_eq!(
            jamo("경제A"),
            vec![
                '\u{1100}', '\u{1167}', '\u{11BC}', '\u{110C}', '\u{1166}', 'a'
            ]
        );
        assert_eq!(jamo(""), Vec::<char>::new());
    }

    #[test]
    fn levenshtein_counts_edits() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(levenshtein(&c("kitten"), &c("sitting")), 3);
        assert_eq!(levenshtein(&c(""), &c("abc")), 3);
        assert_eq!(levenshtein(&c("abc"), &c("abc")), 0);
    }
}
