//! The application's one door into the domain, shared by the CLI and the TUI: load the
//! workspace's runbooks, start and resume runs, and record each transition in the ledger
//! before the run moves.

pub mod drafts;
mod error;
pub mod need;
pub mod run_index;
pub mod run_list;

use crate::engine::Position;
use crate::engine::clock::now;
use crate::engine::run::Recorded;
use crate::engine::{Event, Mode, Run, RunStarted};
use crate::ledger::checkpoint::Checkpoint;
use crate::ledger::run_check::{Unverified, checked_run, trusted_runs};
use crate::ledger::store::{self, Appended, Damage};
use crate::ledger::trust::Trust;
use crate::ledger::{Entry, LedgerError};
use crate::runbook::{self, Level, Loaded, Problem, Runbook, inputs::check_value};
use crate::session::run_index::{IndexFile, IndexedRuns, StartRuns};
use crate::session::run_list::RunLister;
use crate::workspace::Workspace;
use crate::workspace::context::Context;
use alloy_signer_local::PrivateKeySigner;
use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::path::PathBuf;
use std::sync::Arc;

pub use crate::session::run_list::RunSummary;
pub use error::SessionError;
pub use need::Need;

pub struct Session {
    /// The loaded workspace, networks, operators and catalogue that domain calls are handed.
    pub context: Context,
    pub runbooks: Vec<Arc<Runbook>>,
    pub problems: Vec<Problem>,
    /// Some runbooks came from the cache and are not yet checked against their files.
    pub runbooks_from_cache: bool,
    /// The operator's key; entries can be recorded only once it is unlocked.
    key: Option<PrivateKeySigner>,
    /// The operator's name: from `config/operators.toml` once the key is known.
    pub operator: String,
}

/// A session is its context plus the runbooks and the key: `session.workspace`,
/// `session.ledger()` and every domain call taking `&Context` read through it.
impl std::ops::Deref for Session {
    type Target = Context;

    fn deref(&self) -> &Context {
        &self.context
    }
}

impl std::ops::DerefMut for Session {
    fn deref_mut(&mut self) -> &mut Context {
        &mut self.context
    }
}

fn new_run_id() -> String {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%SZ")
        .to_string();
    let random = RandomState::new().hash_one(std::process::id());
    format!("r-{stamp}-{:06x}", random & 0xff_ffff)
}

/// The ledger as the metrics may use it.
pub struct TrustedEntries {
    pub entries: Vec<Entry>,
    pub damage: Vec<Damage>,
    /// Runs with an entry that does not check, left out of `entries`.
    pub left_out: Vec<Unverified>,
}

/// Where an append left a run.
fn recorded(appended: &Appended) -> Option<Recorded> {
    appended.entries.last().map(|last| Recorded {
        seq: last.seq,
        end: appended.end,
    })
}

/// A run's position, in words.
fn where_it_stands(run: &Run) -> String {
    match &run.position {
        Position::At(step) => format!("at step `{step}`"),
        Position::Completed => "completed".to_owned(),
        Position::Aborted(why) => format!("aborted ({why})"),
    }
}

/// The runbooks that loaded and every problem, with ids used twice among the problems.
fn gather(loaded: Vec<Loaded>) -> (Vec<Arc<Runbook>>, Vec<Problem>) {
    let mut runbooks = Vec::new();
    let mut problems = Vec::new();
    for loaded in loaded {
        problems.extend(loaded.problems);
        runbooks.extend(loaded.runbook.map(Arc::new));
    }
    let mut seen = HashMap::new();
    for book in &runbooks {
        if let Some(first) = seen.insert(book.id.clone(), book.path.clone()) {
            problems.push(Problem {
                level: Level::Error,
                file: book.path.clone(),
                line: 1,
                column: 1,
                field: "id".into(),
                message: format!(
                    "runbook id `{}` is also used by {}",
                    book.id,
                    first.display()
                ),
                hint: Some("every runbook id must be unique in a workspace".into()),
            });
        }
    }
    (runbooks, problems)
}

impl Session {
    pub fn open(workspace: Workspace, operator: String) -> Result<Self, SessionError> {
        let loaded = runbook::load::load_texts(&workspace.runbook_files()?);
        Self::with_loaded(workspace, loaded, operator)
    }

    /// [`Self::open`] with only the runbooks `need` asks for: a command about one runbook
    /// parses that one alone (see `need`).
    pub fn open_for(
        workspace: Workspace,
        operator: String,
        need: Need<'_>,
    ) -> Result<Self, SessionError> {
        let loaded = need::load(&workspace, need)?;
        Self::with_loaded(workspace, loaded, operator)
    }

    /// [`Self::open`] through the runbook cache in storage (the console's start-up): check
    /// what it gave with [`Self::reconcile`] before acting on it.
    pub fn open_cached(workspace: Workspace, operator: String) -> Result<Self, SessionError> {
        let files = workspace.runbook_files()?;
        let cached = runbook::cache::load_texts_cached(&files, &workspace.runbook_cache());
        let mut session = Self::with_loaded(workspace, cached.loaded, operator)?;
        session.runbooks_from_cache = cached.from_cache > 0;
        Ok(session)
    }

    fn with_loaded(
        workspace: Workspace,
        loaded: Vec<Loaded>,
        operator: String,
    ) -> Result<Self, SessionError> {
        let (runbooks, problems) = gather(loaded);
        Ok(Self {
            context: Context::load(workspace)?,
            runbooks,
            problems,
            runbooks_from_cache: false,
            key: None,
            operator,
        })
    }

    /// Puts the runbooks loaded afresh from `files` (as `fresh`) in place of what the cache
    /// gave, when they differ; true when they did (the cache is then rewritten).
    pub fn reconcile(&mut self, files: &[(PathBuf, String)], fresh: Vec<Loaded>) -> bool {
        self.runbooks_from_cache = false;
        let cache = self.workspace.runbook_cache();
        let rewritten = |fresh: &[Loaded]| runbook::cache::replace(&cache, files, fresh);
        let (runbooks, problems) = gather(fresh.clone());
        let same = runbooks.len() == self.runbooks.len()
            && runbooks.iter().zip(&self.runbooks).all(|(a, b)| a == b)
            && problems == self.problems;
        if !same {
            rewritten(&fresh);
            self.runbooks = runbooks;
            self.problems = problems;
        }
        !same
    }

    /// Uses `key` to sign what this session records; the operator becomes the name that
    /// `config/operators.toml` gives its address, or `unlisted 0x…`.
    pub fn unlock(&mut self, key: PrivateKeySigner) {
        let address = key.address().to_checksum(None);
        self.operator = match self.operators.by_address(&address) {
            Some(operator) => operator.name.clone(),
            None => format!("unlisted {address}"),
        };
        self.key = Some(key);
    }

    pub fn key(&self) -> Option<&PrivateKeySigner> {
        self.key.as_ref()
    }

    /// Whose entries move runs: the context's trusted signers and the unlocked key.
    pub fn trust(&self) -> Trust {
        let mut trust = self.context.trust();
        trust
            .own_keys
            .extend(self.key.as_ref().map(|k| k.address().to_checksum(None)));
        trust
    }

    pub fn is_unlocked(&self) -> bool {
        self.key.is_some()
    }

    fn signing_key(&self) -> Result<&PrivateKeySigner, SessionError> {
        self.key.as_ref().ok_or(SessionError::Locked)
    }

    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(|p| p.level == Level::Error)
    }

    /// A runbook by id, or by its path in the workspace.
    pub fn runbook(&self, name: &str) -> Result<Arc<Runbook>, SessionError> {
        crate::session::run_list::find_runbook(&self.runbooks, name)
    }

    /// What lists the runs against this session's runbooks (cheap: the runbooks are shared).
    pub fn lister(&self) -> RunLister {
        RunLister::new(self.runbooks.clone())
    }

    /// Checks the inputs, fills in defaults, and records `run-started`.
    pub fn start(
        &self,
        book: &Arc<Runbook>,
        network: &str,
        given: BTreeMap<String, String>,
    ) -> Result<Run, SessionError> {
        self.start_as(book, network, given, self.mode_for(network))
    }

    /// As `start`, for a drill: the run acts on the network's sandbox, and its entries say so.
    pub fn start_drill(
        &self,
        book: &Arc<Runbook>,
        network: &str,
        given: BTreeMap<String, String>,
    ) -> Result<Run, SessionError> {
        crate::sandbox::state::SandboxInfo::running(&self.workspace.storage, network)
            .map_err(|e| SessionError::Config(e.to_string()))?;
        self.start_as(book, network, given, Mode::Drill)
    }

    fn start_as(
        &self,
        book: &Arc<Runbook>,
        network: &str,
        given: BTreeMap<String, String>,
        mode: Mode,
    ) -> Result<Run, SessionError> {
        if !book.networks.iter().any(|n| n == network) {
            return Err(SessionError::WrongNetwork {
                runbook: book.id.clone(),
                network: network.to_owned(),
                valid: book.networks.join(", "),
            });
        }
        if let Some(unknown) = given.keys().find(|name| book.input(name).is_none()) {
            let valid: Vec<_> = book.inputs.iter().map(|i| i.name.as_str()).collect();
            return Err(SessionError::BadInput {
                name: unknown.clone(),
                why: format!(
                    "the runbook declares no such input (valid: {})",
                    valid.join(", ")
                ),
            });
        }
        let mut inputs = BTreeMap::new();
        for spec in &book.inputs {
            let value = given
                .get(&spec.name)
                .cloned()
                .or_else(|| spec.default_for(mode == Mode::Drill).map(str::to_owned));
            match value {
                Some(value) => {
                    check_value(spec, &value).map_err(|why| SessionError::InputValue {
                        name: spec.name.clone(),
                        why,
                    })?;
                    inputs.insert(spec.name.clone(), value);
                }
                None if spec.required => {
                    return Err(SessionError::BadInput {
                        name: spec.name.clone(),
                        why: format!("is required ({})", spec.kind.name()),
                    });
                }
                None => {}
            }
        }
        let started = RunStarted {
            runbook: book.id.clone(),
            version: book.version.clone(),
            path: book.path.display().to_string(),
            sha256: book.sha256.clone(),
            title: book.title.clone(),
            inputs,
            network: network.to_owned(),
            chain_id: self.networks.get(network).map(|n| n.chain_id),
            mode,
            operator: self.operator.clone(),
        };
        let key = self.signing_key()?;
        let id = new_run_id();
        let time = now();
        let executor = key.address().to_checksum(None);
        let mut run = Run::new(
            id.clone(),
            started.clone(),
            time.clone(),
            book.clone(),
            executor,
        );
        let appended =
            self.ledger()
                .append_to_run(&id, None, &time, vec![Event::RunStarted(started)], key)?;
        run.recorded = recorded(&appended);
        run.last_time = time;
        Ok(run)
    }

    /// Appends the events, then applies them: the run moves only once they are on disk. The
    /// ledger is locked before it is read: if an entry of the run was recorded since the run
    /// was read (another console, a second `run next`), nothing is recorded and the error
    /// says where the run now stands.
    pub fn record(&self, run: &mut Run, events: Vec<Event>) -> Result<(), SessionError> {
        if events.is_empty() {
            return Ok(());
        }
        let key = self.signing_key()?;
        let appended = match self
            .ledger()
            .append_to_run(&run.id, run.recorded, &now(), events, key)
        {
            Err(LedgerError::RunMoved { run: id, .. }) => {
                let now = match self.open_run(&id) {
                    Ok(moved) => where_it_stands(&moved),
                    Err(why) => format!("unreadable ({why})"),
                };
                return Err(SessionError::RunMoved { run: id, now });
            }
            other => other?,
        };
        for entry in &appended.entries {
            tracing::info!(run = %run.id, seq = entry.seq, kind = entry.event.type_name(), "recorded");
            run.apply(&entry.event, &entry.time)?;
        }
        run.recorded = recorded(&appended);
        Ok(())
    }

    /// Every run in the ledger, unfinished first, newest first within each group; and the
    /// journal's damaged lines. Replays the whole ledger (see `runs_indexed` for the cached way).
    pub fn runs(&self) -> Result<(Vec<RunSummary>, Vec<Damage>), SessionError> {
        let contents = self.ledger().read()?;
        Ok((self.lister().list(contents.entries), contents.damage))
    }

    /// The run list by way of the run index beside the ledger: only entries appended since the
    /// index was written are replayed; a missing, stale or damaged index is rebuilt from a full
    /// replay. The index is rewritten whenever it changed.
    pub fn runs_indexed(&self) -> Result<IndexedRuns, SessionError> {
        Ok(crate::session::run_index::runs(
            &self.ledger(),
            &self.lister(),
        )?)
    }

    /// [`Self::runs_indexed`] with the index file already read and the closed runs left
    /// unread, for the console's start screen.
    pub fn runs_for_start(&self, index_file: IndexFile) -> Result<StartRuns, SessionError> {
        Ok(crate::session::run_index::runs_for_start(
            &self.ledger(),
            &self.lister(),
            index_file,
        )?)
    }

    /// Rebuilds a run from the journal, exactly as it stood, once each of its entries checks
    /// (see [`crate::ledger::run_check`]).
    pub fn open_run(&self, id: &str) -> Result<Run, SessionError> {
        let (entries, end) = self.checked_entries(id)?;
        let Some(last) = entries.last() else {
            return Err(SessionError::UnknownRun(id.to_owned()));
        };
        let seq = last.seq;
        let mut run = self.lister().replay(id, &entries)?;
        run.recorded = Some(Recorded { seq, end });
        Ok(run)
    }

    /// The entries of one run, in order, each checked.
    pub fn run_entries(&self, id: &str) -> Result<Vec<Entry>, SessionError> {
        Ok(self.checked_entries(id)?.0)
    }

    /// The entries of every run whose entries all check (what the metrics are made of), the
    /// ledger's damaged lines, and each run left out with why.
    pub fn trusted_entries(&self) -> Result<TrustedEntries, SessionError> {
        let ledger = self.ledger();
        let checkpoint = Checkpoint::read(&ledger.checkpoint_path()).ok().flatten();
        let bytes = ledger.read_bytes()?;
        let contents = store::parse(&bytes);
        let damage = contents.damage.clone();
        let (entries, left_out) =
            trusted_runs(&bytes, contents, &self.trust(), checkpoint.as_ref());
        Ok(TrustedEntries {
            entries,
            damage,
            left_out,
        })
    }

    /// The run's checked entries, and the length of the ledger's whole lines they were read
    /// from. The checkpoint is read before the ledger: it is written after the entries it
    /// counts, so it never counts more than the ledger read after it holds.
    fn checked_entries(&self, id: &str) -> Result<(Vec<Entry>, u64), SessionError> {
        let ledger = self.ledger();
        let checkpoint = Checkpoint::read(&ledger.checkpoint_path()).ok().flatten();
        let bytes = ledger.read_bytes()?;
        let end = bytes
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(0, |at| at as u64 + 1);
        let contents = store::parse(&bytes);
        let entries = checked_run(&bytes, contents, id, &self.trust(), checkpoint.as_ref())?;
        Ok((entries, end))
    }
}
