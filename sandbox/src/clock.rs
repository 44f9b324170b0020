//! The sandbox's one source of wall-clock time. Every rule about expiry asks
//! the clock, so an in-process test moves time forward instead of sleeping.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

/// The system clock, plus an offset that only a test moves.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    /// Milliseconds added to the system time; `None` for the real clock.
    offset_millis: Option<Arc<AtomicU64>>,
}

impl Clock {
    /// The system clock, as the binary uses it.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock that starts at the system time and moves on by
    /// [`Clock::advance`]; clones share the offset.
    pub fn adjustable() -> Self {
        Self {
            offset_millis: Some(Arc::new(AtomicU64::new(0))),
        }
    }

    /// The time now.
    pub fn now(&self) -> SystemTime {
        let offset = self
            .offset_millis
            .as_ref()
            .map_or(0, |offset| offset.load(Ordering::Relaxed));
        SystemTime::now() + Duration::from_millis(offset)
    }

    /// Moves an adjustable clock forward by `by`.
    ///
    /// # Panics
    /// On the system clock: moving it is a mistake in a test.
    pub fn advance(&self, by: Duration) {
        let offset = self
            .offset_millis
            .as_ref()
            .expect("only an adjustable clock moves");
        let millis = u64::try_from(by.as_millis()).unwrap_or(u64::MAX);
        offset.fetch_add(millis, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_adjustable_clock_moves_forward_and_its_clones_with_it() {
        let clock = Clock::adjustable();
        let copy = clock.clone();
        let before = copy.now();
        clock.advance(Duration::from_secs(3600));
        assert!(copy.now() >= before + Duration::from_secs(3600));
    }
}
