//! The contracts' ABIs a simulation explains reverts and events with: a folder of
//! `<Name>.json` files (a compiled artifact with an `abi` member, or the ABI array itself).
//! The target's own ABI is asked first (its module's name), then every other one: an error or
//! an event is known by its selector or topic, whichever contract declared it.

use super::SimulateError;
use alloy_dyn_abi::{DecodedEvent, EventExt};
use alloy_json_abi::JsonAbi;
use alloy_primitives::{B256, LogData};
use std::collections::BTreeMap;
use std::path::Path;

/// A file larger than this is not read as an ABI.
pub const MAX_ABI_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct Abis {
    /// By file name without `.json`.
    by_name: BTreeMap<String, JsonAbi>,
}

impl Abis {
    /// Every `*.json` of `folder` that holds an ABI (others are left alone).
    pub fn load(folder: &Path) -> Result<Self, SimulateError> {
        let unreadable = |error: std::io::Error| SimulateError::AbiFolder {
            folder: folder.to_owned(),
            error: error.to_string(),
        };
        let mut by_name = BTreeMap::new();
        for entry in std::fs::read_dir(folder).map_err(unreadable)? {
            let path = entry.map_err(unreadable)?.path();
            let (Some(name), Some("json")) = (
                path.file_stem().and_then(|s| s.to_str()),
                path.extension().and_then(|e| e.to_str()),
            ) else {
                continue;
            };
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            if size > MAX_ABI_BYTES {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            if let Some(abi) = parse(&text) {
                by_name.insert(name.to_owned(), abi);
            }
        }
        Ok(Self { by_name })
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    pub fn len(&self) -> usize {
        self.by_name.len()
    }

    /// The ABIs in the order they are asked for `module`: its own first.
    fn for_module<'a>(&'a self, module: Option<&str>) -> impl Iterator<Item = &'a JsonAbi> {
        let own = module.and_then(|m| self.by_name.get(m));
        own.into_iter().chain(
            self.by_name
                .iter()
                .filter(move |(name, _)| Some(name.as_str()) != module)
                .map(|(_, abi)| abi),
        )
    }

    /// Why a call to `module` reverted with `data`, in words.
    pub fn explain_revert(&self, module: Option<&str>, data: &[u8]) -> String {
        let selector = data.get(..4);
        let declaring = selector.and_then(|selector| {
            self.for_module(module)
                .find(|abi| abi.errors().any(|e| e.selector().as_slice() == selector))
        });
        crate::chain::revert::explain(data, declaring)
    }

    /// A log as `Name(arg, arg)` when an ABI declares its event, else its topic and size.
    pub fn explain_log(&self, module: Option<&str>, topics: &[B256], data: &[u8]) -> String {
        let Some(topic) = topics.first() else {
            return format!("an anonymous log ({} bytes)", data.len());
        };
        let log = LogData::new_unchecked(topics.to_vec(), data.to_vec().into());
        for abi in self.for_module(module) {
            for event in abi.events().filter(|e| e.selector() == *topic) {
                if let Ok(DecodedEvent { indexed, body, .. }) = event.decode_log(&log) {
                    let mut indexed = indexed.into_iter();
                    let mut body = body.into_iter();
                    let args: Vec<String> = event
                        .inputs
                        .iter()
                        .filter_map(|input| {
                            let value = if input.indexed {
                                indexed.next()
                            } else {
                                body.next()
                            }?;
                            Some(crate::safe::abi::value_text(&value))
                        })
                        .collect();
                    let text = format!("{}({})", event.name, args.join(", "));
                    return crate::sanitize::for_terminal(&text).into_owned();
                }
            }
        }
        format!(
            "an event no ABI names (topic {topic}, {} topic(s), {} bytes)",
            topics.len(),
            data.len()
        )
    }
}

/// An ABI from an artifact (`{"abi": [...]}`) or a bare ABI array.
fn parse(text: &str) -> Option<JsonAbi> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let abi = match value {
        serde_json::Value::Object(mut object) => object.remove("abi")?,
        array @ serde_json::Value::Array(_) => array,
        _ => return None,
    };
    serde_json::from_value(abi).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_artifact_and_a_bare_abi_both_load_and_other_files_are_left_alone() {
        let folder = tempfile::tempdir().unwrap();
        let abi = r#"[{"type":"error","name":"InvalidPercentage","inputs":[]}]"#;
        std::fs::write(
            folder.path().join("FeePool.json"),
            format!(r#"{{"abi":{abi}}}"#),
        )
        .unwrap();
        std::fs::write(folder.path().join("Other.json"), abi).unwrap();
        std::fs::write(folder.path().join("notes.json"), r#"{"x":1}"#).unwrap();
        std::fs::write(folder.path().join("README.md"), "hi").unwrap();
        let abis = Abis::load(folder.path()).unwrap();
        assert_eq!(abis.len(), 2);
        let selector = alloy_primitives::keccak256("InvalidPercentage()");
        assert_eq!(
            abis.explain_revert(Some("Thermostat"), &selector[..4]),
            "InvalidPercentage()"
        );
    }

    #[test]
    fn a_missing_folder_is_named() {
        let error = Abis::load(Path::new("/nonexistent/abis")).unwrap_err();
        assert!(error.to_string().contains("/nonexistent/abis"), "{error}");
    }
}
