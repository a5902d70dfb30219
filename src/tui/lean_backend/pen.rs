//! The terminal's current drawing style and the shortest SGR sequence from one style to
//! another: one sequence per change, the 16 named colours as `3x`/`9x` codes, and a reset
//! (`0;…`) when that is shorter than undoing attributes one by one.

use ratatui::buffer::Cell;
use ratatui::style::{Color, Modifier};

/// The attributes that show on a blank cell: a cell carrying one of them is not blank.
pub const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pen {
    pub fg: Color,
    pub bg: Color,
    pub underline: Color,
    pub modifier: Modifier,
}

impl Default for Pen {
    fn default() -> Self {
        Self {
            fg: Color::Reset,
            bg: Color::Reset,
            underline: Color::Reset,
            modifier: Modifier::empty(),
        }
    }
}

impl Pen {
    pub fn of(cell: &Cell) -> Self {
        Self {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }

    /// This pen without what an erase would paint onto the erased cells, so that an erase
    /// leaves default blanks on terminals with and without background-colour erase.
    pub fn for_erasing(self) -> Self {
        Self {
            bg: Color::Reset,
            modifier: self.modifier - VISIBLE_ON_BLANK,
            ..self
        }
    }
}

/// Appends the SGR sequence that turns `from` into `to` (nothing when they are equal).
pub fn change(from: Pen, to: Pen, out: &mut String) {
    if from == to {
        return;
    }
    let step_by_step = step_by_step(from, to);
    let from_reset = from_reset(to);
    let params = if from_reset.len() < step_by_step.len() {
        from_reset
    } else {
        step_by_step
    };
    out.push_str("\x1b[");
    out.push_str(&params);
    out.push('m');
}

/// The length of [`change`]'s output, without writing it.
pub fn change_cost(from: Pen, to: Pen) -> usize {
    let mut out = String::new();
    change(from, to, &mut out);
    out.len()
}

fn step_by_step(from: Pen, to: Pen) -> String {
    let mut params = Params::default();
    let removed = from.modifier - to.modifier;
    let added = to.modifier - from.modifier;
    // 22 and 25 each turn off two attributes: the one of the pair that stays is set again.
    let mut set_again = Modifier::empty();
    let intensity = Modifier::BOLD | Modifier::DIM;
    if removed.intersects(intensity) {
        params.push("22");
        set_again |= to.modifier & intensity;
    }
    for (modifier, off) in [
        (Modifier::ITALIC, "23"),
        (Modifier::UNDERLINED, "24"),
        (Modifier::REVERSED, "27"),
        (Modifier::HIDDEN, "28"),
        (Modifier::CROSSED_OUT, "29"),
    ] {
        if removed.contains(modifier) {
            params.push(off);
        }
    }
    let blink = Modifier::SLOW_BLINK | Modifier::RAPID_BLINK;
    if removed.intersects(blink) {
        params.push("25");
        set_again |= to.modifier & blink;
    }
    push_modifiers(added | set_again, &mut params);
    push_colours(from, to, &mut params);
    params.0
}

fn from_reset(to: Pen) -> String {
    let mut params = Params::default();
    params.push("0");
    push_modifiers(to.modifier, &mut params);
    push_colours(Pen::default(), to, &mut params);
    if params.0 == "0" {
        // `ESC [ m` is a reset on its own.
        params.0.clear();
    }
    params.0
}

fn push_modifiers(modifiers: Modifier, params: &mut Params) {
    for (modifier, on) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if modifiers.contains(modifier) {
            params.push(on);
        }
    }
}

fn push_colours(from: Pen, to: Pen, params: &mut Params) {
    if from.fg != to.fg {
        params.colour(Layer::Foreground, to.fg);
    }
    if from.bg != to.bg {
        params.colour(Layer::Background, to.bg);
    }
    if from.underline != to.underline {
        params.colour(Layer::Underline, to.underline);
    }
}

#[derive(Clone, Copy)]
enum Layer {
    Foreground,
    Background,
    Underline,
}

#[derive(Default)]
struct Params(String);

impl Params {
    fn push(&mut self, param: &str) {
        if !self.0.is_empty() {
            self.0.push(';');
        }
        self.0.push_str(param);
    }

    fn colour(&mut self, layer: Layer, colour: Color) {
        let (named_base, bright_base, extended) = match layer {
            Layer::Foreground => (30, 90, 38),
            Layer::Background => (40, 100, 48),
            Layer::Underline => (0, 0, 58),
        };
        let param = match (colour, named_index(colour)) {
            (Color::Reset, _) => (extended + 1).to_string(),
            (_, Some(index)) if !matches!(layer, Layer::Underline) => match index {
                0..8 => (named_base + index).to_string(),
                _ => (bright_base + index - 8).to_string(),
            },
            (_, Some(index)) => format!("{extended};5;{index}"),
            (Color::Indexed(index), None) => format!("{extended};5;{index}"),
            (Color::Rgb(r, g, b), None) => format!("{extended};2;{r};{g};{b}"),
            (_, None) => (extended + 1).to_string(),
        };
        self.push(&param);
    }
}

/// The place of a named colour in the terminal's 16-colour palette (as crossterm maps it).
fn named_index(colour: Color) -> Option<u16> {
    let index = match colour {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        _ => return None,
    };
    Some(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sgr(from: Pen, to: Pen) -> String {
        let mut out = String::new();
        change(from, to, &mut out);
        out
    }

    #[test]
    fn named_colours_take_their_short_codes() {
        let cyan = Pen {
            fg: Color::Cyan,
            ..Pen::default()
        };
        assert_eq!(sgr(Pen::default(), cyan), "\x1b[36m");
        let on_dark_gray = Pen {
            bg: Color::DarkGray,
            fg: Color::White,
            ..Pen::default()
        };
        assert_eq!(sgr(cyan, on_dark_gray), "\x1b[97;100m");
        assert_eq!(sgr(on_dark_gray, Pen::default()), "\x1b[m");
    }

    #[test]
    fn dropping_bold_keeps_dim_and_the_colours() {
        let both = Pen {
            fg: Color::Indexed(200),
            modifier: Modifier::BOLD | Modifier::DIM | Modifier::REVERSED,
            ..Pen::default()
        };
        let dim = Pen {
            modifier: Modifier::DIM | Modifier::REVERSED,
            ..both
        };
        assert_eq!(sgr(both, dim), "\x1b[22;2m");
    }

    #[test]
    fn a_reset_is_taken_when_it_is_shorter() {
        let many = Pen {
            modifier: Modifier::BOLD | Modifier::ITALIC | Modifier::UNDERLINED,
            fg: Color::Rgb(1, 2, 3),
            ..Pen::default()
        };
        let plain_red = Pen {
            fg: Color::Red,
            ..Pen::default()
        };
        assert_eq!(sgr(many, plain_red), "\x1b[0;31m");
    }

    #[test]
    fn the_underline_colour_has_only_the_extended_form() {
        let underlined = Pen {
            underline: Color::Yellow,
            modifier: Modifier::UNDERLINED,
            ..Pen::default()
        };
        assert_eq!(sgr(Pen::default(), underlined), "\x1b[4;58;5;3m");
    }
}
