//! The Safe Transaction Builder's checksum, byte for byte as the app computes it
//! (safe-react-apps, `apps/tx-builder/src/lib/checksum.ts`):
//!
//! ```js
//! const serializeJSONObject = (json) => {
//!   if (Array.isArray(json)) return `[${json.map((el) => serializeJSONObject(el)).join(',')}]`
//!   if (typeof json === 'object' && json !== null) {
//!     let acc = ''
//!     const keys = Object.keys(json).sort()
//!     acc += `{${JSON.stringify(keys, stringifyReplacer)}`
//!     for (let i = 0; i < keys.length; i++) acc += `${serializeJSONObject(json[keys[i]])},`
//!     return `${acc}}`
//!   }
//!   return `${JSON.stringify(json, stringifyReplacer)}`
//! }
//! const calculateChecksum = (batchFile) => {
//!   const serialized = serializeJSONObject({ ...batchFile, meta: { ...batchFile.meta, name: null } })
//!   return keccak256(toUtf8Bytes(serialized))
//! }
//! ```
//!
//! The app computes it over a batch whose `meta` has no `checksum` key (on export it is not
//! added yet; on import it is deleted before recomputing), with `meta.name` set to null.

use alloy_primitives::{B256, keccak256};
use serde_json::{Map, Value};

/// The checksum the Safe app writes into (and expects in) `meta.checksum`, over a batch file's
/// JSON value: `meta.checksum` removed, `meta.name` null, then [`serialize_json_object`].
pub fn safe_checksum(batch: &Value) -> B256 {
    let mut batch = batch.clone();
    if let Value::Object(file) = &mut batch {
        // `{ ...batchFile.meta, name: null }`: spreading a missing or non-object meta gives
        // `{ name: null }` (a string would spread its characters; no batch has that).
        let mut meta = match file.remove("meta") {
            Some(Value::Object(meta)) => meta,
            _ => Map::new(),
        };
        meta.remove("checksum");
        meta.insert("name".to_owned(), Value::Null);
        file.insert("meta".to_owned(), Value::Object(meta));
    }
    keccak256(serialize_json_object(&batch).as_bytes())
}

/// The app's `serializeJSONObject`: arrays as `[a,b]`; objects as `{` + the sorted keys as a
/// JSON array + each value followed by `,` + `}`; anything else as `JSON.stringify` writes it.
pub fn serialize_json_object(value: &Value) -> String {
    let mut out = String::new();
    write_value(value, &mut out);
    out
}

fn write_value(value: &Value, out: &mut String) {
    match value {
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            // JavaScript's default `sort()` compares UTF-16 code units. For keys made of
            // ASCII or other Basic Multilingual Plane characters that is the same order as
            // Rust's byte-wise `String` order; comparing the UTF-16 encodings keeps it exact
            // for astral characters too (where the two orders differ).
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            out.push('[');
            for (i, key) in keys.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
            }
            out.push(']');
            for key in keys {
                if let Some(item) = map.get(key) {
                    write_value(item, out);
                }
                out.push(',');
            }
            out.push('}');
        }
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(number) => out.push_str(&js_number(number)),
        Value::String(text) => write_string(text, out),
    }
}

/// `JSON.stringify` of a string: serde_json escapes the same characters the same way (`"`,
/// `\`, `\b \f \n \r \t`, other control characters as lower-case `\u00xx`) and, like
/// JavaScript, leaves every other character (non-ASCII included) as it is.
fn write_string(text: &str, out: &mut String) {
    match serde_json::to_string(text) {
        Ok(quoted) => out.push_str(&quoted),
        // Serialising a `str` cannot fail; keep the shape anyway.
        Err(_) => {
            out.push('"');
            out.push_str(text);
            out.push('"');
        }
    }
}

/// A JSON number as JavaScript prints it after `JSON.parse`: every number is a double, so
/// integers beyond 2^53 round as they would in the app, and doubles print in
/// `Number.prototype.toString` form (integers as plain digits up to 1e21).
pub fn js_number(number: &serde_json::Number) -> String {
    const EXACT: u64 = 1 << 53;
    if let Some(n) = number.as_u64().filter(|n| *n <= EXACT) {
        return n.to_string();
    }
    if let Some(n) = number.as_i64().filter(|n| n.unsigned_abs() <= EXACT) {
        return n.to_string();
    }
    js_double(number.as_f64().unwrap_or(0.0))
}

/// ECMAScript `Number::toString(x)` for a finite double: Rust's `{:e}` gives the shortest
/// round-tripping digits (as JavaScript's algorithm does); the layout follows the spec.
pub fn js_double(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return if x.is_nan() {
            "NaN".to_owned()
        } else if x.is_infinite() {
            if x > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
        } else {
            "0".to_owned()
        };
    }
    let sign = if x < 0.0 { "-" } else { "" };
    let formatted = format!("{:e}", x.abs());
    let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i64;
    // x = 0.digits × 10^n
    let n = exponent.parse::<i64>().unwrap_or(0) + 1;
    let body = if k <= n && n <= 21 {
        format!("{digits}{}", "0".repeat((n - k) as usize))
    } else if 0 < n && n <= 21 {
        let (int, frac) = digits.split_at(n as usize);
        format!("{int}.{frac}")
    } else if -6 < n && n <= 0 {
        format!("0.{}{digits}", "0".repeat((-n) as usize))
    } else {
        let e = n - 1;
        let e_sign = if e < 0 { '-' } else { '+' };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{e_sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{e_sign}{}", e.abs())
        }
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn serialises_like_the_app() {
        let value = json!({"b": [1, "x", null], "a": {}, "c": true});
        assert_eq!(
            serialize_json_object(&value),
            r#"{["a","b","c"]{[]},[1,"x",null],true,}"#
        );
    }

    #[test]
    fn numbers_print_as_javascript_does() {
        let cases = [
            (1.0, "1"),
            (1.5, "1.5"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (123456789012345680000.0, "123456789012345680000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (-2.5, "-2.5"),
            (1.2345e25, "1.2345e+25"),
        ];
        for (x, expected) in cases {
            assert_eq!(js_double(x), expected, "{x}");
        }
        let big: serde_json::Number = serde_json::from_str("9007199254740993").unwrap();
        assert_eq!(js_number(&big), "9007199254740992");
        let ms: serde_json::Number = serde_json::from_str("1761326849944").unwrap();
        assert_eq!(js_number(&ms), "1761326849944");
    }

    #[test]
    fn keys_sort_by_utf16_code_units() {
        // U+FF5E (BMP, high) sorts after U+1F600 (astral) in UTF-16, before it in UTF-8.
        let value = json!({"\u{1F600}": 1, "\u{FF5E}": 2});
        assert_eq!(
            serialize_json_object(&value),
            "{[\"\u{1F600}\",\"\u{FF5E}\"]1,2,}"
        );
    }
}
