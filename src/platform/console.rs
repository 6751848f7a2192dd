//! Console notifier: alerts printed readably to stdout (or captured, in tests).

use std::io::Write;

use futures_util::future::BoxFuture;
use tokio::sync::mpsc::UnboundedSender;

use super::{DeliveryError, Notifier};
use crate::model::{Alert, Lang, Target};
use crate::render::console::{Labels, render};

/// Where console alerts go.
#[derive(Clone)]
pub enum ConsoleOut {
    Stdout,
    /// Each delivered alert is sent here instead (tests, embedding).
    Capture(UnboundedSender<Printed>),
}

/// One alert as the console showed it.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    pub alert: Alert,
    /// An edit of an alert shown before (the post was corrected).
    pub correction: bool,
}

/// The message id the console reports, so corrections can follow.
const CONSOLE_MESSAGE_ID: &str = "console";

pub struct ConsoleNotifier {
    out: ConsoleOut,
    timezone: chrono_tz::Tz,
    labels: &'static Labels,
}

impl ConsoleNotifier {
    pub fn new(out: ConsoleOut, timezone: chrono_tz::Tz, language: Lang) -> ConsoleNotifier {
        ConsoleNotifier {
            out,
            timezone,
            labels: Labels::for_language(language),
        }
    }
}

impl Notifier for ConsoleNotifier {
    fn serves(&self, target: &Target) -> bool {
        *target == Target::Console
    }

    fn deliver<'a>(
        &'a self,
        alert: &'a Alert,
        _target: &'a Target,
        previous: Option<&'a str>,
    ) -> BoxFuture<'a, Result<Option<String>, DeliveryError>> {
        let correction = previous.is_some();
        Box::pin(async move {
            match &self.out {
                ConsoleOut::Stdout => {
                    let text = render(alert, self.timezone, self.labels, correction);
                    let mut out = std::io::stdout().lock();
                    out.write_all(text.as_bytes())
                        .and_then(|()| out.flush())
                        .map_err(|e| DeliveryError::Retry {
                            after: None,
                            reason: format!("stdout: {e}"),
                        })?;
                }
                ConsoleOut::Capture(tx) => {
                    tx.send(Printed {
                        alert: alert.clone(),
                        correction,
                    })
                    .map_err(|_| DeliveryError::Retry {
                        after: None,
                        reason: "console capture closed".into(),
                    })?;
                }
            }
            Ok(Some(CONSOLE_MESSAGE_ID.to_owned()))
        })
    }
}
