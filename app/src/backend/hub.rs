//! In-memory fan-out of live messages to open WebSockets, per staff member.
//! Fed only by the writer after a commit, so a tab never sees a change that
//! did not happen. Each staff member has one bounded broadcast channel shared
//! by all their tabs and devices; a tab that falls behind is told it lagged
//! and catches up from the database by sequence number.

use crate::domain::ids::StaffId;
use crate::model::LiveMsg;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use tokio::sync::broadcast;

/// Per-person queue depth. A tab further behind than this resynchronises.
const PER_PERSON: usize = 256;

/// Open live sockets one person may have (tabs and devices); one more is refused.
pub const SOCKETS_PER_PERSON: usize = 16;
/// Open live sockets in all; one more is refused.
pub const SOCKETS_IN_ALL: usize = 50_000;

#[derive(Clone, Default)]
pub struct Hub {
    channels: Arc<RwLock<HashMap<StaffId, broadcast::Sender<Arc<str>>>>>,
    open: Arc<AtomicUsize>,
}

/// Why a socket was refused.
#[derive(Debug, PartialEq)]
pub enum Full {
    /// This person has `SOCKETS_PER_PERSON` open already.
    Person,
    /// The server has `SOCKETS_IN_ALL` open.
    Everyone,
}

/// One open socket's feed. Dropping it (the socket closed, or never opened)
/// gives its place back.
pub struct Subscription {
    rx: Option<broadcast::Receiver<Arc<str>>>,
    hub: Hub,
    staff_id: StaffId,
}

impl Subscription {
    pub async fn recv(&mut self) -> Result<Arc<str>, broadcast::error::RecvError> {
        match self.rx.as_mut() {
            Some(rx) => rx.recv().await,
            None => Err(broadcast::error::RecvError::Closed),
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        // The receiver goes first, so the person's channel counts it gone.
        drop(self.rx.take());
        self.hub.open.fetch_sub(1, Ordering::AcqRel);
        let mut map = self.hub.channels.write().unwrap_or_else(|e| e.into_inner());
        if map.get(&self.staff_id).is_some_and(|s| s.receiver_count() == 0) {
            map.remove(&self.staff_id);
        }
    }
}

impl Hub {
    /// A feed for one more socket of `staff_id`, unless that would pass a limit.
    pub fn subscribe(&self, staff_id: StaffId) -> Result<Subscription, Full> {
        let mut map = self.channels.write().unwrap_or_else(|e| e.into_inner());
        let sender = map.entry(staff_id).or_insert_with(|| broadcast::channel(PER_PERSON).0);
        if sender.receiver_count() >= SOCKETS_PER_PERSON {
            return Err(Full::Person);
        }
        if self.open.fetch_add(1, Ordering::AcqRel) >= SOCKETS_IN_ALL {
            self.open.fetch_sub(1, Ordering::AcqRel);
            if sender.receiver_count() == 0 {
                map.remove(&staff_id);
            }
            return Err(Full::Everyone);
        }
        Ok(Subscription {
            rx: Some(sender.subscribe()),
            hub: self.clone(),
            staff_id,
        })
    }

    /// Open sockets, in all.
    pub fn open_sockets(&self) -> usize {
        self.open.load(Ordering::Acquire)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_has_at_most_a_handful_of_sockets_and_a_closed_one_gives_its_place_back() {
        let hub = Hub::default();
        let me = StaffId(1);
        let mut open: Vec<Subscription> = (0..SOCKETS_PER_PERSON).map(|_| hub.subscribe(me).unwrap()).collect();
        assert_eq!(hub.subscribe(me).err(), Some(Full::Person));
        assert!(hub.subscribe(StaffId(2)).is_ok(), "others are not held up");
        open.pop();
        assert!(hub.subscribe(me).is_ok());
        drop(open);
        assert_eq!(hub.open_sockets(), 0);
        assert!(hub.channels.read().unwrap().is_empty(), "nobody left: nothing kept");
    }
}
