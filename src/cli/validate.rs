use super::output::print_json;
use super::output::{errln, outln};
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

pub fn run(
    cli: &Cli,
    paths: &[PathBuf],
    json: bool,
    strict: bool,
    network: Option<&str>,
) -> color_eyre::Result<ExitCode> {
    let mut config_checks = Vec::new();
    let (problems, files) = if paths.is_empty() {
        let session = open_session(cli)?;
        let catalogue = session.catalogue().map_err(color_eyre::eyre::Report::msg)?;
        let networks = match network {
            Some(network) => vec![network.to_owned()],
            None => super::config_checks::networks_with_config(&session, &catalogue),
        };
        for network in networks {
            config_checks.extend(super::config_checks::run(&session, &catalogue, &network));
        }
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
    let count = |verdict: &str| {
        config_checks
            .iter()
            .filter(|c| c.verdict == verdict)
            .count()
    };
    let (failed, warned) = (count("fail"), count("warn"));
    if json {
        print_json(
            &serde_json::json!({ "files": files, "errors": errors, "warnings": warnings, "problems": problems, "config": config_checks }),
        )?;
    } else {
        for problem in &problems {
            if problem.level == Level::Error {
                errln!("{problem}");
            } else {
                outln!("{problem}");
            }
        }
        for check in config_checks.iter().filter(|c| c.verdict != "pass") {
            let remedy = if check.remedy.is_empty() {
                String::new()
            } else {
                format!(" — remedy: {}", check.remedy)
            };
            let line = format!(
                "{} [{}] {}: {}{remedy}",
                check.verdict.to_uppercase(),
                check.network,
                check.check,
                check.detail
            );
            if check.verdict == "fail" {
                errln!("{line}");
            } else {
                outln!("{line}");
            }
        }
        outln!("{files} runbook file(s): {errors} error(s), {warnings} warning(s)");
        if !config_checks.is_empty() {
            outln!(
                "config: {} pass, {warned} warn, {failed} fail{}",
                count("pass"),
                if strict {
                    " (--strict: warnings fail)"
                } else {
                    ""
                }
            );
        }
    }
    let failing = errors > 0 || failed > 0 || (strict && warned + warnings > 0);
    Ok(if failing {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
