//! How a change is recorded: a new version with its snapshot, the event
//! with the facts every channel needs, and the jobs the new state calls for,
//! all in the change's transaction. Every command goes through `created` or
//! `finish`; nothing else bumps a version or plans a job.

use super::plan;
use crate::backend::store::appointments::Current;
use crate::backend::store::{self, Conn, Tx};
use crate::backend::time;
use crate::domain::appointment::ChangedField;
use crate::domain::event::{Actor, AppointmentFacts, EventPayload, FieldChange, Happening};
use crate::domain::ids::{AppointmentId, ConversationId, StaffId};
use crate::domain::payments::PaymentFacts;
use crate::domain::time::UnixTime;
use crate::error::AppError;

pub async fn load(conn: &mut Conn, id: AppointmentId) -> Result<Current, AppError> {
    store::appointments::current(conn, id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such appointment.".into()))
}

pub async fn staff_name(conn: &mut Conn, id: StaffId) -> Result<String, AppError> {
    store::staff::name(conn, id).await?.ok_or_else(|| {
        tracing::error!("staff member {id} is referenced but does not exist");
        AppError::Internal
    })
}

/// Who made a change, in words ("Maya Manager", "the client").
pub async fn actor_words(conn: &mut Conn, actor: Actor) -> Result<String, AppError> {
    Ok(match actor {
        Actor::Staff(id) => staff_name(conn, id).await?,
        Actor::Client => "the client".into(),
        Actor::System => "Frontdesk".into(),
    })
}

/// What a change did, for the event.
pub struct Change {
    pub actor: Actor,
    pub happening: Happening,
    pub changed_fields: Vec<ChangedField>,
    /// The same, in words, for staff texts.
    pub changes: Vec<FieldChange>,
}

/// The facts of the appointment as it is now.
pub async fn facts(
    conn: &mut Conn,
    c: &Current,
    changed_fields: Vec<ChangedField>,
    changes: Vec<FieldChange>,
    by: String,
) -> Result<AppointmentFacts, AppError> {
    let store = store::stores::by_id(conn, c.store_id).await?.ok_or(AppError::Internal)?;
    Ok(AppointmentFacts {
        store: store.name,
        client: c.client_name.clone(),
        service: c.service_name.clone(),
        service_translations: c.service_translations.0.clone(),
        when: time::human(time::zone(&store.time_zone), c.starts_at),
        starts_at: c.starts_at,
        associate_id: c.associate_id,
        associate: c.associate_name.clone(),
        status: c.status,
        version: c.version,
        changed_fields,
        changes,
        by,
        ends_at: c.ends_at,
        client_communication: c.client_communication,
        previous_starts_at: None,
        previous_associate_id: None,
        previous_associate: None,
    })
}

/// A new appointment whose row the caller inserted (version 1): its first
/// version, its `Created` event, its jobs.
pub async fn created(tx: &mut Tx, id: AppointmentId, actor: Actor, happening: Happening, now: UnixTime) -> Result<(), AppError> {
    store::appointments::record_version(tx, id, now).await?;
    announce(tx, id, actor, happening, now).await
}

/// The `Created` event and jobs of an appointment whose first version is
/// recorded: at once for most, when its deposit is paid for one held for it.
pub async fn announce(tx: &mut Tx, id: AppointmentId, actor: Actor, happening: Happening, now: UnixTime) -> Result<(), AppError> {
    let after = load(tx.conn(), id).await?;
    let by = actor_words(tx.conn(), actor).await?;
    let facts = facts(tx.conn(), &after, vec![], vec![], by).await?;
    emit(tx, &after, actor, plain(happening.clone(), facts), now).await?;
    plan::after_change(tx, &after, &happening, now).await
}

/// A change to an appointment whose columns the caller already updated:
/// the next version, its snapshot, the event (with what it was before), the jobs.
pub async fn finish(tx: &mut Tx, id: AppointmentId, change: Change, before: &Current, now: UnixTime) -> Result<(), AppError> {
    store::appointments::stamp_change(tx, id, change.actor, now).await?;
    store::appointments::record_version(tx, id, now).await?;
    let after = load(tx.conn(), id).await?;
    // Assigned from the queue or given to someone else by an edit: either
    // way the conversation about it goes along.
    if after.associate_id != before.associate_id {
        if let Some(new) = after.associate_id {
            store::conversations::follow_assignment(tx, id, new).await?;
        }
    }
    let by = actor_words(tx.conn(), change.actor).await?;
    let mut facts = facts(tx.conn(), &after, change.changed_fields, change.changes, by).await?;
    facts.previous_starts_at = Some(before.starts_at);
    facts.previous_associate_id = before.associate_id;
    facts.previous_associate = before.associate_name.clone();
    emit(tx, &after, change.actor, plain(change.happening.clone(), facts), now).await?;
    plan::after_change(tx, &after, &change.happening, now).await
}

/// Something that happened about an appointment without changing it (a
/// reminder, a client's message, a reply).
pub struct Notice {
    pub actor: Actor,
    pub happening: Happening,
    /// Who, in words.
    pub by: String,
    /// For conversation events: which one, and the message (or its start).
    pub conversation: Option<ConversationId>,
    pub preview: String,
    /// For a client's message: all of it.
    pub message: String,
    /// For payment events: the payment.
    pub payment: Option<PaymentFacts>,
}

impl Notice {
    /// A notice with no conversation, message or payment.
    pub fn of(actor: Actor, happening: Happening, by: String) -> Self {
        Notice {
            actor,
            happening,
            by,
            conversation: None,
            preview: String::new(),
            message: String::new(),
            payment: None,
        }
    }
}

/// An event with the appointment's current facts.
pub async fn notice(tx: &mut Tx, current: &Current, n: Notice, now: UnixTime) -> Result<(), AppError> {
    let facts = facts(tx.conn(), current, vec![], vec![], n.by).await?;
    let payload = EventPayload {
        happening: n.happening,
        appointment: facts,
        conversation_id: n.conversation,
        preview: n.preview,
        message: n.message,
        payment: n.payment,
    };
    emit(tx, current, n.actor, payload, now).await
}

async fn emit(tx: &mut Tx, c: &Current, actor: Actor, payload: EventPayload, now: UnixTime) -> Result<(), AppError> {
    store::events::append(tx, c.store_id, Some(c.id), actor, &payload, now).await?;
    Ok(())
}

/// An event's payload with nothing but the appointment's facts.
fn plain(happening: Happening, appointment: AppointmentFacts) -> EventPayload {
    EventPayload {
        happening,
        appointment,
        conversation_id: None,
        preview: String::new(),
        message: String::new(),
        payment: None,
    }
}
