//! The lean draw shows, on a terminal emulator (`vt100`), the frame ratatui meant wherever
//! crossterm's own draw shows it, for any sequence of frames and clears, and never writes
//! more bytes. (Where a wide symbol is overwritten in part, crossterm's screen can differ from
//! the frame; the lean draw is then held to the frame only where crossterm meets it.)

use super::LeanBackend;
use proptest::prelude::*;
use ratatui::backend::{Backend, ClearType, CrosstermBackend};
use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::RefCell;
use std::io::Write;
use std::num::NonZeroU16;
use std::rc::Rc;

const WIDTH: u16 = 14;
const HEIGHT: u16 = 5;
const SIZE: (NonZeroU16, NonZeroU16) = match (NonZeroU16::new(HEIGHT), NonZeroU16::new(WIDTH)) {
    (Some(rows), Some(columns)) => (rows, columns),
    _ => panic!("a screen has rows and columns"),
};

#[derive(Clone, Default)]
struct SharedWriter(Rc<RefCell<Vec<u8>>>);

impl Write for SharedWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.borrow_mut().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn options() -> TerminalOptions {
    TerminalOptions {
        viewport: Viewport::Fixed(Rect::new(0, 0, WIDTH, HEIGHT)),
    }
}

/// A row of the frame: graphemes and their styles, laid out left to right.
type RowSpec = Vec<(&'static str, Style)>;

#[derive(Clone, Debug)]
enum Step {
    /// Rows to draw anew (`None` keeps the row of the frame before).
    Frame(Vec<Option<RowSpec>>),
    /// A resize to the same size: ratatui clears the viewport row by row.
    Resize,
    /// A resize followed by a full clear, as the console does after the window changed.
    Repaint,
}

fn style() -> impl Strategy<Value = Style> {
    let fg = prop::sample::select(vec![
        Color::Reset,
        Color::Reset,
        Color::Cyan,
        Color::Red,
        Color::DarkGray,
        Color::White,
        Color::Indexed(200),
        Color::Rgb(1, 2, 3),
    ]);
    let bg = prop::sample::select(vec![
        Color::Reset,
        Color::Reset,
        Color::Reset,
        Color::Blue,
        Color::DarkGray,
    ]);
    let modifier = prop::sample::subsequence(
        vec![
            Modifier::BOLD,
            Modifier::DIM,
            Modifier::ITALIC,
            Modifier::UNDERLINED,
            Modifier::REVERSED,
        ],
        0..3,
    )
    .prop_map(|all| all.into_iter().fold(Modifier::empty(), |a, b| a | b));
    let plain = Just(Style::default());
    prop_oneof![
        3 => plain,
        2 => (fg, bg, modifier).prop_map(|(fg, bg, modifier)| Style::default()
            .fg(fg)
            .bg(bg)
            .add_modifier(modifier)),
    ]
}

fn row() -> impl Strategy<Value = RowSpec> {
    let grapheme = prop::sample::select(vec![" ", " ", " ", " ", "a", "b", "│", "✓", "中"]);
    prop::collection::vec((grapheme, style()), 0..usize::from(WIDTH))
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        8 => prop::collection::vec(prop::option::of(row()), usize::from(HEIGHT))
            .prop_map(Step::Frame),
        1 => Just(Step::Resize),
        1 => Just(Step::Repaint),
    ]
}

/// Both terminals, each with its writer, and the rows they were last given.
struct Pair {
    lean: Terminal<LeanBackend<SharedWriter>>,
    crossterm: Terminal<CrosstermBackend<SharedWriter>>,
    lean_bytes: SharedWriter,
    crossterm_bytes: SharedWriter,
    rows: Vec<RowSpec>,
    /// The frame ratatui meant, as each cell should be seen.
    meant: Vec<Vec<String>>,
}

impl Pair {
    fn new() -> Self {
        let (lean_bytes, crossterm_bytes) = (SharedWriter::default(), SharedWriter::default());
        Self {
            lean: Terminal::with_options(LeanBackend::new(lean_bytes.clone()), options())
                .expect("lean terminal"),
            crossterm: Terminal::with_options(
                CrosstermBackend::new(crossterm_bytes.clone()),
                options(),
            )
            .expect("crossterm terminal"),
            lean_bytes,
            crossterm_bytes,
            rows: vec![Vec::new(); usize::from(HEIGHT)],
            meant: blank_screen(),
        }
    }

    fn take(&mut self, step: &Step) {
        let area = Rect::new(0, 0, WIDTH, HEIGHT);
        match step {
            Step::Frame(rows) => {
                for (kept, given) in self.rows.iter_mut().zip(rows) {
                    if let Some(given) = given {
                        kept.clone_from(given);
                    }
                }
                let rows = &self.rows;
                let paint = |frame: &mut ratatui::Frame| {
                    let buffer = frame.buffer_mut();
                    for (y, row) in (0..).zip(rows) {
                        let mut x = 0;
                        for (grapheme, style) in row {
                            x = buffer
                                .set_stringn(x, y, grapheme, usize::from(WIDTH - x), *style)
                                .0;
                            if x >= WIDTH {
                                break;
                            }
                        }
                    }
                };
                let meant = meant(self.lean.draw(paint).expect("lean draw").buffer);
                self.meant = meant;
                self.crossterm.draw(paint).expect("crossterm draw");
            }
            Step::Resize | Step::Repaint => {
                self.meant = blank_screen();
                self.lean.resize(area).expect("lean resize");
                self.crossterm.resize(area).expect("crossterm resize");
                if matches!(step, Step::Repaint) {
                    self.lean
                        .backend_mut()
                        .clear_region(ClearType::All)
                        .expect("clear");
                    self.crossterm
                        .backend_mut()
                        .clear_region(ClearType::All)
                        .expect("clear");
                }
            }
        }
    }
}

fn blank_screen() -> Vec<Vec<String>> {
    let blank = see(" ", Style::default(), false);
    vec![vec![blank; usize::from(WIDTH)]; usize::from(HEIGHT)]
}

fn meant(buffer: &Buffer) -> Vec<Vec<String>> {
    (0..HEIGHT)
        .map(|y| {
            let mut covered_until = 0;
            (0..WIDTH)
                .map(|x| {
                    let cell = &buffer[(x, y)];
                    let covered = x < covered_until;
                    if !covered {
                        covered_until = x + cell.cell_width();
                    }
                    see(cell.symbol(), cell.style(), covered)
                })
                .collect()
        })
        .collect()
}

fn vt100_colour(colour: Option<Color>) -> vt100::Color {
    match colour {
        None | Some(Color::Reset) => vt100::Color::Default,
        Some(Color::Indexed(index)) => vt100::Color::Idx(index),
        Some(Color::Rgb(r, g, b)) => vt100::Color::Rgb(r, g, b),
        Some(named) => {
            let palette = [
                Color::Black,
                Color::Red,
                Color::Green,
                Color::Yellow,
                Color::Blue,
                Color::Magenta,
                Color::Cyan,
                Color::Gray,
                Color::DarkGray,
                Color::LightRed,
                Color::LightGreen,
                Color::LightYellow,
                Color::LightBlue,
                Color::LightMagenta,
                Color::LightCyan,
                Color::White,
            ];
            let index = palette
                .iter()
                .position(|c| *c == named)
                .expect("a named colour");
            vt100::Color::Idx(u8::try_from(index).expect("16 colours"))
        }
    }
}

/// What a person sees in a cell: the text and its colours and attributes, the foreground only
/// where there is text; a cell that a wide symbol covers is only that.
fn see(text: &str, style: Style, covered: bool) -> String {
    if covered {
        return "covered".to_owned();
    }
    let on = |modifier| style.add_modifier.contains(modifier);
    let ink = if text.trim().is_empty() {
        String::new()
    } else {
        format!(
            "{:?} b{} d{} i{}",
            vt100_colour(style.fg),
            on(Modifier::BOLD),
            on(Modifier::DIM),
            on(Modifier::ITALIC)
        )
    };
    format!(
        "{text:?} {ink} bg{:?} u{} r{}",
        vt100_colour(style.bg),
        on(Modifier::UNDERLINED),
        on(Modifier::REVERSED)
    )
}

fn screen(bytes: &[u8]) -> vt100::Parser {
    let mut parser = vt100::Parser::new(SIZE.0, SIZE.1, 0);
    parser.process(bytes);
    parser
}

fn seen(cell: &vt100::Cell) -> String {
    let text = match cell.contents() {
        "" => " ",
        text => text,
    };
    let colour = |colour| match colour {
        vt100::Color::Default => None,
        vt100::Color::Idx(index) => Some(Color::Indexed(index)),
        vt100::Color::Rgb(r, g, b) => Some(Color::Rgb(r, g, b)),
    };
    let mut modifier = Modifier::empty();
    for (on, bit) in [
        (cell.bold(), Modifier::BOLD),
        (cell.dim(), Modifier::DIM),
        (cell.italic(), Modifier::ITALIC),
        (cell.underline(), Modifier::UNDERLINED),
        (cell.inverse(), Modifier::REVERSED),
    ] {
        if on {
            modifier |= bit;
        }
    }
    let style = Style {
        fg: colour(cell.fgcolor()),
        bg: colour(cell.bgcolor()),
        add_modifier: modifier,
        ..Style::default()
    };
    see(text, style, cell.is_wide_continuation())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn the_lean_draw_shows_what_crossterm_shows(steps in prop::collection::vec(step(), 1..8)) {
        let mut pair = Pair::new();
        for (index, step) in steps.iter().enumerate() {
            let (lean_before, crossterm_before) =
                (pair.lean_bytes.0.borrow().len(), pair.crossterm_bytes.0.borrow().len());
            pair.take(step);
            let lean = screen(&pair.lean_bytes.0.borrow());
            let crossterm = screen(&pair.crossterm_bytes.0.borrow());
            for y in 0..HEIGHT {
                for x in 0..WIDTH {
                    let (Some(lean_cell), Some(crossterm_cell)) =
                        (lean.screen().cell(y, x), crossterm.screen().cell(y, x))
                    else {
                        panic!("no cell at {x},{y}");
                    };
                    let meant = &pair.meant[usize::from(y)][usize::from(x)];
                    if seen(crossterm_cell) == *meant {
                        prop_assert_eq!(
                            &seen(lean_cell), meant, "cell {},{} after step {}", x, y, index
                        );
                    }
                }
            }
            let lean_written = pair.lean_bytes.0.borrow().len() - lean_before;
            let crossterm_written = pair.crossterm_bytes.0.borrow().len() - crossterm_before;
            prop_assert!(
                lean_written <= crossterm_written,
                "step {index}: lean {lean_written} bytes, crossterm {crossterm_written}"
            );
        }
    }
}
