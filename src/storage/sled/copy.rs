//! Reading a whole sled store into a `Snapshot`, and writing one into an empty store.

use super::outbox::sent_key;
use super::{SledStore, post_id, split_post_id};
use crate::model::{Alert, SentRecord};
use crate::storage::Snapshot;
use crate::storage::error::{Result, corrupt, decode, encode};

impl SledStore {
    pub fn export(&self) -> Result<Snapshot> {
        let mut snap = Snapshot::default();
        for item in self.meta.iter() {
            let (k, v) = item?;
            let key = String::from_utf8_lossy(&k).into_owned();
            if key != "schema" {
                snap.meta.push((key, v.to_vec()));
            }
        }
        for item in self.feeds.iter() {
            let (k, v) = item?;
            snap.feeds.push((
                String::from_utf8_lossy(&k).into_owned(),
                decode("feeds", &v)?,
            ));
        }
        for item in self.seen.iter() {
            let (k, v) = item?;
            let (feed, key) = split_post_id("seen", &k)?;
            snap.seen.push((feed, key, decode("seen", &v)?));
        }
        for item in self.posts.iter() {
            let (_, v) = item?;
            snap.posts.push(decode::<Alert>("posts", &v)?);
        }
        snap.outbox = self.pending()?;
        for item in self.sent.iter() {
            let (k, v) = item?;
            // `feed \0 key \0 target`: the post id is everything before the last NUL.
            let cut = k
                .iter()
                .rposition(|b| *b == 0)
                .ok_or_else(|| corrupt("sent", "key without a target"))?;
            let (feed, key) = split_post_id("sent", &k[..cut])?;
            snap.sent
                .push((feed, key, decode::<SentRecord>("sent", &v)?));
        }
        snap.subscriptions = self.sub_all()?;
        snap.categories = self.known_categories()?;
        for item in self.websub.iter() {
            let (k, v) = item?;
            snap.websub.push((
                String::from_utf8_lossy(&k).into_owned(),
                decode("websub", &v)?,
            ));
        }
        snap.chat_feeds = self.chat_feeds()?;
        Ok(snap)
    }

    pub fn import(&self, snap: &Snapshot) -> Result<()> {
        for (k, v) in &snap.meta {
            self.meta.insert(k.as_bytes(), v.as_slice())?;
        }
        for (feed, state) in &snap.feeds {
            self.feeds.insert(feed.as_bytes(), encode(state))?;
        }
        for (feed, key, rec) in &snap.seen {
            self.seen.insert(post_id(feed, key), encode(rec))?;
        }
        for alert in &snap.posts {
            self.posts
                .insert(post_id(&alert.feed, &alert.key), encode(alert))?;
        }
        let mut last = 0;
        for (key, delivery) in &snap.outbox {
            self.outbox.insert(key.to_bytes(), encode(delivery))?;
            last = last.max(key.seq);
        }
        // New outbox keys must sort after the copied ones.
        while self.db.generate_id()? <= last {}
        for (feed, key, rec) in &snap.sent {
            self.sent
                .insert(sent_key(feed, key, &rec.target.id()), encode(rec))?;
        }
        for sub in &snap.subscriptions {
            self.sub_put(sub)?;
        }
        self.note_categories(&snap.categories)?;
        for (feed, rec) in &snap.websub {
            self.websub.insert(feed.as_bytes(), encode(rec))?;
        }
        for feed in &snap.chat_feeds {
            self.chat_feeds.insert(feed.url.as_bytes(), encode(feed))?;
        }
        self.db.flush()?;
        Ok(())
    }
}
