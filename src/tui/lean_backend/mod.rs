//! The console's terminal backend: crossterm's, with a leaner `draw` for slow links (SSH). It
//! keeps what the screen shows, so that each frame writes fewer bytes than crossterm's own
//! draw: short relative cursor moves, one SGR sequence per style change with the short codes
//! of the 16 named colours, erases for runs of blanks, and a 3-byte reset at the end.

mod frame_writer;
mod pen;
#[cfg(test)]
mod tests;

use frame_writer::{FrameWriter, Row};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::{Cell, CellWidth};
use ratatui::layout::{Position, Size};
use std::io::{self, Write};

pub struct LeanBackend<W: Write> {
    inner: CrosstermBackend<W>,
    shown: Shown,
    /// Where the terminal's cursor is, when this backend knows.
    cursor: Option<(u16, u16)>,
    frame: String,
}

impl<W: Write> LeanBackend<W> {
    pub fn new(writer: W) -> Self {
        Self {
            inner: CrosstermBackend::new(writer),
            shown: Shown::default(),
            cursor: None,
            frame: String::new(),
        }
    }
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let changes: Vec<(u16, u16, &Cell)> = content.collect();
        let (width, height) = changes.iter().fold((0, 0), |(width, height), &(x, y, _)| {
            (width.max(x + 1), height.max(y + 1))
        });
        self.shown.fit(width, height);
        for &(x, y, cell) in &changes {
            self.shown.set(x, y, cell.clone());
        }
        self.frame.clear();
        let mut writer = FrameWriter::new(&mut self.frame, self.cursor);
        let mut columns = Vec::new();
        for row_changes in changes.chunk_by(|a, b| a.1 == b.1) {
            let y = row_changes[0].1;
            columns.clear();
            columns.extend(row_changes.iter().map(|&(x, _, _)| x));
            writer.row(y, &Row::new(self.shown.row(y)), &columns);
        }
        self.cursor = writer.finish();
        self.inner.write_all(self.frame.as_bytes())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        let position = self.inner.get_cursor_position()?;
        self.cursor = Some((position.x, position.y));
        Ok(position)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let position = position.into();
        self.inner.set_cursor_position(position)?;
        self.cursor = Some((position.x, position.y));
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)?;
        self.cursor = None;
        match clear_type {
            ClearType::All => self.shown.blank(),
            _ => self.shown.forget(),
        }
        Ok(())
    }

    fn append_lines(&mut self, lines: u16) -> io::Result<()> {
        self.inner.append_lines(lines)?;
        self.shown.forget();
        self.cursor = None;
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// What the terminal shows, cell by cell, as far as this backend drew it. The grid grows to
/// the cells drawn; a cell is `None` when the screen was changed in a way not followed here.
struct Shown {
    width: u16,
    cells: Vec<Option<Cell>>,
    /// Whether cells not yet drawn are blank: true on a fresh (alternate) screen and after a
    /// full clear, as ratatui itself assumes.
    unseen_are_blank: bool,
}

impl Default for Shown {
    fn default() -> Self {
        Self {
            width: 0,
            cells: Vec::new(),
            unseen_are_blank: true,
        }
    }
}

impl Shown {
    /// A drawn cell. The columns a wide symbol covers are no longer known: the diff skips
    /// them while the frame may still hold other text there.
    fn set(&mut self, x: u16, y: u16, cell: Cell) {
        self.fit(x + 1, y + 1);
        let index = usize::from(y) * usize::from(self.width) + usize::from(x);
        let covered = usize::from(cell.cell_width().saturating_sub(1));
        let row_end = (usize::from(y) + 1) * usize::from(self.width);
        for column in &mut self.cells[index + 1..row_end.min(index + 1 + covered)] {
            *column = None;
        }
        self.cells[index] = Some(cell);
    }

    fn row(&self, y: u16) -> &[Option<Cell>] {
        let width = usize::from(self.width);
        let start = usize::from(y) * width;
        self.cells.get(start..start + width).unwrap_or(&[])
    }

    fn height(&self) -> u16 {
        match self.width {
            0 => 0,
            width => u16::try_from(self.cells.len() / usize::from(width)).unwrap_or(u16::MAX),
        }
    }

    /// Grows the grid to hold `width` × `height` cells (it never shrinks).
    fn fit(&mut self, width: u16, height: u16) {
        let (old_width, old_height) = (self.width, self.height());
        if width > old_width || height > old_height {
            self.grow(width.max(old_width), height.max(old_height));
        }
    }

    fn grow(&mut self, width: u16, height: u16) {
        let unseen = self.unseen_are_blank.then(Cell::default);
        let mut cells = vec![unseen; usize::from(width) * usize::from(height)];
        for y in 0..self.height() {
            let start = usize::from(y) * usize::from(width);
            let old = self.row(y);
            cells[start..start + old.len()].clone_from_slice(old);
        }
        self.width = width;
        self.cells = cells;
    }

    fn blank(&mut self) {
        self.cells.fill(Some(Cell::default()));
        self.unseen_are_blank = true;
    }

    fn forget(&mut self) {
        self.cells.fill(None);
        self.unseen_are_blank = false;
    }
}
