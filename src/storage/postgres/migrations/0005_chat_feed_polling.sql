-- Chat-added feeds are polled by every node's claims: a feed row is claimable as a chat feed
-- while its record has followers and is not paused. Both facts are kept as columns computed
-- from the record, so the claim query reads an index instead of the JSON.

ALTER TABLE chat_feeds
    ADD COLUMN name   text    GENERATED ALWAYS AS (record->>'name') STORED,
    ADD COLUMN polled boolean GENERATED ALWAYS AS (
        NOT coalesce((record->>'paused')::boolean, false)
        AND jsonb_array_length(coalesce(record->'followers', '[]'::jsonb)) > 0
    ) STORED;

CREATE INDEX chat_feeds_polled ON chat_feeds (name) WHERE polled;
