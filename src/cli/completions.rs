use super::Cli;
use clap::CommandFactory;
use std::process::ExitCode;

pub fn completions(shell: clap_complete::Shell) -> color_eyre::Result<ExitCode> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "owner-console", &mut std::io::stdout());
    Ok(ExitCode::SUCCESS)
}

pub fn man() -> color_eyre::Result<ExitCode> {
    clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
    Ok(ExitCode::SUCCESS)
}
