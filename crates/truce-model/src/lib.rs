//! The vocabulary of truce: agreements, reports, incidents and findings.
//!
//! This crate does no IO and reads no clock. The agreement loader takes the file's
//! text and a [`agreement::Files`] provider for the files it references, and returns
//! the agreement together with every problem it found.

pub mod agreement;
pub mod diagnostic;
pub mod finding;
pub mod kind;
pub mod message;
pub mod names;
pub mod report;
pub mod spreadsheet;
pub mod time;
pub mod toml_reader;
