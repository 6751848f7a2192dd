-- Several nodes on one database: who is alive, and who holds each lease (a platform session).
-- Times come from the database clock only, so nodes' clocks may disagree.

CREATE TABLE nodes (
    id         text        PRIMARY KEY,
    -- A random value per process: a second process with the same id is told apart.
    instance   text        NOT NULL,
    host       text        NOT NULL,
    pid        bigint      NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    seen_at    timestamptz NOT NULL DEFAULT now(),
    status     jsonb       NOT NULL DEFAULT '{}'
);

CREATE TABLE leases (
    name       text        PRIMARY KEY,
    holder     text,
    -- Grows by one with every new holder; writes fenced by a lease name its epoch.
    epoch      bigint      NOT NULL,
    expires_at timestamptz NOT NULL
);
