//! The gateway session through serenity: READY registers the slash commands, interactions are
//! answered, a deleted channel pauses its subscription, the session state is watched for
//! /healthz; stops with the shutdown token.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serenity::all::{
    ClientBuilder, Command as AppCommand, ConnectionStage, Context, EventHandler, GatewayIntents,
    GuildChannel, Interaction, Message, Ready,
};
use tokio_util::sync::CancellationToken;

use super::{Discord, http, slash};
use crate::config::ChatFeedsAllow;
use crate::model::ChatId;

struct Handler {
    discord: Arc<Discord>,
}

#[serenity::async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        ctx.http.set_application_id(ready.application.id);
        let feeds_open = self
            .discord
            .front
            .feeds()
            .is_some_and(|f| f.config().allow == ChatFeedsAllow::Everyone);
        let commands = slash::definitions(feeds_open);
        match AppCommand::set_global_commands(&ctx.http, commands).await {
            Ok(list) => tracing::info!(commands = list.len(), "Discord slash commands registered"),
            Err(e) => tracing::warn!("Discord command registration failed: {e}"),
        }
        tracing::info!(guilds = ready.guilds.len(), "Discord gateway ready");
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        match &interaction {
            Interaction::Command(cmd) => self.discord.on_command(&ctx.http, cmd).await,
            Interaction::Autocomplete(cmd) => self.discord.on_autocomplete(&ctx.http, cmd).await,
            _ => {}
        }
    }

    async fn channel_delete(
        &self,
        _ctx: Context,
        channel: GuildChannel,
        _messages: Option<Vec<Message>>,
    ) {
        let chat = ChatId::discord(channel.id.get());
        if let Err(e) = self
            .discord
            .front
            .subs
            .set_inactive(&chat, "channel deleted")
            .await
        {
            tracing::error!(%chat, "cannot pause the subscription: {e}");
        }
    }
}

impl Discord {
    /// Runs the gateway session until `shutdown`; serenity reconnects by itself.
    pub async fn run_gateway(self: Arc<Self>, shutdown: CancellationToken) {
        let handler = Handler {
            discord: self.clone(),
        };
        let builder =
            ClientBuilder::new_with_http(http(&self.api, &self.token), GatewayIntents::GUILDS)
                .event_handler(handler);
        let mut client = match builder.await {
            Ok(client) => client,
            Err(e) => {
                tracing::error!("Discord gateway client: {e}");
                return;
            }
        };
        if !self.gateway_url.is_empty() {
            *client.ws_url.lock().await = self.gateway_url.clone();
        }
        let shards = client.shard_manager.clone();
        let runners = shards.runners.clone();
        // The session is up while a shard runner is connected; a lost session removes or
        // restarts the runner (serenity reports no stage change for that).
        let watch = async {
            loop {
                let up = runners
                    .lock()
                    .await
                    .values()
                    .any(|r| r.stage == ConnectionStage::Connected);
                if self.connected.swap(up, Ordering::Relaxed) != up {
                    tracing::info!(up, "Discord gateway session");
                }
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
            }
        };
        tokio::select! {
            () = watch => {}
            result = client.start() => {
                if let Err(e) = result {
                    tracing::error!("Discord gateway stopped: {e}");
                }
            }
            _ = shutdown.cancelled() => shards.shutdown_all().await,
        }
        self.connected.store(false, Ordering::Relaxed);
    }
}
