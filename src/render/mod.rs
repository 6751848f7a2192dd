//! Pure formatting of alerts for each platform, within its limits.

pub mod console;
pub mod discord;
#[cfg(test)]
mod fixtures;
pub mod telegram;
pub(crate) mod text;

use crate::model::Lang;

/// Words an alert uses, per language.
#[derive(Debug)]
pub(crate) struct Labels {
    pub breaking: &'static str,
    pub read: &'static str,
    pub source: &'static str,
    pub data: &'static str,
    pub untitled: &'static str,
}

const KO: Labels = Labels {
    breaking: "🔴 속보",
    read: "기사 보기",
    source: "출처",
    data: "자료",
    untitled: "(제목 없음)",
};

const EN: Labels = Labels {
    breaking: "🔴 BREAKING",
    read: "Read",
    source: "Source",
    data: "Data",
    untitled: "(untitled)",
};

impl Labels {
    /// The label of a source link.
    pub fn of(&self, kind: crate::model::SourceKind) -> &'static str {
        match kind {
            crate::model::SourceKind::Original => self.source,
            crate::model::SourceKind::Data => self.data,
        }
    }

    pub fn for_language(language: Lang) -> &'static Labels {
        match language {
            Lang::Ko => &KO,
            Lang::En => &EN,
        }
    }
}
