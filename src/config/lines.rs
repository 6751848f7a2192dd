//! Where things are in a TOML document: byte offsets ↔ line numbers ↔ key paths like `feeds[1].url`.

use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// Every key and array element of a parsed document, with its key path and spans.
pub(super) struct DocIndex {
    /// Byte offset at which each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
    entries: Vec<Entry>,
}

struct Entry {
    path: String,
    depth: usize,
    /// The key's own span; `None` for array elements.
    key: Option<Range<usize>>,
    /// The value's span; for a `[table]` or `[[table]]` this is its header.
    value: Range<usize>,
}

impl DocIndex {
    pub(super) fn new(text: &str, root: &DeTable<'_>) -> DocIndex {
        let line_starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|(_, b)| *b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        let mut index = DocIndex {
            line_starts,
            entries: Vec::new(),
        };
        index.add_table(root, "", 1);
        index
    }

    fn add_table(&mut self, table: &DeTable<'_>, prefix: &str, depth: usize) {
        for (key, value) in table.iter() {
            let segment = key_segment(key.get_ref());
            let path = if prefix.is_empty() {
                segment
            } else {
                format!("{prefix}.{segment}")
            };
            self.add_value(value.get_ref(), &path, depth);
            self.entries.push(Entry {
                path,
                depth,
                key: Some(key.span()),
                value: value.span(),
            });
        }
    }

    fn add_value(&mut self, value: &DeValue<'_>, path: &str, depth: usize) {
        match value {
            DeValue::Table(table) => self.add_table(table, path, depth + 1),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("{path}[{i}]");
                    self.add_value(item.get_ref(), &path, depth + 1);
                    self.entries.push(Entry {
                        path,
                        depth: depth + 1,
                        key: None,
                        value: item.span(),
                    });
                }
            }
            _ => {}
        }
    }

    /// The 1-based line holding byte `offset`.
    pub(super) fn line_at(&self, offset: usize) -> usize {
        self.line_starts
            .partition_point(|&start| start <= offset)
            .max(1)
    }

    /// The line of `path`'s key (or array element); for a path not in the file, the line of the
    /// nearest enclosing key or table header that is.
    pub(super) fn line_of(&self, path: &str) -> Option<usize> {
        let mut path = path;
        loop {
            if let Some(entry) = self.entries.iter().find(|e| e.path == path) {
                let span = entry.key.as_ref().unwrap_or(&entry.value);
                return Some(self.line_at(span.start));
            }
            path = parent(path)?;
        }
    }

    /// The deepest key path whose key or value covers the start of `span` ("" for none).
    pub(super) fn path_at(&self, span: &Range<usize>) -> &str {
        let offset = span.start;
        let covers = |r: &Range<usize>| r.contains(&offset) || (r.is_empty() && r.start == offset);
        self.entries
            .iter()
            .filter(|e| covers(&e.value) || e.key.as_ref().is_some_and(covers))
            .max_by_key(|e| e.depth)
            .map_or("", |e| e.path.as_str())
    }
}

/// `feeds[1].url` → `feeds[1]` → `feeds` → none.
fn parent(path: &str) -> Option<&str> {
    path.rfind(['.', '[']).map(|at| &path[..at])
}

/// A key as written in a path: bare when TOML allows it bare, quoted otherwise.
pub(super) fn key_segment(key: &str) -> String {
    let bare = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if bare {
        key.to_owned()
    } else {
        format!("{key:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "top = 1\n[bot]\nlanguage = \"ko\"\n\n[[feeds]]\nname = \"a\"\n\
                       categories = [\"x\", \"y\"]\n\n[[feeds]]\nname = \"b\"\n\"odd key\" = 2\n";

    fn with_index(check: impl FnOnce(&DocIndex)) {
        let root = DeTable::parse(DOC).map_err(|e| e.to_string());
        match root {
            Ok(root) => check(&DocIndex::new(DOC, root.get_ref())),
            Err(e) => panic!("fixture does not parse: {e}"),
        }
    }

    #[test]
    fn lines_of_keys_elements_and_headers() {
        with_index(|index| {
            let lines: Vec<_> = [
                "top",
                "bot",
                "bot.language",
                "feeds[0]",
                "feeds[0].categories[1]",
                "feeds[1].name",
                "feeds[1].\"odd key\"",
                "feeds[1].url",
                "bot.timezone",
                "server.listen",
            ]
            .iter()
            .map(|p| index.line_of(p))
            .collect();
            let expected = [1, 2, 3, 5, 7, 10, 11, 9, 2].map(Some);
            assert_eq!(lines, [&expected[..], &[None]].concat());
        });
    }

    #[test]
    fn paths_at_offsets() {
        with_index(|index| {
            let at = |needle: &str| {
                let start = DOC.find(needle).expect("needle in fixture");
                index.path_at(&(start..start + needle.len())).to_owned()
            };
            assert_eq!(at("\"ko\""), "bot.language");
            assert_eq!(at("language"), "bot.language");
            assert_eq!(at("[[feeds]]"), "feeds[0]");
            assert_eq!(at("\"y\""), "feeds[0].categories[1]");
            assert_eq!(at("\"b\""), "feeds[1].name");
            assert_eq!(index.path_at(&(DOC.len()..DOC.len())), "");
        });
    }

    #[test]
    fn line_at_counts_from_one() {
        with_index(|index| {
            assert_eq!(index.line_at(0), 1);
            assert_eq!(index.line_at(7), 1);
            assert_eq!(index.line_at(8), 2);
            assert_eq!(index.line_at(DOC.len() + 10), 12);
        });
    }
}
