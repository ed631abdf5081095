//! `delar import`, `delar user add` and `delar token create` end to end: the built binary
//! on throwaway databases (a SQLite file and PostgreSQL; see the store's test `common`).
//! Includes the SIGKILL test: `delar import` killed in the middle of a large ledger
//! leaves the database with the import fully there or not at all, and the same for
//! `delar serve` killed while it imports an upload.

#[path = "../../store/tests/common/mod.rs"]
mod common;

use common::{Kind, TestDb};
use delar_store::Store;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn example_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/servicenamnd-it-2023"
    ))
}

/// Runs `delar` with `stdin`; returns (exit code, stdout, stderr).
fn delar(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_delar"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run delar");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("write stdin");
    let out = child.wait_with_output().expect("wait for delar");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    )
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn commands_on(kind: Kind) {
    let Some(db) = block_on(TestDb::new(kind)) else {
        return;
    };
    let example = example_dir();
    let dir = example.to_str().unwrap();
    let url = db.url.as_str();
    let (code, out, err) = delar(&["import", dir, "--database", url], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("Importerat: paket 1 (Servicenämnd IT, Växel och Telefoni 2023)"),
        "{out}"
    );
    let (code, out, err) = delar(&["import", dir, "--database", url], "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("Oförändrat: paketet är redan importerat (paket 1"),
        "{out}"
    );

    // A broken package is refused with the reader's file:line message.
    let tmp = tempfile::tempdir().unwrap();
    let broken = tmp.path().join("paket");
    copy_dir(&example, &broken);
    let ledger = broken.join("huvudbok/huvudbok-2022.se");
    let mut bytes = std::fs::read(&ledger).unwrap();
    let at = bytes.windows(8).position(|w| w == b"14856.53").unwrap();
    bytes[at + 5] = b'x';
    std::fs::write(&ledger, bytes).unwrap();
    let (code, out, err) = delar(&["import", broken.to_str().unwrap(), "--database", url], "");
    assert_eq!(code, 1, "{out}{err}");
    assert!(err.contains("paketet importerades inte: huvudbok/huvudbok-2022.se: SIE-filen kan inte läsas: huvudbok/huvudbok-2022.se:1634:"), "{err}");

    let (code, out, err) = delar(
        &[
            "user",
            "add",
            "anna",
            "--role",
            "manager",
            "--ansvar",
            "8510",
            "8520",
            "--password-stdin",
            "--database",
            url,
        ],
        "ett långt lösenord\n",
    );
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out,
        "Användaren anna är skapad (roll manager, ansvar 8510, 8520).\n"
    );
    let (code, _, err) = delar(
        &[
            "user",
            "add",
            "bo",
            "--role",
            "chef",
            "--password-stdin",
            "--database",
            url,
        ],
        "ett långt lösenord\n",
    );
    assert_eq!(code, 1);
    assert!(err.contains("okänd roll \"chef\""), "{err}");
    let (code, token, err) = delar(&["token", "create", "anna", "--database", url], "");
    assert_eq!(code, 0, "{err}");
    let token = token.trim();
    assert!(err.contains("visas inte igen"), "{err}");

    block_on(async {
        let store = Store::open(url).await.unwrap();
        let user = store.user_for_token(token).await.unwrap().unwrap();
        assert_eq!(user.ansvar, ["8510", "8520"]);
        assert!(store
            .check_password("anna", "ett långt lösenord")
            .await
            .unwrap()
            .is_some());
        let actions: Vec<String> = store
            .audit_log()
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions,
            [
                "ledger.import",
                "ledger.import",
                "package.import",
                "user.add",
                "token.create"
            ]
        );
        store.close().await;
    });
}

#[test]
fn commands_on_sqlite() {
    commands_on(Kind::SqliteFile);
}

#[test]
fn commands_on_postgres() {
    commands_on(Kind::Postgres);
}

/// The example package with its current ledger grown to at least `rows` rows (its
/// vouchers repeated under new numbers), written with delar-sie's writer.
fn large_package(to: &Path, rows: usize) -> usize {
    copy_dir(&example_dir(), to);
    let path = to.join("huvudbok/huvudbok-2023.se");
    let parsed = delar_sie::parse(
        &std::fs::read(&path).unwrap(),
        &delar_sie::ParseOptions::new("huvudbok-2023.se"),
    );
    assert!(!parsed.has_errors());
    let mut file = parsed.file.clone();
    file.vouchers.clear();
    let mut number = 0;
    while file.vouchers.row_count() < rows {
        for v in parsed.file.vouchers.iter() {
            let mut data = v.to_data();
            number += 1;
            data.number = number.to_string();
            file.vouchers.push(&data);
        }
    }
    std::fs::write(&path, delar_sie::write(&file, delar_sie::SieType::Type4)).unwrap();
    file.vouchers.row_count()
}

fn killed_in_the_middle(kind: Kind) {
    let Some(db) = block_on(TestDb::new(kind)) else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let package = tmp.path().join("paket");
    let rows = large_package(&package, 300_000);
    let args = [
        "import",
        package.to_str().unwrap(),
        "--database",
        db.url.as_str(),
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_delar"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run delar");
    // Wait until part of the large ledger is written, then SIGKILL.
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut seen = Vec::new();
    for line in stderr.lines() {
        let line = line.unwrap();
        seen.push(line.clone());
        if line.starts_with("delar: huvudbok/huvudbok-2023.se: ")
            && !line.contains(&format!(": {rows} av"))
        {
            break;
        }
    }
    child.kill().expect("SIGKILL");
    let status = child.wait().unwrap();
    assert!(!status.success(), "killed: {status:?}; {seen:?}");
    assert!(
        seen.last().is_some_and(|l| l.contains("rader skrivna")),
        "killed in the middle of writing rows: {seen:?}"
    );

    let check = || {
        block_on(async {
            let store = Store::open(&db.url).await.unwrap();
            let packages = store.packages().await.unwrap();
            let ledgers = store.ledgers().await.unwrap();
            let stored: i64 = ledgers.iter().map(|l| l.stored_rows).sum();
            assert_eq!(
                stored,
                store.count(delar_store::Table::LedgerRows).await.unwrap()
            );
            for l in &ledgers {
                assert_eq!(l.stored_rows, l.row_count, "{l:?}");
                assert_eq!(l.stored_total_ore, l.total_ore, "{l:?}");
            }
            store.close().await;
            (packages.len(), ledgers.len(), stored)
        })
    };
    // All or nothing: here nothing, as the kill came before the commit.
    assert_eq!(check(), (0, 0, 0));
    let (code, out, err) = delar(&args, "");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("Importerat: paket "), "{out}");
    let (packages, ledgers, stored) = check();
    assert_eq!((packages, ledgers), (1, 2));
    assert!(stored as usize > rows);
}

#[test]
fn sigkill_during_import_on_sqlite() {
    killed_in_the_middle(Kind::SqliteFile);
}

#[test]
fn sigkill_during_import_on_postgres() {
    killed_in_the_middle(Kind::Postgres);
}

/// The files under `dir` as a zip (paths relative to `dir`, inside folder `top`).
fn zip_dir(dir: &Path, top: &str) -> Vec<u8> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                out.push((rel, p));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (rel, path) in files {
        w.start_file(format!("{top}/{rel}"), opts).unwrap();
        w.write_all(&std::fs::read(path).unwrap()).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// `delar serve` on a free port of 127.0.0.1; its address and its stderr lines.
fn start_server(
    url: &str,
) -> (
    std::process::Child,
    String,
    std::sync::mpsc::Receiver<String>,
) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_delar"))
        .args(["serve", "--listen", "127.0.0.1:0", "--database", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run delar serve");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr = first
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("the listening address in {first:?}"))
        .to_string();
    std::thread::spawn(move || for _ in stdout.lines() {});
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    (child, addr, rx)
}

/// Posts `zip` to `/api/import` with `token` on a thread; the status line of the answer
/// is sent when it comes (or an empty text if the connection closes without one).
fn upload(addr: &str, token: &str, zip: Vec<u8>) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    let addr = addr.to_string();
    let token = token.to_string();
    std::thread::spawn(move || {
        use std::io::Read;
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        let head = format!(
            "POST /api/import HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/zip\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            zip.len()
        );
        let sent = s.write_all(head.as_bytes()).and_then(|_| s.write_all(&zip));
        let mut answer = String::new();
        if sent.is_ok() {
            let mut buf = Vec::new();
            let _ = s.read_to_end(&mut buf);
            answer = String::from_utf8_lossy(&buf)
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
        }
        let _ = tx.send(answer);
    });
    rx
}

fn server_killed_in_the_middle(kind: Kind) {
    let Some(db) = block_on(TestDb::new(kind)) else {
        return;
    };
    let url = db.url.as_str();
    let tmp = tempfile::tempdir().unwrap();
    let package = tmp.path().join("paket");
    let rows = large_package(&package, 300_000);
    let zip = zip_dir(&package, "paket");
    let (code, _, err) = delar(
        &[
            "user",
            "add",
            "anna",
            "--role",
            "admin",
            "--password-stdin",
            "--database",
            url,
        ],
        "ett långt lösenord\n",
    );
    assert_eq!(code, 0, "{err}");
    let (code, token, err) = delar(&["token", "create", "anna", "--database", url], "");
    assert_eq!(code, 0, "{err}");
    let token = token.trim().to_string();

    let (mut server, addr, log) = start_server(url);
    let answer = upload(&addr, &token, zip.clone());
    // Wait until the server reports rows of the large ledger written, then SIGKILL.
    let mut seen = Vec::new();
    loop {
        let line = log
            .recv_timeout(std::time::Duration::from_secs(300))
            .unwrap_or_else(|_| panic!("no progress from the server: {seen:?}"));
        seen.push(line.clone());
        if line.contains("huvudbok/huvudbok-2023.se: ")
            && line.contains("rader skrivna")
            && !line.contains(&format!(": {rows} av"))
        {
            break;
        }
    }
    server.kill().expect("SIGKILL");
    let status = server.wait().unwrap();
    assert!(!status.success(), "killed: {status:?}");
    let answered = answer
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap_or_default();
    assert!(
        !answered.contains("201"),
        "the import had not answered when the server was killed: {answered}"
    );

    let check = || {
        block_on(async {
            let store = Store::open(url).await.unwrap();
            let packages = store.packages().await.unwrap();
            let ledgers = store.ledgers().await.unwrap();
            let stored: i64 = ledgers.iter().map(|l| l.stored_rows).sum();
            assert_eq!(
                stored,
                store.count(delar_store::Table::LedgerRows).await.unwrap()
            );
            for l in &ledgers {
                assert_eq!(l.stored_rows, l.row_count, "{l:?}");
            }
            store.close().await;
            (packages.len(), ledgers.len(), stored)
        })
    };
    // Nothing of the import is there: the kill came before its commit.
    assert_eq!(check(), (0, 0, 0));

    // A restarted server takes the same upload whole.
    let (mut server, addr, _log) = start_server(url);
    let answered = upload(&addr, &token, zip)
        .recv_timeout(std::time::Duration::from_secs(600))
        .expect("an answer");
    assert!(answered.contains("201"), "{answered}");
    let _ = server.kill();
    let _ = server.wait();
    let (packages, ledgers, stored) = check();
    assert_eq!((packages, ledgers), (1, 2));
    assert!(stored as usize > rows);
}

#[test]
fn server_sigkill_during_import_on_sqlite() {
    server_killed_in_the_middle(Kind::SqliteFile);
}

#[test]
fn server_sigkill_during_import_on_postgres() {
    server_killed_in_the_middle(Kind::Postgres);
}
