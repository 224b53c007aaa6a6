//! Standard Webhooks signatures (<https://www.standardwebhooks.com>, the
//! scheme Svix follows), so receivers can verify our deliveries with any of
//! the official libraries.
//!
//! Every delivery carries three headers:
//! - `webhook-id`: the message id ([`new_message_id`]), the same on every retry
//!   of one message, so receivers can de-duplicate;
//! - `webhook-timestamp`: Unix seconds of this attempt (receivers refuse ones
//!   more than 5 minutes from their clock, so it is set per attempt);
//! - `webhook-signature`: [`signature_header`] over `"{id}.{timestamp}.{body}"`
//!   with the exact body bytes sent.
//!
//! During secret rotation the header carries one signature per live secret,
//! space-separated; receivers accept a delivery if any of them matches.

use base64::alphabet;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::distributions::{Alphanumeric, DistString};
use rand::RngCore;
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The prefix of a secret's text form.
const PREFIX: &str = "whsec_";
/// Fewest key bytes accepted (the spec's lower bound, 192 bits).
pub const MIN_SECRET_BYTES: usize = 24;
/// Most key bytes accepted (the spec's upper bound, 512 bits).
pub const MAX_SECRET_BYTES: usize = 64;
/// Key bytes in a secret we generate.
const GENERATED_SECRET_BYTES: usize = 32;
/// Random characters after `msg_` in a message id.
const MESSAGE_ID_CHARS: usize = 27;

/// Decodes standard base64 with or without its `=` padding.
const LENIENT_B64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// A signing secret: `"whsec_"` + base64 of 24 to 64 random bytes.
/// Not `Serialize`; `Debug` does not print it.
#[derive(Clone)]
pub struct WebhookSecret {
    /// The canonical text form, `whsec_` + padded standard base64 of `key`.
    text: String,
    key: Vec<u8>,
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(whsec_<redacted>)")
    }
}

impl PartialEq for WebhookSecret {
    fn eq(&self, other: &Self) -> bool {
        // Only for tests and de-duplication; not used on anything an attacker times.
        self.key == other.key
    }
}
impl Eq for WebhookSecret {}

impl WebhookSecret {
    fn from_key(key: Vec<u8>) -> Self {
        let text = format!("{PREFIX}{}", STANDARD.encode(&key));
        Self { text, key }
    }

    /// A new secret of 32 bytes from the operating system's random source.
    pub fn generate() -> Self {
        let mut key = vec![0u8; GENERATED_SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut key);
        Self::from_key(key)
    }

    /// Reads a secret in its `whsec_<base64>` form (padding optional). The
    /// error says what is wrong without repeating the secret.
    pub fn parse(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let Some(encoded) = s.strip_prefix(PREFIX) else {
            return Err(format!("a webhook signing secret starts with \"{PREFIX}\""));
        };
        let key = LENIENT_B64.decode(encoded).map_err(|_| {
            format!("a webhook signing secret is \"{PREFIX}\" followed by standard base64, and this one is not valid base64")
        })?;
        if key.len() < MIN_SECRET_BYTES {
            return Err(format!(
                "this webhook signing secret is too short: {} bytes, at least {MIN_SECRET_BYTES} are needed",
                key.len()
            ));
        }
        if key.len() > MAX_SECRET_BYTES {
            return Err(format!(
                "this webhook signing secret is too long: {} bytes, at most {MAX_SECRET_BYTES} are allowed",
                key.len()
            ));
        }
        Ok(Self::from_key(key))
    }

    /// The `whsec_...` form: to show once to whoever configures the receiver, and to store.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    fn mac(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
        let mut mac = HmacSha256::new_from_slice(&self.key).expect("HMAC takes keys of any length");
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        mac
    }
}

/// The `webhook-signature` header value: `v1,<base64 HMAC-SHA256(key, "{msg_id}.{timestamp}.{body}")>`
/// for each secret, space-separated. While rotating, pass the new secret first, then the old one.
pub fn signature_header(secrets: &[&WebhookSecret], msg_id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|s| format!("v1,{}", STANDARD.encode(s.mac(msg_id, timestamp, body).finalize().into_bytes())))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Verifies a delivery the way the official libraries do: the timestamp is
/// within `tolerance_s` of `now` (either way), and any `v1` signature in
/// `header` matches (compared in constant time). Other versions are skipped.
pub fn verify(secret: &WebhookSecret, msg_id: &str, timestamp: i64, body: &[u8], header: &str, now: i64, tolerance_s: i64) -> bool {
    if now.saturating_sub(timestamp) > tolerance_s || timestamp.saturating_sub(now) > tolerance_s {
        return false;
    }
    let expected = secret.mac(msg_id, timestamp, body);
    header.split_whitespace().any(|item| {
        let Some(("v1", encoded)) = item.split_once(',') else {
            return false;
        };
        match STANDARD.decode(encoded) {
            Ok(signature) => expected.clone().verify_slice(&signature).is_ok(),
            Err(_) => false,
        }
    })
}

/// A fresh message id: `msg_` + 27 random letters and digits (about 160 bits).
pub fn new_message_id() -> String {
    format!("msg_{}", Alphanumeric.sample_string(&mut rand::rngs::OsRng, MESSAGE_ID_CHARS))
}

#[cfg(test)]
mod tests {
    use super::*;

    // The test vector every official Standard Webhooks library checks.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const MSG_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;
    const SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn official_test_vector() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        assert_eq!(secret.as_str(), SECRET);
        assert_eq!(signature_header(&[&secret], MSG_ID, TIMESTAMP, BODY), SIGNATURE);
        assert!(verify(&secret, MSG_ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP + 10, 300));
    }

    #[test]
    fn verify_refuses_tampering_and_stale_timestamps() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        let ok = |id: &str, ts: i64, body: &[u8], header: &str, now: i64| verify(&secret, id, ts, body, header, now, 300);
        assert!(ok(MSG_ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP));
        assert!(!ok(MSG_ID, TIMESTAMP, br#"{"test": 2432232315}"#, SIGNATURE, TIMESTAMP));
        assert!(!ok("msg_other", TIMESTAMP, BODY, SIGNATURE, TIMESTAMP));
        assert!(!ok(MSG_ID, TIMESTAMP + 1, BODY, SIGNATURE, TIMESTAMP));
        // Tolerance both ways, bounds included.
        assert!(ok(MSG_ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP + 300));
        assert!(!ok(MSG_ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP + 301));
        assert!(ok(MSG_ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP - 300));
        assert!(!ok(MSG_ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP - 301));
        // Other versions and junk are skipped; a matching v1 among them still counts.
        let sig = SIGNATURE.strip_prefix("v1,").unwrap();
        assert!(!ok(MSG_ID, TIMESTAMP, BODY, &format!("v2,{sig}"), TIMESTAMP));
        assert!(!ok(MSG_ID, TIMESTAMP, BODY, sig, TIMESTAMP));
        assert!(!ok(MSG_ID, TIMESTAMP, BODY, "", TIMESTAMP));
        assert!(ok(MSG_ID, TIMESTAMP, BODY, &format!("v1a,xyz v1,!!! {SIGNATURE}"), TIMESTAMP));
        let other = WebhookSecret::generate();
        assert!(!verify(&other, MSG_ID, TIMESTAMP, BODY, SIGNATURE, TIMESTAMP, 300));
    }

    #[test]
    fn rotation_carries_one_signature_per_secret() {
        let new = WebhookSecret::generate();
        let old = WebhookSecret::parse(SECRET).unwrap();
        let header = signature_header(&[&new, &old], MSG_ID, TIMESTAMP, BODY);
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0], signature_header(&[&new], MSG_ID, TIMESTAMP, BODY));
        assert_eq!(parts[1], SIGNATURE);
        for secret in [&new, &old] {
            assert!(verify(secret, MSG_ID, TIMESTAMP, BODY, &header, TIMESTAMP, 300));
        }
        assert!(!verify(
            &WebhookSecret::generate(),
            MSG_ID,
            TIMESTAMP,
            BODY,
            &header,
            TIMESTAMP,
            300
        ));
        assert_eq!(signature_header(&[], MSG_ID, TIMESTAMP, BODY), "");
    }

    #[test]
    fn parse_checks_form_and_length() {
        // 23 bytes: one short.
        let short = format!("whsec_{}", STANDARD.encode([7u8; 23]));
        let err = WebhookSecret::parse(&short).unwrap_err();
        assert!(err.contains("too short") && err.contains("23"), "{err}");
        assert!(!err.contains(&short[6..]), "the error must not repeat the secret");
        assert!(WebhookSecret::parse(&format!("whsec_{}", STANDARD.encode([7u8; 24]))).is_ok());
        assert!(WebhookSecret::parse(&format!("whsec_{}", STANDARD.encode([7u8; 64]))).is_ok());
        assert!(WebhookSecret::parse(&format!("whsec_{}", STANDARD.encode([7u8; 65])))
            .unwrap_err()
            .contains("too long"));
        assert!(WebhookSecret::parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .unwrap_err()
            .contains("whsec_"));
        assert!(WebhookSecret::parse("whsec_not*base64*at*all*not*base64*at*all")
            .unwrap_err()
            .contains("base64"));
        assert!(WebhookSecret::parse("whsec_").is_err());
        // Padding is optional and surrounding blanks are ignored; the stored form is canonical.
        let unpadded = STANDARD.encode([9u8; 32]).trim_end_matches('=').to_string();
        let secret = WebhookSecret::parse(&format!("  whsec_{unpadded}\n")).unwrap();
        assert_eq!(secret.as_str(), format!("whsec_{}", STANDARD.encode([9u8; 32])));
    }

    #[test]
    fn generated_secrets_round_trip_and_differ() {
        let a = WebhookSecret::generate();
        let b = WebhookSecret::generate();
        assert_ne!(a, b);
        assert!(a.as_str().starts_with("whsec_"));
        assert_eq!(STANDARD.decode(&a.as_str()[6..]).unwrap().len(), 32);
        assert_eq!(WebhookSecret::parse(a.as_str()).unwrap(), a);
    }

    #[test]
    fn debug_is_redacted() {
        let secret = WebhookSecret::parse(SECRET).unwrap();
        let shown = format!("{secret:?} {:?}", Some(&secret));
        assert!(!shown.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), "{shown}");
        assert!(shown.contains("redacted"), "{shown}");
    }

    #[test]
    fn message_ids() {
        let a = new_message_id();
        let b = new_message_id();
        assert_ne!(a, b);
        assert_eq!(a.len(), 4 + 27);
        assert!(a.starts_with("msg_"));
        assert!(a[4..].bytes().all(|c| c.is_ascii_alphanumeric()), "{a}");
    }
}
