//! Bell items by email, for staff who chose email for a topic (Account →
//! Notifications): a follower of the bell items like push, queueing into the
//! staff outbox that the messaging sender sends and retries. Each email says
//! what the bell item says and links to what it is about.

use crate::backend::channels::client_messages::templates::escape_html;
use crate::backend::events::{read_bell_items, Follower, Page};
use crate::backend::store::account_emails::{self, NewAccountEmail};
use crate::backend::store::cursors::Log;
use crate::backend::store::notifications::PushItem;
use crate::backend::store::{self, BoxFut, Conn, Tx};
use crate::backend::AppState;
use crate::domain::ids::StaffId;
use crate::domain::messages::AccountEmailKind;
use crate::domain::preferences::Topic;
use crate::error::AppError;
use crate::i18n::Language;
use crate::rules::preferences;

pub struct StaffEmail;

pub struct Mail {
    to: String,
    subject: String,
    text: String,
    html: String,
}

impl Follower for StaffEmail {
    const NAME: &'static str = "staff_email";
    const LOG: Log = Log::Notifications;
    type Item = PushItem;
    type Output = Vec<Mail>;

    async fn read(conn: &mut Conn, after: i64, limit: i64) -> Result<Page<PushItem>, AppError> {
        read_bell_items(conn, after, limit).await
    }

    async fn handle(&self, state: &AppState, conn: &mut Conn, items: Vec<PushItem>) -> Result<Vec<Mail>, AppError> {
        let staff: Vec<StaffId> = items.iter().map(|n| n.staff_id).collect();
        let prefs = store::preferences::of_many(conn, &staff).await?;
        let wanted: Vec<&PushItem> = items
            .iter()
            .filter(|n| {
                let chosen = Topic::of(n.kind).and_then(|t| prefs.get(&n.staff_id).and_then(|p| p.topics.get(&t).copied()));
                preferences::channels(n.kind, chosen, None).email
            })
            .collect();
        if wanted.is_empty() {
            return Ok(vec![]);
        }
        let emails = store::staff::emails(conn, &staff).await?;
        let public = state.config.public_url.trim_end_matches('/');
        Ok(wanted
            .into_iter()
            .filter_map(|n| {
                let to = emails.get(&n.staff_id)?.clone();
                let link = format!("{public}{}", n.url);
                Some(Mail {
                    to,
                    subject: format!("{} — {}", n.title, n.body.chars().take(120).collect::<String>()).replace(['\r', '\n'], " "),
                    text: format!("{}\n\n{}\n\nOpen it: {link}\n\nYou get these by email because you chose it under Account → Notifications.\n", n.title, n.body),
                    html: format!(
                        "<p><strong>{}</strong></p><p>{}</p><p><a href=\"{}\">Open it in Frontdesk</a></p><p style=\"color:#555\">You get these by email because you chose it under Account → Notifications.</p>",
                        escape_html(&n.title),
                        escape_html(&n.body),
                        escape_html(&link)
                    ),
                })
            })
            .collect())
    }

    fn record<'t>(tx: &'t mut Tx, mails: Vec<Mail>, state: &'t AppState) -> BoxFut<'t, Result<(), AppError>> {
        Box::pin(async move {
            let now = state.clock.now();
            for m in &mails {
                let email = NewAccountEmail {
                    kind: AccountEmailKind::Notification,
                    recipient: &m.to,
                    // The staff app is in the fallback language.
                    language: Language::fallback(),
                    subject: &m.subject,
                    body_text: &m.text,
                    body_html: &m.html,
                };
                account_emails::queue(tx, &email, now).await?;
            }
            Ok(())
        })
    }

    fn committed(&self, state: &AppState) {
        state.messaging.queued.notify_one();
    }
}
