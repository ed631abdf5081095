//! Placeholder; see ARCHITECTURE.md.
#![deny(missing_docs)]
