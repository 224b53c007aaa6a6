//! A store's notification settings (Setup → Stores → a store → Notifications).

use crate::backend::store::{self, stores::Settings};
use crate::backend::AppState;
use crate::domain::money::parse_amount;
use crate::domain::payments::DepositRuleKind;
use crate::domain::staff::{ApprovalMode, StoreRole};
use crate::error::{AppError, FieldError};
use crate::model::{Me, StoreSettingsForm};
use crate::rules::access::Action;

fn check_range(errors: &mut Vec<FieldError>, field: &str, value: i64, min: i64, max: i64, unit: &str) {
    if value < min || value > max {
        errors.push(FieldError {
            field: field.into(),
            message: format!("Choose between {min} and {max} {unit}."),
        });
    }
}

pub async fn save(state: &AppState, me: &Me, f: StoreSettingsForm) -> Result<(), AppError> {
    super::allow(me, Action::StoreSettings { store: f.store_id }, "No such store.")?;
    let mut errors = Vec::new();
    check_range(
        &mut errors,
        "overdue_conversation_minutes",
        f.overdue_conversation_minutes,
        5,
        7 * 24 * 60,
        "minutes",
    );
    check_range(&mut errors, "escalation_minutes", f.escalation_minutes, 5, 7 * 24 * 60, "minutes");
    check_range(&mut errors, "reminder_lead_hours", f.reminder_lead_hours, 1, 14 * 24, "hours");
    check_range(&mut errors, "recall_days", f.recall_days, 1, 730, "days");
    check_range(&mut errors, "client_cutoff_hours", f.client_cutoff_hours, 0, 14 * 24, "hours");
    let approval_mode = ApprovalMode::parse(&f.approval_mode);
    if approval_mode.is_none() {
        errors.push(FieldError {
            field: "approval_mode".into(),
            message: "Choose automatic or manual approval.".into(),
        });
    }
    if !f.notify_all_managers && f.notified_managers.is_empty() {
        errors.push(FieldError {
            field: "notified_managers".into(),
            message: "Select at least one manager, or notify all managers, so new requests reach someone.".into(),
        });
    }
    let managers = {
        let mut conn = state.db.reader().await?;
        store::staff::with_role(&mut conn, f.store_id, StoreRole::Manager).await?
    };
    if f.notified_managers.iter().any(|id| !managers.iter().any(|m| m.0 == *id)) {
        errors.push(FieldError {
            field: "notified_managers".into(),
            message: "Only managers of this store can be selected.".into(),
        });
    }
    let deposit_amount = match parse_amount(&f.deposit_amount) {
        Some(a) if a <= 10_000_000 => a,
        _ => {
            errors.push(FieldError {
                field: "deposit_amount".into(),
                message: "Type an amount such as 10 or 12.50.".into(),
            });
            0
        }
    };
    if f.deposit_rule == DepositRuleKind::Amount && deposit_amount == 0 && errors.iter().all(|e| e.field != "deposit_amount") {
        errors.push(FieldError {
            field: "deposit_amount".into(),
            message: "Type the deposit clients pay when they book.".into(),
        });
    }
    // Stripe keeps a payment page open for 30 minutes to 24 hours.
    check_range(&mut errors, "deposit_hold_minutes", f.deposit_hold_minutes, 30, 24 * 60, "minutes");
    if f.deposit_rule != DepositRuleKind::None {
        let mut conn = state.db.reader().await?;
        if store::payments::account(&mut conn, f.store_id).await?.is_none() {
            errors.push(FieldError {
                field: "deposit_rule".into(),
                message: "Deposits are paid through the store's payment provider: an admin connects Stripe in Setup → Stores first.".into(),
            });
        }
    }
    let (Some(approval_mode), true) = (approval_mode, errors.is_empty()) else {
        return Err(AppError::invalid(errors));
    };
    state
        .db
        .write(move |tx| {
            Box::pin(async move {
                let settings = Settings {
                    notify_all_managers: f.notify_all_managers,
                    notified_managers: &f.notified_managers,
                    notify_unassigned_messages: f.notify_unassigned_messages,
                    notify_overdue_conversations: f.notify_overdue_conversations,
                    overdue_conversation_minutes: f.overdue_conversation_minutes,
                    escalation_minutes: f.escalation_minutes,
                    approval_mode,
                    reminder_lead_hours: f.reminder_lead_hours,
                    recall_days: f.recall_days,
                    thank_you_enabled: f.thank_you_enabled,
                    client_cutoff_hours: f.client_cutoff_hours,
                    client_messages_sent_by: f.client_messages_sent_by,
                    deposit_rule: f.deposit_rule,
                    deposit_amount,
                    deposit_hold_minutes: f.deposit_hold_minutes,
                };
                store::stores::save_settings(tx, f.store_id, settings).await
            })
        })
        .await
}
