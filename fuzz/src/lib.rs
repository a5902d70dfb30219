//! The parsers' contracts, shared by the fuzz targets (and, through `#[path]`, the tests).

pub mod contracts;
