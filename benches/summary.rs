//! Summaries per second on one core: the seed post alone, and every summary fixture
//! (tests/fixtures/summary) in turn. Criterion reports the rate as elements/s = summaries/s.

#[path = "../tests/it/summary/fixture.rs"]
mod fixture;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sokbo::config::SummaryStyle;
use sokbo::summary::{SummaryOptions, summarize};

fn bench(c: &mut Criterion) {
    let posts: Vec<_> = fixture::all()
        .iter()
        .map(|p| fixture::load_path(p))
        .collect();
    let seed = fixture::load("seed_000_fc95c76552527bf6.md");
    let mut group = c.benchmark_group("summary");
    for (name, style) in [
        ("sentences", SummaryStyle::Sentences),
        ("lines", SummaryStyle::Lines),
    ] {
        let opts = SummaryOptions {
            max_chars: 200,
            style,
        };
        group.throughput(Throughput::Elements(1));
        group.bench_function(format!("seed/{name}"), |b| {
            b.iter(|| summarize(black_box(&seed), black_box(&opts)))
        });
        group.throughput(Throughput::Elements(posts.len() as u64));
        group.bench_function(format!("fixtures/{name}"), |b| {
            b.iter(|| {
                for post in &posts {
                    black_box(summarize(black_box(post), black_box(&opts)));
                }
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
