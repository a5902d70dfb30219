use crate::workspace::init;
use std::path::Path;
use std::process::ExitCode;

pub fn run(dir: &Path) -> color_eyre::Result<ExitCode> {
    let written = init(dir)?;
    println!("wrote {} files into {}", written.len(), dir.display());
    println!("open it with: owner-console --workspace {}", dir.display());
    Ok(ExitCode::SUCCESS)
}
