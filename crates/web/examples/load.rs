//! Load test of the follow-up round on loopback: many sessions reading the round's report
//! while managers write forecasts, bounded in time and in requests. Reports throughput
//! and latency percentiles per kind of request, counts errors, and checks that no
//! update was lost (every cell's stored forecast is the last one the server accepted).
//!
//! ```sh
//! cargo run --release -p delar-web --example load                      # SQLite file
//! LOAD_DATABASE=postgres cargo run --release -p delar-web --example load
//! LOAD_READERS=200 LOAD_WRITERS=20 LOAD_SECONDS=20 LOAD_MAX_REQUESTS=1000000 …
//! LOAD_READ_THINK_MS=500 LOAD_WRITE_THINK_MS=1000 …   # pauses between a session's requests
//! ```
//!
//! Without think time every session sends its next request as soon as the last one is
//! answered (a closed loop at saturation: latency is then the queue of all sessions);
//! with it, sessions behave more like people and the latency is that of a loaded server.
//!
//! The application runs in this process on 127.0.0.1 (the same router as `delar serve`)
//! on a throwaway database: a SQLite file in a temporary folder, or with
//! `LOAD_DATABASE=postgres` a new database on 127.0.0.1:5432 (user postgres), dropped at
//! the end. Readers are reader accounts logged in by the login form (cookie sessions);
//! each loops `GET /rundor/{id}/rapport`. Writers are managers (sessions, CSRF header),
//! several per ansvar so that they meet on the same cells; each loops: read its ansvar's
//! forecasts, change one, `PUT` it with the version read (a 409 is a conflict, the
//! expected answer when another writer came first).

use delar_store::{Role, Store};
use delar_web::{AppState, Config};
use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const PASSWORD: &str = "ett långt lösenord";
const COMMITTEE: &str = "Servicenämnd IT, Växel och Telefoni";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The example package as a zip.
fn example_zip() -> Vec<u8> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).expect("inside").to_string_lossy();
                out.push((format!("paket/{rel}"), std::fs::read(&p).expect("read")));
            }
        }
    }
    let root = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/servicenamnd-it-2023"
    ));
    let mut files = Vec::new();
    walk(&root, &root, &mut files);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        w.start_file(name, opts).expect("zip entry");
        w.write_all(&bytes).expect("zip write");
    }
    w.finish().expect("zip").into_inner()
}

/// A logged-in session: its cookie and CSRF token.
struct Session {
    cookie: String,
    csrf: String,
}

async fn login(http: &reqwest::Client, base: &str, name: &str) -> Session {
    let r = http
        .post(format!("{base}/logga-in"))
        .form(&[("name", name), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 303, "login of {name}");
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("delar_session="))
        .and_then(|v| v.split(';').next())
        .expect("session cookie")
        .to_string();
    let page = http
        .get(format!("{base}/"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("start page")
        .text()
        .await
        .expect("body");
    let at = page.find("name=\"csrf\" value=\"").expect("csrf field") + 19;
    let csrf = page[at..at + page[at..].find('"').expect("end")].to_string();
    Session { cookie, csrf }
}

/// Latencies of one kind of request, in microseconds, and its counts.
#[derive(Default)]
struct Stats {
    micros: Vec<u64>,
    ok: u64,
    conflicts: u64,
    errors: u64,
}

impl Stats {
    fn merge(&mut self, other: Stats) {
        self.micros.extend(other.micros);
        self.ok += other.ok;
        self.conflicts += other.conflicts;
        self.errors += other.errors;
    }

    fn percentile(sorted: &[u64], p: f64) -> f64 {
        if sorted.is_empty() {
            return 0.0;
        }
        let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
        sorted[rank.clamp(1, sorted.len()) - 1] as f64 / 1000.0
    }

    fn line(&mut self, what: &str, seconds: f64) -> String {
        self.micros.sort_unstable();
        let n = self.micros.len();
        format!(
            "| {what} | {n} | {:.0} | {} | {} | {:.1} | {:.1} | {:.1} | {:.1} |",
            n as f64 / seconds,
            self.conflicts,
            self.errors,
            Self::percentile(&self.micros, 50.0),
            Self::percentile(&self.micros, 95.0),
            Self::percentile(&self.micros, 99.0),
            self.micros.last().copied().unwrap_or(0) as f64 / 1000.0,
        )
    }
}

/// A small deterministic generator (xorshift), one per task.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let readers = env_or("LOAD_READERS", 200) as usize;
    let writers = env_or("LOAD_WRITERS", 20) as usize;
    let seconds = env_or("LOAD_SECONDS", 20);
    let max_requests = env_or("LOAD_MAX_REQUESTS", 2_000_000);
    let kind = std::env::var("LOAD_DATABASE").unwrap_or_else(|_| "sqlite".into());
    let read_think = Duration::from_millis(env_or("LOAD_READ_THINK_MS", 0));
    let write_think = Duration::from_millis(env_or("LOAD_WRITE_THINK_MS", 0));

    // The database.
    let tmp = tempfile::tempdir().expect("temporary folder");
    let pg_name = format!("delar_load_{}", std::process::id());
    let url = if kind == "postgres" {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect("postgres://postgres@127.0.0.1:5432/postgres")
            .await
            .expect("PostgreSQL at 127.0.0.1:5432");
        sqlx::raw_sql(&format!("CREATE DATABASE {pg_name}"))
            .execute(&mut c)
            .await
            .expect("create the load test's database");
        format!("postgres://postgres@127.0.0.1:5432/{pg_name}")
    } else {
        format!("sqlite://{}", tmp.path().join("load.db").display())
    };
    let store = Store::open(&url).await.expect("open the store");

    // The application on loopback.
    let state = AppState::new(store.clone(), Config::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let app = delar_web::app(state);
    tokio::spawn(async move { axum::serve(listener, app).await.expect("serve") });

    // People, the package and the round.
    eprintln!("load: {readers} readers, {writers} writers, {seconds} s, database {kind}");
    eprintln!("load: creating users (argon2id: takes a while)…");
    let c = &[COMMITTEE.to_string()];
    let add = |name: String, role: Role, ansvar: Vec<String>| {
        let store = store.clone();
        async move {
            store
                .add_user_with_committees("load", &name, role, &ansvar, c, PASSWORD)
                .await
                .expect("add user")
        }
    };
    store
        .add_user_with_committees("load", "admin", Role::Admin, &[], &[], PASSWORD)
        .await
        .expect("admin");
    add("controller".into(), Role::Controller, vec![]).await;
    let ansvar = ["8510", "8511", "8520", "8530"];
    for i in 0..readers {
        add(format!("reader{i}"), Role::Reader, vec![]).await;
    }
    for i in 0..writers {
        let a = ansvar[i % ansvar.len()].to_string();
        add(format!("writer{i}"), Role::Manager, vec![a]).await;
    }
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(readers + writers + 10)
        .build()
        .expect("client");
    let admin_token = store.create_token("load", "admin").await.expect("token");
    let r = http
        .post(format!("{base}/api/import"))
        .bearer_auth(&admin_token)
        .header("content-type", "application/zip")
        .body(example_zip())
        .send()
        .await
        .expect("import");
    assert_eq!(r.status(), 201, "import");
    let packages: serde_json::Value = http
        .get(format!("{base}/api/packages"))
        .bearer_auth(&admin_token)
        .send()
        .await
        .expect("packages")
        .json()
        .await
        .expect("JSON");
    let package = packages["packages"][0]["id"].as_i64().expect("package");
    let controller_token = store
        .create_token("load", "controller")
        .await
        .expect("token");
    let r: serde_json::Value = http
        .post(format!("{base}/api/rounds"))
        .bearer_auth(&controller_token)
        .json(&serde_json::json!({ "package": package }))
        .send()
        .await
        .expect("open round")
        .json()
        .await
        .expect("JSON");
    let round = r["id"].as_i64().expect("round id");
    eprintln!("load: logging in {} sessions…", readers + writers);
    let mut reader_sessions = Vec::new();
    for i in 0..readers {
        reader_sessions.push(login(&http, &base, &format!("reader{i}")).await);
    }
    let mut writer_sessions = Vec::new();
    for i in 0..writers {
        writer_sessions.push((
            ansvar[i % ansvar.len()],
            login(&http, &base, &format!("writer{i}")).await,
        ));
    }
    // Warm the report once, as a controller opening the round would.
    http.get(format!("{base}/api/rounds/{round}/report"))
        .bearer_auth(&controller_token)
        .send()
        .await
        .expect("warm");

    // The run.
    eprintln!("load: running…");
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs(seconds);
    let mut reader_tasks = Vec::new();
    for (i, s) in reader_sessions.into_iter().enumerate() {
        let (http, base, stop, requests) =
            (http.clone(), base.clone(), stop.clone(), requests.clone());
        reader_tasks.push(tokio::spawn(async move {
            let mut st = Stats::default();
            // Sessions with think time start spread over one think time, not in one wave.
            if !read_think.is_zero() {
                let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ (i as u64 + 1));
                let ms = rng.next() % read_think.as_millis().max(1) as u64;
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            while !stop.load(Ordering::Relaxed) {
                if Instant::now() >= deadline
                    || requests.fetch_add(1, Ordering::Relaxed) >= max_requests
                {
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                let t = Instant::now();
                let r = http
                    .get(format!("{base}/rundor/{round}/rapport"))
                    .header("cookie", &s.cookie)
                    .send()
                    .await;
                let ok = match r {
                    Ok(r) if r.status() == 200 => r.bytes().await.is_ok(),
                    _ => false,
                };
                st.micros.push(t.elapsed().as_micros() as u64);
                if ok {
                    st.ok += 1
                } else {
                    st.errors += 1
                }
                if !read_think.is_zero() {
                    tokio::time::sleep(read_think).await;
                }
            }
            st
        }));
    }
    let mut writer_tasks = Vec::new();
    for (i, (a, s)) in writer_sessions.into_iter().enumerate() {
        let (http, base, stop, requests) =
            (http.clone(), base.clone(), stop.clone(), requests.clone());
        writer_tasks.push(tokio::spawn(async move {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
            if !write_think.is_zero() {
                let ms = rng.next() % write_think.as_millis().max(1) as u64;
                tokio::time::sleep(Duration::from_millis(ms)).await;
            }
            let mut read = Stats::default();
            let mut write = Stats::default();
            // (row, version, amount) of every write the server accepted.
            let mut accepted: Vec<(String, i64, i64)> = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                if Instant::now() >= deadline
                    || requests.fetch_add(2, Ordering::Relaxed) >= max_requests
                {
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                let t = Instant::now();
                let cells: Option<serde_json::Value> = match http
                    .get(format!("{base}/api/rounds/{round}/forecasts?ansvar={a}"))
                    .header("cookie", &s.cookie)
                    .send()
                    .await
                {
                    Ok(r) if r.status() == 200 => r.json().await.ok(),
                    _ => None,
                };
                read.micros.push(t.elapsed().as_micros() as u64);
                let Some(cells) = cells else {
                    read.errors += 1;
                    continue;
                };
                read.ok += 1;
                let list = cells["cells"].as_array().cloned().unwrap_or_default();
                if list.is_empty() {
                    read.errors += 1;
                    continue;
                }
                let cell = &list[(rng.next() % list.len() as u64) as usize];
                let row = cell["row"].as_str().unwrap_or_default().to_string();
                let version = cell["forecast"]["version"].as_i64();
                let amount = cell["budget_ore"].as_i64().unwrap_or(0)
                    + (rng.next() % 1_000_000) as i64 * 100;
                let body = serde_json::json!({"forecasts": [{"row": row, "ansvar": a,
                    "amount_ore": amount, "comment": format!("last {i}"), "version": version}]});
                let t = Instant::now();
                let r = http
                    .put(format!("{base}/api/rounds/{round}/forecasts"))
                    .header("cookie", &s.cookie)
                    .header("x-csrf-token", &s.csrf)
                    .json(&body)
                    .send()
                    .await;
                let status = r.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
                let saved: Option<serde_json::Value> = match r {
                    Ok(r) => r.json().await.ok(),
                    Err(_) => None,
                };
                write.micros.push(t.elapsed().as_micros() as u64);
                match status {
                    200 => {
                        write.ok += 1;
                        let v = saved
                            .as_ref()
                            .and_then(|s| s["saved"][0]["version"].as_i64())
                            .unwrap_or(-1);
                        accepted.push((row, v, amount));
                    }
                    409 => write.conflicts += 1,
                    _ => write.errors += 1,
                }
                if !write_think.is_zero() {
                    tokio::time::sleep(write_think).await;
                }
            }
            (read, write, a, accepted)
        }));
    }
    let mut report = Stats::default();
    for t in reader_tasks {
        report.merge(t.await.expect("reader task"));
    }
    let mut reads = Stats::default();
    let mut writes = Stats::default();
    let mut accepted = Vec::new();
    for t in writer_tasks {
        let (r, w, a, acc) = t.await.expect("writer task");
        reads.merge(r);
        writes.merge(w);
        accepted.extend(acc.into_iter().map(|(row, v, amount)| (a, row, v, amount)));
    }
    let elapsed = start.elapsed().as_secs_f64();

    // No lost update: each cell holds the accepted write with the highest version.
    let stored = store.forecasts(round).await.expect("forecasts");
    let mut lost = 0;
    let mut cells_written = 0;
    for f in &stored {
        let last = accepted
            .iter()
            .filter(|(a, row, _, _)| *a == f.ansvar && *row == f.row_id)
            .max_by_key(|(_, _, v, _)| *v);
        if let Some((_, _, v, amount)) = last {
            cells_written += 1;
            if *v != f.version || *amount != f.amount_ore {
                lost += 1;
                eprintln!(
                    "lost update: {}/{}: stored v{} {} öre, last accepted v{v} {amount} öre",
                    f.row_id, f.ansvar, f.version, f.amount_ore
                );
            }
        }
    }
    let versions_ok = accepted.len() as u64 == writes.ok;
    let unique: std::collections::BTreeSet<_> = accepted
        .iter()
        .map(|(a, row, v, _)| (*a, row.clone(), *v))
        .collect();
    let duplicates = accepted.len() - unique.len();

    println!(
        "load test: {readers} reader sessions, {writers} writer sessions, {elapsed:.1} s, database {kind}, think time {} ms (read) / {} ms (write)",
        read_think.as_millis(),
        write_think.as_millis()
    );
    println!();
    println!("| request | count | per s | conflicts (409) | errors | p50 ms | p95 ms | p99 ms | max ms |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    println!("{}", report.line("GET /rundor/{id}/rapport", elapsed));
    println!(
        "{}",
        reads.line("GET /api/rounds/{id}/forecasts?ansvar=", elapsed)
    );
    println!("{}", writes.line("PUT /api/rounds/{id}/forecasts", elapsed));
    println!();
    println!(
        "accepted writes: {} on {cells_written} cells; lost updates: {lost}; two writes accepted from one version: {duplicates}",
        writes.ok
    );
    store.close().await;
    if kind == "postgres" {
        use sqlx::Connection;
        if let Ok(mut c) =
            sqlx::PgConnection::connect("postgres://postgres@127.0.0.1:5432/postgres").await
        {
            let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"))
                .execute(&mut c)
                .await;
        }
    }
    let failed = report.errors + reads.errors + writes.errors > 0
        || lost > 0
        || duplicates > 0
        || !versions_ok;
    if failed {
        eprintln!("load test FAILED: errors, lost updates or duplicate versions above");
        std::process::exit(1);
    }
}
