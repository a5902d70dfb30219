//! Reading a batch file: every error names the field (`transactions[0].to`) or, for broken
//! JSON, the line and column.

use super::format::Batch;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// Not JSON (or cut short): where it stops making sense.
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON, but a field is missing or has the wrong type or form.
    Field {
        /// The field's path, e.g. `transactions[2].value`; `.` for the file as a whole.
        path: String,
        message: String,
        line: usize,
        column: usize,
    },
}

impl ParseError {
    /// The field's path, when the error is about a field.
    pub fn path(&self) -> Option<&str> {
        match self {
            ParseError::Field { path, .. } => Some(path),
            ParseError::Syntax { .. } => None,
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Syntax {
                line,
                column,
                message,
            } => write!(
                f,
                "not valid JSON at line {line}, column {column}: {message}"
            ),
            ParseError::Field {
                path,
                message,
                line,
                column,
            } => {
                let at = if path == "." { "the batch file" } else { path };
                write!(f, "{at}: {message} (line {line}, column {column})")
            }
        }
    }
}

impl std::error::Error for ParseError {}

/// Parses a batch file's text.
pub fn parse_batch(text: &str) -> Result<Batch, ParseError> {
    let deserializer = &mut serde_json::Deserializer::from_str(text);
    let batch: Batch = serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        field_or_syntax(path, &inner)
    })?;
    // Trailing characters after the object.
    let mut rest = serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>();
    rest.next();
    let end = rest.byte_offset();
    match rest.next() {
        None => Ok(batch),
        Some(Err(error)) => Err(field_or_syntax(".".to_owned(), &error)),
        // A second JSON value after the batch (found by fuzzing): not one batch file.
        Some(Ok(_)) => {
            let start = end + text[end..].len() - text[end..].trim_start().len();
            let line = text[..start].matches('\n').count() + 1;
            let column = start - text[..start].rfind('\n').map_or(0, |at| at + 1) + 1;
            Err(ParseError::Syntax {
                line,
                column,
                message: "trailing characters after the batch object".to_owned(),
            })
        }
    }
}

fn field_or_syntax(path: String, error: &serde_json::Error) -> ParseError {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full).to_owned();
    if error.is_data() {
        ParseError::Field {
            path,
            message,
            line: error.line(),
            column: error.column(),
        }
    } else {
        ParseError::Syntax {
            line: error.line(),
            column: error.column(),
            message,
        }
    }
}
