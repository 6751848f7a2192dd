//! The `/ping` bearer token: kept only as a hash, compared in constant time, never echoed.

use axum::http::HeaderValue;

/// Checks `Authorization: Bearer <token>` against `server.ping_token`.
///
/// Only the BLAKE3 hash of the token is kept; a presented token is hashed and the two hashes are
/// compared with `blake3::Hash`'s constant-time equality, so the time taken does not depend on
/// how much of the token matched, nor on the configured token's length.
#[derive(Clone)]
pub struct PingAuth {
    expected: Option<blake3::Hash>,
}

/// What an `Authorization` header amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No ping token is configured: pinging is off.
    Disabled,
    /// No bearer credentials were given (no header, another scheme, or no token).
    Missing,
    /// A bearer token was given and it is not the configured one.
    Invalid,
    Granted,
}

impl PingAuth {
    /// An empty `token` turns pinging off.
    pub fn new(token: &str) -> PingAuth {
        PingAuth {
            expected: (!token.is_empty()).then(|| blake3::hash(token.as_bytes())),
        }
    }

    pub fn is_enabled(&self) -> bool {
        self.expected.is_some()
    }

    /// Judges the value of an `Authorization` header (the scheme is case-insensitive).
    pub fn check(&self, authorization: Option<&HeaderValue>) -> Access {
        let Some(expected) = &self.expected else {
            return Access::Disabled;
        };
        let Some(token) = authorization.and_then(|value| bearer_token(value.as_bytes())) else {
            return Access::Missing;
        };
        if blake3::hash(token) == *expected {
            Access::Granted
        } else {
            Access::Invalid
        }
    }
}

impl std::fmt::Debug for PingAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = if self.is_enabled() {
            "<redacted>"
        } else {
            "off"
        };
        f.debug_struct("PingAuth").field("token", &state).finish()
    }
}

/// The token of `Bearer <token>`, without surrounding spaces; `None` for other schemes or none.
fn bearer_token(header: &[u8]) -> Option<&[u8]> {
    let header = header.trim_ascii();
    let split = header.iter().position(|b| *b == b' ')?;
    let (scheme, rest) = header.split_at(split);
    let token = rest.trim_ascii();
    (scheme.eq_ignore_ascii_case(b"bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(auth: &PingAuth, header: Option<&str>) -> Access {
        let value = header.map(|h| HeaderValue::from_str(h).expect("test header"));
        auth.check(value.as_ref())
    }

    #[test]
    fn bearer_tokens_are_checked() {
        let auth = PingAuth::new("s3cret-token");
        let results: Vec<Access> = [
            Some("Bearer s3cret-token"),
            Some("bearer   s3cret-token  "),
            Some("BEARER s3cret-token"),
            Some("Bearer s3cret-tokeN"),
            Some("Bearer s3cret-token2"),
            Some("Bearer "),
            Some("Basic czNjcmV0LXRva2Vu"),
            Some("s3cret-token"),
            None,
        ]
        .into_iter()
        .map(|h| check(&auth, h))
        .collect();
        use Access::*;
        assert_eq!(
            results,
            [
                Granted, Granted, Granted, Invalid, Invalid, Missing, Missing, Missing, Missing
            ]
        );
    }

    #[test]
    fn an_empty_token_turns_pinging_off() {
        let auth = PingAuth::new("");
        assert!(!auth.is_enabled());
        assert_eq!(check(&auth, Some("Bearer ")), Access::Disabled);
        assert_eq!(check(&auth, Some("Bearer x")), Access::Disabled);
        assert_eq!(check(&auth, None), Access::Disabled);
    }

    #[test]
    fn debug_never_shows_the_token() {
        let on = format!("{:?}", PingAuth::new("s3cret-token"));
        let off = format!("{:?}", PingAuth::new(""));
        assert_eq!(on, "PingAuth { token: \"<redacted>\" }");
        assert_eq!(off, "PingAuth { token: \"off\" }");
    }
}
