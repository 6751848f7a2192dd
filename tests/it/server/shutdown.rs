//! Shutdown: the listener closes, idle and stuck connections do not hold `serve` up.

use reqwest::StatusCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::support::*;

#[tokio::test(flavor = "current_thread")]
async fn shutdown_closes_idle_and_kept_alive_connections() {
    let server = start(TOKEN).await;
    let http = client();
    // A kept-alive connection from a finished request, and one that never sent anything.
    let first = send(http.get(format!("{}/healthz", server.url))).await;
    assert_eq!(first.status, StatusCode::OK);
    let mut idle = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    let addr = server.addr;
    stop(server).await;

    // The listener is gone: new connections are refused.
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    // The idle connection was closed by the server: reading ends.
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(DEADLINE, idle.read(&mut buf))
        .await
        .expect("closed by the server");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
    let _ = idle.shutdown().await;
}

/// A client stuck halfway through its headers holds shutdown up for the grace period at most
/// (this test takes that long), then its connection is closed.
#[tokio::test(flavor = "current_thread")]
async fn shutdown_does_not_wait_for_a_stuck_client() {
    let server = start(TOKEN).await;
    let mut stuck = tokio::net::TcpStream::connect(server.addr)
        .await
        .expect("connect");
    stuck
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("write");
    // A later connection served means the stuck one was accepted (the backlog is in order).
    let later = send(client().get(format!("{}/healthz", server.url))).await;
    assert_eq!(later.status, StatusCode::OK);
    stop(server).await;
    let mut buf = [0u8; 16];
    let read = tokio::time::timeout(DEADLINE, stuck.read(&mut buf))
        .await
        .expect("closed by the server");
    assert!(matches!(read, Ok(0) | Err(_)), "{read:?}");
}
