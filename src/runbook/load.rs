//! Reading runbook files: TOML syntax, unknown keys, then the checks of `validate`.

use super::locate::Locator;
use super::model::Runbook;
use super::problem::{FieldPath, Level, Problem, Segment, line_column};
use super::raw::RawRunbook;
use super::validate::Validator;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// The outcome of loading one file: the runbook when it has no error, and every problem found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Loaded {
    pub runbook: Option<Runbook>,
    pub problems: Vec<Problem>,
}

/// Loads a runbook from its text. `shown_path` is how the file is named in messages and
/// recorded in the run, normally relative to the workspace.
pub fn load_text(shown_path: &Path, text: &str) -> Loaded {
    let locator = Locator::new(text);
    // Each problem with its offset; lines and columns are counted at the end, all at once.
    let at = |path: &FieldPath, level: Level, message: String, hint: Option<String>| {
        let problem = Problem {
            level,
            file: shown_path.to_path_buf(),
            line: 0,
            column: 0,
            field: path.to_string(),
            message,
            hint,
        };
        (locator.span(path).start, problem)
    };

    let deserializer = match toml::de::Deserializer::parse(text) {
        Ok(deserializer) => deserializer,
        Err(error) => return syntax_failure(shown_path, text, &error),
    };
    let mut unknown = Vec::new();
    let raw: RawRunbook = match serde_ignored::deserialize(deserializer, |path| {
        unknown.push(field_path(&path));
    }) {
        Ok(raw) => raw,
        Err(error) => return syntax_failure(shown_path, text, &error),
    };

    let mut found: Vec<(usize, Problem)> = unknown
        .into_iter()
        .map(|path| {
            let message = format!("unknown key `{}`", last_key(&path));
            at(&path, Level::Error, message, None)
        })
        .collect();

    let sha256 = hex::encode(Sha256::digest(text.as_bytes()));
    let mut validator = Validator::new(|path, level, message, hint| {
        found.push(at(path, level, message, hint));
    });
    let runbook = validator.build(raw, shown_path.to_path_buf(), sha256);
    let problems = locator.place(found);
    let has_error = problems.iter().any(|p| p.level == Level::Error);
    Loaded {
        runbook: if has_error { None } else { runbook },
        problems,
    }
}

/// Loads many runbooks, spread over the machine's cores; the results keep the files' order.
pub fn load_texts(files: &[(PathBuf, String)]) -> Vec<Loaded> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = files.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = files
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|(path, text)| load_text(path, text))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(loaded) => loaded,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

pub fn load_file(path: &Path, shown_path: &Path) -> Loaded {
    match std::fs::read_to_string(path) {
        Ok(text) => load_text(shown_path, &text),
        Err(error) => Loaded {
            runbook: None,
            problems: vec![Problem {
                level: Level::Error,
                file: shown_path.to_path_buf(),
                line: 1,
                column: 1,
                field: String::new(),
                message: format!("cannot read the file: {error}"),
                hint: None,
            }],
        },
    }
}

fn syntax_failure(shown_path: &Path, text: &str, error: &toml::de::Error) -> Loaded {
    let offset = error.span().map_or(0, |span| span.start);
    let (line, column) = line_column(text, offset);
    let message = error.message().trim().to_owned();
    Loaded {
        runbook: None,
        problems: vec![Problem {
            level: Level::Error,
            file: PathBuf::from(shown_path),
            line,
            column,
            field: String::new(),
            message: format!("not valid TOML for a runbook: {message}"),
            hint: None,
        }],
    }
}

fn field_path(path: &serde_ignored::Path<'_>) -> FieldPath {
    use serde_ignored::Path as P;
    let mut segments = Vec::new();
    let mut cursor = path;
    loop {
        match cursor {
            P::Root => break,
            P::Seq { parent, index } => {
                segments.push(Segment::Index(*index));
                cursor = parent;
            }
            P::Map { parent, key } => {
                segments.push(Segment::Key(key.clone()));
                cursor = parent;
            }
            P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
                cursor = parent
            }
        }
    }
    segments.reverse();
    FieldPath(segments)
}

fn last_key(path: &FieldPath) -> String {
    match path.0.last() {
        Some(Segment::Key(key)) => key.clone(),
        Some(Segment::Index(index)) => index.to_string(),
        None => String::new(),
    }
}
