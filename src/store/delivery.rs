//! The outbox and sent trees: pending deliveries in order, and the messages posts got.

use std::convert::Infallible;
use std::time::Duration;

use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{Result, SentRecord, Store, corrupt, decode, encode, post_id};
use crate::model::{Delivery, OutboxKey, PostKey, Target};

impl Store {
    /// A fresh, increasing id for outbox ordering.
    pub fn next_id(&self) -> Result<u64> {
        Ok(self.db.generate_id()?)
    }

    /// Every pending delivery in order (breaking first), read once at start.
    pub fn pending(&self) -> impl Iterator<Item = Result<(OutboxKey, Delivery)>> + '_ {
        self.outbox.iter().map(|item| {
            let (k, v) = item?;
            let key = OutboxKey::from_bytes(&k).ok_or_else(|| corrupt("outbox", "key"))?;
            Ok((key, decode("outbox", &v)?))
        })
    }

    pub fn outbox_len(&self) -> usize {
        self.outbox.len()
    }

    /// How long the oldest waiting delivery has waited at `now_ms` (unix milliseconds); `None`
    /// when none waits or none records when it was queued. Keys run in arrival order within
    /// each priority, so only the head of each priority is read (past records too old to
    /// carry their time).
    pub fn outbox_oldest(&self, now_ms: i64) -> Result<Option<Duration>> {
        let mut oldest: Option<i64> = None;
        for priority in [0u8, 1] {
            for item in self.outbox.scan_prefix([priority]) {
                let (_, v) = item?;
                let delivery: Delivery = decode("outbox", &v)?;
                if delivery.enqueued_at > 0 {
                    let at = delivery.enqueued_at;
                    oldest = Some(oldest.map_or(at, |o| o.min(at)));
                    break;
                }
            }
        }
        Ok(oldest.map(|at| Duration::from_millis(u64::try_from(now_ms - at).unwrap_or(0))))
    }

    /// Replaces a pending delivery (after a failed attempt).
    pub fn update_delivery(&self, key: &OutboxKey, delivery: &Delivery) -> Result<()> {
        self.outbox.insert(key.to_bytes(), encode(delivery))?;
        Ok(())
    }

    /// One pending delivery.
    pub fn delivery(&self, key: &OutboxKey) -> Result<Option<Delivery>> {
        match self.outbox.get(key.to_bytes())? {
            Some(v) => Ok(Some(decode("outbox", &v)?)),
            None => Ok(None),
        }
    }

    /// Removes these pending deliveries (a chat that is gone).
    pub fn remove_deliveries(&self, keys: &[OutboxKey]) -> Result<()> {
        let mut batch = sled::Batch::default();
        for key in keys {
            batch.remove(key.to_bytes().as_slice());
        }
        self.outbox.apply_batch(batch)?;
        Ok(())
    }

    /// Sends these pending deliveries to `to` instead (a chat that moved), due at once.
    pub fn retarget_deliveries(&self, keys: &[OutboxKey], to: &Target) -> Result<()> {
        let mut batch = sled::Batch::default();
        for key in keys {
            if let Some(mut d) = self.delivery(key)? {
                d.target = to.clone();
                d.not_before = 0;
                batch.insert(key.to_bytes().as_slice(), encode(&d));
            }
        }
        self.outbox.apply_batch(batch)?;
        Ok(())
    }

    /// Removes a delivery the platform accepted and records the message id it got.
    pub fn complete_delivery(
        &self,
        key: &OutboxKey,
        delivery: &Delivery,
        message_id: Option<&str>,
    ) -> Result<()> {
        let sent_key = sent_key(&delivery.feed, &delivery.key, &delivery.target.id());
        let sent_value = message_id.map(|id| {
            encode(&SentRecord {
                target: delivery.target.clone(),
                message_id: id.to_owned(),
            })
        });
        let res: Result<(), TransactionError<Infallible>> =
            (&self.outbox, &self.sent).transaction(|(outbox_t, sent_t)| {
                outbox_t.remove(key.to_bytes().as_slice())?;
                if let Some(v) = &sent_value {
                    sent_t.insert(sent_key.as_slice(), v.as_slice())?;
                }
                Ok::<_, ConflictableTransactionError<Infallible>>(())
            });
        match res {
            Ok(()) => Ok(()),
            Err(TransactionError::Storage(e)) => Err(e.into()),
            Err(TransactionError::Abort(never)) => match never {},
        }
    }

    /// The message id a post got at a target, if it was sent.
    pub fn sent_message(
        &self,
        feed: &str,
        key: &PostKey,
        target: &Target,
    ) -> Result<Option<String>> {
        match self.sent.get(sent_key(feed, key, &target.id()))? {
            Some(v) => Ok(Some(decode::<SentRecord>("sent", &v)?.message_id)),
            None => Ok(None),
        }
    }

    /// Every message a post got.
    pub fn sent_for(&self, feed: &str, key: &PostKey) -> Result<Vec<SentRecord>> {
        let mut prefix = post_id(feed, key);
        prefix.push(0);
        let mut out = Vec::new();
        for item in self.sent.scan_prefix(prefix) {
            let (_, v) = item?;
            out.push(decode("sent", &v)?);
        }
        Ok(out)
    }
}

fn sent_key(feed: &str, key: &PostKey, target_id: &str) -> Vec<u8> {
    let mut k = post_id(feed, key);
    k.push(0);
    k.extend_from_slice(target_id.as_bytes());
    k
}
