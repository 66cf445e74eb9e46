//! Logs on stderr only (stdout carries the handshake). Lines are hclog-style JSON
//! (`@level`, `@message`, `@module`, `@timestamp`), which go-plugin's client parses and
//! Terraform re-emits under TF_LOG / TF_LOG_PROVIDER at the right level.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{LevelFilter, Targets};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// The level from TF_LOG_PROVIDER, else TF_LOG (Terraform's names), else warnings only.
pub(crate) fn level_from_env(get: impl Fn(&str) -> Option<String>) -> LevelFilter {
    let raw = get("TF_LOG_PROVIDER")
        .filter(|v| !v.is_empty())
        .or_else(|| get("TF_LOG").filter(|v| !v.is_empty()));
    match raw.map(|v| v.to_ascii_uppercase()).as_deref() {
        Some("TRACE") | Some("JSON") => LevelFilter::TRACE,
        Some("DEBUG") => LevelFilter::DEBUG,
        Some("INFO") => LevelFilter::INFO,
        Some("WARN") => LevelFilter::WARN,
        Some("ERROR") => LevelFilter::ERROR,
        Some("OFF") => LevelFilter::OFF,
        _ => LevelFilter::WARN,
    }
}

/// Install the stderr logger. Safe to call more than once (later calls do nothing).
pub(crate) fn init() {
    let level = level_from_env(|k| std::env::var(k).ok());
    // Our own events at the chosen level; dependencies (h2, rustls, hyper) are far too
    // chatty below WARN to be useful in Terraform's log.
    let filter = Targets::new()
        .with_target("terraform_provider_har", level)
        .with_default(level.min(LevelFilter::WARN));
    let _ = tracing_subscriber::registry()
        .with(HclogLayer.with_filter(filter))
        .try_init();
}

struct HclogLayer;

#[derive(Default)]
struct Fields {
    message: String,
    extra: serde_json::Map<String, serde_json::Value>,
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, serde_json::Value::String(value.to_string()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, serde_json::Value::String(format!("{value:?}")));
    }
}

impl Fields {
    fn put(&mut self, field: &Field, value: serde_json::Value) {
        if field.name() == "message" {
            self.message = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
        } else {
            self.extra.insert(field.name().to_string(), value);
        }
    }
}

fn hclog_level(l: &Level) -> &'static str {
    match *l {
        Level::TRACE => "trace",
        Level::DEBUG => "debug",
        Level::INFO => "info",
        Level::WARN => "warn",
        Level::ERROR => "error",
    }
}

/// RFC 3339 UTC with microseconds, without pulling in a date crate.
fn timestamp() -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let secs = now.as_secs() as i64;
    let micros = now.subsec_micros();
    crate::rules::rfc3339_utc(secs, Some(micros))
}

impl<S: Subscriber> Layer<S> for HclogLayer {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let mut fields = Fields::default();
        event.record(&mut fields);
        let mut line = serde_json::Map::new();
        line.insert(
            "@level".into(),
            hclog_level(event.metadata().level()).into(),
        );
        line.insert("@message".into(), fields.message.into());
        line.insert(
            "@module".into(),
            format!("har.{}", event.metadata().target()).into(),
        );
        line.insert("@timestamp".into(), timestamp().into());
        for (k, v) in fields.extra {
            line.insert(k, v);
        }
        let mut out = serde_json::Value::Object(line).to_string();
        out.push('\n');
        let _ = std::io::stderr().lock().write_all(out.as_bytes());
    }
}
