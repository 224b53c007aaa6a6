//! Emails about a staff member's own account: the invitation and the
//! password reset. Written in a language (the store's, for an invitation;
//! the person's store's, for a reset), queued in the same transaction as the
//! link they carry, and sent and retried by the messaging sender.

use crate::backend::channels::client_messages::templates::escape_html;
use crate::backend::store::account_emails::{self, NewAccountEmail};
use crate::backend::store::Tx;
use crate::domain::messages::AccountEmailKind;
use crate::domain::time::UnixTime;
use crate::error::AppError;
use crate::i18n::{text, tr, Args, Language};

/// One email, in its language.
#[derive(Debug, PartialEq)]
pub struct Written {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Intro, then the link, then how long it works: as text, and as HTML with
/// the link behind its action words.
fn write(lang: Language, subject: String, intro: String, action: String, link: &str, expiry: String) -> Written {
    let line = tr(
        lang,
        "account-link-line",
        &Args::new().with("action", action.clone()).with("link", link.to_string()),
    );
    Written {
        subject,
        text: format!("{intro}\n\n{line}\n\n{expiry}\n"),
        html: format!(
            "<p>{}</p><p><a href=\"{}\">{}</a></p><p>{}</p>",
            escape_html(&intro),
            escape_html(link),
            escape_html(&action),
            escape_html(&expiry)
        ),
    }
}

pub fn invitation(lang: Language, inviter: &str, place: &str, link: &str, days: i64) -> Written {
    let args = Args::new()
        .with("inviter", inviter.to_string())
        .with("place", place.to_string())
        .with("days", days);
    write(
        lang,
        text(lang, "account-invitation-subject"),
        tr(lang, "account-invitation-intro", &args),
        text(lang, "account-invitation-action"),
        link,
        tr(lang, "account-invitation-expiry", &args),
    )
}

pub fn password_reset(lang: Language, name: &str, link: &str) -> Written {
    let args = Args::new().with("name", name.to_string());
    write(
        lang,
        text(lang, "account-reset-subject"),
        tr(lang, "account-reset-intro", &args),
        text(lang, "account-reset-action"),
        link,
        text(lang, "account-reset-expiry"),
    )
}

/// Queues the email; the caller wakes the sender after the commit.
pub async fn queue(tx: &mut Tx, kind: AccountEmailKind, to: &str, lang: Language, w: &Written, now: UnixTime) -> Result<(), AppError> {
    let email = NewAccountEmail {
        kind,
        recipient: to,
        language: lang,
        subject: &w.subject,
        body_text: &w.text,
        body_html: &w.html,
    };
    account_emails::queue(tx, &email, now).await.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_emails_are_written_in_the_language_asked_with_the_link_escaped_in_html() {
        let en = invitation(Language::fallback(), "Maya Manager", "Downtown", "https://x.test/invite/a&b", 7);
        assert_eq!(en.subject, "You are invited to Frontdesk");
        assert_eq!(
            en.text,
            "Maya Manager invited you to join Downtown on Frontdesk.\n\nSet your name and password: https://x.test/invite/a&b\n\nThe link works once and for 7 days.\n"
        );
        assert!(en.html.contains("href=\"https://x.test/invite/a&amp;b\""), "{}", en.html);
        let fr = invitation(Language::parse("fr").unwrap(), "Maya <M>", "Centre", "https://x.test/i", 1);
        assert!(fr.text.starts_with("Maya <M> vous invite à rejoindre Centre"), "{}", fr.text);
        assert!(fr.text.contains("pendant un jour."), "{}", fr.text);
        assert!(fr.html.contains("Maya &lt;M&gt;"), "{}", fr.html);
        let reset = password_reset(Language::parse("fr").unwrap(), "Zoé", "https://x.test/reset/t");
        assert_eq!(reset.subject, "Réinitialisez votre mot de passe Frontdesk");
        assert!(
            reset.text.contains("Choisir un nouveau mot de passe : https://x.test/reset/t"),
            "{}",
            reset.text
        );
    }
}
