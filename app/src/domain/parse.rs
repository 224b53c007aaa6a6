//! Domain types that parse, not validate: once you hold an `EmailAddress`,
//! it is a plausible address; the booking code never re-checks strings.

use serde::{Deserialize, Serialize};

pub const MAX_NAME: usize = 100;
pub const MAX_EMAIL: usize = 254;
pub const MAX_NOTES: usize = 2000;

/// A character that would break a line or reorder the text around it where a
/// name or address is shown (a subject line, a staff page): a control
/// character, a line or paragraph separator, or a bidirectional override
/// (which can make "Ann Lee" read as something else in a list).
fn breaks_text(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("Please enter your name.".into());
        }
        if s.chars().count() > MAX_NAME {
            return Err(format!("Names are limited to {MAX_NAME} characters."));
        }
        if s.chars().any(breaks_text) {
            return Err("The name contains characters that are not allowed.".into());
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        let bad = || Err("Please enter a valid email address, like name@example.com.".to_string());
        if s.len() > MAX_EMAIL {
            return Err(format!("Email addresses are limited to {MAX_EMAIL} characters."));
        }
        let Some((local, domain)) = s.rsplit_once('@') else {
            return bad();
        };
        if local.is_empty()
            || local.len() > 64
            || domain.len() < 3
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
            || s.chars()
                .any(|c| c.is_whitespace() || breaks_text(c) || c == '<' || c == '>' || c == ',')
            || domain.contains('@')
            || local.contains('@')
        {
            return bad();
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mobile number in E.164 form (`+447700900123`): spaces, dashes, dots
/// and brackets are accepted on input and dropped.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MobileNumber(String);

impl MobileNumber {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let cleaned: String = raw.trim().chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')')).collect();
        let msg = "Please enter the mobile number with its country code, like +44 7700 900123.";
        let Some(digits) = cleaned.strip_prefix('+') else {
            return Err(msg.into());
        };
        if digits.len() < 8 || digits.len() > 15 || !digits.chars().all(|c| c.is_ascii_digit()) || digits.starts_with('0') {
            return Err(msg.into());
        }
        Ok(Self(cleaned))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How to reach a client: at least one of email and mobile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ContactDetails {
    Email(EmailAddress),
    Mobile(MobileNumber),
    Both(EmailAddress, MobileNumber),
}

impl ContactDetails {
    pub fn email(&self) -> Option<&EmailAddress> {
        match self {
            Self::Email(e) | Self::Both(e, _) => Some(e),
            Self::Mobile(_) => None,
        }
    }
    pub fn mobile(&self) -> Option<&MobileNumber> {
        match self {
            Self::Mobile(m) | Self::Both(_, m) => Some(m),
            Self::Email(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notes(String);

impl Notes {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.chars().count() > MAX_NOTES {
            return Err(format!("Notes are limited to {MAX_NOTES} characters."));
        }
        // Line breaks and tabs are how people write notes; other control
        // characters (a NUL, an escape) are never typed, only sent.
        if s.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            return Err("The notes contain characters that are not allowed.".into());
        }
        Ok(Self(s.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_accepts_ordinary_addresses_and_trims() {
        assert_eq!(EmailAddress::parse(" ann@example.com ").unwrap().as_str(), "ann@example.com");
        assert!(EmailAddress::parse("a.b+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn email_rejects_malformed_addresses() {
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.com",
            "ann@example",
            "ann@@example.com",
            "ann @example.com",
            "ann@.example.com",
            "ann@example..com",
            "a<b>@example.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        assert!(EmailAddress::parse(&long).is_err());
    }

    #[test]
    fn mobile_is_normalised_to_e164() {
        assert_eq!(MobileNumber::parse("+44 7700 900-123").unwrap().as_str(), "+447700900123");
        for bad in ["07700900123", "+44", "+44abc7700900", "+0123456789", "+1234567890123456"] {
            assert!(MobileNumber::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn names_are_required_and_bounded() {
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse(&"x".repeat(MAX_NAME + 1)).is_err());
        assert!(PersonName::parse("Ann\u{0}").is_err());
        assert_eq!(PersonName::parse("  Ann Lee ").unwrap().as_str(), "Ann Lee");
    }

    #[test]
    fn notes_are_bounded() {
        assert!(Notes::parse(&"n".repeat(MAX_NOTES + 1)).is_err());
        assert!(Notes::parse("").is_ok());
    }
}

/// A store's public address part: `/book/{slug}`. Lowercase letters, digits
/// and single dashes, 2 to 40 characters, not starting or ending with a dash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreSlug(String);

impl StoreSlug {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_lowercase();
        let ok = (2..=40).contains(&s.len())
            && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !s.starts_with('-')
            && !s.ends_with('-')
            && !s.contains("--");
        if ok {
            Ok(Self(s))
        } else {
            Err("Use 2 to 40 lowercase letters, digits and single dashes, like downtown or rue-de-rivoli.".into())
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone name the server knows, like Europe/London.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    #[cfg(feature = "ssr")]
    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        match s.parse::<chrono_tz::Tz>() {
            Ok(tz) => Ok(Self(tz.name().to_string())),
            Err(_) => Err("Choose a time zone from the list, like Europe/London.".into()),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod store_field_tests {
    use super::*;

    #[test]
    fn slugs_are_short_lowercase_words_with_single_dashes() {
        for good in ["downtown", "rue-de-rivoli", "store42", "UPTOWN"] {
            assert!(StoreSlug::parse(good).is_ok(), "{good}");
        }
        assert_eq!(StoreSlug::parse(" Uptown ").unwrap().as_str(), "uptown");
        for bad in ["", "a", "-x", "x-", "a--b", "a b", "café", &"x".repeat(41)] {
            assert!(StoreSlug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    #[cfg(feature = "ssr")]
    fn time_zones_are_known_iana_names() {
        assert_eq!(TimeZoneName::parse("Europe/Paris").unwrap().as_str(), "Europe/Paris");
        assert!(TimeZoneName::parse("Mars/Base").is_err());
        assert!(TimeZoneName::parse("").is_err());
    }
}
