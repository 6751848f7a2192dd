//! The category toggle keyboard: an "all" row, then the known categories three to a row, each
//! marked when subscribed.

use super::callback::{all_data, category_data};
use super::{Button, Context};
use crate::i18n;
use crate::model::Subscription;

/// Buttons per row.
const ROW: usize = 3;
/// Most category buttons (Telegram allows 100 buttons in all; one is "all").
const MAX_BUTTONS: usize = 99;
/// Longest button label, in characters, before it is shortened with "…".
const MAX_LABEL_CHARS: usize = 24;

const ON: &str = "✅ ";

/// The keyboard for `sub` over the known categories.
pub(crate) fn keyboard(sub: &Subscription, ctx: &Context, known: &[String]) -> Vec<Vec<Button>> {
    let chat = ctx.remote.then_some(&ctx.chat);
    let mark = |on: bool| if on { ON } else { "" };
    let mut rows = vec![vec![Button {
        label: format!("{}{}", mark(sub.all), i18n::all_label(ctx.lang)),
        data: all_data(chat),
    }]];
    let buttons: Vec<Button> = known
        .iter()
        .take(MAX_BUTTONS)
        .map(|c| Button {
            label: format!("{}{}", mark(sub.has_category(c)), shorten(c)),
            data: category_data(chat, c),
        })
        .collect();
    rows.extend(buttons.chunks(ROW).map(<[Button]>::to_vec));
    rows
}

fn shorten(label: &str) -> String {
    if label.chars().nth(MAX_LABEL_CHARS).is_none() {
        return label.to_owned();
    }
    let mut out: String = label.chars().take(MAX_LABEL_CHARS - 1).collect();
    out.push('…');
    out
}
