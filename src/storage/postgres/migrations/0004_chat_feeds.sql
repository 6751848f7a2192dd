-- Feeds that chats added themselves: one JSON record per URL (followers, health, what the
-- followers were told), changed under a row lock.

CREATE TABLE chat_feeds (
    url    text  PRIMARY KEY,
    record jsonb NOT NULL
);
