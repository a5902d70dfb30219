//! The chosen network and where its state is read: its offline snapshot, read once when the
//! network is chosen, or a live monitor of its node (or of a drill's sandbox).

use super::live::{Freshness, LiveMonitor};
use super::status::Status;
use super::task::Task;
use crate::chain::{ChainError, LiveState, Target};
use crate::change::offline_state::CheckedSnapshot;
use crate::engine::Mode;
use crate::session::Session;
use crate::workspace::snapshot::StateSnapshot;
use std::time::Instant;

#[derive(Default)]
pub struct NetworkState {
    pub name: String,
    /// The network's offline state snapshot, read when the network is chosen, not per frame.
    pub snapshot: Option<Result<StateSnapshot, String>>,
    /// The same snapshot checked as a state source: its signature, its signer's operator
    /// name, its age against the network's limit; why it is refused, when it is.
    pub checked: Option<Result<CheckedSnapshot, String>>,
    /// The limit on a snapshot's age the network sets (`reads.max_state_age_secs`).
    pub age_limit_secs: Option<u64>,
    /// The network's live state, when it is read live.
    pub live: Option<LiveMonitor>,
    /// The live state's freshness as of the last tick, to tell whether a tick changed the
    /// screen.
    ticked: Option<Freshness>,
}

/// What a tick of the event loop brought: a live refresh to start, and whether the screen
/// shows something else now.
pub struct Tick {
    pub task: Option<Task>,
    pub redraw: bool,
}

impl NetworkState {
    /// The network the console starts on: `demo` when there is one, else the first.
    pub fn first_choice(session: &Session) -> String {
        if session.networks.get("demo").is_some() {
            "demo".to_owned()
        } else {
            session
                .networks
                .names()
                .first()
                .map(|s| s.to_string())
                .unwrap_or_default()
        }
    }

    /// Chooses the network, and where its state is read: its node when `mode` is live, its
    /// sandbox for a drill, nothing (the snapshot) offline. Says so when live reads are off.
    pub fn choose(&mut self, session: &Session, network: String, mode: Mode) -> Option<Status> {
        let has_snapshot = session
            .networks
            .get(&network)
            .is_some_and(|profile| profile.snapshot.is_some());
        self.checked = has_snapshot.then(|| {
            crate::change::offline_state::of_network(session, &network).map_err(|e| e.to_string())
        });
        // The checked snapshot holds the values; read them apart only when it was refused.
        self.snapshot = match &self.checked {
            Some(Ok(checked)) => Some(Ok(checked.snapshot.clone())),
            _ => session
                .snapshot(&network)
                .map(|read| read.map_err(|e| e.to_string())),
        };
        self.age_limit_secs = session
            .networks
            .get(&network)
            .and_then(|profile| profile.reads.max_state_age_secs);
        let drill = mode == Mode::Drill;
        let same = self
            .live
            .as_ref()
            .is_some_and(|l| l.network() == network && l.drill == drill);
        let mut said = None;
        if !same {
            self.live = None;
            if mode != Mode::Offline {
                let monitor = Target::for_mode(session, &network, mode).and_then(|t| {
                    LiveMonitor::new(t, Instant::now())
                        .map(|m| m.for_drill(drill))
                        .map_err(crate::chain::TargetError::from)
                });
                match monitor {
                    Ok(monitor) => self.live = Some(monitor),
                    Err(error) => said = Some(Status::warning(format!("live reads off: {error}"))),
                }
            }
        }
        self.name = network;
        said
    }

    /// A live refresh to start, if one is due; a redraw only when the live state's freshness
    /// (its age in seconds, or staleness) changed.
    pub fn tick(&mut self, now: Instant) -> Tick {
        let Some(live) = self.live.as_mut() else {
            return Tick {
                task: None,
                redraw: false,
            };
        };
        let task = live.due(now);
        let freshness = Some(live.freshness(now));
        let redraw = task.is_some() || freshness != self.ticked;
        self.ticked = freshness;
        Tick { task, redraw }
    }

    /// A refresh of `network` came back.
    pub fn refreshed(&mut self, network: &str, result: Result<LiveState, ChainError>) {
        if let Some(live) = self.live.as_mut().filter(|l| l.network() == network) {
            live.on_result(result, Instant::now());
        }
    }

    /// A step may have changed the chain: read it again at the next tick.
    pub fn refresh_soon(&mut self) {
        if let Some(live) = self.live.as_mut() {
            live.refresh_soon(Instant::now());
        }
    }
}
