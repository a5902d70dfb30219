//! The validated runbook: what the engine and the views work from.

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum RunbookKind {
    Emergency,
    Update,
    Restore,
    Drill,
}

impl RunbookKind {
    pub const ALL: [RunbookKind; 4] = [Self::Emergency, Self::Update, Self::Restore, Self::Drill];

    pub fn name(self) -> &'static str {
        match self {
            Self::Emergency => "emergency",
            Self::Update => "update",
            Self::Restore => "restore",
            Self::Drill => "drill",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == text)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Self::Low, Self::Medium, Self::High, Self::Critical];

    pub fn name(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == text)
    }
}

/// How often a runbook is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cadence {
    Weekly,
    Monthly,
    Quarterly,
    HalfYearly,
    Yearly,
}

impl Cadence {
    pub const ALL: [Cadence; 5] = [
        Self::Weekly,
        Self::Monthly,
        Self::Quarterly,
        Self::HalfYearly,
        Self::Yearly,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Quarterly => "quarterly",
            Self::HalfYearly => "half-yearly",
            Self::Yearly => "yearly",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == text)
    }

    /// The longest such period on the calendar, so that a run held on the same date each
    /// period is never counted late.
    pub fn days(self) -> u32 {
        match self {
            Self::Weekly => 7,
            Self::Monthly => 31,
            Self::Quarterly => 92,
            Self::HalfYearly => 184,
            Self::Yearly => 366,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputType {
    Address,
    Uint,
    Bytes32,
    String,
    Enum,
    File,
}

impl InputType {
    pub const ALL: [InputType; 6] = [
        Self::Address,
        Self::Uint,
        Self::Bytes32,
        Self::String,
        Self::Enum,
        Self::File,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Address => "address",
            Self::Uint => "uint",
            Self::Bytes32 => "bytes32",
            Self::String => "string",
            Self::Enum => "enum",
            Self::File => "file",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == text)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputSpec {
    pub name: String,
    pub kind: InputType,
    pub description: String,
    pub required: bool,
    pub default: Option<String>,
    /// In a drill, the value when none is given, in place of `default`.
    #[serde(default)]
    pub drill_default: Option<String>,
    pub options: Vec<String>,
}

impl InputSpec {
    /// The value the input takes when none is given: in a drill its `drill_default` first.
    pub fn default_for(&self, drill: bool) -> Option<&str> {
        let drill_default = self.drill_default.as_deref().filter(|_| drill);
        drill_default.or(self.default.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Runbook {
    pub id: String,
    pub title: String,
    pub kind: RunbookKind,
    pub severity: Severity,
    pub version: String,
    pub summary: String,
    pub networks: Vec<String>,
    pub roles: Vec<String>,
    pub cadence: Option<Cadence>,
    /// Runbooks whose completed drill runs also count for `cadence`.
    #[serde(default)]
    pub cadence_met_by: Vec<String>,
    pub inputs: Vec<InputSpec>,
    pub steps: Vec<Step>,
    /// Where the runbook was read from, relative to the workspace.
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

/// Text as written in a TOML multi-line string, reflowed: single line breaks join words,
/// blank lines separate paragraphs, and lines starting with `-` or `*` stay list items.
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut open = false;
    for line in text.trim().lines().map(str::trim) {
        if line.is_empty() {
            open = false;
            continue;
        }
        let item = line.starts_with("- ") || line.starts_with("* ");
        match out.last_mut() {
            Some(last) if open && !item => {
                last.push(' ');
                last.push_str(line);
            }
            _ => out.push(line.to_owned()),
        }
        open = true;
    }
    out
}

impl Runbook {
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|step| step.id == id)
    }

    pub fn step_index(&self, id: &str) -> Option<usize> {
        self.steps.iter().position(|step| step.id == id)
    }

    pub fn first_step(&self) -> Option<&Step> {
        self.steps.first()
    }

    pub fn input(&self, name: &str) -> Option<&InputSpec> {
        self.inputs.iter().find(|input| input.name == name)
    }
}

/// Where a step leads once it is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Next {
    Step(String),
    End,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Step {
    pub id: String,
    pub title: String,
    pub body: String,
    pub next: Next,
    pub confirm: Option<String>,
    pub skippable: bool,
    pub action: StepAction,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommandRun {
    Never,
    Confirm,
}

impl CommandRun {
    /// How the console treats the command, in words.
    pub fn words(self) -> &'static str {
        match self {
            Self::Never => "shown only: copy it and run it yourself",
            Self::Confirm => "the console runs it after you confirm (`run next RUN --execute`)",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DecisionOption {
    pub label: String,
    pub goto: String,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ChainCheck {
    pub contract: String,
    pub call: String,
    pub op: String,
    pub value: Option<String>,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ContractCall {
    pub contract: String,
    pub method: String,
    pub args: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StepAction {
    Checklist {
        items: Vec<String>,
    },
    Command {
        command: String,
        run: CommandRun,
        timeout_secs: u64,
        expect_exit: i32,
        /// The operator's environment variables the command may see beyond the few every
        /// command gets (see `steps::command_env`).
        #[serde(default)]
        env: Vec<String>,
    },
    Decision {
        question: String,
        options: Vec<DecisionOption>,
    },
    Note {
        prompt: String,
        required: bool,
    },
    Evidence {
        files: Vec<String>,
        min_files: u32,
    },
    HttpCheck {
        url: String,
        timeout_secs: u64,
        expect_status: u16,
        json_pointer: Option<String>,
        json_equals: Option<String>,
    },
    Diff {
        domains: Vec<String>,
        block_on_violation: bool,
        /// The step passes only when no change is left: config and chain agree (after an
        /// execution).
        expect_agreement: bool,
        proposed: Option<String>,
    },
    ChainCheck {
        checks: Vec<ChainCheck>,
    },
    SafeBatch {
        source: String,
        calls: Vec<ContractCall>,
        proposed: Option<String>,
        /// A batch from the diff is written although values were not compared.
        allow_incomplete: bool,
    },
    /// The run's prepared batch dry-run on a fork of the network (or a report made on a
    /// connected machine imported); passes when the batch executes and nothing remains.
    Simulate,
    Receipt {
        contract: String,
        events: Vec<String>,
    },
    Signoff {
        quorum: u32,
        signer_roles: Vec<String>,
        exclude_executor: bool,
        require_fingerprint: bool,
        /// Sign-offs count only once a passing simulation of the run's batch is recorded.
        require_simulation: bool,
    },
    /// A fault injected into the sandbox for real; only a drill runs it.
    Chaos {
        fault: super::chaos::Fault,
    },
}

impl StepAction {
    pub fn kind_name(&self) -> &'static str {
        match self {
            Self::Checklist { .. } => "checklist",
            Self::Command { .. } => "command",
            Self::Decision { .. } => "decision",
            Self::Note { .. } => "note",
            Self::Evidence { .. } => "evidence",
            Self::HttpCheck { .. } => "http-check",
            Self::Diff { .. } => "diff",
            Self::ChainCheck { .. } => "chain-check",
            Self::SafeBatch { .. } => "safe-batch",
            Self::Simulate => "simulate",
            Self::Receipt { .. } => "receipt",
            Self::Signoff { .. } => "signoff",
            Self::Chaos { .. } => "chaos",
        }
    }
}
