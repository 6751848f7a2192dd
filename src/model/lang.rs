//! `Lang`: the language of replies and alerts, parsed from the configured `bot.language` once, or
//! taken from a chat user's language code.

use std::str::FromStr;

/// A reply and alert language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Ko,
    En,
}

/// A configured language sokbo has no texts for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported language {0:?} (expected \"ko\" or \"en\")")]
pub struct UnknownLang(pub String);

impl Lang {
    /// The language for a user's language code ("ko", "ko-KR" → Korean, any other → English);
    /// `default` (the configured language) when there is no code.
    pub fn from_code(code: Option<&str>, default: Lang) -> Lang {
        match code.map(str::trim).filter(|c| !c.is_empty()) {
            None => default,
            Some(c) if c.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ko")) => Lang::Ko,
            Some(_) => Lang::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }
}

/// A configured language: exactly "ko" or "en".
impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(code: &str) -> Result<Lang, UnknownLang> {
        match code {
            "ko" => Ok(Lang::Ko),
            "en" => Ok(Lang::En),
            other => Err(UnknownLang(other.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_codes_parse_exactly() {
        let parsed: Vec<Result<Lang, UnknownLang>> = ["ko", "en", "KO", "en-US", ""]
            .iter()
            .map(|c| c.parse())
            .collect();
        assert_eq!(
            parsed,
            [
                Ok(Lang::Ko),
                Ok(Lang::En),
                Err(UnknownLang("KO".into())),
                Err(UnknownLang("en-US".into())),
                Err(UnknownLang(String::new())),
            ]
        );
        for lang in [Lang::Ko, Lang::En] {
            assert_eq!(lang.code().parse(), Ok(lang));
        }
    }
}
