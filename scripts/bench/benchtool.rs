//! benchtool: the sampling of scripts/bench.sh that a shell loop cannot do cheaply (a `sleep`
//! and a `read` per sample would fork and cost more than the thing measured). Standard
//! library only, so bench.sh compiles it with a bare `rustc -O` (no crate, no Cargo.toml
//! change, nothing added to the provider's dependency tree).
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
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("watch") => watch(&args[1..]),
        _ => Err("usage: benchtool watch [options] (see the source)".to_string()),
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
