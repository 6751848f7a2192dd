//! `sokbo store copy`: moves an installation between backends, everything or nothing.

use super::{Location, Result, Snapshot, Store, StoreError};

/// What a copy moved: records per kind, as read and as found in the target afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub counts: Vec<(&'static str, usize)>,
}

impl std::fmt::Display for CopyReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (kind, n) in &self.counts {
            writeln!(f, "{kind:>14}  {n}")?;
        }
        Ok(())
    }
}

/// Copies every record from `from` into `to`, which must be empty, then reads the target back
/// and checks that each kind has as many records as the source.
pub async fn copy(from: &Location, to: &Location) -> Result<CopyReport> {
    if from == to {
        return Err(StoreError::Backend(
            "source and target are the same store".into(),
        ));
    }
    if let Location::Sled(dir) = from
        && !dir.join("db").exists()
    {
        return Err(StoreError::Open {
            path: dir.display().to_string(),
            message: "no sokbo data there to copy".into(),
        });
    }
    let source = Store::open(from).await?;
    let target = Store::open(to).await?;
    let snapshot: Snapshot = source.export().await?;
    let present = target.export().await?;
    if present.counts().iter().any(|(_, n)| *n > 0) {
        return Err(StoreError::Backend(format!(
            "{to} is not empty; copy writes only into an empty store"
        )));
    }
    target.import(&snapshot).await?;
    let written = target.export().await?;
    let (want, got) = (snapshot.counts(), written.counts());
    for ((kind, n), (_, m)) in want.iter().zip(&got) {
        if n != m {
            return Err(StoreError::Backend(format!(
                "copy check failed: {kind}: {n} read, {m} in the target"
            )));
        }
    }
    Ok(CopyReport { counts: want })
}
