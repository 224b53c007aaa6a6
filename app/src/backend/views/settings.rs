//! A store's notification settings page.

use crate::backend::store;
use crate::backend::AppState;
use crate::domain::ids::StoreId;
use crate::domain::staff::StoreRole;
use crate::error::AppError;
use crate::model::{AssociateInfo, Me, StoreSettingsForm, StoreSettingsPage};
use crate::rules::access::Action;

pub async fn page(state: &AppState, me: &Me, store_id: StoreId) -> Result<StoreSettingsPage, AppError> {
    crate::backend::commands::allow(me, Action::StoreSettings { store: store_id }, "No such store.")?;
    let mut conn = state.db.reader().await?;
    let r = store::stores::by_id(&mut conn, store_id)
        .await?
        .ok_or_else(|| AppError::NotFound("No such store.".into()))?;
    let managers = store::staff::with_role(&mut conn, store_id, StoreRole::Manager).await?;
    let notified_managers = store::stores::notified_managers(&mut conn, store_id).await?;
    let payments_connected = store::payments::account(&mut conn, store_id).await?.is_some();
    Ok(StoreSettingsPage {
        payments_connected,
        currency: r.currency,
        store_name: r.name,
        managers: managers.into_iter().map(|(id, name)| AssociateInfo { id, name }).collect(),
        settings: StoreSettingsForm {
            store_id,
            notify_all_managers: r.notify_all_managers,
            notified_managers,
            notify_unassigned_messages: r.notify_unassigned_messages,
            notify_overdue_conversations: r.notify_overdue_conversations,
            overdue_conversation_minutes: r.overdue_conversation_minutes,
            escalation_minutes: r.escalation_minutes,
            approval_mode: r.approval_mode.as_str().to_string(),
            reminder_lead_hours: r.reminder_lead_hours,
            recall_days: r.recall_days,
            thank_you_enabled: r.thank_you_enabled,
            client_cutoff_hours: r.client_cutoff_hours,
            client_messages_sent_by: r.client_messages_sent_by,
            deposit_rule: r.deposit_rule,
            deposit_amount: if r.deposit_amount > 0 {
                format!("{}.{:02}", r.deposit_amount / 100, r.deposit_amount % 100)
            } else {
                String::new()
            },
            deposit_hold_minutes: r.deposit_hold_minutes,
        },
    })
}
