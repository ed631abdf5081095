//! Domain and reports of delar: periods, money, accounts, the report package,
//! computations and checks. Pure: no IO, no database, no web, no clock.
//!
//! The engine is an explicit, ordered pipeline:
//! 1. **read** ([`config`], [`sources`], [`package`]): `delar.toml` and the sources it
//!    names, from bytes supplied by a [`SourceFiles`] implementation;
//! 2. **normalise** ([`ledger`], [`package`]): ledger postings (account, month, objects,
//!    öre), budget, forecast, register and staff records;
//! 3. **check** ([`checks`]): the source checks;
//! 4. **compute** ([`compute`]): exact figures;
//! 5. **report** ([`tables`], [`texts`], [`build`]): displayed tables, filled texts,
//!    sections and memo as a [`report::Report`].
//!
//! Entry points: [`build_report`] (for `delar report`) and [`check_package`] (for
//! `delar check`); for a municipality folder with the committees of one municipality,
//! [`kommun::build_kommun`] and [`kommun::check_kommun`].
#![deny(missing_docs)]

pub mod build;
pub mod checks;
pub mod compute;
pub mod config;
pub mod error;
pub mod followup;
pub mod kommun;
pub mod ledger;
pub mod money;
pub mod package;
pub mod report;
pub mod sources;
pub mod tables;
pub mod texts;

pub use build::{build_report, check_package, checks_of_package, report_from_package, Options};
pub use error::{ClaimProblem, LoadError, SourceError};
pub use package::{load_package, Package, Progress, ProgressFn};
pub use sources::{MemoryFiles, SourceFiles};
