//! terraform-provider-har: started by Terraform as a go-plugin, or by hand with `--debug`.

use std::process::ExitCode;
use std::sync::Arc;

use terraform_provider_har::plugin;
use terraform_provider_har::provider::{HarProvider, PROVIDER_ADDRESS};

const HELP: &str = "\
terraform-provider-har: Terraform provider for Harness Artifact Registry (tfhar/har)

Terraform starts this binary itself. Options for running it by hand:
  --debug     serve without the plugin handshake and print a TF_REATTACH_PROVIDERS line
              to export before running terraform (for debuggers and tests)
  --version   print the version
  --help      print this help";

fn main() -> ExitCode {
    // Hand-rolled flag parsing: three flags, and process start to handshake is measured
    // in milliseconds.
    let mut debug = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--debug" | "-debug" => debug = true,
            "--version" | "-V" => {
                println!("terraform-provider-har {}", env!("CARGO_PKG_VERSION"));
                return ExitCode::SUCCESS;
            }
            "--help" | "-h" => {
                println!("{HELP}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument {other:?}\n\n{HELP}");
                return ExitCode::from(2);
            }
        }
    }
    let provider = Arc::new(HarProvider::new());
    if debug {
        plugin::run_debug(provider, PROVIDER_ADDRESS)
    } else {
        plugin::run_plugin(provider)
    }
}
