//! Whether a decision's option is a rollback: the word "rollback" (or "rollbacks"), or the
//! words "roll back", in any case, with `-`, `_` and other punctuation separating words.

pub fn mentions_rollback(text: &str) -> bool {
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().any(|w| *w == "rollback" || *w == "rollbacks")
        || words.windows(2).any(|pair| pair == ["roll", "back"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollback_is_a_word_not_a_substring() {
        for yes in [
            "Roll back",
            "rollback-prepare",
            "ROLLBACK",
            "roll_back now",
            "Two rollbacks",
        ] {
            assert!(mentions_rollback(yes), "{yes}");
        }
        for no in ["Pause", "enroll backup", "rollbacker", "roll", "back"] {
            assert!(!mentions_rollback(no), "{no}");
        }
    }
}
