//! "Add to calendar": one appointment as an RFC 5545 iCalendar file.
//!
//! Pure text generation, no I/O. The UID stays the same for the life of an
//! appointment and SEQUENCE follows its version, so a calendar that imports a
//! newer copy replaces the older one instead of adding a duplicate.

use chrono::{DateTime, Utc};

pub struct CalendarEvent<'a> {
    /// Stable per appointment, e.g. "appointment-42@frontdesk".
    pub uid: &'a str,
    /// Unix seconds UTC.
    pub starts_at: i64,
    pub ends_at: i64,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    /// The appointment's version, so calendars replace older copies.
    pub sequence: i64,
    /// Emits STATUS:CANCELLED.
    pub cancelled: bool,
    /// DTSTAMP: when this copy was produced.
    pub now: i64,
}

/// RFC 5545 §3.1: content lines are at most 75 octets, excluding the CRLF.
const MAX_LINE_OCTETS: usize = 75;

pub fn render(ev: &CalendarEvent) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Frontdesk//Bookings//EN".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
        "BEGIN:VEVENT".into(),
        format!("UID:{}", escape_text(ev.uid)),
        format!("DTSTAMP:{}", utc_stamp(ev.now)),
        format!("DTSTART:{}", utc_stamp(ev.starts_at)),
    ];
    // DTEND must be strictly after DTSTART (§3.6.1); without it a DATE-TIME
    // start means a zero-length event, which is the honest fallback.
    if ev.ends_at > ev.starts_at {
        lines.push(format!("DTEND:{}", utc_stamp(ev.ends_at)));
    }
    // SEQUENCE is a non-negative integer (§3.8.7.4).
    lines.push(format!("SEQUENCE:{}", ev.sequence.max(0)));
    lines.push(if ev.cancelled { "STATUS:CANCELLED" } else { "STATUS:CONFIRMED" }.into());
    lines.push(format!("SUMMARY:{}", escape_text(ev.summary)));
    if !ev.location.is_empty() {
        lines.push(format!("LOCATION:{}", escape_text(ev.location)));
    }
    if !ev.description.is_empty() {
        lines.push(format!("DESCRIPTION:{}", escape_text(ev.description)));
    }
    // URL is a URI value, not TEXT: no backslash escaping, but a stray line
    // break would still end the content line, so control characters go.
    let url: String = ev.url.chars().filter(|c| !c.is_control()).collect();
    if !url.is_empty() {
        lines.push(format!("URL:{url}"));
    }
    lines.push("END:VEVENT".into());
    lines.push("END:VCALENDAR".into());

    let mut out = String::new();
    for line in &lines {
        fold_into(&mut out, line);
    }
    out
}

/// "20261124T143000Z". Out-of-range timestamps fall back to the epoch rather
/// than failing: a calendar file is a convenience, never worth an error.
fn utc_stamp(ts: i64) -> String {
    DateTime::<Utc>::from_timestamp(ts, 0)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

/// TEXT value escaping (§3.3.11): backslash, semicolon and comma are
/// escaped, any line break becomes the two characters `\n`, and other
/// control characters (not allowed in TEXT) are dropped.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                // CRLF is one line break, not two.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Appends `line` with CRLF, folded so no physical line exceeds 75 octets.
/// Continuation lines start with one space, which counts toward the limit,
/// and a fold never falls inside a UTF-8 sequence (§3.1 allows splitting one,
/// but many readers then show garbage).
fn fold_into(out: &mut String, line: &str) {
    let mut budget = MAX_LINE_OCTETS;
    let mut used = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if used + len > budget {
            out.push_str("\r\n ");
            // The leading space takes one octet of the next line.
            budget = MAX_LINE_OCTETS - 1;
            used = 0;
        }
        out.push(c);
        used += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event<'a>(description: &'a str) -> CalendarEvent<'a> {
        CalendarEvent {
            uid: "appointment-42@frontdesk",
            // 2026-11-24 14:30:00 UTC .. 15:15:00 UTC
            starts_at: 1_795_530_600,
            ends_at: 1_795_533_300,
            summary: "Haircut at Downtown Store",
            location: "12 Main St, Suite 4; Montréal",
            description,
            url: "https://x.example/t/AbC?lang=en",
            sequence: 3,
            cancelled: false,
            now: 1_795_000_000,
        }
    }

    /// Undoes folding (§3.1): a CRLF followed by one space or tab is removed.
    fn unfold(s: &str) -> String {
        s.replace("\r\n ", "").replace("\r\n\t", "")
    }

    /// The value of the first property called `name`, after unfolding.
    fn prop(ics: &str, name: &str) -> Option<String> {
        let unfolded = unfold(ics);
        unfolded
            .split("\r\n")
            .find_map(|l| l.strip_prefix(&format!("{name}:")).map(str::to_string))
    }

    #[test]
    fn escapes_text_values() {
        assert_eq!(escape_text("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
        assert_eq!(escape_text("bell\u{7}less"), "bellless");
        let ics = render(&event("Line one\nLine two, with a comma"));
        assert_eq!(prop(&ics, "DESCRIPTION").unwrap(), "Line one\\nLine two\\, with a comma");
        assert_eq!(prop(&ics, "LOCATION").unwrap(), "12 Main St\\, Suite 4\\; Montréal");
    }

    #[test]
    fn has_required_properties_in_utc() {
        let ics = render(&event("Bring your card"));
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(ics.ends_with("END:VCALENDAR\r\n"));
        for line in [
            "VERSION:2.0",
            "PRODID:-//Frontdesk//Bookings//EN",
            "METHOD:PUBLISH",
            "CALSCALE:GREGORIAN",
            "BEGIN:VEVENT",
            "END:VEVENT",
            "UID:appointment-42@frontdesk",
            "DTSTART:20261124T143000Z",
            "DTEND:20261124T151500Z",
            "SEQUENCE:3",
            "STATUS:CONFIRMED",
            "SUMMARY:Haircut at Downtown Store",
            "URL:https://x.example/t/AbC?lang=en",
        ] {
            assert!(ics.contains(&format!("\r\n{line}\r\n")), "missing {line}:\n{ics}");
        }
        assert!(prop(&ics, "DTSTAMP").unwrap().ends_with('Z'));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    }

    #[test]
    fn cancelled_status_and_sane_sequence() {
        let mut ev = event("");
        ev.cancelled = true;
        ev.sequence = -1;
        let ics = render(&ev);
        assert_eq!(prop(&ics, "STATUS").unwrap(), "CANCELLED");
        assert_eq!(prop(&ics, "SEQUENCE").unwrap(), "0");
        // Empty optional text is left out rather than sent empty.
        assert!(prop(&ics, "DESCRIPTION").is_none());
    }

    #[test]
    fn omits_dtend_unless_after_start() {
        let mut ev = event("");
        ev.ends_at = ev.starts_at;
        assert!(prop(&render(&ev), "DTEND").is_none());
    }

    #[test]
    fn uses_crlf_only() {
        let ics = render(&event("a\nb\r\nc"));
        assert!(!ics.replace("\r\n", "").contains('\n'));
        assert!(!ics.replace("\r\n", "").contains('\r'));
    }

    #[test]
    fn folds_long_utf8_lines_at_75_octets() {
        let description = "Rendez-vous confirmé à l'institut « Élégance » — \
            n'oubliez pas votre carte. 日本語のテキストも大丈夫です。 🎉🎉🎉 "
            .repeat(4);
        let ics = render(&event(&description));
        for physical in ics.split("\r\n") {
            assert!(physical.len() <= MAX_LINE_OCTETS, "{} octets: {physical:?}", physical.len());
        }
        // Folding happened, and only continuation lines start with a space.
        assert!(ics.contains("\r\n "));
        assert_eq!(prop(&ics, "DESCRIPTION").unwrap(), escape_text(&description));
    }

    #[test]
    fn fold_boundaries_are_exact() {
        let mut out = String::new();
        fold_into(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)));

        let mut out = String::new();
        fold_into(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));

        // A 2-octet character that would straddle octet 75 moves to the next line.
        let mut out = String::new();
        fold_into(&mut out, &format!("{}é", "a".repeat(74)));
        assert_eq!(out, format!("{}\r\n é\r\n", "a".repeat(74)));
    }
}
