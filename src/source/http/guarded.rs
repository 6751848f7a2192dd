//! The fetcher of chat-added feeds: the same client settings, restricted by a [`UrlPolicy`] at
//! every step (the URL asked for, each redirect, and name resolution).

use std::sync::{Arc, OnceLock};

use super::{FetchError, Fetcher, MAX_REDIRECTS, build_client};
use crate::config::HttpConfig;
use crate::source::guard::{PublicResolver, Refusal, UrlPolicy, redirects};

impl Fetcher {
    /// A fetcher whose every request, redirect and resolved address must pass `policy`.
    /// Through a proxy the proxy resolves names; the URL and redirect checks still apply.
    pub fn guarded(config: &HttpConfig, policy: Arc<UrlPolicy>) -> Result<Fetcher, FetchError> {
        let proxy = (!config.proxy.is_empty()).then_some(config.proxy.as_str());
        Ok(Fetcher {
            client: build_client(config, proxy, Some(&policy))?,
            max_body_bytes: config.max_body_bytes,
            config: config.clone(),
            proxied: Arc::default(),
            guard: Some(policy),
        })
    }
}

/// The guarded fetcher of chat-added feeds, built on first use: a bot whose chats add no
/// feed never holds its client (and its TLS roots).
#[derive(Debug)]
pub struct GuardedFetcher {
    config: HttpConfig,
    policy: Arc<UrlPolicy>,
    built: OnceLock<Fetcher>,
}

impl GuardedFetcher {
    pub fn new(config: &HttpConfig, policy: Arc<UrlPolicy>) -> GuardedFetcher {
        GuardedFetcher {
            config: config.clone(),
            policy,
            built: OnceLock::new(),
        }
    }

    /// Where its requests may lead.
    pub fn policy(&self) -> &UrlPolicy {
        &self.policy
    }

    /// The fetcher, built now if it was not yet.
    pub fn get(&self) -> Result<&Fetcher, FetchError> {
        if let Some(fetcher) = self.built.get() {
            return Ok(fetcher);
        }
        let fetcher = Fetcher::guarded(&self.config, self.policy.clone())?;
        Ok(self.built.get_or_init(|| fetcher))
    }
}

/// `builder` with redirects checked against `policy` and, unless it allows private
/// addresses, a resolver that yields public addresses only.
pub(super) fn restrict(
    builder: reqwest::ClientBuilder,
    policy: &Arc<UrlPolicy>,
) -> reqwest::ClientBuilder {
    let builder = builder.redirect(redirects(policy.clone(), MAX_REDIRECTS));
    if policy.allow_private_addresses {
        builder
    } else {
        builder.dns_resolver(Arc::new(PublicResolver))
    }
}

/// The guard's refusal behind a failed request (a redirect or a name it refused), if any.
pub(super) fn refusal_in(e: &reqwest::Error) -> Option<Refusal> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cause {
        if let Some(refusal) = err.downcast_ref::<Refusal>() {
            return Some(refusal.clone());
        }
        cause = err.source();
    }
    None
}
