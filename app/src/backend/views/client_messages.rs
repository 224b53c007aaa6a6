//! What staff see of the messages clients were sent (or, held back, why not).

use crate::backend::store::client_messages::ViewRow;
use crate::backend::store::{self, Conn};
use crate::backend::AppState;
use crate::domain::ids::{AppointmentId, ClientMessageId};
use crate::domain::messages::ClientMessageStatus;
use crate::error::AppError;
use crate::model::{ClientMessageView, Me};
use crate::rules::access;

fn view(r: ViewRow) -> ClientMessageView {
    ClientMessageView {
        kind_label: r.kind.label().to_string(),
        id: r.id,
        appointment_id: r.appointment_id,
        client_name: r.client_name,
        store_name: r.store_name,
        kind: r.kind,
        channel: r.channel,
        recipient_name: r.recipient_name,
        recipient: r.recipient,
        language: r.language,
        subject: r.subject,
        body_text: r.body_text,
        status: r.status,
        status_reason: r.status_reason,
        attempts: r.attempts,
        created_at: r.created_at,
        sent_at: r.sent_at,
    }
}

/// Everything sent about one appointment, newest first. The caller checked access.
pub async fn of_appointment(conn: &mut Conn, id: AppointmentId) -> Result<Vec<ClientMessageView>, AppError> {
    Ok(store::client_messages::of_appointment(conn, id)
        .await?
        .into_iter()
        .map(view)
        .collect())
}

/// The "Client messages" page: the newest messages of the stores `me`
/// manages, and of the appointments `me` is the associate of.
pub async fn recent(
    state: &AppState,
    me: &Me,
    status: Option<String>,
    before: Option<ClientMessageId>,
) -> Result<Vec<ClientMessageView>, AppError> {
    let status = match status.as_deref() {
        None => None,
        Some(s) => Some(ClientMessageStatus::parse(s).ok_or_else(|| AppError::field("status", "Choose queued, sent, failed or skipped."))?),
    };
    let mut conn = state.db.reader().await?;
    let rows = store::client_messages::recent(&mut conn, &access::managed_stores(me), me.id, status, before).await?;
    Ok(rows.into_iter().map(view).collect())
}
