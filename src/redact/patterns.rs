//! The secrets a text shows by their shape: a URL's credentials and keys, the value of a
//! secret-named assignment (`API_KEY=…`, `--token=…`, `OWNER_CONSOLE_PASSPHRASE=…`) and a
//! bearer token. The text is scanned once, as bytes (a command's output need not be UTF-8);
//! only ASCII is replaced, so valid UTF-8 stays valid.

use super::MASK;
use super::url::redact_in_place;

/// `input` with every secret of a known shape masked.
pub fn mask(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut at = 0;
    while at < input.len() {
        let starts_word = at == 0 || !is_name(input[at - 1]);
        if starts_word && let Some(end) = url_at(input, at) {
            // A URL token is ASCII (it ends at the first byte that is not).
            let token = String::from_utf8_lossy(&input[at..end]);
            out.extend_from_slice(redact_in_place(&token).as_bytes());
            at = end;
        } else if starts_word && let Some((value, end)) = secret_value_at(input, at) {
            out.extend_from_slice(&input[at..value]);
            out.extend_from_slice(MASK.as_bytes());
            at = end;
        } else {
            out.push(input[at]);
            at += 1;
        }
    }
    out
}

fn is_name(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-'
}

/// Where the URL that starts at `at` (`scheme://…`) ends.
fn url_at(input: &[u8], at: usize) -> Option<usize> {
    let scheme = input[at..]
        .iter()
        .take(16)
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-'))
        .count();
    let rest = &input[at + scheme..];
    if scheme == 0 || !input[at].is_ascii_alphabetic() || !rest.starts_with(b"://") {
        return None;
    }
    let body = &rest[3..];
    let length = body.iter().take_while(|b| in_url(**b)).count();
    (length > 0).then_some(at + scheme + 3 + length)
}

/// Printable ASCII but what cannot stand in a URL unencoded (quotes, `<>`, `|`, `\`, `^`,
/// a backtick) and a closing parenthesis (a URL in parentheses).
fn in_url(byte: u8) -> bool {
    byte.is_ascii_graphic()
        && !matches!(
            byte,
            b'"' | b'\'' | b'`' | b'<' | b'>' | b')' | b'|' | b'\\' | b'^'
        )
}

/// At a secret-named assignment (`NAME=value`) or a bearer token (`Bearer value`): where its
/// value starts and ends.
fn secret_value_at(input: &[u8], at: usize) -> Option<(usize, usize)> {
    let name = input[at..]
        .iter()
        .take(128)
        .take_while(|b| is_name(**b))
        .count();
    let after = at + name;
    let separator = match input.get(after) {
        Some(b'=') => 1,
        Some(b' ') if input[at..after].eq_ignore_ascii_case(b"bearer") => 1,
        _ => return None,
    };
    if !is_secret_name(&String::from_utf8_lossy(&input[at..after])) {
        return None;
    }
    let value = after + separator;
    let end = value_end(input, value);
    let text = &input[value..end];
    // A reference (`$VAR`, `$(cat f)`, `{{input}}`) names a secret without holding it.
    let reference = text.starts_with(b"$") || text.starts_with(b"{{");
    (end > value && text != MASK.as_bytes() && !reference).then_some((value, end))
}

/// The end of a value: its closing quote when quoted, else the first space, control
/// character, quote, `&`, `,` or `;`.
fn value_end(input: &[u8], start: usize) -> usize {
    match input.get(start) {
        Some(quote @ (b'"' | b'\'')) => input[start + 1..]
            .iter()
            .position(|b| b == quote || *b == b'\n')
            .map_or(input.len(), |end| start + 1 + end + 1),
        _ => {
            start
                + input[start..]
                    .iter()
                    .take_while(|b| {
                        !b.is_ascii_whitespace()
                            && !b.is_ascii_control()
                            && !matches!(b, b'"' | b'\'' | b'&' | b',' | b';' | b'`')
                    })
                    .count()
        }
    }
}

/// Whether a variable or parameter of this name holds a secret: it ends with `key`, `token`,
/// `secret`, `password`, `passwd`, `passphrase`, `credentials` or `auth`, whatever the case
/// and separators (`API_KEY`, `api-key`, `apikey`, `GITHUB_TOKEN`), or is `bearer`.
pub fn is_secret_name(name: &str) -> bool {
    const ENDINGS: [&str; 9] = [
        "key",
        "token",
        "secret",
        "password",
        "passwd",
        "passphrase",
        "credential",
        "credentials",
        "auth",
    ];
    let lower = name.to_ascii_lowercase();
    lower == "bearer" || ENDINGS.iter().any(|ending| lower.ends_with(ending))
}

#[cfg(test)]
mod tests {
    use super::mask;

    fn masked(text: &str) -> String {
        String::from_utf8(mask(text.as_bytes())).unwrap()
    }

    #[test]
    fn urls_in_text_lose_their_secrets_and_keep_the_rest() {
        assert_eq!(
            masked("MAINNET_RPC_URL=https://u:p@rpc.example.org/v3/K3yS3cr3t77 and more"),
            "MAINNET_RPC_URL=https://***:***@rpc.example.org/v3/*** and more"
        );
        assert_eq!(
            masked("error: \"http://127.0.0.1:8545/?apikey=abc\" refused"),
            "error: \"http://127.0.0.1:8545/?apikey=***\" refused"
        );
        assert_eq!(
            masked("see (https://x.org/v2/Ab12Cd)."),
            "see (https://x.org/v2/***)."
        );
        assert_eq!(
            masked("https://x.org/v2/Ab12Cd|next"),
            "https://x.org/v2/***|next"
        );
    }

    #[test]
    fn secret_named_assignments_and_bearer_tokens_are_masked() {
        let cases = [
            ("API_KEY=abc123", "API_KEY=***"),
            ("export GITHUB_TOKEN=ghp_x y", "export GITHUB_TOKEN=*** y"),
            ("--api-key=abc --other=1", "--api-key=*** --other=1"),
            ("client_secret=s&x=1", "client_secret=***&x=1"),
            ("PASSWORD=\"two words\" next", "PASSWORD=*** next"),
            (
                "Authorization: Bearer eyJhbGciOi.x.y",
                "Authorization: Bearer ***",
            ),
            (
                "OWNER_CONSOLE_PASSPHRASE=hunter2",
                "OWNER_CONSOLE_PASSPHRASE=***",
            ),
        ];
        for (raw, shown) in cases {
            assert_eq!(masked(raw), shown, "{raw}");
        }
    }

    #[test]
    fn ordinary_text_and_bytes_pass_unchanged() {
        for kept in [
            "monkey business, key = value, PATH=/usr/bin, keys=",
            "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed · sha256 9f86d081884c7d65",
            "TOKEN=*** already masked",
            "API_KEY=$DEPLOY_KEY TOKEN=$(cat token) SECRET={{secret}} cmd",
            "日本 ✓ ‼",
        ] {
            assert_eq!(masked(kept), kept);
        }
        let binary = [0xff, 0xfe, b'K', b'E', b'Y', b'=', 0x80, b'x'];
        assert_eq!(mask(&binary)[..6], binary[..6]);
        assert!(!mask(&binary).contains(&b'x'));
    }
}
