//! Element nesting guard: feed-rs recurses on nested elements (e.g. `<media:group>`), so
//! hostile nesting would overflow the stack; documents deeper than a real feed are refused first.

use super::FeedError;

/// Deepest element nesting accepted. Real feeds stay under ~30 (XHTML content included).
pub(super) const MAX_DEPTH: usize = 128;

/// Fails with `TooDeep` when elements nest deeper than `MAX_DEPTH`. Comments, CDATA sections,
/// processing instructions, the DOCTYPE and quoted attribute values are skipped; truncated
/// markup ends the scan (the parser reports it).
pub(super) fn check(text: &str) -> Result<(), FeedError> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(lt) = find(bytes, i, b"<") {
        let rest = &bytes[lt..];
        let next = if rest.starts_with(b"<!--") {
            find(bytes, lt + 4, b"-->").map(|e| e + 3)
        } else if rest.starts_with(b"<![CDATA[") {
            find(bytes, lt + 9, b"]]>").map(|e| e + 3)
        } else if rest.starts_with(b"<?") {
            find(bytes, lt + 2, b"?>").map(|e| e + 2)
        } else if rest.starts_with(b"<!") {
            skip_doctype(bytes, lt + 2)
        } else if rest.starts_with(b"</") {
            depth = depth.saturating_sub(1);
            find(bytes, lt + 2, b">").map(|e| e + 1)
        } else {
            let end = tag_end(bytes, lt + 1);
            if let Some(end) = end {
                let self_closing = end >= 1 && bytes.get(end - 1) == Some(&b'/');
                if !self_closing {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Err(FeedError::TooDeep { limit: MAX_DEPTH });
                    }
                }
            }
            end.map(|e| e + 1)
        };
        match next {
            Some(next) => i = next,
            None => break,
        }
    }
    Ok(())
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let hay = bytes.get(from..)?;
    if let [single] = needle {
        return hay.iter().position(|b| b == single).map(|p| from + p);
    }
    hay.windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

/// Index of the `>` closing a start tag, skipping quoted attribute values.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut quote = None;
    for (offset, &b) in bytes.get(from..)?.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(from + offset),
            _ => {}
        }
    }
    None
}

/// Index just past a `<!DOCTYPE ...>` whose internal subset (`[...]`) may hold `>`.
fn skip_doctype(bytes: &[u8], from: usize) -> Option<usize> {
    let mut in_subset = false;
    for (offset, &b) in bytes.get(from..)?.iter().enumerate() {
        match b {
            b'[' => in_subset = true,
            b']' => in_subset = false,
            b'>' if !in_subset => return Some(from + offset + 1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(n: usize) -> String {
        format!("{}{}", "<g a='>'>".repeat(n), "</g>".repeat(n))
    }

    #[test]
    fn accepts_real_shapes_and_refuses_deep_nesting() {
        assert_eq!(check(&nested(MAX_DEPTH)), Ok(()));
        assert_eq!(
            check(&nested(MAX_DEPTH + 1)),
            Err(FeedError::TooDeep { limit: MAX_DEPTH })
        );
        let flat = format!("<rss>{}</rss>", "<item/><x></x>".repeat(10 * MAX_DEPTH));
        assert_eq!(check(&flat), Ok(()));
        let skipped = format!(
            "<?xml version='1.0'?><!DOCTYPE r [<!ENTITY e '<a>'>]><!-- {0} --><r><![CDATA[{0}]]></r>",
            "<a>".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(check(&skipped), Ok(()));
        assert_eq!(check("<a><b"), Ok(()));
    }
}
