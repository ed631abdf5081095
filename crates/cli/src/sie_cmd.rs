//! `delar sie …`: check, balances and convert (owned by the SIE work).

use clap::Args;
use std::process::ExitCode;

/// Arguments of `delar sie`.
#[derive(Args)]
pub struct SieArgs {}

/// Runs `delar sie`.
pub fn run(_args: SieArgs) -> anyhow::Result<ExitCode> {
    anyhow::bail!("not yet available")
}
