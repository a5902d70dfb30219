//! The id a runbook file declares, read off its top lines without parsing it: how a command
//! about one runbook finds its file among many (`session::need`).

/// What the top of a file says its id is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Declared<'a> {
    /// A line `id = "…"` before the first table: the runbook's id, if the file loads at all.
    Id(&'a str),
    /// No such line (the id is written another way, comes later, or is missing): the file
    /// may be any runbook.
    Unknown,
}

/// The id declared by a line `id = "…"` (spaces around `=` and a trailing comment allowed)
/// among the lines before the first table header (`[` or `[[`), where a top-level key must be.
pub fn declared_id(head: &str) -> Declared<'_> {
    for line in head.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            break;
        }
        let Some(rest) = line.strip_prefix("id") else {
            continue;
        };
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let Some(quoted) = value.trim_start().strip_prefix('"') else {
            return Declared::Unknown;
        };
        let Some((id, after)) = quoted.split_once('"') else {
            return Declared::Unknown;
        };
        let after = after.trim_start();
        let plain = !id.contains('\\');
        return if plain && (after.is_empty() || after.starts_with('#')) {
            Declared::Id(id)
        } else {
            Declared::Unknown
        };
    }
    Declared::Unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_plain_top_level_id_line_counts() {
        assert_eq!(
            declared_id("id = \"walk\"\ntitle = \"x\""),
            Declared::Id("walk")
        );
        assert_eq!(
            declared_id("# a comment\ntitle = \"x\"\n  id=\"walk\"  # the id\n"),
            Declared::Id("walk")
        );
        assert_eq!(declared_id("idle = \"no\"\nid = \"a\""), Declared::Id("a"));
        for unknown in [
            "\"id\" = \"quoted-key\"",
            "id = 'literal'",
            "id = \"esc\\\"aped\"",
            "id = \"a\" \"b\"",
            "id = \"unclosed",
            "title = \"x\"\n[[steps]]\nid = \"a-step\"",
            "",
        ] {
            assert_eq!(declared_id(unknown), Declared::Unknown, "{unknown}");
        }
    }
}
