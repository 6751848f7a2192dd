//! Slash commands and autocomplete: interaction → shared command layer → ephemeral reply in the
//! user's locale (with a file when the reply has one), answered at once or, for a command that
//! fetches first, deferred at once and answered by editing (Discord allows 3 seconds).

use serenity::builder::{
    AutocompleteChoice, CreateAllowedMentions, CreateAttachment, CreateAutocompleteResponse,
    CreateInteractionResponse, CreateInteractionResponseMessage, EditInteractionResponse,
};
use serenity::http::Http;
use serenity::model::application::CommandInteraction;
use serenity::model::permissions::Permissions;

use super::Discord;
use super::files;
use super::slash::{self, command_of};
use crate::commands::{ChatKind, Command, Context, Reply, handle};
use crate::i18n::Text;
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

/// The text option a command was given: `url` when there is one, else the first.
fn text_option(cmd: &CommandInteraction) -> Option<(&str, &str)> {
    let options = &cmd.data.options;
    let url = options.iter().find(|o| o.name == slash::URL);
    url.or(options.first())
        .and_then(|o| Some((o.name.as_str(), o.value.as_str()?)))
}

/// Whether answering `cmd` needs a fetch first: a feed added by its address, or a file imported.
fn fetches_first(cmd: &CommandInteraction) -> bool {
    let has = |name: &str| cmd.data.options.iter().any(|o| o.name == name);
    match cmd.data.name.as_str() {
        "subscribe" => has(slash::URL),
        "import" => true,
        _ => false,
    }
}

/// Feed commands check `[chat_feeds] allow` themselves (it may let every member add feeds).
fn checks_own_rights(command: &Command) -> bool {
    matches!(
        command,
        Command::AddFeed(_) | Command::RemoveFeed(_) | Command::Import(_)
    )
}

impl Discord {
    /// Answers one slash command. A command that fetches first (adding a feed by its
    /// address, importing a file) is deferred at once, since Discord drops an interaction not
    /// answered within 3 seconds, and its answer then replaces the "thinking" message.
    pub(super) async fn on_command(&self, http: &Http, cmd: &CommandInteraction) {
        let lang = self.front.lang_for(Some(&cmd.locale));
        if fetches_first(cmd) {
            let defer = CreateInteractionResponseMessage::new().ephemeral(true);
            if let Err(e) = cmd
                .create_response(http, CreateInteractionResponse::Defer(defer))
                .await
            {
                tracing::warn!(command = %cmd.data.name, "Discord deferral failed: {e}");
                return;
            }
            let reply = self.command_reply(cmd, lang).await;
            let text: String = reply.text.chars().take(MAX_CONTENT).collect();
            let edit = EditInteractionResponse::new()
                .content(text)
                .allowed_mentions(CreateAllowedMentions::new());
            let edit = match reply.file {
                Some(file) => edit.new_attachment(CreateAttachment::bytes(file.bytes, file.name)),
                None => edit,
            };
            if let Err(e) = cmd.edit_response(http, edit).await {
                tracing::warn!(command = %cmd.data.name, "Discord reply failed: {e}");
            }
            return;
        }
        let reply = self.command_reply(cmd, lang).await;
        let text: String = reply.text.chars().take(MAX_CONTENT).collect();
        let message = CreateInteractionResponseMessage::new()
            .content(text)
            .ephemeral(true)
            .allowed_mentions(CreateAllowedMentions::new());
        let message = files::with_file(message, reply.file);
        if let Err(e) = cmd
            .create_response(http, CreateInteractionResponse::Message(message))
            .await
        {
            tracing::warn!(command = %cmd.data.name, "Discord reply failed: {e}");
        }
    }

    async fn command_reply(&self, cmd: &CommandInteraction, lang: Lang) -> Reply {
        if cmd.guild_id.is_none() {
            return Reply::text(lang, &Text::ServerChannelOnly);
        }
        let known = self.front.known_categories().await;
        let command = match command_of(&cmd.data.name, text_option(cmd), &known) {
            Ok(Command::Help | Command::Start) => return Reply::text(lang, &Text::SlashHelp),
            Ok(command) => command,
            Err(e) => return Reply::parse_error(lang, &e),
        };
        let can_admin = can_manage(cmd);
        if command.changes() && !can_admin && !checks_own_rights(&command) {
            return Reply::text(lang, &Text::NeedsManageChannels);
        }
        let ctx = Context {
            chat: ChatId::discord(cmd.channel_id.get()),
            kind: ChatKind::Group,
            can_admin,
            lang,
            title: cmd.channel.as_ref().and_then(|c| c.name.clone()),
            remote: false,
        };
        let command = match command {
            // Without rights, the empty import is refused below; nothing is downloaded.
            Command::Import(_) if self.may_import(&ctx) => match self.import_file(cmd).await {
                Ok(bytes) => Command::Import(bytes),
                Err(no_file) => return Reply::text(lang, &Text::Feeds(no_file.text())),
            },
            command => command,
        };
        let feeds = self.front.feeds();
        match handle(&command, &ctx, &self.front.subs, &known, feeds).await {
            Ok(reply) => reply,
            Err(e) => {
                tracing::error!(chat = %ctx.chat, "subscription store: {e}");
                Reply::text(lang, &Text::Failed)
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
