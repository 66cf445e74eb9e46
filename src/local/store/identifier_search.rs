//! The identifier search index: an FTS5 table with the `trigram` tokenizer over
//! `registries.identifier`, so a substring search (`search_term`, account-wide, as the
//! provider's plan-time name checks send it) reads only the rows that contain the term's
//! trigrams instead of testing every identifier of the account.
//!
//! * External content: the table stores only the index; `registries` holds the text, and the
//!   triggers below keep the two in step on every insert, delete and identifier change, however
//!   the row is written. The migration fills the index from the rows already there.
//! * Trigrams need three characters: shorter terms, and terms FTS5 cannot take as one quoted
//!   phrase (a NUL ends its query text), keep the scan ([`match_phrase`] says which).
//! * The index only picks candidates. The tokenizer folds case for all of Unicode, the API
//!   only for ASCII, so it can return more rows than asked for, never fewer (an ASCII-folded
//!   match is a Unicode-folded match, one character for one); the search statement keeps the
//!   `instr(lower(..))` test on the candidates, so the answer is exactly the scan's.

/// Schema migration 5 (appended to `store::MIGRATIONS`).
pub(super) const SCHEMA: &str = "CREATE VIRTUAL TABLE registry_identifiers USING fts5(
        identifier, content = 'registries', content_rowid = 'id', tokenize = 'trigram'
    );
    CREATE TRIGGER registry_identifiers_insert AFTER INSERT ON registries BEGIN
        INSERT INTO registry_identifiers (rowid, identifier) VALUES (new.id, new.identifier);
    END;
    CREATE TRIGGER registry_identifiers_delete AFTER DELETE ON registries BEGIN
        INSERT INTO registry_identifiers (registry_identifiers, rowid, identifier)
            VALUES ('delete', old.id, old.identifier);
    END;
    CREATE TRIGGER registry_identifiers_update AFTER UPDATE OF id, identifier ON registries BEGIN
        INSERT INTO registry_identifiers (registry_identifiers, rowid, identifier)
            VALUES ('delete', old.id, old.identifier);
        INSERT INTO registry_identifiers (rowid, identifier) VALUES (new.id, new.identifier);
    END;
    INSERT INTO registry_identifiers (registry_identifiers) VALUES ('rebuild');";

/// The registries of account `?1` whose identifier contains `?2` (ASCII case-insensitive),
/// candidates found through the index with the FTS5 query `?3` ([`match_phrase`] of `?2`).
/// `CROSS JOIN` keeps the index as the outer loop: the planner may not turn it into a scan of
/// the account with the index as a filter. FTS5 hands its rows out in rowid order, which is
/// the scan's `ORDER BY id`, so no sort is needed.
pub(super) const SEARCH: &str = concat!(
    "SELECT ",
    registry_columns!("r."),
    " FROM registry_identifiers CROSS JOIN registries r ON r.id = registry_identifiers.rowid \
     WHERE registry_identifiers MATCH ?3 AND r.account = ?1 \
     AND instr(lower(r.identifier), lower(?2)) > 0 \
     ORDER BY registry_identifiers.rowid"
);

/// The FTS5 query that finds `term` as a substring, or `None` when the index cannot serve it
/// (fewer than three characters, or a NUL). The term becomes one quoted phrase, its double
/// quotes doubled: inside quotes FTS5 reads every other character (`*`, `^`, `:`, `(`,
/// spaces, `AND`...) as text, and the trigram tokenizer keeps spaces and punctuation.
pub(super) fn match_phrase(term: &str) -> Option<String> {
    if term.chars().count() < 3 || term.contains('\0') {
        return None;
    }
    Some(format!("\"{}\"", term.replace('"', "\"\"")))
}

#[cfg(test)]
mod tests {
    use rusqlite::{Connection, params};

    use super::super::{
        Extras, MIGRATIONS, NewRegistry, configure, create, delete, list_account, migrate,
        migrate_through, update,
    };
    use super::{SEARCH, match_phrase};
    use crate::api::refs::{RegistryRef, Scope};
    use crate::rules::RegistryType;

    const ACCOUNT: &str = "acct";

    /// Identifiers with the characters an FTS5 query could trip on. The API's identifier rules
    /// would refuse most of them; the store takes what it is given, and the search must too.
    const ODD: &[&str] = &[
        "we\"ird",
        "sp ace",
        "star*ry",
        "per%cent",
        "StÄr-Ünïcode",
        "caret^col:on",
        "AND-OR-NOT",
        "under_score",
    ];

    /// Every search term the tests try: 1 and 2 characters (the scan), 3, long, mixed case,
    /// characters that mean something to FTS5 or SQL, Unicode, and terms that match nothing.
    const TERMS: &[&str] = &[
        "r",
        "R",
        "7",
        "re",
        "-1",
        "Ä",
        "Är",
        "reg",
        "REG",
        "rEg-1",
        "-12",
        "g-19",
        "reg-199",
        "prox",
        "Proxy_Docker-0",
        "docker-0-long-suffix",
        "\"",
        "\"\"",
        "e\"i",
        "we\"ird",
        "\"ird",
        "p a",
        "sp ace",
        " ac",
        "r*",
        "ar*r",
        "*",
        "***",
        "%",
        "r%c",
        "per%",
        "_sc",
        "stär",
        "STÄR",
        "Ünï",
        "ünï",
        "t^c",
        "l:o",
        "AND",
        "and-or",
        "NOT",
        "(a)",
        "NEAR(",
        "a\0b",
        "zzz",
        "no-such-registry",
    ];

    fn registry(scope: &str, identifier: &str) -> NewRegistry {
        NewRegistry {
            scope: Scope::parse(scope).expect("scope"),
            identifier: identifier.to_string(),
            registry_type: RegistryType::Upstream,
            package_type: "DOCKER".into(),
            description: String::new(),
            labels: Vec::new(),
            allowed_pattern: Vec::new(),
            blocked_pattern: Vec::new(),
            is_public: false,
            cleanup_policy: Vec::new(),
            upstream: None,
            upstream_proxies: Vec::new(),
            extras: Extras::default(),
        }
    }

    /// An in-memory database at schema `migrations.len()`, holding 400 `reg-N`, 100
    /// `Proxy_Docker-N` (mixed case, some with a long suffix) and the odd identifiers in
    /// `acct`, and some of the same names in another account (never found from `acct`).
    fn database(migrations: &[&str]) -> Connection {
        let mut conn = Connection::open_in_memory().expect("open");
        configure(&conn).expect("configure");
        migrate_through(&mut conn, migrations).expect("migrate");
        for i in 0..400 {
            create(&conn, registry("acct/org/proj", &format!("reg-{i}"))).expect("create");
        }
        for i in 0..100 {
            let suffix = if i % 10 == 0 { "-long-suffix" } else { "" };
            let id = format!("Proxy_Docker-{i}{suffix}");
            create(&conn, registry("acct/org", &id)).expect("create");
        }
        for id in ODD {
            create(&conn, registry("acct", id)).expect("create");
        }
        for id in ["reg-1", "Proxy_Docker-0", "we\"ird", "zzz"] {
            create(&conn, registry("other/org", id)).expect("create");
        }
        conn
    }

    fn identifiers(conn: &Connection) -> Vec<String> {
        list_account(conn, ACCOUNT, None)
            .expect("list")
            .into_iter()
            .map(|r| r.identifier)
            .collect()
    }

    fn search(conn: &Connection, term: &str) -> Vec<String> {
        list_account(conn, ACCOUNT, Some(term))
            .expect("search")
            .into_iter()
            .map(|r| r.identifier)
            .collect()
    }

    /// What the API promises: the identifiers that contain `term`, ASCII case-insensitively,
    /// in row order; computed from the full listing, without SQL.
    fn expected(all: &[String], term: &str) -> Vec<String> {
        let term = term.to_ascii_lowercase();
        all.iter()
            .filter(|id| id.to_ascii_lowercase().contains(&term))
            .cloned()
            .collect()
    }

    fn assert_every_term_matches_the_scan(conn: &Connection) {
        let all = identifiers(conn);
        assert_eq!(all.len(), 400 + 100 + ODD.len());
        let mut found_some = 0;
        for term in TERMS {
            let want = expected(&all, term);
            found_some += usize::from(!want.is_empty());
            assert_eq!(search(conn, term), want, "search_term {term:?}");
        }
        // The table is not all misses.
        assert!(
            found_some > TERMS.len() / 2,
            "{found_some} terms found rows"
        );
    }

    /// FTS5's own check that the index holds exactly the rows and text of `registries`.
    fn assert_index_consistent(conn: &Connection) {
        conn.execute(
            "INSERT INTO registry_identifiers (registry_identifiers, rank) VALUES ('integrity-check', 1)",
            [],
        )
        .expect("the index matches the registries table");
    }

    #[test]
    fn the_phrase_quotes_the_term_and_short_terms_keep_the_scan() {
        assert_eq!(match_phrase("ab"), None);
        assert_eq!(match_phrase("Ä1"), None, "two characters, three bytes");
        assert_eq!(match_phrase("a\0b"), None);
        assert_eq!(match_phrase("abc").as_deref(), Some("\"abc\""));
        assert_eq!(match_phrase("ÄÖÜ").as_deref(), Some("\"ÄÖÜ\""));
        assert_eq!(match_phrase("a\"b").as_deref(), Some("\"a\"\"b\""));
        assert_eq!(match_phrase("\"\"\"").as_deref(), Some("\"\"\"\"\"\"\"\""));
        assert_eq!(match_phrase("a* OR b").as_deref(), Some("\"a* OR b\""));
    }

    #[test]
    fn every_search_term_finds_exactly_what_the_scan_finds() {
        let conn = database(MIGRATIONS);
        assert_index_consistent(&conn);
        assert_every_term_matches_the_scan(&conn);
        assert_eq!(
            search(&conn, "reg-199"),
            ["reg-199"],
            "a whole identifier finds itself"
        );
        assert_eq!(
            list_account(&conn, "other", Some("reg-1")).expect("search")[0].identifier,
            "reg-1",
            "other accounts are searched alone"
        );
    }

    /// The search of a 3-character term reads the index: a registry taken out of the index
    /// (and only there) is no longer found by it, while a 2-character term, which scans,
    /// still finds it.
    #[test]
    fn terms_of_three_characters_go_through_the_index() {
        let conn = database(MIGRATIONS);
        let id: i64 = conn
            .query_row(
                "SELECT id FROM registries WHERE identifier = 'reg-377'",
                [],
                |r| r.get(0),
            )
            .expect("row");
        conn.execute(
            "INSERT INTO registry_identifiers (registry_identifiers, rowid, identifier) VALUES ('delete', ?1, 'reg-377')",
            [id],
        )
        .expect("unindex");
        assert!(search(&conn, "g-377").is_empty());
        assert!(search(&conn, "77").contains(&"reg-377".to_string()));
    }

    fn plan(conn: &Connection, sql: &str, params: impl rusqlite::Params) -> String {
        let mut stmt = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .expect("explain");
        let rows = stmt
            .query_map(params, |r| r.get::<_, String>(3))
            .expect("plan")
            .collect::<Result<Vec<_>, _>>()
            .expect("plan rows");
        rows.join("\n")
    }

    #[test]
    fn the_search_statement_reads_the_fts_table_then_registries_by_rowid() {
        let conn = database(MIGRATIONS);
        let plan = plan(
            &conn,
            SEARCH,
            params![ACCOUNT, "reg-1", match_phrase("reg-1").expect("phrase")],
        );
        let lines: Vec<&str> = plan.lines().collect();
        assert!(
            lines[0].starts_with("SCAN registry_identifiers VIRTUAL TABLE INDEX"),
            "{plan}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("SEARCH r USING INTEGER PRIMARY KEY (rowid=?)")),
            "{plan}"
        );
        assert!(
            !lines
                .iter()
                .any(|l| l.starts_with("SCAN r ") || *l == "SCAN r"),
            "registries is never scanned: {plan}"
        );
        assert!(
            !plan.contains("TEMP B-TREE"),
            "rows come in rowid order: {plan}"
        );
    }

    #[test]
    fn deleted_registries_leave_the_index_and_recreated_ones_return() {
        let conn = database(MIGRATIONS);
        let gone = RegistryRef::new(Scope::parse("acct/org/proj").expect("scope"), "reg-123");
        delete(&conn, &gone).expect("delete");
        assert_eq!(search(&conn, "reg-123"), Vec::<String>::new());
        assert_eq!(
            search(&conn, "eg-12"),
            expected(&identifiers(&conn), "eg-12")
        );
        assert_index_consistent(&conn);

        create(&conn, registry("acct/org/proj", "reg-123")).expect("recreate");
        assert_eq!(search(&conn, "REG-123"), ["reg-123"]);
        assert_index_consistent(&conn);

        // A PUT (which never changes the identifier) keeps the registry found.
        let mut changed = registry("acct/org/proj", "reg-123");
        changed.description = "changed".into();
        update(&conn, &gone, changed).expect("update");
        assert_eq!(search(&conn, "reg-123"), ["reg-123"]);

        // An identifier changed out of band moves in the index with the row.
        conn.execute(
            "UPDATE registries SET identifier = 'renamed-xyz' WHERE identifier = 'reg-123'",
            [],
        )
        .expect("rename");
        assert!(search(&conn, "reg-123").is_empty());
        assert_eq!(search(&conn, "ed-xy"), ["renamed-xyz"]);
        assert_index_consistent(&conn);
        assert_every_term_matches_the_scan(&conn);
    }

    /// A database written by the previous schema (4) gets the index, filled from its rows,
    /// when this version opens it.
    #[test]
    fn the_migration_indexes_the_registries_of_an_older_database() {
        let mut conn = database(&MIGRATIONS[..4]);
        let version = |c: &Connection| -> usize {
            c.pragma_query_value(None, "user_version", |r| r.get(0))
                .expect("version")
        };
        assert_eq!(version(&conn), 4);
        let tables: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'registry_identifiers'",
                [],
                |r| r.get(0),
            )
            .expect("schema");
        assert_eq!(tables, 0);

        migrate(&mut conn).expect("migrate");
        assert_eq!(version(&conn), MIGRATIONS.len());
        assert_index_consistent(&conn);
        assert_every_term_matches_the_scan(&conn);
        // And it stays in step afterwards.
        create(&conn, registry("acct", "after-migration")).expect("create");
        assert_eq!(search(&conn, "AFTER-mig"), ["after-migration"]);
    }
}
