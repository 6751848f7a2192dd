//! Slash commands and autocomplete: interaction → shared command layer → ephemeral reply in the
//! user's locale, answered at once (Discord allows 3 seconds).

use serenity::builder::{
    AutocompleteChoice, CreateAllowedMentions, CreateAutocompleteResponse,
    CreateInteractionResponse, CreateInteractionResponseMessage,
};
use serenity::http::Http;
use serenity::model::application::CommandInteraction;
use serenity::model::permissions::Permissions;

use super::Discord;
use super::slash::{self, command_of};
use crate::commands::{ChatKind, Command, Context, Reply, handle};
use crate::i18n::{self, Text};
use crate::model::{ChatId, Lang};

/// Longest message content Discord takes.
const MAX_CONTENT: usize = 2000;

/// Whether the member who used the command may change this channel's settings.
fn can_manage(cmd: &CommandInteraction) -> bool {
    cmd.member
        .as_ref()
        .and_then(|m| m.permissions)
        .is_some_and(|p| p.contains(Permissions::MANAGE_CHANNELS) || p.administrator())
}

impl Discord {
    /// Answers one slash command.
    pub(super) async fn on_command(&self, http: &Http, cmd: &CommandInteraction) {
        let lang = self.front.lang_for(Some(&cmd.locale));
        let text = self.command_reply(cmd, lang).await;
        let text: String = text.chars().take(MAX_CONTENT).collect();
        let message = CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(CreateAllowedMentions::new());
        if let Err(e) = cmd
            .create_response(http, CreateInteractionResponse::Message(message))
            .await
        {
            tracing::warn!(command = %cmd.data.name, "Discord reply failed: {e}");
        }
    }

    async fn command_reply(&self, cmd: &CommandInteraction, lang: Lang) -> String {
        if cmd.guild_id.is_none() {
            return i18n::text(lang, &Text::ServerChannelOnly);
        }
        let known = self.front.known_categories().await;
        let value = cmd.data.options.first().and_then(|o| o.value.as_str());
        let command = match command_of(&cmd.data.name, value, &known) {
            Ok(Command::Help | Command::Start) => return i18n::text(lang, &Text::SlashHelp),
            Ok(command) => command,
            Err(e) => return Reply::parse_error(lang, &e).text,
        };
        let can_admin = can_manage(cmd);
        if command.changes() && !can_admin {
            return i18n::text(lang, &Text::NeedsManageChannels);
        }
        let ctx = Context {
            chat: ChatId::discord(cmd.channel_id.get()),
            kind: ChatKind::Group,
            can_admin,
            lang,
            title: cmd.channel.as_ref().and_then(|c| c.name.clone()),
            remote: false,
        };
        let feeds = self.front.feeds();
        match handle(&command, &ctx, &self.front.subs, &known, feeds).await {
            Ok(reply) => reply.text,
            Err(e) => {
                tracing::error!(chat = %ctx.chat, "subscription store: {e}");
                i18n::text(lang, &Text::Failed)
            }
        }
    }

    /// Offers categories for the option being typed.
    pub(super) async fn on_autocomplete(&self, http: &Http, cmd: &CommandInteraction) {
        let typed = cmd.data.autocomplete().map_or("", |o| o.value);
        let mut known = self.front.known_categories().await;
        if cmd.data.name == "unsubscribe"
            && let Ok(Some(sub)) = self
                .front
                .subs
                .get(&ChatId::discord(cmd.channel_id.get()))
                .await
        {
            // The channel's own categories first.
            let mut own: Vec<String> = sub.categories.iter().cloned().collect();
            own.retain(|c| !c.is_empty());
            known.retain(|k| !own.contains(k));
            own.extend(known);
            known = own;
        }
        let choices: Vec<AutocompleteChoice> = slash::complete(typed, &known)
            .into_iter()
            .map(|c| AutocompleteChoice::new(c.clone(), c))
            .collect();
        let response = CreateAutocompleteResponse::new().set_choices(choices);
        if let Err(e) = cmd
            .create_response(http, CreateInteractionResponse::Autocomplete(response))
            .await
        {
            tracing::warn!("Discord autocomplete failed: {e}");
        }
    }
}
