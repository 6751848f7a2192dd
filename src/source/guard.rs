//! Where a URL that a chat gave may lead: http or https only, allowed ports only, hosts on the
//! operator's allow and deny lists, and public addresses only. The address rule is enforced
//! where it cannot be dodged: at name resolution (a resolver that drops every non-public
//! address, so DNS rebinding gains nothing), for literal IP hosts, and on every redirect.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use url::Url;

/// What the operator allows chat-given URLs to reach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlPolicy {
    /// Loopback, private and other non-public addresses too (tests, trusted networks).
    pub allow_private_addresses: bool,
    /// Ports besides the scheme's default (80, 443).
    pub extra_ports: Vec<u16>,
    /// When not empty, only these hosts (and their subdomains).
    pub allow_hosts: Vec<String>,
    /// Never these hosts (and their subdomains).
    pub deny_hosts: Vec<String>,
}

/// Why a URL is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only http and https addresses are allowed")]
    Scheme,
    #[error("port {0} is not allowed (only 80 and 443)")]
    Port(u16),
    #[error("{0} is not on this bot's list of allowed sites")]
    NotAllowed(String),
    #[error("{0} is blocked on this bot")]
    Denied(String),
    #[error("{0} is not a public address")]
    Private(String),
    #[error("the address has no host")]
    NoHost,
}

impl UrlPolicy {
    /// Checks everything that can be told from `url` itself; names are checked again when
    /// they resolve (see [`PublicResolver`]).
    pub fn check(&self, url: &Url) -> Result<(), Refusal> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Refusal::Scheme);
        }
        let host = url.host_str().ok_or(Refusal::NoHost)?;
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if let Some(port) = url.port()
            && !matches!(port, 80 | 443)
            && !self.extra_ports.contains(&port)
        {
            return Err(Refusal::Port(port));
        }
        if self.deny_hosts.iter().any(|d| covers(d, &host)) {
            return Err(Refusal::Denied(host));
        }
        if !self.allow_hosts.is_empty() && !self.allow_hosts.iter().any(|a| covers(a, &host)) {
            return Err(Refusal::NotAllowed(host));
        }
        let literal = match url.host() {
            Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
            _ => None,
        };
        match literal {
            Some(ip) if !self.allow_private_addresses && !is_public(ip) => {
                Err(Refusal::Private(ip.to_string()))
            }
            _ => Ok(()),
        }
    }
}

/// `rule` is `host` or a parent domain of it.
fn covers(rule: &str, host: &str) -> bool {
    let rule = rule.trim().trim_start_matches("*.").trim_end_matches('.');
    let rule = rule.to_ascii_lowercase();
    !rule.is_empty() && (host == rule || host.ends_with(&format!(".{rule}")))
}

/// Whether `ip` is reachable on the public internet: not loopback, private, link-local, CGNAT,
/// multicast, unspecified, reserved or documentation space, and not an IPv6 form of one of those
/// (IPv4-mapped, IPv4-compatible, NAT64).
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_unspecified()
        || ip.is_documentation()
        || a == 0
        // Carrier-grade NAT, 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // IETF protocol assignments, 192.0.0.0/24.
        || (a == 192 && b == 0 && c == 0)
        // Benchmarking, 198.18.0.0/15.
        || (a == 198 && (b == 18 || b == 19))
        // Reserved, 240.0.0.0/4.
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = embedded_v4(ip) {
        return is_public_v4(v4);
    }
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7, link-local fe80::/10, old site-local fec0::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first & 0xffc0) == 0xfec0
        // Documentation 2001:db8::/32.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

/// The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) or
/// NAT64 (64:ff9b::a.b.c.d) IPv6 address.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let tail = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    let mapped = s[..5] == [0; 5] && s[5] == 0xffff;
    let compatible = s[..6] == [0; 6] && !ip.is_loopback() && !ip.is_unspecified();
    let nat64 = s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4];
    (mapped || compatible || nat64).then_some(tail)
}

/// A resolver that hands reqwest only public addresses; a name with none fails to resolve.
#[derive(Debug, Clone, Copy, Default)]
pub struct PublicResolver;

impl reqwest::dns::Resolve for PublicResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let all: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = all.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                let refusal = Refusal::Private(host);
                return Err(Box::new(refusal) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// A redirect policy that checks every hop against `policy`, at most `max` hops.
pub fn redirects(policy: Arc<UrlPolicy>, max: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > max {
            return attempt.error("too many redirects");
        }
        match policy.check(attempt.url()) {
            Ok(()) => attempt.follow(),
            Err(refusal) => attempt.error(refusal),
        }
    })
}

#[cfg(test)]
mod tests;
