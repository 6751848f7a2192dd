//! Requests to a hub: the `hub.mode=subscribe` form POST.

use crate::source::http::innermost;

/// Why a hub did not take a request.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    #[error("hub answered HTTP {0}")]
    Status(u16),
    #[error("hub unreachable: {0}")]
    Network(String),
}

/// What a subscribe request carries.
pub struct SubscribeRequest<'a> {
    pub hub: &'a str,
    pub topic: &'a str,
    pub callback: &'a str,
    pub secret: &'a str,
    pub lease_seconds: u64,
}

impl SubscribeRequest<'_> {
    /// The `application/x-www-form-urlencoded` body.
    pub fn form(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("hub.callback", self.callback)
            .append_pair("hub.mode", "subscribe")
            .append_pair("hub.topic", self.topic)
            .append_pair("hub.lease_seconds", &self.lease_seconds.to_string())
            .append_pair("hub.secret", self.secret)
            .finish()
    }

    /// Sends the request; any 2xx means the hub took it (it verifies on its own later, or
    /// already did).
    pub async fn send(&self, client: &reqwest::Client) -> Result<(), HubError> {
        let response = client
            .post(self.hub)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(self.form())
            .send()
            .await
            .map_err(|e| HubError::Network(innermost(&e)))?;
        let status = response.status();
        if status.is_success() {
            Ok(())
        } else {
            Err(HubError::Status(status.as_u16()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_names_every_parameter() {
        let request = SubscribeRequest {
            hub: "https://hub.example/",
            topic: "https://news.example/feed?x=1&y=2",
            callback: "https://bot.example/websub/0123",
            secret: "ab12",
            lease_seconds: 864_000,
        };
        assert_eq!(
            request.form(),
            "hub.callback=https%3A%2F%2Fbot.example%2Fwebsub%2F0123&hub.mode=subscribe\
             &hub.topic=https%3A%2F%2Fnews.example%2Ffeed%3Fx%3D1%26y%3D2\
             &hub.lease_seconds=864000&hub.secret=ab12"
        );
    }
}
