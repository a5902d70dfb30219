//! The certificate authorities an HTTPS connection trusts: the machine's own (through
//! rustls-platform-verifier) and, for a private node, extra ones from PEM files: a network's
//! `ca_file` and the file `OWNER_CONSOLE_CA_FILE` names.

use std::sync::Once;

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
    certificates: Vec<reqwest::Certificate>,
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
        let certificates =
            reqwest::Certificate::from_pem_bundle(pem).map_err(|error| RootsError::Invalid {
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
        self.client_builder()
            .build()
            .map_err(|error| RootsError::Client(error.to_string()))
    }

    /// An HTTP client builder that speaks HTTPS, trusting the machine's authorities and these.
    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        install_crypto();
        #[allow(clippy::disallowed_methods)] // the one place a client is made
        reqwest::Client::builder().tls_certs_merge(self.certificates.iter().cloned())
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
