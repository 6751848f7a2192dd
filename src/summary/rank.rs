//! Extractive scoring: TextRank over the TF-IDF cosine similarity of sentences, blended with each
//! sentence's similarity to a focus text (title and excerpt) and a small lead bonus.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::tokens;

const DAMPING: f32 = 0.85;
const ITERATIONS: usize = 30;
const W_CENTRAL: f32 = 0.45;
const W_FOCUS: f32 = 0.4;
const W_LEAD: f32 = 0.15;

/// Terms are already hashes: use them as they are.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type TermMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

/// A sparse unit vector: (term id, weight).
type Vector = Vec<(u32, f32)>;

/// One score per sentence (higher is more central to the post), in the sentences' order.
pub(crate) fn scores(sentences: &[&str], focus: &str) -> Vec<f32> {
    let n = sentences.len();
    if n == 0 {
        return Vec::new();
    }
    // Dense ids for the terms, and in how many sentences each occurs.
    let mut ids: TermMap<u32> = TermMap::default();
    let mut df: Vec<u32> = Vec::new();
    let counts: Vec<Vec<(u32, u32)>> = sentences
        .iter()
        .map(|s| {
            let c = term_counts(s, &mut ids, true);
            for &(t, _) in &c {
                df.resize(df.len().max(t as usize + 1), 0);
                df[t as usize] += 1;
            }
            c
        })
        .collect();
    let idf: Vec<f32> = df
        .iter()
        .map(|&d| (1.0 + n as f32 / d.max(1) as f32).ln())
        .collect();
    let vectors: Vec<Vector> = counts.iter().map(|c| weigh(c, &idf)).collect();
    let focus = weigh(&term_counts(focus, &mut ids, false), &idf);

    // Each sentence spread over a dense scratch row, the others read against it.
    let mut dense = vec![0f32; idf.len()];
    let mut sim = vec![0f32; n * n];
    for i in 0..n {
        for &(t, w) in &vectors[i] {
            dense[t as usize] = w;
        }
        for j in i + 1..n {
            let s: f32 = vectors[j].iter().map(|&(t, w)| dense[t as usize] * w).sum();
            sim[i * n + j] = s;
            sim[j * n + i] = s;
        }
        for &(t, _) in &vectors[i] {
            dense[t as usize] = 0.0;
        }
    }
    for &(t, w) in &focus {
        dense[t as usize] = w;
    }
    let central = pagerank(&sim, n);
    let top = central.iter().copied().fold(f32::MIN_POSITIVE, f32::max);
    (0..n)
        .map(|i| {
            let lead = 1.0 / (1.0 + i as f32 * 0.25);
            let on_focus: f32 = vectors[i].iter().map(|&(t, w)| dense[t as usize] * w).sum();
            W_CENTRAL * central[i] / top + W_FOCUS * on_focus + W_LEAD * lead
        })
        .collect()
}

/// (term id, count) of the terms of `text`; new terms get ids only when `add` (others are
/// dropped: they occur in no sentence).
fn term_counts(text: &str, ids: &mut TermMap<u32>, add: bool) -> Vec<(u32, u32)> {
    let mut terms: Vec<u32> = Vec::new();
    tokens::terms(text, |h| {
        let next = ids.len() as u32;
        let id = if add {
            Some(*ids.entry(h).or_insert(next))
        } else {
            ids.get(&h).copied()
        };
        terms.extend(id);
    });
    terms.sort_unstable();
    let mut out: Vec<(u32, u32)> = Vec::with_capacity(terms.len());
    for t in terms {
        match out.last_mut() {
            Some((last, count)) if *last == t => *count += 1,
            _ => out.push((t, 1)),
        }
    }
    out
}

fn weigh(counts: &[(u32, u32)], idf: &[f32]) -> Vector {
    let mut v: Vector = counts
        .iter()
        .map(|&(t, c)| {
            (
                t,
                (1.0 + (c as f32).ln()) * idf.get(t as usize).copied().unwrap_or(0.0),
            )
        })
        .collect();
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

/// Weighted PageRank over the similarity graph.
fn pagerank(sim: &[f32], n: usize) -> Vec<f32> {
    // into[i * n + j]: the share of j's rank that flows to i.
    let mut into = vec![0f32; n * n];
    for j in 0..n {
        let out: f32 = sim[j * n..(j + 1) * n].iter().sum();
        if out > 0.0 {
            for i in 0..n {
                into[i * n + j] = sim[j * n + i] / out;
            }
        }
    }
    let mut rank = vec![1.0 / n as f32; n];
    let mut next = vec![0f32; n];
    for _ in 0..ITERATIONS {
        for (i, slot) in next.iter_mut().enumerate() {
            let row = &into[i * n..(i + 1) * n];
            let inflow: f32 = row.iter().zip(&rank).map(|(w, r)| w * r).sum();
            *slot = (1.0 - DAMPING) / n as f32 + DAMPING * inflow;
        }
        let change: f32 = next.iter().zip(&rank).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if change < 1e-5 {
            break;
        }
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(scores: &[f32]) -> Vec<usize> {
        let mut idx: Vec<usize> = (0..scores.len()).collect();
        idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
        idx
    }

    #[test]
    fn central_sentence_ranks_first() {
        let sentences = [
            "날씨가 맑았다.",
            "관세청은 일본 관세청과 회의를 열어 전자상거래 협력을 논의했다.",
            "관세청의 전자상거래 통관 협력은 양국 교역을 늘린다.",
            "일본 관세청도 회의에서 협력 확대에 동의했다.",
            "점심 메뉴는 비빔밥이었다.",
        ];
        let s = scores(&sentences, "");
        assert_eq!(order(&s), vec![1, 3, 2, 0, 4]);
    }

    #[test]
    fn focus_pulls_matching_sentences() {
        let sentences = [
            "사과 수확이 늘었다.",
            "배 수확이 줄었다.",
            "포도 수확이 늘었다.",
        ];
        let s = scores(&sentences, "포도 농가");
        assert_eq!(order(&s)[0], 2);
        assert!(scores(&[], "x").is_empty());
    }
}
