//! The loopback relay a fork's anvil reaches its node through (src/chain/relay.rs): JSON-RPC
//! relayed as the node answers it, single and batched, over keep-alive connections; what is
//! not a request it takes (a body over its limit, bytes that are not HTTP) is refused without
//! reaching the node, and the relay goes on serving.

use crate::support::real_chain::local_node;
use owner_console::chain::client::Endpoint;
use owner_console::chain::relay::Relay;
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::time::Duration;

#[test]
fn the_relay_answers_as_the_node_and_refuses_what_it_does_not_take() {
    let (node, _, _) = local_node(&[]);
    // The relay serves from worker threads while this test writes raw bytes from its own.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let endpoint = Endpoint::new("demo", 31337, &node.url(), Duration::from_secs(10));
    let relay = runtime.block_on(Relay::start(&endpoint)).unwrap();
    let client = owner_console::net::ExtraRoots::default().client().unwrap();
    let post = |body: Vec<u8>| {
        runtime.block_on(async {
            let response = client.post(&relay.url).body(body).send().await.unwrap();
            let status = response.status().as_u16();
            (status, response.bytes().await.unwrap().to_vec())
        })
    };
    let one = json!({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []});
    let (status, body) = post(one.to_string().into_bytes());
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_slice::<Value>(&body).unwrap()["result"],
        "0x7a69"
    );
    let batch =
        json!([one, {"jsonrpc": "2.0", "id": 2, "method": "eth_blockNumber", "params": []}]);
    let (_, body) = post(batch.to_string().into_bytes());
    assert_eq!(
        serde_json::from_slice::<Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // 17 MiB: over the relay's limit, refused before the node sees it.
    let (status, _) = post(vec![b' '; 17 * 1024 * 1024]);
    assert_eq!(status, 413, "a body over the limit is refused");

    // Bytes that are not HTTP: the connection is answered with an error or closed.
    let mut raw = std::net::TcpStream::connect(("127.0.0.1", relay.port)).unwrap();
    raw.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    raw.write_all(b"\x1b[31mNOT HTTP\r\n\r\n").unwrap();
    let mut said = Vec::new();
    let _ = raw.read_to_end(&mut said);
    let said = String::from_utf8_lossy(&said);
    assert!(said.is_empty() || said.starts_with("HTTP/1.1 4"), "{said}");

    // A request whose body is sent in chunks (no length) is relayed too.
    let text = one.to_string();
    let (head, tail) = text.split_at(text.len() / 2);
    let mut chunked = std::net::TcpStream::connect(("127.0.0.1", relay.port)).unwrap();
    chunked
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        chunked,
        "POST / HTTP/1.1\r\nHost: relay\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n\
         {:x}\r\n{head}\r\n{:x}\r\n{tail}\r\n0\r\n\r\n",
        head.len(),
        tail.len()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = chunked.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.contains("0x7a69"),
        "{answer}"
    );
    // Still serving after all of it.
    assert_eq!(post(one.to_string().into_bytes()).0, 200);
}
