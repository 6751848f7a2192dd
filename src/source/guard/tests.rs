//! Address classes, URL checks and the policy's host lists.

use super::*;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn policy() -> UrlPolicy {
    UrlPolicy {
        allow_private_addresses: false,
        extra_ports: Vec::new(),
        allow_hosts: Vec::new(),
        deny_hosts: vec!["ads.example".into()],
    }
}

fn check(p: &UrlPolicy, url: &str) -> Result<(), Refusal> {
    p.check(&Url::parse(url).unwrap())
}

#[test]
fn public_and_non_public_addresses() {
    for public in [
        "1.1.1.1",
        "8.8.8.8",
        "100.63.255.255",
        "100.128.0.1",
        "172.32.0.1",
        "2606:4700::1111",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
    ] {
        assert!(is_public(ip(public)), "{public}");
    }
    for private in [
        "127.0.0.1",
        "127.8.8.8",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "100.127.255.254",
        "0.0.0.0",
        "0.1.2.3",
        "224.0.0.1",
        "255.255.255.255",
        "240.0.0.1",
        "192.0.0.8",
        "198.18.0.1",
        "192.0.2.1",
        "::1",
        "::",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "2001:db8::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        "::127.0.0.1",
        "64:ff9b::a00:1",
    ] {
        assert!(!is_public(ip(private)), "{private}");
    }
}

#[test]
fn schemes_ports_and_literal_addresses() {
    let p = policy();
    assert_eq!(check(&p, "https://news.example/feed.xml"), Ok(()));
    assert_eq!(check(&p, "http://news.example:80/feed"), Ok(()));
    assert_eq!(check(&p, "ftp://news.example/feed"), Err(Refusal::Scheme));
    assert_eq!(check(&p, "file:///etc/passwd"), Err(Refusal::Scheme));
    assert_eq!(
        check(&p, "https://news.example:8443/"),
        Err(Refusal::Port(8443))
    );
    assert_eq!(
        check(&p, "http://127.0.0.1/feed"),
        Err(Refusal::Private("127.0.0.1".into()))
    );
    assert_eq!(
        check(&p, "http://[::ffff:7f00:1]/feed"),
        Err(Refusal::Private("::ffff:127.0.0.1".into()))
    );
    assert_eq!(
        check(&p, "http://169.254.169.254/latest/meta-data"),
        Err(Refusal::Private("169.254.169.254".into()))
    );
    // A decimal-encoded host is parsed as the address it spells.
    assert_eq!(
        check(&p, "http://2130706433/"),
        Err(Refusal::Private("127.0.0.1".into()))
    );
    assert_eq!(check(&p, "http://8.8.8.8/feed"), Ok(()));
}

#[test]
fn the_operator_may_allow_private_addresses_and_more_ports() {
    let p = UrlPolicy {
        allow_private_addresses: true,
        extra_ports: vec![8080],
        ..policy()
    };
    assert_eq!(check(&p, "http://127.0.0.1:8080/feed"), Ok(()));
    assert_eq!(
        check(&p, "http://127.0.0.1:9090/feed"),
        Err(Refusal::Port(9090))
    );
}

#[test]
fn host_lists_cover_subdomains() {
    let p = UrlPolicy {
        allow_hosts: vec!["example.com".into(), "*.news.example".into()],
        ..policy()
    };
    assert_eq!(check(&p, "https://example.com/rss"), Ok(()));
    assert_eq!(check(&p, "https://blog.example.com/rss"), Ok(()));
    assert_eq!(check(&p, "https://EXAMPLE.com./rss"), Ok(()));
    assert_eq!(check(&p, "https://a.news.example/rss"), Ok(()));
    assert_eq!(
        check(&p, "https://notexample.com/rss"),
        Err(Refusal::NotAllowed("notexample.com".into()))
    );
    let p = policy();
    assert_eq!(
        check(&p, "https://x.ads.example/rss"),
        Err(Refusal::Denied("x.ads.example".into()))
    );
}

#[tokio::test]
async fn the_resolver_drops_private_addresses() {
    use reqwest::dns::Resolve;
    let name: reqwest::dns::Name = "localhost".parse().unwrap();
    let refused = PublicResolver.resolve(name).await;
    assert!(refused.is_err(), "localhost resolves only to loopback");
}
