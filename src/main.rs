use clap::Parser;
use owner_console::cli::logging;
use owner_console::cli::unlock::ConsoleKey;
use owner_console::cli::{self, Cli};
use owner_console::tui;
use std::io::IsTerminal;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Colours only for a terminal: a report piped into a file or a bug report stays plain.
    let hook = color_eyre::config::HookBuilder::default();
    let hook = match std::io::stderr().is_terminal() {
        true => hook,
        false => hook.theme(color_eyre::config::Theme::new()),
    };
    let _ = hook.install();
    let cli = Cli::parse();
    let _log = logging::init();
    let result = match &cli.command {
        Some(command) => cli::dispatch(&cli, command),
        None => open_tui(&cli),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            tracing::error!("{error:#}");
            if full_report_asked() {
                // For a bug report: color-eyre's whole report, with where and how it failed.
                eprintln!("error: {error:?}");
            } else {
                eprintln!("error: {error:#}");
            }
            ExitCode::FAILURE
        }
    }
}

/// `RUST_BACKTRACE` set to anything but `0`: the operator wants the full report, not one line.
fn full_report_asked() -> bool {
    std::env::var_os("RUST_BACKTRACE").is_some_and(|v| !v.is_empty() && v != "0")
}

fn open_tui(cli: &Cli) -> color_eyre::Result<ExitCode> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        eprintln!("owner-console: the interactive console needs a terminal (stdin and stdout).");
        eprintln!(
            "For scripts, use the command forms: `owner-console run list`, `run start`, `run next`, `show`, `validate` (see --help)."
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
