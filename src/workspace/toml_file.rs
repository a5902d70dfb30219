//! Reading a TOML settings file into its type, with an error that names the file, line and
//! column, and what is wrong there.

use serde::de::DeserializeOwned;

pub fn parse<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|error| {
        let (line, column) = error
            .span()
            .map(|span| crate::runbook::problem::line_column(text, span.start))
            .unwrap_or((1, 1));
        format!("{file}:{line}:{column}: {}", error.message().trim())
    })
}
