//! reqwest fetch of one feed: conditional GET, timeouts, streamed size cap, redirects.
