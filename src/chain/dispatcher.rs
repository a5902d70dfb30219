//! The functions a deployed contract dispatches on, read from its runtime code: the opcodes
//! are walked (PUSH data skipped, the Solidity metadata trailer left out) and every constant
//! compared with a value as a dispatcher compares the call's selector (EQ, and the GT/LT of
//! its binary search; via-IR tests its last case with SUB, a non-zero difference jumping to the
//! fallback) is collected. The reading over-collects on purpose: a selector is only
//! absent when no such comparison in the code could match it.

use alloy_primitives::Address;
use std::collections::BTreeSet;

const PUSH0: u8 = 0x5f;
const PUSH1: u8 = 0x60;
const PUSH4: u8 = 0x63;
const PUSH32: u8 = 0x7f;
const DUP1: u8 = 0x80;
const SWAP16: u8 = 0x9f;
const LT: u8 = 0x10;
const GT: u8 = 0x11;
const SLT: u8 = 0x12;
const SGT: u8 = 0x13;
const EQ: u8 = 0x14;
const SUB: u8 = 0x03;
const XOR: u8 = 0x18;
const DELEGATECALL: u8 = 0xf4;

/// A proxy forwards everything it does not dispatch itself; its own dispatcher is this small
/// at most (OpenZeppelin's transparent proxy has 1 to 5 selectors, an EIP-1167 clone none).
const PROXY_SELECTORS: usize = 8;

/// The DUPs and SWAPs a compiler may put between a pushed constant and its comparison.
const STACK_MOVES_BETWEEN: usize = 2;

/// What a contract's runtime code dispatches on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dispatcher {
    /// Every constant of one to four bytes the code compares as a selector, left-padded.
    pub selectors: BTreeSet<[u8; 4]>,
    /// The code has a DELEGATECALL instruction.
    pub delegates: bool,
    /// Bytes read as code; the rest is the metadata trailer.
    pub code_bytes: usize,
    /// An EIP-1167 minimal proxy's implementation, written in its code.
    pub minimal_proxy_of: Option<Address>,
}

impl Dispatcher {
    /// Reads the dispatcher of `code` (runtime bytecode).
    pub fn read(code: &[u8]) -> Self {
        let end = code_end(code);
        let instructions = instructions(&code[..end]);
        let mut selectors = BTreeSet::new();
        for (at, instruction) in instructions.iter().enumerate() {
            let Some(constant) = instruction.selector_constant() else {
                continue;
            };
            let compared = instructions[at + 1..]
                .iter()
                .take(STACK_MOVES_BETWEEN + 1)
                .find(|next| !(DUP1..=SWAP16).contains(&next.op))
                .is_some_and(|next| matches!(next.op, EQ | SUB | XOR | GT | LT | SGT | SLT));
            if compared {
                selectors.insert(constant);
            }
        }
        Self {
            selectors,
            delegates: instructions.iter().any(|i| i.op == DELEGATECALL),
            code_bytes: end,
            minimal_proxy_of: minimal_proxy_of(code),
        }
    }

    pub fn has(&self, selector: [u8; 4]) -> bool {
        self.selectors.contains(&selector)
    }

    /// Code that forwards calls by DELEGATECALL and dispatches (almost) nothing itself: the
    /// functions it answers are the implementation's, not in this code.
    pub fn is_proxy(&self) -> bool {
        self.minimal_proxy_of.is_some()
            || (self.delegates && self.selectors.len() <= PROXY_SELECTORS)
    }
}

#[derive(Debug, Clone, Copy)]
struct Instruction<'a> {
    op: u8,
    /// The PUSH data (empty for other opcodes; shorter than the PUSH width at the code's end).
    data: &'a [u8],
}

impl Instruction<'_> {
    /// A PUSH1..PUSH4 constant as a selector (Solidity drops a selector's leading zero bytes).
    fn selector_constant(&self) -> Option<[u8; 4]> {
        if !(PUSH1..=PUSH4).contains(&self.op) || self.data.len() != usize::from(self.op - PUSH0) {
            return None;
        }
        let mut selector = [0u8; 4];
        selector[4 - self.data.len()..].copy_from_slice(self.data);
        Some(selector)
    }
}

/// The instructions of `code`, PUSH data taken as data and never as opcodes.
fn instructions(code: &[u8]) -> Vec<Instruction<'_>> {
    let mut out = Vec::with_capacity(code.len());
    let mut at = 0;
    while let Some(&op) = code.get(at) {
        let width = if (PUSH1..=PUSH32).contains(&op) {
            usize::from(op - PUSH0)
        } else {
            0
        };
        let data_end = (at + 1 + width).min(code.len());
        out.push(Instruction {
            op,
            data: &code[at + 1..data_end],
        });
        at = data_end;
    }
    out
}

/// Where the code ends and Solidity's metadata trailer starts: the last two bytes give the
/// length of the CBOR map before them. Code with no such trailer is code to its end.
pub fn code_end(code: &[u8]) -> usize {
    let Some(length_at) = code.len().checked_sub(2) else {
        return code.len();
    };
    let length = usize::from(u16::from_be_bytes([code[length_at], code[length_at + 1]]));
    match length_at.checked_sub(length) {
        // A CBOR map (major type 5) of 1 to 23 entries, as solc writes it.
        Some(start) if length > 0 && (0xa1..=0xb7).contains(&code[start]) => start,
        _ => code.len(),
    }
}

/// The implementation an EIP-1167 minimal proxy forwards to, read from its 45 bytes.
fn minimal_proxy_of(code: &[u8]) -> Option<Address> {
    const HEAD: [u8; 10] = [0x36, 0x3d, 0x3d, 0x37, 0x3d, 0x3d, 0x3d, 0x36, 0x3d, 0x73];
    const TAIL: [u8; 15] = [
        0x5a, 0xf4, 0x3d, 0x82, 0x80, 0x3e, 0x90, 0x3d, 0x91, 0x60, 0x2b, 0x57, 0xfd, 0x5b, 0xf3,
    ];
    let rest = code.strip_prefix(&HEAD)?;
    let (address, tail) = rest.split_at_checked(20)?;
    (tail == TAIL).then(|| Address::from_slice(address))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(hex_text: &str) -> Vec<u8> {
        hex::decode(hex_text.replace(' ', "")).unwrap()
    }

    /// `DUP1 PUSH4 sel EQ PUSH2 0x0010 JUMPI` for each selector.
    fn dispatch(selectors: &[&str]) -> String {
        selectors
            .iter()
            .map(|s| format!("80 63{s} 14 610010 57 "))
            .collect()
    }

    fn selector(hex_text: &str) -> [u8; 4] {
        bytes(hex_text).try_into().unwrap()
    }

    #[test]
    fn collects_each_compared_selector_including_shortened_ones() {
        // PUSH0 CALLDATALOAD PUSH1 e0 SHR; a PUSH3 of a selector 0x00dc34c1; a GT split; the
        // last case as via-IR writes it, `PUSH4 sel SUB PUSH2 fallback JUMPI`.
        let code = bytes(&format!(
            "5f35 60e0 1c {} 80 62dc34c1 14 610020 57 6312345678 81 11 610030 57 63f2fde38b 03 610010 57 00",
            dispatch(&["aabbccdd", "01020304"])
        ));
        let found = Dispatcher::read(&code);
        for expected in ["aabbccdd", "01020304", "00dc34c1", "12345678", "f2fde38b"] {
            assert!(found.has(selector(expected)), "{expected}");
        }
        assert!(!found.delegates);
        assert!(!found.is_proxy());
    }

    #[test]
    fn push_data_is_never_read_as_code() {
        // A PUSH32 whose data holds `PUSH4 deadbeef EQ`, then the same bytes as real code.
        let hidden = "63deadbeef14";
        let code = bytes(&format!(
            "7f{hidden}{} 50 {} 00",
            "00".repeat(32 - 6),
            dispatch(&["cafebabe"])
        ));
        let found = Dispatcher::read(&code);
        assert!(!found.has(selector("deadbeef")));
        assert!(found.has(selector("cafebabe")));
        // A PUSH2 swallowing the PUSH4's opcode: the next bytes are its data, not a selector.
        let found = Dispatcher::read(&bytes("61 0063 11223344 14"));
        assert!(!found.has(selector("11223344")));
        // A PUSH4 cut short by the end of the code is no selector, and nothing panics.
        let found = Dispatcher::read(&bytes("80 63 aabb"));
        assert!(found.selectors.is_empty());
    }

    #[test]
    fn the_metadata_trailer_is_not_read_as_code() {
        let body = dispatch(&["aabbccdd"]);
        // a2 64 "ipfs" 58 22 <34 bytes> 64 "solc" 43 000819, as solc ends runtime code; the
        // hash here holds `DUP1 PUSH4 feedface EQ`.
        let hash = format!("1220 80 63feedface 14 {}", "00".repeat(25));
        let trailer = format!("a2 6469706673 5822 {hash} 64736f6c63 43000819");
        let length = bytes(&trailer).len();
        let code = bytes(&format!("{body} 00 fe {trailer} {length:04x}"));
        assert_eq!(code_end(&code), bytes(&body).len() + 2);
        let found = Dispatcher::read(&code);
        assert!(found.has(selector("aabbccdd")));
        assert!(
            !found.has(selector("feedface")),
            "trailer bytes read as code"
        );
        // Without the length bytes the same trailer would be read as code.
        let untrimmed = bytes(&format!("{body} 00 fe {trailer}"));
        assert!(Dispatcher::read(&untrimmed).has(selector("feedface")));
    }

    #[test]
    fn a_length_that_points_at_no_cbor_map_leaves_the_code_whole() {
        let code = bytes(&format!("{} 0003", dispatch(&["aabbccdd"])));
        assert_eq!(code_end(&code), code.len());
        assert_eq!(code_end(&[]), 0);
        assert_eq!(code_end(&[0xa1]), 1);
        assert_eq!(code_end(&bytes("ffff")), 2);
    }

    #[test]
    fn constants_that_are_not_compared_are_not_selectors() {
        // PUSH4 x PUSH1 e2 SHL: an error selector being built, not a comparison.
        let found = Dispatcher::read(&bytes("630dccd20d 60e2 1b 52"));
        assert!(found.selectors.is_empty());
    }

    #[test]
    fn proxies_are_named() {
        let clone = bytes(&format!(
            "363d3d373d3d3d363d73{}5af43d82803e903d91602b57fd5bf3",
            "be".repeat(20)
        ));
        let found = Dispatcher::read(&clone);
        assert!(found.is_proxy());
        assert_eq!(found.minimal_proxy_of, Some(Address::repeat_byte(0xbe)));
        // A fallback that DELEGATECALLs with one selector of its own.
        let forwarding = bytes(&format!("{} 5a f4 00", dispatch(&["4f1ef286"])));
        assert!(Dispatcher::read(&forwarding).is_proxy());
        // Many functions and a DELEGATECALL somewhere: a contract, not a proxy.
        let many: Vec<String> = (0..20).map(|i| format!("{i:08x}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let contract = bytes(&format!("{} 5a f4 00", dispatch(&many)));
        assert!(!Dispatcher::read(&contract).is_proxy());
    }
}
