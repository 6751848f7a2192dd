//! The key names each config section accepts, read from the sections' own `Deserialize` impls.

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};

use super::file::{BotFile, ConfigFile, FeedFile};
use super::{
    AlertsConfig, DeliveryConfig, DiscordConfig, HttpConfig, RouteConfig, ServerConfig,
    TelegramConfig,
};

/// How a top-level key is laid out in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    /// `[name]` with these keys.
    Table(&'static [&'static str]),
    /// `[[name]]`, each entry with these keys.
    TableArray(&'static [&'static str]),
}

/// The top-level keys, in declaration order.
pub(super) fn top_level() -> &'static [&'static str] {
    field_names::<ConfigFile>()
}

/// The layout of a top-level key, `None` for an unknown one.
pub(super) fn shape(section: &str) -> Option<Shape> {
    Some(match section {
        "bot" => Shape::Table(field_names::<BotFile>()),
        "alerts" => Shape::Table(field_names::<AlertsConfig>()),
        "summary" => Shape::Table(field_names::<crate::summary::llm::SummaryConfig>()),
        "http" => Shape::Table(field_names::<HttpConfig>()),
        "delivery" => Shape::Table(field_names::<DeliveryConfig>()),
        "store" => Shape::Table(field_names::<super::StoreConfig>()),
        "cluster" => Shape::Table(field_names::<super::ClusterConfig>()),
        "chat_feeds" => Shape::Table(field_names::<super::ChatFeedsConfig>()),
        "telegram" => Shape::Table(field_names::<TelegramConfig>()),
        "discord" => Shape::Table(field_names::<DiscordConfig>()),
        "server" => Shape::Table(field_names::<ServerConfig>()),
        "feeds" => Shape::TableArray(field_names::<FeedFile>()),
        "routes" => Shape::TableArray(field_names::<RouteConfig>()),
        _ => return None,
    })
}

/// The field names a derived `Deserialize` struct passes to `deserialize_struct`.
fn field_names<T: for<'de> Deserialize<'de>>() -> &'static [&'static str] {
    let mut fields: &'static [&'static str] = &[];
    // The probe always fails once it has seen the field list; only the list matters.
    let _ = T::deserialize(Probe(&mut fields));
    fields
}

/// A deserializer that records the field list of the struct asked of it, then stops.
struct Probe<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for Probe<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field names recorded"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_list_their_fields_in_declaration_order() {
        assert_eq!(
            top_level(),
            [
                "bot",
                "alerts",
                "summary",
                "http",
                "delivery",
                "store",
                "cluster",
                "chat_feeds",
                "telegram",
                "discord",
                "server",
                "feeds",
                "routes"
            ]
        );
        assert_eq!(
            shape("bot"),
            Some(Shape::Table(&[
                "data_dir", "language", "timezone", "console"
            ]))
        );
        assert_eq!(
            shape("routes"),
            Some(Shape::TableArray(&[
                "telegram_chat",
                "discord_channel",
                "discord_webhook",
                "categories",
                "feeds"
            ]))
        );
        assert_eq!(shape("bots"), None);
    }

    #[test]
    fn every_top_level_key_has_a_shape() {
        for key in top_level() {
            assert!(shape(key).is_some(), "{key}");
        }
    }
}
