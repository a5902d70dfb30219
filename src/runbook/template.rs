//! `{{input}}` placeholders: where they are, and filling them in safely.

use std::collections::BTreeMap;
use std::ops::Range;

/// Placeholders every template may use besides the runbook's inputs: the run's own context.
pub const BUILTINS: [&str; 4] = ["network", "chain_id", "run_id", "operator"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    pub name: String,
    /// Byte range of `{{ name }}` in the template.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("`{{{{` at byte {0} is never closed with `}}}}`")]
    Unclosed(usize),
    #[error("empty placeholder `{{{{}}}}` at byte {0}")]
    Empty(usize),
    #[error("no value for input `{0}`")]
    Missing(String),
    #[error("the value of input `{0}` holds a NUL byte, which no shell can quote")]
    Unquotable(String),
}

pub fn placeholders(template: &str) -> Result<Vec<Placeholder>, TemplateError> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = template[from..].find("{{").map(|at| at + from) {
        let close = template[open + 2..]
            .find("}}")
            .map(|at| at + open + 2)
            .ok_or(TemplateError::Unclosed(open))?;
        let name = template[open + 2..close].trim();
        if name.is_empty() {
            return Err(TemplateError::Empty(open));
        }
        found.push(Placeholder {
            name: name.to_owned(),
            span: open..close + 2,
        });
        from = close + 2;
    }
    Ok(found)
}

fn render(
    template: &str,
    values: &BTreeMap<String, String>,
    encode: impl Fn(&str, &str) -> Result<String, TemplateError>,
) -> Result<String, TemplateError> {
    let mut out = String::with_capacity(template.len());
    let mut from = 0;
    for placeholder in placeholders(template)? {
        out.push_str(&template[from..placeholder.span.start]);
        let value = values
            .get(&placeholder.name)
            .ok_or_else(|| TemplateError::Missing(placeholder.name.clone()))?;
        out.push_str(&encode(&placeholder.name, value)?);
        from = placeholder.span.end;
    }
    out.push_str(&template[from..]);
    Ok(out)
}

/// Fills a shell snippet: every value becomes one shell word, whatever it holds.
pub fn render_shell(
    template: &str,
    values: &BTreeMap<String, String>,
) -> Result<String, TemplateError> {
    render(template, values, |name, value| {
        shlex::try_quote(value)
            .map(|quoted| quoted.into_owned())
            .map_err(|_| TemplateError::Unquotable(name.to_owned()))
    })
}

/// Fills a value as it is (contract call arguments, which are typed and checked later).
pub fn render_plain(
    template: &str,
    values: &BTreeMap<String, String>,
) -> Result<String, TemplateError> {
    render(template, values, |_, value| Ok(value.to_owned()))
}

/// Fills a URL: every value is percent-encoded as one path or query component.
pub fn render_url(
    template: &str,
    values: &BTreeMap<String, String>,
) -> Result<String, TemplateError> {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    render(template, values, |_, value| {
        Ok(utf8_percent_encode(value, NON_ALPHANUMERIC).to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn finds_placeholders_with_spaces() {
        let found = placeholders("cast send {{ to }} --value {{amount}}").unwrap();
        let names: Vec<_> = found.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["to", "amount"]);
    }

    #[test]
    fn hostile_values_stay_one_word() {
        let hostile = "x; rm -rf / $(id) `id` 'q' \"d\"\nnext";
        let rendered = render_shell("echo {{v}}", &values(&[("v", hostile)])).unwrap();
        let words = shlex::split(&rendered).unwrap();
        assert_eq!(words, ["echo", hostile]);
    }

    #[test]
    fn unclosed_and_missing_are_errors() {
        assert_eq!(placeholders("a {{b"), Err(TemplateError::Unclosed(2)));
        assert_eq!(
            render_shell("{{b}}", &values(&[])),
            Err(TemplateError::Missing("b".into()))
        );
    }

    #[test]
    fn url_values_are_percent_encoded() {
        let url = render_url("http://h/x?q={{v}}", &values(&[("v", "a b&c")])).unwrap();
        assert_eq!(url, "http://h/x?q=a%20b%26c");
    }
}
