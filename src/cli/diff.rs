use super::output::print_json;
use super::output::{errln, outln};
use super::runtime::block_on_text;
use crate::catalogue::risk::RiskClass;
use crate::change::compare::{Against, diff_from, read_default};
use crate::diff::text::{Tag, lines};
use crate::session::Session;
use clap::{Args, ValueEnum};
use crossterm::style::Stylize;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit statuses of `diff`: none / changes / a guardrail blocks / proposed values were not
/// compared (without `--allow-incomplete`).
pub const NO_CHANGES: u8 = 0;
pub const CHANGES: u8 = 3;
pub const BLOCKED: u8 = 4;
pub const INCOMPLETE: u8 = 5;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[arg(long)]
    network: String,
    /// The current state: a state snapshot file or a saved config folder. Default: the live
    /// chain when the network's RPC URL variable is set (and not --offline), else the network's
    /// snapshot named in config/networks.toml.
    #[arg(long, value_name = "FILE|DIR")]
    against: Option<PathBuf>,
    /// The current state is the network's running sandbox, as a drill run's diff step reads
    /// it: a reviewer reproduces a drill's fingerprint with this.
    #[arg(long, conflicts_with = "against")]
    drill: bool,
    /// Propose a saved config snapshot (storage/backups/…) instead of the workspace's config.
    #[arg(long, value_name = "DIR")]
    from: Option<PathBuf>,
    /// Use a state snapshot older than the network's limit anyway; the reason is logged.
    #[arg(long, value_name = "REASON")]
    accept_stale: Option<String>,
    #[arg(long)]
    json: bool,
    /// Compare only these parameter domains (repeat), as a diff step with `domains` does: a
    /// reviewer reproduces that step's fingerprint with the same domains.
    #[arg(long = "domain", value_name = "DOMAIN")]
    domains: Vec<String>,
    /// Print only the fingerprint (SHA-256 of the diff's canonical JSON).
    #[arg(long)]
    fingerprint: bool,
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// Exit as for a complete diff although proposed values were not compared (each is named
    /// either way).
    #[arg(long)]
    allow_incomplete: bool,
}

pub fn colour_wanted(choice: Color) -> bool {
    match choice {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => {
            std::io::stdout().is_terminal() && crate::workspace::settings::colour_allowed()
        }
    }
}

/// The segment made safe for a terminal, then coloured (the colour's own escape sequences are
/// the only ones written).
fn paint(tag: Tag, text: &str, colour: bool) -> String {
    let text = super::output::shown(text);
    if !colour {
        return text;
    }
    match tag {
        Tag::Plain => text.to_owned(),
        Tag::Bold => text.bold().to_string(),
        Tag::Risk(RiskClass::Security) | Tag::Violation => text.red().bold().to_string(),
        Tag::Risk(RiskClass::Financial) => text.yellow().to_string(),
        Tag::Risk(RiskClass::Cosmetic) => text.green().to_string(),
        Tag::Muted => text.dark_grey().to_string(),
        Tag::Removed => text.red().to_string(),
        Tag::Inserted => text.green().to_string(),
    }
}

pub fn run(session: &Session, args: &DiffArgs) -> color_eyre::Result<ExitCode> {
    let live = match (args.drill, &args.against) {
        (true, _) => {
            let target = crate::chain::Target::sandbox(session, &args.network)
                .map_err(color_eyre::eyre::Report::msg)?;
            Some(block_on_text(crate::chain::live::read(&target))?)
        }
        (false, Some(_)) => None,
        (false, None) => block_on_text(read_default(session, &args.network))?,
    };
    let against = Against::given(args.against.as_deref(), live.as_ref());
    let (diff, against, problems) = diff_from(
        session,
        &args.network,
        args.from.as_deref(),
        against,
        &args.domains,
        &|stale| super::output::accept_stale(stale, args.accept_stale.as_deref()),
    )
    .map_err(color_eyre::eyre::Report::msg)?;
    for problem in &problems {
        errln!("warning: {problem}");
    }
    if args.fingerprint {
        outln!("{}", diff.fingerprint);
    } else if args.json {
        print_json(
            &serde_json::json!({ "against": against, "summary": diff.summary(), "risk": diff.risk(), "diff": diff }),
        )?;
    } else {
        let colour = colour_wanted(args.color);
        for line in lines(&diff, &against) {
            let painted: String = line
                .iter()
                .map(|(tag, text)| paint(*tag, text, colour))
                .collect();
            super::output::painted_to_stdout(&(painted + "\n"));
        }
    }
    Ok(ExitCode::from(if diff.blocking() > 0 {
        BLOCKED
    } else if diff.incomplete().next().is_some() && !args.allow_incomplete {
        INCOMPLETE
    } else if diff.changes.is_empty() {
        NO_CHANGES
    } else {
        CHANGES
    }))
}
