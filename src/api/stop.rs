//! Terraform's StopProvider, as the client sees it. Once the signal is raised no retry wait
//! begins and a wait in progress ends at once; an attempt already sent is left to finish
//! (bounded by the request timeout), so the answer to a write that reached the server is
//! still read, and the object still goes to state.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// Cheap to clone; clones share the signal.
#[derive(Debug, Clone, Default)]
pub struct StopSignal(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    raised: AtomicBool,
    notify: Notify,
}

impl StopSignal {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn raise(&self) {
        self.0.raised.store(true, Ordering::SeqCst);
        self.0.notify.notify_waiters();
    }

    pub fn is_raised(&self) -> bool {
        self.0.raised.load(Ordering::SeqCst)
    }

    /// Completes once the signal is raised (at once if it already is).
    pub async fn raised(&self) {
        let notified = self.0.notify.notified();
        tokio::pin!(notified);
        // Registered before the check, so a raise between the two is not missed.
        notified.as_mut().enable();
        if self.is_raised() {
            return;
        }
        notified.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn raised_before_waiting_completes_at_once() {
        let s = StopSignal::new();
        s.raise();
        assert!(s.is_raised());
        s.raised().await;
    }

    #[tokio::test]
    async fn raise_wakes_a_waiter_through_a_clone() {
        let s = StopSignal::new();
        let waiter = tokio::spawn({
            let s = s.clone();
            async move { s.raised().await }
        });
        tokio::task::yield_now().await;
        assert!(!waiter.is_finished());
        s.raise();
        tokio::time::timeout(Duration::from_secs(10), waiter)
            .await
            .expect("the waiter woke")
            .expect("the waiter did not panic");
    }

    #[tokio::test]
    async fn an_unraised_signal_keeps_waiting() {
        let s = StopSignal::new();
        let waited = tokio::time::timeout(Duration::from_millis(20), s.raised()).await;
        assert!(waited.is_err(), "raised() completed without a raise");
    }
}
