//! The live state of the chosen network, kept fresh by a background refresh: the draw loop
//! only reads what the last refresh brought, so a slow or dead node shows as stale within a
//! second and never freezes the screen.

use super::task::Task;
use crate::chain::{Chain, ChainError, LiveState, Target};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A refresh that has not answered after this long makes the state stale.
pub const STALE_AFTER: Duration = Duration::from_secs(1);

pub struct LiveMonitor {
    pub target: Arc<Target>,
    chain: Arc<Chain>,
    pub last: Option<LiveState>,
    pub last_ok: Option<Instant>,
    pub error: Option<ChainError>,
    in_flight: Option<Instant>,
    next_due: Instant,
    every: Duration,
    /// Whether this is a drill's sandbox rather than the network's own node.
    pub drill: bool,
}

/// How the live state looks now, for the status bar and the state panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Freshness {
    /// Read less than a refresh period ago, from a node that is not lagging.
    Fresh { read_secs: u64 },
    /// The first read has not answered yet.
    Waiting { secs: u64 },
    /// The values shown are old: the reason, and how long since the last good read.
    Stale {
        why: String,
        since_secs: Option<u64>,
    },
}

impl LiveMonitor {
    pub fn new(target: Target, now: Instant) -> Result<Self, ChainError> {
        let chain = target.connect()?;
        let every = Duration::from_secs(target.settings.refresh_secs.max(1));
        Ok(Self {
            target: Arc::new(target),
            chain: Arc::new(chain),
            last: None,
            last_ok: None,
            error: None,
            in_flight: None,
            next_due: now,
            every,
            drill: false,
        })
    }

    pub fn for_drill(mut self, drill: bool) -> Self {
        self.drill = drill;
        self
    }

    pub fn network(&self) -> &str {
        &self.target.network
    }

    /// A refresh to start now, if one is due and none is running.
    pub fn due(&mut self, now: Instant) -> Option<Task> {
        if self.in_flight.is_some() || now < self.next_due {
            return None;
        }
        self.in_flight = Some(now);
        Some(Task::Refresh {
            network: self.target.network.clone(),
            target: self.target.clone(),
            chain: self.chain.clone(),
        })
    }

    /// Asks for a refresh at the next tick (after a step changed the chain).
    pub fn refresh_soon(&mut self, now: Instant) {
        self.next_due = now;
    }

    pub fn on_result(&mut self, result: Result<LiveState, ChainError>, now: Instant) {
        self.in_flight = None;
        self.next_due = now + self.every;
        match result {
            Ok(state) => {
                self.error = state.lagging.clone();
                self.last = Some(state);
                self.last_ok = Some(now);
            }
            Err(error) => self.error = Some(error),
        }
    }

    pub fn freshness(&self, now: Instant) -> Freshness {
        let since = self.last_ok.map(|at| now.duration_since(at).as_secs());
        let waiting = self.in_flight.map(|at| now.duration_since(at));
        if let Some(error) = &self.error {
            return Freshness::Stale {
                why: error.to_string(),
                since_secs: since,
            };
        }
        match (since, waiting) {
            (None, waiting) => Freshness::Waiting {
                secs: waiting.map_or(0, |w| w.as_secs()),
            },
            (Some(_), Some(waiting)) if waiting > STALE_AFTER => Freshness::Stale {
                why: format!("the node has not answered for {} s", waiting.as_secs()),
                since_secs: since,
            },
            (Some(read_secs), _)
                if read_secs > self.every.as_secs() + STALE_AFTER.as_secs() + 1 =>
            {
                Freshness::Stale {
                    why: "no refresh lately".into(),
                    since_secs: Some(read_secs),
                }
            }
            (Some(read_secs), _) => Freshness::Fresh { read_secs },
        }
    }
}
