-- sokbo's store on PostgreSQL: the same records as the sled trees, JSON where sled keeps JSON.

CREATE TABLE meta (
    key   text PRIMARY KEY,
    value bytea NOT NULL
);

CREATE TABLE feeds (
    feed  text PRIMARY KEY,
    state jsonb NOT NULL
);

CREATE TABLE seen (
    feed        text   NOT NULL,
    key         text   NOT NULL,
    first_seen  bigint NOT NULL,
    fingerprint text   NOT NULL,
    PRIMARY KEY (feed, key)
);
CREATE INDEX seen_first_seen ON seen (first_seen);

CREATE TABLE posts (
    feed  text  NOT NULL,
    key   text  NOT NULL,
    alert jsonb NOT NULL,
    PRIMARY KEY (feed, key)
);

-- Outbox ids come from this sequence; the order is (priority, id): breaking first, then arrival.
CREATE SEQUENCE outbox_seq;
CREATE TABLE outbox (
    id          bigint   PRIMARY KEY,
    priority    smallint NOT NULL,
    enqueued_at bigint   NOT NULL,
    delivery    jsonb    NOT NULL
);
CREATE INDEX outbox_order ON outbox (priority, id);

CREATE TABLE sent (
    feed   text  NOT NULL,
    key    text  NOT NULL,
    target text  NOT NULL,
    record jsonb NOT NULL,
    PRIMARY KEY (feed, key, target)
);

CREATE TABLE subscriptions (
    chat text  PRIMARY KEY,
    sub  jsonb NOT NULL
);

CREATE TABLE categories (
    name text PRIMARY KEY
);

CREATE TABLE websub (
    feed   text  PRIMARY KEY,
    record jsonb NOT NULL
);
