//! Wrong credentials per client address, on governor's keyed GCRA limiter
//! (which forgets idle addresses): a budget of [`BURST`] unknown
//! credentials, refilled by one a second. Past it, the address is refused
//! outright, before its credential is even looked at, until the budget
//! allows one more; so guessing runs at one credential a second at most,
//! whatever `--rate-limit` says (that one counts requests per credential).

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::ApiError;

/// Unknown credentials an address may send in a burst.
pub const BURST: u32 = 30;

/// Unknown credentials seen per client address, and the addresses refused
/// for now.
pub struct FailedCredentials {
    budget: DefaultKeyedRateLimiter<IpAddr>,
    /// Until when each address over its budget is refused.
    refused: Mutex<HashMap<IpAddr, Instant>>,
}

impl Default for FailedCredentials {
    fn default() -> Self {
        let burst = NonZeroU32::new(BURST).unwrap_or(NonZeroU32::MIN);
        Self {
            budget: governor::RateLimiter::keyed(
                Quota::per_second(NonZeroU32::MIN).allow_burst(burst),
            ),
            refused: Mutex::new(HashMap::new()),
        }
    }
}

impl FailedCredentials {
    /// `Err(429)` while `address` is refused; checked before its credential.
    pub fn check(&self, address: IpAddr) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut refused = self.refused();
        match refused.get(&address) {
            Some(until) if *until > now => Err(rate_limited(*until - now)),
            Some(_) => {
                refused.remove(&address);
                Ok(())
            }
            None => Ok(()),
        }
    }

    /// Counts one unknown credential from `address`; `Err(429)` (and the
    /// address refused until its budget refills by one) past the budget.
    pub fn record(&self, address: IpAddr) -> Result<(), ApiError> {
        let Err(not_until) = self.budget.check_key(&address) else {
            return Ok(());
        };
        let wait = not_until.wait_time_from(DefaultClock::default().now());
        self.refused().insert(address, Instant::now() + wait);
        Err(rate_limited(wait))
    }

    /// Forgets addresses whose budget is full again and refusals that ended.
    pub fn forget_idle(&self) {
        self.budget.retain_recent();
        self.budget.shrink_to_fit();
        let now = Instant::now();
        self.refused().retain(|_, until| *until > now);
    }

    fn refused(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Instant>> {
        self.refused
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn rate_limited(wait: Duration) -> ApiError {
    ApiError::RateLimited {
        retry_after_secs: (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1),
    }
}
