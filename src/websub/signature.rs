//! `X-Hub-Signature-256` / `X-Hub-Signature` checks: HMAC of the raw body with the
//! subscription's secret, compared in constant time.

use hmac::{Hmac, Mac};

/// The header WebSub hubs commonly send with SHA-256 (checked first when present).
pub const SIGNATURE_256: &str = "x-hub-signature-256";
/// The header of the W3C recommendation: `method=signature`, method sha1/sha256/sha384/sha512.
pub const SIGNATURE: &str = "x-hub-signature";

/// Why a notification's signature is not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("no X-Hub-Signature header")]
    Missing,
    #[error("malformed signature header")]
    Malformed,
    #[error("unsupported signature method {0:?}")]
    Unsupported(String),
    #[error("signature does not match the body")]
    Mismatch,
}

/// The HMAC hash function a signature names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl Method {
    fn parse(name: &str) -> Option<Method> {
        match name.to_ascii_lowercase().as_str() {
            "sha1" => Some(Method::Sha1),
            "sha256" => Some(Method::Sha256),
            "sha384" => Some(Method::Sha384),
            "sha512" => Some(Method::Sha512),
            _ => None,
        }
    }
}

/// Checks a notification: `signature_256` is the `X-Hub-Signature-256` value (`sha256=<hex>`),
/// `signature` the `X-Hub-Signature` value (`<method>=<hex>`); the first present one is used.
/// Returns the method that matched.
pub fn verify(
    secret: &[u8],
    signature_256: Option<&[u8]>,
    signature: Option<&[u8]>,
    body: &[u8],
) -> Result<Method, SignatureError> {
    let (header, only_256) = match (signature_256, signature) {
        (Some(value), _) => (value, true),
        (None, Some(value)) => (value, false),
        (None, None) => return Err(SignatureError::Missing),
    };
    let header = std::str::from_utf8(header).map_err(|_| SignatureError::Malformed)?;
    let (name, hex) = header
        .trim()
        .split_once('=')
        .ok_or(SignatureError::Malformed)?;
    let method = Method::parse(name.trim())
        .filter(|m| !only_256 || *m == Method::Sha256)
        .ok_or_else(|| SignatureError::Unsupported(name.trim().chars().take(16).collect()))?;
    let expected = decode_hex(hex.trim()).ok_or(SignatureError::Malformed)?;
    let matches = match method {
        Method::Sha1 => check::<Hmac<sha1::Sha1>>(secret, body, &expected),
        Method::Sha256 => check::<Hmac<sha2::Sha256>>(secret, body, &expected),
        Method::Sha384 => check::<Hmac<sha2::Sha384>>(secret, body, &expected),
        Method::Sha512 => check::<Hmac<sha2::Sha512>>(secret, body, &expected),
    };
    if matches {
        Ok(method)
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// `Mac::verify_slice` compares in constant time (and fails on a length mismatch).
fn check<M: Mac + hmac::digest::KeyInit>(secret: &[u8], body: &[u8], expected: &[u8]) -> bool {
    let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(secret) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(expected).is_ok()
}

/// Lower- or upper-case hex → bytes; `None` for odd lengths or other characters.
pub fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    hex.as_bytes()
        .chunks(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

/// Bytes → lower-case hex.
pub fn encode_hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 4231 / RFC 2202 test case 2.
    const KEY: &[u8] = b"Jefe";
    const DATA: &[u8] = b"what do ya want for nothing?";
    const SHA1: &str = "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79";
    const SHA256: &str = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    const SHA384: &str = "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e\
                          8e2240ca5e69e2c78b3239ecfab21649";
    const SHA512: &str = "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554\
                          9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737";

    fn hub(value: &str) -> Result<Method, SignatureError> {
        verify(KEY, None, Some(value.as_bytes()), DATA)
    }

    #[test]
    fn known_vectors_pass_for_every_method() {
        let results: Vec<_> = [
            format!("sha1={SHA1}"),
            format!("sha256={SHA256}"),
            format!("sha384={SHA384}"),
            format!("sha512={SHA512}"),
            format!("SHA256={}", SHA256.to_uppercase()),
            format!(" sha256={SHA256} "),
        ]
        .iter()
        .map(|v| hub(v))
        .collect();
        use Method::*;
        assert_eq!(
            results,
            [
                Ok(Sha1),
                Ok(Sha256),
                Ok(Sha384),
                Ok(Sha512),
                Ok(Sha256),
                Ok(Sha256)
            ]
        );
    }

    #[test]
    fn signature_256_header_wins_and_names_sha256_only() {
        let good = format!("sha256={SHA256}");
        let sha1 = format!("sha1={SHA1}");
        let results = [
            verify(KEY, Some(good.as_bytes()), Some(b"sha1=00"), DATA),
            verify(KEY, Some(sha1.as_bytes()), None, DATA),
            verify(KEY, Some(b"sha256=00"), Some(good.as_bytes()), DATA),
        ];
        assert_eq!(
            results,
            [
                Ok(Method::Sha256),
                Err(SignatureError::Unsupported("sha1".into())),
                Err(SignatureError::Mismatch),
            ]
        );
    }

    #[test]
    fn bad_signatures_are_refused() {
        let wrong_body = verify(KEY, None, Some(format!("sha256={SHA256}").as_bytes()), b"x");
        let wrong_key = verify(b"Jeff", None, Some(format!("sha1={SHA1}").as_bytes()), DATA);
        let results = [
            hub("sha256=5bdcc146"),
            hub(&format!("sha256={}", &SHA256[1..])),
            hub(&format!("sha256={}zz", &SHA256[2..])),
            hub("md5=abcd"),
            hub(SHA256),
            hub(""),
            verify(KEY, None, None, DATA),
            verify(KEY, None, Some(&[0xff, b'=', b'0', b'0']), DATA),
            wrong_body,
            wrong_key,
        ];
        use SignatureError::*;
        assert_eq!(
            results,
            [
                Err(Mismatch),
                Err(Malformed),
                Err(Malformed),
                Err(Unsupported("md5".into())),
                Err(Malformed),
                Err(Malformed),
                Err(Missing),
                Err(Malformed),
                Err(Mismatch),
                Err(Mismatch),
            ]
        );
    }

    #[test]
    fn hex_round_trips() {
        assert_eq!(encode_hex(&[0, 0xab, 0x10, 0xff]), "00ab10ff");
        assert_eq!(decode_hex("00AB10ff"), Some(vec![0, 0xab, 0x10, 0xff]));
        assert_eq!(decode_hex("abc"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex(""), Some(vec![]));
    }
}
