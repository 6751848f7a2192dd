//! Texts about chat-added feeds, Korean and English side by side: replies to `/subscribe <url>`,
//! `/unsubscribe`, `/feeds`, OPML import and export, and the health notices.

use super::{Lang, MAX_LISTED};

/// One feed as `/feeds` shows it; times already in the bot's zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLine {
    pub title: String,
    pub url: String,
    pub last_post: Option<String>,
    pub failing_since: Option<String>,
    pub error: Option<String>,
    pub paused: bool,
}

/// What a reply or notice about chat-added feeds says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedText {
    Added {
        title: String,
        url: String,
        /// The newest post's title and link.
        newest: Option<(String, Option<String>)>,
        already: bool,
        resumed: bool,
    },
    Removed {
        title: String,
    },
    NotFollowed(String),
    List(Vec<FeedLine>),
    NoFeeds,
    Off,
    BadUrl(String),
    Refused(String),
    FetchFailed(String),
    NotAFeed(String),
    Limit(usize),
    Imported {
        added: usize,
        skipped: usize,
        refused: Vec<(String, String)>,
    },
    ImportFailed(String),
    /// `/import` without a file.
    ImportHow,
    /// The caption of the exported file.
    Exported(usize),
    NoticeFailing {
        title: String,
        url: String,
        since: String,
        error: String,
    },
    NoticeRecovered {
        title: String,
        url: String,
    },
    NoticePaused {
        title: String,
        url: String,
        since: String,
    },
}

/// `t` in `lang`.
pub fn text(lang: Lang, t: &FeedText) -> String {
    let ko = lang == Lang::Ko;
    let pick = |k: String, e: String| if ko { k } else { e };
    match t {
        FeedText::Added {
            title,
            url,
            newest,
            already,
            resumed,
        } => {
            let head = match (already, resumed) {
                (_, true) => pick(format!("▶️ 다시 받아요: {title}"), format!("▶️ Resumed: {title}")),
                (true, false) => pick(format!("이미 받고 있어요: {title}"), format!("Already following: {title}")),
                (false, false) => pick(format!("✅ 피드 추가: {title}"), format!("✅ Feed added: {title}")),
            };
            let newest = match newest {
                Some((post, Some(link))) => pick(format!("\n최신 글: {post}\n{link}"), format!("\nNewest post: {post}\n{link}")),
                Some((post, None)) => pick(format!("\n최신 글: {post}"), format!("\nNewest post: {post}")),
                None => pick("\n아직 글이 없어요.".into(), "\nNo posts yet.".into()),
            };
            let tail = pick("\n새 글이 올라오면 알려 드릴게요.".into(), "\nNew posts will arrive here.".into());
            format!("{head}\n{url}{newest}{tail}")
        }
        FeedText::Removed { title } => pick(format!("피드를 뺐어요: {title}"), format!("Feed removed: {title}")),
        FeedText::NotFollowed(which) => pick(
            format!("이 채팅이 받는 피드 중에 {which:?}가 없어요. /feeds 로 목록을 보세요."),
            format!("This chat follows no feed {which:?}. See /feeds."),
        ),
        FeedText::List(lines) => list(ko, lines),
        FeedText::NoFeeds => pick(
            "추가한 피드가 없어요. /subscribe https://example.com/feed.xml 처럼 추가하세요.".into(),
            "No feeds added. Add one with /subscribe https://example.com/feed.xml".into(),
        ),
        FeedText::Off => pick(
            "이 봇에서는 채팅에서 피드를 추가할 수 없어요.".into(),
            "Adding feeds from a chat is turned off on this bot.".into(),
        ),
        FeedText::BadUrl(url) => pick(format!("웹 주소가 아니에요: {url}"), format!("Not a web address: {url}")),
        FeedText::Refused(why) => pick(format!("추가할 수 없는 주소예요: {why}"), format!("That address is not allowed: {why}")),
        FeedText::FetchFailed(why) => pick(format!("가져오지 못했어요: {why}"), format!("Could not fetch it: {why}")),
        FeedText::NotAFeed(why) => pick(
            format!("거기서 피드를 찾지 못했어요 ({why}). RSS·Atom 주소를 직접 주세요."),
            format!("No feed found there ({why}). Give the RSS or Atom address itself."),
        ),
        FeedText::Limit(n) => pick(
            format!("이 채팅은 피드를 {n}개까지 추가할 수 있어요. /unsubscribe 로 하나를 빼 주세요."),
            format!("A chat may add at most {n} feeds. Remove one with /unsubscribe first."),
        ),
        FeedText::Imported { added, skipped, refused } => {
            let mut out = pick(
                format!("OPML 가져오기: {added}개 추가, {skipped}개 건너뜀, {}개 거부", refused.len()),
                format!("OPML import: {added} added, {skipped} skipped, {} refused", refused.len()),
            );
            for (url, why) in refused.iter().take(MAX_LISTED) {
                out.push_str(&format!("\n• {url}: {why}"));
            }
            out
        }
        FeedText::ImportFailed(why) => pick(format!("OPML을 읽지 못했어요: {why}"), format!("Cannot read that OPML file: {why}")),
        FeedText::ImportHow => pick(
            "OPML 파일(.opml)을 이 채팅에 보내면 그 안의 피드를 추가해요. 그룹에서는 파일 설명에 /import 를 적어 주세요.".into(),
            "Send an OPML file (.opml) to this chat to add its feeds; in a group, put /import in the file's caption.".into(),
        ),
        FeedText::Exported(n) => pick(format!("이 채팅의 피드 {n}개 (OPML)"), format!("This chat's {n} feeds (OPML)")),
        FeedText::NoticeFailing { title, url, since, error } => pick(
            format!("⚠️ 피드 오류: {title}\n{url}\n{since}부터 가져오지 못하고 있어요: {error}"),
            format!("⚠️ Feed failing: {title}\n{url}\nCannot be read since {since}: {error}"),
        ),
        FeedText::NoticeRecovered { title, url } => pick(
            format!("✅ 피드 복구: {title}\n{url}\n다시 잘 가져오고 있어요."),
            format!("✅ Feed works again: {title}\n{url}"),
        ),
        FeedText::NoticePaused { title, url, since } => pick(
            format!("⏸ 피드 멈춤: {title}\n{url}\n{since}부터 계속 실패해서 가져오기를 멈췄어요. 다시 받으려면: /subscribe {url}"),
            format!("⏸ Feed paused: {title}\n{url}\nIt has failed since {since}, so it is no longer fetched. To resume: /subscribe {url}"),
        ),
    }
}

fn list(ko: bool, lines: &[FeedLine]) -> String {
    let mut out = if ko {
        format!("이 채팅의 피드 {}개", lines.len())
    } else {
        format!("This chat's {} feeds", lines.len())
    };
    for (i, line) in lines.iter().enumerate().take(MAX_LISTED) {
        out.push_str(&format!("\n{}. {} — {}", i + 1, line.title, line.url));
        let state = match (line.paused, &line.failing_since) {
            (true, _) if ko => format!("   ⏸ 멈춤 · 다시 받기: /subscribe {}", line.url),
            (true, _) => format!("   ⏸ paused · resume: /subscribe {}", line.url),
            (false, Some(since)) => {
                let error = line.error.as_deref().unwrap_or("");
                if ko {
                    format!("   ⚠️ {since}부터 실패: {error}")
                } else {
                    format!("   ⚠️ failing since {since}: {error}")
                }
            }
            (false, None) => match &line.last_post {
                Some(at) if ko => format!("   마지막 새 글: {at}"),
                Some(at) => format!("   last new post: {at}"),
                None if ko => "   아직 새 글 없음".to_owned(),
                None => "   no new post yet".to_owned(),
            },
        };
        out.push('\n');
        out.push_str(&state);
    }
    if lines.len() > MAX_LISTED {
        let rest = lines.len() - MAX_LISTED;
        out.push_str(&if ko {
            format!("\n… 외 {rest}개")
        } else {
            format!("\n… and {rest} more")
        });
    }
    out
}
