//! The stage every shipped runbook is walked on: a copy of the shipped workspace with a team of
//! four operators (team.rs), a real sandbox (anvil with the mock platform, as `sandbox up`
//! leaves it, loaded from the platform saved once per process: saved_chain.rs), a PATH with the
//! built binary and recording stand-ins for the platform's deploy tools, and a git checkout of
//! a stand-in platform repository. Runs are walked through the library (library_walk.rs).
//! Between routes the chain goes back to the state it had after `sandbox up` (anvil's
//! `evm_snapshot` / `evm_revert`).

use super::cli::{Home, PASSPHRASE, text};
use super::library_walk::{Answer, LibraryWalker};
use super::walk::{Route, Walker, covering_routes};
use owner_console::runbook::Runbook;
use owner_console::sandbox::seed::SeedFrom;
use owner_console::session::Session;
use owner_console::workspace::Workspace;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

pub const INCIDENT: &str = "INC-2026-0142";

pub struct Stage {
    /// Stopped when the stage is dropped, first: its record is in the workspace.
    _sandbox: super::saved_chain::Sandbox,
    pub workspace: tempfile::TempDir,
    pub home: Home,
    pub tools: tempfile::TempDir,
    pub platform: PathBuf,
    pub env: Vec<(String, String)>,
    pub rpc: String,
}

pub fn stage() -> Stage {
    stage_seeded_from(SeedFrom::Snapshot)
}

/// A stage whose sandbox is seeded as `sandbox up --seed <seed>` seeds it.
pub fn stage_seeded_from(seed: SeedFrom) -> Stage {
    let workspace = super::workspace::shipped_workspace();
    let home = Home::empty();
    super::team::list_in(workspace.path(), &home);

    let sandbox = super::saved_chain::sandbox_up(workspace.path(), "demo", seed);

    let tools_dir = tempfile::tempdir().unwrap();
    super::stand_ins::tools(tools_dir.path());
    let platform = super::stand_ins::platform_repo(tools_dir.path());
    let path = format!(
        "{}:{}",
        tools_dir.path().display(),
        std::env::var("PATH").unwrap()
    );
    Stage {
        workspace,
        home,
        tools: tools_dir,
        platform,
        env: vec![
            ("PATH".into(), path),
            ("OWNER_CONSOLE_KEY".into(), "alice".into()),
        ],
        rpc: sandbox.info.url.clone(),
        _sandbox: sandbox,
    }
}

/// How a runbook is walked beyond the usual: runbooks walked first on each route (to pause
/// what an unpause runbook unpauses), input values, answers at given steps.
#[derive(Default)]
pub struct Plan<'a> {
    pub before: &'a [&'a str],
    pub given: Vec<(&'a str, String)>,
    pub answer: Option<Answer<'a>>,
    /// Input values that differ on each route (by the route's index), over `given`.
    pub per_route: Option<&'a dyn Fn(usize) -> Vec<(&'a str, String)>>,
    /// The chain is not set back between routes (a route that restarts the sandbox's node
    /// loses anvil's snapshots).
    pub chain_carries_over: bool,
    /// Every step through the binary (`drill`, `run next`, `run signoff`), not the library.
    pub through_binary: bool,
}

impl Stage {
    pub fn walker(&self) -> Walker<'_> {
        Walker {
            home: &self.home,
            workspace: self.workspace.path(),
            env: self.env.clone(),
            approvers: vec!["bob".into(), "carol".into(), "dave".into()],
            operator: "alice".into(),
            answer: None,
        }
    }

    pub fn book(&self, id: &str) -> Runbook {
        let session =
            Session::open(Workspace::folder(self.workspace.path()), "tester".into()).unwrap();
        (*session.runbook(id).unwrap()).clone()
    }

    pub fn rpc(&self, method: &'static str, params: serde_json::Value) -> serde_json::Value {
        let client = alloy_rpc_client::RpcClient::new_http_with_client(
            owner_console::net::ExtraRoots::default().client().unwrap(),
            self.rpc.parse().unwrap(),
        );
        owner_console::cli::runtime::block_on(client.request(method, params))
            .unwrap()
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// Starts a drill of `id` with `inputs`, walks it down `route` through the library, and
    /// returns the run id.
    pub fn walk(
        &self,
        id: &str,
        inputs: &[(String, String)],
        route: &Route,
        answer: Option<Answer>,
    ) -> String {
        let walker = LibraryWalker::new(self.walker(), answer);
        let run = walker.start_drill(id, "demo", inputs);
        let book = self.book(id);
        let visited = walker.walk(&book, &run, &choices(&book, route));
        assert_went_down(id, &visited, route);
        run
    }

    /// As [`Self::walk`], each step through the binary as an operator types it.
    pub fn walk_through_binary(
        &self,
        id: &str,
        inputs: &[(String, String)],
        route: &Route,
    ) -> String {
        let walker = self.walker();
        let mut args = vec![
            "drill".to_owned(),
            id.to_owned(),
            "--network".into(),
            "demo".into(),
        ];
        for (name, value) in inputs {
            args.extend(["--input".into(), format!("{name}={value}")]);
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let started = walker.cli("alice", &args);
        assert!(started.status.success(), "{id}: {:?}", text(&started));
        let run = super::cli::run_of(&started);
        let book = self.book(id);
        let visited = walker.walk(&book, &run, &choices(&book, route));
        assert_went_down(id, &visited, route);
        run
    }
}

/// The option `route` takes at each decision, the decision's visits counted (a loop comes
/// back to one).
fn choices<'a>(book: &'a Runbook, route: &'a Route) -> impl Fn(&str) -> String + 'a {
    let visits = RefCell::new(BTreeMap::<String, usize>::new());
    move |step| {
        let mut visits = visits.borrow_mut();
        let seen = visits.entry(step.to_owned()).or_default();
        *seen += 1;
        route.choice(book, step, *seen - 1)
    }
}

fn assert_went_down(id: &str, visited: &[String], route: &Route) {
    assert_eq!(
        &visited[..route.steps.len()],
        &route.steps[..],
        "{id}: the walk went down the route"
    );
}

impl Stage {
    /// Takes every route of `id` in turn, each from the chain state `sandbox up` left, and
    /// returns the runs.
    pub fn walk_every_route(&self, id: &str, plan: Plan) -> Vec<String> {
        let book = self.book(id);
        let routes = covering_routes(&book);
        let mut runs = Vec::new();
        for (index, route) in routes.iter().enumerate() {
            let mut given = plan.per_route.map(|per| per(index)).unwrap_or_default();
            given.extend(plan.given.iter().cloned());
            let inputs = self.inputs(id, &given);
            let snapshot = self.rpc("evm_snapshot", serde_json::json!([]));
            for earlier in plan.before {
                let book = self.book(earlier);
                let route = &covering_routes(&book)[0];
                self.walk(earlier, &self.inputs(earlier, &[]), route, None);
            }
            let run = if plan.through_binary {
                assert!(
                    plan.answer.is_none(),
                    "answers are given through the library"
                );
                self.walk_through_binary(id, &inputs, route)
            } else {
                self.walk(id, &inputs, route, plan.answer)
            };
            self.assert_every_batch_has_a_verified_receipt(&run, &book, route);
            runs.push(run);
            if !plan.chain_carries_over {
                let reverted = self.rpc("evm_revert", serde_json::json!([snapshot]));
                assert_eq!(reverted, serde_json::json!(true));
            }
        }
        let verified = self.home.cli_env(
            self.workspace.path(),
            PASSPHRASE,
            &[],
            &["--key", "alice", "ledger", "verify"],
        );
        assert!(verified.status.success(), "{:?}", text(&verified));
        runs
    }

    pub fn entries_of(&self, run: &str) -> Vec<serde_json::Value> {
        let ledger =
            std::fs::read_to_string(self.workspace.path().join("storage/owner-ledger.jsonl"))
                .unwrap();
        ledger
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .filter(|entry| entry["run"] == run)
            .collect()
    }

    /// Receipt steps on a module whose event is not in the change are skipped, as their text
    /// asks; each batch that receipt steps follow on the route must still have one receipt that
    /// passed. Every receipt step on the Safe itself (its `ExecutionSuccess`, its owner events)
    /// must have passed, on a transaction sent to the Safe.
    pub fn assert_every_batch_has_a_verified_receipt(
        &self,
        run: &str,
        book: &Runbook,
        route: &Route,
    ) {
        let is_safe_receipt = |id: &String| {
            matches!(&book.step(id).unwrap().action,
                owner_console::runbook::StepAction::Receipt { contract, .. } if contract == "Safe")
        };
        let kinds: Vec<&str> = route
            .steps
            .iter()
            .map(|id| book.step(id).unwrap().action.kind_name())
            .collect();
        let checked_batches = kinds
            .iter()
            .enumerate()
            .filter(|(at, kind)| {
                **kind == "safe-batch"
                    && kinds[at + 1..]
                        .iter()
                        .take_while(|k| **k != "safe-batch")
                        .any(|k| *k == "receipt")
            })
            .count();
        let entries = self.entries_of(run);
        let receipts: Vec<&serde_json::Value> = entries
            .iter()
            .filter(|e| e["type"] == "receipt-checked")
            .map(|e| &e["body"])
            .collect();
        let passed = receipts.iter().filter(|r| r["passed"] == true).count();
        assert!(
            passed >= checked_batches,
            "run {run}: {checked_batches} batch(es) with receipt steps, {passed} receipt(s) passed"
        );
        let address = |v: &serde_json::Value| v.as_str()?.parse::<alloy_primitives::Address>().ok();
        let safe = address(&self.sandbox_info()["safe"]);
        for step in route.steps.iter().filter(|id| is_safe_receipt(id)) {
            let receipt = receipts
                .iter()
                .find(|r| r["step"] == step.as_str() && r["passed"] == true)
                .unwrap_or_else(|| {
                    panic!("run {run}: the Safe receipt step `{step}` did not pass: {receipts:?}")
                });
            assert_eq!(address(&receipt["to"]), safe, "run {run}: {receipt}");
            assert!(
                receipt["events"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|e| e["found"] == true),
                "run {run}: {receipt}"
            );
        }
        for receipt in &receipts {
            assert_eq!(receipt["succeeded"], true, "run {run}: {receipt}");
        }
        assert_eq!(entries[0]["body"]["mode"], "drill", "run {run} is a drill");
    }

    /// What `sandbox up` recorded: the node, the modules and the Safe.
    pub fn sandbox_info(&self) -> serde_json::Value {
        sandbox_record(self.workspace.path())
    }

    /// Every catalogue value the sandbox holds now, read as a drill reads it.
    pub fn sandbox_values(&self) -> BTreeMap<String, serde_json::Value> {
        let session =
            Session::open(Workspace::folder(self.workspace.path()), "tester".into()).unwrap();
        let target = owner_console::chain::Target::sandbox(&session, "demo").unwrap();
        owner_console::cli::runtime::block_on(owner_console::chain::live::read(&target))
            .unwrap()
            .unwrap()
            .values
    }

    /// Executes `signature` with `args` on `to` through the sandbox Safe's `execTransaction`
    /// (sent from a dev account), as the Safe app's executor does; returns the transaction hash.
    pub fn send_as_safe(&self, to: &str, signature: &str, args: &[&str]) -> String {
        let safe: alloy_primitives::Address = self.sandbox_info()["safe"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let client = alloy_rpc_client::RpcClient::new_http_with_client(
            owner_console::net::ExtraRoots::default().client().unwrap(),
            self.rpc.parse().unwrap(),
        );
        let sender = owner_console::sandbox::deploy::Sender {
            rpc: &client,
            timeout: std::time::Duration::from_secs(10),
        };
        let args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        let call = owner_console::safe::multisend::SafeCall::call(
            to.parse().unwrap(),
            alloy_primitives::U256::ZERO,
            owner_console::sandbox::deploy::calldata(signature, &args).unwrap(),
        );
        let hash = owner_console::cli::runtime::block_on(
            owner_console::sandbox::safe_exec::execute_or_fail(&sender, safe, &call),
        )
        .unwrap()
        .unwrap();
        format!("{hash:#x}")
    }

    /// Edits a workspace config file as the runbook's "edit the config" step asks.
    pub fn rewrite(&self, file: &str, from: &str, to: &str) {
        let path = self.workspace.path().join("config").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{file} has no {from}");
        std::fs::write(path, text.replace(from, to)).unwrap();
    }

    /// A file holding the operators' passphrase (0600), for the console commands a runbook
    /// runs that sign: a command never gets the passphrase from the console.
    pub fn passphrase_file(&self) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = self.tools.path().join("passphrase");
        std::fs::write(&path, PASSPHRASE).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        path.display().to_string()
    }

    pub fn asked(&self) -> String {
        std::fs::read_to_string(self.tools.path().join("asked.log")).unwrap_or_default()
    }

    /// A value for each input `id` declares, from one table of values that fit the sandbox.
    pub fn inputs(&self, id: &str, given: &[(&str, String)]) -> Vec<(String, String)> {
        let book = self.book(id);
        book.inputs
            .iter()
            .filter_map(|input| {
                let name = input.name.as_str();
                if let Some((_, value)) = given.iter().find(|(n, _)| *n == name) {
                    return Some((input.name.clone(), value.clone()));
                }
                let value = match name {
                    "incident_id" => INCIDENT.into(),
                    "reason" => "walk every route".into(),
                    "drill_id" => "DRILL-2026-Q4".into(),
                    "review_id" => "REVIEW-2026-Q4".into(),
                    "ticket" | "change_ticket" => "CHG-2026-0077".into(),
                    "hardhat_network" => "localhost".into(),
                    "health_port" | "gateway_port" | "meta_api_port" | "orchestrator_port"
                    | "paymaster_port" => super::workspace::serve(200, "{}", 1000).to_string(),
                    "retired_signer" => "0xA1A1a1a1A1A1A1A1A1a1a1a1a1a1A1A1a1A1a1a1".into(),
                    "new_signer" => "0xc3c3c3c3c3c3c3c3c3C3C3c3C3C3C3c3C3C3c3c3".into(),
                    "old_owner" => "0xcA20100000000000000000000000000000000003".into(),
                    "new_owner" => "0xd00d000000000000000000000000000000000004".into(),
                    "new_threshold" => "2".into(),
                    "validator" => "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed".into(),
                    "removed_address" => "0xf888888888888888888888888888888888888888".into(),
                    "new_treasury" => "0xf888888888888888888888888888888888888888".into(),
                    "platform_repo" => self.platform.display().to_string(),
                    "deploy_config" => "deployment-config/deployer.config.json".into(),
                    "new_ref" => "v2".into(),
                    "new_burn_pct" => "3".into(),
                    "new_fee_pct" => "5".into(),
                    "kp" => "200000000000000000".into(),
                    "ki" => "50000000000000000".into(),
                    "kd" => "25000000000000000".into(),
                    "previous_ref" => "v1".into(),
                    "service" => "orchestrator".into(),
                    "passphrase_file" => self.passphrase_file(),
                    _ if input.default.is_some() => return None,
                    _ => panic!("{id}: no value for the input `{name}`"),
                };
                Some((input.name.clone(), value))
            })
            .collect()
    }
}

impl Stage {
    /// A completed run of pause job intake, for the runbooks that look back at a run.
    pub fn earlier_run(&self) -> String {
        let book = self.book("pause-job-intake");
        let route = &covering_routes(&book)[0];
        self.walk(
            "pause-job-intake",
            &self.inputs("pause-job-intake", &[]),
            route,
            None,
        )
    }
}

/// The record `sandbox up` keeps of the demo network's sandbox in `workspace`.
pub fn sandbox_record(workspace: &std::path::Path) -> serde_json::Value {
    let path = workspace.join("storage/sandbox/demo.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}
