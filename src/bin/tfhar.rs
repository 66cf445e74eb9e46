//! tfhar: command-line tools for users of terraform-provider-har.
//!
//! `tfhar migrate-from-harness STATE_JSON [--removed FILE] [--account ACCOUNT]` writes `import`
//! blocks for this provider on stdout, the `removed` blocks to FILE, and on stderr everything it
//! could not carry over. Exit codes: 0 everything carried over, 1 written but something is not
//! carried over, 2 bad input or usage (nothing written).

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use terraform_provider_har::migrate::{self, Options, exit};

#[derive(Parser, Debug)]
#[command(
    name = "tfhar",
    version,
    about = "Command-line tools for terraform-provider-har",
    // Usage errors share the bad-input exit code.
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Import blocks that move harness_platform_har_registry and
    /// harness_platform_har_lifecycle_rule objects to this provider.
    #[command(
        long_about = "Reads the JSON of `terraform show -json` of a workspace that uses \
        the official Harness provider and writes on stdout one `import` block per \
        harness_platform_har_registry instance: to har_upstream_proxy for config.type = \
        UPSTREAM, to har_registry otherwise, and one per harness_platform_har_lifecycle_rule \
        instance, to har_lifecycle_rule; each named after the old address. Then run \
        `terraform plan -generate-config-out=generated.tf` with them.\n\n\
        Everything that cannot be carried over is listed on stderr with its address.\n\n\
        Exit codes: 0 everything carried over; 1 blocks written, but something is not carried \
        over (see stderr); 2 bad input or usage, nothing written."
    )]
    MigrateFromHarness {
        /// The JSON of `terraform show -json` (a state, not a plan); `-` reads stdin.
        state_json: PathBuf,
        /// Also write `removed { from = ... lifecycle { destroy = false } }` blocks for the old
        /// addresses to this file, for the workspace that has the official provider.
        #[arg(long, value_name = "FILE")]
        removed: Option<PathBuf>,
        /// The Harness account, needed when the state has only org_id/project_id (no
        /// parent_ref/space_ref, no account_id); when given, an object in another account is
        /// refused.
        #[arg(long, env = "HARNESS_ACCOUNT_ID")]
        account: Option<String>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(exit::BAD_INPUT)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::MigrateFromHarness {
            state_json,
            removed,
            account,
        } => migrate_from_harness(&state_json, removed.as_deref(), account),
    }
}

fn migrate_from_harness(
    input: &std::path::Path,
    removed: Option<&std::path::Path>,
    account: Option<String>,
) -> ExitCode {
    let text = if input.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map(|_| s)
    } else {
        std::fs::read_to_string(input)
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            eprintln!("tfhar: error: cannot read {}: {e}", input.display());
            return ExitCode::from(exit::BAD_INPUT);
        }
    };
    let options = Options {
        account: account.filter(|a| !a.is_empty()),
    };
    let m = match migrate::migrate(&text, &options) {
        Ok(m) => m,
        Err(e) => {
            for line in e.to_string().lines() {
                eprintln!("tfhar: error: {line}");
            }
            eprintln!("tfhar: nothing written");
            return ExitCode::from(exit::BAD_INPUT);
        }
    };
    // The removed blocks first: if they cannot be written, stdout stays empty too.
    if let Some(path) = removed
        && let Err(e) = std::fs::write(path, m.removed_hcl())
    {
        eprintln!("tfhar: error: cannot write {}: {e}", path.display());
        return ExitCode::from(exit::BAD_INPUT);
    }
    print!("{}", m.imports_hcl());
    for f in &m.findings {
        let tag = if f.lost { "not carried over" } else { "note" };
        eprintln!("tfhar: {tag}: {}: {}", f.address, f.message);
    }
    let lost = m.findings.iter().filter(|f| f.lost).count();
    eprintln!(
        "tfhar: {} import block(s){}; {}",
        m.imports.len(),
        removed
            .map(|p| format!(", {} removed block(s) in {}", m.removed.len(), p.display()))
            .unwrap_or_default(),
        if m.covered() {
            "everything carried over".to_string()
        } else {
            format!("{lost} thing(s) not carried over (listed above)")
        }
    );
    if m.covered() {
        ExitCode::from(exit::COVERED)
    } else {
        ExitCode::from(exit::PARTIAL)
    }
}
