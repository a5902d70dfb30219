//! A provider's `https://` endpoint on loopback: a TLS-terminating proxy in front of a node,
//! its certificate issued by a test certificate authority made for the test.

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate authority no machine trusts until it is given its PEM.
pub struct TestCa {
    pub pem: String,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    pub fn new(name: &str) -> Self {
        let key = KeyPair::generate().unwrap();
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        let cert = params.self_signed(&key).unwrap();
        Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// A server certificate for `names` and its key.
    fn leaf(&self, names: &[&str]) -> (CertificateDer<'static>, PrivateKeyDer<'static>) {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let cert = CertificateParams::new(names)
            .unwrap()
            .signed_by(&key, &self.issuer)
            .unwrap();
        (
            cert.der().clone(),
            PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        )
    }
}

/// Terminates TLS with a certificate of `ca` for `names`, and forwards the bytes to
/// `127.0.0.1:upstream`.
pub struct TlsProxy {
    pub port: u16,
    _runtime: tokio::runtime::Runtime,
}

impl TlsProxy {
    pub fn start(upstream: u16, ca: &TestCa, names: &[&str]) -> Self {
        let (cert, key) = ca.leaf(names);
        let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
        let config = ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap();
        let acceptor = TlsAcceptor::from(Arc::new(config));
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
        let port = listener.local_addr().unwrap().port();
        runtime.spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let Ok(mut tls) = acceptor.accept(client).await else {
                        return;
                    };
                    let Ok(mut node) = TcpStream::connect(("127.0.0.1", upstream)).await else {
                        return;
                    };
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut node).await;
                });
            }
        });
        Self {
            port,
            _runtime: runtime,
        }
    }

    /// The proxy's URL by host name, as a provider's is.
    pub fn url(&self) -> String {
        format!("https://localhost:{}/", self.port)
    }
}

/// The network `demo` of `workspace` trusts the PEM file `file` (relative to the workspace).
pub fn trust_in_profile(workspace: &std::path::Path, file: &str) {
    let path = workspace.join("config/networks.toml");
    let text = std::fs::read_to_string(&path).unwrap().replace(
        "[networks.demo]\n",
        &format!("[networks.demo]\nca_file = \"{file}\"\n"),
    );
    std::fs::write(path, text).unwrap();
}
