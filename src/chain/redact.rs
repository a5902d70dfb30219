//! RPC URLs carry secrets (user:password, API keys in the path or the query): every URL that is
//! shown, logged or recorded goes through `redact` first.

/// The URL with its credentials, query values and key-like path segments replaced by `***`.
pub fn redact(raw: &str) -> String {
    let Ok(mut url) = url::Url::parse(raw) else {
        return "<unparseable RPC URL>".to_owned();
    };
    if !url.username().is_empty() {
        let _ = url.set_username("***");
    }
    if url.password().is_some() {
        let _ = url.set_password(Some("***"));
    }
    let segments: Vec<String> = url
        .path_segments()
        .map(|parts| {
            parts
                .map(|part| {
                    if looks_like_key(part) {
                        "***".to_owned()
                    } else {
                        part.to_owned()
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if !segments.is_empty() {
        url.set_path(&segments.join("/"));
    }
    if url.query().is_some() {
        let names: Vec<String> = url.query_pairs().map(|(k, _)| k.into_owned()).collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(names.iter().map(|k| (k.as_str(), "***")));
    }
    url.to_string()
}

/// Long runs of letters and digits are API keys (Infura, Alchemy…); short words (`v3`, `rpc`)
/// are kept so the URL still says where it points.
fn looks_like_key(segment: &str) -> bool {
    segment.len() >= 16
        && segment
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .count()
            >= 16
}

#[cfg(test)]
mod tests {
    use super::redact;

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
            assert_eq!(redact(raw), shown);
        }
        assert!(!redact("not a url hunter2").contains("hunter2"));
    }
}
