//! A loopback HTTP proxy in front of a node that counts requests and, on demand, delays, drops,
//! errors or garbles the answers: the faults a real link or node has.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Forward as it is.
    None,
    /// Forward after this long.
    Delay(Duration),
    /// Close the connection without an answer.
    Drop,
    /// Answer HTTP 503 without asking the node.
    Status(u16),
    /// Answer a JSON-RPC error for every request of the batch.
    RpcError,
    /// Forward, then cut the answer's body in half.
    Truncate,
    /// Forward, then replace the answer with text that is not JSON.
    Garbage,
    /// Forward the request with one text replaced by another (a node that answers another
    /// question than the one asked).
    SwapInRequest(String, String),
    /// Refuse an `eth_getLogs` over more blocks than this, as providers do, with their words.
    LogRangeOver(u64),
}

pub struct Proxy {
    pub port: u16,
    requests: Arc<AtomicU32>,
    connections: Arc<AtomicU32>,
    fault: Arc<Mutex<Fault>>,
    /// Microseconds of delay added to every request (the link's latency).
    latency_us: Arc<AtomicU64>,
    /// The block range of every `eth_getLogs` asked, refused or not.
    log_ranges: Arc<Mutex<Vec<(u64, u64)>>>,
}

impl Proxy {
    pub fn start(upstream: u16) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let proxy = Self {
            port,
            requests: Arc::default(),
            connections: Arc::default(),
            fault: Arc::new(Mutex::new(Fault::None)),
            latency_us: Arc::default(),
            log_ranges: Arc::default(),
        };
        let (requests, connections, fault, latency, ranges) = (
            proxy.requests.clone(),
            proxy.connections.clone(),
            proxy.fault.clone(),
            proxy.latency_us.clone(),
            proxy.log_ranges.clone(),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                connections.fetch_add(1, Ordering::SeqCst);
                let seen = Seen {
                    requests: requests.clone(),
                    fault: fault.clone(),
                    latency: latency.clone(),
                    log_ranges: ranges.clone(),
                };
                std::thread::spawn(move || serve(stream, upstream, &seen));
            }
        });
        proxy
    }

    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn set(&self, fault: Fault) {
        *self.fault.lock().unwrap() = fault;
    }

    #[allow(dead_code)] // benches/chain.rs adds latency to every request.
    pub fn set_latency(&self, latency: Duration) {
        self.latency_us
            .store(latency.as_micros() as u64, Ordering::SeqCst);
    }

    pub fn requests(&self) -> u32 {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn connections(&self) -> u32 {
        self.connections.load(Ordering::SeqCst)
    }

    /// The block ranges of the `eth_getLogs` asked so far.
    pub fn log_ranges(&self) -> Vec<(u64, u64)> {
        self.log_ranges.lock().unwrap().clone()
    }
}

/// What one connection's thread shares with the proxy.
struct Seen {
    requests: Arc<AtomicU32>,
    fault: Arc<Mutex<Fault>>,
    latency: Arc<AtomicU64>,
    log_ranges: Arc<Mutex<Vec<(u64, u64)>>>,
}

/// The range of an `eth_getLogs` request.
fn log_range(request: &serde_json::Value) -> Option<(u64, u64)> {
    if request["method"] != "eth_getLogs" {
        return None;
    }
    let number = |key: &str| {
        let text = request["params"][0][key].as_str()?;
        u64::from_str_radix(text.trim_start_matches("0x"), 16).ok()
    };
    Some((number("fromBlock")?, number("toBlock")?))
}

/// One HTTP/1.1 message: head lines and body (by Content-Length).
fn read_message(reader: &mut BufReader<TcpStream>) -> Option<(Vec<String>, Vec<u8>)> {
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end().to_owned();
        if line.is_empty() {
            break;
        }
        head.push(line);
    }
    let length = head
        .iter()
        .find_map(|h| {
            let (name, value) = h.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((head, body))
}

fn respond(stream: &mut TcpStream, status: u16, body: &[u8]) {
    let mut message = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    message.extend_from_slice(body);
    let _ = stream.write_all(&message);
}

fn forward(upstream: u16, body: &[u8]) -> Option<Vec<u8>> {
    let mut node = TcpStream::connect(("127.0.0.1", upstream)).ok()?;
    node.set_nodelay(true).ok()?;
    let mut message = format!(
        "POST / HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    message.extend_from_slice(body);
    node.write_all(&message).ok()?;
    let mut reader = BufReader::new(node);
    read_message(&mut reader).map(|(_, body)| body)
}

fn serve(stream: TcpStream, upstream: u16, seen: &Seen) {
    let (requests, fault, latency) = (&seen.requests, &seen.fault, &seen.latency);
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    while let Some((_, body)) = read_message(&mut reader) {
        requests.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_micros(latency.load(Ordering::SeqCst)));
        let fault = fault.lock().unwrap().clone();
        let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        if let Some((from, to)) = log_range(&request) {
            seen.log_ranges.lock().unwrap().push((from, to));
            if matches!(fault, Fault::LogRangeOver(most) if to - from + 1 > most) {
                let refused = serde_json::json!({"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32005, "message": "query exceeds max block range"}});
                respond(&mut writer, 200, refused.to_string().as_bytes());
                continue;
            }
        }
        match fault {
            Fault::Drop => return,
            Fault::Status(status) => {
                respond(&mut writer, status, b"upstream unavailable");
                continue;
            }
            Fault::RpcError => {
                let request: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                let error = |id: &serde_json::Value| serde_json::json!({"jsonrpc": "2.0", "id": id, "error": {"code": -32603, "message": "internal error (injected)"}});
                let answer = match &request {
                    serde_json::Value::Array(items) => {
                        serde_json::Value::Array(items.iter().map(|i| error(&i["id"])).collect())
                    }
                    single => error(&single["id"]),
                };
                respond(&mut writer, 200, answer.to_string().as_bytes());
                continue;
            }
            Fault::Delay(delay) => std::thread::sleep(delay),
            _ => {}
        }
        let body = match &fault {
            Fault::SwapInRequest(asked, answered) => String::from_utf8_lossy(&body)
                .replace(asked.as_str(), answered)
                .into_bytes(),
            _ => body,
        };
        let Some(answer) = forward(upstream, &body) else {
            return;
        };
        let answer = match fault {
            Fault::Truncate => answer[..answer.len() / 2].to_vec(),
            Fault::Garbage => b"<html>502 Bad Gateway</html>".to_vec(),
            _ => answer,
        };
        respond(&mut writer, 200, &answer);
    }
}
