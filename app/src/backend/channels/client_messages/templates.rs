//! What clients read: every client message (email subject, text and HTML
//! parts, SMS) in the recipient's language, as pure functions of a
//! [`MessageContext`]. The words are Fluent messages
//! (`app/locales/<language>/messages.ftl`, see `i18n`); this module decides
//! which of them each kind says, and writes them out.
//!
//! Each kind is composed once into a small language-neutral structure
//! (paragraphs, a details block, buttons) and that structure is then written
//! out as plain text and as HTML, so the two email parts can never say
//! different things. The HTML writer escapes every piece of text it emits,
//! translations included; messages never contain markup, so nothing reaches
//! the HTML unescaped.

use crate::i18n::Language;
use crate::i18n::{self, Args};
use crate::rules::client::MessageKind;
use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;

/// Everything a client message says. Times are unix seconds UTC, shown in `tz`.
#[derive(Clone, Debug)]
pub struct MessageContext {
    pub kind: MessageKind,
    pub lang: Language,
    /// Who this copy goes to: the client, or an attendee (then `recipient_name` differs from `client_name`).
    pub recipient_name: String,
    pub client_name: String,
    pub store_name: String,
    pub store_address: String,
    pub service: String,
    pub associate: Option<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub tz: Tz,
    /// For `Changed` / `PleaseConfirm`: what it was before (shown as "was ...") when it differs.
    pub previous_starts_at: Option<i64>,
    pub previous_associate: Option<String>,
    /// For `CancelledByStore`: the store's reason, may be empty.
    pub cancel_reason: String,
    /// Absolute tracking page URL without query string, e.g. "https://x.example/t/AbC...".
    pub tracking_url: String,
    /// Absolute URL of the store's booking page (for "book again" in NoShow / Recall / cancellations).
    pub booking_url: String,
    pub can_modify: bool,
    pub can_cancel: bool,
    pub can_confirm: bool,
    /// For `StoreReply`: what the staff member wrote.
    pub reply: String,
    /// For the payment kinds: the amounts in words and where to pay.
    pub payment: Option<PaymentWords>,
    /// An appointment held by video: the recipient's link to join.
    pub video_url: Option<String>,
}

/// A payment as a client message says it.
#[derive(Clone, Debug, Default)]
pub struct PaymentWords {
    /// "£45.00".
    pub amount: String,
    /// For a refund: how much came back, "£10.00".
    pub refunded: String,
    /// What staff wrote about it; may be empty.
    pub note: String,
    /// The provider's page where the client pays.
    pub pay_url: String,
    /// For a deposit: until when the booking is held (unix seconds), else `None`.
    pub due_by: Option<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    /// Plain-text email part.
    pub text: String,
    /// HTML email part (a complete small HTML document, inline styles, every interpolated value HTML-escaped).
    pub html: String,
    /// SMS body: plain, short (aim <= 320 chars incl. the link), always includes the tracking link with `?lang=xx`.
    pub sms: String,
}

pub fn render(ctx: &MessageContext) -> Rendered {
    let v = Values::new(ctx);
    let msg = compose(ctx, &v);
    Rendered {
        // A line break in a subject would end the mail header (header
        // injection through a store name), so subjects are always one line.
        subject: one_line(&msg.subject),
        text: write_text(&msg),
        html: write_html(&msg),
        // SMS is one line too: it reads better and costs fewer segments.
        sms: one_line(&msg.sms),
    }
}

/// "Tuesday 24 November 2026 at 14:30" / "mardi 24 novembre 2026 à 14h30" in `tz`.
pub fn human_date(lang: Language, tz: Tz, ts: i64) -> String {
    let t = local(tz, ts);
    let args = clock_args(&t)
        .with("weekday", t.weekday().number_from_monday())
        .with("day", t.day())
        .with("month", t.month())
        .with("year", t.year());
    i18n::tr(lang, "date-time", &args)
}

/// The tracking link with the language and an optional action: "{tracking_url}?lang=fr&action=modify".
pub fn tracking_link(tracking_url: &str, lang: Language, action: Option<&str>) -> String {
    // The URL is documented as query-free; stay correct if one slips in anyway.
    let sep = if tracking_url.contains('?') { '&' } else { '?' };
    let mut link = format!("{tracking_url}{sep}lang={}", lang.code());
    if let Some(action) = action {
        link.push_str("&action=");
        link.push_str(action);
    }
    link
}

fn local(tz: Tz, ts: i64) -> DateTime<Tz> {
    DateTime::<Utc>::from_timestamp(ts, 0).unwrap_or_default().with_timezone(&tz)
}

/// The hour and minute as the `clock` message takes them: languages differ
/// on the hour's leading zero ("09:05" / "9h05"), so both forms are given.
fn clock_args(t: &DateTime<Tz>) -> Args<'static> {
    Args::new()
        .with("hour", t.hour())
        .with("hour-padded", format!("{:02}", t.hour()))
        .with("minute-padded", format!("{:02}", t.minute()))
}

/// "14:30" / "14h30".
fn local_clock(lang: Language, tz: Tz, ts: i64) -> String {
    i18n::tr(lang, "clock", &clock_args(&local(tz, ts)))
}

// ---------------------------------------------------------------------------
// The language-neutral message structure.

struct Message {
    lang: Language,
    subject: String,
    blocks: Vec<Block>,
    /// Closing line before the signature, e.g. "See you soon,".
    closing: String,
    /// Signature (the store's name).
    signature: String,
    sms: String,
}

enum Block {
    /// A paragraph of plain text; line breaks inside it are kept.
    Para(String),
    Details(Vec<Row>),
    Buttons(Vec<Button>),
    /// A small labelled link at the bottom, always written out in full.
    FooterLink {
        label: String,
        url: String,
    },
}

struct Row {
    label: String,
    value: String,
    /// What it was before a change, shown as "was: ...".
    was: Option<String>,
}

struct Button {
    label: String,
    url: String,
    primary: bool,
}

/// The context's values, cleaned up once for interpolation.
struct Values {
    recipient: String,
    client: String,
    store: String,
    address: String,
    service: String,
    associate: Option<String>,
    /// The start as `human_date`, for sentences.
    start: String,
    /// The start with the end time, for the details block.
    when: String,
    attendee: bool,
    /// The tracking page in the recipient's language.
    view_link: String,
    /// The store's cancellation reason, line breaks kept.
    reason: String,
    /// The reason is the store's free text: the SMS gets a short, one-line version whatever it says.
    sms_reason: String,
    /// The start of a staff reply, on one line, for the SMS.
    reply_preview: String,
    payment: PaymentWords,
    /// A deposit's deadline, as `human_date`.
    due_by: String,
}

impl Values {
    fn new(ctx: &MessageContext) -> Self {
        let recipient = one_line(&ctx.recipient_name);
        let client = one_line(&ctx.client_name);
        let attendee = !client.is_empty() && recipient != client;
        let reason = ctx.cancel_reason.trim().to_string();
        Values {
            recipient,
            client,
            store: one_line(&ctx.store_name),
            // Addresses are often typed on several lines; a details row and
            // an SMS want them on one. A video appointment is not at the address.
            address: if ctx.video_url.is_some() {
                String::new()
            } else {
                ctx.store_address
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            service: one_line(&ctx.service),
            associate: ctx.associate.as_deref().map(one_line).filter(|a| !a.is_empty()),
            start: human_date(ctx.lang, ctx.tz, ctx.starts_at),
            when: when(ctx.lang, ctx.tz, ctx.starts_at, ctx.ends_at),
            attendee,
            view_link: tracking_link(&ctx.tracking_url, ctx.lang, None),
            sms_reason: truncate(&one_line(&reason), 80),
            reason,
            reply_preview: truncate(&one_line(&ctx.reply), 200),
            due_by: ctx
                .payment
                .as_ref()
                .and_then(|p| p.due_by)
                .map(|t| human_date(ctx.lang, ctx.tz, t))
                .unwrap_or_default(),
            payment: ctx.payment.clone().map_or_else(PaymentWords::default, |p| PaymentWords {
                note: p.note.trim().to_string(),
                ..p
            }),
        }
    }

    /// What the messages interpolate and select on (listed at the top of `messages.ftl`).
    fn args<'a>(&'a self, ctx: &'a MessageContext) -> Args<'a> {
        Args::new()
            .with("recipient", self.recipient.as_str())
            .with("client", self.client.as_str())
            .with("store", self.store.as_str())
            .with("address", self.address.as_str())
            .with("service", self.service.as_str())
            .with("associate", self.associate.as_deref().unwrap_or_default())
            .with("when", self.start.as_str())
            .with("link", self.view_link.as_str())
            .with("booking-url", ctx.booking_url.as_str())
            .with("reason", self.reason.as_str())
            .with("sms-reason", self.sms_reason.as_str())
            .with("reply-preview", self.reply_preview.as_str())
            .with("amount", self.payment.amount.as_str())
            .with("refunded", self.payment.refunded.as_str())
            .with("pay-link", self.payment.pay_url.as_str())
            .with("due-by", self.due_by.as_str())
            .with_flag("attendee", self.attendee)
            .with_flag("has-recipient", !self.recipient.is_empty())
            .with_flag("has-associate", self.associate.is_some())
            .with_flag("has-address", !self.address.is_empty())
            .with_flag("has-reason", !self.reason.is_empty())
            // A test is often sent before any booking exists: only link to
            // a booking page when there is a real one to check.
            .with_flag("has-link", !ctx.tracking_url.is_empty())
            .with_flag("can-rebook", !ctx.booking_url.is_empty())
            .with_flag("can-modify", ctx.can_modify)
            .with_flag("can-cancel", ctx.can_cancel)
            .with_flag("can-confirm", ctx.can_confirm)
    }
}

/// The date and time with the end time when known:
/// "… at 14:30 (until 15:15)" / "… à 14h30 (jusqu'à 15h15)".
fn when(lang: Language, tz: Tz, starts_at: i64, ends_at: i64) -> String {
    let start = human_date(lang, tz, starts_at);
    if ends_at > starts_at {
        let end = local_clock(lang, tz, ends_at);
        i18n::tr(lang, "message-when-until", &Args::new().with("start", start).with("end", end))
    } else {
        start
    }
}

/// Collapses all whitespace (line breaks included) into single spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Shortens to at most `max` characters, on a character boundary.
fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let cut: String = s.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

// ---------------------------------------------------------------------------
// Composition: what each kind says.

const SEE_YOU: &str = "message-closing-see-you";
const REGARDS: &str = "message-closing-regards";

fn compose(ctx: &MessageContext, v: &Values) -> Message {
    let lang = ctx.lang;
    let args = v.args(ctx);
    let t = |key: &str| i18n::tr(lang, key, &args);

    let mut blocks = vec![Block::Para(t("message-greeting"))];
    if v.attendee && ctx.kind != MessageKind::Test {
        blocks.push(Block::Para(t("message-attendee-note")));
    }

    // Each kind adds its paragraphs and buttons and names its subject,
    // closing and SMS. Every SMS opens with the store's name so the client
    // knows who writes.
    let (subject, closing, sms) = match ctx.kind {
        MessageKind::RequestReceived => {
            blocks.push(Block::Para(t("message-request-received-intro")));
            blocks.push(details(ctx, v, false, &t));
            blocks.push(Block::Buttons(vec![Button {
                label: t("message-button-view-request"),
                url: v.view_link.clone(),
                primary: true,
            }]));
            ("message-request-received-subject", SEE_YOU, "message-request-received-sms")
        }

        MessageKind::Confirmation => {
            blocks.push(Block::Para(t("message-confirmation-intro")));
            blocks.push(details(ctx, v, false, &t));
            blocks.push(Block::Buttons(manage_buttons(ctx, v, true, &t)));
            ("message-confirmation-subject", SEE_YOU, "message-confirmation-sms")
        }

        MessageKind::Changed => {
            blocks.push(Block::Para(t("message-changed-intro")));
            blocks.push(details(ctx, v, true, &t));
            blocks.push(Block::Buttons(manage_buttons(ctx, v, true, &t)));
            ("message-changed-subject", SEE_YOU, "message-changed-sms")
        }

        MessageKind::PleaseConfirm => {
            blocks.push(Block::Para(t("message-please-confirm-intro")));
            blocks.push(details(ctx, v, true, &t));
            let mut buttons = Vec::new();
            if ctx.can_confirm {
                buttons.push(Button {
                    label: t("message-button-confirm-new-time"),
                    url: tracking_link(&ctx.tracking_url, lang, Some("confirm")),
                    primary: true,
                });
            }
            buttons.extend(manage_buttons(ctx, v, !ctx.can_confirm, &t));
            blocks.push(Block::Buttons(buttons));
            ("message-please-confirm-subject", SEE_YOU, "message-please-confirm-sms")
        }

        MessageKind::CancelledByStore => {
            blocks.push(Block::Para(t("message-cancelled-by-store-intro")));
            if !v.reason.is_empty() {
                blocks.push(Block::Para(t("message-cancelled-by-store-reason")));
            }
            blocks.push(details(ctx, v, false, &t));
            blocks.push(Block::Para(t("message-cancelled-by-store-apology")));
            blocks.push(Block::Buttons(vec![
                book_again(ctx, &t),
                Button {
                    label: t("message-button-view-booking"),
                    url: v.view_link.clone(),
                    primary: false,
                },
            ]));
            ("message-cancelled-by-store-subject", REGARDS, "message-cancelled-by-store-sms")
        }

        MessageKind::CancellationConfirmed => {
            blocks.push(Block::Para(t("message-cancellation-confirmed-intro")));
            blocks.push(details(ctx, v, false, &t));
            blocks.push(Block::Para(t("message-cancellation-confirmed-outro")));
            blocks.push(Block::Buttons(vec![book_again(ctx, &t)]));
            (
                "message-cancellation-confirmed-subject",
                REGARDS,
                "message-cancellation-confirmed-sms",
            )
        }

        MessageKind::NoShow => {
            blocks.push(Block::Para(t("message-no-show-intro")));
            blocks.push(Block::Buttons(vec![book_again(ctx, &t)]));
            ("message-no-show-subject", SEE_YOU, "message-no-show-sms")
        }

        MessageKind::ThankYou => {
            blocks.push(Block::Para(t("message-thank-you-intro")));
            blocks.push(Block::Buttons(vec![book_again(ctx, &t)]));
            ("message-thank-you-subject", SEE_YOU, "message-thank-you-sms")
        }

        MessageKind::Reminder => {
            blocks.push(Block::Para(t("message-reminder-intro")));
            blocks.push(details(ctx, v, false, &t));
            // How to say they cannot come: only the ways the booking page offers.
            if ctx.can_modify || ctx.can_cancel {
                blocks.push(Block::Para(t("message-reminder-let-us-know")));
            }
            blocks.push(Block::Buttons(manage_buttons(ctx, v, true, &t)));
            ("message-reminder-subject", SEE_YOU, "message-reminder-sms")
        }

        MessageKind::Recall => {
            blocks.push(Block::Para(t("message-recall-intro")));
            blocks.push(Block::Buttons(vec![book_again(ctx, &t)]));
            ("message-recall-subject", SEE_YOU, "message-recall-sms")
        }

        MessageKind::StoreReply => {
            blocks.push(Block::Para(t("message-store-reply-intro")));
            // The reply keeps its line breaks; it is text, escaped like every value.
            blocks.push(Block::Para(ctx.reply.trim().to_string()));
            blocks.push(Block::Buttons(vec![Button {
                label: t("message-button-reply"),
                url: v.view_link.clone(),
                primary: true,
            }]));
            ("message-store-reply-subject", REGARDS, "message-store-reply-sms")
        }

        MessageKind::PaymentRequest => {
            blocks.push(Block::Para(t("message-payment-request-intro")));
            if !v.payment.note.is_empty() {
                // Staff's own words, line breaks kept; text, escaped like every value.
                blocks.push(Block::Para(v.payment.note.clone()));
            }
            blocks.push(details(ctx, v, false, &t));
            blocks.push(Block::Buttons(vec![Button {
                label: t("message-button-pay"),
                url: v.payment.pay_url.clone(),
                primary: true,
            }]));
            ("message-payment-request-subject", REGARDS, "message-payment-request-sms")
        }

        MessageKind::DepositRequest => {
            blocks.push(Block::Para(t("message-deposit-intro")));
            blocks.push(details(ctx, v, false, &t));
            blocks.push(Block::Buttons(vec![Button {
                label: t("message-button-pay"),
                url: v.payment.pay_url.clone(),
                primary: true,
            }]));
            ("message-deposit-subject", REGARDS, "message-deposit-sms")
        }

        MessageKind::HoldReleased => {
            blocks.push(Block::Para(t("message-hold-released-intro")));
            if !ctx.booking_url.is_empty() {
                blocks.push(Block::Buttons(vec![book_again(ctx, &t)]));
            }
            ("message-hold-released-subject", REGARDS, "message-hold-released-sms")
        }

        MessageKind::PaymentReceipt => {
            blocks.push(Block::Para(t("message-payment-receipt-intro")));
            blocks.push(Block::Details(vec![Row {
                label: t("message-detail-amount-paid"),
                value: v.payment.amount.clone(),
                was: None,
            }]));
            blocks.push(details(ctx, v, false, &t));
            ("message-payment-receipt-subject", SEE_YOU, "message-payment-receipt-sms")
        }

        MessageKind::RefundIssued => {
            blocks.push(Block::Para(t("message-refund-intro")));
            ("message-refund-subject", REGARDS, "message-refund-sms")
        }

        MessageKind::Test => {
            blocks.push(Block::Para(t("message-test-intro")));
            ("message-test-subject", REGARDS, "message-test-sms")
        }
    };

    // Every email carries the tracking link; when no button already points
    // there, it goes at the bottom.
    let has_view = blocks.iter().any(|b| match b {
        Block::Buttons(buttons) => buttons.iter().any(|b| b.url == v.view_link),
        _ => false,
    });
    if !has_view {
        let label = if ctx.kind == MessageKind::Test {
            t("message-footer-test-link")
        } else {
            t("message-footer-booking-page")
        };
        blocks.push(Block::FooterLink {
            label,
            url: v.view_link.clone(),
        });
    }

    Message {
        lang,
        subject: t(subject),
        blocks,
        closing: t(closing),
        signature: v.store.clone(),
        sms: t(sms),
    }
}

/// The details block: service, date and time, associate, place.
/// With `show_previous`, a changed time or associate also shows the old one.
fn details(ctx: &MessageContext, v: &Values, show_previous: bool, t: &impl Fn(&str) -> String) -> Block {
    let was_time = ctx
        .previous_starts_at
        .filter(|&p| show_previous && p != ctx.starts_at)
        .map(|p| human_date(ctx.lang, ctx.tz, p));
    let was_associate = ctx
        .previous_associate
        .as_deref()
        .map(one_line)
        .filter(|p| show_previous && !p.is_empty() && Some(p) != v.associate.as_ref());

    let mut rows = vec![
        Row {
            label: t("message-detail-service"),
            value: v.service.clone(),
            was: None,
        },
        Row {
            label: t("message-detail-when"),
            value: v.when.clone(),
            was: was_time,
        },
    ];
    // An associate row also appears when the associate was removed, so the
    // change itself is visible.
    if v.associate.is_some() || was_associate.is_some() {
        rows.push(Row {
            label: t("message-detail-with"),
            value: v.associate.clone().unwrap_or_else(|| t("message-detail-no-preference")),
            was: was_associate,
        });
    }
    match &ctx.video_url {
        // Held by video: where is the link to join.
        Some(url) => rows.push(Row {
            label: t("message-detail-join"),
            value: url.clone(),
            was: None,
        }),
        None => rows.push(Row {
            label: t("message-detail-where"),
            value: t("message-place"),
            was: None,
        }),
    }
    Block::Details(rows)
}

/// View, then Change and Cancel as the flags allow.
fn manage_buttons(ctx: &MessageContext, v: &Values, view_primary: bool, t: &impl Fn(&str) -> String) -> Vec<Button> {
    let mut buttons = vec![Button {
        label: t("message-button-view-booking"),
        url: v.view_link.clone(),
        primary: view_primary,
    }];
    if ctx.can_modify {
        buttons.push(Button {
            label: t("message-button-change"),
            url: tracking_link(&ctx.tracking_url, ctx.lang, Some("modify")),
            primary: false,
        });
    }
    if ctx.can_cancel {
        buttons.push(Button {
            label: t("message-button-cancel"),
            url: tracking_link(&ctx.tracking_url, ctx.lang, Some("cancel")),
            primary: false,
        });
    }
    buttons
}

fn book_again(ctx: &MessageContext, t: &impl Fn(&str) -> String) -> Button {
    Button {
        label: t("message-button-book-again"),
        url: ctx.booking_url.clone(),
        primary: true,
    }
}

// ---------------------------------------------------------------------------
// Writers.

fn write_text(msg: &Message) -> String {
    // "Label: value", with the language's typography ("Libellé : valeur").
    let labelled =
        |label: &str, value: &str| i18n::tr(msg.lang, "message-labelled", &Args::new().with("label", label).with("value", value));
    let was_word = i18n::text(msg.lang, "message-detail-was");
    let mut parts: Vec<String> = Vec::new();
    for block in &msg.blocks {
        match block {
            Block::Para(p) => parts.push(p.clone()),
            Block::Details(rows) => parts.push(
                rows.iter()
                    .map(|r| match &r.was {
                        // The old value goes on its own indented line: the new
                        // one may already end in a parenthesis ("(until 15:15)").
                        Some(was) => format!("{}\n  {was_word} {was}", labelled(&r.label, &r.value)),
                        None => labelled(&r.label, &r.value),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Block::Buttons(buttons) => parts.push(buttons.iter().map(|b| labelled(&b.label, &b.url)).collect::<Vec<_>>().join("\n")),
            Block::FooterLink { .. } => {}
        }
    }
    parts.push(format!("{}\n{}", msg.closing, msg.signature));
    for block in &msg.blocks {
        if let Block::FooterLink { label, url } = block {
            parts.push(format!("{label} {url}"));
        }
    }
    let mut text = parts.join("\n\n");
    text.push('\n');
    text
}

const FONT: &str = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";

fn write_html(msg: &Message) -> String {
    let was_word = i18n::text(msg.lang, "message-detail-was");
    let mut body = String::new();
    for block in &msg.blocks {
        match block {
            Block::Para(p) => {
                body.push_str(&format!("<p style=\"margin:0 0 16px;\">{}</p>\n", escape_html_multiline(p)));
            }
            Block::Details(rows) => {
                body.push_str("<div style=\"margin:0 0 20px;padding:12px 16px;background:#f4f4f5;border-radius:6px;\">\n");
                for r in rows {
                    body.push_str(&format!(
                        "<div style=\"margin:4px 0;\"><span style=\"color:#52525b;\">{}</span><br><strong>{}</strong>",
                        escape_html(&r.label),
                        escape_html(&r.value)
                    ));
                    if let Some(was) = &r.was {
                        body.push_str(&format!(
                            "<br><span style=\"color:#71717a;font-size:14px;\">{} <s>{}</s></span>",
                            escape_html(&was_word),
                            escape_html(was)
                        ));
                    }
                    body.push_str("</div>\n");
                }
                body.push_str("</div>\n");
            }
            Block::Buttons(buttons) => {
                body.push_str("<div style=\"margin:0 0 12px;\">\n");
                for b in buttons {
                    let style = if b.primary {
                        "background:#1d4ed8;color:#ffffff;border:1px solid #1d4ed8;"
                    } else {
                        "background:#ffffff;color:#1d4ed8;border:1px solid #d4d4d8;"
                    };
                    body.push_str(&format!(
                        "<a href=\"{}\" style=\"display:inline-block;margin:0 8px 8px 0;padding:10px 18px;border-radius:6px;text-decoration:none;font-weight:600;{style}\">{}</a>\n",
                        escape_html(&b.url),
                        escape_html(&b.label)
                    ));
                }
                body.push_str("</div>\n");
            }
            Block::FooterLink { .. } => {}
        }
    }
    body.push_str(&format!(
        "<p style=\"margin:16px 0 0;\">{}<br>{}</p>\n",
        escape_html(&msg.closing),
        escape_html(&msg.signature)
    ));

    let mut footer = String::new();
    for block in &msg.blocks {
        if let Block::FooterLink { label, url } = block {
            let url = escape_html(url);
            footer.push_str(&format!(
                "<p style=\"margin:16px 0 0;font-size:13px;color:#71717a;{FONT}\">{} <a href=\"{url}\" style=\"color:#1d4ed8;word-break:break-all;\">{url}</a></p>\n",
                escape_html(label)
            ));
        }
    }

    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n</head>\n\
         <body style=\"margin:0;padding:0;background:#f4f4f5;\">\n\
         <div style=\"max-width:560px;margin:0 auto;padding:24px 16px;\">\n\
         <div style=\"background:#ffffff;border-radius:8px;padding:24px;color:#18181b;font-size:16px;line-height:1.5;{FONT}\">\n\
         {body}</div>\n{footer}</div>\n</body>\n</html>\n",
        lang = msg.lang.code(),
        title = escape_html(&one_line(&msg.subject)),
    )
}

/// Escapes the five characters that matter in HTML text and attribute values.
pub(crate) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escaped text whose line breaks (e.g. in a cancellation reason) stay visible.
fn escape_html_multiline(s: &str) -> String {
    s.lines().map(escape_html).collect::<Vec<_>>().join("<br>\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn english() -> Language {
        Language::fallback()
    }

    fn french() -> Language {
        Language::parse("fr").unwrap()
    }

    // 2026-11-24 14:30 UTC: 15:30 in Paris (CET), 09:30 in Toronto (EST).
    const NOV_24: i64 = 1_795_530_600;

    fn ctx(kind: MessageKind, lang: Language) -> MessageContext {
        MessageContext {
            kind,
            lang,
            recipient_name: "Jean Dupont".into(),
            client_name: "Jean Dupont".into(),
            store_name: "Downtown Store".into(),
            store_address: "12 Main St\nMontréal QC".into(),
            service: "Haircut".into(),
            associate: Some("Marie".into()),
            starts_at: NOV_24,
            ends_at: NOV_24 + 45 * 60,
            tz: chrono_tz::Europe::Paris,
            previous_starts_at: None,
            previous_associate: None,
            cancel_reason: String::new(),
            tracking_url: "https://frontdesk.example/t/AbCdEfGhIjKlMnOpQrStUv".into(),
            booking_url: "https://frontdesk.example/book/downtown-store".into(),
            can_modify: true,
            can_cancel: true,
            can_confirm: true,
            reply: String::new(),
            payment: Some(PaymentWords {
                amount: "£45.00".into(),
                refunded: "£10.00".into(),
                note: "For the colour <b>".into(),
                pay_url: "https://pay.example/c/pay/cs_test_1".into(),
                due_by: Some(NOV_24 - 3600),
            }),
            video_url: None,
        }
    }

    #[test]
    fn a_video_appointment_says_how_to_join_instead_of_where() {
        let mut c = ctx(MessageKind::Reminder, english());
        c.video_url = Some("https://meet.example.com/r00m?role=guest".into());
        let r = render(&c);
        assert!(r.text.contains("https://meet.example.com/r00m?role=guest"), "{}", r.text);
        assert!(!r.text.contains("12 Main St"), "no address for a video appointment: {}", r.text);
        let fr = render(&ctx(MessageKind::Reminder, french()));
        assert!(fr.text.contains("12 Main St"), "in the store otherwise");
    }

    #[test]
    fn a_payment_link_a_receipt_and_a_refund_say_the_amounts() {
        let r = render(&ctx(MessageKind::PaymentRequest, english()));
        assert!(r.subject.contains("£45.00"), "{}", r.subject);
        assert!(
            r.text.contains("https://pay.example/c/pay/cs_test_1"),
            "the email links to the payment page"
        );
        assert!(r.html.contains("For the colour &lt;b&gt;"), "staff's note, escaped");
        assert!(
            r.sms.contains("£45.00") && !r.sms.contains("pay.example"),
            "the SMS links to the booking page: {}",
            r.sms
        );
        let r = render(&ctx(MessageKind::PaymentReceipt, french()));
        assert!(r.subject.contains("45.00"), "{}", r.subject);
        assert!(r.text.contains("£45.00"));
        let r = render(&ctx(MessageKind::RefundIssued, english()));
        assert!(r.text.contains("£10.00") && r.text.contains("£45.00"), "{}", r.text);
    }

    #[test]
    fn a_held_booking_says_until_when_and_a_released_one_offers_to_book_again() {
        let r = render(&ctx(MessageKind::DepositRequest, english()));
        assert!(r.subject.contains("£45.00") && r.subject.contains("deposit"), "{}", r.subject);
        assert!(r.text.contains("until Tuesday 24 November 2026 at 14:30"), "{}", r.text);
        assert!(r.text.contains("https://pay.example/c/pay/cs_test_1"), "{}", r.text);
        assert!(r.sms.contains("14:30") && r.sms.contains("?lang=en"), "{}", r.sms);
        let r = render(&ctx(MessageKind::DepositRequest, french()));
        assert!(r.text.contains("acompte") && r.text.contains("14h30"), "{}", r.text);
        let r = render(&ctx(MessageKind::HoldReleased, english()));
        assert!(r.text.contains("was not paid in time"), "{}", r.text);
        assert!(r.text.contains("https://frontdesk.example/book/downtown-store"), "{}", r.text);
        assert!(r.sms.contains("https://frontdesk.example/book/downtown-store"), "{}", r.sms);
    }

    fn all_contexts() -> Vec<MessageContext> {
        MessageKind::ALL
            .into_iter()
            .flat_map(|k| [ctx(k, english()), ctx(k, french())])
            .collect()
    }

    #[test]
    fn every_kind_and_language_renders_every_part() {
        for c in all_contexts() {
            let r = render(&c);
            let what = format!("{:?}/{:?}", c.kind, c.lang);
            assert!(!r.subject.trim().is_empty(), "{what} subject");
            assert!(!r.text.trim().is_empty(), "{what} text");
            assert!(!r.html.trim().is_empty(), "{what} html");
            assert!(!r.sms.trim().is_empty(), "{what} sms");
            assert!(r.subject.contains("Downtown Store"), "{what} subject: {}", r.subject);
            assert!(r.html.starts_with("<!DOCTYPE html>"), "{what}");
            assert!(r.html.contains(&format!("<html lang=\"{}\">", c.lang.code())));
            assert!(r.html.trim_end().ends_with("</html>"), "{what}");
            assert!(r.text.contains("Jean Dupont"), "{what} greets the recipient");

            let link = tracking_link(&c.tracking_url, c.lang, None);
            assert!(r.text.contains(&link), "{what} text link");
            assert!(r.html.contains(&escape_html(&link)), "{what} html link");
            assert!(r.sms.contains(&link), "{what} sms link");
            assert!(r.sms.contains(&format!("?lang={}", c.lang.code())), "{what}");
        }
    }

    #[test]
    fn sms_stays_short_and_on_one_line() {
        for mut c in all_contexts() {
            c.cancel_reason = "Our stylist is unwell today. ".repeat(10);
            c.previous_starts_at = Some(NOV_24 - 86_400);
            let sms = render(&c).sms;
            assert!(
                sms.chars().count() <= 320,
                "{:?}/{:?}: {} chars: {sms}",
                c.kind,
                c.lang,
                sms.chars().count()
            );
            assert!(!sms.contains('\n'));
        }
    }

    #[test]
    fn french_messages_are_in_french() {
        let r = render(&ctx(MessageKind::Confirmation, french()));
        assert_eq!(r.subject, "Votre rendez-vous chez Downtown Store est confirmé");
        assert!(r.text.starts_with("Bonjour Jean Dupont,"));
        assert!(r.text.contains("Date et heure : mardi 24 novembre 2026 à 15h30 (jusqu'à 16h15)"));
        assert!(r.sms.contains("?lang=fr"));
        assert!(r.html.contains("Modifier"));

        let en = render(&ctx(MessageKind::Confirmation, english()));
        assert_eq!(en.subject, "Your appointment at Downtown Store is confirmed");
        assert!(en.sms.contains("?lang=en"));
    }

    #[test]
    fn confirm_action_only_when_allowed() {
        for mut c in all_contexts() {
            for can_confirm in [true, false] {
                c.can_confirm = can_confirm;
                let r = render(&c);
                let expected = can_confirm && c.kind == MessageKind::PleaseConfirm;
                // SMS links are opened by link-preview bots, so they never carry an action.
                assert!(!r.sms.contains("action="));
                for (part, body) in [("text", &r.text), ("html", &r.html)] {
                    assert_eq!(
                        body.contains("action=confirm"),
                        expected,
                        "{:?}/{:?} {part} can_confirm={can_confirm}",
                        c.kind,
                        c.lang
                    );
                }
            }
        }
        let r = render(&ctx(MessageKind::PleaseConfirm, english()));
        assert!(r
            .text
            .contains("Confirm the new time: https://frontdesk.example/t/AbCdEfGhIjKlMnOpQrStUv?lang=en&action=confirm"));
        assert!(r.html.contains("?lang=en&amp;action=confirm"));
    }

    #[test]
    fn modify_and_cancel_follow_the_flags() {
        for kind in [MessageKind::Confirmation, MessageKind::Changed, MessageKind::Reminder] {
            let mut c = ctx(kind, english());
            let r = render(&c);
            assert!(r.text.contains("action=modify") && r.text.contains("action=cancel"));
            c.can_modify = false;
            c.can_cancel = false;
            let r = render(&c);
            assert!(!r.text.contains("action=modify") && !r.text.contains("action=cancel"));
            assert!(!r.html.contains("action="));
            assert!(r.text.contains("View booking: "));
        }
    }

    #[test]
    fn request_button_says_cancel_only_when_allowed() {
        let mut c = ctx(MessageKind::RequestReceived, english());
        assert!(render(&c).text.contains("View or cancel your request: "));
        c.can_cancel = false;
        let r = render(&c);
        assert!(r.text.contains("View your request: "));
        assert!(!r.text.contains("cancel your request"));
    }

    #[test]
    fn changes_show_what_it_was() {
        let mut c = ctx(MessageKind::Changed, english());
        c.previous_starts_at = Some(NOV_24 - 86_400);
        c.previous_associate = Some("Paul".into());
        let r = render(&c);
        assert!(
            r.text.contains("(until 16:15)\n  was: Monday 23 November 2026 at 15:30\n"),
            "{}",
            r.text
        );
        assert!(r.text.contains("With: Marie\n  was: Paul\n"));
        assert!(r.html.contains("<s>Paul</s>"));

        let mut fr = c.clone();
        fr.lang = french();
        fr.kind = MessageKind::PleaseConfirm;
        assert!(render(&fr).text.contains("\n  auparavant : lundi 23 novembre 2026 à 15h30\n"));

        // Unchanged values are not repeated as "was".
        c.previous_starts_at = Some(c.starts_at);
        c.previous_associate = Some("Marie".into());
        assert!(!render(&c).text.contains("was:"));

        // The other kinds never show "was".
        let mut conf = ctx(MessageKind::Confirmation, english());
        conf.previous_starts_at = Some(NOV_24 - 86_400);
        assert!(!render(&conf).text.contains("was:"));
    }

    #[test]
    fn store_cancellation_gives_the_reason_and_a_way_back() {
        let mut c = ctx(MessageKind::CancelledByStore, english());
        c.cancel_reason = "Flooding in the salon".into();
        let r = render(&c);
        assert!(r.text.contains("Reason: Flooding in the salon"));
        assert!(r.text.contains("Book again: https://frontdesk.example/book/downtown-store"));
        assert!(r.sms.contains("(Flooding in the salon)"));
        c.cancel_reason = "  ".into();
        assert!(!render(&c).text.contains("Reason"));
    }

    #[test]
    fn rebooking_kinds_link_to_the_booking_page() {
        for kind in [
            MessageKind::CancelledByStore,
            MessageKind::CancellationConfirmed,
            MessageKind::NoShow,
            MessageKind::ThankYou,
            MessageKind::Recall,
        ] {
            for lang in [english(), french()] {
                let r = render(&ctx(kind, lang));
                assert!(r.text.contains("https://frontdesk.example/book/downtown-store"), "{kind:?}");
                assert!(r.html.contains("href=\"https://frontdesk.example/book/downtown-store\""));
            }
        }
        let r = render(&ctx(MessageKind::ThankYou, french()));
        assert!(r.text.contains("Merci pour votre visite chez Downtown Store avec Marie."));
        let r = render(&ctx(MessageKind::Recall, english()));
        assert!(r.text.contains("your last visit for Haircut"));
    }

    #[test]
    fn test_message_names_the_store() {
        let r = render(&ctx(MessageKind::Test, english()));
        assert!(r.text.contains("This is a test message from Downtown Store"));
        let mut c = ctx(MessageKind::Test, french());
        c.store_name = "Atelier Coiffure".into();
        c.tracking_url = String::new();
        let r = render(&c);
        assert_eq!(r.subject, "Message de test d'Atelier Coiffure");
        assert!(!r.sms.contains("lang="));
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape_html(r#"<b>"Tom" & 'Jerry'</b>"#),
            "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;"
        );

        let evil = r#"Evil <script>alert("x")</script> & 'Co'"#;
        let mut c = ctx(MessageKind::Confirmation, english());
        c.store_name = evil.into();
        c.service = "<img src=x onerror=alert(1)>".into();
        c.associate = Some("\"><a href=bad>".into());
        c.recipient_name = "<i>Jean</i>".into();
        c.client_name = c.recipient_name.clone();
        let r = render(&c);
        assert!(!r.html.contains("<script"));
        assert!(!r.html.contains("<img"));
        assert!(!r.html.contains("<i>"));
        assert!(!r.html.contains("\"><a href=bad>"));
        assert!(r
            .html
            .contains("Evil &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Co&#39;"));
        // The plain-text part is not HTML: values stay as typed.
        assert!(r.text.contains(evil));
    }

    #[test]
    fn subject_cannot_carry_a_line_break() {
        let mut c = ctx(MessageKind::Confirmation, english());
        c.store_name = "Downtown\r\nBcc: victim@example.com".into();
        let r = render(&c);
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
        assert!(!r.sms.contains('\n'));
    }

    #[test]
    fn attendee_copy_says_whose_booking() {
        for kind in MessageKind::ALL {
            for lang in [english(), french()] {
                let mut c = ctx(kind, lang);
                c.recipient_name = "Alice Martin".into();
                c.client_name = "Omar Haddad".into();
                let r = render(&c);
                assert!(r.text.contains("Alice Martin"), "{kind:?}/{lang:?}");
                if kind != MessageKind::Test {
                    assert!(r.text.contains("Omar Haddad"), "{kind:?}/{lang:?} text");
                    assert!(r.html.contains("Omar Haddad"), "{kind:?}/{lang:?} html");
                }
            }
        }
        let mut c = ctx(MessageKind::Confirmation, english());
        c.recipient_name = "Alice Martin".into();
        c.client_name = "Omar Haddad".into();
        let r = render(&c);
        assert_eq!(r.subject, "Omar Haddad's appointment at Downtown Store is confirmed");
        assert!(r.sms.contains("Omar Haddad's appointment"));
        c.lang = french();
        let r = render(&c);
        assert_eq!(r.subject, "Le rendez-vous d'Omar Haddad chez Downtown Store est confirmé");
        assert!(r.text.contains("vous faites partie de la réservation d'Omar Haddad"));
    }

    #[test]
    fn human_date_in_paris_and_toronto() {
        use chrono_tz::{America::Toronto, Europe::Paris};
        assert_eq!(human_date(english(), Paris, NOV_24), "Tuesday 24 November 2026 at 15:30");
        assert_eq!(human_date(french(), Paris, NOV_24), "mardi 24 novembre 2026 à 15h30");
        assert_eq!(human_date(french(), Toronto, NOV_24), "mardi 24 novembre 2026 à 9h30");
        // 2026-03-07 and 2026-03-08 14:30 UTC: Toronto moves to EDT on the 8th,
        // so the same UTC time reads an hour later.
        let mar_8 = 1_772_980_200;
        assert_eq!(human_date(english(), Toronto, mar_8 - 86_400), "Saturday 7 March 2026 at 09:30");
        assert_eq!(human_date(english(), Toronto, mar_8), "Sunday 8 March 2026 at 10:30");
        // 2026-03-29 12:30 UTC: Paris is on CEST (UTC+2) from that morning.
        assert_eq!(human_date(french(), Paris, 1_774_787_400), "dimanche 29 mars 2026 à 14h30");
        // 2026-12-01 08:05 UTC: French ordinal for the 1st.
        assert_eq!(human_date(french(), Paris, 1_796_112_300), "mardi 1er décembre 2026 à 9h05");
    }

    #[test]
    fn tracking_links() {
        assert_eq!(
            tracking_link("https://x.example/t/AbC", french(), Some("modify")),
            "https://x.example/t/AbC?lang=fr&action=modify"
        );
        assert_eq!(
            tracking_link("https://x.example/t/AbC", english(), None),
            "https://x.example/t/AbC?lang=en"
        );
    }

    #[test]
    fn plain_text_writes_links_in_full() {
        let r = render(&ctx(MessageKind::Reminder, french()));
        assert!(r
            .text
            .contains("Modifier : https://frontdesk.example/t/AbCdEfGhIjKlMnOpQrStUv?lang=fr&action=modify"));
        assert!(r.text.contains("Lieu : Downtown Store, 12 Main St, Montréal QC"));
        assert!(!r.text.contains('<'));
    }
}
