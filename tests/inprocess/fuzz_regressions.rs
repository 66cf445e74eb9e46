//! Every input the fuzz targets (fuzz/, run with scripts/fuzz.sh) ever crashed on, replayed
//! through the same checks: fuzz/regressions/<target>/<file>. A fixed bug stays fixed. The
//! directories also hold a few ordinary seeds so each check runs here even before any crash.

#[path = "../../fuzz/checks.rs"]
mod checks;

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/regressions")
        .join(target);
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("entry").path();
        let data = std::fs::read(&path).expect("read input");
        let outcome = std::panic::catch_unwind(|| check(&data));
        assert!(outcome.is_ok(), "{target}: {} fails again", path.display());
        n += 1;
    }
    assert!(n > 0, "no inputs in {}", dir.display());
}

#[test]
fn cty_msgpack_inputs() {
    replay("cty_msgpack", checks::cty_msgpack);
}

#[test]
fn cty_json_inputs() {
    replay("cty_json", checks::cty_json);
}

#[test]
fn api_response_inputs() {
    replay("api_response", checks::api_response);
}

#[test]
fn har_local_request_inputs() {
    replay("har_local_request", checks::har_local_request);
}
