//! Webhook URLs and Discord's error answers as outbox outcomes.

use super::*;

const TOKEN: &str = "abcDEF123-_xyz";

#[test]
fn webhook_urls() {
    let want = Some(Dest::Webhook {
        id: 112233445566778899,
        token: TOKEN.into(),
    });
    for url in [
        "https://discord.com/api/webhooks/112233445566778899/abcDEF123-_xyz",
        "https://discordapp.com/api/v10/webhooks/112233445566778899/abcDEF123-_xyz",
        "http://127.0.0.1:9/api/webhooks/112233445566778899/abcDEF123-_xyz",
    ] {
        assert_eq!(Dest::webhook(url), want, "{url}");
    }
    for url in [
        "https://discord.com/api/webhooks/notanumber/abc",
        "https://discord.com/api/webhooks/1",
        "https://discord.com/api/webhooks/1/",
        "https://discord.com/api/webhooks/1/tok/extra",
        "https://discord.com/api/webhooks/1/to%20k",
        "https://discord.com/api/channels/1/messages",
        "not a url",
    ] {
        assert_eq!(Dest::webhook(url), None, "{url}");
    }
}

fn fail(status: u16, body: &str, edit: bool) -> DeliveryError {
    failure(
        StatusCode::from_u16(status).unwrap(),
        &HeaderMap::new(),
        body.as_bytes(),
        edit,
    )
}

#[test]
fn answers_map_to_outcomes() {
    assert_eq!(
        fail(
            429,
            r#"{"message":"You are being rate limited.","retry_after":1.5,"global":false}"#,
            false
        ),
        DeliveryError::Retry {
            after: Some(Duration::from_millis(1500)),
            reason: "Discord 429: You are being rate limited. (code 0)".into()
        }
    );
    assert_eq!(
        fail(403, r#"{"message":"Missing Access","code":50001}"#, false),
        DeliveryError::Gone {
            reason: "Discord 403: Missing Access (code 50001)".into()
        }
    );
    assert_eq!(
        fail(404, r#"{"message":"Unknown Channel","code":10003}"#, false),
        DeliveryError::Gone {
            reason: "Discord 404: Unknown Channel (code 10003)".into()
        }
    );
    assert_eq!(
        fail(404, r#"{"message":"Unknown Message","code":10008}"#, true),
        DeliveryError::Rejected {
            reason: "Discord 404: Unknown Message (code 10008)".into()
        }
    );
    assert_eq!(
        fail(502, "<html>bad gateway</html>", false),
        DeliveryError::Retry {
            after: None,
            reason: "Discord 502: Bad Gateway (code 0)".into()
        }
    );
    assert_eq!(
        fail(
            400,
            r#"{"message":"Invalid Form Body","code":50035,"errors":{}}"#,
            false
        ),
        DeliveryError::Rejected {
            reason: "Discord 400: Invalid Form Body (code 50035)".into()
        }
    );
}

#[test]
fn retry_after_header_and_global_scope() {
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", "3".parse().unwrap());
    headers.insert("x-ratelimit-scope", "global".parse().unwrap());
    let err = failure(StatusCode::TOO_MANY_REQUESTS, &headers, b"", false);
    assert!(
        matches!(err, DeliveryError::Retry { after: Some(d), .. } if d == Duration::from_secs(3))
    );
    assert!(is_global(&headers, b""));
    assert!(!is_global(&HeaderMap::new(), br#"{"global":false}"#));
    assert!(is_global(&HeaderMap::new(), br#"{"global":true}"#));
    headers.insert("x-ratelimit-remaining", "0".parse().unwrap());
    headers.insert("x-ratelimit-reset-after", "0.25".parse().unwrap());
    assert_eq!(
        announced(&headers),
        Announced {
            remaining: Some(0),
            reset_after: Some(Duration::from_millis(250))
        }
    );
}
