//! Domain and reports of delar: periods, money, accounts, the report package,
//! computations and checks. Pure: no IO, no database, no web.
#![deny(missing_docs)]

pub mod report;
