use super::output::outln;
use crate::workspace::init;
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path) -> color_eyre::Result<ExitCode> {
    let written = init(dir)?;
    outln!("wrote {} files into {}", written.len(), dir.display());
    outln!("open it with: owner-console --workspace {}", dir.display());
    Ok(ExitCode::SUCCESS)
}
