//! A ratatui buffer written as an SVG picture: one monospace text run per stretch of cells
//! with the same style, in the theme's colours on a dark terminal background, each run pinned
//! to the cell grid so that the picture does not depend on the reader's font.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::fmt::Write as _;

const CELL_WIDTH: f32 = 8.4;
const CELL_HEIGHT: f32 = 18.0;
const FONT_SIZE: f32 = 14.0;
const BACKGROUND: &str = "#1e1e1e";
const FOREGROUND: &str = "#d4d4d4";

/// The colour of `color` as `#rrggbb` (the usual xterm palette), or `None` for the terminal's
/// default.
fn hex(color: Color) -> Option<String> {
    let named = match color {
        Color::Reset => return None,
        Color::Black => "#000000",
        Color::Red => "#cd3131",
        Color::Green => "#0dbc79",
        Color::Yellow => "#e5e510",
        Color::Blue => "#2472c8",
        Color::Magenta => "#bc3fbc",
        Color::Cyan => "#11a8cd",
        Color::Gray => "#e5e5e5",
        Color::DarkGray => "#767676",
        Color::LightRed => "#f14c4c",
        Color::LightGreen => "#23d18b",
        Color::LightYellow => "#f5f543",
        Color::LightBlue => "#3b8eea",
        Color::LightMagenta => "#d670d6",
        Color::LightCyan => "#29b8db",
        Color::White => "#ffffff",
        Color::Rgb(r, g, b) => return Some(format!("#{r:02x}{g:02x}{b:02x}")),
        Color::Indexed(n) => return Some(format!("#{n:02x}{n:02x}{n:02x}")),
    };
    Some(named.to_owned())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A stretch of cells on one row with one look.
#[derive(PartialEq)]
struct Look {
    fg: String,
    bg: Option<String>,
    bold: bool,
}

fn look(cell: &ratatui::buffer::Cell) -> Look {
    let (mut fg, mut bg) = (hex(cell.fg), hex(cell.bg));
    if cell.modifier.contains(Modifier::REVERSED) {
        let reversed_bg = fg.unwrap_or_else(|| FOREGROUND.to_owned());
        fg = Some(bg.unwrap_or_else(|| BACKGROUND.to_owned()));
        bg = Some(reversed_bg);
    }
    Look {
        fg: fg.unwrap_or_else(|| FOREGROUND.to_owned()),
        bg,
        bold: cell.modifier.contains(Modifier::BOLD),
    }
}

/// Writes one stretch: its background, then its text (trailing blanks dropped).
fn stretch(out: &mut String, row: u16, first: u16, cells: &[String], look: &Look) {
    let x = f32::from(first) * CELL_WIDTH;
    let y = f32::from(row) * CELL_HEIGHT;
    if let Some(bg) = &look.bg {
        let width = cells.len() as f32 * CELL_WIDTH;
        let _ = writeln!(
            out,
            r#"<rect x="{x:.1}" y="{y:.1}" width="{width:.1}" height="{CELL_HEIGHT}" fill="{bg}"/>"#
        );
    }
    let text: String = cells.concat();
    let shown = text.trim_end();
    if shown.is_empty() {
        return;
    }
    let columns = shown.chars().count() as f32;
    let weight = if look.bold {
        r#" font-weight="bold""#
    } else {
        ""
    };
    let _ = writeln!(
        out,
        r#"<text x="{x:.1}" y="{:.1}" fill="{}"{weight} textLength="{:.1}" lengthAdjust="spacingAndGlyphs">{}</text>"#,
        y + CELL_HEIGHT * 0.75,
        look.fg,
        columns * CELL_WIDTH,
        escape(shown)
    );
}

/// The buffer as an SVG document.
pub fn render(buffer: &Buffer) -> String {
    let area = buffer.area;
    let (width, height) = (
        f32::from(area.width) * CELL_WIDTH,
        f32::from(area.height) * CELL_HEIGHT,
    );
    let mut out = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.1} {height:.1}" font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="{FONT_SIZE}" xml:space="preserve">
<rect width="100%" height="100%" fill="{BACKGROUND}"/>
"#
    );
    for row in 0..area.height {
        let mut first = 0;
        let mut cells: Vec<String> = Vec::new();
        let mut current: Option<Look> = None;
        for column in 0..area.width {
            let cell = &buffer[(area.x + column, area.y + row)];
            let this = look(cell);
            if current.as_ref().is_some_and(|c| *c != this) {
                stretch(&mut out, row, first, &cells, current.as_ref().unwrap());
                cells.clear();
                first = column;
            }
            current = Some(this);
            // A wide symbol's second cell is empty; the symbol already covers it.
            cells.push(cell.symbol().to_owned());
        }
        if let Some(look) = &current {
            stretch(&mut out, row, first, &cells, look);
        }
    }
    out.push_str("</svg>\n");
    out
}
