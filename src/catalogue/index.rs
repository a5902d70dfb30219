//! Lookups into the catalogue's parameters: by id, and in id order, so that maps of values
//! (sorted by id) are walked beside the catalogue rather than searched once per parameter.

use super::Parameter;
use std::collections::HashMap;
use std::iter::Peekable;

#[derive(Debug, Clone, Default)]
pub struct Index {
    /// Parameter id → its position in the catalogue.
    by_id: HashMap<String, usize>,
    /// Positions in id order.
    sorted: Vec<usize>,
    /// Position → its place in id order.
    rank: Vec<usize>,
}

impl Index {
    pub fn new(parameters: &[Parameter]) -> Self {
        let mut sorted: Vec<usize> = (0..parameters.len()).collect();
        sorted.sort_by(|a, b| parameters[*a].id.cmp(&parameters[*b].id));
        let mut rank = vec![0; parameters.len()];
        for (place, position) in sorted.iter().enumerate() {
            rank[*position] = place;
        }
        Self {
            by_id: parameters
                .iter()
                .enumerate()
                .map(|(position, p)| (p.id.clone(), position))
                .collect(),
            sorted,
            rank,
        }
    }

    /// How many distinct ids there are.
    pub fn distinct_ids(&self) -> usize {
        self.by_id.len()
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    /// Positions in id order.
    pub fn sorted(&self) -> &[usize] {
        &self.sorted
    }

    /// The place of the parameter at `position` in id order.
    pub fn rank(&self, position: usize) -> usize {
        self.rank.get(position).copied().unwrap_or(usize::MAX)
    }
}

/// Advances `values` (sorted by id) past the ids before `id`, and takes the value of `id` if
/// it is next.
pub fn seek<'a, V>(
    values: &mut Peekable<impl Iterator<Item = (&'a String, V)>>,
    id: &str,
) -> Option<V> {
    while values.next_if(|(key, _)| key.as_str() < id).is_some() {}
    values
        .next_if(|(key, _)| key.as_str() == id)
        .map(|(_, v)| v)
}
