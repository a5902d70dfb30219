//! Reading a TOML settings file into its type, with an error that names the file, line and
//! column, and what is wrong there.

use serde::de::DeserializeOwned;

/// A settings file that does not read as its type: where, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct TomlError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, TomlError> {
    toml::from_str(text).map_err(|error| {
        let (line, column) = error
            .span()
            .map(|span| crate::runbook::problem::line_column(text, span.start))
            .unwrap_or((1, 1));
        TomlError {
            file: file.to_owned(),
            line,
            column,
            message: error.message().trim().to_owned(),
        }
    })
}
