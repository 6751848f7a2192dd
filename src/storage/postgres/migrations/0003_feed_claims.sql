-- Feed polling spread over the nodes of a cluster. Each http feed has its next poll and, while a
-- node polls it, that node's claim: who holds it, until when (database clock), and a number that
-- grows with every claim and fences the poll's result.

ALTER TABLE feeds
    ADD COLUMN host         text,
    ADD COLUMN next_poll    timestamptz,
    ADD COLUMN lease_holder text,
    ADD COLUMN lease_until  timestamptz,
    ADD COLUMN claim        bigint NOT NULL DEFAULT 0;

-- The claim query walks due feeds in order of their next poll.
CREATE INDEX feeds_due ON feeds (next_poll) WHERE next_poll IS NOT NULL;
-- Claims in flight per host (released claims have no lease_until), for per-host politeness.
CREATE INDEX feeds_claimed ON feeds (host) WHERE lease_until IS NOT NULL;

-- Claimers take this row's lock in turn for the short claim transaction, so the claims in
-- flight per host that a claim counts include every other node's (a row lock, not an advisory
-- lock: it works behind transaction poolers and on PostgreSQL-compatible databases).
CREATE TABLE feed_claim_turn (
    id int PRIMARY KEY
);
INSERT INTO feed_claim_turn (id) VALUES (1);

-- The feed names a node's config holds: a node claims only feeds of its own set, so a feed
-- removed from one node's config is left to the nodes that still have it. Nodes with the same
-- feeds share one set (its id is a hash of the names).
CREATE TABLE feed_sets (
    id      text        PRIMARY KEY,
    used_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE feed_set_members (
    set_id text NOT NULL REFERENCES feed_sets (id) ON DELETE CASCADE,
    feed   text NOT NULL,
    PRIMARY KEY (set_id, feed)
);
