//! The fake's gateway: a websocket that says Hello, answers Identify with READY and heartbeats
//! with ACK, and forwards the dispatches tests push (INTERACTION_CREATE).

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use super::json::ready;
use super::{Shared, TOKEN};

/// Sent down a session's channel to close it.
pub(super) const CLOSE: &str = "\u{0}close";

pub(super) async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((stream, _)) = listener.accept().await {
        if shared.lock().refuse_gateway {
            // An outage: the connection drops before the websocket handshake.
            drop(stream);
            continue;
        }
        tokio::spawn(session(stream, shared.clone()));
    }
}

async fn session(stream: TcpStream, shared: Arc<Shared>) {
    let Ok(ws) = tokio_tungstenite::accept_async(stream).await else {
        return;
    };
    let (mut sink, mut frames) = ws.split();
    let hello = json!({ "op": 10, "d": { "heartbeat_interval": 41250 }, "s": null, "t": null });
    if sink.send(Message::Text(hello.to_string())).await.is_err() {
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<String>();
    loop {
        tokio::select! {
            frame = frames.next() => {
                let Some(Ok(frame)) = frame else { break };
                let text = match frame {
                    Message::Text(t) => t,
                    Message::Close(_) => break,
                    _ => continue,
                };
                let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                match payload["op"].as_u64() {
                    Some(1) => {
                        shared.update(|s| s.heartbeats += 1);
                        let ack = json!({ "op": 11, "d": null, "s": null, "t": null });
                        let _ = tx.send(ack.to_string());
                    }
                    Some(2) => {
                        let token = payload["d"]["token"].as_str().unwrap_or("");
                        if token.trim_start_matches("Bot ") != TOKEN {
                            let _ = sink.send(close(4004, "Authentication failed.")).await;
                            break;
                        }
                        let frame = shared.update(|s| {
                            s.identified += 1;
                            s.seq += 1;
                            s.sessions.push(tx.clone());
                            json!({ "op": 0, "s": s.seq, "t": "READY", "d": ready(&shared.gateway_url) })
                        });
                        let _ = tx.send(frame.to_string());
                    }
                    _ => {}
                }
            }
            Some(out) = rx.recv() => {
                if out == CLOSE {
                    // Dropped without a closing handshake, as a network outage would.
                    break;
                }
                if sink.send(Message::Text(out)).await.is_err() {
                    break;
                }
            }
        }
    }
}

fn close(code: u16, reason: &str) -> Message {
    Message::Close(Some(tokio_tungstenite::tungstenite::protocol::CloseFrame {
        code: code.into(),
        reason: reason.to_owned().into(),
    }))
}
