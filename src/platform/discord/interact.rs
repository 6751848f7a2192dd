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
use crate::i18n::Text;
use crate::model::{ChatId, Lang};

/// Longest message content Discord takes.
const MAX_CONTENT: usize = 2000;

/// The help text for Discord: the slash commands and who may use them.
pub fn help(lang: Lang) -> String {
    let (title, lines, note): (&str, &[(&str, &str)], &str) = match lang {
        Lang::Ko => (
            "sokbo 속보 봇 — 이 채널에서 쓰는 명령",
            &[
                (
                    "/구독 분류:경제",
                    "분류의 새 글을 이 채널로 알림 (전체는 all)",
                ),
                ("/해지 분류:경제", "구독 해지"),
                ("/목록", "이 채널의 구독"),
                ("/분류", "분류 목록"),
                ("/포함 단어:반도체", "이 단어가 있는 알림만"),
                ("/제외 단어:광고", "이 단어가 있는 알림 빼기"),
                ("/필터해제", "단어 필터 지우기"),
                ("/일시정지 · /재개", "알림 멈추기와 다시 받기"),
                ("/무음 시간:23-7", "이 시간에는 알림음 없이"),
            ],
            "구독을 바꾸려면 채널 관리 권한이 필요해요.",
        ),
        Lang::En => (
            "sokbo breaking-news bot — commands for this channel",
            &[
                (
                    "/subscribe category:economy",
                    "alerts of a category here (or all)",
                ),
                ("/unsubscribe category:economy", "stop a category"),
                ("/list", "this channel's subscription"),
                ("/categories", "known categories"),
                ("/include keywords:chips", "only alerts with a word"),
                ("/exclude keywords:ads", "skip alerts with a word"),
                ("/clearfilters", "remove word filters"),
                ("/pause · /resume", "stop and restart alerts"),
                ("/quiet hours:23-7", "no notification sound in these hours"),
            ],
            "Changing the subscription needs the Manage Channels permission.",
        ),
    };
    let mut out = title.to_owned();
    for (cmd, what) in lines {
        out.push_str(&format!("\n{cmd} — {what}"));
    }
    out.push('\n');
    out.push_str(note);
    out
}

/// The refusal for a member without Manage Channels.
pub fn not_allowed(lang: Lang) -> &'static str {
    match lang {
        Lang::Ko => "채널 관리 권한이 있어야 이 채널의 구독을 바꿀 수 있어요.",
        Lang::En => "You need the Manage Channels permission to change this channel's alerts.",
    }
}

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
        let lang = Lang::from_code(Some(&cmd.locale), self.lang);
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
            return match lang {
                Lang::Ko => "서버 채널에서 써 주세요.".to_owned(),
                Lang::En => "Please use this in a server channel.".to_owned(),
            };
        }
        let known = self.known_categories().await;
        let value = cmd.data.options.first().and_then(|o| o.value.as_str());
        let command = match command_of(&cmd.data.name, value, &known) {
            Ok(Command::Help | Command::Start) => return help(lang),
            Ok(command) => command,
            Err(e) => return Reply::parse_error(lang, &e).text,
        };
        let can_admin = can_manage(cmd);
        if command.changes() && !can_admin {
            return not_allowed(lang).to_owned();
        }
        let ctx = Context {
            chat: ChatId::discord(cmd.channel_id.get()),
            kind: ChatKind::Group,
            can_admin,
            lang,
            title: cmd.channel.as_ref().and_then(|c| c.name.clone()),
            remote: false,
        };
        match handle(&command, &ctx, &self.subs, &known).await {
            Ok(reply) => reply.text,
            Err(e) => {
                tracing::error!(chat = %ctx.chat, "subscription store: {e}");
                crate::i18n::text(lang, &Text::Failed)
            }
        }
    }

    /// Offers categories for the option being typed.
    pub(super) async fn on_autocomplete(&self, http: &Http, cmd: &CommandInteraction) {
        let typed = cmd.data.autocomplete().map_or("", |o| o.value);
        let mut known = self.known_categories().await;
        if cmd.data.name == "unsubscribe"
            && let Ok(Some(sub)) = self.subs.get(&ChatId::discord(cmd.channel_id.get())).await
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
