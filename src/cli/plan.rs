use super::output::outln;
use super::runtime::block_on_text;
use crate::change::compare::{Against, read_default};
use crate::session::Session;
use clap::Args;
use color_eyre::eyre::{Report, bail};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct PlanArgs {
    #[arg(long)]
    network: String,
    /// Where to write the Safe Transaction Builder batch.
    #[arg(long)]
    out: PathBuf,
    /// The current state (a state snapshot file or a saved config folder); default: the live
    /// chain when the network's RPC URL is set, else the network's snapshot.
    #[arg(long, value_name = "FILE|DIR")]
    against: Option<PathBuf>,
    /// Propose a saved config snapshot (storage/backups/…) instead of the workspace's config:
    /// the batch that rolls back to it. Its hashes are checked first.
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Use a state snapshot older than the network's limit anyway; the reason is logged.
    #[arg(long, value_name = "REASON")]
    accept_stale: Option<String>,
    /// Write the batch although proposed values were not compared with the current state (the
    /// batch sets none of them).
    #[arg(long)]
    allow_incomplete: bool,
}

pub fn run(session: &Session, args: &PlanArgs) -> color_eyre::Result<ExitCode> {
    let live = match &args.against {
        Some(_) => None,
        None => block_on_text(read_default(session, &args.network))?,
    };
    let made = crate::change::plan::batch_for_diff(
        session,
        &args.network,
        args.from.as_deref(),
        Against::given(args.against.as_deref(), live.as_ref()),
        &[],
        &|stale| super::output::accept_stale(stale, args.accept_stale.as_deref()),
        crate::sandbox::inherited::mode_for(&args.network, crate::engine::Mode::Live),
    )
    .map_err(Report::msg)?;
    made.refuse_incomplete(args.allow_incomplete)
        .map_err(Report::msg)?;
    let crate::change::plan::DiffBatch {
        batch,
        by_hand,
        diff,
        ..
    } = made;
    if args.out.exists() {
        bail!(
            "{}: already exists; choose another file",
            args.out.display()
        );
    }
    crate::workspace::durable::write(&args.out, (batch.to_json_pretty() + "\n").as_bytes())?;
    outln!("{}", diff.summary());
    outln!(
        "wrote {}: {} transaction(s), checksum {}",
        args.out.display(),
        batch.transactions.len(),
        batch.computed_checksum()
    );
    outln!("batch sha256 {}", crate::safe::batch_hash(&batch));
    for line in by_hand {
        outln!("by hand: {line}");
    }
    Ok(ExitCode::SUCCESS)
}
