//! `sokbo health`: asks a running bot's `GET /healthz` (for container health checks, where the
//! slim image has no curl); exit 0 on 200, 1 on anything else.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use crate::config::Config;
use crate::source::http::innermost;

/// The `/healthz` URL for `listen`: an unspecified address (`0.0.0.0`, `::`) is asked on the
/// loopback address of its family.
pub fn healthz_url(listen: &str) -> Result<String, String> {
    let mut addr: SocketAddr = listen
        .trim()
        .parse()
        .map_err(|_| format!("server.listen {listen:?} is not an address and port"))?;
    if addr.ip().is_unspecified() {
        addr.set_ip(match addr.ip() {
            IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::LOCALHOST),
        });
    }
    Ok(format!("http://{addr}/healthz"))
}

/// GETs `/healthz` of the bot `config` describes within `timeout`; prints the body on stdout.
/// Every failure (no `[server]`, no answer, a status other than 200) exits 1: Docker reserves 2.
pub async fn health(config: &Config, timeout: Duration) -> ExitCode {
    match ask(config, timeout).await {
        Ok((status, body)) => {
            println!("{}", body.trim_end());
            if status == 200 {
                ExitCode::SUCCESS
            } else {
                eprintln!("error: /healthz answered HTTP {status}");
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn ask(config: &Config, timeout: Duration) -> Result<(u16, String), String> {
    let server = config
        .server
        .as_ref()
        .ok_or("no [server] section: the bot serves no /healthz")?;
    let url = healthz_url(&server.listen)?;
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .build()
        .map_err(|e| format!("HTTP client setup failed: {e}"))?;
    let response = client
        .get(&url)
        .send()
        .await
        .map_err(|e| format!("{url}: {}", innermost(&e)))?;
    let status = response.status().as_u16();
    let body = response
        .text()
        .await
        .map_err(|e| format!("{url}: {}", innermost(&e)))?;
    Ok((status, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unspecified_addresses_are_asked_on_loopback() {
        let urls: Vec<Result<String, String>> = [
            "0.0.0.0:8080",
            "127.0.0.1:9",
            "[::]:8080",
            "10.1.2.3:80",
            "localhost:8080",
        ]
        .iter()
        .map(|l| healthz_url(l))
        .collect();
        assert_eq!(
            urls,
            [
                Ok("http://127.0.0.1:8080/healthz".into()),
                Ok("http://127.0.0.1:9/healthz".into()),
                Ok("http://[::1]:8080/healthz".into()),
                Ok("http://10.1.2.3:80/healthz".into()),
                Err("server.listen \"localhost:8080\" is not an address and port".into()),
            ]
        );
    }
}
