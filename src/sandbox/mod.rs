//! A local sandbox chain: anvil from the npm registry, with the project's mock platform
//! contracts deployed and seeded and owned by the real Safe v1.4.1, for tests and drills.

pub mod chaos;
pub mod deploy;
pub mod error;
pub mod inherited;
pub mod node;
pub mod real_safe;
pub mod safe_exec;
pub mod seed;
pub mod state;
pub mod up;
pub use error::SandboxError;
