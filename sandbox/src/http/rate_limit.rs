//! A rate per credential, on governor's keyed GCRA limiter: `--rate-limit`
//! requests a second, in bursts of up to twice that. GCRA is the token
//! bucket kept as one timestamp per key; governor forgets a key once its
//! budget is full again ([`RateLimiter::forget_idle`]).

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::Quota;

use crate::error::ApiError;
use crate::tokens::TokenDigest;

/// `rate` requests a second per credential, bursts of up to twice that,
/// timed by `C` (the monotonic clock; a fake one in tests).
pub struct RateLimiter<C: Clock + Clone = DefaultClock> {
    limiter: governor::RateLimiter<
        TokenDigest,
        DashMapStateStore<TokenDigest>,
        C,
        NoOpMiddleware<<C as Clock>::Instant>,
    >,
    clock: C,
}

impl RateLimiter {
    /// A limiter of `rate` requests per second per credential.
    pub fn new(rate: f64) -> Self {
        Self::with_clock(rate, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    /// The same, timed by `clock`.
    pub fn with_clock(rate: f64, clock: C) -> Self {
        let rate = if rate.is_finite() {
            rate.max(0.001)
        } else {
            0.001
        };
        // One cell every 1/rate seconds (at least a nanosecond apart).
        let period = Duration::from_secs_f64(1.0 / rate).max(Duration::from_nanos(1));
        let burst = NonZeroU32::new((rate * 2.0).clamp(1.0, f64::from(u32::MAX)) as u32)
            .unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst);
        Self {
            limiter: governor::RateLimiter::new(quota, DashMapStateStore::default(), clock.clone()),
            clock,
        }
    }

    /// Takes one request from `credential`'s budget, or says how long to wait.
    pub fn charge(&self, credential: TokenDigest) -> Result<(), ApiError> {
        self.limiter.check_key(&credential).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            ApiError::RateLimited {
                retry_after_secs: (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1),
            }
        })
    }

    /// Drops the credentials whose budget is full again: a full budget is the
    /// same as none, so a credential seen once no longer costs memory.
    pub fn forget_idle(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// How many credentials have a budget in use.
    pub fn buckets(&self) -> usize {
        self.limiter.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use governor::clock::FakeRelativeClock;

    #[test]
    fn rate_budgets_that_refilled_are_forgotten() {
        let clock = FakeRelativeClock::default();
        // A cell every 100 ms; governor forgets a key one period after its
        // budget is full again, so 200 ms after a single request.
        let limiter = RateLimiter::with_clock(10.0, clock.clone());
        for n in 0..100u8 {
            limiter
                .charge(TokenDigest::of(&format!("link_{n}")))
                .unwrap();
        }
        clock.advance(Duration::from_millis(50));
        limiter.charge(TokenDigest::of("link_busy")).unwrap();
        assert_eq!(limiter.buckets(), 101);
        clock.advance(Duration::from_millis(149));
        limiter.forget_idle();
        assert_eq!(limiter.buckets(), 101, "not yet full");
        clock.advance(Duration::from_millis(2));
        limiter.forget_idle();
        assert_eq!(limiter.buckets(), 1, "only the one charged since");
    }

    #[test]
    fn a_credential_is_refused_past_its_burst_and_told_when_to_retry() {
        let clock = FakeRelativeClock::default();
        let limiter = RateLimiter::with_clock(1.0, clock.clone());
        let key = TokenDigest::of("k");
        assert!(limiter.charge(key).is_ok());
        assert!(limiter.charge(key).is_ok());
        assert_eq!(
            limiter.charge(key),
            Err(ApiError::RateLimited {
                retry_after_secs: 1
            })
        );
        clock.advance(Duration::from_secs(1));
        assert!(limiter.charge(key).is_ok());
        assert!(limiter.charge(TokenDigest::of("other")).is_ok());
    }

    #[test]
    fn any_rate_a_flag_allows_makes_a_limiter() {
        for rate in [0.0005, 0.5, 20.0, 1e9, 1e12] {
            let limiter = RateLimiter::new(rate);
            assert!(limiter.charge(TokenDigest::of("k")).is_ok(), "{rate}");
        }
    }
}
