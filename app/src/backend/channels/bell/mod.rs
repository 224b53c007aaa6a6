//! The bell: follows the event log, asks the pure `rules::bell::who_is_told`
//! who hears about each event, and writes their items (with each person's
//! next sequence number) in the transaction that moves its cursor. The
//! writer publishes them to open tabs only after that commit, in commit order.

pub mod read;

use crate::backend::events::{read_events, Follower, Page};
use crate::backend::store::cursors::Log;
use crate::backend::store::events::Event;
use crate::backend::store::notifications::{About, NewItem};
use crate::backend::store::{self, BoxFut, Conn, Tx};
use crate::backend::AppState;
use crate::domain::event::Happening;
use crate::domain::ids::{AppointmentId, StaffId, StoreId};
use crate::domain::messages::NotificationKind;
use crate::domain::preferences::Topic;
use crate::error::AppError;
use crate::model::{LiveMsg, NotificationView};
use crate::rules::access::{sees_appointment_change, Standing};
use crate::rules::bell::{self as rules, StaffMember, StoreSettings};
use std::collections::HashMap;

pub struct Bell;

/// Who may hear of one store's events, and what the store asks for.
struct StoreAudience {
    name: String,
    settings: StoreSettings,
    staff: Vec<StaffMember>,
}

async fn audience(conn: &mut Conn, store_id: StoreId) -> Result<StoreAudience, AppError> {
    let store = store::stores::by_id(conn, store_id).await?.ok_or(AppError::Internal)?;
    let notified_managers = store::stores::notified_managers(conn, store_id).await?;
    let staff = store::staff::audience(conn, store_id)
        .await?
        .into_iter()
        .map(|(id, is_admin, role)| StaffMember { id, is_admin, role })
        .collect();
    Ok(StoreAudience {
        name: store.name,
        settings: StoreSettings {
            notify_all_managers: store.notify_all_managers,
            notified_managers,
            notify_unassigned_messages: store.notify_unassigned_messages,
            notify_overdue_conversations: store.notify_overdue_conversations,
        },
        staff,
    })
}

/// What one event comes to on the bell.
pub struct Outcome {
    about: About,
    items: Vec<NewItem>,
    /// The alerts about the appointment this event settles (`rules::resolved_by`).
    resolves: Option<(AppointmentId, &'static [NotificationKind])>,
    /// Whose open lists and pages refresh.
    refresh: Vec<StaffId>,
}

/// Where a bell item leads: the conversation for message events, else the appointment.
fn url_for(ev: &Event) -> String {
    match (&ev.payload.happening, ev.conversation_id, ev.appointment_id) {
        (Happening::WebhookEndpointDisabled { .. }, _, _) => "/staff/integrations".into(),
        (_, Some(c), _) => format!("/staff/conversations/{c}"),
        (_, None, Some(a)) => format!("/staff/appointments/{a}"),
        (_, None, None) => "/staff".into(),
    }
}

fn outcome(ev: &Event, aud: &StoreAudience) -> Outcome {
    let facts = &ev.payload.appointment;
    let amount = ev.payload.payment.as_ref().map(|p| p.amount_words()).unwrap_or_default();
    let story = rules::Story {
        client: &facts.client,
        service: &facts.service,
        when: &facts.when,
        associate: facts.associate.as_deref(),
        changes: &facts.changes,
        by: &facts.by,
        preview: &ev.payload.preview,
        amount: &amount,
    };
    // One event tells many people the same thing: render each kind and each
    // reason once, not once per recipient (a store with hundreds of managers
    // would otherwise spend its fan-out in the translation engine).
    let mut texts: HashMap<NotificationKind, (String, String)> = HashMap::new();
    let mut reasons: HashMap<rules::Reason, String> = HashMap::new();
    let items = rules::who_is_told(&ev.payload.happening, ev.actor, &aud.settings, &aud.staff)
        .into_iter()
        .map(|r| {
            let (title, body) = texts.entry(r.kind).or_insert_with(|| rules::render(r.kind, &story)).clone();
            let reason = reasons.entry(r.reason).or_insert_with(|| r.reason.explain(&aud.name)).clone();
            NewItem {
                staff_id: r.staff_id,
                kind: r.kind,
                title,
                body,
                reason,
            }
        })
        .collect();
    let previous = match &ev.payload.happening {
        Happening::Assigned { previous, .. } => *previous,
        _ => None,
    };
    let refresh = match ev.appointment_id {
        Some(_) => aud
            .staff
            .iter()
            .filter(|s| {
                let standing = Standing {
                    id: s.id,
                    is_admin: s.is_admin,
                    role: s.role,
                };
                sees_appointment_change(standing, facts.associate_id, previous)
            })
            .map(|s| s.id)
            .collect(),
        None => vec![],
    };
    Outcome {
        about: About {
            event_id: ev.id,
            store_id: ev.store_id,
            appointment_id: ev.appointment_id,
            conversation_id: ev.conversation_id,
            url: url_for(ev),
            created_at: ev.created_at,
        },
        items,
        resolves: ev
            .appointment_id
            .map(|a| (a, rules::resolved_by(&ev.payload.happening)))
            .filter(|(_, kinds)| !kinds.is_empty()),
        refresh,
    }
}

impl Follower for Bell {
    const NAME: &'static str = "bell";
    const LOG: Log = Log::Events;
    // Latency is the bell's whole point; see `events` for why this halves it.
    const IN_WRITER: bool = true;
    type Item = Event;
    type Output = Vec<Outcome>;

    async fn read(conn: &mut Conn, after: i64, limit: i64) -> Result<Page<Event>, AppError> {
        read_events(conn, after, limit).await
    }

    async fn handle(&self, _state: &AppState, conn: &mut Conn, events: Vec<Event>) -> Result<Vec<Outcome>, AppError> {
        let mut audiences: HashMap<StoreId, StoreAudience> = HashMap::new();
        let mut out = Vec::with_capacity(events.len());
        for ev in &events {
            if let std::collections::hash_map::Entry::Vacant(slot) = audiences.entry(ev.store_id) {
                slot.insert(audience(conn, ev.store_id).await?);
            }
            out.push(outcome(ev, &audiences[&ev.store_id]));
        }
        // "Why am I seeing this?" also names the preference that applied.
        let staff: Vec<StaffId> = out.iter().flat_map(|o| o.items.iter().map(|i| i.staff_id)).collect();
        let prefs = store::preferences::of_many(conn, &staff).await?;
        for item in out.iter_mut().flat_map(|o| o.items.iter_mut()) {
            let chosen = Topic::of(item.kind).and_then(|t| prefs.get(&item.staff_id).and_then(|p| p.topics.get(&t).copied()));
            if let Some(why) = crate::rules::preferences::why(item.kind, chosen) {
                item.reason.push(' ');
                item.reason.push_str(&why);
            }
        }
        Ok(out)
    }

    fn record<'t>(tx: &'t mut Tx, outcomes: Vec<Outcome>, _state: &'t AppState) -> BoxFut<'t, Result<(), AppError>> {
        Box::pin(async move {
            for o in outcomes {
                if !o.items.is_empty() {
                    let written = store::notifications::write(tx, &o.about, &o.items).await?;
                    let by_staff: HashMap<StaffId, &store::notifications::Written> = written.iter().map(|w| (w.staff_id, w)).collect();
                    for item in o.items {
                        let Some(w) = by_staff.get(&item.staff_id) else { continue };
                        let view = NotificationView {
                            id: w.id,
                            seq: w.seq,
                            kind: item.kind,
                            title: item.title,
                            body: item.body,
                            url: o.about.url.clone(),
                            reason: item.reason,
                            created_at: o.about.created_at,
                            read: false,
                            resolved: false,
                            appointment_id: o.about.appointment_id,
                            archived: false,
                        };
                        tx.publish(
                            item.staff_id,
                            LiveMsg::Notification {
                                item: view,
                                unread: w.unread,
                            },
                        );
                    }
                }
                // Once a request is handled, the alerts asking someone to
                // handle it are resolved for everyone, and their badges drop live.
                if let Some((appointment_id, kinds)) = o.resolves {
                    read::resolve(tx, appointment_id, kinds, o.about.created_at).await?;
                }
                if let Some(appointment_id) = o.about.appointment_id {
                    for staff_id in o.refresh {
                        tx.publish(
                            staff_id,
                            LiveMsg::AppointmentChanged {
                                appointment_id,
                                store_id: o.about.store_id,
                            },
                        );
                    }
                }
            }
            Ok(())
        })
    }
}
