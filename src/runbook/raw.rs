//! The runbook file as written: every field optional where a kind may omit it, so that loading
//! can report every problem at once instead of stopping at the first.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(title = "owner-console runbook", deny_unknown_fields)]
pub struct RawRunbook {
    /// Stable identifier, lowercase letters, digits and dashes, e.g. `pause-job-intake`.
    #[schemars(required)]
    pub id: Option<String>,
    #[schemars(required)]
    pub title: Option<String>,
    /// One of `update`, `emergency`, `restore`, `drill`; must match the folder it sits in.
    #[schemars(required)]
    pub kind: Option<String>,
    /// One of `low`, `medium`, `high`, `critical`.
    pub severity: Option<String>,
    /// Version of this runbook, e.g. `1.2.0`.
    pub version: Option<String>,
    /// A plain-language change brief that a non-technical owner can read.
    pub summary: Option<String>,
    /// Network profiles (from `config/networks.toml`) this runbook may run on.
    #[serde(default)]
    pub networks: Vec<String>,
    /// Roles the operator of a run must hold, e.g. `operator`, `pauser`.
    #[serde(default)]
    pub roles: Vec<String>,
    /// How often the runbook is due: `weekly`, `monthly`, `quarterly`, `half-yearly` or
    /// `yearly`; `report` flags it overdue when no run completed within that time.
    pub cadence: Option<String>,
    /// Other runbooks whose completed drill runs also count for this runbook's cadence, e.g.
    /// a quarterly incident drill met by a drill of the failure-recovery matrix.
    pub cadence_met_by: Option<Vec<String>>,
    #[serde(default)]
    pub inputs: Vec<RawInput>,
    #[serde(default)]
    pub steps: Vec<RawStep>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawInput {
    pub name: Option<String>,
    /// One of `address`, `uint`, `bytes32`, `string`, `enum`, `file`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub description: Option<String>,
    /// Defaults to true.
    pub required: Option<bool>,
    pub default: Option<String>,
    /// The value in a drill (against the network's sandbox) when none is given, in place of
    /// `default`: e.g. a Hardhat network `localhost` where a real run says `mainnet`.
    pub drill_default: Option<String>,
    /// The allowed values of an `enum` input.
    pub options: Option<Vec<String>>,
}

/// One step. `kind` decides which of the optional fields apply; loading rejects the others.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawStep {
    #[schemars(required)]
    pub id: Option<String>,
    #[schemars(required)]
    pub title: Option<String>,
    pub body: Option<String>,
    /// One of `checklist`, `command`, `decision`, `note`, `evidence`, `http-check`, `diff`,
    /// `chain-check`, `safe-batch`, `simulate`, `receipt`, `signoff`, `chaos`.
    #[schemars(required)]
    pub kind: Option<String>,
    /// Step to go to after this one (or `end`); defaults to the next step in the file.
    pub next: Option<String>,
    /// A word the operator must type before this step's irreversible action.
    pub confirm: Option<String>,
    /// Whether the operator may skip this step with a reason; defaults to true.
    pub skippable: Option<bool>,

    /// checklist: the items to tick off.
    pub items: Option<Vec<String>>,

    /// command: the shell snippet, with `{{input}}` placeholders (shell-quoted when filled in).
    pub command: Option<String>,
    /// command: `never` (default: shown only) or `confirm` (run after an explicit confirmation).
    pub run: Option<String>,
    /// command / http-check: time limit in seconds.
    pub timeout_secs: Option<u64>,
    /// command: the exit status that lets the run move on; defaults to 0.
    pub expect_exit: Option<i32>,
    /// command: names of the operator's environment variables the command may see, beyond
    /// PATH, HOME, LANG, LANGUAGE, LC_*, TERM, TZ, USER, LOGNAME, SHELL, TMPDIR, the XDG folders
    /// and OWNER_CONSOLE_KEY; `{{rpc_env}}` is the run's network's RPC URL variable. Never
    /// `OWNER_CONSOLE_PASSPHRASE`.
    pub env: Option<Vec<String>>,

    /// decision: the question asked.
    pub question: Option<String>,
    /// decision: the options, each leading to a step.
    pub options: Option<Vec<RawOption>>,

    /// note: what to write.
    pub prompt: Option<String>,
    /// note: whether an empty note blocks the step; defaults to true.
    pub required: Option<bool>,

    /// evidence: what to attach, one description a file.
    pub files: Option<Vec<String>>,
    /// evidence: how many files at least; defaults to 1.
    pub min_files: Option<u32>,

    /// http-check: the URL to GET, with `{{input}}` placeholders.
    pub url: Option<String>,
    /// http-check: the expected HTTP status; defaults to 200.
    pub expect_status: Option<u16>,
    /// http-check: a JSON pointer into the response body, e.g. `/status`.
    pub json_pointer: Option<String>,
    /// http-check: the value expected at `json_pointer`, compared as text.
    pub json_equals: Option<String>,

    /// diff: the parameter domains to compare; all when omitted.
    pub domains: Option<Vec<String>>,
    /// diff: whether a guardrail violation blocks the step; defaults to true.
    pub block_on_violation: Option<bool>,
    /// diff: pass only when the diff is empty — config and chain agree (the check after an
    /// execution); defaults to false.
    pub expect_agreement: Option<bool>,
    /// diff / safe-batch: a saved config snapshot folder to propose instead of the workspace's
    /// config (a rollback), e.g. `{{snapshot_dir}}`; its hashes are checked first.
    pub proposed: Option<String>,

    /// chain-check: reads and their expectations.
    pub checks: Option<Vec<RawCheck>>,

    /// safe-batch: `diff` (derive calls from the diff) or `calls` (the calls listed here).
    pub source: Option<String>,
    /// safe-batch: explicit calls.
    pub calls: Option<Vec<RawCall>>,
    /// safe-batch from the diff: write the batch although proposed values were not compared
    /// with the current state (the batch sets none of them); defaults to false.
    pub allow_incomplete: Option<bool>,

    /// receipt: the contract the transaction must target.
    pub contract: Option<String>,
    /// receipt: event signatures the receipt must contain, e.g. `Paused(address)`.
    pub events: Option<Vec<String>>,

    /// signoff: distinct signers needed.
    pub quorum: Option<u32>,
    /// signoff: the roles whose signatures count.
    pub signer_roles: Option<Vec<String>>,
    /// signoff: whether the run's executor is excluded from the quorum; defaults to true.
    pub exclude_executor: Option<bool>,
    /// signoff: whether each signer must supply their own diff fingerprint.
    pub require_fingerprint: Option<bool>,
    /// signoff: whether sign-offs count only once a passing simulation of the run's batch is
    /// recorded (the runbook needs a `simulate` step).
    pub require_simulation: Option<bool>,

    /// chaos: the fault injected into a drill's sandbox: `stop-node`, `restart-node` or
    /// `revert-last-change`.
    pub fault: Option<String>,
}

/// The names of the fields of `step` that are given, out of `fields`.
macro_rules! given_fields {
    ($step:ident: $($field:ident),* $(,)?) => {
        [$((stringify!($field), $step.$field.is_some())),*]
            .into_iter()
            .filter_map(|(name, given)| given.then_some(name))
            .collect()
    };
}

impl RawStep {
    /// The names of the fields this step gives, in the struct's order.
    pub fn given_fields(&self) -> Vec<&'static str> {
        given_fields!(self: id, title, body, kind, next, confirm, skippable, items, command, run,
            timeout_secs, expect_exit, env, question, options, prompt, required, files, min_files, url,
            expect_status, json_pointer, json_equals, domains, block_on_violation,
            expect_agreement, proposed, checks, source, calls, allow_incomplete, contract, events, quorum,
            signer_roles, exclude_executor, require_fingerprint, require_simulation, fault)
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawOption {
    pub label: Option<String>,
    pub goto: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawCheck {
    /// Module name from the catalogue, e.g. `JobRegistry`.
    pub contract: Option<String>,
    /// Getter as a Solidity signature with its return type, e.g. `paused()(bool)`.
    pub call: Option<String>,
    /// One of `==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `role`.
    pub op: Option<String>,
    pub value: Option<String>,
    /// For `in`: the allowed values.
    pub values: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawCall {
    pub contract: Option<String>,
    /// Solidity signature of the method, e.g. `setSigner(address,bool)`.
    pub method: Option<String>,
    #[serde(default)]
    pub args: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::RawStep;

    #[test]
    fn given_fields_names_every_field_of_a_step() {
        let schema = serde_json::to_value(schemars::schema_for!(RawStep)).expect("schema");
        let mut in_schema: Vec<&str> = schema["properties"]
            .as_object()
            .expect("properties")
            .keys()
            .map(String::as_str)
            .collect();
        let every: RawStep = toml::from_str(EVERY_FIELD).expect("every field parses");
        let mut given = every.given_fields();
        in_schema.sort_unstable();
        given.sort_unstable();
        assert_eq!(given, in_schema);
        assert!(RawStep::default().given_fields().is_empty());
    }

    const EVERY_FIELD: &str = r#"
        id = "a"
        title = "a"
        body = "a"
        kind = "a"
        next = "a"
        confirm = "a"
        skippable = true
        items = []
        command = "a"
        run = "a"
        timeout_secs = 1
        expect_exit = 0
        env = []
        question = "a"
        options = []
        prompt = "a"
        required = true
        files = []
        min_files = 1
        url = "a"
        expect_status = 200
        json_pointer = "a"
        json_equals = "a"
        domains = []
        block_on_violation = true
        expect_agreement = true
        proposed = "a"
        allow_incomplete = true
        checks = []
        source = "a"
        calls = []
        contract = "a"
        events = []
        quorum = 1
        signer_roles = []
        exclude_executor = true
        require_fingerprint = true
        require_simulation = true
        fault = "a"
    "#;
}
