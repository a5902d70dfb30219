//! Fitting text into a width: greedy word wrap, and truncation that says so (`…`).

/// Display width of `text`, counting each character as one column (the console's text is
/// ASCII plus single-width symbols).
pub fn width(text: &str) -> usize {
    text.chars().count()
}

/// `text` cut to `max` columns, ending in `…` when something was cut.
pub fn truncate(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    match max {
        0 => String::new(),
        _ => {
            let kept: String = text.chars().take(max - 1).collect();
            format!("{}…", kept.trim_end())
        }
    }
}

/// `text` cut to `max` columns in its middle, keeping both ends (`0xf777…7777`).
pub fn truncate_middle(text: &str, max: usize) -> String {
    let count = width(text);
    if count <= max {
        return text.to_owned();
    }
    if max < 3 {
        return truncate(text, max);
    }
    let head = (max - 1).div_ceil(2);
    let tail = max - 1 - head;
    let chars: Vec<char> = text.chars().collect();
    chars[..head]
        .iter()
        .chain(['…'].iter())
        .chain(chars[count - tail..].iter())
        .collect()
}

/// `text` cut to `max` columns; a value shown as `name (raw)` keeps its name whole and cuts the
/// raw value in its middle (`beta.agent.agi.eth (0x3f…6fd)`), or when even that does not fit,
/// keeps the start of its name; any other value is cut in its middle.
pub fn truncate_value(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_owned();
    }
    match text.strip_suffix(')').and_then(|t| t.rsplit_once(" (")) {
        Some((name, raw)) if !name.is_empty() => {
            let room = max.saturating_sub(width(name) + 3);
            if room >= 3 {
                format!("{name} ({})", truncate_middle(raw, room))
            } else {
                truncate(text, max)
            }
        }
        _ => truncate_middle(text, max),
    }
}

/// `text` wrapped at spaces into lines of at most `max` columns; a word longer than a line is
/// broken. The same lines every time, so a layout can count them before drawing.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let needed = width(&line) + usize::from(!line.is_empty()) + width(word);
            if needed > max && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let mut rest: Vec<char> = word.chars().collect();
            while line.is_empty() && rest.len() > max {
                let tail = rest.split_off(max);
                lines.push(rest.into_iter().collect());
                rest = tail;
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.extend(rest);
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_marks_what_it_cuts() {
        assert_eq!(truncate("FeePool.burnPct", 20), "FeePool.burnPct");
        assert_eq!(truncate("FeePool.burnPct", 8), "FeePool…");
        assert_eq!(
            truncate_middle("0xf777777777777777777777777777777777777777", 11),
            "0xf77…77777"
        );
    }

    #[test]
    fn a_named_value_keeps_its_name() {
        let alias = "beta.agent.agi.eth (0x3f5d00000000000000000000000000000005d6fd)";
        assert_eq!(truncate_value(alias, 30), "beta.agent.agi.eth (0x3f…d6fd)");
        assert_eq!(truncate_value(alias, 12), "beta.agent.…");
        assert_eq!(truncate_value(alias, 20), "beta.agent.agi.eth…");
        assert_eq!(
            truncate_value("0xf777777777777777777777777777777777777777", 11),
            "0xf77…77777"
        );
        assert_eq!(truncate_value("short (x)", 20), "short (x)");
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_inside_long_words() {
        assert_eq!(wrap("one two three", 7), ["one two", "three"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("a\nb", 10), ["a", "b"]);
        assert_eq!(wrap("x abcdefgh", 4), ["x", "abcd", "efgh"]);
    }
}
