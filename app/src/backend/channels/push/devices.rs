//! A person's devices with notifications on: subscribe, list, rename, remove.

use super::PushServices;
use crate::backend::channels::webhooks::ssrf;
use crate::backend::store::{self, push::Subscription};
use crate::backend::AppState;
use crate::domain::ids::{DeviceId, StaffId};
use crate::error::AppError;
use crate::model::DeviceView;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;

fn decode_len(b64: &str, len: usize, what: &str) -> Result<(), AppError> {
    match B64.decode(b64.trim_end_matches('=')) {
        Ok(bytes) if bytes.len() == len => Ok(()),
        _ => Err(AppError::BadRequest(format!("The subscription's {what} key is not valid."))),
    }
}

/// An endpoint whose host is a private, loopback or link-local address is
/// refused unless allow-listed (as for webhooks). Names are checked when a
/// push connects (the push client's resolver refuses such addresses), so a
/// name that resolves elsewhere later cannot reach inside either.
///
/// The host must also be one of the accepted push services.
fn refuse_unsafe(endpoint: &str, allow: &ssrf::AllowList, services: &PushServices) -> Result<(), AppError> {
    let url = reqwest::Url::parse(endpoint).map_err(|_| AppError::BadRequest("The push endpoint is not a valid URL.".into()))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(AppError::BadRequest(
            "The push endpoint may not carry a user name or password.".into(),
        ));
    }
    let host = url
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or_else(|| AppError::BadRequest("The push endpoint has no host.".into()))?;
    // The parser wrote every IPv4 spelling in dotted form and IPv6 in brackets.
    let literal = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host)
        .parse::<std::net::IpAddr>()
        .ok();
    if let Some((ip, why)) = literal.and_then(|ip| ssrf::refusal(ip).filter(|_| !allow.allows(ip)).map(|why| (ip, why))) {
        return Err(AppError::BadRequest(format!(
            "This push endpoint cannot be used: {ip} is not a public address ({why})."
        )));
    }
    if !services.allows(host) {
        return Err(AppError::BadRequest(format!(
            "Notifications through {host} are not accepted here: this server sends them only to the push services of \
             Chrome, Firefox, Safari and Edge, and to those its operator added."
        )));
    }
    Ok(())
}

/// Stores (or moves to `staff_id`) a browser's push subscription.
pub async fn subscribe(
    state: &AppState,
    staff_id: StaffId,
    endpoint: String,
    p256dh: String,
    auth: String,
    label: String,
) -> Result<DeviceId, AppError> {
    let secure = endpoint.starts_with("https://");
    let insecure_allowed = state.config.allow_insecure_push && endpoint.starts_with("http://");
    if endpoint.len() > 2048 || !(secure || insecure_allowed) {
        return Err(AppError::BadRequest("The push endpoint must be an https:// address.".into()));
    }
    refuse_unsafe(&endpoint, &state.webhooks.allow, &state.config.push_services)?;
    decode_len(&p256dh, 65, "p256dh")?;
    decode_len(&auth, 16, "auth")?;
    let label: String = label.trim().chars().take(100).collect();
    let label = if label.is_empty() { "This device".to_string() } else { label };
    let now = state.clock.now();
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let s = Subscription {
                    endpoint: &endpoint,
                    p256dh: &p256dh,
                    auth: &auth,
                    label: &label,
                };
                store::push::subscribe(tx, staff_id, s, now).await
            })
        })
        .await
}

pub async fn list(state: &AppState, staff_id: StaffId) -> Result<Vec<DeviceView>, AppError> {
    let rows = store::push::devices(&mut *state.db.reader().await?, staff_id).await?;
    Ok(rows
        .into_iter()
        .map(|r| DeviceView {
            id: r.id,
            label: r.label,
            endpoint_host: r.endpoint.split('/').nth(2).unwrap_or("").to_string(),
            endpoint: r.endpoint,
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            last_status: r.last_status,
            last_result: r.last_result,
            last_attempt_at: r.last_attempt_at,
        })
        .collect())
}

/// Renames (`Some`) or removes (`None`) one of `staff_id`'s devices.
pub async fn edit(state: &AppState, staff_id: StaffId, id: DeviceId, label: Option<String>) -> Result<(), AppError> {
    let label = label.map(|l| l.trim().chars().take(100).collect::<String>());
    if label.as_deref() == Some("") {
        return Err(AppError::field("label", "Give the device a name."));
    }
    let found = state
        .db
        .write(move |tx| {
            Box::pin(async move {
                match label {
                    Some(l) => store::push::rename(tx, staff_id, id, &l).await,
                    None => store::push::remove(tx, staff_id, id).await,
                }
            })
        })
        .await?;
    if !found {
        return Err(AppError::NotFound("No such device.".into()));
    }
    Ok(())
}
