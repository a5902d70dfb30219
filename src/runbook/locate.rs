//! Finds where a field path sits in the TOML source, so that every problem can name its line.
//! Each lookup walks the path down the parsed tables (no scan of the text), and the problems'
//! lines and columns are counted in one pass over the text for them all: a runbook of
//! 100,000 problems costs no more than its length.

use super::problem::{FieldPath, Problem, Segment, floor_char_boundary};
use std::cell::OnceCell;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// The source is parsed for spans only when the first problem asks where it is: a valid
/// runbook (the usual case) is parsed once, not twice.
pub struct Locator<'i> {
    text: &'i str,
    root: OnceCell<Option<Spanned<DeTable<'i>>>>,
}

impl<'i> Locator<'i> {
    pub fn new(text: &'i str) -> Self {
        Self {
            text,
            root: OnceCell::new(),
        }
    }

    /// The span of the deepest part of `path` that exists: the key itself when the path ends
    /// on a key, so that an unknown key is pointed at rather than its value.
    pub fn span(&self, path: &FieldPath) -> Range<usize> {
        let Some(root) = self.root.get_or_init(|| DeTable::parse(self.text).ok()) else {
            return 0..0;
        };
        let mut best = root.span();
        let mut table: Option<&DeTable<'i>> = Some(root.get_ref());
        let mut array: Option<&[Spanned<DeValue<'i>>]> = None;
        for segment in &path.0 {
            let value = match segment {
                Segment::Key(name) => {
                    let Some(entries) = table else { break };
                    let Some((key, value)) = entries.get_key_value(name.as_str()) else {
                        break;
                    };
                    best = key.span();
                    value
                }
                Segment::Index(index) => {
                    let Some(items) = array else { break };
                    let Some(value) = items.get(*index) else {
                        break;
                    };
                    best = value.span();
                    value
                }
            };
            table = None;
            array = None;
            match value.get_ref() {
                DeValue::Table(inner) => table = Some(inner),
                DeValue::Array(items) => array = Some(items.as_ref()),
                _ => {}
            }
        }
        best
    }

    /// Fills in each problem's line and column from its byte offset, counted in one pass over
    /// the text; the problems come back in their order in the file (in the order found, for
    /// one place).
    pub fn place(&self, mut found: Vec<(usize, Problem)>) -> Vec<Problem> {
        found.sort_by_key(|(offset, _)| *offset);
        let mut cursor = Cursor {
            at: 0,
            line: 1,
            column: 1,
        };
        found
            .into_iter()
            .map(|(offset, mut problem)| {
                (problem.line, problem.column) = cursor.advance(self.text, offset);
                problem
            })
            .collect()
    }
}

/// A place in the text, moved forwards only.
struct Cursor {
    at: usize,
    line: usize,
    column: usize,
}

impl Cursor {
    /// Line and column (1-based, the column in characters) of `offset`, not before `at`.
    fn advance(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(text, offset.min(text.len())).max(self.at);
        for c in text[self.at..offset].chars() {
            if c == '\n' {
                self.line += 1;
                self.column = 1;
            } else {
                self.column += 1;
            }
        }
        self.at = offset;
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::problem::{Level, line_column};

    #[test]
    fn placing_in_one_pass_agrees_with_counting_each_offset_alone() {
        let text = "id = \"é\"\n\n[[steps]]\nkind = \"ü\" # ç\n";
        let problem = |field: &str| Problem {
            level: Level::Error,
            file: "x.toml".into(),
            line: 0,
            column: 0,
            field: field.to_owned(),
            message: String::new(),
            hint: None,
        };
        let offsets = [30, 0, 7, 8, 9, 999, 12, 7];
        let found = offsets
            .iter()
            .map(|offset| (*offset, problem(&offset.to_string())))
            .collect();
        let placed = Locator::new(text).place(found);
        let mut sorted = offsets.to_vec();
        sorted.sort();
        for (problem, offset) in placed.iter().zip(sorted) {
            assert_eq!(problem.field, offset.to_string());
            assert_eq!((problem.line, problem.column), line_column(text, offset));
        }
    }
}
