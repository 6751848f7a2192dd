//! Article extraction for full-text summaries: pages per second and peak heap per extraction, on
//! a typical Korean news page of about 200 KB (built here: a mega menu, inline scripts and
//! JSON-LD, ad slots, a 24-paragraph article with photos and captions, related and most-read
//! lists, 150 comments and a footer), decoded from UTF-8 and from EUC-KR; then the summary of
//! the extracted text.
//!
//! Run: `cargo bench --bench article` (about 20 s). `SOKBO_BENCH_PAGES` sets the iterations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fmt::Write;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use sokbo::config::SummaryStyle;
use sokbo::model::Post;
use sokbo::pipeline::with_page;
use sokbo::source::article::extract;
use sokbo::summary::{SummaryOptions, summarize};

/// The system allocator, counting bytes in use and their peak.
struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded unchanged to the system allocator.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOC: Counting = Counting;

const WORDS: &[&str] = &[
    "정부는",
    "서울시",
    "관계자는",
    "지난해",
    "올해",
    "시민들이",
    "대책을",
    "발표했다",
    "강화하기로",
    "예산",
    "지원",
    "지역",
    "경제",
    "교통",
    "기업",
    "투자",
    "확대",
    "추진",
    "계획",
    "이번",
];

/// A Korean sentence of `n` words, deterministic in `seed`.
fn sentence(seed: usize, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(WORDS[(seed * 7 + i * 13) % WORDS.len()]);
    }
    s.push_str("고 밝혔다.");
    s
}

fn page() -> String {
    let mut h = String::from(
        "<!DOCTYPE html><html lang=\"ko\"><head><meta charset=\"utf-8\">\
         <title>서울시, 대중교통 지원 확대 | 한빛일보</title>\
         <meta property=\"og:image\" content=\"https://img.hanbit.example/2026/11/main.jpg\">",
    );
    for i in 0..160 {
        let _ = write!(
            h,
            "<script>window.ad_slot_{i} = {{id: 'div-gpt-ad-{i}', sizes: [[300, 250], \
             [728, 90]], targeting: {{section: 'society', article: 'N{i:06}'}}}}; \
             googletag.cmd.push(function() {{ googletag.defineSlot('/1234/news/{i}', \
             [300, 250], 'div-gpt-ad-{i}').addService(googletag.pubads()); }});</script>"
        );
    }
    h.push_str("<script type=\"application/ld+json\">{\"@type\":\"NewsArticle\",\"headline\":\"서울시, 대중교통 지원 확대\"}</script>");
    h.push_str("<style>");
    for i in 0..800 {
        let _ = write!(h, ".c{i}{{margin:{i}px;color:#{i:03x};}}");
    }
    h.push_str("</style></head><body><header><nav class=\"gnb\"><ul>");
    for i in 0..900 {
        let _ = write!(
            h,
            "<li class=\"menu-{i}\"><a href=\"/section/{i}\">{}{i}</a></li>",
            WORDS[i % WORDS.len()]
        );
    }
    h.push_str("</ul></nav></header><main><h2>서울시, 대중교통 지원 확대</h2>");
    h.push_str("<div class=\"byline\">김민수 기자 | 입력 2026.11.22 09:12</div><article>");
    for p in 0..24 {
        if p % 6 == 3 {
            let _ = write!(
                h,
                "<figure><img src=\"/photo/{p}.jpg\"><figcaption>{} /사진=한빛일보</figcaption>\
                 </figure><div class=\"ad\"><script>googletag.display('div-gpt-ad-{p}');</script></div>",
                sentence(p + 100, 6)
            );
        }
        let _ = write!(
            h,
            "<p>{} {} {}</p>",
            sentence(p, 12),
            sentence(p + 1, 9),
            sentence(p + 2, 14)
        );
    }
    h.push_str("<p>김민수 기자 minsu@hanbit.example</p><p>ⓒ 한빛일보, 무단전재 및 재배포 금지</p></article>");
    for list in ["related-articles", "most-read", "photo-news", "opinion"] {
        let _ = write!(h, "<section class=\"{list}\"><h3>관련 기사</h3><ul>");
        for i in 0..40 {
            let _ = write!(
                h,
                "<li><a href=\"/a/{i}\"><img src=\"/t/{i}.jpg\">{}</a></li>",
                sentence(i, 5)
            );
        }
        h.push_str("</ul></section>");
    }
    h.push_str("<section id=\"comments\"><ul>");
    for i in 0..150 {
        let _ = write!(
            h,
            "<li class=\"comment\"><span class=\"nick\">독자{i}</span> {}</li>",
            sentence(i + 50, 8)
        );
    }
    h.push_str("</ul></section></main><footer><ul>");
    for i in 0..120 {
        let _ = write!(
            h,
            "<li><a href=\"/f/{i}\">{}</a></li>",
            WORDS[i % WORDS.len()]
        );
    }
    h.push_str("</ul><address>서울특별시 중구 세종대로 100 | 대표전화 02-123-4567</address></footer></body></html>");
    h
}

/// Extracts `bytes` `n` times; prints pages/s and the peak heap of one extraction.
fn run(label: &str, bytes: &[u8], content_type: &str, n: usize) {
    let url = "https://news.hanbit.example/a/100";
    let base = IN_USE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let one = extract(bytes, Some(content_type), url).expect("article text");
    let peak = PEAK.load(Ordering::Relaxed) - base;
    for _ in 0..5 {
        black_box(extract(black_box(bytes), Some(content_type), url).expect("article text"));
    }
    let started = Instant::now();
    for _ in 0..n {
        black_box(extract(black_box(bytes), Some(content_type), url).expect("article text"));
    }
    let per_sec = n as f64 / started.elapsed().as_secs_f64();
    println!(
        "{label:<8} {:>4} KB page: {per_sec:>7.1} pages/s, peak heap per extraction {:.1} MiB \
         ({:.1}× the page), article text {} KB",
        bytes.len() / 1024,
        peak as f64 / (1024.0 * 1024.0),
        peak as f64 / bytes.len() as f64,
        one.html.len() / 1024,
    );
}

fn main() {
    let n: usize = std::env::var("SOKBO_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let html = page();
    run("utf-8", html.as_bytes(), "text/html; charset=utf-8", n);
    let euc_html = html.replace("charset=\"utf-8\"", "charset=\"euc-kr\"");
    let (euc, _, _) = encoding_rs::EUC_KR.encode(&euc_html);
    run("euc-kr", &euc, "text/html", n);

    let page = extract(
        html.as_bytes(),
        Some("text/html"),
        "https://news.hanbit.example/a/100",
    )
    .expect("article text");
    let post = with_page(
        &Post {
            title: "서울시, 대중교통 지원 확대".into(),
            link: Some("https://news.hanbit.example/a/100".into()),
            ..Post::default()
        },
        page,
    );
    let opts = SummaryOptions {
        max_chars: 200,
        style: SummaryStyle::Sentences,
    };
    let started = Instant::now();
    for _ in 0..n {
        black_box(summarize(black_box(&post), &opts));
    }
    let per_sec = n as f64 / started.elapsed().as_secs_f64();
    println!(
        "summary of the extracted text: {per_sec:.0}/s → {:?}",
        summarize(&post, &opts)
    );
}
