//! An ingest as one sled transaction: each post's "new?" (or "still the corrected version?")
//! is checked inside it, so a post two writers race for is taken once.

use ::sled::Transactional;
use ::sled::transaction::{ConflictableTransactionError, TransactionError};

use super::{SledStore, post_id};
use crate::model::{OutboxKey, SeenRecord};
use crate::storage::error::{Result, decode, encode};
use crate::storage::{IngestBatch, Ingested};

impl SledStore {
    pub fn ingest(&self, feed: &str, batch: &IngestBatch) -> Result<Ingested> {
        // Outbox keys come from sled's id generator, outside the transaction (which may run
        // more than once); unused ids leave gaps, which order does not mind.
        let mut keyed = Vec::with_capacity(batch.posts.len());
        for post in &batch.posts {
            let mut deliveries = Vec::with_capacity(post.deliveries.len());
            for (urgent, d) in &post.deliveries {
                let key = OutboxKey::new(*urgent, self.db.generate_id()?);
                deliveries.push((key, encode(d)));
            }
            keyed.push(deliveries);
        }
        let state = batch.feed_state.as_ref().map(encode);
        let res: Result<Vec<bool>, TransactionError<crate::storage::StoreError>> =
            (&self.seen, &self.posts, &self.outbox, &self.feeds).transaction(
                |(seen_t, posts_t, outbox_t, feeds_t)| {
                    let mut taken = Vec::with_capacity(batch.posts.len());
                    for (post, deliveries) in batch.posts.iter().zip(&keyed) {
                        let id = post_id(feed, &post.key);
                        let stored = seen_t.get(&id)?;
                        let take = match (&post.replaces, stored) {
                            (None, None) => true,
                            (Some(fingerprint), Some(v)) => {
                                let rec: SeenRecord = decode("seen", &v)
                                    .map_err(ConflictableTransactionError::Abort)?;
                                rec.fingerprint == *fingerprint
                            }
                            _ => false,
                        };
                        taken.push(take);
                        if !take {
                            continue;
                        }
                        seen_t.insert(id.as_slice(), encode(&post.seen))?;
                        if let Some(alert) = &post.alert {
                            posts_t.insert(id.as_slice(), encode(alert))?;
                        }
                        for (key, value) in deliveries {
                            outbox_t.insert(&key.to_bytes(), value.as_slice())?;
                        }
                    }
                    if let Some(s) = &state {
                        feeds_t.insert(feed.as_bytes(), s.as_slice())?;
                    }
                    Ok(taken)
                },
            );
        let taken = match res {
            Ok(taken) => taken,
            Err(TransactionError::Storage(e)) => return Err(e.into()),
            Err(TransactionError::Abort(e)) => return Err(e),
        };
        let mut deliveries = Vec::new();
        for ((post, keys), took) in batch.posts.iter().zip(&keyed).zip(&taken) {
            if *took {
                let pairs = keys.iter().zip(&post.deliveries);
                deliveries.extend(pairs.map(|((key, _), (_, d))| (*key, d.clone())));
            }
        }
        Ok(Ingested { taken, deliveries })
    }
}
