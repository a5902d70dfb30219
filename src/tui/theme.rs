//! Colours and emphasis. With NO_COLOR (or a dumb terminal) every style drops its colour and
//! keeps only bold/reverse, since every state is also shown by a symbol and a word.

use ratatui::style::{Color, Modifier, Style};
use std::collections::BTreeMap;
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Theme {
    pub color: bool,
    pub accent: Color,
    pub danger: Color,
    pub warning: Color,
    pub ok: Color,
    pub muted: Color,
}

impl Theme {
    pub fn new(color: bool, overrides: &BTreeMap<String, String>) -> Result<Self, String> {
        let mut theme = Self {
            color,
            accent: Color::Cyan,
            danger: Color::Red,
            warning: Color::Yellow,
            ok: Color::Green,
            muted: Color::DarkGray,
        };
        for (role, value) in overrides {
            let parsed = Color::from_str(value).map_err(|_| format!("[colors] `{role}`: `{value}` is not a colour (a name like `cyan`, or `#rrggbb`)"))?;
            match role.as_str() {
                "accent" => theme.accent = parsed,
                "danger" => theme.danger = parsed,
                "warning" => theme.warning = parsed,
                "ok" => theme.ok = parsed,
                "muted" => theme.muted = parsed,
                _ => {
                    return Err(format!(
                        "[colors] `{role}`: no such colour role (valid: accent, danger, warning, ok, muted)"
                    ));
                }
            }
        }
        Ok(theme)
    }

    /// Colour is on unless the environment turns it off (see `settings::colour_allowed`).
    pub fn color_wanted() -> bool {
        crate::workspace::settings::colour_allowed()
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn accent(&self) -> Style {
        self.fg(self.accent).add_modifier(Modifier::BOLD)
    }

    pub fn danger(&self) -> Style {
        self.fg(self.danger).add_modifier(Modifier::BOLD)
    }

    pub fn warning(&self) -> Style {
        self.fg(self.warning)
    }

    pub fn ok(&self) -> Style {
        self.fg(self.ok)
    }

    pub fn muted(&self) -> Style {
        if self.color {
            self.fg(self.muted)
        } else {
            Style::new()
        }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn bold(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }
}
