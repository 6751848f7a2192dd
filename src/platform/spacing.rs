//! Even spacing against a platform's overall budget: n requests a second leave one every
//! (1 s + margin) / n, never as a burst. A burst of n requests leaving at once reaches the
//! platform spread out by scheduling and network jitter, and one of them late is enough to put
//! n + 1 into one of its seconds; evenly spaced requests keep a whole slot between them.

use std::time::{Duration, Instant};

/// A late wake-up of up to this much is caught up on: the next slot stays on its schedule.
const SLACK: Duration = Duration::from_millis(5);

/// The next free slot of one overall budget.
#[derive(Debug)]
pub struct Spacing {
    interval: Duration,
    next: Option<Instant>,
}

impl Spacing {
    /// `per_second` requests in every `1 s + margin`.
    pub fn new(per_second: u32, margin: Duration) -> Spacing {
        Spacing {
            interval: (Duration::from_secs(1) + margin) / per_second.max(1),
            next: None,
        }
    }

    /// Takes the slot at `now`, or says how long until the next one.
    pub fn take(&mut self, now: Instant) -> Result<(), Duration> {
        if let Some(next) = self.next
            && now < next
        {
            return Err(next - now);
        }
        let caught_up = now.checked_sub(SLACK).unwrap_or(now);
        let base = self.next.map_or(now, |next| next.max(caught_up));
        self.next = Some(base + self.interval);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_evenly_spaced_and_late_wakes_catch_up() {
        let mut s = Spacing::new(30, Duration::from_millis(50));
        let t = Instant::now() + Duration::from_secs(1);
        let slot = Duration::from_millis(35);
        assert_eq!(s.take(t), Ok(()));
        assert_eq!(
            s.take(t + Duration::from_millis(10)),
            Err(Duration::from_millis(25))
        );
        // Woken 3 ms late: the slot after stays at 2 × 35 ms.
        assert_eq!(s.take(t + slot + Duration::from_millis(3)), Ok(()));
        assert_eq!(
            s.take(t + 2 * slot - Duration::from_millis(1)),
            Err(Duration::from_millis(1))
        );
        assert_eq!(s.take(t + 2 * slot), Ok(()));
        // After a pause the schedule starts again from the next request (less the slack).
        let later = t + Duration::from_secs(10);
        assert_eq!(s.take(later), Ok(()));
        assert_eq!(
            s.take(later + Duration::from_millis(29)),
            Err(Duration::from_millis(1))
        );
    }

    #[test]
    fn thirty_a_second_never_puts_more_than_thirty_into_a_second() {
        let mut s = Spacing::new(30, Duration::from_millis(40));
        let t0 = Instant::now();
        let mut sent = Vec::new();
        let mut now = t0;
        while now < t0 + Duration::from_secs(5) {
            match s.take(now) {
                Ok(()) => sent.push(now),
                Err(wait) => now += wait,
            }
        }
        for (i, &at) in sent.iter().enumerate() {
            let within = sent[i..]
                .iter()
                .take_while(|&&t| t < at + Duration::from_secs(1));
            assert!(within.count() <= 30);
        }
        assert!(sent.len() >= 5 * 28, "{} in 5 s", sent.len());
    }
}
