//! A contract read from its Solidity signature with the return type, as the catalogue and the
//! runbooks write it (`burnPct()(uint256)`, `treasuryAllowlist(address)(bool)`): encoded and
//! decoded with alloy's dynamic ABI, so a new parameter needs a line of config, not code.

use alloy_dyn_abi::{DynSolValue, FunctionExt, JsonAbiExt, Specifier};
use alloy_json_abi::Function;
use alloy_primitives::Bytes;

#[derive(Debug, Clone)]
pub struct Getter {
    pub signature: String,
    function: Function,
}

impl Getter {
    pub fn parse(signature: &str) -> Result<Self, String> {
        let bad =
            || format!("`{signature}` is not a getter signature such as `burnPct()(uint256)`");
        let split = signature.find(")(").ok_or_else(bad)?;
        let (call, returns) = signature.split_at(split + 1);
        let human = format!("function {call} view returns {returns}");
        let function = Function::parse(&human).map_err(|_| bad())?;
        let resolves = function
            .inputs
            .iter()
            .chain(&function.outputs)
            .all(|param| param.resolve().is_ok());
        if function.outputs.is_empty() || !resolves {
            return Err(bad());
        }
        Ok(Self {
            signature: signature.to_owned(),
            function,
        })
    }

    pub fn inputs(&self) -> usize {
        self.function.inputs.len()
    }

    /// The getter's arguments from text (`2`, `0x…`), by the signature's input types.
    pub fn arguments(&self, texts: &[String]) -> Result<Vec<DynSolValue>, String> {
        self.function
            .inputs
            .iter()
            .zip(texts)
            .map(|(param, text)| {
                param
                    .resolve()
                    .and_then(|ty| ty.coerce_str(text))
                    .map_err(|e| format!("{}: argument `{text}`: {e}", self.signature))
            })
            .collect()
    }

    pub fn calldata(&self, args: &[DynSolValue]) -> Result<Bytes, String> {
        self.function
            .abi_encode_input(args)
            .map(Bytes::from)
            .map_err(|e| format!("{}: cannot encode the arguments: {e}", self.signature))
    }

    /// The first return value, or why the bytes are not what the signature returns (an address
    /// with no code answers an empty result).
    pub fn decode(&self, output: &[u8]) -> Result<DynSolValue, String> {
        if output.is_empty() {
            return Err(format!(
                "{} returned nothing: no contract at the address, or it lacks this getter",
                self.signature
            ));
        }
        let mut values = self
            .function
            .abi_decode_output(output)
            .map_err(|e| format!("{} returned bytes that do not decode: {e}", self.signature))?;
        if values.is_empty() {
            return Err(format!("{} returned no value", self.signature));
        }
        Ok(values.swap_remove(0))
    }
}

/// A decoded value as JSON, in the chain's units: numbers as decimal strings (they exceed
/// JSON's safe integers), addresses checksummed, bytes as 0x hex.
pub fn to_json(value: &DynSolValue) -> serde_json::Value {
    use serde_json::Value;
    match value {
        DynSolValue::Bool(b) => Value::Bool(*b),
        DynSolValue::Uint(n, _) => Value::String(n.to_string()),
        DynSolValue::Int(n, _) => Value::String(n.to_string()),
        DynSolValue::Address(a) => Value::String(a.to_checksum(None)),
        DynSolValue::FixedBytes(word, size) => {
            Value::String(format!("0x{}", hex::encode(&word[..*size])))
        }
        DynSolValue::Bytes(bytes) => Value::String(format!("0x{}", hex::encode(bytes))),
        DynSolValue::String(text) => Value::String(text.clone()),
        DynSolValue::Array(items) | DynSolValue::FixedArray(items) | DynSolValue::Tuple(items) => {
            Value::Array(items.iter().map(to_json).collect())
        }
        other => Value::String(format!("{other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::U256;

    #[test]
    fn encodes_and_decodes_from_the_signature_alone() {
        let getter = Getter::parse("burnPct()(uint256)").expect("parses");
        let selector = alloy_primitives::keccak256(b"burnPct()");
        assert_eq!(getter.calldata(&[]).expect("encodes")[..], selector[..4]);
        let word = U256::from(7u64).to_be_bytes::<32>();
        assert_eq!(
            to_json(&getter.decode(&word).expect("decodes")),
            serde_json::json!("7")
        );
        assert!(
            getter
                .decode(&[])
                .expect_err("empty")
                .contains("no contract")
        );
    }

    #[test]
    fn mapping_getters_take_their_key() {
        let getter = Getter::parse("treasuryAllowlist(address)(bool)").expect("parses");
        assert_eq!(getter.inputs(), 1);
    }

    #[test]
    fn a_signature_without_returns_is_refused() {
        for bad in ["burnPct()", "burnPct", "()(uint256)", "burnPct()(notatype)"] {
            assert!(Getter::parse(bad).is_err(), "{bad}");
        }
    }
}
