//! The chain-check and receipt steps: prepared from the run (which reads, which receipt),
//! carried out against the live chain or, offline, the network's checked snapshot and a
//! receipt file, and turned into the event to record. Nothing is recorded as verified on a
//! lagging node, a reorganised block, a stale unacknowledged snapshot or a failed read.

use super::StepError;
use crate::chain::Target;
use crate::chain::expect::{CheckResult, Outcome, evaluate};
use crate::chain::getter::Getter;
use crate::engine::event::ChainChecked;
use crate::engine::{Event, Mode, Run};
use crate::runbook::{ChainCheck, StepAction};
use crate::workspace::context::Context;
use alloy_primitives::Address;
use std::collections::BTreeMap;

enum Source {
    Live(Box<Target>),
    Snapshot(Box<crate::change::offline_state::CheckedSnapshot>),
}

pub struct PreparedChainCheck {
    step: String,
    checks: Vec<ChainCheck>,
    source: Source,
    /// Role names (`safe`, catalogue ids) → addresses, for `op = "role"`.
    roles: BTreeMap<String, String>,
    acknowledged: bool,
}

fn source_for(ctx: &Context, run: &Run) -> Result<Source, StepError> {
    let network = &run.started.network;
    match run.started.mode {
        Mode::Drill => Ok(Source::Live(Box::new(
            Target::sandbox(ctx, network).map_err(StepError::from)?,
        ))),
        Mode::Live if ctx.mode_for(network) == Mode::Live => Ok(Source::Live(Box::new(
            Target::of(ctx, network).map_err(StepError::from)?,
        ))),
        Mode::Live => Err(StepError::NoLiveSource(network.clone())),
        Mode::Offline => crate::change::offline_state::of_network(ctx, network)
            .map(|checked| Source::Snapshot(Box::new(checked)))
            .map_err(StepError::Change),
    }
}

const OWNER_ROLE: &str = "OwnerControl.owner";

fn roles(ctx: &Context, run: &Run) -> BTreeMap<String, String> {
    let network = &run.started.network;
    let mut roles = BTreeMap::new();
    let placement = ctx.catalogue().ok().and_then(|catalogue| {
        crate::chain::addresses::placement(ctx, &catalogue, network, run.started.mode).ok()
    });
    let safe = placement.and_then(|p| p.safe);
    if let Ok(catalogue) = ctx.catalogue() {
        let proposed = ctx.proposed(&catalogue, network);
        for (id, value) in proposed.values {
            match value {
                crate::catalogue::value::Value::Text(text) if text.parse::<Address>().is_ok() => {
                    roles.insert(id, text);
                }
                _ => {}
            }
        }
    }
    if let Some(safe) = safe {
        roles.insert("safe".to_owned(), safe.to_checksum(None));
        if run.started.mode == Mode::Drill {
            // The sandbox hands every module to its own Safe: that is the owner a drill sees.
            roles.insert(OWNER_ROLE.to_owned(), safe.to_checksum(None));
        }
    }
    roles
}

pub fn prepare(ctx: &Context, run: &Run) -> Result<PreparedChainCheck, StepError> {
    let step = run.current_step().ok_or(StepError::RunOver)?;
    let StepAction::ChainCheck { checks } = &step.action else {
        return Err(StepError::WrongKind {
            step: step.id.clone(),
            kind: "a chain-check",
        });
    };
    let values = run.template_values();
    let fill = |text: &str| crate::runbook::template::render_plain(text, &values);
    let checks = checks
        .iter()
        .map(|check| {
            Ok(ChainCheck {
                value: check.value.as_deref().map(fill).transpose()?,
                values: check
                    .values
                    .iter()
                    .map(|v| fill(v))
                    .collect::<Result<_, _>>()?,
                ..check.clone()
            })
        })
        .collect::<Result<Vec<_>, StepError>>()?;
    let source = source_for(ctx, run)?;
    let acknowledged = match &source {
        Source::Snapshot(checked) => checked
            .stale
            .as_ref()
            .is_none_or(|stale| run.acknowledged.contains(&stale.block_hash)),
        Source::Live(_) => true,
    };
    Ok(PreparedChainCheck {
        step: step.id.clone(),
        checks,
        source,
        roles: roles(ctx, run),
        acknowledged,
    })
}

impl PreparedChainCheck {
    pub fn describe(&self) -> String {
        match &self.source {
            Source::Live(target) => format!("live {}", target.endpoint.shown()),
            Source::Snapshot(checked) => format!("snapshot {}", checked.describe()),
        }
    }

    pub async fn execute(self) -> Result<Event, StepError> {
        let role = |name: &str| self.roles.get(name).cloned();
        match &self.source {
            Source::Snapshot(checked) => {
                let snapshot = &checked.snapshot;
                let results: Vec<CheckResult> = self
                    .checks
                    .iter()
                    .map(|check| {
                        let key = snapshot_key(check);
                        let read = snapshot
                            .values
                            .get(&key)
                            .ok_or_else(|| format!("the snapshot holds no `{key}`"));
                        evaluate(check, read.as_ref().copied().map_err(String::as_str), &role)
                    })
                    .collect();
                let refused = (!self.acknowledged).then(|| {
                    checked
                        .stale
                        .as_ref()
                        .map(|s| s.message())
                        .unwrap_or_default()
                });
                Ok(self.event(
                    format!("snapshot {}", checked.describe()),
                    (
                        snapshot.block.number,
                        snapshot.block.hash.clone(),
                        snapshot.block.timestamp.clone(),
                    ),
                    results,
                    refused,
                ))
            }
            Source::Live(target) => self.live(target, &role).await,
        }
    }

    async fn live(
        &self,
        target: &Target,
        role: &(dyn Fn(&str) -> Option<String> + Sync),
    ) -> Result<Event, StepError> {
        let chain = target.connect()?;
        let mut planned = Vec::new();
        let mut results: Vec<Option<CheckResult>> = Vec::new();
        for check in &self.checks {
            let prepared = Getter::parse(&check.call).and_then(|getter| {
                if getter.inputs() > 0 {
                    return Err(format!(
                        "{} takes arguments; a chain-check reads getters without",
                        check.call
                    ));
                }
                let safe = target.safe.filter(|_| check.contract == "Safe");
                let to = safe
                    .or_else(|| target.modules.get(&check.contract).copied())
                    .ok_or_else(|| {
                        format!("no address for module {} on this network", check.contract)
                    })?;
                Ok((getter.calldata(&[])?, to, getter))
            });
            match prepared {
                Ok((data, to, getter)) => {
                    planned.push((
                        results.len(),
                        getter,
                        crate::chain::client::Call { to, data },
                    ));
                    results.push(None);
                }
                Err(why) => results.push(Some(evaluate(check, Err(&why), role))),
            }
        }
        let calls: Vec<_> = planned.iter().map(|(_, _, call)| call.clone()).collect();
        let reading = chain.read(&calls).await?;
        for ((index, getter, _), outcome) in planned.iter().zip(&reading.outcomes) {
            let read = match outcome {
                Ok(bytes) => getter
                    .decode(bytes)
                    .map(|v| crate::chain::getter::to_json(&v)),
                Err(failure) => Err(format!("{}: {failure}", getter.signature)),
            };
            results[*index] = Some(evaluate(
                &self.checks[*index],
                read.as_ref().map_err(String::as_str),
                role,
            ));
        }
        let results: Vec<CheckResult> = results.into_iter().flatten().collect();
        let lag = crate::chain::live::lag(&reading.block, &target.settings, jiff::Timestamp::now());
        let refused = match lag {
            Some(lag) => Some(lag.to_string()),
            None => chain
                .confirm(&reading.block)
                .await
                .err()
                .map(|e| e.to_string()),
        };
        Ok(self.event(
            format!("live {}", target.endpoint.shown()),
            (
                reading.block.number,
                reading.block.hash_hex(),
                reading.block.time_rfc3339(),
            ),
            results,
            refused,
        ))
    }

    fn event(
        &self,
        source: String,
        (block_number, block_hash, block_time): (u64, String, String),
        results: Vec<CheckResult>,
        refused: Option<String>,
    ) -> Event {
        let passed = refused.is_none()
            && !results.is_empty()
            && results.iter().all(|r| r.outcome == Outcome::Pass);
        Event::ChainChecked(ChainChecked {
            step: self.step.clone(),
            source,
            block_number,
            block_hash,
            block_time,
            results,
            passed,
            refused,
        })
    }
}

/// The snapshot key of a check's read: `Module.getterName` (`JobRegistry.paused`), which is
/// how the catalogue names its parameters and `snapshot state` its status reads.
fn snapshot_key(check: &ChainCheck) -> String {
    let name = check.call.split('(').next().unwrap_or_default();
    format!("{}.{name}", check.contract)
}
