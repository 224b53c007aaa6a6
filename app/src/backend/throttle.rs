//! Throttling of guessable things (sign-in today): each key (an account, a
//! client address) may fail a few times freely within a window; after that
//! every further failure blocks the key for twice as long as the last, up to
//! a ceiling. A blocked key is answered 429 with `Retry-After` before any
//! password is hashed. In memory and bounded: a restart forgets, which only
//! gives an attacker back the free tries.

use crate::domain::time::UnixTime;
use std::collections::HashMap;
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

impl Throttle {
    /// `Err(seconds to wait)` if any of the keys is blocked now.
    pub fn check(&self, keys: &[(Kind, &str)], now: UnixTime) -> Result<(), i64> {
        let map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
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
    pub fn failed(&self, keys: &[(Kind, &str)], now: UnixTime) {
        let now = now.secs();
        let mut map = self.entries.lock().unwrap_or_else(|e| e.into_inner());
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

    /// A success clears the key (the account's owner got in).
    pub fn succeeded(&self, kind: Kind, key: &str) {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(&(kind, key.to_string()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        t.succeeded(Kind::Account, "ann@example.com");
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
