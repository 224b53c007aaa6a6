//! In-memory fan-out of live messages to open WebSockets, per staff member.
//! Fed only by the writer after a commit, so a tab never sees a change that
//! did not happen. Each staff member has one bounded broadcast channel shared
//! by all their tabs and devices; a tab that falls behind is told it lagged
//! and catches up from the database by sequence number.

use crate::domain::ids::StaffId;
use crate::model::LiveMsg;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

/// Per-person queue depth. A tab further behind than this resynchronises.
const PER_PERSON: usize = 256;

#[derive(Clone, Default)]
pub struct Hub {
    channels: Arc<RwLock<HashMap<StaffId, broadcast::Sender<Arc<str>>>>>,
}

impl Hub {
    pub fn subscribe(&self, staff_id: StaffId) -> broadcast::Receiver<Arc<str>> {
        let mut map = self.channels.write().unwrap_or_else(|e| e.into_inner());
        map.entry(staff_id).or_insert_with(|| broadcast::channel(PER_PERSON).0).subscribe()
    }

    /// Called when a connection closes: forget people with no open tab.
    pub fn release(&self, staff_id: StaffId) {
        let mut map = self.channels.write().unwrap_or_else(|e| e.into_inner());
        if map.get(&staff_id).is_some_and(|s| s.receiver_count() == 0) {
            map.remove(&staff_id);
        }
    }

    /// Serialises once, only if the person has an open connection.
    pub fn publish(&self, staff_id: StaffId, msg: &LiveMsg) {
        let map = self.channels.read().unwrap_or_else(|e| e.into_inner());
        if let Some(sender) = map.get(&staff_id) {
            match serde_json::to_string(msg) {
                Ok(text) => {
                    let _ = sender.send(Arc::from(text));
                }
                Err(e) => tracing::error!("could not serialise live message: {e}"),
            }
        }
    }
}
