use super::output::{errln, outln};
use super::run_report::report;
use super::{Cli, recording_session_for};
use crate::engine::Event;
use crate::engine::clock::now;
use crate::engine::signoff::Approver;
use crate::ledger::attestation::Attestation;
use crate::session::{Need, Session};
use clap::Args;
use color_eyre::eyre::{Report, bail};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct SignoffArgs {
    pub(super) run: String,
    /// Your own fingerprint of the diff, computed on your machine.
    #[arg(long)]
    fingerprint: Option<String>,
    /// Import an attestation file made with `owner-console attest` on another machine.
    #[arg(long, value_name = "FILE", conflicts_with = "fingerprint")]
    import: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct AttestArgs {
    run: String,
    /// Where to write the attestation file.
    #[arg(long)]
    out: PathBuf,
    /// Your own fingerprint of the diff, computed on this machine.
    #[arg(long)]
    fingerprint: Option<String>,
}

fn approver_of(session: &Session) -> color_eyre::Result<(String, String, Vec<String>)> {
    let Some(key) = session.key() else {
        bail!("no operator key is unlocked")
    };
    let address = key.address().to_checksum(None);
    let Some(operator) = session.operators.by_address(&address) else {
        bail!("{address} is not in config/operators.toml, so it holds no role that can sign off");
    };
    Ok((address, operator.name.clone(), operator.roles.clone()))
}

/// `run signoff`: the unlocked key approves, or an attestation is imported.
pub fn signoff(session: &Session, args: &SignoffArgs) -> color_eyre::Result<ExitCode> {
    let mut run = session.open_run(&args.run)?;
    crate::steps::batch::check_prepared(session, &run).map_err(Report::msg)?;
    let signoff = match &args.import {
        Some(file) => {
            let text = std::fs::read_to_string(file)
                .map_err(|e| Report::msg(format!("{}: {e}", file.display())))?;
            let attestation =
                Attestation::parse(&file.display().to_string(), &text).map_err(Report::msg)?;
            if attestation.run != run.id {
                bail!(
                    "{}: the attestation approves run {}, not {}",
                    file.display(),
                    attestation.run,
                    run.id
                );
            }
            let signoff = attestation
                .into_signoff()
                .map_err(|e| Report::msg(format!("{}: {e}", file.display())))?;
            let Some(operator) = session.operators.by_address(&signoff.approver) else {
                bail!(
                    "{}: the approver {} is not in config/operators.toml",
                    file.display(),
                    signoff.approver
                );
            };
            let approver = Approver {
                address: &signoff.approver,
                name: &operator.name,
                roles: &operator.roles,
            };
            let checked = run.sign_off(&approver, signoff.fingerprint.as_deref())?;
            if checked.subject != signoff.subject {
                bail!(
                    "{}: the attestation approves another state of this run (subject {}, here {})",
                    file.display(),
                    signoff.subject,
                    checked.subject
                );
            }
            if let Some(signed) = &signoff.safe_tx
                && run.safe_tx_hash() != Some(signed.safe_tx_hash.as_str())
            {
                bail!(
                    "{}: the attestation signs Safe transaction {}, not this run's ({})",
                    file.display(),
                    signed.safe_tx_hash,
                    run.safe_tx_hash().unwrap_or("none prepared")
                );
            }
            signoff
        }
        None => {
            let (address, name, roles) = approver_of(session)?;
            let signoff = run.sign_off(
                &Approver {
                    address: &address,
                    name: &name,
                    roles: &roles,
                },
                args.fingerprint.as_deref(),
            )?;
            let key = session
                .key()
                .ok_or_else(|| Report::msg("no operator key is unlocked"))?;
            crate::safe::approval::signed_off(&run, signoff, key)?
        }
    };
    session.record(&mut run, vec![Event::Signoff(signoff)])?;
    report(&run, args.json)?;
    match run.completion_blocker() {
        Some(blocker) => errln!("the sign-off is recorded; the step stays open: {blocker}"),
        None => errln!(
            "the quorum holds: `owner-console run next {}` completes the step",
            run.id
        ),
    }
    Ok(ExitCode::SUCCESS)
}

/// `attest`: sign an approval into a file, recording nothing here.
pub fn run(cli: &Cli, args: &AttestArgs) -> color_eyre::Result<ExitCode> {
    let session = recording_session_for(cli, Need::RunOf(&args.run))?;
    let run = session.open_run(&args.run)?;
    crate::steps::batch::check_prepared(&session, &run).map_err(Report::msg)?;
    let (address, name, roles) = approver_of(&session)?;
    let signoff = run.sign_off(
        &Approver {
            address: &address,
            name: &name,
            roles: &roles,
        },
        args.fingerprint.as_deref(),
    )?;
    let key = session
        .key()
        .ok_or_else(|| Report::msg("no operator key is unlocked"))?;
    let signoff = crate::safe::approval::signed_off(&run, signoff, key)?;
    let attestation = Attestation::sign(&run.id, &signoff, &now(), key).map_err(Report::msg)?;
    std::fs::write(
        &args.out,
        serde_json::to_string_pretty(&attestation)? + "\n",
    )?;
    outln!(
        "wrote {}: {name} approves run {} at step {} (subject {})",
        args.out.display(),
        run.id,
        signoff.step,
        signoff.subject
    );
    if let Some(signed) = &attestation.safe_tx {
        outln!("and signs Safe transaction {}", signed.safe_tx_hash);
    }
    Ok(ExitCode::SUCCESS)
}
