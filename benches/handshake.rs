//! Process start to handshake line, with AutoMTLS (PLUGIN_CLIENT_CERT set), as Terraform
//! starts the provider. Run with `scripts/bench-handshake.sh` or
//! `cargo bench --bench handshake` (BENCH_RUNS=N to change the number of runs).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn client_cert_pem() -> String {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).expect("key");
    let mut params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).expect("params");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.self_signed(&key).expect("cert").pem()
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let bin = env!("CARGO_BIN_EXE_terraform-provider-har");
    let pem = client_cert_pem();
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
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
            .env("PLUGIN_CLIENT_CERT", &pem)
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
        let elapsed = start.elapsed();
        assert!(line.starts_with("1|6|tcp|"), "unexpected line {line:?}");
        let _ = child.kill();
        let _ = child.wait();
        // The first runs warm the page cache.
        if i >= 5 {
            times.push(elapsed);
        }
    }
    times.sort();
    let pct = |p: f64| times[((times.len() - 1) as f64 * p).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "handshake (AutoMTLS), {runs} runs: median {:.2} ms, p10 {:.2} ms, p90 {:.2} ms, min {:.2} ms",
        ms(pct(0.5)),
        ms(pct(0.1)),
        ms(pct(0.9)),
        ms(times[0])
    );
}
