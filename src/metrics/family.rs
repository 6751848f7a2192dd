//! The metric kinds behind [`Metrics`](super::Metrics): labelled counters, histograms, gauges,
//! and their Prometheus text exposition (format 0.0.4).

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, going on with the data of a holder that panicked (counts stay usable).
pub(super) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes the `# HELP` and `# TYPE` lines of a metric.
pub(super) fn header(out: &mut String, name: &str, help: &str, kind: &str) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} {kind}");
}

/// A label value as the text format wants it: `\`, `"` and line feed escaped.
pub(super) fn escape_label_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out
}

/// A sample value: integers without a fraction, `+Inf`/`-Inf`/`NaN` spelled the format's way.
pub(super) fn format_value(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "+Inf" } else { "-Inf" }.into()
    } else {
        // Rust prints the shortest text that reads back as the same f64, without exponent.
        format!("{value}")
    }
}

/// `{a="x",b="y"}` for the given names and values; empty when there are no labels.
fn label_set(names: &[&str], values: &[String]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let pairs: Vec<String> = names
        .iter()
        .zip(values)
        .map(|(name, value)| format!("{name}=\"{}\"", escape_label_value(value)))
        .collect();
    format!("{{{}}}", pairs.join(","))
}

/// A counter with fixed label names; one value per label set seen, encoded in label order.
pub(super) struct CounterFamily {
    name: &'static str,
    help: &'static str,
    labels: &'static [&'static str],
    values: Mutex<BTreeMap<Vec<String>, u64>>,
}

impl CounterFamily {
    pub(super) fn new(
        name: &'static str,
        help: &'static str,
        labels: &'static [&'static str],
    ) -> CounterFamily {
        CounterFamily {
            name,
            help,
            labels,
            values: Mutex::new(BTreeMap::new()),
        }
    }

    /// Adds `n` to the counter of `values` (one per label name, in order).
    pub(super) fn add(&self, values: &[&str], n: u64) {
        debug_assert_eq!(values.len(), self.labels.len(), "{}", self.name);
        let key: Vec<String> = values.iter().map(|v| (*v).to_owned()).collect();
        let mut map = lock(&self.values);
        let count = map.entry(key).or_insert(0);
        *count = count.saturating_add(n);
    }

    pub(super) fn encode(&self, out: &mut String) {
        header(out, self.name, self.help, "counter");
        for (values, count) in lock(&self.values).iter() {
            let labels = label_set(self.labels, values);
            let _ = writeln!(out, "{}{labels} {count}", self.name);
        }
    }
}

/// A histogram without labels over fixed, increasing upper bounds (seconds).
pub(super) struct Histogram {
    name: &'static str,
    help: &'static str,
    bounds: &'static [f64],
    state: Mutex<HistogramState>,
}

#[derive(Default)]
struct HistogramState {
    /// Observations per bucket, not cumulative; the last one is `+Inf`.
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    pub(super) fn new(name: &'static str, help: &'static str, bounds: &'static [f64]) -> Histogram {
        Histogram {
            name,
            help,
            bounds,
            state: Mutex::new(HistogramState {
                counts: vec![0; bounds.len() + 1],
                ..Default::default()
            }),
        }
    }

    pub(super) fn observe(&self, value: f64) {
        // The first bucket whose upper bound is at least `value` (buckets are `le`).
        let bucket = self.bounds.partition_point(|bound| *bound < value);
        let mut state = lock(&self.state);
        if let Some(slot) = state.counts.get_mut(bucket) {
            *slot = slot.saturating_add(1);
        }
        state.sum += value;
        state.count = state.count.saturating_add(1);
    }

    pub(super) fn encode(&self, out: &mut String) {
        header(out, self.name, self.help, "histogram");
        let state = lock(&self.state);
        let mut cumulative = 0u64;
        let bounds = self.bounds.iter().map(|b| format_value(*b));
        for (le, count) in bounds
            .chain(std::iter::once("+Inf".to_owned()))
            .zip(&state.counts)
        {
            cumulative = cumulative.saturating_add(*count);
            let _ = writeln!(out, "{}_bucket{{le=\"{le}\"}} {cumulative}", self.name);
        }
        let _ = writeln!(out, "{}_sum {}", self.name, format_value(state.sum));
        let _ = writeln!(out, "{}_count {}", self.name, state.count);
    }
}

/// A gauge without labels holding an f64, set whole (at scrape time).
pub(super) struct Gauge {
    name: &'static str,
    help: &'static str,
    bits: AtomicU64,
}

impl Gauge {
    pub(super) fn new(name: &'static str, help: &'static str) -> Gauge {
        Gauge {
            name,
            help,
            bits: AtomicU64::new(0f64.to_bits()),
        }
    }

    pub(super) fn set(&self, value: f64) {
        self.bits.store(value.to_bits(), Ordering::Relaxed);
    }

    pub(super) fn encode(&self, out: &mut String) {
        header(out, self.name, self.help, "gauge");
        let value = f64::from_bits(self.bits.load(Ordering::Relaxed));
        let _ = writeln!(out, "{} {}", self.name, format_value(value));
    }
}
