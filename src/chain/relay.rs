//! A loopback relay to a network's node, for a process that must reach the node but is not
//! to be handed its URL: a fork's anvil (anvil takes its node's URL on its command line, where
//! every user of the machine can read it, and trusts no extra certificate authority). A
//! simulation runs one in the console; a fork sandbox runs one detached (sandbox/fork_relay.rs).
//! It listens on 127.0.0.1, reads each HTTP/1.1 request (a JSON-RPC request or batch), sends
//! its body to the node with the console's own HTTP client (the URL stays in this process, the
//! profile's `ca_file` is trusted), and answers with the node's status and body. It stops
//! taking connections when dropped; a connection ends when its client closes it.

use super::client::Endpoint;
use super::error::ChainError;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The largest request head and body taken (a fork asks for blocks, accounts and storage).
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 16 * 1024 * 1024;

pub struct Relay {
    /// The relay's loopback URL: no secret.
    pub url: String,
    pub port: u16,
    accepting: tokio::task::JoinHandle<()>,
}

impl Relay {
    /// Starts relaying to `endpoint`'s node on a free loopback port (on the current runtime).
    pub async fn start(endpoint: &Endpoint) -> Result<Self, ChainError> {
        let http = endpoint.http()?;
        let node = endpoint.parsed()?;
        let cannot = |error: std::io::Error| ChainError::Other {
            url: "the loopback relay".to_owned(),
            detail: error.to_string(),
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(cannot)?;
        let port = listener.local_addr().map_err(cannot)?.port();
        let accepting = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, http.clone(), node.clone()));
            }
        });
        Ok(Self {
            url: format!("http://127.0.0.1:{port}/"),
            port,
            accepting,
        })
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

/// Answers the requests of one connection in turn, until the client closes it or sends what
/// is not a request with a length.
async fn serve(stream: TcpStream, http: reqwest::Client, node: reqwest::Url) {
    // Each answer goes out whole at once: no wait for the client's acknowledgement (Nagle).
    let _ = stream.set_nodelay(true);
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    while let Some(body) = request_body(&mut read).await {
        let (status, answer) = relayed(&http, &node, body).await;
        let mut whole = format!(
            "HTTP/1.1 {status} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            reqwest::StatusCode::from_u16(status)
                .ok()
                .and_then(|code| code.canonical_reason())
                .unwrap_or("Relayed"),
            answer.len()
        )
        .into_bytes();
        whole.extend_from_slice(&answer);
        if write.write_all(&whole).await.is_err() {
            return;
        }
    }
}

/// The body of the next request: its head read up to the blank line, the body by its
/// `Content-Length`. None at the end of the connection, or for a request the relay does not
/// take (no length, chunked, too large).
async fn request_body(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<Vec<u8>> {
    let mut length = None;
    let mut head = 0;
    let mut line = String::new();
    loop {
        line.clear();
        let read_now = read.read_line(&mut line).await.ok()?;
        head += read_now;
        if read_now == 0 || head > MAX_HEAD {
            return None;
        }
        let text = line.trim_end();
        if text.is_empty() {
            break;
        }
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse::<usize>().ok();
            }
            if name.trim().eq_ignore_ascii_case("transfer-encoding") {
                return None;
            }
        }
    }
    let length = length.filter(|length| *length <= MAX_BODY)?;
    let mut body = vec![0; length];
    read.read_exact(&mut body).await.ok()?;
    Some(body)
}

/// The node's status and answer to `body`; 502 and the failure (redacted) when it gave none.
async fn relayed(http: &reqwest::Client, node: &reqwest::Url, body: Vec<u8>) -> (u16, Vec<u8>) {
    let sent = http
        .post(node.clone())
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await;
    let failure = |error: reqwest::Error| {
        let said = crate::redact::Redactor::default().text(&error.without_url().to_string());
        (
            502,
            format!("the node did not answer the relay: {said}").into_bytes(),
        )
    };
    match sent {
        Ok(response) => {
            let status = response.status().as_u16();
            match response.bytes().await {
                Ok(answer) => (status, answer.to_vec()),
                Err(error) => failure(error),
            }
        }
        Err(error) => failure(error),
    }
}
