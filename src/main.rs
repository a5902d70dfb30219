use clap::{ArgMatches, CommandFactory, FromArgMatches};
use owner_console::cli::logging;
use owner_console::cli::output::{print_json_error, to_stderr};
use owner_console::cli::unlock::ConsoleKey;
use owner_console::cli::{self, Cli};
use owner_console::tui;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    owner_console::net::install_crypto();
    // No colours: every message goes through `to_stderr`, which shows escape sequences as text.
    let _ = color_eyre::config::HookBuilder::default()
        .theme(color_eyre::config::Theme::new())
        .install();
    let matches = match Cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => return parse_error(&error),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => return parse_error(&error),
    };
    let _log = logging::init();
    let result = match &cli.command {
        Some(command) => cli::dispatch(&cli, command),
        None => open_tui(&cli),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            let message = owner_console::cli::output::shown(&format!("{error:#}"));
            tracing::error!("{message}");
            if asks_json(&matches) {
                print_json_error(&format!("{error:#}"));
            }
            if full_report_asked() {
                // For a bug report: color-eyre's whole report, with where and how it failed.
                to_stderr(&format!("error: {error:?}\n"));
            } else {
                to_stderr(&format!("error: {message}\n"));
            }
            ExitCode::FAILURE
        }
    }
}

/// A command line that does not parse: clap's message, plain, through `to_stderr` (it quotes
/// the value given, which may hold anything); help and version as clap prints them.
fn parse_error(error: &clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => error.exit(),
        _ => {
            to_stderr(&error.render().to_string());
            ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
        }
    }
}

/// The subcommand given was asked for `--json`: its failure is a JSON object on stdout too.
fn asks_json(matches: &ArgMatches) -> bool {
    let mut innermost = matches;
    while let Some((_, sub)) = innermost.subcommand() {
        innermost = sub;
    }
    matches!(innermost.try_get_one::<bool>("json"), Ok(Some(true)))
}

/// `RUST_BACKTRACE` set to anything but `0`: the operator wants the full report, not one line.
fn full_report_asked() -> bool {
    std::env::var_os("RUST_BACKTRACE").is_some_and(|v| !v.is_empty() && v != "0")
}

fn open_tui(cli: &Cli) -> color_eyre::Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        to_stderr("owner-console: the interactive console needs a terminal (stdin and stdout).\n");
        to_stderr(
            "For scripts, use the command forms: `owner-console run list`, `run start`, `run next`, `show`, `validate` (see --help).\n",
        );
        return Ok(ExitCode::from(2));
    }
    let (session, index_file) = cli::open_session_with_index(cli)?;
    // Side by side: finding the key (or prompting for its passphrase) and reading the run list.
    let (app, key) = std::thread::scope(|scope| {
        let unlocking = scope.spawn(|| cli::unlock::key_for_console(cli));
        let app = tui::build_app(session, index_file);
        (app, unlocking.join())
    });
    let key = key.map_err(|_| color_eyre::eyre::eyre!("unlocking the operator key failed"))??;
    let mut app = app?;
    // A passphrase given by file or environment is tried after the first frame.
    let given = match key {
        ConsoleKey::Ready(Some(key)) => {
            app.session.unlock(key);
            None
        }
        ConsoleKey::Ready(None) => None,
        ConsoleKey::Given(given) => Some(given),
    };
    tui::run(app, given)?;
    Ok(ExitCode::SUCCESS)
}
