//! What can go wrong between the console and a node, each said so that an operator knows what
//! to do. The RPC URL in a message is always redacted.

use crate::net::ConnectFailure;
use alloy_json_rpc::RpcError;
use alloy_transport::TransportErrorKind;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    #[error(
        "network `{network}` has no RPC URL: set the environment variable {variable} (offline, use its state snapshot)"
    )]
    NoRpcUrl { network: String, variable: String },
    #[error("offline: no network connection is opened (state comes from the snapshot)")]
    Offline,
    #[error(
        "block #{block} is past the head of `{network}` (#{head}): give a block the node has (--block N), or none for its head"
    )]
    BlockAhead {
        network: String,
        block: u64,
        head: u64,
    },
    #[error("{url}: connection refused — is the node running and the URL right?")]
    Refused { url: String },
    #[error("{url}: no answer within {seconds} s (timeout)")]
    Timeout { url: String, seconds: u64 },
    #[error("{url}: {problem}")]
    Tls {
        url: String,
        problem: crate::net::TlsProblem,
    },
    #[error("{url}: no such host — is the URL's host name right, and can this machine resolve it?")]
    NoSuchHost { url: String },
    #[error(transparent)]
    Roots(#[from] crate::net::RootsError),
    #[error("{url}: HTTP {status} from the node")]
    Http { url: String, status: u16 },
    #[error("{url}: JSON-RPC error {code}: {message}")]
    Rpc {
        url: String,
        code: i64,
        message: String,
    },
    #[error("{url}: the node's answer is malformed or truncated: {detail}")]
    Malformed { url: String, detail: String },
    #[error(
        "WRONG CHAIN: the node at {url} reports chain id {reported}, but network `{network}` is chain {expected}; live reads refused"
    )]
    WrongChain {
        url: String,
        network: String,
        expected: u64,
        reported: u64,
    },
    #[error(
        "the node is lagging: its latest block #{number} is {age_secs} s old (limit {limit_secs} s)"
    )]
    Lagging {
        number: u64,
        age_secs: u64,
        limit_secs: u64,
    },
    #[error("block #{number} was reorganised away: its hash was {was}, it is now {now}")]
    Reorganised {
        number: u64,
        was: String,
        now: String,
    },
    #[error("{url}: {detail}")]
    Other { url: String, detail: String },
}

/// Why a network's target (its node, modules and Safe) cannot be put together.
#[derive(Debug, thiserror::Error)]
pub enum TargetError {
    #[error(transparent)]
    Chain(#[from] ChainError),
    #[error("network `{0}` is not in config/networks.toml")]
    UnknownNetwork(String),
    #[error(transparent)]
    Context(#[from] crate::workspace::context::ContextError),
    #[error(transparent)]
    Addresses(#[from] AddressError),
    /// Boxed: a sandbox's error holds a node's whole RPC failure.
    #[error(transparent)]
    Sandbox(Box<crate::sandbox::SandboxError>),
}

impl From<crate::sandbox::SandboxError> for TargetError {
    fn from(error: crate::sandbox::SandboxError) -> Self {
        Self::Sandbox(Box::new(error))
    }
}

/// Why the addresses of a network's modules or Safe cannot be read from the workspace.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("{file}: {detail}")]
    Json { file: String, detail: String },
    #[error("{file}:{line}:{column}: {detail}")]
    ManifestJson {
        file: String,
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("{0}: the deployment manifest is missing")]
    ManifestMissing(String),
    #[error(
        "{file} is missing and network `{network}` names no deployment manifest: nothing says where the modules are"
    )]
    Nowhere { file: String, network: String },
    #[error(
        "{0}: names no module's address; expected {{\"contracts\": {{\"FeePool\": \"0x…\", …}}}} or a flat map {{\"feePool\": \"0x…\", …}}"
    )]
    NoContracts(String),
    #[error("{file}: field `{field}` is neither an address nor {{\"address\": …}}")]
    NotAnEntry { file: String, field: String },
    #[error(
        "{file}: field `{field}` is the zero address: the module is not deployed there; write its deployed address"
    )]
    NotDeployed { file: String, field: String },
    #[error("{file}: field `{field}`: `{text}` is not an address")]
    NotAnAddress {
        file: String,
        field: String,
        text: String,
    },
}

/// A receipt that does not read: the file, line, column and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{name}:{line}:{column}: field `{field}`: {message}")]
pub struct ReceiptError {
    pub name: String,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub message: String,
}

impl ChainError {
    /// Classifies a transport error; `raw_url` is only used to scrub the URL out of messages.
    pub fn from_transport(
        error: &RpcError<TransportErrorKind>,
        raw_url: &str,
        timeout_secs: u64,
    ) -> Self {
        let shown = crate::redact::redact_url(raw_url);
        let url = shown.clone();
        let scrub = |text: String| scrub(text, raw_url, &shown);
        match error {
            RpcError::ErrorResp(payload) => Self::Rpc {
                url,
                code: payload.code,
                message: scrub(payload.message.to_string()),
            },
            RpcError::DeserError { err, .. } => Self::Malformed {
                url,
                detail: scrub(err.to_string()),
            },
            RpcError::NullResp => Self::Malformed {
                url,
                detail: "null where a value was expected".into(),
            },
            RpcError::Transport(kind) => match kind {
                TransportErrorKind::HttpError(http) => Self::Http {
                    url,
                    status: http.status,
                },
                TransportErrorKind::HttpErrorWithRetryAfter { error, .. } => Self::Http {
                    url,
                    status: error.status,
                },
                TransportErrorKind::MissingBatchResponse(id) => Self::Malformed {
                    url,
                    detail: format!("the batch answer lacks request {id}"),
                },
                TransportErrorKind::Custom(inner) => {
                    let mut classified = classify_io(inner.as_ref(), url, timeout_secs);
                    if let Self::Malformed { detail, .. } | Self::Other { detail, .. } =
                        &mut classified
                    {
                        *detail = scrub(std::mem::take(detail));
                    }
                    classified
                }
                other => Self::Other {
                    url,
                    detail: scrub(other.to_string()),
                },
            },
            other => Self::Other {
                url,
                detail: scrub(other.to_string()),
            },
        }
    }
}

fn classify_io(
    error: &(dyn std::error::Error + Send + Sync + 'static),
    url: String,
    timeout_secs: u64,
) -> ChainError {
    if let Some(http) = error.downcast_ref::<reqwest::Error>() {
        if http.is_timeout() {
            return ChainError::Timeout {
                url,
                seconds: timeout_secs,
            };
        }
        match ConnectFailure::of(error) {
            Some(ConnectFailure::Tls(problem)) => return ChainError::Tls { url, problem },
            Some(ConnectFailure::TimedOut) => {
                return ChainError::Timeout {
                    url,
                    seconds: timeout_secs,
                };
            }
            Some(ConnectFailure::NoSuchHost) => return ChainError::NoSuchHost { url },
            Some(ConnectFailure::Refused) => return ChainError::Refused { url },
            None if http.is_connect() => {
                return ChainError::Other {
                    url,
                    detail: format!("cannot connect: {}", chain_of(error)),
                };
            }
            None => {}
        }
        if http.is_decode() || http.is_body() {
            return ChainError::Malformed {
                url,
                detail: chain_of(error),
            };
        }
    }
    ChainError::Other {
        url,
        detail: chain_of(error),
    }
}

/// `text` with the raw URL (as written, and as a URL library prints it) replaced by `shown`.
fn scrub(text: String, raw_url: &str, shown: &str) -> String {
    let mut text = text.replace(raw_url, shown);
    if let Ok(parsed) = url::Url::parse(raw_url) {
        text = text.replace(parsed.as_str(), shown);
    }
    text
}

/// The error with its sources, so "connection reset" is not hidden behind "request failed".
fn chain_of(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}
