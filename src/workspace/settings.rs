//! User settings: a TOML file in the user's config folder, layered over the defaults. A bad
//! setting is an error that names it; nothing is silently ignored.

use crate::workspace::toml_file::TomlError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Why the user's settings do not load: the file does not read, or is not settings.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("{}: {error}", .path.display())]
    Unreadable {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error(transparent)]
    Toml(#[from] TomlError),
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Action name → keys, e.g. `skip = ["s", "ctrl+s"]`.
    #[serde(default)]
    pub keys: BTreeMap<String, Vec<String>>,
    /// Colour role → colour name or `#rrggbb`, e.g. `accent = "cyan"`.
    #[serde(default)]
    pub colors: BTreeMap<String, String>,
}

/// Whether the environment allows colour: not when NO_COLOR is set to a non-empty value, nor
/// on a `dumb` terminal.
pub fn colour_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

pub fn settings_file() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("OWNER_CONSOLE_SETTINGS") {
        return Some(PathBuf::from(path));
    }
    Some(
        crate::workspace::project_dirs()?
            .config_dir()
            .join("settings.toml"),
    )
}

impl Settings {
    /// The user's settings, or the defaults when there is no file.
    pub fn load() -> Result<Self, SettingsError> {
        let Some(path) = settings_file() else {
            return Ok(Self::default());
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => Ok(Self::parse(&path.display().to_string(), &text)?),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(Self::default()),
            Err(error) => Err(SettingsError::Unreadable { path, error }),
        }
    }

    pub fn parse(name: &str, text: &str) -> Result<Self, TomlError> {
        crate::workspace::toml_file::parse(name, text)
    }
}
