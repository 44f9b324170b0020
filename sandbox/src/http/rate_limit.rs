//! A token bucket per credential.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::ApiError;
use crate::tokens::TokenDigest;

/// A token bucket per credential: `rate` requests a second, bursts of up to
/// twice that.
pub struct RateLimiter {
    rate: f64,
    capacity: f64,
    buckets: Mutex<HashMap<TokenDigest, Bucket>>,
}

struct Bucket {
    tokens: f64,
    refilled_at: Instant,
}

impl RateLimiter {
    /// A limiter of `rate` requests per second per credential.
    pub fn new(rate: f64) -> Self {
        let rate = rate.max(0.001);
        Self {
            rate,
            capacity: (rate * 2.0).max(1.0),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `credential`'s bucket, or says how long to wait.
    pub fn charge(&self, credential: TokenDigest) -> Result<(), ApiError> {
        self.charge_at(credential, Instant::now())
    }

    /// Drops the buckets that have refilled: a full bucket is the same as
    /// none, so a credential seen once no longer costs memory.
    pub fn forget_idle(&self, now: Instant) {
        let refill = Duration::from_secs_f64(self.capacity / self.rate);
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        buckets.retain(|_, bucket| now.saturating_duration_since(bucket.refilled_at) < refill);
        if buckets.capacity() > 64 && buckets.len() < buckets.capacity() / 4 {
            buckets.shrink_to_fit();
        }
    }

    /// How many credentials have a bucket.
    pub fn buckets(&self) -> usize {
        self.buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }

    fn charge_at(&self, credential: TokenDigest, now: Instant) -> Result<(), ApiError> {
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let bucket = buckets.entry(credential).or_insert(Bucket {
            tokens: self.capacity,
            refilled_at: now,
        });
        let elapsed = now
            .saturating_duration_since(bucket.refilled_at)
            .as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.rate).min(self.capacity);
        bucket.refilled_at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - bucket.tokens) / self.rate;
        Err(ApiError::RateLimited {
            retry_after_secs: (wait.ceil() as u64).max(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_buckets_that_refilled_are_forgotten() {
        let limiter = RateLimiter::new(10.0); // bursts of 20: full again after 2 s
        let start = Instant::now();
        for n in 0..100u8 {
            limiter
                .charge_at(TokenDigest::of(&format!("link_{n}")), start)
                .unwrap();
        }
        limiter
            .charge_at(
                TokenDigest::of("link_busy"),
                start + Duration::from_millis(1500),
            )
            .unwrap();
        assert_eq!(limiter.buckets(), 101);
        limiter.forget_idle(start + Duration::from_millis(1999));
        assert_eq!(limiter.buckets(), 101, "not yet full");
        limiter.forget_idle(start + Duration::from_secs(2));
        assert_eq!(limiter.buckets(), 1, "only the one charged since");
    }

    #[test]
    fn bucket_refuses_past_its_burst_and_says_when_to_retry() {
        let limiter = RateLimiter::new(1.0);
        let key = TokenDigest::of("k");
        let start = Instant::now();
        assert!(limiter.charge_at(key, start).is_ok());
        assert!(limiter.charge_at(key, start).is_ok());
        assert_eq!(
            limiter.charge_at(key, start),
            Err(ApiError::RateLimited {
                retry_after_secs: 1
            })
        );
        assert!(limiter
            .charge_at(key, start + Duration::from_secs(1))
            .is_ok());
        assert!(limiter.charge_at(TokenDigest::of("other"), start).is_ok());
    }
}
