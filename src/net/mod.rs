//! HTTPS for everything the console fetches (a network's node, an `http-check` URL): rustls
//! with the machine's trusted certificate authorities, plus a private CA given as a PEM file,
//! and what a failed connection means in words an operator can act on.

pub mod failure;
pub mod roots;

pub use failure::{ConnectFailure, TlsProblem};
pub use roots::{CA_FILE_ENV, ExtraRoots, RootsError, install_crypto};
