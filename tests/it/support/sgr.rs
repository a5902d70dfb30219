//! Colour in a terminal's raw output: the SGR sequences that set one.

/// The SGR sequences (`ESC[…m`) in `output` that set a colour: 30–38 and 40–48 (including
/// 38;5;n and 38;2;r;g;b), 90–97, 100–107. The resets 39 and 49 set no colour.
pub fn colour_sequences(output: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(output);
    let mut found = Vec::new();
    for (start, _) in text.match_indices("\x1b[") {
        let rest = &text[start + 2..];
        let Some(end) = rest.find(|c: char| !(c.is_ascii_digit() || c == ';')) else {
            continue;
        };
        if !rest[end..].starts_with('m') {
            continue;
        }
        let params = &rest[..end];
        let colour = params.split(';').any(|p| {
            p.parse::<u16>()
                .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        });
        if colour {
            found.push(format!("ESC[{params}m"));
        }
    }
    found
}
