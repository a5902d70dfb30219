//! The mock platform deployed once per test process. The first node that needs it (for a chain
//! id, a seed, the workspace's catalogue and contracts, and its Safe's owners and threshold)
//! deploys and seeds it through the
//! library's `deploy_platform`, as `sandbox up` does, and keeps anvil's whole state
//! (`anvil_dumpState`); every later node with the same needs starts empty and loads that state
//! (`anvil_loadState`, as a chaos step's `restart-node` does): the same contracts at the same
//! addresses, in a fraction of the time a deployment takes. `sandbox up` itself still deploys
//! where a test is about it (drill.rs, pty_drill.rs).

use owner_console::catalogue::Catalogue;
use owner_console::sandbox::deploy::{Deployment, Sender, deploy_platform};
use owner_console::sandbox::node::{Node, start_detached};
use owner_console::sandbox::real_safe::{SafeContracts, SafeSetup};
use owner_console::sandbox::seed::{Seed, SeedFrom, seed};
use owner_console::sandbox::state::SandboxInfo;
use owner_console::workspace::Workspace;
use owner_console::workspace::context::Context;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

/// A deployed and seeded platform: anvil's state and where everything is in it.
pub struct Saved {
    /// What `anvil_dumpState` gave.
    state: String,
    pub deployment: Deployment,
}

type Cell = Arc<OnceLock<Arc<Saved>>>;

/// The platforms deployed so far in this process, by what they were deployed from.
static SAVED: Mutex<BTreeMap<String, Cell>> = Mutex::new(BTreeMap::new());

/// Everything a deployment depends on: the chain id, the seed, the catalogue, the contracts
/// and the Safe's owners and threshold.
fn key_of(workspace: &Path, values: &Seed, chain_id: u64, setup: &SafeSetup) -> String {
    let mut hash = Sha256::new();
    hash.update(chain_id.to_be_bytes());
    for owner in &setup.owners {
        hash.update(owner.as_slice());
    }
    hash.update(setup.threshold.to_be_bytes());
    hash.update(serde_json::to_vec(values).unwrap());
    hash.update(std::fs::read(workspace.join("config/catalogue.toml")).unwrap());
    let build = workspace.join("assets/contracts/build");
    let mut artifacts: Vec<_> = std::fs::read_dir(&build)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    artifacts.sort();
    for path in artifacts {
        hash.update(path.file_name().unwrap().as_encoded_bytes());
        hash.update(std::fs::read(&path).unwrap());
    }
    hex::encode(hash.finalize())
}

/// The platform of `workspace` seeded with `values` on chain `chain_id`: deployed on a node of
/// its own the first time it is asked for, and saved.
pub fn saved(workspace: &Path, values: &Seed, chain_id: u64) -> Arc<Saved> {
    let setup = safe_setup(workspace, chain_id);
    let key = key_of(workspace, values, chain_id, &setup);
    let cell = SAVED.lock().unwrap().entry(key).or_default().clone();
    cell.get_or_init(|| Arc::new(deploy_and_save(workspace, values, chain_id, &setup)))
        .clone()
}

/// The Safe `sandbox up` gives the workspace's network of chain `chain_id` (the demo network's
/// for a chain no profile names: a node on another chain than its profile's).
fn safe_setup(workspace: &Path, chain_id: u64) -> SafeSetup {
    let ctx = Context::load(Workspace::folder(workspace)).unwrap();
    let profile = ctx
        .networks
        .networks
        .values()
        .find(|network| network.chain_id == chain_id)
        .or_else(|| ctx.networks.get("demo"))
        .unwrap_or_else(|| panic!("no network of chain {chain_id} in the workspace"));
    owner_console::sandbox::up::safe_setup(&ctx, profile).unwrap()
}

fn deploy_and_save(workspace: &Path, values: &Seed, chain_id: u64, setup: &SafeSetup) -> Saved {
    let node = Node::start(&super::chain::anvil(), chain_id, &[]).unwrap();
    let rpc = alloy_rpc_client::RpcClient::new_http_with_client(
        owner_console::net::ExtraRoots::default().client().unwrap(),
        node.url().parse().unwrap(),
    );
    let catalogue_text = std::fs::read_to_string(workspace.join("config/catalogue.toml")).unwrap();
    let catalogue = Catalogue::parse(&catalogue_text).unwrap();
    let read = |relative: &str| std::fs::read_to_string(workspace.join(relative)).ok();
    let sender = Sender {
        rpc: &rpc,
        timeout: Duration::from_secs(20),
    };
    owner_console::cli::runtime::block_on(async {
        let contracts = SafeContracts::find(&[Path::new(env!("CARGO_MANIFEST_DIR"))]).unwrap();
        let deployment = deploy_platform(&sender, &catalogue, &read, values, (&contracts, setup))
            .await
            .unwrap_or_else(|e| panic!("the mock platform did not deploy: {e}"));
        let state: String = rpc
            .request_noparams("anvil_dumpState")
            .await
            .unwrap_or_else(|e| panic!("anvil_dumpState: {e}"));
        Saved { state, deployment }
    })
    .unwrap()
}

impl Saved {
    /// Loads the platform into the (empty) node at `url`.
    pub fn load_into(&self, url: &str) {
        let rpc = alloy_rpc_client::RpcClient::new_http_with_client(
            owner_console::net::ExtraRoots::default().client().unwrap(),
            url.parse().unwrap(),
        );
        let loaded: bool =
            owner_console::cli::runtime::block_on(rpc.request("anvil_loadState", (&self.state,)))
                .unwrap()
                .unwrap_or_else(|e| panic!("anvil_loadState: {e}"));
        assert!(loaded, "the node at {url} did not load the saved platform");
    }
}

/// A sandbox [`sandbox_up`] started; `sandbox down` when dropped.
pub struct Sandbox {
    pub info: SandboxInfo,
    storage: PathBuf,
    /// The node this process started (a chaos step may have started another since).
    started: u32,
}

/// What `sandbox up --network <network> --seed <from>` leaves in `workspace`, with the
/// platform loaded from its saved state instead of deployed again: anvil started as `sandbox up`
/// starts it (detached, its log in `storage/sandbox/`), the seed chosen by the library's
/// `seed`, and the sandbox's record (`storage/sandbox/<network>.json`) saved.
pub fn sandbox_up(workspace: &Path, network: &str, from: SeedFrom) -> Sandbox {
    let ctx = Context::load(Workspace::folder(workspace)).unwrap();
    let catalogue = ctx.catalogue().unwrap();
    let (values, seeded_from) = seed(&ctx, &catalogue, network, from).unwrap();
    let chain_id = ctx.networks.get(network).unwrap().chain_id;
    let saved = saved(workspace, &values, chain_id);
    let storage = ctx.workspace.storage.clone();
    let folder = storage.join("sandbox");
    std::fs::create_dir_all(&folder).unwrap();
    let log = folder.join(format!("{network}.anvil.log"));
    let (pid, port) = start_detached(&super::chain::anvil(), chain_id, 0, &log).unwrap();
    let sandbox = Sandbox {
        info: SandboxInfo {
            network: network.to_owned(),
            chain_id,
            url: format!("http://127.0.0.1:{port}"),
            pid,
            started_at: owner_console::engine::clock::now(),
            contracts: saved.deployment.contracts.clone(),
            safe: saved.deployment.safe,
            seeded_from,
            not_seeded: saved.deployment.not_seeded.clone(),
            stopped: None,
            fork: None,
        },
        storage,
        started: pid,
    };
    saved.load_into(&sandbox.info.url);
    sandbox.info.save(&sandbox.storage).unwrap();
    sandbox
}

/// `sandbox down`: the node stopped and the sandbox's record removed; the node this process
/// started is waited for, so that it leaves no zombie behind.
impl Drop for Sandbox {
    fn drop(&mut self) {
        if let Ok(info) = SandboxInfo::load(&self.storage, &self.info.network) {
            let _ = info.stop(&self.storage);
        }
        owner_console::sandbox::node::terminate(self.started);
        let Ok(pid) = libc::pid_t::try_from(self.started) else {
            return;
        };
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            // SAFETY: waitpid(2) without blocking, on a child this process started.
            let waited = unsafe { libc::waitpid(pid, std::ptr::null_mut(), libc::WNOHANG) };
            if waited != 0 {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}
