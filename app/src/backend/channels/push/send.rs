//! One push to one device: Web Push (RFC 8030) with aes128gcm payload
//! encryption (RFC 8291) and a VAPID signature (RFC 8292), through the
//! `web-push` crate, sent with our own HTTP client so the status code (and
//! `Retry-After`) can be read.

use super::services::PushServices;
use super::vapid::Vapid;
use crate::backend::channels::webhooks::ssrf::{AllowList, GuardedResolver};
use crate::backend::store::push::{Attempt, Target};
use crate::domain::ids::{NotificationId, StaffId};
use std::time::Duration;
use web_push::{ContentEncoding, SubscriptionInfo, Urgency, VapidSignatureBuilder, WebPushMessageBuilder};

/// Longest wait we honour from a `Retry-After`.
const MAX_RETRY_AFTER_S: u64 = 120;

/// What one push carries, and how the push service should treat it.
#[derive(Clone, Debug)]
pub struct Outgoing {
    pub notification_id: Option<NotificationId>,
    pub staff_id: StaffId,
    pub payload: Vec<u8>,
    pub ttl: u32,
    pub urgency: Urgency,
    /// A later push with the same topic replaces one the device has not received yet.
    pub topic: Option<String>,
}

/// An attempt, and when to try again if the push service asked us to.
pub struct Sent {
    pub attempt: Attempt,
    pub retry_after: Option<Duration>,
}

/// The client pushes go through: guarded like webhooks' (no private
/// address at connect time unless allow-listed, no redirects, no proxy), as a
/// subscription's endpoint is whatever a browser, or anyone signed in, sent;
/// and only to the accepted push services, checked again before every send
/// (the list may have been narrowed since the device subscribed).
#[derive(Clone)]
pub struct PushClient {
    http: reqwest::Client,
    services: PushServices,
}

pub fn client(allow: &AllowList, services: &PushServices) -> Result<PushClient, reqwest::Error> {
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .dns_resolver(std::sync::Arc::new(GuardedResolver::new(allow.clone())))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()?;
    Ok(PushClient {
        http,
        services: services.clone(),
    })
}

pub async fn deliver(client: &PushClient, vapid: &Vapid, dev: &Target, out: &Outgoing) -> Sent {
    let mut attempt = Attempt {
        device_id: dev.id,
        staff_id: out.staff_id,
        notification_id: out.notification_id,
        status: None,
        result: String::new(),
        gone: false,
    };
    let mut retry = None;
    if !client.services.allows_endpoint(&dev.endpoint) {
        attempt.result = "not sent: this push service is not accepted by this server".into();
        return Sent {
            attempt,
            retry_after: None,
        };
    }
    let request = match build(vapid, dev, out) {
        Ok(r) => r,
        Err(e) => {
            attempt.result = format!("not sent: {e}");
            return Sent {
                attempt,
                retry_after: None,
            };
        }
    };
    let (parts, body) = request.into_parts();
    let mut req = client.http.post(parts.uri.to_string()).body(body);
    for (name, value) in parts.headers.iter() {
        req = req.header(name.as_str(), value.as_bytes());
    }
    match req.send().await {
        Ok(res) => {
            let status = res.status().as_u16();
            attempt.status = Some(status);
            let retry_after = res
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(|s| Duration::from_secs(s.min(MAX_RETRY_AFTER_S)));
            attempt.result = match status {
                200..=299 => "delivered to the push service".into(),
                404 | 410 => {
                    attempt.gone = true;
                    "subscription expired: removed".into()
                }
                429 | 500..=599 => {
                    retry = Some(retry_after.unwrap_or(Duration::from_secs(2)));
                    format!("push service busy ({status}); will retry")
                }
                // The body is not kept: what a server answers is not ours to show.
                _ => format!("refused ({status})"),
            };
        }
        Err(e) => {
            attempt.result = format!("could not reach the push service: {e}");
            retry = Some(Duration::from_secs(2));
        }
    }
    Sent {
        attempt,
        retry_after: retry,
    }
}

fn build(vapid: &Vapid, dev: &Target, out: &Outgoing) -> Result<http02::Request<Vec<u8>>, web_push::WebPushError> {
    let info = SubscriptionInfo::new(dev.endpoint.as_str(), dev.p256dh.as_str(), dev.auth.as_str());
    let mut signature = VapidSignatureBuilder::from_base64(&vapid.private_b64, &info)?;
    signature.add_claim("sub", vapid.subject.as_str());
    // RFC 8292: `aud` is the push resource's origin, port included; the crate's
    // default drops a non-default port.
    let origin: String = dev.endpoint.split('/').take(3).collect::<Vec<_>>().join("/");
    signature.add_claim("aud", origin.as_str());
    let mut message = WebPushMessageBuilder::new(&info);
    message.set_payload(ContentEncoding::Aes128Gcm, &out.payload);
    message.set_vapid_signature(signature.build()?);
    message.set_ttl(out.ttl);
    message.set_urgency(out.urgency);
    if let Some(topic) = &out.topic {
        message.set_topic(topic.clone());
    }
    Ok(web_push::request_builder::build_request::<Vec<u8>>(message.build()?))
}
