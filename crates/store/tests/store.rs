//! The store's test suite, run on every database: a SQLite file, SQLite in memory and a
//! throwaway PostgreSQL database (see `common`).

mod common;

use common::{example, Kind, TestDb};
use delar_core::MemoryFiles;
use delar_store::{prepare_import, ImportOutcome, Role, Store, StoreError, Table};

const CURRENT: &str = "huvudbok/huvudbok-2023.se";
const PRIOR: &str = "huvudbok/huvudbok-2022.se";

/// Everything a test compares to say "the database is exactly as before".
#[derive(Debug, PartialEq)]
struct Snapshot {
    counts: Vec<(Table, i64)>,
    audit: Vec<delar_store::AuditEntry>,
    packages: Vec<delar_store::PackageInfo>,
    ledgers: Vec<delar_store::LedgerInfo>,
}

async fn snapshot(store: &Store) -> Snapshot {
    let mut counts = Vec::new();
    for t in Table::ALL {
        counts.push((t, store.count(t).await.unwrap()));
    }
    Snapshot {
        counts,
        audit: store.audit_log().await.unwrap(),
        packages: store.packages().await.unwrap(),
        ledgers: store.ledgers().await.unwrap(),
    }
}

/// `files` with `from` replaced by `to` (once) in the file at `path`.
fn edit(files: &MemoryFiles, path: &str, from: &[u8], to: &[u8]) -> MemoryFiles {
    let mut files = files.clone();
    let bytes = files.files.get_mut(path).expect("file in package");
    let at = bytes
        .windows(from.len())
        .position(|w| w == from)
        .expect("text to replace");
    bytes.splice(at..at + from.len(), to.iter().copied());
    files
}

/// The example with a new export of both ledgers (another #GEN date).
fn new_export(files: &MemoryFiles) -> MemoryFiles {
    let files = edit(files, CURRENT, b"#GEN 20230905", b"#GEN 20230906");
    edit(&files, PRIOR, b"#GEN 20230115", b"#GEN 20230116")
}

async fn import(store: &Store, files: &MemoryFiles) -> Result<ImportOutcome, StoreError> {
    let prepared = prepare_import(files)?;
    store.import("test", &prepared, None).await
}

async fn migrations_from_empty_and_rerun(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let versions = store.schema_versions().await.unwrap();
    assert_eq!(versions, store.known_schema_versions());
    assert_eq!(versions, vec![1, 2, 3]);
    for t in Table::ALL {
        assert_eq!(store.count(t).await.unwrap(), 0, "{t:?} empty");
    }
    store.migrate().await.unwrap();
    assert_eq!(store.schema_versions().await.unwrap(), versions);
    if kind != Kind::SqliteMemory {
        store.close().await;
        let again = db.open().await;
        assert_eq!(again.schema_versions().await.unwrap(), versions);
    }
}

async fn import_stores_files_and_rows(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let files = example();
    let prepared = prepare_import(&files).unwrap();
    // Reading the package tells what it reads, ending with each ledger's rows.
    let messages = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let reading: delar_core::ProgressFn = {
        let messages = messages.clone();
        std::sync::Arc::new(move |p: &delar_core::Progress| {
            messages
                .lock()
                .unwrap()
                .push((p.step, p.steps, p.message.clone()))
        })
    };
    let again = delar_store::prepare_import_with(&files, Some(&reading)).unwrap();
    assert_eq!(again.sha256, prepared.sha256);
    let messages = messages.lock().unwrap().clone();
    assert!(
        messages
            .iter()
            .any(|(_, _, m)| m == "läser huvudbok/huvudbok-2023.se …"),
        "{messages:?}"
    );
    let last: Vec<_> = messages[messages.len() - 2..].to_vec();
    let steps = last[0].1;
    assert!(steps > 0);
    assert_eq!(
        last,
        [
            (
                steps,
                steps,
                "huvudbok/huvudbok-2023.se: raderna förbereds för databasen …".to_string()
            ),
            (
                steps,
                steps,
                "huvudbok/huvudbok-2022.se: raderna förbereds för databasen …".to_string()
            ),
        ]
    );
    let progress = std::sync::Mutex::new(Vec::new());
    let report = |p: &delar_store::ImportProgress| progress.lock().unwrap().push(p.clone());
    let outcome = store
        .import("test", &prepared, Some(&report))
        .await
        .unwrap();
    let ImportOutcome::Imported {
        replaced,
        rows_written,
        ..
    } = outcome
    else {
        panic!("not imported: {outcome:?}")
    };
    assert_eq!(replaced, None);
    assert_eq!(rows_written, prepared.row_count());
    let progress = progress.into_inner().unwrap();
    for l in &prepared.ledgers {
        let last = progress
            .iter()
            .rfind(|p| p.path == l.path)
            .expect("progress");
        assert_eq!(last.rows_done, l.rows.len() as u64);
    }

    let ledgers = store.ledgers().await.unwrap();
    assert_eq!(ledgers.len(), 2);
    for (stored, read) in ledgers.iter().zip(&prepared.ledgers) {
        assert_eq!(stored.path, read.path);
        assert_eq!(stored.row_count, read.rows.len() as i64);
        assert_eq!(stored.stored_rows, stored.row_count);
        assert_eq!(stored.stored_total_ore, read.total_ore);
        assert!(stored.row_count > 900, "{} has its rows", stored.path);
        let rows = store.ledger_rows(stored.id).await.unwrap();
        assert_eq!(rows, read.rows, "rows read back as written");
    }
    assert_eq!((ledgers[0].year, ledgers[1].year), (2023, 2022));

    let packages = store.packages().await.unwrap();
    assert_eq!(packages.len(), 1);
    let paths: Vec<&str> = packages[0].files.iter().map(|f| f.0.as_str()).collect();
    assert!(paths.contains(&"delar.toml") && paths.contains(&CURRENT) && paths.contains(&PRIOR));
    for (path, sha) in &packages[0].files {
        let bytes = store.file_content(sha).await.unwrap().expect("stored");
        assert_eq!(
            &bytes,
            files.files.get(path).expect("package file"),
            "{path}"
        );
    }
    let actions: Vec<String> = store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        ["ledger.import", "ledger.import", "package.import"]
    );
}

async fn double_import_is_a_no_op(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let files = example();
    let first = import(&store, &files).await.unwrap();
    let before = snapshot(&store).await;
    let second = import(&store, &files).await.unwrap();
    let ImportOutcome::Imported { package_id, .. } = first else {
        panic!("first import: {first:?}")
    };
    assert_eq!(second, ImportOutcome::Unchanged { package_id });
    assert_eq!(snapshot(&store).await, before);
}

async fn new_export_replaces_and_is_recorded(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let files = example();
    import(&store, &files).await.unwrap();
    // Only the current year's ledger is a new export; the prior year's file is the same.
    let newer = edit(&files, CURRENT, b"#GEN 20230905", b"#GEN 20230906");
    let outcome = import(&store, &newer).await.unwrap();
    let ImportOutcome::Imported {
        replaced,
        rows_written,
        ..
    } = outcome
    else {
        panic!("not imported: {outcome:?}")
    };
    assert_eq!(replaced, Some(1));
    let ledgers = store.ledgers().await.unwrap();
    assert_eq!(ledgers.len(), 3, "{ledgers:#?}");
    let (old, prior, new) = (&ledgers[0], &ledgers[1], &ledgers[2]);
    assert!(old.replaced && old.stored_rows == 0 && old.year == 2023);
    assert!(!prior.replaced && prior.stored_rows == prior.row_count);
    assert!(!new.replaced && new.stored_rows == new.row_count && new.year == 2023);
    assert_eq!(
        rows_written as i64, new.row_count,
        "the prior ledger is reused"
    );
    assert_eq!(new.stored_total_ore, old.total_ore);

    let packages = store.packages().await.unwrap();
    assert!(packages[0].replaced && !packages[1].replaced);
    assert_eq!(packages[1].replaces, Some(packages[0].id));

    let audit = store.audit_log().await.unwrap();
    let replace = audit
        .iter()
        .find(|e| e.action == "ledger.replace")
        .expect("ledger replacement recorded");
    assert_eq!(
        replace.entity,
        "ledger:Servicenämnd IT, Växel och Telefoni/2023"
    );
    let old_value = replace.old_value.as_deref().unwrap();
    let new_value = replace.new_value.as_deref().unwrap();
    assert!(old_value.contains(&old.sha256) && new_value.contains(&new.sha256));
    assert!(audit.iter().any(|e| e.action == "package.replace"));
    assert_eq!(
        audit.iter().filter(|e| e.action == "ledger.import").count(),
        2
    );
}

async fn broken_second_ledger_is_refused_before_writing(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let files = example();
    import(&store, &files).await.unwrap();
    let before = snapshot(&store).await;
    // A new export whose second ledger breaks half-way (line 1634 of 2 900).
    let broken = edit(
        &new_export(&files),
        PRIOR,
        b"#TRANS 6410 {1 \"8510\" 20 \"920\"} 14856.53",
        b"#TRANS 6410 {1 \"8510\" 20 \"920\"} 14856,5x3",
    );
    let err = import(&store, &broken).await.unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, StoreError::Package(_)), "{message}");
    assert!(
        message.contains("huvudbok/huvudbok-2022.se:1634:"),
        "{message}"
    );
    assert_eq!(snapshot(&store).await, before);
}

async fn failure_half_way_leaves_database_as_before(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let files = example();
    import(&store, &files).await.unwrap();
    let before = snapshot(&store).await;
    // The database refuses the 700th row of the second ledger (the prior year's).
    let trigger = match store.backend() {
        delar_store::Backend::Sqlite => {
            "CREATE TRIGGER fail_half_way BEFORE INSERT ON ledger_rows \
             WHEN NEW.year = 2022 AND NEW.seq = 700 \
             BEGIN SELECT RAISE(ABORT, 'test: refused half-way'); END"
        }
        delar_store::Backend::Postgres => {
            "CREATE FUNCTION fail_half_way() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF NEW.year = 2022 AND NEW.seq = 700 THEN \
             RAISE EXCEPTION 'test: refused half-way'; END IF; RETURN NEW; END $$; \
             CREATE TRIGGER fail_half_way BEFORE INSERT ON ledger_rows \
             FOR EACH ROW EXECUTE FUNCTION fail_half_way()"
        }
    };
    store.execute_unchecked(trigger).await.unwrap();
    let newer = new_export(&files);
    let prepared = prepare_import(&newer).unwrap();
    assert!(prepared.ledgers[1].rows.len() > 1400);
    let progress = std::sync::Mutex::new(Vec::new());
    let report = |p: &delar_store::ImportProgress| progress.lock().unwrap().push(p.clone());
    let err = store
        .import("test", &prepared, Some(&report))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("refused half-way"), "{err}");
    // The first ledger was written completely before the failure.
    assert!(progress
        .into_inner()
        .unwrap()
        .iter()
        .any(|p| p.path == CURRENT && p.rows_done == p.rows_total));
    assert_eq!(snapshot(&store).await, before);
    let drop = match store.backend() {
        delar_store::Backend::Sqlite => "DROP TRIGGER fail_half_way",
        delar_store::Backend::Postgres => "DROP TRIGGER fail_half_way ON ledger_rows",
    };
    store.execute_unchecked(drop).await.unwrap();
    assert!(matches!(
        store.import("test", &prepared, None).await.unwrap(),
        ImportOutcome::Imported { .. }
    ));
}

async fn audit_log_is_append_only(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    store
        .add_user("test", "anna", Role::Admin, &[], "rätt häst batteri")
        .await
        .unwrap();
    let before = store.audit_log().await.unwrap();
    assert_eq!(before.len(), 1);
    let mut statements = vec![
        "UPDATE audit_log SET actor = 'someone else'",
        "UPDATE audit_log SET new_value = NULL WHERE id = 1",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ];
    if store.backend() == delar_store::Backend::Postgres {
        statements.push("TRUNCATE audit_log");
    }
    for sql in statements {
        let err = store.execute_unchecked(sql).await.unwrap_err();
        assert!(err.to_string().contains("append-only"), "{sql}: {err}");
    }
    assert_eq!(store.audit_log().await.unwrap(), before);
}

async fn passwords_are_argon2id(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let password = "korrekt häst batteri häftklammer";
    store
        .add_user("test", "anna", Role::Controller, &[], password)
        .await
        .unwrap();
    let hash = store.password_hash("anna").await.unwrap().unwrap();
    assert!(hash.starts_with("$argon2id$v=19$"), "{hash}");
    assert!(!hash.contains(password));
    let user = store.check_password("anna", password).await.unwrap();
    assert_eq!(user.map(|u| u.role), Some(Role::Controller));
    assert_eq!(
        store.check_password("anna", "fel lösenord!").await.unwrap(),
        None
    );
    assert_eq!(store.check_password("okänd", password).await.unwrap(), None);
    let short = store
        .add_user("test", "bo", Role::Reader, &[], "kort")
        .await;
    assert!(matches!(short, Err(StoreError::Invalid(_))), "{short:?}");
    let again = store
        .add_user("test", "anna", Role::Reader, &[], password)
        .await;
    assert!(matches!(again, Err(StoreError::UserExists(_))), "{again:?}");
    assert_eq!(store.count(Table::Users).await.unwrap(), 1);
    assert_eq!(store.audit_log().await.unwrap().len(), 1);
}

async fn roles_ansvar_and_tokens(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    for (i, role) in Role::ALL.into_iter().enumerate() {
        assert_eq!(Role::parse(role.as_str()).unwrap(), role);
        let ansvar = vec!["8520".to_string(), "8510".to_string(), "8510".to_string()];
        store
            .add_user(
                "admin",
                &format!("user{i}"),
                role,
                &ansvar,
                "ett långt lösenord",
            )
            .await
            .unwrap();
        let u = store.user(&format!("user{i}")).await.unwrap().unwrap();
        assert_eq!(
            (u.role, u.ansvar.as_slice()),
            (role, &["8510".to_string(), "8520".to_string()][..])
        );
    }
    assert!(Role::parse("superuser").is_err());
    let token = store.create_token("admin", "user2").await.unwrap();
    assert!(token.starts_with("delar_") && token.len() == 70, "{token}");
    let user = store.user_for_token(&token).await.unwrap().unwrap();
    assert_eq!(user.name, "user2");
    assert_eq!(store.user_for_token("delar_0000").await.unwrap(), None);
    // Only the hash is stored.
    let probe = |value: &str| {
        format!("UPDATE api_tokens SET revoked_at = revoked_at WHERE token_hash = '{value}'")
    };
    assert_eq!(store.execute_unchecked(&probe(&token)).await.unwrap(), 0);
    let hash = delar_store::sha256_hex(token.as_bytes());
    assert_eq!(store.execute_unchecked(&probe(&hash)).await.unwrap(), 1);
    assert!(matches!(
        store.create_token("admin", "nobody").await,
        Err(StoreError::NoSuchUser(_))
    ));
    let audit = store.audit_log().await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "user.add",
            "user.add",
            "user.add",
            "user.add",
            "token.create"
        ]
    );
    assert!(audit.iter().all(|e| e.actor == "admin"));
    assert!(audit
        .iter()
        .all(|e| !e.new_value.as_deref().unwrap().contains(&token)));
}

async fn sql_looking_text_is_stored_verbatim(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let name = "Robert'); DROP TABLE users; --";
    let ansvar = vec!["' OR '1'='1".to_string(), "x\\\ty\"z".to_string()];
    store
        .add_user(
            "admin",
            name,
            Role::Manager,
            &ansvar,
            "'; DELETE FROM audit_log; --",
        )
        .await
        .unwrap();
    let u = store.user(name).await.unwrap().unwrap();
    let mut sorted = ansvar.clone();
    sorted.sort();
    assert_eq!((u.name.as_str(), u.ansvar), (name, sorted));
    assert!(store
        .check_password(name, "'; DELETE FROM audit_log; --")
        .await
        .unwrap()
        .is_some());

    // A row text with quotes, backslashes and SQL goes into the ledger rows as is
    // (through COPY's escaping on PostgreSQL; the SIE reader keeps backslashes).
    let text = "Robert'); DROP TABLE ledger_rows; -- \\N \\\\ ";
    let files = edit(
        &example(),
        PRIOR,
        b"#TRANS 6410 {1 \"8510\" 20 \"920\"} 14856.53",
        format!("#TRANS 6410 {{1 \"8510\" 20 \"920\"}} 14856.53 \"\" \"{text}\"").as_bytes(),
    );
    let prepared = prepare_import(&files).unwrap();
    assert!(prepared.ledgers[1]
        .rows
        .iter()
        .any(|r| r.text.as_deref() == Some(text)));
    store.import("admin", &prepared, None).await.unwrap();
    let ledgers = store.ledgers().await.unwrap();
    let rows = store.ledger_rows(ledgers[1].id).await.unwrap();
    assert_eq!(rows, prepared.ledgers[1].rows);
    assert_eq!(store.count(Table::Users).await.unwrap(), 1);
}

/// Runs each test on every database.
macro_rules! on_every_database {
    ($($test:ident),* $(,)?) => {
        mod sqlite_file {
            $(#[tokio::test] async fn $test() { super::$test(super::Kind::SqliteFile).await })*
        }
        mod sqlite_memory {
            $(#[tokio::test] async fn $test() { super::$test(super::Kind::SqliteMemory).await })*
        }
        mod postgres {
            $(#[tokio::test] async fn $test() { super::$test(super::Kind::Postgres).await })*
        }
    };
}

on_every_database!(
    migrations_from_empty_and_rerun,
    import_stores_files_and_rows,
    double_import_is_a_no_op,
    new_export_replaces_and_is_recorded,
    broken_second_ledger_is_refused_before_writing,
    failure_half_way_leaves_database_as_before,
    audit_log_is_append_only,
    passwords_are_argon2id,
    roles_ansvar_and_tokens,
    sql_looking_text_is_stored_verbatim,
);
