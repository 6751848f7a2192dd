//! What benchmarks read off running processes and their `/metrics`: CPU seconds and RSS from
//! /proc, the CPU of a whole PostgreSQL server (postmaster, its children, and the children it
//! has reaped), and percentiles of a Prometheus histogram between two scrapes.

use std::path::Path;

/// Clock ticks per second (`getconf CLK_TCK`), 100 when unknown.
pub fn clock_ticks() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

/// The fields of /proc/<pid>/stat after the command name (field 3 is at index 0).
fn stat_fields(pid: u32) -> Vec<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // The command name may hold spaces: fields start after the last ')'.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    rest.split_whitespace().map(str::to_owned).collect()
}

fn field(fields: &[String], stat_index: usize) -> f64 {
    fields
        .get(stat_index - 3)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

/// utime + stime of a process, in seconds (with its reaped children's when `children`).
pub fn cpu_seconds(pid: u32, children: bool) -> f64 {
    let f = stat_fields(pid);
    // utime 14, stime 15, cutime 16, cstime 17 (1-based, as in proc(5)).
    let mut ticks = field(&f, 14) + field(&f, 15);
    if children {
        ticks += field(&f, 16) + field(&f, 17);
    }
    ticks / clock_ticks()
}

fn parent(pid: u32) -> Option<u32> {
    let f = stat_fields(pid);
    f.get(1).and_then(|v| v.parse().ok())
}

/// CPU seconds of a PostgreSQL server so far: the postmaster (with the backends it reaped)
/// and every live child. `data_dir` is the server's data directory.
pub fn postgres_cpu_seconds(data_dir: &Path) -> f64 {
    let pid_file = std::fs::read_to_string(data_dir.join("postmaster.pid")).unwrap_or_default();
    let Some(postmaster) = pid_file.lines().next().and_then(|l| l.trim().parse().ok()) else {
        return 0.0;
    };
    let mut total = cpu_seconds(postmaster, true);
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let pid = entry
            .file_name()
            .to_str()
            .and_then(|s| s.parse::<u32>().ok());
        if let Some(pid) = pid.filter(|p| parent(*p) == Some(postmaster)) {
            total += cpu_seconds(pid, false);
        }
    }
    total
}

/// `VmRSS` and `VmHWM` (peak) of a process, in KiB.
pub fn rss_kib(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let value = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
            .unwrap_or(0)
    };
    (value("VmRSS:"), value("VmHWM:"))
}

/// The cumulative buckets of histogram `name` in a scrape: (upper bound, count), `+Inf` last.
pub fn buckets(scrape: &str, name: &str) -> Vec<(f64, f64)> {
    let prefix = format!("{name}_bucket{{le=\"");
    scrape
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter_map(|rest| {
            let (le, count) = rest.split_once("\"} ")?;
            let le = if le == "+Inf" {
                f64::INFINITY
            } else {
                le.parse().ok()?
            };
            Some((le, count.trim().parse().ok()?))
        })
        .collect()
}

/// The value of an unlabelled sample `name` in a scrape.
pub fn sample(scrape: &str, name: &str) -> Option<f64> {
    let prefix = format!("{name} ");
    let line = scrape.lines().find(|l| l.starts_with(&prefix))?;
    line[prefix.len()..].trim().parse().ok()
}

/// Cumulative buckets `after` minus `before` (the observations between two scrapes), summed
/// over several sources.
pub fn add_difference(total: &mut Vec<(f64, f64)>, before: &[(f64, f64)], after: &[(f64, f64)]) {
    if total.is_empty() {
        *total = after.iter().map(|(le, _)| (*le, 0.0)).collect();
    }
    for (i, (_, n)) in after.iter().enumerate() {
        let earlier = before.get(i).map_or(0.0, |b| b.1);
        if let Some(slot) = total.get_mut(i) {
            slot.1 += n - earlier;
        }
    }
}

/// The `q` quantile of cumulative buckets, interpolated linearly inside its bucket (as
/// Prometheus' `histogram_quantile`); `None` without observations.
pub fn quantile(buckets: &[(f64, f64)], q: f64) -> Option<f64> {
    let total = buckets.last()?.1;
    if total <= 0.0 {
        return None;
    }
    let rank = q * total;
    let mut lower = (0.0, 0.0);
    for &(le, count) in buckets {
        if count >= rank {
            if le.is_infinite() {
                return Some(lower.0);
            }
            let within = if count > lower.1 {
                (rank - lower.1) / (count - lower.1)
            } else {
                0.0
            };
            return Some(lower.0 + (le - lower.0) * within);
        }
        lower = (le, count);
    }
    Some(lower.0)
}
