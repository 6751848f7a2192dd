//! The outbox and sent trees: pending deliveries in order, and the messages posts got.

use std::convert::Infallible;
use std::time::Duration;

use ::sled::Transactional;
use ::sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{SledStore, post_id};
use crate::model::{Delivery, OutboxKey, PostKey, SentRecord, Target};
use crate::storage::Completed;
use crate::storage::error::{Result, corrupt, decode, encode};

impl SledStore {
    pub fn pending(&self) -> Result<Vec<(OutboxKey, Delivery)>> {
        let mut out = Vec::with_capacity(self.outbox.len());
        for item in self.outbox.iter() {
            let (k, v) = item?;
            let key = OutboxKey::from_bytes(&k).ok_or_else(|| corrupt("outbox", "key"))?;
            out.push((key, decode("outbox", &v)?));
        }
        Ok(out)
    }

    pub fn outbox_len(&self) -> Result<usize> {
        Ok(self.outbox.len())
    }

    /// Keys run in arrival order within each priority, so only the head of each priority is
    /// read (past records too old to carry their time).
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

    pub fn update_delivery(&self, key: &OutboxKey, delivery: &Delivery) -> Result<()> {
        self.outbox.insert(key.to_bytes(), encode(delivery))?;
        Ok(())
    }

    pub fn delivery(&self, key: &OutboxKey) -> Result<Option<Delivery>> {
        match self.outbox.get(key.to_bytes())? {
            Some(v) => Ok(Some(decode("outbox", &v)?)),
            None => Ok(None),
        }
    }

    pub fn remove_deliveries(&self, keys: &[OutboxKey]) -> Result<()> {
        let mut batch = ::sled::Batch::default();
        for key in keys {
            batch.remove(key.to_bytes().as_slice());
        }
        self.outbox.apply_batch(batch)?;
        Ok(())
    }

    pub fn retarget_deliveries(&self, keys: &[OutboxKey], to: &Target) -> Result<()> {
        let mut batch = ::sled::Batch::default();
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

    /// Removes finished deliveries and records their message ids, in one transaction; the
    /// caller flushes.
    pub fn complete_deliveries(&self, done: &[Completed]) -> Result<()> {
        let mut writes = Vec::with_capacity(done.len());
        for c in done {
            let sent = c.message_id.as_ref().map(|id| {
                let record = SentRecord {
                    target: c.delivery.target.clone(),
                    message_id: id.clone(),
                };
                let key = sent_key(&c.delivery.feed, &c.delivery.key, &c.delivery.target.id());
                (key, encode(&record))
            });
            writes.push((c.key.to_bytes(), sent));
        }
        let res: Result<(), TransactionError<Infallible>> =
            (&self.outbox, &self.sent).transaction(|(outbox_t, sent_t)| {
                for (key, sent) in &writes {
                    outbox_t.remove(key.as_slice())?;
                    if let Some((k, v)) = sent {
                        sent_t.insert(k.as_slice(), v.as_slice())?;
                    }
                }
                Ok::<_, ConflictableTransactionError<Infallible>>(())
            });
        match res {
            Ok(()) => Ok(()),
            Err(TransactionError::Storage(e)) => Err(e.into()),
            Err(TransactionError::Abort(never)) => match never {},
        }
    }

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

pub(super) fn sent_key(feed: &str, key: &PostKey, target_id: &str) -> Vec<u8> {
    let mut k = post_id(feed, key);
    k.push(0);
    k.extend_from_slice(target_id.as_bytes());
    k
}
