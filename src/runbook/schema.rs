//! The JSON Schema of the runbook format, generated from the raw types.

use super::raw::RawRunbook;
use serde_json::Value;

/// TOML has no null: an absent key is how a field is left out, so the `null` alternatives
/// that schemars adds for `Option` fields are dropped.
fn drop_null(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get("type") {
                let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
                if kept.len() == 1 {
                    map.insert("type".into(), kept[0].clone());
                }
            }
            if let Some(Value::Array(any)) = map.get("anyOf") {
                let kept: Vec<Value> = any
                    .iter()
                    .filter(|s| s.get("type").is_none_or(|t| t != "null"))
                    .cloned()
                    .collect();
                if let [only] = kept.as_slice() {
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        map.extend(inner.clone());
                    }
                }
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}

pub fn runbook_schema() -> Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(RawRunbook)).unwrap_or_default();
    drop_null(&mut schema);
    schema
}

pub fn runbook_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&runbook_schema()).unwrap_or_default();
    text.push('\n');
    text
}
