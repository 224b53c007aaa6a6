//! Outbound channels for client messages: e-mail over SMTP (lettre, pooled
//! connections, rustls) and SMS through a Twilio-compatible HTTP API.
//!
//! Both sends classify failures for the caller's retry policy: `permanent`
//! means sending the same message again cannot succeed (a mailbox refused
//! with a 5xx reply, an invalid number refused with a 4xx status); anything
//! else (4xx SMTP replies, 429, 5xx, timeouts, connection errors) is worth
//! retrying later.
//!
//! Secrets (the SMTP password in the URL, the SMS auth token) are never
//! `Serialize`, never printed by `Debug` and never copied into an error.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::AsyncSmtpTransportBuilder;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::sync::OnceLock;
use std::time::Duration;

/// Longest wait for one SMTP command or one SMS API request.
const TIMEOUT: Duration = Duration::from_secs(15);
/// How much of a provider's non-JSON error body goes into a reason.
const MAX_BODY_IN_REASON: usize = 200;

/// SMTP settings. `smtp_url` is one of the forms lettre understands:
/// `smtp://host:port` (plain, local relays only), `smtp://user:pass@host?tls=required`
/// (STARTTLS, port 587 by default) or `smtps://user:pass@host` (TLS, port 465).
/// Secrets are never `Serialize` and their `Debug` is redacted.
#[derive(Clone)]
pub struct MailConfig {
    pub smtp_url: String,
    /// `Frontdesk <bookings@example.com>` or a bare address.
    pub from: String,
}

/// A Twilio-compatible SMS API (`api_base` is `https://api.twilio.com` for Twilio itself).
/// Secrets are never `Serialize` and their `Debug` is redacted.
#[derive(Clone)]
pub struct SmsConfig {
    pub api_base: String,
    pub account_sid: String,
    pub auth_token: String,
    /// The sending number (E.164) or alphanumeric sender id.
    pub from: String,
}

/// The URL with its password (if any) replaced; nothing of it if it does not parse.
fn redacted_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut u) => {
            if u.password().is_some() {
                let _ = u.set_password(Some("***"));
            }
            u.to_string()
        }
        Err(_) => "<unparseable URL>".to_string(),
    }
}

impl std::fmt::Debug for MailConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailConfig")
            .field("smtp_url", &redacted_url(&self.smtp_url))
            .field("from", &self.from)
            .finish()
    }
}

impl std::fmt::Debug for SmsConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmsConfig")
            .field("api_base", &redacted_url(&self.api_base))
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"***")
            .field("from", &self.from)
            .finish()
    }
}

/// Why a message did not go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendError {
    /// For the server log: includes the server's or provider's own words when it gave any.
    pub reason: String,
    /// true when retrying cannot help (mailbox refused with 5xx, invalid number 4xx)
    pub permanent: bool,
    /// What staff are told (the reason's detail stays in the log).
    pub failure: Failure,
}

/// How a send failed, in the terms staff can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No mail server or SMS provider is set up.
    NotConfigured,
    /// The address or number cannot be sent to as written.
    BadRecipient,
    /// The server or provider said no.
    Refused,
    /// The server or provider could not be reached, or asked to try later.
    Unavailable,
}

impl Failure {
    /// A sentence for the staff pages, about a message sent by `channel`.
    pub fn sentence(self, channel: crate::domain::messages::Channel) -> &'static str {
        use crate::domain::messages::Channel::*;
        match (self, channel) {
            (Failure::NotConfigured, Email) => {
                "Email to clients is not set up on this Frontdesk yet; an administrator can connect a mail server."
            }
            (Failure::NotConfigured, Sms) => {
                "Text messages to clients are not set up on this Frontdesk yet; an administrator can connect an SMS provider."
            }
            (Failure::BadRecipient, Email) => "The client's email address is not one mail can be sent to; check it on the client's page.",
            (Failure::BadRecipient, Sms) => "The client's mobile number is not one a text can be sent to; check it on the client's page.",
            (Failure::Refused, Email) => "The mail server refused this message.",
            (Failure::Refused, Sms) => "The SMS provider refused this message.",
            (Failure::Unavailable, Email) => "The mail server could not take the message just now.",
            (Failure::Unavailable, Sms) => "The SMS provider could not take the message just now.",
        }
    }
}

impl SendError {
    fn permanent(failure: Failure, reason: impl Into<String>) -> Self {
        SendError {
            reason: reason.into(),
            permanent: true,
            failure,
        }
    }
    fn transient(reason: impl Into<String>) -> Self {
        SendError {
            reason: reason.into(),
            permanent: false,
            failure: Failure::Unavailable,
        }
    }
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.permanent { "permanent" } else { "transient" };
        write!(f, "{} ({kind})", self.reason)
    }
}

impl std::error::Error for SendError {}

struct MailChannel {
    from: Mailbox,
    builder: AsyncSmtpTransportBuilder,
    /// Built on first use: the pool starts a Tokio task, so building needs a runtime.
    transport: OnceLock<AsyncSmtpTransport<Tokio1Executor>>,
}

impl MailChannel {
    fn transport(&self) -> &AsyncSmtpTransport<Tokio1Executor> {
        self.transport.get_or_init(|| self.builder.clone().build())
    }
}

struct SmsChannel {
    /// `{api_base}/2010-04-01/Accounts/{account_sid}/Messages.json`
    messages_url: String,
    account_sid: String,
    auth_token: String,
    from: String,
}

/// The outbound channels. Cheap to share behind an `Arc`: it holds a pool of
/// SMTP connections and one HTTP client. Sending needs a Tokio runtime, and
/// once an e-mail has been sent the value must be dropped inside one too
/// (the pool closes its connections in a task).
pub struct Outbound {
    mail: Option<MailChannel>,
    sms: Option<SmsChannel>,
    http: reqwest::Client,
}

impl std::fmt::Debug for Outbound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbound")
            .field("email", &self.mail.as_ref().map(|m| m.from.to_string()))
            .field("sms", &self.sms.as_ref().map(|s| s.from.as_str()))
            .finish()
    }
}

impl Outbound {
    /// Errors are human-readable configuration problems (bad URL, bad sender address).
    pub fn new(mail: Option<MailConfig>, sms: Option<SmsConfig>) -> Result<Self, String> {
        let mail = match mail {
            None => None,
            Some(cfg) => {
                let from: Mailbox = cfg.from.trim().parse().map_err(|e| {
                    format!(
                        "the e-mail sender {:?} is not a valid address ({e}); expected \"Name <address@domain>\" or a bare address",
                        cfg.from
                    )
                })?;
                // lettre's errors name neither the URL nor its password.
                let builder = AsyncSmtpTransport::<Tokio1Executor>::from_url(cfg.smtp_url.trim())
                    .map_err(|e| {
                        format!(
                            "the SMTP URL {} is not usable ({e}); expected smtp://host:port, \
                             smtp://user:password@host?tls=required or smtps://user:password@host",
                            redacted_url(cfg.smtp_url.trim())
                        )
                    })?
                    .timeout(Some(TIMEOUT));
                Some(MailChannel {
                    from,
                    builder,
                    transport: OnceLock::new(),
                })
            }
        };
        let sms = match sms {
            None => None,
            Some(cfg) => {
                let base = cfg.api_base.trim().trim_end_matches('/');
                let parsed =
                    reqwest::Url::parse(base).map_err(|e| format!("the SMS API base URL {:?} is not a URL ({e})", cfg.api_base))?;
                if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
                    return Err(format!(
                        "the SMS API base URL {:?} must be an http:// or https:// URL",
                        cfg.api_base
                    ));
                }
                let sid = cfg.account_sid.trim();
                if sid.is_empty() || !sid.chars().all(|c| c.is_ascii_alphanumeric()) {
                    return Err("the SMS account SID must be non-empty and made of letters and digits".to_string());
                }
                if cfg.auth_token.is_empty() {
                    return Err("the SMS auth token is empty".to_string());
                }
                if cfg.from.trim().is_empty() {
                    return Err("the SMS sender (From number) is empty".to_string());
                }
                Some(SmsChannel {
                    messages_url: format!("{base}/2010-04-01/Accounts/{sid}/Messages.json"),
                    account_sid: sid.to_string(),
                    auth_token: cfg.auth_token,
                    from: cfg.from.trim().to_string(),
                })
            }
        };
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .build()
            .map_err(|e| format!("could not set up the HTTP client for SMS ({e})"))?;
        Ok(Outbound { mail, sms, http })
    }

    pub fn email_configured(&self) -> bool {
        self.mail.is_some()
    }

    pub fn sms_configured(&self) -> bool {
        self.sms.is_some()
    }

    /// multipart/alternative with text and HTML parts, UTF-8.
    pub async fn send_email(&self, to_name: &str, to_address: &str, subject: &str, text: &str, html: &str) -> Result<(), SendError> {
        let Some(mail) = &self.mail else {
            return Err(SendError::permanent(Failure::NotConfigured, "e-mail is not configured"));
        };
        let address: Address = to_address
            .trim()
            .parse()
            .map_err(|e| SendError::permanent(Failure::BadRecipient, format!("invalid recipient address {to_address:?}: {e}")))?;
        let name = to_name.trim();
        let to = Mailbox::new((!name.is_empty()).then(|| name.to_string()), address);
        let message_id = format!("<{:032x}@{}>", rand::random::<u128>(), mail.from.email.domain());
        let message = Message::builder()
            .from(mail.from.clone())
            .to(to)
            .subject(subject)
            .message_id(Some(message_id))
            .multipart(MultiPart::alternative_plain_html(text.to_string(), html.to_string()))
            .map_err(|e| SendError::permanent(Failure::Refused, format!("could not build the e-mail: {e}")))?;
        match mail.transport().send(message).await {
            Ok(_) => Ok(()),
            Err(e) => {
                let reason = format!("SMTP: {e}");
                if e.is_permanent() {
                    Err(SendError::permanent(Failure::Refused, reason))
                } else {
                    Err(SendError::transient(reason))
                }
            }
        }
    }

    /// Twilio-compatible: POST {api_base}/2010-04-01/Accounts/{account_sid}/Messages.json, HTTP Basic auth (sid:token),
    /// form fields To, From, Body. Returns the provider's message sid (empty if an accepting
    /// provider named none). 2xx = accepted; 4xx = permanent failure (except 429);
    /// 429/5xx/connection error = transient. The reason includes the provider's error message when it gives one
    /// (Twilio JSON: {"code":..,"message":..}).
    pub async fn send_sms(&self, to: &str, body: &str) -> Result<String, SendError> {
        let Some(sms) = &self.sms else {
            return Err(SendError::permanent(Failure::NotConfigured, "SMS is not configured"));
        };
        let res = self
            .http
            .post(&sms.messages_url)
            .basic_auth(&sms.account_sid, Some(&sms.auth_token))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&[("To", to.trim()), ("From", sms.from.as_str()), ("Body", body)])
            .send()
            .await;
        let res = match res {
            Ok(r) => r,
            // reqwest's error names the URL, which holds no secret (the token goes in a header).
            Err(e) => return Err(SendError::transient(format!("SMS provider unreachable: {e}"))),
        };
        let status = res.status();
        let bytes = match res.bytes().await {
            Ok(b) => b,
            Err(e) if status.is_success() => {
                // Accepted, but the answer was cut: sending again would send twice.
                tracing::warn!("SMS accepted ({status}) but its answer could not be read: {e}");
                return Ok(String::new());
            }
            Err(e) => return Err(SendError::transient(format!("SMS provider answered {status} and then failed: {e}"))),
        };
        let json: Option<serde_json::Value> = serde_json::from_slice(&bytes).ok();
        if status.is_success() {
            let sid = json
                .as_ref()
                .and_then(|j| j.get("sid"))
                .and_then(|s| s.as_str())
                .unwrap_or("")
                .to_string();
            return Ok(sid);
        }
        let detail = match json.as_ref().and_then(|j| j.get("message")).and_then(|m| m.as_str()) {
            Some(message) => match json.as_ref().and_then(|j| j.get("code")).filter(|c| !c.is_null()) {
                Some(code) => format!("{message} (code {code})"),
                None => message.to_string(),
            },
            None => {
                let text = String::from_utf8_lossy(&bytes);
                let text = text.trim();
                if text.is_empty() {
                    "no details given".to_string()
                } else {
                    text.chars().take(MAX_BODY_IN_REASON).collect()
                }
            }
        };
        let reason = format!("SMS provider answered {status}: {detail}");
        let permanent = status.is_client_error() && status != reqwest::StatusCode::TOO_MANY_REQUESTS;
        let failure = if permanent { Failure::Refused } else { Failure::Unavailable };
        Err(SendError {
            reason,
            permanent,
            failure,
        })
    }
}
