//! Text that came from a file, the ledger, a command or a person reaches a terminal only
//! through here. A terminal obeys what it is sent: an escape sequence can clear the screen,
//! set the window title or write the clipboard (OSC 52), and a bidi override can make a line
//! read other than it is. Such a character is shown as text instead (`\x1b`, `\u{202e}`), so
//! that tampering shows. `--json` output keeps its value exactly: [`json_for_terminal`] only
//! writes those characters as JSON's own `\uXXXX` escapes.

use std::borrow::Cow;
use std::fmt::Write;

/// `text` with every control character but newline and tab (C0, DEL, C1: what starts and
/// ends CSI, OSC and DCS sequences), and every bidi embedding, override and isolate, written
/// as a visible escape.
pub fn for_terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = match u32::from(c) {
                code @ 0..=0xff => write!(shown, "\\x{code:02x}"),
                code => write!(shown, "\\u{{{code:x}}}"),
            };
        } else {
            shown.push(c);
        }
    }
    Cow::Owned(shown)
}

/// One cell of the console: the same characters dropped rather than shown, since a cell's
/// width is already laid out (the console's text library drops control characters but keeps
/// zero-width bidi controls, appended to the cell before).
pub fn for_cell(symbol: &str) -> Cow<'_, str> {
    if !symbol.chars().any(is_unsafe) {
        return Cow::Borrowed(symbol);
    }
    Cow::Owned(symbol.chars().filter(|c| !is_unsafe(*c)).collect())
}

/// JSON text with the characters [`for_terminal`] shows as text written as `\uXXXX` escapes
/// instead: the same JSON value (outside its strings JSON holds only ASCII punctuation and
/// whitespace), and nothing raw on a terminal. serde_json escapes C0 itself, but not DEL, C1
/// or bidi controls.
pub fn json_for_terminal(json: &str) -> Cow<'_, str> {
    if !json.chars().any(is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if is_unsafe(c) {
            let _ = write!(escaped, "\\u{:04x}", u32::from(c));
        } else {
            escaped.push(c);
        }
    }
    Cow::Owned(escaped)
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_control(c)
}

/// U+202A–U+202E (embeddings, overrides, pop) and U+2066–U+2069 (isolates).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_bidi_controls_show_as_text() {
        let hostile = "a\x1b[2Jb\x1b]52;c;ZWNobw==\x07c\u{9b}31md\u{202e}e\u{2066}f\x7f\r";
        assert_eq!(
            for_terminal(hostile),
            r"a\x1b[2Jb\x1b]52;c;ZWNobw==\x07c\x9b31md\u{202e}e\u{2066}f\x7f\x0d"
        );
    }

    #[test]
    fn plain_text_newlines_and_tabs_pass_unchanged_without_a_copy() {
        let plain = "run r-1 — Pause · ✓ ready\n\tnext ‼ 日本";
        assert!(matches!(for_terminal(plain), Cow::Borrowed(_)));
        assert_eq!(for_terminal(plain), plain);
    }

    #[test]
    fn json_keeps_its_value_and_loses_its_raw_characters() {
        let value = serde_json::json!({ "title": "a\u{9b}31m\u{202e}b\x7f\x1b", "n": 1 });
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = json_for_terminal(&text);
        assert!(
            !safe.contains(['\u{9b}', '\u{202e}', '\x7f', '\x1b']),
            "{safe}"
        );
        let again: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(again, value);
    }

    #[test]
    fn a_cell_loses_what_it_cannot_show() {
        assert_eq!(for_cell("a\u{202e}"), "a");
        assert_eq!(for_cell("\u{2067}"), "");
        assert!(matches!(for_cell("é"), Cow::Borrowed(_)));
    }
}
