//! How much any one client may ask of the server, and how fast a wrong
//! password or token secret may be tried.
//!
//! - Every request counts against its client address (`rate_limit_per_minute`).
//!   The key is the address, never a header the client chooses: a header can be
//!   changed on every request to get a fresh allowance.
//! - Logins count against the client address (`login_attempts_per_minute`) and
//!   against the account name (the same number), so neither many accounts from
//!   one address nor one account from many addresses gets far.
//! - After three wrong passwords in a row an account backs off: it is refused
//!   for 1 s, then 2, 4, … up to 15 minutes, without the password being checked,
//!   until a right password ends the run. The same holds for a token whose
//!   secret is given wrong: a guesser is answered `429` at the cost of a map
//!   look-up, not of an argon2 hash.
//!
//! The limiters are GCRA (the `governor` crate): smooth, with no double burst
//! at a minute's edge. They live in each server's memory: several servers on
//! one store each count on their own.

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Wrong tries in a row before backing off.
const FREE_FAILURES: u32 = 3;
/// The longest back-off.
const LONGEST_BACKOFF: Duration = Duration::from_secs(15 * 60);
/// The most keys a back-off table keeps before dropping those that have run out.
const MOST_KEYS: usize = 100_000;

/// The address a request came from (the TCP peer; behind a reverse proxy, the
/// proxy's), when the server was started to know it.
#[derive(Clone, Copy, Debug)]
pub struct ClientAddress(pub Option<IpAddr>);

impl ClientAddress {
    pub fn of(extensions: &axum::http::Extensions) -> ClientAddress {
        ClientAddress(
            extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip()),
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        _: &S,
    ) -> Result<ClientAddress, Self::Rejection> {
        Ok(ClientAddress::of(&parts.extensions))
    }
}

/// Every limit of one server.
pub struct Limits {
    requests: DefaultKeyedRateLimiter<IpAddr>,
    logins_by_address: DefaultKeyedRateLimiter<IpAddr>,
    logins_by_account: DefaultKeyedRateLimiter<String>,
    backoff: Backoff,
}

/// Refused for this long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, at least one: what `Retry-After` says.
    pub fn seconds(self) -> u64 {
        (self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0)).max(1)
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl Limits {
    pub fn new(requests_per_minute: u32, logins_per_minute: u32) -> Limits {
        Limits {
            requests: RateLimiter::keyed(per_minute(requests_per_minute)),
            logins_by_address: RateLimiter::keyed(per_minute(logins_per_minute)),
            logins_by_account: RateLimiter::keyed(per_minute(logins_per_minute)),
            backoff: Backoff::default(),
        }
    }

    /// One more request from `address`.
    pub fn request(&self, address: Option<IpAddr>) -> Result<(), RetryAfter> {
        let Some(address) = address else {
            return Ok(());
        };
        // Keys of addresses not seen for a while are dropped now and then.
        if self.requests.len() > MOST_KEYS {
            self.requests.retain_recent();
        }
        self.requests.check_key(&address).map_err(|not_until| {
            RetryAfter(not_until.wait_time_from(DefaultClock::default().now()))
        })
    }

    /// One more login for `account` from `address`: refused while the account
    /// backs off or either allowance is spent.
    pub fn login(&self, address: Option<IpAddr>, account: &str) -> Result<(), RetryAfter> {
        let account = account_key(account);
        self.backoff.check(&account)?;
        let now = DefaultClock::default().now();
        if let Some(address) = address {
            if self.logins_by_address.len() > MOST_KEYS {
                self.logins_by_address.retain_recent();
            }
            self.logins_by_address
                .check_key(&address)
                .map_err(|n| RetryAfter(n.wait_time_from(now)))?;
        }
        if self.logins_by_account.len() > MOST_KEYS {
            self.logins_by_account.retain_recent();
        }
        self.logins_by_account
            .check_key(&account)
            .map_err(|n| RetryAfter(n.wait_time_from(now)))
    }

    /// A wrong password for `account`.
    pub fn login_failed(&self, account: &str) {
        self.backoff.failed(account_key(account));
    }

    /// A right password for `account`: its run of failures ends.
    pub fn login_succeeded(&self, account: &str) {
        self.backoff.succeeded(&account_key(account));
    }

    /// Whether a secret may be checked for the token `lookup` now.
    pub fn token(&self, lookup: &str) -> Result<(), RetryAfter> {
        self.backoff.check(&token_key(lookup))
    }

    /// A wrong secret (or an unknown token) for `lookup`.
    pub fn token_failed(&self, lookup: &str) {
        self.backoff.failed(token_key(lookup));
    }

    /// A right secret for `lookup`.
    pub fn token_succeeded(&self, lookup: &str) {
        self.backoff.succeeded(&token_key(lookup));
    }
}

fn account_key(account: &str) -> String {
    format!("login:{}", account.trim().to_lowercase())
}

fn token_key(lookup: &str) -> String {
    format!("token:{lookup}")
}

/// Failures in a row per key, and until when the key is refused.
#[derive(Default)]
struct Backoff {
    keys: Mutex<HashMap<String, (u32, Instant)>>,
}

impl Backoff {
    fn check(&self, key: &str) -> Result<(), RetryAfter> {
        let Ok(keys) = self.keys.lock() else {
            return Ok(());
        };
        match keys.get(key) {
            Some((_, until)) if *until > Instant::now() => {
                Err(RetryAfter(until.saturating_duration_since(Instant::now())))
            }
            _ => Ok(()),
        }
    }

    fn failed(&self, key: String) {
        let Ok(mut keys) = self.keys.lock() else {
            return;
        };
        let now = Instant::now();
        if keys.len() >= MOST_KEYS {
            keys.retain(|_, (_, until)| *until > now);
            if keys.len() >= MOST_KEYS {
                // Still full of live back-offs: the oldest knowledge goes first
                // would need an order; dropping all keeps memory bounded, and the
                // per-address and per-account allowances still hold.
                keys.clear();
            }
        }
        let entry = keys.entry(key).or_insert((0, now));
        entry.0 = entry.0.saturating_add(1);
        if entry.0 >= FREE_FAILURES {
            let doublings = (entry.0 - FREE_FAILURES).min(20);
            let wait = Duration::from_secs(1u64 << doublings).min(LONGEST_BACKOFF);
            entry.1 = now + wait;
        }
    }

    fn succeeded(&self, key: &str) {
        if let Ok(mut keys) = self.keys.lock() {
            keys.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_backs_off_after_three_wrong_passwords() {
        let limits = Limits::new(1000, 1000);
        for _ in 0..3 {
            assert!(limits.login(None, "Analyst").is_ok());
            limits.login_failed("analyst");
        }
        // Refused without looking at the password, whatever the case of the name.
        let refused = limits.login(None, "ANALYST").expect_err("backing off");
        assert!(refused.0 <= Duration::from_secs(1) && refused.seconds() == 1);
        // Another account is not held up.
        assert!(limits.login(None, "monitor").is_ok());
        limits.login_succeeded("analyst");
        assert!(limits.login(None, "analyst").is_ok());
    }

    #[test]
    fn the_back_off_doubles_and_stops_at_fifteen_minutes() {
        let backoff = Backoff::default();
        let mut waits = Vec::new();
        for _ in 0..30 {
            backoff.failed("k".into());
            waits.push(
                backoff
                    .check("k")
                    .err()
                    .map(|r| r.0.as_secs_f64().round() as u64),
            );
        }
        assert_eq!(
            &waits[..6],
            &[None, None, Some(1), Some(2), Some(4), Some(8)]
        );
        assert_eq!(waits[29], Some(900));
    }

    #[test]
    fn the_allowance_is_per_address_and_per_account() {
        let limits = Limits::new(1000, 2);
        let one: IpAddr = [10, 0, 0, 1].into();
        let two: IpAddr = [10, 0, 0, 2].into();
        assert!(limits.login(Some(one), "a").is_ok());
        assert!(limits.login(Some(one), "b").is_ok());
        // The address has spent its two; another address has not.
        assert!(limits.login(Some(one), "c").is_err());
        assert!(limits.login(Some(two), "c").is_ok());
        // The account `a` has one left, from any address.
        assert!(limits.login(Some(two), "a").is_ok());
        assert!(limits.login(Some([10, 0, 0, 3].into()), "a").is_err());
    }
}
