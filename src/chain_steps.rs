//! The chain-check and receipt steps: prepared from the run (which reads, which receipt),
//! carried out against the live chain or, offline, the network's checked snapshot and a
//! receipt file, and turned into the event to record. Nothing is recorded as verified on a
//! lagging node, a reorganised block, a stale unacknowledged snapshot or a failed read.

use crate::chain::Target;
use crate::chain::expect::{CheckResult, Outcome, evaluate};
use crate::chain::getter::Getter;
use crate::chain::receipt::{Receipt, verify};
use crate::engine::event::{ChainChecked, ReceiptChecked};
use crate::engine::{Event, Mode, Run};
use crate::runbook::{ChainCheck, StepAction};
use crate::session::Session;
use alloy_primitives::{Address, B256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod drill_execution;
use drill_execution::SentBatch;

enum Source {
    Live(Box<Target>),
    Snapshot(Box<crate::offline_state::CheckedSnapshot>),
}

pub struct PreparedChainCheck {
    step: String,
    checks: Vec<ChainCheck>,
    source: Source,
    /// Role names (`safe`, catalogue ids) → addresses, for `op = "role"`.
    roles: BTreeMap<String, String>,
    acknowledged: bool,
}

fn source_for(session: &Session, run: &Run) -> Result<Source, String> {
    let network = &run.started.network;
    match run.started.mode {
        Mode::Drill => Ok(Source::Live(Box::new(Target::sandbox(session, network)?))),
        Mode::Live if session.mode_for(network) == Mode::Live => {
            Ok(Source::Live(Box::new(Target::of(session, network)?)))
        }
        Mode::Live => Err(format!(
            "this live run reads the chain, but this session is offline or has no RPC URL for `{network}`"
        )),
        Mode::Offline => crate::offline_state::of_network(session, network)
            .map(|checked| Source::Snapshot(Box::new(checked))),
    }
}

const OWNER_ROLE: &str = "OwnerControl.owner";

fn roles(session: &Session, run: &Run) -> BTreeMap<String, String> {
    let network = &run.started.network;
    let mut roles = BTreeMap::new();
    let placement = crate::changes::catalogue(session).and_then(|catalogue| {
        crate::chain::addresses::placement(session, &catalogue, network, run.started.mode)
    });
    let safe = placement.ok().and_then(|p| p.safe);
    if let Ok(catalogue) = crate::changes::catalogue(session) {
        let proposed = crate::changes::proposed(session, &catalogue, network);
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

pub fn prepare_chain_check(session: &Session, run: &Run) -> Result<PreparedChainCheck, String> {
    let step = run.current_step().ok_or("the run is over")?;
    let StepAction::ChainCheck { checks } = &step.action else {
        return Err(format!("step `{}` is not a chain-check step", step.id));
    };
    let values = run.template_values();
    let fill = |text: &str| {
        crate::runbook::template::render_plain(text, &values).map_err(|e| e.to_string())
    };
    let checks = checks
        .iter()
        .map(|check| {
            Ok(ChainCheck {
                value: check.value.as_deref().map(fill).transpose()?,
                values: check
                    .values
                    .iter()
                    .map(|v| fill(v))
                    .collect::<Result<_, String>>()?,
                ..check.clone()
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let source = source_for(session, run)?;
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
        roles: roles(session, run),
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

    pub async fn execute(self) -> Result<Event, String> {
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
    ) -> Result<Event, String> {
        let chain = target.connect().map_err(|e| e.to_string())?;
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
        let reading = chain.read(&calls).await.map_err(|e| e.to_string())?;
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

/// Where a receipt comes from: the live node (by transaction hash) or a file.
pub enum ReceiptFrom {
    Hash(String),
    File(PathBuf),
    /// A drill: the run's last prepared batch, executed now in the sandbox through the Safe.
    DrillExecution,
}

pub struct PreparedReceipt {
    step: String,
    module: (String, Address),
    safe: Option<Address>,
    events: Vec<String>,
    from: ReceiptFrom,
    target: Option<Box<Target>>,
    /// For a drill: the batch file to execute in the sandbox first.
    batch: Option<PathBuf>,
    /// For a drill whose batch already ran: the transactions it sent.
    executed: Vec<String>,
    network: String,
    storage: PathBuf,
    evidence: PathBuf,
}

pub fn prepare_receipt(
    session: &Session,
    run: &Run,
    from: ReceiptFrom,
) -> Result<PreparedReceipt, String> {
    let step = run.current_step().ok_or("the run is over")?;
    let StepAction::Receipt { contract, events } = &step.action else {
        return Err(format!("step `{}` is not a receipt step", step.id));
    };
    let network = &run.started.network;
    let catalogue = crate::changes::catalogue(session)?;
    let placement =
        crate::chain::addresses::placement(session, &catalogue, network, run.started.mode)?;
    let modules = &placement.modules;
    let address = match (contract.as_str(), placement.safe) {
        ("Safe", Some(safe)) => safe,
        _ => *modules
            .get(contract)
            .ok_or_else(|| format!("no address for module {contract} on network `{network}`"))?,
    };
    let target = match &from {
        ReceiptFrom::Hash(_) | ReceiptFrom::DrillExecution => Some(Box::new(Target::for_mode(
            session,
            network,
            run.started.mode,
        )?)),
        ReceiptFrom::File(_) => None,
    };
    let batch = match &from {
        ReceiptFrom::DrillExecution if run.started.mode != Mode::Drill => {
            return Err(
                "only a drill executes its batch itself; give --tx HASH or --receipt FILE".into(),
            );
        }
        ReceiptFrom::DrillExecution => {
            let prepared = run.last_batch.as_ref().ok_or(
                "the run has prepared no Safe batch yet: nothing to execute in the sandbox",
            )?;
            Some(session.workspace.storage.join(&prepared.file))
        }
        _ => None,
    };
    let executed = match from {
        ReceiptFrom::DrillExecution => run.executed_batch.clone(),
        _ => Vec::new(),
    };
    Ok(PreparedReceipt {
        step: step.id.clone(),
        module: (contract.clone(), address),
        safe: placement.safe,
        events: events.clone(),
        from,
        target,
        batch,
        executed,
        network: network.clone(),
        storage: session.workspace.storage.clone(),
        evidence: session.evidence().path_of(""),
    })
}

impl PreparedReceipt {
    pub async fn execute(self) -> Result<Event, String> {
        if let (Some(batch), Some(target)) = (&self.batch, &self.target) {
            let sent = match self.executed.is_empty() {
                true => self.send_batch(batch, target).await?,
                false => SentBatch {
                    hashes: self.executed.clone(),
                    before: None,
                    failure: None,
                },
            };
            return self.check_sent(batch, sent).await;
        }
        self.check(&self.from).await
    }

    /// Fetches (or reads) the receipt `from` names, checks it and archives it.
    async fn check(&self, from: &ReceiptFrom) -> Result<Event, String> {
        let (text, source, confirmations, required) = match (from, &self.target) {
            (ReceiptFrom::Hash(hash), Some(target)) => {
                let hash: B256 = hash.trim().parse().map_err(|_| {
                    format!("`{hash}` is not a transaction hash (0x and 64 hex digits)")
                })?;
                let chain = target.connect().map_err(|e| e.to_string())?;
                let (receipt, latest) = chain.receipt(hash).await.map_err(|e| e.to_string())?;
                let receipt = receipt.ok_or_else(|| {
                    format!("{hash:#x} has no receipt yet: not mined (or not on this chain); check again later")
                })?;
                let answered = receipt
                    .get("transactionHash")
                    .and_then(|h| h.as_str())
                    .and_then(|h| h.parse::<B256>().ok());
                if answered != Some(hash) {
                    return Err(format!(
                        "asked for the receipt of {hash:#x}, the node answered with {}: a node that swaps receipts is not trusted; nothing recorded",
                        answered.map_or("no transaction hash".to_owned(), |h| format!(
                            "that of {h:#x}"
                        ))
                    ));
                }
                let number = receipt
                    .get("blockNumber")
                    .and_then(|n| n.as_str())
                    .and_then(|n| u64::from_str_radix(n.trim_start_matches("0x"), 16).ok())
                    .unwrap_or(u64::MAX);
                let confirmations = latest.saturating_add(1).saturating_sub(number);
                let text = serde_json::to_string_pretty(&receipt).map_err(|e| e.to_string())?;
                (
                    text,
                    format!("live {}", target.endpoint.shown()),
                    Some(confirmations),
                    target.settings.confirmations,
                )
            }
            (ReceiptFrom::File(path), _) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                (text, format!("file {}", path.display()), None, 0)
            }
            (ReceiptFrom::Hash(_) | ReceiptFrom::DrillExecution, _) => {
                return Err("no node to ask for the receipt".into());
            }
        };
        let name = match from {
            ReceiptFrom::File(path) => path.display().to_string(),
            ReceiptFrom::Hash(hash) => hash.clone(),
            ReceiptFrom::DrillExecution => "the drill's execution".to_owned(),
        };
        let receipt = Receipt::parse(&name, &text)?;
        let module = (self.module.0.as_str(), self.module.1);
        let mut verdict = verify(&receipt, module, self.safe, &self.events);
        if let Some(have) = confirmations.filter(|have| *have < required) {
            verdict.problems.push(format!(
                "{have} of {required} confirmation(s): check again once more blocks are on top"
            ));
        }
        let (file, sha256) = self.archive(&verdict.tx_hash, text.as_bytes())?;
        Ok(Event::ReceiptChecked(ReceiptChecked {
            step: self.step.clone(),
            source,
            passed: verdict.passed(),
            tx_hash: verdict.tx_hash,
            block_number: verdict.block_number,
            block_hash: verdict.block_hash,
            succeeded: verdict.succeeded,
            to: verdict.to,
            events: verdict.events,
            confirmations,
            problems: verdict.problems,
            file,
            sha256,
            executed: Vec::new(),
            before_execution: None,
        }))
    }

    /// `storage/receipts/<network>/<tx-hash>.json`, fsync'd, and the same bytes in the
    /// evidence store.
    fn archive(&self, tx_hash: &str, bytes: &[u8]) -> Result<(String, String), String> {
        let relative = format!("receipts/{}/{tx_hash}.json", self.network);
        let path = self.storage.join(&relative);
        let io = |e: std::io::Error| format!("{}: {e}", path.display());
        std::fs::create_dir_all(path.parent().unwrap_or(Path::new("."))).map_err(io)?;
        let mut file = std::fs::File::create(&path).map_err(io)?;
        std::io::Write::write_all(&mut file, bytes).map_err(io)?;
        file.sync_all().map_err(io)?;
        let sha256 = crate::engine::evidence::EvidenceStore::new(self.evidence.clone())
            .put_bytes(bytes)
            .map_err(|e| format!("cannot store the receipt as evidence: {e}"))?;
        Ok((relative, sha256))
    }
}
