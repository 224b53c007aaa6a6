//! Throttling, in memory and bounded (a restart forgets, which only gives an
//! abuser back a window's allowance):
//!
//! - `Throttle`, of guessable things (sign-in): each key (an account, a client
//!   address) may fail a few times freely within a window; after that every
//!   further failure blocks the key for twice as long as the last, up to a
//!   ceiling. A blocked key is answered 429 with `Retry-After` before any
//!   password is hashed.
//! - `Limiter`, of what the public may do without signing in (book, act on a
//!   tracking link, write to the store): so many per window per client address
//!   and per contact or link, so a script can neither fill a store's calendar
//!   nor have it send thousands of texts to numbers it picked (SMS toll fraud),
//!   nor flood the staff's bell through one link.

use crate::backend::channels::webhooks::ssrf::AllowList;
use crate::domain::time::UnixTime;
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

/// Keys tracked at most; past this, expired entries are dropped, then the oldest.
const MAX_KEYS: usize = 100_000;
/// Failures are counted within this window (seconds) from the first.
const WINDOW_S: i64 = 15 * 60;
/// The longest block (seconds).
const MAX_BLOCK_S: i64 = 15 * 60;

/// What is throttled, and how many failures each may have freely.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// One account (by email): a few, as a person mistyping would.
    Account,
    /// One client address: more, as an office shares one.
    Address,
}

impl Kind {
    fn free(self) -> u32 {
        match self {
            Kind::Account => 5,
            Kind::Address => 20,
        }
    }
}

#[derive(Clone, Copy)]
struct Entry {
    failures: u32,
    since: i64,
    blocked_until: i64,
}

#[derive(Default)]
pub struct Throttle {
    entries: Mutex<HashMap<(Kind, String), Entry>>,
}

type Entries = HashMap<(Kind, String), Entry>;

/// `Err(seconds to wait)` if any of the keys is blocked now.
fn blocked(map: &Entries, keys: &[(Kind, &str)], now: UnixTime) -> Result<(), i64> {
    let wait = keys
        .iter()
        .filter_map(|(kind, key)| map.get(&(*kind, key.to_string())))
        .map(|e| e.blocked_until - now.secs())
        .max()
        .unwrap_or(0);
    if wait > 0 {
        Err(wait)
    } else {
        Ok(())
    }
}

/// Counts a failure against each key.
fn count_failure(map: &mut Entries, keys: &[(Kind, &str)], now: UnixTime) {
    let now = now.secs();
    if map.len() >= MAX_KEYS {
        map.retain(|_, e| e.blocked_until > now || now - e.since < WINDOW_S);
        if map.len() >= MAX_KEYS {
            let oldest = map.iter().min_by_key(|(_, e)| e.since).map(|(k, _)| k.clone());
            if let Some(k) = oldest {
                map.remove(&k);
            }
        }
    }
    for (kind, key) in keys {
        let e = map.entry((*kind, key.to_string())).or_insert(Entry {
            failures: 0,
            since: now,
            blocked_until: 0,
        });
        if now - e.since >= WINDOW_S && e.blocked_until <= now {
            *e = Entry {
                failures: 0,
                since: now,
                blocked_until: 0,
            };
        }
        e.failures += 1;
        if let Some(over) = e.failures.checked_sub(kind.free()).filter(|o| *o > 0) {
            let block = 1i64.checked_shl(over.min(20)).unwrap_or(MAX_BLOCK_S).min(MAX_BLOCK_S);
            e.blocked_until = now + block;
        }
    }
}

impl Throttle {
    fn entries(&self) -> std::sync::MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Checks the keys and, if none is blocked, counts this attempt as a
    /// failure against each, under one lock: parallel attempts cannot all
    /// pass the check before any of them has failed. A success gives it back.
    pub fn attempt(&self, keys: &[(Kind, &str)], now: UnixTime) -> Result<(), i64> {
        let mut map = self.entries();
        blocked(&map, keys, now)?;
        count_failure(&mut map, keys, now);
        Ok(())
    }

    /// A success clears the account (its owner got in) and gives the address
    /// back the attempt counted against it.
    pub fn succeeded(&self, keys: &[(Kind, &str)]) {
        let mut map = self.entries();
        for (kind, key) in keys {
            match kind {
                Kind::Account => {
                    map.remove(&(*kind, key.to_string()));
                }
                Kind::Address => {
                    if let Some(e) = map.get_mut(&(*kind, key.to_string())) {
                        e.failures = e.failures.saturating_sub(1);
                    }
                }
            }
        }
    }
}

/// What the public may do, how often (`max` within `window_s`, from the first).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Online bookings from one client address (an office or a café shares one).
    BookingsPerAddress,
    /// Online bookings for one email address or mobile number: each sends it a message.
    BookingsPerContact,
    /// Tracking-link actions (change, cancel, confirm, write) from one client address.
    ClientActionsPerAddress,
    /// Actions through one tracking link: a client changing their mind, not a script.
    ClientActionsPerLink,
}

impl Limit {
    pub const fn allowance(self) -> (u32, i64) {
        match self {
            Limit::BookingsPerAddress => (30, 60 * 60),
            Limit::BookingsPerContact => (5, 60 * 60),
            Limit::ClientActionsPerAddress => (120, 60 * 60),
            Limit::ClientActionsPerLink => (20, 60 * 60),
        }
    }
}

#[derive(Clone, Copy)]
struct Window {
    count: u32,
    since: i64,
}

pub struct Limiter {
    enabled: bool,
    windows: Mutex<HashMap<(Limit, String), Window>>,
}

impl Limiter {
    /// `enabled: false` only for load tests that book from one address.
    pub fn new(enabled: bool) -> Self {
        Self {
            enabled,
            windows: Mutex::default(),
        }
    }

    /// Counts one use against every key, or none if any is used up:
    /// `Err(seconds until it is free again)`.
    pub fn take(&self, keys: &[(Limit, &str)], now: UnixTime) -> Result<(), i64> {
        if !self.enabled {
            return Ok(());
        }
        let now = now.secs();
        let mut map = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        let current = |w: Option<&Window>, limit: Limit| match w {
            Some(w) if now - w.since < limit.allowance().1 => *w,
            _ => Window { count: 0, since: now },
        };
        let wait = keys
            .iter()
            .map(|(limit, key)| (*limit, current(map.get(&(*limit, key.to_string())), *limit)))
            .filter(|(limit, w)| w.count >= limit.allowance().0)
            .map(|(limit, w)| w.since + limit.allowance().1 - now)
            .max();
        if let Some(wait) = wait {
            return Err(wait.max(1));
        }
        if map.len() + keys.len() > MAX_KEYS {
            map.retain(|(limit, _), w| now - w.since < limit.allowance().1);
            while map.len() + keys.len() > MAX_KEYS {
                let Some(oldest) = map.iter().min_by_key(|(_, w)| w.since).map(|(k, _)| k.clone()) else {
                    break;
                };
                map.remove(&oldest);
            }
        }
        for (limit, key) in keys {
            let w = current(map.get(&(*limit, key.to_string())), *limit);
            map.insert((*limit, key.to_string()), Window { count: w.count + 1, ..w });
        }
        Ok(())
    }
}

/// The address a request came from: the connection's peer, unless that is a
/// trusted reverse proxy, in which case the nearest address in
/// `X-Forwarded-For` that is not itself a trusted proxy (entries further left
/// were written by the client and prove nothing).
pub fn client_address(peer: Option<IpAddr>, forwarded_for: &[&str], trusted: &AllowList) -> String {
    let Some(peer) = peer else { return String::new() };
    if !trusted.allows(peer) {
        return peer.to_canonical().to_string();
    }
    let hops = forwarded_for
        .iter()
        .flat_map(|h| h.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        match hop.parse::<IpAddr>() {
            Ok(ip) if trusted.allows(ip) => continue,
            Ok(ip) => return ip.to_canonical().to_string(),
            // Something the proxy did not write: trust nothing left of it.
            Err(_) => break,
        }
    }
    peer.to_canonical().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two halves of `attempt`, to step through a throttle's states.
    impl Throttle {
        fn check(&self, keys: &[(Kind, &str)], now: UnixTime) -> Result<(), i64> {
            blocked(&self.entries(), keys, now)
        }
        fn failed(&self, keys: &[(Kind, &str)], now: UnixTime) {
            count_failure(&mut self.entries(), keys, now)
        }
    }

    #[test]
    fn the_client_address_is_the_peer_unless_a_trusted_proxy_forwarded_the_request() {
        let trusted = AllowList::parse("10.0.0.0/8,127.0.0.1").unwrap();
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        for (peer, forwarded, expected) in [
            // Straight from the internet: whatever it claims is ignored.
            (ip("203.0.113.9"), vec!["198.51.100.1"], "203.0.113.9"),
            (ip("::ffff:203.0.113.9"), vec![], "203.0.113.9"),
            // Through our proxy: the address it saw.
            (ip("127.0.0.1"), vec!["198.51.100.1"], "198.51.100.1"),
            // A client that sends its own header cannot pick its address.
            (ip("127.0.0.1"), vec!["1.2.3.4, 198.51.100.1"], "198.51.100.1"),
            (ip("127.0.0.1"), vec!["1.2.3.4", "198.51.100.1"], "198.51.100.1"),
            // Two proxies of ours in a row.
            (ip("10.0.0.2"), vec!["198.51.100.1, 10.0.0.7"], "198.51.100.1"),
            // A proxy that wrote nothing usable: the proxy itself.
            (ip("127.0.0.1"), vec![], "127.0.0.1"),
            (ip("127.0.0.1"), vec!["unknown"], "127.0.0.1"),
            (None, vec!["198.51.100.1"], ""),
        ] {
            assert_eq!(client_address(peer, &forwarded, &trusted), expected, "{peer:?} {forwarded:?}");
        }
    }

    #[test]
    fn the_public_gets_so_many_uses_per_window_per_key_and_a_refused_use_counts_against_none() {
        let l = Limiter::new(true);
        let at = |s: i64| UnixTime(2_000_000 + s);
        let (max, window) = Limit::BookingsPerContact.allowance();
        let ann = [
            (Limit::BookingsPerAddress, "192.0.2.1"),
            (Limit::BookingsPerContact, "ann@example.com"),
        ];
        for i in 0..max {
            assert_eq!(l.take(&ann, at(i as i64)), Ok(()), "use {i}");
        }
        assert_eq!(l.take(&ann, at(100)), Err(window - 100), "used up until the window ends");
        // The refusal did not count against the address: another contact from it still books.
        let bob = [
            (Limit::BookingsPerAddress, "192.0.2.1"),
            (Limit::BookingsPerContact, "bob@example.com"),
        ];
        let (address_max, _) = Limit::BookingsPerAddress.allowance();
        for i in max..address_max {
            let contact = format!("client{i}@example.com");
            let keys = [
                (Limit::BookingsPerAddress, "192.0.2.1"),
                (Limit::BookingsPerContact, contact.as_str()),
            ];
            assert_eq!(l.take(&keys, at(200)), Ok(()), "address use {i}");
        }
        assert!(l.take(&bob, at(200)).is_err(), "now the address is used up");
        assert_eq!(l.take(&ann, at(window)), Ok(()), "a new window");
        assert_eq!(Limiter::new(false).take(&ann, at(100)), Ok(()));
    }

    #[test]
    fn a_few_failures_are_free_then_each_one_blocks_twice_as_long_up_to_a_ceiling() {
        let t = Throttle::default();
        let at = |s: i64| UnixTime(1_000_000 + s);
        let keys = [(Kind::Account, "ann@example.com")];
        for i in 0..5 {
            assert_eq!(t.check(&keys, at(i)), Ok(()), "failure {i} is free");
            t.failed(&keys, at(i));
        }
        assert_eq!(t.check(&keys, at(5)), Ok(()), "five so far: still free");
        t.failed(&keys, at(5));
        assert_eq!(t.check(&keys, at(5)), Err(2), "the sixth blocks for 2 s");
        assert_eq!(t.check(&keys, at(7)), Ok(()));
        t.failed(&keys, at(7));
        assert_eq!(t.check(&keys, at(7)), Err(4), "then 4 s");
        for s in 8..40 {
            t.failed(&keys, at(s));
        }
        assert_eq!(t.check(&keys, at(39)), Err(MAX_BLOCK_S), "never more than the ceiling");
        // Another account and the same account after success are free.
        assert_eq!(t.check(&[(Kind::Account, "bob@example.com")], at(39)), Ok(()));
        t.succeeded(&keys);
        assert_eq!(t.check(&keys, at(39)), Ok(()));
        // An address gets more free tries than an account.
        let address = [(Kind::Address, "192.0.2.1")];
        for i in 0..20 {
            t.failed(&address, at(i));
        }
        assert_eq!(t.check(&address, at(20)), Ok(()));
        t.failed(&address, at(20));
        assert!(t.check(&address, at(20)).is_err());
    }
}
