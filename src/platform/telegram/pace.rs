//! Telegram's sending limits, kept by the bot itself: 30 messages a second overall, one a second
//! per chat, 20 a minute per group or channel.
//!
//! The delivery engine asks before it starts each delivery, so every request in flight already
//! holds its slot: how long until the next message may go overall (nothing of Telegram starts
//! until then) or to this chat (other chats go first). Overall, messages leave evenly spaced
//! ([`Spacing`]), 30 in every 1.04 s.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::platform::spacing::Spacing;

pub const OVERALL_PER_SECOND: u32 = 30;
pub const PER_CHAT_INTERVAL: Duration = Duration::from_secs(1);
pub const GROUP_PER_MINUTE: usize = 20;

const MINUTE: Duration = Duration::from_secs(60);
/// Requests arrive a little after they leave: a chat's windows are kept this much longer, so
/// jitter on the way never puts two messages into one of its seconds.
const MARGIN: Duration = Duration::from_millis(50);
/// The same for the overall budget, whose messages leave evenly spaced (34.7 ms apart).
const OVERALL_MARGIN: Duration = Duration::from_millis(40);

/// Why a message must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// The overall limit: wait this long, then try again.
    Overall(Duration),
    /// This chat's limit: other chats may go first.
    Chat(Duration),
}

/// The overall slot and recent sends per chat.
#[derive(Debug)]
pub struct Pacer {
    overall: Spacing,
    chats: HashMap<String, VecDeque<Instant>>,
}

impl Default for Pacer {
    fn default() -> Pacer {
        Pacer {
            overall: Spacing::new(OVERALL_PER_SECOND, OVERALL_MARGIN),
            chats: HashMap::new(),
        }
    }
}

/// Groups, supergroups and channels: negative ids, or public @names (channels).
fn is_group(chat: &str) -> bool {
    chat.starts_with('-') || chat.starts_with('@')
}

impl Pacer {
    /// Takes a slot for a message to `chat` at `now`, or says how long to wait.
    pub fn reserve(&mut self, chat: &str, now: Instant) -> Result<(), Wait> {
        let sent = self.chats.entry(chat.to_owned()).or_default();
        prune(sent, now, MINUTE + MARGIN);
        if let Some(&last) = sent.back()
            && now < last + PER_CHAT_INTERVAL + MARGIN
        {
            return Err(Wait::Chat(last + PER_CHAT_INTERVAL + MARGIN - now));
        }
        if is_group(chat) && sent.len() >= GROUP_PER_MINUTE {
            return Err(Wait::Chat(
                (sent[0] + MINUTE + MARGIN).saturating_duration_since(now),
            ));
        }
        self.overall.take(now).map_err(Wait::Overall)?;
        sent.push_back(now);
        if self.chats.len() > 4 * OVERALL_PER_SECOND as usize * 60 {
            // Forget chats with nothing in the last minute, so the map stays small.
            self.chats
                .retain(|_, s| s.back().is_some_and(|&t| now < t + MINUTE));
        }
        Ok(())
    }
}

fn prune(sent: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while sent.front().is_some_and(|&t| now >= t + window) {
        sent.pop_front();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn thirty_a_second_overall_evenly_spaced() {
        let mut p = Pacer::default();
        let t = Instant::now();
        let slot = (SECOND + OVERALL_MARGIN) / 30;
        assert_eq!(p.reserve("1", t), Ok(()));
        assert_eq!(p.reserve("2", t), Err(Wait::Overall(slot)));
        assert_eq!(p.reserve("2", t + slot), Ok(()));
        // A chat that must wait anyway is told so first, and takes no overall slot.
        assert_eq!(
            p.reserve("1", t + 2 * slot),
            Err(Wait::Chat(SECOND + MARGIN - 2 * slot))
        );
        assert_eq!(p.reserve("3", t + 2 * slot), Ok(()));
    }

    #[test]
    fn one_a_second_per_chat() {
        let mut p = Pacer::default();
        let t = Instant::now();
        assert_eq!(p.reserve("42", t), Ok(()));
        assert_eq!(
            p.reserve("42", t + Duration::from_millis(300)),
            Err(Wait::Chat(Duration::from_millis(750)))
        );
        assert_eq!(p.reserve("43", t + Duration::from_millis(300)), Ok(()));
        assert_eq!(p.reserve("42", t + SECOND + MARGIN), Ok(()));
    }

    #[test]
    fn twenty_a_minute_per_group_or_channel() {
        for chat in ["-100123", "@news"] {
            let mut p = Pacer::default();
            let t = Instant::now();
            for i in 0..20 {
                assert_eq!(p.reserve(chat, t + 2 * SECOND * i), Ok(()), "{chat} #{i}");
            }
            assert_eq!(
                p.reserve(chat, t + SECOND * 40),
                Err(Wait::Chat(Duration::from_millis(20_050)))
            );
            assert_eq!(p.reserve(chat, t + MINUTE + MARGIN), Ok(()));
        }
        // Private chats have no per-minute cap beyond one a second.
        let mut p = Pacer::default();
        let t = Instant::now();
        for i in 0..25 {
            assert_eq!(p.reserve("7", t + 2 * SECOND * i), Ok(()));
        }
    }
}
