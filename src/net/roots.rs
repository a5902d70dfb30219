//! The certificate authorities an HTTPS connection trusts: the machine's own (through
//! rustls-platform-verifier) and, for a private node, extra ones from PEM files: a network's
//! `ca_file` and the file `OWNER_CONSOLE_CA_FILE` names.

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, Once, PoisonError};

/// The environment variable naming a PEM file of certificate authorities trusted for every
/// HTTPS connection, besides the machine's.
pub const CA_FILE_ENV: &str = "OWNER_CONSOLE_CA_FILE";

/// A CA file larger than this is refused before it is read (a bundle of every public root is
/// about 220 KiB).
pub const MAX_CA_FILE_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RootsError {
    #[error("{file}: cannot read the CA file: {reason}")]
    Unreadable { file: String, reason: String },
    #[error("{file}: {bytes} bytes; a CA file holds at most {MAX_CA_FILE_BYTES} bytes of PEM")]
    TooLarge { file: String, bytes: u64 },
    #[error(
        "{file}: no certificate in it; a CA file holds PEM blocks `-----BEGIN CERTIFICATE-----`"
    )]
    Empty { file: String },
    #[error("{file}: not a PEM certificate bundle: {reason}")]
    Invalid { file: String, reason: String },
    #[error("cannot set up HTTPS: {0}")]
    Client(String),
}

/// Certificate authorities trusted besides the machine's.
#[derive(Clone, Default)]
pub struct ExtraRoots {
    certificates: Vec<CertificateDer<'static>>,
}

impl std::fmt::Debug for ExtraRoots {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ExtraRoots({} certificates)", self.certificates.len())
    }
}

impl ExtraRoots {
    /// The file `OWNER_CONSOLE_CA_FILE` names, when it is set.
    pub fn from_env() -> Result<Self, RootsError> {
        let roots = Self::default();
        match std::env::var_os(CA_FILE_ENV).filter(|v| !v.is_empty()) {
            Some(path) => roots.with_file(std::path::Path::new(&path)),
            None => Ok(roots),
        }
    }

    /// These roots and those of the PEM file at `path`.
    pub fn with_file(self, path: &std::path::Path) -> Result<Self, RootsError> {
        let file = path.display().to_string();
        let unreadable = |error: std::io::Error| RootsError::Unreadable {
            file: file.clone(),
            reason: error.to_string(),
        };
        let bytes = std::fs::metadata(path).map_err(unreadable)?.len();
        if bytes > MAX_CA_FILE_BYTES {
            return Err(RootsError::TooLarge { file, bytes });
        }
        let pem = std::fs::read(path).map_err(unreadable)?;
        self.with_pem(&file, &pem)
    }

    /// These roots and those of `pem`, a PEM bundle read from `file`.
    pub fn with_pem(mut self, file: &str, pem: &[u8]) -> Result<Self, RootsError> {
        if pem.len() as u64 > MAX_CA_FILE_BYTES {
            return Err(RootsError::TooLarge {
                file: file.to_owned(),
                bytes: pem.len() as u64,
            });
        }
        let certificates = CertificateDer::pem_slice_iter(pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|error| RootsError::Invalid {
                file: file.to_owned(),
                reason: error.to_string(),
            })?;
        if certificates.is_empty() {
            return Err(RootsError::Empty {
                file: file.to_owned(),
            });
        }
        self.certificates.extend(certificates);
        Ok(self)
    }

    /// A client with these roots (no timeout: a loopback node's, a test's).
    pub fn client(&self) -> Result<reqwest::Client, RootsError> {
        self.client_builder()?
            .build()
            .map_err(|error| RootsError::Client(error.to_string()))
    }

    /// An HTTP client builder that speaks HTTPS, trusting the machine's authorities and these.
    pub fn client_builder(&self) -> Result<reqwest::ClientBuilder, RootsError> {
        install_crypto();
        let tls = (*self.tls_config()?).clone();
        #[allow(clippy::disallowed_methods)] // the one place a client is made
        Ok(reqwest::Client::builder().tls_backend_preconfigured(tls))
    }

    /// The TLS set-up trusting the machine's authorities and these, made once per process for
    /// each set of extra roots: making it reads every certificate the machine trusts (hundreds
    /// of PEM blocks), which a live view refreshing every second would otherwise repeat.
    fn tls_config(&self) -> Result<Arc<rustls::ClientConfig>, RootsError> {
        static MADE: Mutex<BTreeMap<[u8; 32], Arc<rustls::ClientConfig>>> =
            Mutex::new(BTreeMap::new());
        let mut key = Sha256::new();
        for certificate in &self.certificates {
            key.update((certificate.len() as u64).to_be_bytes());
            key.update(certificate);
        }
        let key: [u8; 32] = key.finalize().into();
        let mut made = MADE.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(config) = made.get(&key) {
            return Ok(config.clone());
        }
        let failed = |error: rustls::Error| RootsError::Client(error.to_string());
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = rustls_platform_verifier::Verifier::new_with_extra_roots(
            self.certificates.iter().cloned(),
            provider.clone(),
        )
        .map_err(failed)?;
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(failed)?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        let config = Arc::new(config);
        made.insert(key, config.clone());
        Ok(config)
    }
}

/// rustls's cryptography (ring), chosen once for the process: before any HTTP client is made.
pub fn install_crypto() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        // Another part of the process may have chosen first; either is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}
