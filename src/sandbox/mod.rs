//! A local sandbox chain for tests and drills: anvil from the npm registry, with the project's
//! mock platform contracts deployed and seeded and owned by the real Safe v1.4.1, or a fork of
//! a network's node with its own platform and Safe (the Safe handed to the operators there).

pub mod chaos;
pub mod deploy;
pub mod error;
pub mod fork;
pub mod fork_relay;
pub mod fork_safe;
pub mod fork_up;
pub mod inherited;
pub mod node;
pub mod real_safe;
pub mod safe_exec;
pub mod seed;
pub mod state;
pub mod up;
pub use error::SandboxError;
