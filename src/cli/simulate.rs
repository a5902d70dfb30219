//! `simulate`: a batch file dry-run on a fork of the network's node, or a report made on
//! another machine checked here (`--import`).

use super::output::print_json;
use super::output::{out, outln};
use super::runtime::block_on_text;
use crate::session::Need;
use crate::simulate::{Abis, Report, Simulation, report};
use clap::Args;
use color_eyre::eyre::{Report as Error, WrapErr, eyre};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The Safe Transaction Builder batch file.
    file: PathBuf,
    /// The network whose node is forked (its RPC URL variable must be set), with its Safe,
    /// modules and config.
    #[arg(long)]
    network: String,
    /// The block to fork at. Default: the node's head, the block `diff` reads.
    #[arg(long, value_name = "N", conflicts_with = "import")]
    block: Option<u64>,
    /// A folder of the contracts' ABIs (`<Name>.json`: an artifact with `abi`, or the ABI
    /// array) to explain reverts and events with. Default: the workspace's `abi/`.
    #[arg(long, value_name = "DIR", conflicts_with = "import")]
    abi: Option<PathBuf>,
    /// Compare only these parameter domains (repeat), as the batch's diff step did.
    #[arg(long = "domain", value_name = "DOMAIN")]
    domains: Vec<String>,
    /// Write the report, signed with your operator key, to FILE: the evidence another
    /// machine imports.
    #[arg(long, value_name = "FILE", conflicts_with = "import")]
    out: Option<PathBuf>,
    /// Check a report made on another machine instead of simulating: its signature (by an
    /// operator of config/operators.toml), this batch file's SHA-256 and the fingerprint of
    /// this machine's diff of the network.
    #[arg(long, value_name = "REPORT")]
    import: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// Exit status of a simulation that ran and did not pass.
pub const FAILED: u8 = 1;

pub fn run(cli: &super::Cli, args: &SimulateArgs) -> color_eyre::Result<ExitCode> {
    if let Some(import) = &args.import {
        return import_report(cli, args, import);
    }
    let key = match &args.out {
        Some(_) => Some(super::unlock_key(cli)?),
        None => None,
    };
    let session = super::open_session_for(cli, Need::Nothing)?;
    let bytes = read_batch(&args.file)?;
    let target = crate::chain::Target::of(&session, &args.network).map_err(Error::msg)?;
    let abis = match &args.abi {
        Some(folder) => Abis::load(folder).map_err(Error::msg)?,
        None => crate::simulate::workspace_abis(&session).map_err(Error::msg)?,
    };
    let anvil = crate::sandbox::node::find_for(&session).map_err(Error::msg)?;
    let simulation = Simulation {
        ctx: (*session).clone(),
        target,
        batch_file: args.file.display().to_string(),
        batch_bytes: bytes,
        block: args.block,
        domains: args.domains.clone(),
        from: None,
        abis,
        anvil,
    };
    let mut made = block_on_text(simulation.run())?;
    if let (Some(path), Some(key)) = (&args.out, &key) {
        made.sign(key).map_err(Error::msg)?;
        crate::workspace::durable::write(path, made.to_json().as_bytes())
            .wrap_err_with(|| format!("cannot write {}", path.display()))?;
    }
    show(&made, args.json)?;
    Ok(if made.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILED)
    })
}

fn read_batch(file: &Path) -> color_eyre::Result<Vec<u8>> {
    let size = std::fs::metadata(file)
        .wrap_err_with(|| format!("cannot read {}", file.display()))?
        .len();
    if size > crate::safe::binding::MAX_BATCH_BYTES {
        return Err(eyre!(
            "{}: {size} bytes is more than a batch file may be ({})",
            file.display(),
            crate::safe::binding::MAX_BATCH_BYTES
        ));
    }
    std::fs::read(file).wrap_err_with(|| format!("cannot read {}", file.display()))
}

fn show(made: &Report, json: bool) -> color_eyre::Result<()> {
    if json {
        print_json(&serde_json::to_value(made)?)?;
    } else {
        out!("{}", report::text(made));
    }
    Ok(())
}

/// A report from another machine, checked against this batch file and this machine's diff of
/// the network (live when it reads one, else the network's snapshot).
fn import_report(
    cli: &super::Cli,
    args: &SimulateArgs,
    path: &Path,
) -> color_eyre::Result<ExitCode> {
    let session = super::open_session_for(cli, Need::Nothing)?;
    let imported = Report::read(path).map_err(Error::msg)?;
    let bytes = read_batch(&args.file)?;
    let batch_sha256 = crate::safe::binding::file_sha256(&bytes);
    let live = block_on_text(crate::change::compare::read_default(
        &session,
        &args.network,
    ))?;
    let against = crate::change::compare::Against::given(None, live.as_ref());
    let (diff, described, _) = crate::change::compare::diff_from(
        &session,
        &args.network,
        None,
        against,
        &args.domains,
        &|_| true,
    )
    .map_err(Error::msg)?;
    let name = path.display().to_string();
    imported
        .check_import(
            &name,
            &session.operators,
            &report::Expected {
                network: &args.network,
                batch_sha256: &batch_sha256,
                diff_fingerprint: Some(&diff.fingerprint),
            },
        )
        .map_err(Error::msg)?;
    show(&imported, args.json)?;
    if !args.json {
        outln!(
            "the report holds here: its signer is listed, and its batch SHA-256 and diff fingerprint are this batch's and this machine's (the diff against {}); a run records it with `run next RUN --simulation REPORT`",
            super::output::shown(&described)
        );
    }
    Ok(if imported.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(FAILED)
    })
}
