//! Why a call reverted, in words: a custom error of the target's ABI by name and arguments
//! (`TreasuryNotAllowlisted(0xF777…)`), a `require` message, or a panic's meaning.

use alloy_dyn_abi::ErrorExt;
use alloy_json_abi::JsonAbi;

/// The revert `data` explained with `abi`'s custom errors when one matches its selector.
pub fn explain(data: &[u8], abi: Option<&JsonAbi>) -> String {
    if data.is_empty() {
        return "reverted without a reason".to_owned();
    }
    if let Some(reason) = alloy_sol_types::decode_revert_reason(data) {
        return crate::sanitize::for_terminal(reason.trim_start_matches("revert: ")).into_owned();
    }
    let custom = data.get(..4).and_then(|selector| {
        abi?.errors()
            .find(|error| error.selector().as_slice() == selector)
    });
    match custom.map(|error| (error, error.decode_error(data))) {
        Some((error, Ok(decoded))) => {
            let args: Vec<String> = decoded
                .body
                .iter()
                .map(crate::safe::abi::value_text)
                .collect();
            crate::sanitize::for_terminal(&format!("{}({})", error.name, args.join(", ")))
                .into_owned()
        }
        Some((error, Err(_))) => format!(
            "{} with arguments that do not decode ({} bytes)",
            error.name,
            data.len()
        ),
        None => format!(
            "an error the contract's ABI does not name (selector 0x{}, {} bytes)",
            hex::encode(data.get(..4).unwrap_or(data)),
            data.len()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn abi() -> JsonAbi {
        JsonAbi::parse(["error TreasuryNotAllowlisted(address treasury)"]).expect("an ABI")
    }

    #[test]
    fn a_custom_error_is_named_with_its_arguments() {
        let error = &abi().errors["TreasuryNotAllowlisted"][0];
        let mut data = error.selector().to_vec();
        data.extend([0u8; 12]);
        data.extend([0xf7u8; 20]);
        let treasury = alloy_primitives::Address::repeat_byte(0xf7).to_checksum(None);
        assert_eq!(
            explain(&data, Some(&abi())),
            format!("TreasuryNotAllowlisted({treasury})")
        );
    }

    #[test]
    fn a_require_message_is_shown_without_terminal_escapes() {
        use alloy_sol_types::SolError;
        let data = alloy_sol_types::Revert::from("bad \u{1b}[31mpct").abi_encode();
        let shown = explain(&data, None);
        assert!(
            shown.contains("bad") && !shown.contains('\u{1b}'),
            "{shown}"
        );
    }

    #[test]
    fn an_unknown_error_gives_its_selector() {
        let shown = explain(&[0xde, 0xad, 0xbe, 0xef, 0, 1], Some(&abi()));
        assert!(
            shown.contains("0xdeadbeef") && shown.contains("6 bytes"),
            "{shown}"
        );
    }
}
