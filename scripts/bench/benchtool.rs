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
//!
//!   benchtool chart --data FILE --out FILE.svg --title T --x-label X --y-label Y
//!                   [--log-x 1] [--log-y 1]
//!       Draws a line chart as a standalone SVG (for docs/performance.md) from `series<TAB>x<TAB>y`
//!       lines: one line per series, in the order the series first appear. A series is named
//!       `who, what` (e.g. `provider, apply`, `floor, apply`): series of the same `what` share
//!       a colour, and those whose `who` starts with `floor` are drawn dashed, so each
//!       measurement sits beside its reference. No plotting library: the page must render on
//!       GitHub and the script must run with a bare `rustc`.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("watch") => watch(&args[1..]),
        Some("chart") => chart(&args[1..]),
        _ => Err("usage: benchtool watch|chart [options] (see the source)".to_string()),
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

/// One series of a chart: its name and points, in file order.
struct Series {
    name: String,
    points: Vec<(f64, f64)>,
}

/// A linear or log10 axis from `lo` to `hi`, mapped onto `from..to` pixels.
struct Axis {
    lo: f64,
    hi: f64,
    log: bool,
    from: f64,
    to: f64,
}

impl Axis {
    fn new(values: impl Iterator<Item = f64>, log: bool, from: f64, to: f64) -> Axis {
        let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for v in values.filter(|v| !log || *v > 0.0) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
        if !lo.is_finite() {
            (lo, hi) = (0.0, 1.0);
        }
        if log {
            lo = 10f64.powf(lo.log10().floor());
            hi = 10f64.powf(hi.log10().ceil().max(lo.log10() + 1.0));
        } else {
            lo = lo.min(0.0);
            hi = nice_ceiling(hi.max(lo + 1e-9));
        }
        Axis { lo, hi, log, from, to }
    }

    fn at(&self, v: f64) -> f64 {
        let f = if self.log {
            (v.log10() - self.lo.log10()) / (self.hi.log10() - self.lo.log10())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        self.from + f * (self.to - self.from)
    }

    /// Tick values: powers of ten (log) or five even steps (linear).
    fn ticks(&self) -> Vec<f64> {
        if self.log {
            let (a, b) = (self.lo.log10() as i32, self.hi.log10() as i32);
            (a..=b).map(|e| 10f64.powi(e)).collect()
        } else {
            (0..=5)
                .map(|i| self.lo + (self.hi - self.lo) * f64::from(i) / 5.0)
                .collect()
        }
    }
}

/// The smallest of 1, 2, 2.5, 5 × 10^k at or above `v`, so linear ticks fall on round numbers.
fn nice_ceiling(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * p)
}

fn label(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1_000_000.0 || v.abs() < 0.01) {
        format!("{v:.0e}")
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const COLOURS: [&str; 6] = [
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
];

fn chart(args: &[String]) -> Result<(), String> {
    let opts = options(args)?;
    let data = PathBuf::from(required(&opts, "data")?);
    let out = PathBuf::from(required(&opts, "out")?);
    let flag = |name: &str| opts.get(name).is_some_and(|v| v == "1");
    let text = std::fs::read_to_string(&data).map_err(|e| format!("{}: {e}", data.display()))?;
    let mut series: Vec<Series> = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let mut cols = line.split('\t');
        let (Some(name), Some(x), Some(y)) = (cols.next(), cols.next(), cols.next()) else {
            return Err(format!("{}:{}: want series<TAB>x<TAB>y", data.display(), i + 1));
        };
        let parse = |v: &str| {
            v.trim()
                .parse::<f64>()
                .map_err(|_| format!("{}:{}: not a number: {v:?}", data.display(), i + 1))
        };
        let point = (parse(x)?, parse(y)?);
        match series.iter_mut().find(|s| s.name == name) {
            Some(s) => s.points.push(point),
            None => series.push(Series {
                name: name.to_string(),
                points: vec![point],
            }),
        }
    }
    if series.is_empty() {
        return Err(format!("{}: no points", data.display()));
    }
    for s in &mut series {
        s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    let svg = render(
        &series,
        required(&opts, "title")?,
        required(&opts, "x-label")?,
        required(&opts, "y-label")?,
        flag("log-x"),
        flag("log-y"),
    );
    std::fs::write(&out, svg).map_err(|e| format!("{}: {e}", out.display()))
}

fn render(series: &[Series], title: &str, x_label: &str, y_label: &str, log_x: bool, log_y: bool) -> String {
    use std::fmt::Write as _;
    let (width, height) = (760.0, 420.0);
    let (left, right, top, bottom) = (70.0, 210.0, 40.0, 50.0);
    let all = || series.iter().flat_map(|s| s.points.iter());
    let x = Axis::new(all().map(|p| p.0), log_x, left, width - right);
    let y = Axis::new(all().map(|p| p.1), log_y, height - bottom, top);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(svg, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="13" font-weight="bold">{}</text>"#,
        width / 2.0,
        escape(title)
    );
    for t in x.ticks() {
        let px = x.at(t);
        let _ = writeln!(
            svg,
            r##"<line x1="{px:.1}" y1="{top}" x2="{px:.1}" y2="{:.1}" stroke="#ddd"/><text x="{px:.1}" y="{:.1}" text-anchor="middle">{}</text>"##,
            height - bottom,
            height - bottom + 16.0,
            label(t)
        );
    }
    for t in y.ticks() {
        let py = y.at(t);
        let _ = writeln!(
            svg,
            r##"<line x1="{left}" y1="{py:.1}" x2="{:.1}" y2="{py:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"##,
            width - right,
            left - 6.0,
            py + 4.0,
            label(t)
        );
    }
    let _ = writeln!(
        svg,
        r##"<rect x="{left}" y="{top}" width="{:.1}" height="{:.1}" fill="none" stroke="#444"/>"##,
        width - right - left,
        height - bottom - top
    );
    let _ = writeln!(
        svg,
        r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
        (left + width - right) / 2.0,
        height - 12.0,
        escape(x_label)
    );
    let _ = writeln!(
        svg,
        r#"<text transform="translate(16 {:.1}) rotate(-90)" text-anchor="middle">{}</text>"#,
        (top + height - bottom) / 2.0,
        escape(y_label)
    );
    let mut groups: Vec<&str> = Vec::new();
    for (i, s) in series.iter().enumerate() {
        let (who, what) = s.name.split_once(", ").unwrap_or((&s.name, &s.name));
        let group = match groups.iter().position(|g| *g == what) {
            Some(g) => g,
            None => {
                groups.push(what);
                groups.len() - 1
            }
        };
        let colour = COLOURS[group % COLOURS.len()];
        let dash = if who.starts_with("floor") {
            r#" stroke-dasharray="6 4""#
        } else {
            ""
        };
        let points: Vec<String> = s
            .points
            .iter()
            .filter(|(px, py)| (!log_x || *px > 0.0) && (!log_y || *py > 0.0))
            .map(|(px, py)| format!("{:.1},{:.1}", x.at(*px), y.at(*py)))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>"#,
            points.join(" ")
        );
        for p in &points {
            let (cx, cy) = p.split_once(',').unwrap_or(("0", "0"));
            let _ = writeln!(svg, r#"<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>"#);
        }
        let ly = top + 10.0 + 20.0 * i as f64;
        let lx = width - right + 12.0;
        let _ = writeln!(
            svg,
            r#"<line x1="{lx}" y1="{ly}" x2="{:.1}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/><text x="{:.1}" y="{:.1}">{}</text>"#,
            lx + 22.0,
            lx + 28.0,
            ly + 4.0,
            escape(&s.name)
        );
    }
    svg.push_str("</svg>\n");
    svg
}
