use super::output::print_json;
use super::{Cli, open_session};
use crate::runbook::{Level, Problem, load_file};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path)?.collect::<Result<_, _>>()?;
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            collect(&entry.path(), out)?;
        }
    } else if path.extension().is_some_and(|e| e == "toml") || !path.exists() {
        out.push(path.to_path_buf());
    }
    Ok(())
}

pub fn run(cli: &Cli, paths: &[PathBuf], json: bool) -> color_eyre::Result<ExitCode> {
    let (problems, files) = if paths.is_empty() {
        let session = open_session(cli)?;
        let files = session.workspace.runbook_files()?.len();
        (session.problems, files)
    } else {
        let mut files = Vec::new();
        for path in paths {
            collect(path, &mut files)?;
        }
        let problems: Vec<Problem> = files
            .iter()
            .flat_map(|f| load_file(f, f).problems)
            .collect();
        (problems, files.len())
    };
    let errors = problems.iter().filter(|p| p.level == Level::Error).count();
    let warnings = problems.len() - errors;
    if json {
        print_json(
            &serde_json::json!({ "files": files, "errors": errors, "warnings": warnings, "problems": problems }),
        )?;
    } else {
        for problem in &problems {
            if problem.level == Level::Error {
                eprintln!("{problem}");
            } else {
                println!("{problem}");
            }
        }
        println!("{files} runbook file(s): {errors} error(s), {warnings} warning(s)");
    }
    Ok(if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
