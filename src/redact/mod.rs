//! The one place secrets are taken out of text before it is hashed, recorded or shown: RPC
//! URLs as the console shows them ([`redact_url`]), and any text ([`Redactor`]): a command's
//! output, a message. What is masked becomes `***`.

mod patterns;
mod url;

pub use patterns::is_secret_name;
pub use url::redact_url;

use std::sync::OnceLock;
use zeroize::Zeroizing;

/// What a secret is replaced with.
pub const MASK: &str = "***";

/// Masks secrets by their shape (URL credentials and keys, `NAME_KEY=…`-style assignments,
/// bearer tokens) and the secret values it knows (the passphrase), wherever they appear.
#[derive(Clone, Default)]
pub struct Redactor {
    /// Longest first, so that a value holding another is masked whole.
    known: Vec<Zeroizing<String>>,
}

impl Redactor {
    /// This process's redactor: it knows the operator's passphrase when the environment gives
    /// it (`OWNER_CONSOLE_PASSPHRASE`).
    pub fn of_process() -> &'static Redactor {
        static PROCESS: OnceLock<Redactor> = OnceLock::new();
        PROCESS.get_or_init(|| {
            let passphrase = std::env::var(crate::keys::passphrase::ENV).ok();
            Redactor::default().knowing(passphrase.as_deref())
        })
    }

    /// This redactor, knowing these secret values too (empty ones are left out).
    pub fn knowing<'a>(mut self, values: impl IntoIterator<Item = &'a str>) -> Self {
        for value in values.into_iter().filter(|v| !v.trim().is_empty()) {
            self.known.push(Zeroizing::new(value.to_owned()));
        }
        self.known
            .sort_by_key(|value| std::cmp::Reverse(value.len()));
        self.known.dedup();
        self
    }

    pub fn bytes(&self, input: &[u8]) -> Vec<u8> {
        let mut text = input.to_vec();
        for value in &self.known {
            text = replace_all(&text, value.as_bytes());
        }
        patterns::mask(&text)
    }

    pub fn text(&self, input: &str) -> String {
        match String::from_utf8(self.bytes(input.as_bytes())) {
            Ok(text) => text,
            Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
        }
    }
}

/// `haystack` with every `needle` replaced by [`MASK`].
fn replace_all(haystack: &[u8], needle: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut at = 0;
    while at < haystack.len() {
        if haystack[at..].starts_with(needle) {
            out.extend_from_slice(MASK.as_bytes());
            at += needle.len();
        } else {
            out.push(haystack[at]);
            at += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::Redactor;

    #[test]
    fn a_known_value_is_masked_wherever_it_stands() {
        let redactor = Redactor::default().knowing(["correct horse battery", ""]);
        assert_eq!(
            redactor
                .text("OWNER_CONSOLE_PASSPHRASE=correct horse battery\0x=correct horse battery!"),
            "OWNER_CONSOLE_PASSPHRASE=***\0x=***!"
        );
        assert_eq!(redactor.text("nothing here"), "nothing here");
    }

    #[test]
    fn the_longer_of_two_overlapping_values_is_masked_whole() {
        let redactor = Redactor::default().knowing(["abc", "abcdef"]);
        assert_eq!(redactor.text("[abcdef] [abc]"), "[***] [***]");
    }

    #[test]
    fn output_that_is_not_utf8_keeps_its_bytes() {
        let redactor = Redactor::default().knowing(["s3cr3t"]);
        let out = redactor.bytes(b"\xff\xfe s3cr3t \x80");
        assert_eq!(out, b"\xff\xfe *** \x80");
    }
}
