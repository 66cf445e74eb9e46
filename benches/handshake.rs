//! Process start to handshake line, with AutoMTLS (PLUGIN_CLIENT_CERT set to a P-521 CA
//! certificate like Terraform's), as Terraform starts the provider; then connect to first
//! RPC: TCP connect, TLS handshake presenting that certificate, and GetProviderSchema, the
//! first call Terraform makes. Run with `scripts/bench-handshake.sh` or
//! `cargo bench --bench handshake` (BENCH_RUNS=N to change the number of runs).

#[path = "../tests/support/plugin_tls.rs"]
mod plugin_tls;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use plugin_tls::{ClientCert, Tls};
use terraform_provider_har::protocol::proto::tfplugin6::get_provider_schema;
use terraform_provider_har::protocol::proto::tfplugin6::provider_client::ProviderClient;

fn report(what: &str, runs: usize, mut times: Vec<Duration>) {
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{what}, {runs} runs: median {:.2} ms, p10 {:.2} ms, p90 {:.2} ms, min {:.2} ms",
        ms(pct(0.5)),
        ms(pct(0.1)),
        ms(pct(0.9)),
        ms(times[0])
    );
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let bin = env!("CARGO_BIN_EXE_terraform-provider-har");
    let terraform = ClientCert::terraform_like();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let mut handshake: Vec<Duration> = Vec::with_capacity(runs);
    let mut first_rpc: Vec<Duration> = Vec::with_capacity(runs);
    for i in 0..runs + 5 {
        let start = Instant::now();
        let mut child = Command::new(bin)
            .env(
                "TF_PLUGIN_MAGIC_COOKIE",
                "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
            )
            .env("PLUGIN_PROTOCOL_VERSIONS", "5,6")
            .env("PLUGIN_MIN_PORT", "10000")
            .env("PLUGIN_MAX_PORT", "25000")
            .env("PLUGIN_CLIENT_CERT", &terraform.pem)
            .env_remove("TF_LOG")
            .env_remove("TF_LOG_PROVIDER")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn provider");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("handshake line");
        let to_line = start.elapsed();
        let fields: Vec<&str> = line.trim_end().split('|').collect();
        assert!(line.starts_with("1|6|tcp|"), "unexpected line {line:?}");
        let addr = fields[3].parse().expect("address");
        let der = base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(fields[5])
            .expect("server certificate");
        let connect = Instant::now();
        rt.block_on(async {
            let channel = plugin_tls::connect(addr, &der, Some(&terraform), Tls::V13)
                .await
                .expect("connect");
            ProviderClient::new(channel)
                .get_provider_schema(get_provider_schema::Request {})
                .await
                .expect("GetProviderSchema");
        });
        let to_rpc = connect.elapsed();
        let _ = child.kill();
        let _ = child.wait();
        // The first runs warm the page cache.
        if i >= 5 {
            handshake.push(to_line);
            first_rpc.push(to_rpc);
        }
    }
    report(
        "start to handshake line (AutoMTLS, P-521 CA client cert)",
        runs,
        handshake,
    );
    report(
        "connect to first RPC (TLS 1.3 with client cert, GetProviderSchema)",
        runs,
        first_rpc,
    );
}
