//! A staff member's own notification preferences (Account → Notifications).

use crate::backend::store;
use crate::backend::AppState;
use crate::domain::hours::{clock_minutes, clock_text};
use crate::domain::preferences::{QuietHours, Topic};
use crate::error::{AppError, FieldError};
use crate::model::{Me, PreferencesForm, TopicPreference};

/// The zone quiet hours are read in: the person's first store's, else UTC.
async fn zone_of(state: &AppState, me: &Me) -> Result<String, AppError> {
    let mut conn = state.db.reader().await?;
    for s in &me.stores {
        if let Some(store) = store::stores::by_id(&mut conn, s.id).await? {
            return Ok(store.time_zone);
        }
    }
    Ok("UTC".into())
}

pub async fn form(state: &AppState, me: &Me) -> Result<PreferencesForm, AppError> {
    let prefs = store::preferences::of_many(&mut *state.db.reader().await?, &[me.id])
        .await?
        .remove(&me.id)
        .unwrap_or_default();
    let (quiet_from, quiet_until) = match prefs.quiet {
        Some((q, _)) => (clock_text(q.from as i64), clock_text(q.until as i64)),
        None => (String::new(), String::new()),
    };
    Ok(PreferencesForm {
        topics: Topic::ALL
            .into_iter()
            .map(|topic| TopicPreference {
                topic,
                delivery: prefs.topics.get(&topic).copied().unwrap_or_default(),
            })
            .collect(),
        quiet_from,
        quiet_until,
        time_zone: zone_of(state, me).await?,
    })
}

pub async fn save(state: &AppState, me: &Me, f: PreferencesForm) -> Result<(), AppError> {
    let mut errors = Vec::new();
    let quiet = match (f.quiet_from.trim(), f.quiet_until.trim()) {
        ("", "") => None,
        (from, until) => match (clock_minutes(from), clock_minutes(until)) {
            (Ok(from), Ok(until)) if from < 24 * 60 && until < 24 * 60 => match QuietHours::new(from as u16, until as u16) {
                Ok(q) => Some(q),
                Err(m) => {
                    errors.push(FieldError {
                        field: "quiet_until".into(),
                        message: m,
                    });
                    None
                }
            },
            (from, _) => {
                let field = if from.is_err() { "quiet_from" } else { "quiet_until" };
                errors.push(FieldError {
                    field: field.into(),
                    message: "Give both times as 24-hour clock times, like 20:00 and 08:00, or leave both empty.".into(),
                });
                None
            }
        },
    };
    let mut topics = Vec::new();
    for t in &f.topics {
        if topics.iter().any(|(topic, _)| *topic == t.topic) {
            errors.push(FieldError {
                field: "topics".into(),
                message: format!("{} is given twice.", t.topic.label()),
            });
        }
        topics.push((t.topic, t.delivery));
    }
    if !errors.is_empty() {
        return Err(AppError::invalid(errors));
    }
    let zone = zone_of(state, me).await?;
    let me_id = me.id;
    state
        .db
        .write(move |tx| Box::pin(async move { store::preferences::save(tx, me_id, &topics, quiet, &zone).await }))
        .await
}
