pub mod feed_server;
