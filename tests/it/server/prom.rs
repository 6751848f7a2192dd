//! A strict reader of the Prometheus text format, to check what `/metrics` writes.

/// A sample: metric name, labels (unescaped) and value.
pub type Sample = (String, Vec<(String, String)>, f64);

pub fn valid_name(name: &str, colons: bool) -> bool {
    !name.is_empty()
        && name.chars().enumerate().all(|(i, c)| {
            c.is_ascii_alphabetic()
                || c == '_'
                || (colons && c == ':')
                || (i > 0 && c.is_ascii_digit())
        })
}

/// Parses one sample line of the text format; `Err` says what is malformed.
pub fn parse_sample(line: &str) -> Result<Sample, String> {
    let mut chars = line.chars().peekable();
    let mut name = String::new();
    while let Some(c) = chars.next_if(|c| *c != '{' && *c != ' ') {
        name.push(c);
    }
    if !valid_name(&name, true) {
        return Err(format!("bad metric name {name:?}"));
    }
    let mut labels = Vec::new();
    if chars.next_if_eq(&'{').is_some() {
        loop {
            let mut label = String::new();
            loop {
                match chars.next().ok_or("unterminated label name")? {
                    '=' => break,
                    c => label.push(c),
                }
            }
            if !valid_name(&label, false) || chars.next() != Some('"') {
                return Err(format!("bad label {label:?}"));
            }
            let mut value = String::new();
            loop {
                match chars.next().ok_or("unterminated label value")? {
                    '\\' => match chars.next().ok_or("dangling escape")? {
                        '\\' => value.push('\\'),
                        '"' => value.push('"'),
                        'n' => value.push('\n'),
                        c => return Err(format!("bad escape \\{c}")),
                    },
                    '"' => break,
                    c => value.push(c),
                }
            }
            labels.push((label, value));
            match chars.next() {
                Some(',') => continue,
                Some('}') => break,
                other => return Err(format!("expected , or }} after a label, got {other:?}")),
            }
        }
    }
    if chars.next() != Some(' ') {
        return Err("no space before the value".into());
    }
    let value: String = chars.collect();
    let value = match value.as_str() {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        v => v
            .parse::<f64>()
            .map_err(|e| format!("bad value {v:?}: {e}"))?,
    };
    Ok((name, labels, value))
}

/// Every sample of a metrics text, checking comments and that each sample follows its `# TYPE`.
pub fn parse_metrics(text: &str) -> Vec<Sample> {
    let mut samples = Vec::new();
    let mut family: Option<(String, String)> = None;
    for line in text.lines() {
        if let Some(comment) = line.strip_prefix("# ") {
            let mut parts = comment.splitn(3, ' ');
            let (kind, name, rest) = (parts.next(), parts.next(), parts.next());
            match (kind, name, rest) {
                (Some("HELP"), Some(name), Some(help)) => {
                    assert!(valid_name(name, true) && !help.is_empty(), "{line}")
                }
                (Some("TYPE"), Some(name), Some(kind)) => {
                    assert!(["counter", "gauge", "histogram"].contains(&kind), "{line}");
                    family = Some((name.to_owned(), kind.to_owned()));
                }
                _ => panic!("unexpected comment {line:?}"),
            }
            continue;
        }
        let sample = parse_sample(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
        let (family_name, kind) = family.as_ref().expect("a # TYPE before samples");
        let belongs = if kind == "histogram" {
            ["_bucket", "_sum", "_count"]
                .iter()
                .any(|suffix| sample.0 == format!("{family_name}{suffix}"))
        } else {
            &sample.0 == family_name
        };
        assert!(belongs, "{line:?} after # TYPE {family_name}");
        samples.push(sample);
    }
    samples
}

pub fn sample(samples: &[Sample], name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples
        .iter()
        .find(|(n, l, _)| {
            n == name
                && l.len() == labels.len()
                && l.iter()
                    .zip(labels)
                    .all(|((a, b), (c, d))| a == c && b == d)
        })
        .map(|(_, _, value)| *value)
}
