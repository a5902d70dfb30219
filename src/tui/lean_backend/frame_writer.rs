//! Turns one frame's changed cells into as few bytes as it can: the shortest cursor move (a
//! relative one, or reprinting a short gap that already shows the right text), one SGR
//! sequence per style change, and an erase (`EL`, `ECH`) for a run of blanks.

use super::pen::{self, Pen, VISIBLE_ON_BLANK};
use ratatui::buffer::{Cell, CellDiffOption, CellWidth};

/// A gap longer than this is never cheaper to reprint than to move over.
const LONGEST_FILL: u16 = 6;

/// One row of the frame as it will show once drawn; `None` where the screen is not known.
pub struct Row<'a> {
    cells: &'a [Option<Cell>],
    /// Columns that a wide symbol to their left covers.
    covered: Vec<bool>,
}

impl<'a> Row<'a> {
    pub fn new(cells: &'a [Option<Cell>]) -> Self {
        let mut covered = vec![false; cells.len()];
        for (x, cell) in cells.iter().enumerate() {
            if let Some(cell) = cell {
                let width = usize::from(cell.cell_width());
                for column in covered.iter_mut().skip(x + 1).take(width.saturating_sub(1)) {
                    *column = true;
                }
            }
        }
        Self { cells, covered }
    }

    fn len(&self) -> u16 {
        u16::try_from(self.cells.len()).unwrap_or(u16::MAX)
    }

    /// A known one-column cell that nothing covers: safe to reprint.
    fn plain(&self, x: u16) -> Option<&Cell> {
        let x = usize::from(x);
        let cell = self.cells.get(x)?.as_ref()?;
        let one_column = cell.diff_option == CellDiffOption::None && cell.cell_width() == 1;
        (one_column && !self.covered[x]).then_some(cell)
    }

    /// A cell that shows exactly what an erase leaves.
    fn blank(&self, x: u16) -> bool {
        self.plain(x).is_some_and(|cell| {
            cell.symbol() == " "
                && cell.bg == ratatui::style::Color::Reset
                && !cell.modifier.intersects(VISIBLE_ON_BLANK)
        })
    }
}

pub struct FrameWriter<'a> {
    out: &'a mut String,
    pen: Pen,
    cursor: Option<(u16, u16)>,
}

impl<'a> FrameWriter<'a> {
    /// Every draw ends with the default pen, so a frame starts from it.
    pub fn new(out: &'a mut String, cursor: Option<(u16, u16)>) -> Self {
        Self {
            out,
            pen: Pen::default(),
            cursor,
        }
    }

    /// Writes the cells at `changed` (ascending columns) of row `y`.
    pub fn row(&mut self, y: u16, row: &Row, changed: &[u16]) {
        let mut done_until = 0;
        for (index, &x) in changed.iter().enumerate() {
            if x < done_until {
                continue;
            }
            if row.blank(x)
                && let Some(end) = self.erase_if_shorter(y, row, &changed[index..])
            {
                done_until = end;
                continue;
            }
            let Some(cell) = row.cells.get(usize::from(x)).and_then(Option::as_ref) else {
                continue;
            };
            self.move_to(x, y, row);
            self.set_pen(Pen::of(cell));
            // Control characters never reach a cell, but zero-width bidi controls would.
            self.out.push_str(&crate::sanitize::for_cell(cell.symbol()));
            self.cursor = row.plain(x).map(|_| (x + 1, y));
        }
    }

    /// Leaves the terminal with the default pen, as the frame found it; the cursor it left.
    pub fn finish(mut self) -> Option<(u16, u16)> {
        self.set_pen(Pen::default());
        self.cursor
    }

    /// Erases the run of blanks that starts at `changed[0]` when that is shorter than
    /// printing it; the column after what was erased.
    fn erase_if_shorter(&mut self, y: u16, row: &Row, changed: &[u16]) -> Option<u16> {
        let x = changed[0];
        let run_end = (x..row.len()).find(|&k| !row.blank(k)).unwrap_or(row.len());
        let last = changed.iter().take_while(|&&k| k < run_end).last()?;
        let printed = usize::from(last - x + 1);
        let to_row_end = run_end == row.len();
        let pen_cost = pen::change_cost(self.pen, self.pen.for_erasing());
        let erase = if to_row_end {
            "\x1b[K".to_owned()
        } else {
            format!("\x1b[{}X", last - x + 1)
        };
        // After an erase the cursor stays at its start: the next cell may need a move.
        let later_move = if to_row_end { 0 } else { 4 };
        if pen_cost + erase.len() + later_move >= printed {
            return None;
        }
        self.move_to(x, y, row);
        self.set_pen(self.pen.for_erasing());
        self.out.push_str(&erase);
        Some(if to_row_end { row.len() } else { last + 1 })
    }

    fn set_pen(&mut self, to: Pen) {
        pen::change(self.pen, to, self.out);
        self.pen = to;
    }

    fn move_to(&mut self, x: u16, y: u16, row: &Row) {
        if self.cursor == Some((x, y)) {
            return;
        }
        let mut best = if x == 0 {
            format!("\x1b[{}H", y + 1)
        } else {
            format!("\x1b[{};{}H", y + 1, x + 1)
        };
        let mut consider = |candidate: String| {
            if candidate.len() < best.len() {
                best = candidate;
            }
        };
        match self.cursor {
            Some((from, on)) if on == y => {
                if from < x {
                    consider(forward(x - from));
                    if let Some(fill) = self.reprint(row, from, x) {
                        consider(fill);
                    }
                }
                consider(format!("\x1b[{}G", x + 1));
            }
            Some((from, on)) if on + 1 == y => {
                if from == x {
                    consider("\x1b[B".to_owned());
                }
                consider(if x == 0 {
                    "\r\n".to_owned()
                } else {
                    format!("\r\n{}", forward(x))
                });
                if let Some(fill) = self.reprint(row, 0, x) {
                    consider(format!("\r\n{fill}"));
                }
            }
            _ => {}
        }
        self.out.push_str(&best);
        self.cursor = Some((x, y));
    }

    /// The text of columns `from..to` when it is already on screen in the current pen, so
    /// that printing it again moves the cursor to `to`.
    fn reprint(&self, row: &Row, from: u16, to: u16) -> Option<String> {
        if to - from > LONGEST_FILL {
            return None;
        }
        (from..to)
            .map(|x| {
                row.plain(x)
                    .filter(|cell| Pen::of(cell) == self.pen)
                    .map(|cell| crate::sanitize::for_cell(cell.symbol()))
            })
            .collect()
    }
}

fn forward(columns: u16) -> String {
    if columns == 1 {
        "\x1b[C".to_owned()
    } else {
        format!("\x1b[{columns}C")
    }
}
