//! What clients read: every client message (email subject, text and HTML
//! parts, SMS) in English and French, as pure functions of a
//! [`MessageContext`].
//!
//! Each kind is composed once into a small language-neutral structure
//! (paragraphs, a details block, buttons) and that structure is then written
//! out as plain text and as HTML, so the two email parts can never say
//! different things. The HTML writer escapes every piece of text it emits;
//! templates never contain markup, so nothing reaches the HTML unescaped.

use crate::domain::parse::Language;
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
        html: write_html(&msg, ctx.lang),
        // SMS is one line too: it reads better and costs fewer segments.
        sms: one_line(&msg.sms),
    }
}

/// "Tuesday 24 November 2026 at 14:30" / "mardi 24 novembre 2026 à 14h30" in `tz`.
pub fn human_date(lang: Language, tz: Tz, ts: i64) -> String {
    let t = DateTime::<Utc>::from_timestamp(ts, 0).unwrap_or_default().with_timezone(&tz);
    let weekday = t.weekday().num_days_from_monday() as usize;
    let month = t.month0() as usize;
    let clock = clock(lang, t.hour(), t.minute());
    match lang {
        Language::En => format!("{} {} {} {} at {clock}", EN_DAYS[weekday], t.day(), EN_MONTHS[month], t.year()),
        Language::Fr => {
            // French writes the first of the month as an ordinal: "1er décembre".
            let day = match t.day() {
                1 => "1er".to_string(),
                d => d.to_string(),
            };
            format!("{} {day} {} {} à {clock}", FR_DAYS[weekday], FR_MONTHS[month], t.year())
        }
    }
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

const EN_DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const FR_DAYS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];
const EN_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const FR_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "14:30" / "14h30" (French drops the hour's leading zero: "9h05").
fn clock(lang: Language, hour: u32, minute: u32) -> String {
    match lang {
        Language::En => format!("{hour:02}:{minute:02}"),
        Language::Fr => format!("{hour}h{minute:02}"),
    }
}

fn local_clock(lang: Language, tz: Tz, ts: i64) -> String {
    let t = DateTime::<Utc>::from_timestamp(ts, 0).unwrap_or_default().with_timezone(&tz);
    clock(lang, t.hour(), t.minute())
}

// ---------------------------------------------------------------------------
// The language-neutral message structure.

struct Message {
    lang: Language,
    subject: String,
    blocks: Vec<Block>,
    /// Closing line before the signature, e.g. "See you soon,".
    closing: &'static str,
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
    label: &'static str,
    value: String,
    /// What it was before a change, shown as "was: ...".
    was: Option<String>,
}

struct Button {
    label: &'static str,
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
}

impl Values {
    fn new(ctx: &MessageContext) -> Self {
        let recipient = one_line(&ctx.recipient_name);
        let client = one_line(&ctx.client_name);
        let attendee = !client.is_empty() && recipient != client;
        Values {
            recipient,
            client,
            store: one_line(&ctx.store_name),
            // Addresses are often typed on several lines; a details row and
            // an SMS want them on one.
            address: ctx
                .store_address
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join(", "),
            service: one_line(&ctx.service),
            associate: ctx.associate.as_deref().map(one_line).filter(|a| !a.is_empty()),
            start: human_date(ctx.lang, ctx.tz, ctx.starts_at),
            when: when(ctx.lang, ctx.tz, ctx.starts_at, ctx.ends_at),
            attendee,
        }
    }
}

/// The date and time with the end time when known:
/// "… at 14:30 (until 15:15)" / "… à 14h30 (jusqu'à 15h15)".
fn when(lang: Language, tz: Tz, starts_at: i64, ends_at: i64) -> String {
    let start = human_date(lang, tz, starts_at);
    if ends_at > starts_at {
        let end = local_clock(lang, tz, ends_at);
        pick(lang, format!("{start} (until {end})"), format!("{start} (jusqu'à {end})"))
    } else {
        start
    }
}

/// Picks the sentence for the language. Both arguments are built (cheaply)
/// so each template reads as an English/French pair side by side.
fn pick(lang: Language, en: String, fr: String) -> String {
    match lang {
        Language::En => en,
        Language::Fr => fr,
    }
}

fn pick_str(lang: Language, en: &'static str, fr: &'static str) -> &'static str {
    match lang {
        Language::En => en,
        Language::Fr => fr,
    }
}

/// French "de" elides before a vowel sound: "de Marc" but "d'Alice".
/// (An initial h is left alone: whether it elides depends on the word.)
fn fr_de(name: &str) -> String {
    let elides = name
        .chars()
        .next()
        .map(|c| "aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ".contains(c))
        .unwrap_or(false);
    if elides {
        format!("d'{name}")
    } else {
        format!("de {name}")
    }
}

/// "your appointment" / "Jean's appointment" and the French equivalent, so
/// an attendee's copy always says whose booking it is.
/// `fr_article` is the French article for `fr_noun` ("le", "la").
fn whose(v: &Values, lang: Language, en_noun: &str, fr_article: &str, fr_noun: &str) -> String {
    match (lang, v.attendee) {
        (Language::En, false) => format!("your {en_noun}"),
        (Language::En, true) => format!("{}'s {en_noun}", v.client),
        (Language::Fr, false) => format!("votre {fr_noun}"),
        (Language::Fr, true) => format!("{fr_article} {fr_noun} {}", fr_de(&v.client)),
    }
}

fn appointment(v: &Values, lang: Language) -> String {
    whose(v, lang, "appointment", "le", "rendez-vous")
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
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

fn compose(ctx: &MessageContext, v: &Values) -> Message {
    let lang = ctx.lang;
    let store = &v.store;
    // Sentences give the start only; the details block adds the end time.
    let when = &v.start;
    let appt = appointment(v, lang);
    let appt_cap = capitalize(&appt);
    let view_link = tracking_link(&ctx.tracking_url, lang, None);
    // Every SMS opens with the store's name so the client knows who writes.
    let sms_from = pick(lang, format!("{store}:"), format!("{store} :"));

    let greeting = if v.recipient.is_empty() {
        pick_str(lang, "Hello,", "Bonjour,").to_string()
    } else {
        pick(lang, format!("Hello {},", v.recipient), format!("Bonjour {},", v.recipient))
    };
    let mut blocks = vec![Block::Para(greeting)];
    if v.attendee && ctx.kind != MessageKind::Test {
        blocks.push(Block::Para(pick(
            lang,
            format!("You are receiving this message because you are part of {}'s booking.", v.client),
            format!(
                "Vous recevez ce message car vous faites partie de la réservation {}.",
                fr_de(&v.client)
            ),
        )));
    }

    let see_you = pick_str(lang, "See you soon,", "À bientôt,");
    let regards = pick_str(lang, "Kind regards,", "Bien cordialement,");

    let (subject, closing, sms) = match ctx.kind {
        MessageKind::RequestReceived => {
            let request = whose(v, lang, "appointment request", "la", "demande de rendez-vous");
            blocks.push(Block::Para(pick(
                lang,
                format!(
                    "Thank you! We have received {request} and will confirm it shortly. \
                     You will get another message as soon as it is confirmed."
                ),
                format!(
                    "Merci ! Nous avons bien reçu {request} et nous la confirmerons rapidement. \
                     Vous recevrez un nouveau message dès qu'elle sera confirmée."
                ),
            )));
            blocks.push(details(ctx, v, false));
            let label = if ctx.can_cancel {
                pick_str(lang, "View or cancel your request", "Voir ou annuler votre demande")
            } else {
                pick_str(lang, "View your request", "Voir votre demande")
            };
            blocks.push(Block::Buttons(vec![Button {
                label,
                url: view_link.clone(),
                primary: true,
            }]));
            (
                pick(
                    lang,
                    format!("{} at {store} has been received", capitalize(&request)),
                    format!("{} chez {store} a bien été reçue", capitalize(&request)),
                ),
                see_you,
                pick(
                    lang,
                    format!(
                        "{sms_from} we have received {request} for {} on {when} and will confirm it shortly. {view_link}",
                        v.service
                    ),
                    format!(
                        "{sms_from} nous avons bien reçu {request} pour {} le {when} et la confirmerons rapidement. {view_link}",
                        v.service
                    ),
                ),
            )
        }

        MessageKind::Confirmation => {
            blocks.push(Block::Para(pick(
                lang,
                format!("Good news: {appt} is confirmed. Here are the details:"),
                format!("Bonne nouvelle : {appt} est confirmé. Voici le récapitulatif :"),
            )));
            blocks.push(details(ctx, v, false));
            blocks.push(Block::Buttons(manage_buttons(ctx, true)));
            (
                pick(
                    lang,
                    format!("{appt_cap} at {store} is confirmed"),
                    format!("{appt_cap} chez {store} est confirmé"),
                ),
                see_you,
                pick(
                    lang,
                    format!("{sms_from} {appt} on {when} is confirmed. See you soon! {view_link}"),
                    format!("{sms_from} {appt} du {when} est confirmé. À bientôt ! {view_link}"),
                ),
            )
        }

        MessageKind::Changed => {
            blocks.push(Block::Para(pick(
                lang,
                format!("{appt_cap} has been changed. Here are the updated details:"),
                format!("{appt_cap} a été modifié. Voici les nouvelles informations :"),
            )));
            blocks.push(details(ctx, v, true));
            blocks.push(Block::Buttons(manage_buttons(ctx, true)));
            let with = with_associate(lang, v);
            (
                pick(
                    lang,
                    format!("{appt_cap} at {store} has changed"),
                    format!("{appt_cap} chez {store} a été modifié"),
                ),
                see_you,
                pick(
                    lang,
                    format!("{sms_from} {appt} has changed. It is now on {when}{with}. {view_link}"),
                    format!("{sms_from} {appt} a été modifié. Il aura lieu le {when}{with}. {view_link}"),
                ),
            )
        }

        MessageKind::PleaseConfirm => {
            blocks.push(Block::Para(if ctx.can_confirm {
                pick(
                    lang,
                    format!(
                        "We had to change {appt}. Please check the new details below \
                         and confirm that they suit you."
                    ),
                    format!(
                        "Nous avons dû modifier {appt}. Merci de vérifier les nouvelles \
                         informations ci-dessous et de nous confirmer qu'elles vous conviennent."
                    ),
                )
            } else {
                pick(
                    lang,
                    format!("We had to change {appt}. Please check the new details below."),
                    format!(
                        "Nous avons dû modifier {appt}. Merci de vérifier les nouvelles \
                         informations ci-dessous."
                    ),
                )
            }));
            blocks.push(details(ctx, v, true));
            let mut buttons = Vec::new();
            if ctx.can_confirm {
                buttons.push(Button {
                    label: pick_str(lang, "Confirm the new time", "Confirmer le nouvel horaire"),
                    url: tracking_link(&ctx.tracking_url, lang, Some("confirm")),
                    primary: true,
                });
            }
            buttons.extend(manage_buttons(ctx, !ctx.can_confirm));
            blocks.push(Block::Buttons(buttons));
            let ask = if ctx.can_confirm {
                pick_str(lang, "Please confirm:", "Merci de confirmer :")
            } else {
                pick_str(lang, "Details:", "Détails :")
            };
            (
                pick(
                    lang,
                    format!("Please confirm the change to {appt} at {store}"),
                    format!("Merci de confirmer la modification de {appt} chez {store}"),
                ),
                see_you,
                pick(
                    lang,
                    format!("{sms_from} we had to change {appt}. New time: {when}. {ask} {view_link}"),
                    format!("{sms_from} nous avons dû modifier {appt}. Nouvel horaire : le {when}. {ask} {view_link}"),
                ),
            )
        }

        MessageKind::CancelledByStore => {
            blocks.push(Block::Para(pick(
                lang,
                format!("We are sorry, but we had to cancel {appt} on {when}."),
                format!("Nous sommes désolés, mais nous avons dû annuler {appt} du {when}."),
            )));
            let reason = ctx.cancel_reason.trim();
            if !reason.is_empty() {
                blocks.push(Block::Para(pick(lang, format!("Reason: {reason}"), format!("Motif : {reason}"))));
            }
            blocks.push(details(ctx, v, false));
            blocks.push(Block::Para(
                pick_str(
                    lang,
                    "We apologise for the inconvenience and hope to see you again soon.",
                    "Veuillez nous excuser pour ce contretemps ; nous espérons vous revoir très bientôt.",
                )
                .to_string(),
            ));
            blocks.push(Block::Buttons(vec![
                book_again(ctx),
                Button {
                    label: view_label(lang),
                    url: view_link.clone(),
                    primary: false,
                },
            ]));
            // The reason is the store's free text: keep the SMS short whatever it says.
            let sms_reason = if reason.is_empty() {
                String::new()
            } else {
                format!(" ({})", truncate(&one_line(reason), 80))
            };
            (
                pick(
                    lang,
                    format!("{appt_cap} at {store} has been cancelled"),
                    format!("{appt_cap} chez {store} a été annulé"),
                ),
                regards,
                pick(
                    lang,
                    format!("{sms_from} we are sorry, we had to cancel {appt} on {when}{sms_reason}. {view_link}"),
                    format!("{sms_from} nous sommes désolés, nous avons dû annuler {appt} du {when}{sms_reason}. {view_link}"),
                ),
            )
        }

        MessageKind::CancellationConfirmed => {
            blocks.push(Block::Para(pick(
                lang,
                format!("As requested, {appt} on {when} has been cancelled."),
                format!("Comme demandé, {appt} du {when} a bien été annulé."),
            )));
            blocks.push(details(ctx, v, false));
            blocks.push(Block::Para(
                pick_str(
                    lang,
                    "We hope to see you another time.",
                    "Au plaisir de vous accueillir une prochaine fois.",
                )
                .to_string(),
            ));
            blocks.push(Block::Buttons(vec![book_again(ctx)]));
            (
                pick(
                    lang,
                    format!("{appt_cap} at {store} is cancelled"),
                    format!("{appt_cap} chez {store} est annulé"),
                ),
                regards,
                pick(
                    lang,
                    format!("{sms_from} as requested, {appt} on {when} is cancelled. {view_link}"),
                    format!("{sms_from} comme demandé, {appt} du {when} est annulé. {view_link}"),
                ),
            )
        }

        MessageKind::NoShow => {
            // "à votre rendez-vous" but "au rendez-vous de Jean" (à + le).
            let at_appt = match (lang, v.attendee) {
                (Language::Fr, true) => format!("au rendez-vous {}", fr_de(&v.client)),
                (Language::Fr, false) => "à votre rendez-vous".to_string(),
                (Language::En, _) => format!("at {appt}"),
            };
            blocks.push(Block::Para(pick(
                lang,
                format!(
                    "We missed you {at_appt} on {when}. We hope everything is all right! \
                     Whenever you are ready, you can book a new time online."
                ),
                // "Vous n'avez pas pu venir" rather than "nous ne vous avons pas vu(e)":
                // no gendered participle, and no blame.
                format!(
                    "Vous n'avez pas pu venir {at_appt} du {when} : nous espérons que tout va bien ! \
                     Quand vous le souhaitez, vous pouvez reprendre rendez-vous en ligne."
                ),
            )));
            blocks.push(Block::Buttons(vec![book_again(ctx)]));
            let again = sms_book_again(lang, ctx);
            let details = sms_label_if(!ctx.booking_url.is_empty(), lang, "Your booking:", "Votre rendez-vous :");
            (
                pick(
                    lang,
                    format!("We missed you at {store}"),
                    format!("Rendez-vous manqué chez {store}"),
                ),
                see_you,
                pick(
                    lang,
                    format!("{sms_from} we missed you on {when}. We hope all is well!{again}{details} {view_link}"),
                    format!(
                        "{sms_from} vous n'avez pas pu venir {at_appt} du {when}. Nous espérons que tout va bien !{again}{details} {view_link}"
                    ),
                ),
            )
        }

        MessageKind::ThankYou => {
            let with = with_associate(lang, v);
            blocks.push(Block::Para(pick(
                lang,
                format!(
                    "Thank you for your visit to {store}{with}. We hope you enjoyed it \
                     and look forward to seeing you again."
                ),
                format!(
                    "Merci pour votre visite chez {store}{with}. Nous espérons que tout vous a plu \
                     et serons ravis de vous accueillir à nouveau."
                ),
            )));
            blocks.push(Block::Buttons(vec![book_again(ctx)]));
            let again = sms_book_again(lang, ctx);
            let details = sms_label_if(!ctx.booking_url.is_empty(), lang, "Your visit:", "Votre visite :");
            (
                pick(
                    lang,
                    format!("Thank you for your visit to {store}"),
                    format!("Merci pour votre visite chez {store}"),
                ),
                see_you,
                pick(
                    lang,
                    format!("{sms_from} thank you for your visit! We hope to see you again soon.{again}{details} {view_link}"),
                    format!("{sms_from} merci pour votre visite ! Au plaisir de vous revoir bientôt.{again}{details} {view_link}"),
                ),
            )
        }

        MessageKind::Reminder => {
            let place = if v.address.is_empty() {
                store.clone()
            } else {
                format!("{store}, {}", v.address)
            };
            blocks.push(Block::Para(pick(
                lang,
                format!("This is a reminder of {appt} on {when} at {place}."),
                format!("Petit rappel : {appt} aura lieu le {when} chez {place}."),
            )));
            blocks.push(details(ctx, v, false));
            let how = match (ctx.can_modify, ctx.can_cancel) {
                (true, true) => Some(pick_str(
                    lang,
                    "changing or cancelling it below",
                    "en le modifiant ou en l'annulant ci-dessous",
                )),
                (true, false) => Some(pick_str(lang, "changing it below", "en le modifiant ci-dessous")),
                (false, true) => Some(pick_str(lang, "cancelling it below", "en l'annulant ci-dessous")),
                (false, false) => None,
            };
            if let Some(how) = how {
                blocks.push(Block::Para(pick(
                    lang,
                    format!("If you can no longer make it, please let us know by {how}."),
                    format!("En cas d'empêchement, merci de nous prévenir {how}."),
                )));
            }
            blocks.push(Block::Buttons(manage_buttons(ctx, true)));
            let at = if v.address.is_empty() {
                String::new()
            } else {
                format!(", {}", v.address)
            };
            (
                pick(
                    lang,
                    format!("Reminder: {appt} at {store}"),
                    format!("Rappel : {appt} chez {store}"),
                ),
                see_you,
                pick(
                    lang,
                    format!("{sms_from} a reminder that {appt} is on {when}{at}. {view_link}"),
                    format!("{sms_from} petit rappel, {appt} aura lieu le {when}{at}. {view_link}"),
                ),
            )
        }

        MessageKind::Recall => {
            let service = &v.service;
            blocks.push(Block::Para(pick(
                lang,
                format!(
                    "It has been a while since your last visit for {service}. Whenever you are \
                     ready, booking your next appointment online only takes a minute."
                ),
                format!(
                    "Votre dernière visite pour {service} remonte déjà à un moment. Quand vous \
                     le souhaitez, il suffit d'une minute pour reprendre rendez-vous en ligne."
                ),
            )));
            blocks.push(Block::Buttons(vec![book_again(ctx)]));
            let again = sms_book_again(lang, ctx);
            let details = sms_label_if(!ctx.booking_url.is_empty(), lang, "Your last visit:", "Votre dernière visite :");
            (
                pick(
                    lang,
                    format!("Time for your next visit to {store}?"),
                    format!("Et si vous repreniez rendez-vous chez {store} ?"),
                ),
                see_you,
                pick(
                    lang,
                    format!("{sms_from} it has been a while since your last visit for {service}.{again}{details} {view_link}"),
                    format!("{sms_from} votre dernière visite pour {service} remonte à un moment.{again}{details} {view_link}"),
                ),
            )
        }

        MessageKind::StoreReply => {
            blocks.push(Block::Para(pick(
                lang,
                format!("{store} answered your message:"),
                format!("{} a répondu à votre message :", capitalize(store)),
            )));
            // The reply keeps its line breaks; it is text, escaped like every value.
            blocks.push(Block::Para(ctx.reply.trim().to_string()));
            blocks.push(Block::Buttons(vec![Button {
                label: pick_str(lang, "Reply on your booking page", "Répondre depuis votre page de rendez-vous"),
                url: view_link.clone(),
                primary: true,
            }]));
            let short = truncate(&ctx.reply.split_whitespace().collect::<Vec<_>>().join(" "), 200);
            (
                pick(lang, format!("Reply from {store}"), format!("Réponse {}", fr_de(store))),
                regards,
                pick(
                    lang,
                    format!("{sms_from} {short} Reply: {view_link}"),
                    format!("{sms_from} {short} Répondre : {view_link}"),
                ),
            )
        }

        MessageKind::Test => {
            blocks.push(Block::Para(pick(
                lang,
                format!(
                    "This is a test message from {store}. If you can read it, \
                     messages on this channel work."
                ),
                format!(
                    "Ceci est un message de test {}. Si vous pouvez le lire, \
                     les messages sur ce canal fonctionnent.",
                    fr_de(store)
                ),
            )));
            // A test is often sent before any booking exists: only add the
            // link to the SMS when there is a real one to check.
            let link = if ctx.tracking_url.is_empty() {
                String::new()
            } else {
                format!(" {view_link}")
            };
            (
                pick(
                    lang,
                    format!("Test message from {store}"),
                    format!("Message de test {}", fr_de(store)),
                ),
                regards,
                pick(
                    lang,
                    format!("{sms_from} this is a test message. Text messages work!{link}"),
                    format!("{sms_from} ceci est un message de test. Les SMS fonctionnent !{link}"),
                ),
            )
        }
    };

    // Every email carries the tracking link; when no button already points
    // there, it goes at the bottom.
    let has_view = blocks.iter().any(|b| match b {
        Block::Buttons(buttons) => buttons.iter().any(|b| b.url == view_link),
        _ => false,
    });
    if !has_view {
        let label = if ctx.kind == MessageKind::Test {
            pick_str(lang, "Test link:", "Lien de test :")
        } else {
            pick_str(lang, "Your booking page:", "Votre page de rendez-vous :")
        };
        blocks.push(Block::FooterLink {
            label: label.to_string(),
            url: view_link,
        });
    }

    Message {
        lang,
        subject,
        blocks,
        closing,
        signature: v.store.clone(),
        sms,
    }
}

/// The details block: service, date and time, associate, place.
/// With `show_previous`, a changed time or associate also shows the old one.
fn details(ctx: &MessageContext, v: &Values, show_previous: bool) -> Block {
    let lang = ctx.lang;
    let was_time = ctx
        .previous_starts_at
        .filter(|&p| show_previous && p != ctx.starts_at)
        .map(|p| human_date(lang, ctx.tz, p));
    let was_associate = ctx
        .previous_associate
        .as_deref()
        .map(one_line)
        .filter(|p| show_previous && !p.is_empty() && Some(p) != v.associate.as_ref());

    let mut rows = vec![
        Row {
            label: pick_str(lang, "Service", "Prestation"),
            value: v.service.clone(),
            was: None,
        },
        Row {
            label: pick_str(lang, "When", "Date et heure"),
            value: v.when.clone(),
            was: was_time,
        },
    ];
    // An associate row also appears when the associate was removed, so the
    // change itself is visible.
    if v.associate.is_some() || was_associate.is_some() {
        rows.push(Row {
            label: pick_str(lang, "With", "Avec"),
            value: v
                .associate
                .clone()
                .unwrap_or_else(|| pick_str(lang, "No preference", "Sans préférence").to_string()),
            was: was_associate,
        });
    }
    rows.push(Row {
        label: pick_str(lang, "Where", "Lieu"),
        value: if v.address.is_empty() {
            v.store.clone()
        } else {
            format!("{}, {}", v.store, v.address)
        },
        was: None,
    });
    Block::Details(rows)
}

fn view_label(lang: Language) -> &'static str {
    pick_str(lang, "View booking", "Voir le rendez-vous")
}

/// View, then Change and Cancel as the flags allow.
fn manage_buttons(ctx: &MessageContext, view_primary: bool) -> Vec<Button> {
    let lang = ctx.lang;
    let mut buttons = vec![Button {
        label: view_label(lang),
        url: tracking_link(&ctx.tracking_url, lang, None),
        primary: view_primary,
    }];
    if ctx.can_modify {
        buttons.push(Button {
            label: pick_str(lang, "Change", "Modifier"),
            url: tracking_link(&ctx.tracking_url, lang, Some("modify")),
            primary: false,
        });
    }
    if ctx.can_cancel {
        buttons.push(Button {
            label: pick_str(lang, "Cancel", "Annuler"),
            url: tracking_link(&ctx.tracking_url, lang, Some("cancel")),
            primary: false,
        });
    }
    buttons
}

fn book_again(ctx: &MessageContext) -> Button {
    Button {
        label: pick_str(ctx.lang, "Book again", "Reprendre rendez-vous"),
        url: ctx.booking_url.clone(),
        primary: true,
    }
}

/// " Book again: https://…" for the SMS kinds whose point is to rebook.
fn sms_book_again(lang: Language, ctx: &MessageContext) -> String {
    if ctx.booking_url.is_empty() {
        return String::new();
    }
    pick(
        lang,
        format!(" Book again: {}", ctx.booking_url),
        format!(" Reprendre rendez-vous : {}", ctx.booking_url),
    )
}

/// Names the tracking link when a book-again link precedes it, so the two
/// URLs are not read as one. Empty when there is no book-again link.
fn sms_label_if(show: bool, lang: Language, en: &str, fr: &str) -> String {
    if show {
        pick(lang, format!(" {en}"), format!(" {fr}"))
    } else {
        String::new()
    }
}

/// " with Marie" / " avec Marie", or nothing without an associate.
fn with_associate(lang: Language, v: &Values) -> String {
    match &v.associate {
        Some(a) => pick(lang, format!(" with {a}"), format!(" avec {a}")),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------
// Writers.

fn write_text(msg: &Message) -> String {
    let colon = colon(msg.lang);
    let was_word = was_word(msg.lang);
    let mut parts: Vec<String> = Vec::new();
    for block in &msg.blocks {
        match block {
            Block::Para(p) => parts.push(p.clone()),
            Block::Details(rows) => parts.push(
                rows.iter()
                    .map(|r| match &r.was {
                        // The old value goes on its own indented line: the new
                        // one may already end in a parenthesis ("(until 15:15)").
                        Some(was) => format!("{}{colon}{}\n  {was_word} {was}", r.label, r.value),
                        None => format!("{}{colon}{}", r.label, r.value),
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
            Block::Buttons(buttons) => parts.push(
                buttons
                    .iter()
                    .map(|b| format!("{}{colon}{}", b.label, b.url))
                    .collect::<Vec<_>>()
                    .join("\n"),
            ),
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

/// French typography puts a space before a colon.
fn colon(lang: Language) -> &'static str {
    pick_str(lang, ": ", " : ")
}

fn was_word(lang: Language) -> &'static str {
    pick_str(lang, "was:", "auparavant :")
}

const FONT: &str = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";

fn write_html(msg: &Message, lang: Language) -> String {
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
                        escape_html(r.label),
                        escape_html(&r.value)
                    ));
                    if let Some(was) = &r.was {
                        body.push_str(&format!(
                            "<br><span style=\"color:#71717a;font-size:14px;\">{} <s>{}</s></span>",
                            escape_html(was_word(lang)),
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
                        escape_html(b.label)
                    ));
                }
                body.push_str("</div>\n");
            }
            Block::FooterLink { .. } => {}
        }
    }
    body.push_str(&format!(
        "<p style=\"margin:16px 0 0;\">{}<br>{}</p>\n",
        escape_html(msg.closing),
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
        lang = lang.code(),
        title = escape_html(&one_line(&msg.subject)),
    )
}

/// Escapes the five characters that matter in HTML text and attribute values.
fn escape_html(s: &str) -> String {
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
        }
    }

    fn all_contexts() -> Vec<MessageContext> {
        MessageKind::ALL
            .into_iter()
            .flat_map(|k| [ctx(k, Language::En), ctx(k, Language::Fr)])
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
        let r = render(&ctx(MessageKind::Confirmation, Language::Fr));
        assert_eq!(r.subject, "Votre rendez-vous chez Downtown Store est confirmé");
        assert!(r.text.starts_with("Bonjour Jean Dupont,"));
        assert!(r.text.contains("Date et heure : mardi 24 novembre 2026 à 15h30 (jusqu'à 16h15)"));
        assert!(r.sms.contains("?lang=fr"));
        assert!(r.html.contains("Modifier"));

        let en = render(&ctx(MessageKind::Confirmation, Language::En));
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
        let r = render(&ctx(MessageKind::PleaseConfirm, Language::En));
        assert!(r
            .text
            .contains("Confirm the new time: https://frontdesk.example/t/AbCdEfGhIjKlMnOpQrStUv?lang=en&action=confirm"));
        assert!(r.html.contains("?lang=en&amp;action=confirm"));
    }

    #[test]
    fn modify_and_cancel_follow_the_flags() {
        for kind in [MessageKind::Confirmation, MessageKind::Changed, MessageKind::Reminder] {
            let mut c = ctx(kind, Language::En);
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
        let mut c = ctx(MessageKind::RequestReceived, Language::En);
        assert!(render(&c).text.contains("View or cancel your request: "));
        c.can_cancel = false;
        let r = render(&c);
        assert!(r.text.contains("View your request: "));
        assert!(!r.text.contains("cancel your request"));
    }

    #[test]
    fn changes_show_what_it_was() {
        let mut c = ctx(MessageKind::Changed, Language::En);
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
        fr.lang = Language::Fr;
        fr.kind = MessageKind::PleaseConfirm;
        assert!(render(&fr).text.contains("\n  auparavant : lundi 23 novembre 2026 à 15h30\n"));

        // Unchanged values are not repeated as "was".
        c.previous_starts_at = Some(c.starts_at);
        c.previous_associate = Some("Marie".into());
        assert!(!render(&c).text.contains("was:"));

        // The other kinds never show "was".
        let mut conf = ctx(MessageKind::Confirmation, Language::En);
        conf.previous_starts_at = Some(NOV_24 - 86_400);
        assert!(!render(&conf).text.contains("was:"));
    }

    #[test]
    fn store_cancellation_gives_the_reason_and_a_way_back() {
        let mut c = ctx(MessageKind::CancelledByStore, Language::En);
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
            for lang in [Language::En, Language::Fr] {
                let r = render(&ctx(kind, lang));
                assert!(r.text.contains("https://frontdesk.example/book/downtown-store"), "{kind:?}");
                assert!(r.html.contains("href=\"https://frontdesk.example/book/downtown-store\""));
            }
        }
        let r = render(&ctx(MessageKind::ThankYou, Language::Fr));
        assert!(r.text.contains("Merci pour votre visite chez Downtown Store avec Marie."));
        let r = render(&ctx(MessageKind::Recall, Language::En));
        assert!(r.text.contains("your last visit for Haircut"));
    }

    #[test]
    fn test_message_names_the_store() {
        let r = render(&ctx(MessageKind::Test, Language::En));
        assert!(r.text.contains("This is a test message from Downtown Store"));
        let mut c = ctx(MessageKind::Test, Language::Fr);
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
        let mut c = ctx(MessageKind::Confirmation, Language::En);
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
        let mut c = ctx(MessageKind::Confirmation, Language::En);
        c.store_name = "Downtown\r\nBcc: victim@example.com".into();
        let r = render(&c);
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
        assert!(!r.sms.contains('\n'));
    }

    #[test]
    fn attendee_copy_says_whose_booking() {
        for kind in MessageKind::ALL {
            for lang in [Language::En, Language::Fr] {
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
        let mut c = ctx(MessageKind::Confirmation, Language::En);
        c.recipient_name = "Alice Martin".into();
        c.client_name = "Omar Haddad".into();
        let r = render(&c);
        assert_eq!(r.subject, "Omar Haddad's appointment at Downtown Store is confirmed");
        assert!(r.sms.contains("Omar Haddad's appointment"));
        c.lang = Language::Fr;
        let r = render(&c);
        assert_eq!(r.subject, "Le rendez-vous d'Omar Haddad chez Downtown Store est confirmé");
        assert!(r.text.contains("vous faites partie de la réservation d'Omar Haddad"));
    }

    #[test]
    fn human_date_in_paris_and_toronto() {
        use chrono_tz::{America::Toronto, Europe::Paris};
        assert_eq!(human_date(Language::En, Paris, NOV_24), "Tuesday 24 November 2026 at 15:30");
        assert_eq!(human_date(Language::Fr, Paris, NOV_24), "mardi 24 novembre 2026 à 15h30");
        assert_eq!(human_date(Language::Fr, Toronto, NOV_24), "mardi 24 novembre 2026 à 9h30");
        // 2026-03-07 and 2026-03-08 14:30 UTC: Toronto moves to EDT on the 8th,
        // so the same UTC time reads an hour later.
        let mar_8 = 1_772_980_200;
        assert_eq!(human_date(Language::En, Toronto, mar_8 - 86_400), "Saturday 7 March 2026 at 09:30");
        assert_eq!(human_date(Language::En, Toronto, mar_8), "Sunday 8 March 2026 at 10:30");
        // 2026-03-29 12:30 UTC: Paris is on CEST (UTC+2) from that morning.
        assert_eq!(human_date(Language::Fr, Paris, 1_774_787_400), "dimanche 29 mars 2026 à 14h30");
        // 2026-12-01 08:05 UTC: French ordinal for the 1st.
        assert_eq!(human_date(Language::Fr, Paris, 1_796_112_300), "mardi 1er décembre 2026 à 9h05");
    }

    #[test]
    fn tracking_links() {
        assert_eq!(
            tracking_link("https://x.example/t/AbC", Language::Fr, Some("modify")),
            "https://x.example/t/AbC?lang=fr&action=modify"
        );
        assert_eq!(
            tracking_link("https://x.example/t/AbC", Language::En, None),
            "https://x.example/t/AbC?lang=en"
        );
    }

    #[test]
    fn plain_text_writes_links_in_full() {
        let r = render(&ctx(MessageKind::Reminder, Language::Fr));
        assert!(r
            .text
            .contains("Modifier : https://frontdesk.example/t/AbCdEfGhIjKlMnOpQrStUv?lang=fr&action=modify"));
        assert!(r.text.contains("Lieu : Downtown Store, 12 Main St, Montréal QC"));
        assert!(!r.text.contains('<'));
    }
}
