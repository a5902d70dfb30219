//! A loopback relay to a network's node, for a process that must reach the node but is not
//! to be handed its URL: a fork's anvil (anvil takes its node's URL on its command line, where
//! every user of the machine can read it, and trusts no extra certificate authority). A
//! simulation runs one in the console; a fork sandbox runs one detached (sandbox/fork_relay.rs).
//! It listens on 127.0.0.1 and serves HTTP/1.1 (hyper): each request's body (a JSON-RPC request
//! or batch, at most 16 MiB) goes to the node with the console's own HTTP client (the URL stays
//! in this process, the profile's `ca_file` is trusted), and the answer is the node's status and
//! body. It stops taking connections when dropped.

use super::client::Endpoint;
use super::error::ChainError;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use std::convert::Infallible;

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
                // Each answer goes out at once: no wait for the client's acknowledgement (Nagle).
                let _ = stream.set_nodelay(true);
                let (http, node) = (http.clone(), node.clone());
                let service = hyper::service::service_fn(move |request| {
                    relay(http.clone(), node.clone(), request)
                });
                tokio::spawn(
                    hyper::server::conn::http1::Builder::new()
                        .max_buf_size(MAX_HEAD)
                        .serve_connection(TokioIo::new(stream), service),
                );
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

/// One request relayed: its body, when within the limit, sent to the node; 413 otherwise.
async fn relay(
    http: reqwest::Client,
    node: reqwest::Url,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (status, answer) = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(body) => relayed(&http, &node, body.to_bytes()).await,
        Err(_) => (
            StatusCode::PAYLOAD_TOO_LARGE.as_u16(),
            b"the request is over the relay's 16 MiB, or ended early".to_vec(),
        ),
    };
    let mut response = Response::new(Full::new(Bytes::from(answer)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
}

/// The node's status and answer to `body`; 502 and the failure (redacted) when it gave none.
async fn relayed(http: &reqwest::Client, node: &reqwest::Url, body: Bytes) -> (u16, Vec<u8>) {
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
