//! Finds where a field path sits in the TOML source, so that every problem can name its line.

use super::problem::{FieldPath, Segment};
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
                    let Some((key, value)) = entries.iter().find(|(k, _)| k.get_ref() == name)
                    else {
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
}
