//! A network's set of config files (`config/<file>.<network>.json`), read into catalogue values.

use super::guardrails::{Level, Values};
use super::value::{Note, Value};
use super::{Catalogue, Parameter};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConfigProblem {
    pub level: Level,
    pub file: String,
    /// The parameter, with the JSON pointer in its file.
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ConfigSet {
    pub network: String,
    pub values: Values,
    /// Every file read, with its SHA-256.
    pub files: Vec<(String, String)>,
    pub problems: Vec<ConfigProblem>,
}

/// `json.pointer(pointer)`, without copying each token when none is escaped (`~0`, `~1`).
fn lookup<'a>(json: &'a serde_json::Value, pointer: &str) -> Option<&'a serde_json::Value> {
    if pointer.contains('~') || !pointer.starts_with('/') {
        return json.pointer(pointer);
    }
    pointer
        .split('/')
        .skip(1)
        .try_fold(json, |target, token| match target {
            serde_json::Value::Object(map) => map.get(token),
            serde_json::Value::Array(list) => {
                let leading_zero = token.starts_with('0') && token.len() != 1;
                if token.starts_with('+') || leading_zero {
                    return None;
                }
                list.get(token.parse::<usize>().ok()?)
            }
            _ => None,
        })
}

pub fn file_name(stem: &str, network: &str) -> String {
    format!("{stem}.{network}.json")
}

impl ConfigSet {
    /// Reads the files through `read` (file name → text), e.g. from `config/` of a workspace.
    pub fn load(
        catalogue: &Catalogue,
        network: &str,
        read: impl Fn(&str) -> Option<String>,
    ) -> Self {
        let mut set = Self {
            network: network.to_owned(),
            ..Self::default()
        };
        let mut by_file: HashMap<&str, Vec<(usize, &Parameter)>> = HashMap::new();
        for (position, parameter) in catalogue.parameters.iter().enumerate() {
            by_file
                .entry(&parameter.file)
                .or_default()
                .push((position, parameter));
        }
        // The zero address is refused, except where a `not-zero` guardrail decides: a
        // treasury, which the contracts accept as zero (the share is burned).
        let zero_decided: std::collections::BTreeSet<&str> = catalogue
            .guardrails
            .iter()
            .filter(|g| g.rule == super::guardrails::Rule::NotZero)
            .flat_map(|g| g.params.iter().map(String::as_str))
            .collect();
        let mut values = Vec::with_capacity(catalogue.parameters.len());
        for stem in catalogue.files() {
            let name = file_name(stem, network);
            let Some(text) = read(&name) else {
                set.problem(
                    Level::Warn,
                    &name,
                    "",
                    "the file is missing: its parameters are left out".into(),
                );
                continue;
            };
            set.files
                .push((name.clone(), hex::encode(Sha256::digest(text.as_bytes()))));
            let json: serde_json::Value = match serde_json::from_str(&text) {
                Ok(json) => json,
                Err(e) => {
                    set.problem(
                        Level::Fail,
                        &name,
                        "",
                        format!("line {}, column {}: {e}", e.line(), e.column()),
                    );
                    continue;
                }
            };
            for &(position, parameter) in by_file.get(stem).into_iter().flatten() {
                let field = || format!("{} ({})", parameter.id, parameter.path);
                let Some(raw) = lookup(&json, &parameter.path) else {
                    continue;
                };
                let mut notes = Vec::new();
                match Value::read_as(raw, parameter, parameter.unit, &mut notes) {
                    Ok(value) => {
                        if let Value::Text(text) = &value
                            && text == super::guardrails::ZERO_ADDRESS
                            && !zero_decided.contains(parameter.id.as_str())
                        {
                            set.problem(
                                Level::Fail,
                                &name,
                                &field(),
                                "the zero address is never a valid setting".into(),
                            );
                        }
                        values.push((catalogue.rank(position), parameter.id.clone(), value));
                    }
                    Err(why) => set.problem(Level::Fail, &name, &field(), why.to_string()),
                }
                for note in notes {
                    let field = field();
                    match note {
                        Note::NotChecksummed(given, right) => set.problem(
                            Level::Warn,
                            &name,
                            &field,
                            format!(
                                "`{given}` is not in EIP-55 checksum form; write it as {right}"
                            ),
                        ),
                        Note::Duplicate(member) => set.problem(
                            Level::Fail,
                            &name,
                            &field,
                            format!("`{member}` is listed twice; each member may appear once"),
                        ),
                    }
                }
            }
        }
        values.sort_unstable_by_key(|(rank, _, _)| *rank);
        set.values = values
            .into_iter()
            .map(|(_, id, value)| (id, value))
            .collect();
        set
    }

    fn problem(&mut self, level: Level, file: &str, field: &str, message: String) {
        self.problems.push(ConfigProblem {
            level,
            file: file.to_owned(),
            field: field.to_owned(),
            message,
        });
    }
}
