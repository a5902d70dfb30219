//! URLs carry secrets: user:password, an API key in the path (`/v3/<key>`, `/v2/<key>`, a long
//! token segment) or in the query (`?apikey=`, `?key=`, `token=`…). An RPC URL the console
//! shows goes through [`redact_url`]; a URL inside free text through [`redact_in_place`],
//! which keeps the text as written.

use super::MASK;

/// The URL with its credentials, query values and key-like path segments replaced by `***`.
pub fn redact_url(raw: &str) -> String {
    let Ok(mut url) = url::Url::parse(raw) else {
        return "<unparseable RPC URL>".to_owned();
    };
    if !url.username().is_empty() {
        let _ = url.set_username(MASK);
    }
    if url.password().is_some() {
        let _ = url.set_password(Some(MASK));
    }
    let segments: Option<Vec<&str>> = url.path_segments().map(Iterator::collect);
    if let Some(segments) = segments.filter(|s| !s.is_empty()) {
        let path = masked_path(&segments);
        url.set_path(&path);
    }
    if url.query().is_some() {
        let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(names.iter().map(|k| (k.as_str(), MASK)));
    }
    url.to_string()
}

/// One URL as it stands in a text (`scheme://…` up to a space or quote), redacted as
/// [`redact_url`] does but without reformatting it, and kept whole where it does not parse.
pub fn redact_in_place(token: &str) -> String {
    let Some((scheme, rest)) = token.split_once("://") else {
        return token.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) if user.contains(':') => format!("{MASK}:{MASK}@{host}"),
        Some((_, host)) => format!("{MASK}@{host}"),
        None => authority.to_owned(),
    };
    let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
    let (path, after) = tail.split_at(path_end);
    let segments: Vec<&str> = path.split('/').collect();
    format!(
        "{scheme}://{authority}{}{}",
        masked_path(&segments),
        masked_parameters(after)
    )
}

/// The path's segments joined by `/`, each key-like one masked.
fn masked_path(segments: &[&str]) -> String {
    let mut after_version = false;
    let masked: Vec<&str> = segments
        .iter()
        .map(|segment| {
            let shown = if looks_like_key(segment, after_version) {
                MASK
            } else {
                segment
            };
            after_version = is_version(segment);
            shown
        })
        .collect();
    masked.join("/")
}

/// The query and fragment (`?a=1&b=2#c=3`) with every value masked, and a bare part that looks
/// like a key.
fn masked_parameters(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut part = String::new();
    let flush = |part: &mut String, out: &mut String| {
        match part.split_once('=') {
            Some((name, value)) if !value.is_empty() && !value.contains("{{") => {
                out.push_str(name);
                out.push('=');
                out.push_str(MASK);
            }
            Some(_) => out.push_str(part),
            None if looks_like_key(part, false) => out.push_str(MASK),
            None => out.push_str(part),
        }
        part.clear();
    };
    for c in text.chars() {
        if matches!(c, '?' | '&' | '#' | ';') {
            flush(&mut part, &mut out);
            out.push(c);
        } else {
            part.push(c);
        }
    }
    flush(&mut part, &mut out);
    out
}

/// `v1`, `v2`, `v3`…: an API version, after which providers put the key.
fn is_version(segment: &str) -> bool {
    segment.len() <= 3
        && segment.starts_with(['v', 'V'])
        && segment.len() > 1
        && segment[1..].bytes().all(|b| b.is_ascii_digit())
}

/// A key: a long run of letters and digits (Infura, Alchemy, QuickNode…), or, right after a
/// version segment, anything but a plain lowercase word (`/v1/health` stays). A `{{input}}`
/// placeholder is not a key.
fn looks_like_key(segment: &str, after_version: bool) -> bool {
    if segment.is_empty() || segment.contains("{{") {
        return false;
    }
    let alphanumeric = segment.chars().filter(char::is_ascii_alphanumeric).count();
    let plain_word = segment.len() <= 12
        && segment
            .chars()
            .all(|c| c.is_ascii_lowercase() || c == '-' || c == '_');
    alphanumeric >= 16 || (after_version && !plain_word)
}

#[cfg(test)]
mod tests {
    use super::{redact_in_place, redact_url};

    #[test]
    fn secrets_never_survive() {
        let cases = [
            (
                "https://user:hunter2@rpc.example.org/",
                "https://***:***@rpc.example.org/",
            ),
            (
                "https://mainnet.example.io/v3/0123456789abcdef0123456789abcdef",
                "https://mainnet.example.io/v3/***",
            ),
            (
                "http://127.0.0.1:8545/?apikey=s3cr3t&x=1",
                "http://127.0.0.1:8545/?apikey=***&x=***",
            ),
            ("http://127.0.0.1:8545", "http://127.0.0.1:8545/"),
        ];
        for (raw, shown) in cases {
            assert_eq!(redact_url(raw), shown);
        }
        assert!(!redact_url("not a url hunter2").contains("hunter2"));
    }

    #[test]
    fn a_short_key_after_a_version_segment_is_masked() {
        let cases = [
            (
                "https://mainnet.infura.io/v3/K3yS3cr3t77",
                "https://mainnet.infura.io/v3/***",
            ),
            (
                "https://eth-mainnet.g.alchemy.com/v2/AbCdEf",
                "https://eth-mainnet.g.alchemy.com/v2/***",
            ),
            (
                "https://rpc.example.org/v2/abc123/extra",
                "https://rpc.example.org/v2/***/extra",
            ),
            (
                "https://name.quiknode.pro/0123456789abcdef0123/",
                "https://name.quiknode.pro/***/",
            ),
        ];
        for (raw, shown) in cases {
            assert_eq!(redact_url(raw), shown, "{raw}");
            assert_eq!(redact_in_place(raw), shown, "{raw} in text");
        }
    }

    #[test]
    fn what_says_where_a_url_points_is_kept() {
        for kept in [
            "http://127.0.0.1:8545",
            "https://status.example.org/api/v1/health",
            "http://127.0.0.1:{{port}}/healthz",
            "https://api.example.org/v3/{{key}}",
            "https://rpc.example.org/eth/mainnet",
        ] {
            assert_eq!(redact_in_place(kept), kept);
        }
    }

    #[test]
    fn every_query_form_is_masked_in_text() {
        let cases = [
            (
                "https://x.org/rpc?apikey=s3cr3t",
                "https://x.org/rpc?apikey=***",
            ),
            (
                "https://x.org/rpc?key=s3cr3t&v=2",
                "https://x.org/rpc?key=***&v=***",
            ),
            (
                "https://x.org/?token=abc#frag",
                "https://x.org/?token=***#frag",
            ),
            (
                "https://x.org/cb#access_token=abc",
                "https://x.org/cb#access_token=***",
            ),
            ("wss://u:p@x.org/ws", "wss://***:***@x.org/ws"),
            ("https://token@x.org/", "https://***@x.org/"),
        ];
        for (raw, shown) in cases {
            assert_eq!(redact_in_place(raw), shown, "{raw}");
        }
    }
}
