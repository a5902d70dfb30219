//! Whether a screen shows its text whole, found by comparing it with the same screen drawn
//! large (160×48, where nothing needs to give way): every word of the narrow screen must be a
//! word of the large one (or a piece of one wrapped over two lines, or carry an ellipsis `…`),
//! and every word of the large one must be on the narrow one too, unless an ellipsis stands
//! for it or its box says there is more (`↓ 3 more`, `↑ more`). A word cut at a border or at
//! the last column shows as a word the large screen does not have ("cance" for "cancel"); a
//! line or option that fell off the bottom of a box without a marker shows as a missing word.
//!
//! Screens are compared box by box: a box is a rectangle drawn with `┌┐└┘│`, its title in its
//! top border; boxes are paired in reading order, and the text outside every box (the title,
//! header, hint and status lines) is compared as one more region, where the hint and status
//! bars may leave keys out (they are compared only for cut words).

use std::collections::BTreeSet;

/// A screen as rows of characters, every row as wide as the screen.
pub struct Grid {
    rows: Vec<Vec<char>>,
}

impl Grid {
    pub fn new(rows: &[String], cols: usize) -> Self {
        let rows = rows
            .iter()
            .map(|row| {
                let mut chars: Vec<char> = row.chars().collect();
                chars.resize(cols.max(chars.len()), ' ');
                chars
            })
            .collect();
        Self { rows }
    }

    fn at(&self, row: usize, col: usize) -> char {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .copied()
            .unwrap_or(' ')
    }

    /// The boxes of the screen, in reading order.
    fn boxes(&self) -> Vec<Boxed> {
        let mut found = Vec::new();
        for (top, row) in self.rows.iter().enumerate() {
            for (left, &c) in row.iter().enumerate() {
                if c != '┌' {
                    continue;
                }
                let Some(right) = (left + 1..row.len()).find(|&x| row[x] == '┐') else {
                    continue;
                };
                let mut bottom = top + 1;
                while bottom < self.rows.len()
                    && self.at(bottom, left) == '│'
                    && self.at(bottom, right) == '│'
                {
                    bottom += 1;
                }
                if self.at(bottom, left) == '└' && self.at(bottom, right) == '┘' {
                    found.push(Boxed {
                        top,
                        left,
                        bottom,
                        right,
                    });
                }
            }
        }
        found
    }

    /// The text of `row` between columns `from` and `to` (exclusive), cut into runs at
    /// box-drawing characters.
    fn segments(&self, row: usize, from: usize, to: usize) -> Vec<String> {
        let text: String = (from..to).map(|col| self.at(row, col)).collect();
        text.split(is_drawing)
            .map(str::to_owned)
            .filter(|s| !s.trim().is_empty())
            .collect()
    }
}

fn is_drawing(c: char) -> bool {
    ('\u{2500}'..='\u{259f}').contains(&c)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Boxed {
    top: usize,
    left: usize,
    bottom: usize,
    right: usize,
}

impl Boxed {
    fn contains(&self, row: usize, col: usize) -> bool {
        (self.top..=self.bottom).contains(&row) && (self.left..=self.right).contains(&col)
    }

    fn encloses(&self, other: &Boxed) -> bool {
        self != other
            && self.contains(other.top, other.left)
            && self.contains(other.bottom, other.right)
    }
}

/// A region's text: its lines (runs of text between borders), each a list of words.
struct Region {
    name: String,
    lines: Vec<Vec<String>>,
}

impl Region {
    fn of_box(grid: &Grid, b: Boxed, name: String) -> Self {
        let mut lines = Vec::new();
        for row in b.top..=b.bottom {
            for segment in grid.segments(row, b.left + 1, b.right) {
                lines.push(words(&segment));
            }
        }
        Self { name, lines }
    }

    fn words(&self) -> BTreeSet<&str> {
        self.lines.iter().flatten().map(String::as_str).collect()
    }

    fn has_more_marker(&self) -> bool {
        self.lines.iter().any(|line| {
            line.windows(2).any(|pair| {
                let arrow = |w: &str| w == "↓" || w == "↑";
                (arrow(&pair[0]) && pair[1] == "more")
                    || (pair[0] == "more" && arrow(&pair[1]))
                    || (arrow(&pair[0]) && pair[1].chars().all(|c| c.is_ascii_digit()))
            })
        })
    }
}

/// Whether `words[index]` belongs to a more-marker (`↓ 3 more`, `↑ more`, `more ↓`).
fn is_marker_word(words: &[String], index: usize) -> bool {
    let arrow = |w: &str| w == "↓" || w == "↑";
    let at = |i: usize| words.get(i).map(String::as_str).unwrap_or("");
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    let word = at(index);
    let before = |n: usize| index.checked_sub(n).map(at).unwrap_or("");
    (arrow(word) && (at(index + 1) == "more" || number(at(index + 1))))
        || (word == "more" && (arrow(before(1)) || arrow(at(index + 1)) || arrow(before(2))))
        || (number(word) && arrow(before(1)))
}

fn words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

/// Which part of the screens to compare.
pub enum Part<'a> {
    /// Every box, and the lines outside them.
    Whole,
    /// The box whose title starts with this text (a popup), alone.
    Popup(&'a str),
}

/// The regions of a screen: its boxes (those not inside another: a popup over a box leaves
/// the box's text cut at the popup's edges, so only the popup is read then), then the rows
/// outside every box.
fn regions(grid: &Grid, part: &Part) -> Result<Vec<Region>, String> {
    let boxes = grid.boxes();
    match part {
        Part::Popup(title) => {
            let popup = boxes
                .iter()
                .find(|b| {
                    let top: String = (b.left + 1..b.right).map(|c| grid.at(b.top, c)).collect();
                    top.trim_start_matches('─').trim_start().starts_with(title)
                })
                .ok_or_else(|| format!("no box titled {title:?} on the screen"))?;
            Ok(vec![Region::of_box(
                grid,
                *popup,
                format!("popup {title:?}"),
            )])
        }
        Part::Whole => {
            let outer: Vec<Boxed> = boxes
                .iter()
                .copied()
                .filter(|b| !boxes.iter().any(|o| o.encloses(b)))
                .collect();
            if outer.len() != boxes.len() {
                return Err("a box inside another (a popup?) on a screen read whole".into());
            }
            let mut found: Vec<Region> = outer
                .iter()
                .enumerate()
                .map(|(i, b)| Region::of_box(grid, *b, format!("box {}", i + 1)))
                .collect();
            let mut lines = Vec::new();
            let last_rows = grid.rows.len().saturating_sub(2);
            for (row, cells) in grid.rows.iter().enumerate().take(last_rows) {
                let mut outside: Vec<char> = cells.clone();
                for b in outer.iter().filter(|b| (b.top..=b.bottom).contains(&row)) {
                    for cell in &mut outside[b.left..=b.right] {
                        *cell = '│';
                    }
                }
                let text: String = outside.into_iter().collect();
                lines.extend(
                    text.split(is_drawing)
                        .filter(|s| !s.trim().is_empty())
                        .map(words),
                );
            }
            found.push(Region {
                name: "the lines outside the boxes".into(),
                lines,
            });
            Ok(found)
        }
    }
}

/// The bars at the bottom (hints, status): read for cut words only, since they leave whole
/// keys out when narrow.
fn bars(grid: &Grid) -> Region {
    let rows = grid.rows.len();
    let mut lines = Vec::new();
    for row in rows.saturating_sub(2)..rows {
        for segment in grid.segments(row, 0, grid.rows[row].len()) {
            lines.push(words(&segment));
        }
    }
    Region {
        name: "the hint and status bars".into(),
        lines,
    }
}

/// Words of `narrow` that are pieces of one word of `wide` wrapped over lines that follow
/// each other (the end of one line, then the start of the next): where they are, and the
/// words they make.
fn wrapped_pieces(
    narrow: &Region,
    wide_words: &BTreeSet<&str>,
) -> (BTreeSet<(usize, usize)>, BTreeSet<String>) {
    let mut pieces = BTreeSet::new();
    let mut made = BTreeSet::new();
    for (line, words) in narrow.lines.iter().enumerate() {
        let Some(last) = words.last() else { continue };
        if wide_words.contains(last.as_str()) {
            continue;
        }
        let mut joined = last.clone();
        let mut chain = vec![(line, words.len() - 1)];
        for (next, next_words) in narrow.lines.iter().enumerate().skip(line + 1) {
            let Some(first) = next_words.first() else {
                break;
            };
            joined.push_str(first);
            chain.push((next, 0));
            if wide_words.contains(joined.as_str()) {
                pieces.extend(chain.iter().copied());
                made.insert(joined);
                break;
            }
            if next_words.len() > 1 || !wide_words.iter().any(|w| w.starts_with(&joined)) {
                break;
            }
        }
    }
    (pieces, made)
}

/// Whether `word` of the large screen is stood for by an ellipsis of the narrow one: a word
/// `head…tail` where `word` starts with `head` (its end cut) or ends with `tail` (its start).
fn abbreviated(word: &str, narrow: &BTreeSet<&str>) -> bool {
    narrow.iter().filter(|n| n.contains('…')).any(|n| {
        let (head, tail) = n.split_once('…').unwrap_or((n, ""));
        let head = head.trim_start_matches(['(', '[', '`', '"', '“']);
        let tail = tail.trim_end_matches([')', ']', '`', '"', '”', '.', ',', ':', ';']);
        (!head.is_empty() && word.starts_with(head)) || (!tail.is_empty() && word.ends_with(tail))
    })
}

/// Whether the word carries meaning (not a lone symbol or mark).
fn meaningful(word: &str) -> bool {
    word.chars().filter(|c| c.is_alphanumeric()).count() >= 2
}

/// The cuts of `narrow` against `wide` (the same screen drawn large), each said in words.
pub fn cuts(wide: &Grid, narrow: &Grid, part: &Part) -> Vec<String> {
    let (wide_regions, narrow_regions) = match (regions(wide, part), regions(narrow, part)) {
        (Ok(w), Ok(n)) => (w, n),
        (Err(why), _) | (_, Err(why)) => return vec![why],
    };
    if wide_regions.len() != narrow_regions.len() {
        return vec![format!(
            "{} boxes when large, {} when narrow",
            wide_regions.len() - 1,
            narrow_regions.len() - 1
        )];
    }
    let mut found = Vec::new();
    let mut pairs: Vec<(Region, Region, bool)> = wide_regions
        .into_iter()
        .zip(narrow_regions)
        .map(|(w, n)| (w, n, true))
        .collect();
    if matches!(part, Part::Whole) {
        pairs.push((bars(wide), bars(narrow), false));
    }
    for (wide_region, narrow_region, whole) in &pairs {
        let wide_words = wide_region.words();
        let narrow_words = narrow_region.words();
        let (pieces, joined_words) = wrapped_pieces(narrow_region, &wide_words);
        let more = narrow_region.has_more_marker();
        // With a marker, the word at a line's end may go on below it, out of sight (or the
        // one at a line's start begin above it).
        let scrolled_piece = |words: &[String], index: usize| {
            let word = words[index].as_str();
            more && ((index + 1 == words.len() && wide_words.iter().any(|w| w.starts_with(word)))
                || (index == 0 && wide_words.iter().any(|w| w.ends_with(word))))
        };
        for (line, words) in narrow_region.lines.iter().enumerate() {
            for (index, word) in words.iter().enumerate() {
                if wide_words.contains(word.as_str())
                    || word.contains('…')
                    || pieces.contains(&(line, index))
                    || is_marker_word(words, index)
                    || scrolled_piece(words, index)
                {
                    continue;
                }
                {
                    found.push(format!(
                        "{}: `{word}` in “{}” is not a word of the large screen (cut?)",
                        narrow_region.name,
                        words.join(" ")
                    ));
                }
            }
        }
        if !whole {
            continue;
        }
        // A line cut at a space ends in a lone `…`: the words after the one before it go.
        let before_ellipsis: BTreeSet<&str> = narrow_region
            .lines
            .iter()
            .flat_map(|line| line.windows(2))
            .filter(|pair| pair[1].starts_with('…'))
            .map(|pair| pair[0].as_str())
            .collect();
        for line in &wide_region.lines {
            for (index, word) in line.iter().enumerate() {
                if narrow_words.contains(word.as_str())
                    || !meaningful(word)
                    || more
                    || joined_words.contains(word.as_str())
                {
                    continue;
                }
                let cut_before = line[..=index].iter().any(|earlier| {
                    abbreviated(earlier, &narrow_words)
                        || (earlier != word && before_ellipsis.contains(earlier.as_str()))
                });
                if !cut_before {
                    found.push(format!(
                        "{}: `{word}` of “{}” is missing, with no … or more-marker",
                        narrow_region.name,
                        line.join(" ")
                    ));
                }
            }
        }
    }
    found
}

/// Rust debug formatting on a screen: `Some(`, `None`, `Ok(`, `Err(`, `Name { field: `,
/// `Name("…")`.
pub fn debug_formatting(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        let starts_word = c.is_ascii_uppercase() && !previous.is_alphanumeric();
        let before = previous;
        previous = c;
        if !starts_word {
            continue;
        }
        let tail = &text[at..];
        let name_len = tail
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tail.len());
        let (name, after) = tail.split_at(name_len);
        let shown = |what: &str| format!("debug formatting `{what}`");
        let next = after.trim_start_matches(' ').chars().next().unwrap_or(' ');
        if ["Some", "Ok", "Err"].contains(&name) && after.starts_with('(') {
            found.push(shown(&format!("{name}(")));
        } else if name == "None"
            && (matches!(before, '(' | '[' | '{' | ',' | ':' | '=')
                || matches!(next, ')' | ']' | '}' | ','))
        {
            found.push(shown("None"));
        } else if after.starts_with("(\"") {
            found.push(shown(&format!("{name}(\"")));
        } else if let Some(fields) = after.strip_prefix(" { ") {
            let field_len = fields
                .find(|c: char| !(c.is_ascii_lowercase() || c == '_'))
                .unwrap_or(fields.len());
            if field_len > 0 && fields[field_len..].starts_with(": ") {
                found.push(shown(&format!("{name} {{ {}: ", &fields[..field_len])));
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&str]) -> Grid {
        let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        let cols = rows.iter().map(|r| r.chars().count()).max().unwrap_or(0);
        Grid::new(&rows, cols)
    }

    const WIDE: [&str; 7] = [
        "title line",
        "┌ Steps ────────────────────────────────────┐",
        "│ Why is this step skipped? Esc to cancel   │",
        "│ 0x1234567890abcdef and more text here     │",
        "└───────────────────────────────────────────┘",
        "hints",
        "status",
    ];

    #[test]
    fn a_word_cut_at_a_border_is_found() {
        let narrow = grid(&[
            "title line",
            "┌ Steps ─────────────────────────────┐",
            "│ Why is this step skipped? Esc to ca│",
            "│ 0x1234567890abcdef and             │",
            "└────────────────────────────────────┘",
            "hints",
            "status",
        ]);
        let found = cuts(&grid(&WIDE), &narrow, &Part::Whole);
        assert!(found.iter().any(|f| f.contains("`ca`")), "{found:#?}");
        assert!(found.iter().any(|f| f.contains("`here`")), "{found:#?}");
    }

    #[test]
    fn wraps_ellipses_and_more_markers_pass() {
        let narrow = grid(&[
            "title line",
            "┌ Steps ─────────────────┐",
            "│ Why is this step       │",
            "│ skipped? Esc to cancel │",
            "│ 0x12345678             │",
            "│ 90abcdef and more…     │",
            "└────────────────────────┘",
            "hints",
            "status",
        ]);
        let found = cuts(&grid(&WIDE), &narrow, &Part::Whole);
        assert!(found.is_empty(), "{found:#?}");
        let scrolled = grid(&[
            "title line",
            "┌ Steps ─────────────────┐",
            "│ Why is this step       │",
            "└──────────── ↓ 2 more ──┘",
            "hints",
            "status",
        ]);
        let found = cuts(&grid(&WIDE), &scrolled, &Part::Whole);
        assert!(found.is_empty(), "{found:#?}");
    }

    #[test]
    fn debug_text_is_found() {
        assert!(!debug_formatting("exit Some(127)").is_empty());
        assert!(!debug_formatting("found (None, 3)").is_empty());
        assert!(debug_formatting("› None → config-lint").is_empty());
        assert!(!debug_formatting("Branch { option: \"High\"").is_empty());
        assert!(!debug_formatting("Skipped(\"why\")").is_empty());
        assert!(debug_formatting("Someone said Nonetheless, Okay").is_empty());
    }
}
