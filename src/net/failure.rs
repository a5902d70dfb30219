//! Why a connection to a server failed, read from the error's causes: refused, timed out, no
//! such host, or which part of TLS (the certificate's authority, its name, its dates, a server
//! that does not speak TLS).

use rustls::CertificateError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectFailure {
    Refused,
    TimedOut,
    NoSuchHost,
    Tls(TlsProblem),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TlsProblem {
    #[error(
        "TLS: the server's certificate is signed by an unknown certificate authority; for a private node, give its CA as a PEM file (the network's `ca_file`, or {})",
        super::CA_FILE_ENV
    )]
    UnknownAuthority,
    #[error(
        "TLS: the server's certificate is not valid for this host name (name mismatch); is the URL's host the one the certificate names?"
    )]
    NameMismatch,
    #[error(
        "TLS: the server's certificate has expired or is not valid yet (is this machine's clock right?)"
    )]
    Expired,
    #[error(
        "TLS handshake failed: the server did not answer in TLS; is its URL `http://` rather than `https://`?"
    )]
    NotTls,
    #[error("TLS handshake failed: {0}")]
    Handshake(String),
}

impl ConnectFailure {
    /// What stopped `error` from connecting, when it is a connection failure.
    pub fn of(error: &(dyn std::error::Error + 'static)) -> Option<Self> {
        let mut refused = false;
        let mut timed_out = false;
        let mut no_host = false;
        let mut cause = Some(error);
        while let Some(current) = cause {
            if let Some(tls) = current.downcast_ref::<rustls::Error>() {
                return Some(Self::Tls(TlsProblem::from(tls)));
            }
            let io = current.downcast_ref::<std::io::Error>();
            match io.map(std::io::Error::kind) {
                Some(std::io::ErrorKind::ConnectionRefused) => refused = true,
                Some(std::io::ErrorKind::TimedOut) => timed_out = true,
                _ => {}
            }
            let text = current.to_string();
            no_host |= text.contains("dns error") || text.contains("lookup address");
            // An I/O error's `source` skips the error it wraps: that one is the next cause.
            cause = match io.and_then(std::io::Error::get_ref) {
                Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
                None => current.source(),
            };
        }
        if timed_out {
            Some(Self::TimedOut)
        } else if no_host {
            Some(Self::NoSuchHost)
        } else if refused {
            Some(Self::Refused)
        } else {
            None
        }
    }
}

impl From<&rustls::Error> for TlsProblem {
    fn from(error: &rustls::Error) -> Self {
        match error {
            rustls::Error::InvalidCertificate(certificate) => match certificate {
                CertificateError::UnknownIssuer => Self::UnknownAuthority,
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => Self::NameMismatch,
                CertificateError::Expired
                | CertificateError::ExpiredContext { .. }
                | CertificateError::NotValidYet
                | CertificateError::NotValidYetContext { .. } => Self::Expired,
                _ => Self::Handshake(error.to_string()),
            },
            rustls::Error::InvalidMessage(_) | rustls::Error::InappropriateMessage { .. } => {
                Self::NotTls
            }
            other => Self::Handshake(other.to_string()),
        }
    }
}
