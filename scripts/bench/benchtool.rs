//! benchtool: the two measurements of scripts/bench.sh that a shell cannot make cheaply or
//! precisely. Standard library only, so bench.sh compiles it with a bare `rustc -O` (no
//! crate, no Cargo.toml change, nothing added to the provider's dependency tree).
//!
//!   benchtool handshake --bin PATH --cert PEM [--runs N] [--warmup N]
//!       Spawns the provider the way go-plugin does (cookie, protocol versions, port range,
//!       PLUGIN_CLIENT_CERT so AutoMTLS is on) and times process start to the first stdout
//!       line, then kills it. Checks the line is a protocol-6 gRPC handshake with a server
//!       certificate. Prints `runs=.. median_ms=.. p90_ms=.. min_ms=.. max_ms=..`.
//!
//!   benchtool watch --exe-prefix DIR --stop FILE --out FILE [--interval-ms N]
//!       Until FILE `--stop` exists, polls /proc for processes whose executable lies under
//!       DIR (the provider copy of one benchmark run, so other terraform-provider-har
//!       processes on a shared machine are not counted) and records, per process, its last
//!       VmHWM (peak resident set; the last reading before exit is the process's peak) and
//!       CPU ticks (utime+stime). Writes `pid hwm_kb cpu_ticks` lines to `--out`.
//!       Runs beside the timed command, not as its parent, so its own CPU is not counted in
//!       the command's time.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("handshake") => handshake(&args[1..]),
        Some("watch") => watch(&args[1..]),
        _ => Err("usage: benchtool handshake|watch [options] (see the source)".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("benchtool: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `--name value` pairs.
fn options(args: &[String]) -> Result<HashMap<String, String>, String> {
    let mut map = HashMap::new();
    let mut it = args.iter();
    while let Some(name) = it.next() {
        let key = name
            .strip_prefix("--")
            .ok_or_else(|| format!("unexpected argument {name:?}"))?;
        let value = it.next().ok_or_else(|| format!("{name} needs a value"))?;
        map.insert(key.to_string(), value.clone());
    }
    Ok(map)
}

fn required<'a>(opts: &'a HashMap<String, String>, name: &str) -> Result<&'a str, String> {
    opts.get(name)
        .map(String::as_str)
        .ok_or_else(|| format!("--{name} is required"))
}

fn number(opts: &HashMap<String, String>, name: &str, default: u64) -> Result<u64, String> {
    match opts.get(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| format!("--{name}: not a number: {v:?}")),
    }
}

fn handshake(args: &[String]) -> Result<(), String> {
    let opts = options(args)?;
    let bin = required(&opts, "bin")?;
    let cert_path = required(&opts, "cert")?;
    let runs = number(&opts, "runs", 200)?.max(1);
    let warmup = number(&opts, "warmup", 5)?;
    let cert = std::fs::read_to_string(cert_path).map_err(|e| format!("{cert_path}: {e}"))?;

    let mut samples = Vec::with_capacity(runs as usize);
    for i in 0..warmup + runs {
        let elapsed = one_handshake(bin, &cert)?;
        if i >= warmup {
            samples.push(elapsed.as_secs_f64() * 1000.0);
        }
    }
    samples.sort_by(f64::total_cmp);
    println!(
        "runs={} median_ms={:.3} p90_ms={:.3} min_ms={:.3} max_ms={:.3}",
        samples.len(),
        quantile(&samples, 0.5),
        quantile(&samples, 0.9),
        samples[0],
        samples[samples.len() - 1]
    );
    Ok(())
}

/// Nearest-rank quantile of sorted samples.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn one_handshake(bin: &str, cert: &str) -> Result<Duration, String> {
    let mut cmd = Command::new(bin);
    // The environment go-plugin gives a plugin (implementing-in-rust.md §2.1), and nothing
    // that would switch the provider to another mode.
    cmd.env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE)
        .env("PLUGIN_PROTOCOL_VERSIONS", "6")
        .env("PLUGIN_MIN_PORT", "10000")
        .env("PLUGIN_MAX_PORT", "25000")
        .env("PLUGIN_CLIENT_CERT", cert)
        .env_remove("TF_DISABLE_PLUGIN_TLS")
        .env_remove("TF_REATTACH_PROVIDERS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let start = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("cannot start {bin}: {e}"))?;
    let mut line = String::new();
    let read = match child.stdout.take() {
        Some(out) => BufReader::new(out).read_line(&mut line),
        None => Ok(0),
    };
    let elapsed = start.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    read.map_err(|e| format!("reading the handshake line: {e}"))?;
    check_line(line.trim_end())?;
    Ok(elapsed)
}

/// `1|6|tcp|ADDR|grpc|CERT`: core 1, app protocol 6, gRPC, and a certificate field long
/// enough for go-plugin to parse it (it ignores one of 50 chars or fewer), so AutoMTLS was on.
fn check_line(line: &str) -> Result<(), String> {
    let fields: Vec<&str> = line.split('|').collect();
    let ok = fields.len() == 6
        && fields[0] == "1"
        && fields[1] == "6"
        && (fields[2] == "tcp" || fields[2] == "unix")
        && fields[4] == "grpc"
        && fields[5].len() > 50;
    if ok {
        Ok(())
    } else {
        Err(format!(
            "not a protocol-6 AutoMTLS handshake line: {:?}",
            line.chars().take(120).collect::<String>()
        ))
    }
}

#[derive(Default, Clone, Copy)]
struct Sample {
    hwm_kb: u64,
    cpu_ticks: u64,
}

fn watch(args: &[String]) -> Result<(), String> {
    let opts = options(args)?;
    let prefix = PathBuf::from(required(&opts, "exe-prefix")?);
    let stop = PathBuf::from(required(&opts, "stop")?);
    let out = PathBuf::from(required(&opts, "out")?);
    let interval = Duration::from_millis(number(&opts, "interval-ms", 10)?.max(1));
    let deadline = Instant::now() + Duration::from_secs(number(&opts, "max-seconds", 3600)?);

    let mut seen: HashMap<u32, Watched> = HashMap::new();
    // This tool may itself live under the prefix.
    seen.insert(std::process::id(), Watched::Never);
    loop {
        let done = stop.exists() || Instant::now() > deadline;
        if let Ok(entries) = std::fs::read_dir("/proc") {
            for entry in entries.flatten() {
                let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok())
                else {
                    continue;
                };
                let slot = seen.entry(pid).or_insert(Watched::Unsure);
                if matches!(slot, Watched::Unsure) {
                    *slot = classify(pid, &prefix);
                }
                if let Watched::Ours(sample) = slot {
                    // A process that has exited keeps its last reading.
                    if let Some(now) = read_sample(pid) {
                        *sample = now;
                    }
                }
            }
        }
        if done {
            break;
        }
        std::thread::sleep(interval);
    }

    let mut file = std::fs::File::create(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    for (pid, watched) in &seen {
        if let Watched::Ours(s) = watched {
            writeln!(file, "{pid} {} {}", s.hwm_kb, s.cpu_ticks)
                .map_err(|e| format!("{}: {e}", out.display()))?;
        }
    }
    Ok(())
}

enum Watched {
    Ours(Sample),
    /// Not known yet, or a terraform process: a child terraform has forked but not yet
    /// exec'd still shows terraform's executable, so it is looked at again next time.
    Unsure,
    Never,
}

fn classify(pid: u32, prefix: &Path) -> Watched {
    match std::fs::read_link(format!("/proc/{pid}/exe")) {
        Ok(exe) if exe.starts_with(prefix) => Watched::Ours(Sample::default()),
        Ok(exe) if exe.file_name().is_some_and(|n| n == "terraform") => Watched::Unsure,
        _ => Watched::Never,
    }
}

fn read_sample(pid: u32) -> Option<Sample> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let hwm_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())?;
    // Fields after the parenthesised comm: state is field 3, utime 14, stime 15 (proc(5)).
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    Some(Sample {
        hwm_kb,
        cpu_ticks: utime + stime,
    })
}
