//! Per-feed request settings for sites that need more than a plain GET: extra headers, cookies,
//! basic auth and a proxy. Values can be credentials, so `Debug` shows names only.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

/// What a feed's requests carry besides the defaults.
#[derive(Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RequestSettings {
    /// Extra request headers, by name.
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Cookies sent with every request, by name.
    #[serde(default)]
    pub cookies: BTreeMap<String, String>,
    #[serde(default)]
    pub basic_auth: Option<BasicAuth>,
    /// `http://host:port` (or https); this feed's requests go through it. Empty: `[http] proxy`,
    /// else the environment (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`).
    #[serde(default)]
    pub proxy: Option<String>,
}

/// HTTP basic authentication.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasicAuth {
    pub user: String,
    pub password: String,
}

impl RequestSettings {
    /// Nothing beyond a plain GET.
    pub fn is_plain(&self) -> bool {
        self == &RequestSettings::default()
    }

    /// The `Cookie` header value, when there are cookies.
    pub fn cookie_header(&self) -> Option<String> {
        (!self.cookies.is_empty()).then(|| {
            let pairs: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            pairs.join("; ")
        })
    }

    /// Problems with the settings, as (key under the feed, message).
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (name, value) in &self.headers {
            if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
                out.push((format!("headers.{name}"), "not a valid header name".into()));
            } else if reqwest::header::HeaderValue::from_str(value).is_err() {
                out.push((
                    format!("headers.{name}"),
                    "not a valid header value (value not shown)".into(),
                ));
            }
        }
        for (name, value) in &self.cookies {
            let bad_name = name.is_empty() || name.contains([';', ',', '=', ' ', '\t', '\n', '\r']);
            if bad_name || value.contains([';', '\n', '\r']) {
                out.push((
                    format!("cookies.{name}"),
                    "not a valid cookie (no ; , = or spaces in the name, no ; in the value)".into(),
                ));
            }
        }
        if let Some(auth) = &self.basic_auth
            && (auth.user.is_empty() || auth.user.contains(':'))
        {
            out.push(("basic_auth.user".into(), "must be set, without ':'".into()));
        }
        if let Some(proxy) = &self.proxy
            && super::checks::url(proxy, &["http", "https"]).is_err()
        {
            let message = format!(
                "invalid proxy URL {:?} (expected http:// or https://)",
                redact_proxy(proxy)
            );
            out.push(("proxy".into(), message));
        }
        out
    }
}

impl fmt::Debug for RequestSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |m: &BTreeMap<String, String>| m.keys().cloned().collect::<Vec<_>>();
        f.debug_struct("RequestSettings")
            .field("headers", &names(&self.headers))
            .field("cookies", &names(&self.cookies))
            .field("basic_auth", &self.basic_auth)
            .field("proxy", &self.proxy.as_deref().map(redact_proxy))
            .finish()
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

/// A proxy URL without its password.
pub fn redact_proxy(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "<unparsable proxy URL>".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_names_never_values() {
        let settings = RequestSettings {
            headers: BTreeMap::from([("X-Api-Key".into(), "k-123".into())]),
            cookies: BTreeMap::from([("session".into(), "s-456".into())]),
            basic_auth: Some(BasicAuth {
                user: "reader".into(),
                password: "pw-789".into(),
            }),
            proxy: Some("http://u:pp-0@proxy.internal:3128".into()),
        };
        let shown = format!("{settings:?}");
        assert_eq!(
            shown,
            "RequestSettings { headers: [\"X-Api-Key\"], cookies: [\"session\"], basic_auth: \
             Some(BasicAuth { user: \"reader\", password: \"<redacted>\" }), proxy: \
             Some(\"http://u:***@proxy.internal:3128/\") }"
        );
        assert_eq!(settings.cookie_header().as_deref(), Some("session=s-456"));
        assert!(settings.problems().is_empty());
    }

    #[test]
    fn bad_settings_are_named() {
        let settings = RequestSettings {
            headers: BTreeMap::from([
                ("Bad Name".into(), "v".into()),
                ("X-Ok".into(), "a\nb".into()),
            ]),
            cookies: BTreeMap::from([("a;b".into(), "v".into())]),
            basic_auth: Some(BasicAuth {
                user: "".into(),
                password: "p".into(),
            }),
            proxy: Some("socks9://x".into()),
        };
        let keys: Vec<String> = settings.problems().into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            [
                "headers.Bad Name",
                "headers.X-Ok",
                "cookies.a;b",
                "basic_auth.user",
                "proxy"
            ]
        );
    }
}
