//! har-local's identifier search (`search_term` on the list route) over HTTP: the trigram
//! index that serves terms of three characters or more answers exactly what a scan of every
//! identifier answers, follows deletes and re-creates, and is built when har-local opens a
//! database written before the index existed.

use std::path::Path;

use crate::support;

use support::har_local::bodies::upstream;
use support::har_local::{Client, HarLocal, Options};

const LIST: &str = "/gateway/har/api/v1/spaces/acct/+/registries";

/// Search terms: 1 and 2 characters (scanned), 3 and more (indexed), mixed case, characters
/// that mean something to FTS5, SQL `LIKE` or a URL, Unicode, and terms that match nothing.
const TERMS: &[&str] = &[
    "r",
    "1",
    "re",
    "-1",
    "reg",
    "REG",
    "Reg-1",
    "g-19",
    "reg-199",
    "reg-1999",
    "docker",
    "proxy.docker_4",
    "y.d",
    "o_4",
    "a.b.c-long-name-0",
    "\"",
    "\"re",
    "reg\"",
    "*",
    "re*",
    "reg*",
    "%",
    "%25",
    "reg%",
    "_",
    "r_g",
    "reg 1",
    " reg",
    "ré",
    "régistre",
    "ÄÖÜ",
    "reg-1 OR reg-2",
    "NEAR(reg",
    "^reg",
    "identifier:reg",
    "zzz",
    "no-such-registry",
];

fn encode(term: &str) -> String {
    term.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The identifiers the account-wide search for `term` returns (every scope, one page).
fn search(c: &mut Client, term: &str) -> Vec<String> {
    let r = c.get(&format!(
        "{LIST}?search_term={}&scope=descendants&size=1000&sort_field=identifier",
        encode(term)
    ));
    assert_eq!(r.status, 200, "search_term {term:?}: {}", r.text());
    let d = r.data();
    let ids: Vec<String> = d["registries"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|m| m["identifier"].as_str().expect("identifier").to_string())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(d["itemCount"].as_u64(), Some(ids.len() as u64), "{term:?}");
    ids
}

/// What the API promises: the identifiers that contain `term`, ASCII case-insensitively,
/// sorted as the request asks (by identifier).
fn expected(all: &[String], term: &str) -> Vec<String> {
    let term = term.to_ascii_lowercase();
    let mut ids: Vec<String> = all
        .iter()
        .filter(|id| id.to_ascii_lowercase().contains(&term))
        .cloned()
        .collect();
    ids.sort();
    ids
}

fn create(c: &mut Client, scope: &str, id: &str) {
    let r = c.post("/api/v1/registry", &upstream(scope, id, "DOCKER"));
    assert_eq!(r.status, 201, "{id}: {}", r.text());
}

/// 200 `reg-N` in a project, 50 `proxy.docker_N` in an org, a few long names at the account.
fn populate(c: &mut Client) -> Vec<String> {
    let mut all = Vec::new();
    for i in 0..200 {
        all.push(("acct/org/proj", format!("reg-{i}")));
    }
    for i in 0..50 {
        all.push(("acct/org", format!("proxy.docker_{i}")));
    }
    for i in 0..3 {
        all.push(("acct", format!("a.b.c-long-name-{i}")));
    }
    for (scope, id) in &all {
        create(c, scope, id);
    }
    all.into_iter().map(|(_, id)| id).collect()
}

fn assert_every_term_answers_as_the_scan(c: &mut Client, all: &[String]) {
    let mut found_some = 0;
    for term in TERMS {
        let want = expected(all, term);
        found_some += usize::from(!want.is_empty());
        assert_eq!(search(c, term), want, "search_term {term:?}");
    }
    // Identifiers are plain (`[a-z0-9._-]`), so the odd terms find nothing; the plain ones must.
    assert!(found_some >= 12, "only {found_some} terms found rows");
}

#[test]
fn search_terms_find_exactly_the_identifiers_that_contain_them() {
    let s = HarLocal::start();
    let mut c = s.client();
    let all = populate(&mut c);
    assert_every_term_answers_as_the_scan(&mut c, &all);
}

#[test]
fn a_deleted_registry_is_no_longer_found_and_a_recreated_one_is() {
    let s = HarLocal::start();
    let mut c = s.client();
    let all = populate(&mut c);
    let r = c.delete("/api/v1/registry/acct/org/proj/reg-123/+");
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(search(&mut c, "reg-123").is_empty());
    let rest: Vec<String> = all.iter().filter(|i| *i != "reg-123").cloned().collect();
    assert_eq!(search(&mut c, "g-12"), expected(&rest, "g-12"));

    create(&mut c, "acct/org", "reg-123");
    assert_eq!(search(&mut c, "REG-123"), ["reg-123"]);
    assert_every_term_answers_as_the_scan(&mut c, &all);
}

/// Takes the index out of a database har-local wrote, leaving it as schema 4 (before the
/// index) left it: the FTS table, its triggers on `registries`, and the version.
fn downgrade_to_schema_4(db: &Path) {
    let conn = rusqlite::Connection::open(db).expect("open db");
    let triggers: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'registries'",
        )
        .expect("prepare")
        .query_map([], |r| r.get(0))
        .expect("triggers")
        .collect::<Result<_, _>>()
        .expect("trigger names");
    assert_eq!(triggers.len(), 3, "insert, delete and update: {triggers:?}");
    for t in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\""))
            .expect("drop trigger");
    }
    conn.execute_batch("DROP TABLE registry_identifiers; PRAGMA user_version = 4;")
        .expect("drop the index");
    let left: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name LIKE 'registry_identifiers%'",
            [],
            |r| r.get(0),
        )
        .expect("schema");
    assert_eq!(left, 0, "the FTS table and its shadow tables are gone");
}

#[test]
fn opening_a_database_from_before_the_index_builds_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("old.db");
    let options = Options {
        db: Some(db.clone()),
        ..Default::default()
    };
    let mut s = HarLocal::start_with(options.clone());
    let mut all = populate(&mut s.client());
    assert!(s.terminate(), "clean exit: {}", s.stderr());
    downgrade_to_schema_4(&db);

    let s = HarLocal::start_with(options);
    let mut c = s.client();
    assert_every_term_answers_as_the_scan(&mut c, &all);
    create(&mut c, "acct", "made-after-the-upgrade");
    all.push("made-after-the-upgrade".into());
    assert_eq!(search(&mut c, "AFTER-the"), ["made-after-the-upgrade"]);
    assert_every_term_answers_as_the_scan(&mut c, &all);
    let version: i64 = rusqlite::Connection::open(&db)
        .expect("open db")
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("version");
    assert_eq!(version, 5);
}
