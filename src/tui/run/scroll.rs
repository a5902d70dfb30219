//! A scroll position over a text whose height only the view knows: each time the view draws
//! the text it says how far the position may go, and keys past that are not counted, so the
//! first key back moves the text.

use std::cell::Cell;

/// How far a text scrolls before it has been drawn once.
const UNDRAWN: isize = 1000;

#[derive(Debug)]
pub struct Scroll {
    at: isize,
    /// The lowest and highest position, as the view last drew the text.
    bounds: Cell<(isize, isize)>,
    /// The bounds before any draw.
    first: (isize, isize),
}

impl Scroll {
    /// A scroll from the top down (a pane's lines).
    pub fn down_from_top() -> Self {
        Self::within((0, UNDRAWN))
    }

    /// A scroll both ways from where the view puts the text (the flowchart, around its
    /// current step).
    pub fn both_ways() -> Self {
        Self::within((-UNDRAWN, UNDRAWN))
    }

    fn within(first: (isize, isize)) -> Self {
        Self {
            at: 0,
            bounds: Cell::new(first),
            first,
        }
    }

    pub fn at(&self) -> isize {
        self.at
    }

    /// Moves by `delta`, within the bounds the view last drew.
    pub fn by(&mut self, delta: isize) {
        let (low, high) = self.bounds.get();
        self.at = (self.at.clamp(low, high) + delta).clamp(low, high);
    }

    /// Back to the start, for a text newly shown.
    pub fn reset(&mut self) {
        self.at = 0;
        self.bounds.set(self.first);
    }

    /// What the view found drawing the text: how far the position may go.
    pub fn drawn_within(&self, low: isize, high: isize) {
        self.bounds.set((low, high));
    }
}
