//! The web tests' harness (reused by the round's tests): the application started on
//! 127.0.0.1:0 against a throwaway database (a SQLite temp file, or a uniquely named
//! PostgreSQL database on 127.0.0.1:5432 dropped at the end; `DELAR_SKIP_POSTGRES=1`
//! skips those), users of each role, a client that keeps its session cookie by hand
//! (the cookies are Secure, which a cookie store would not send over http), logs in
//! and finds the CSRF token in a page's forms.
#![allow(dead_code)]

use delar_store::{Role, Store, Table};
use delar_web::{AppState, Config};
use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};

/// The password of every test user.
pub const PASSWORD: &str = "ett långt lösenord";
/// The PostgreSQL server the tests use.
pub const POSTGRES_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The committee of the example package.
pub const COMMITTEE: &str = "Servicenämnd IT, Växel och Telefoni";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A SQLite file in a temporary folder.
    Sqlite,
    /// A throwaway PostgreSQL database.
    Postgres,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

async fn admin_execute(sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(POSTGRES_ADMIN_URL).await?;
    sqlx::raw_sql(sql).execute(&mut conn).await?;
    conn.close().await
}

/// A throwaway database; dropped (PostgreSQL) or deleted (SQLite) with the value.
pub struct TestDb {
    /// The address.
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_name: Option<String>,
}

impl TestDb {
    /// A new empty database, or `None` for PostgreSQL with `DELAR_SKIP_POSTGRES=1`.
    pub async fn new(kind: Kind) -> Option<TestDb> {
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}", dir.path().join("delar.db").display());
                Some(TestDb {
                    url,
                    _dir: Some(dir),
                    pg_name: None,
                })
            }
            Kind::Postgres => {
                if std::env::var("DELAR_SKIP_POSTGRES").is_ok_and(|v| v == "1") {
                    eprintln!("PostgreSQL skipped: DELAR_SKIP_POSTGRES=1");
                    return None;
                }
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos());
                let name = format!(
                    "delar_webtest_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed),
                    nanos
                );
                if let Err(e) = admin_execute(&format!("CREATE DATABASE {name}")).await {
                    panic!(
                        "PostgreSQL at 127.0.0.1:5432 (user postgres) is needed by this test and \
                         could not be used: {e}. Start it, or set DELAR_SKIP_POSTGRES=1."
                    );
                }
                Some(TestDb {
                    url: format!("postgres://postgres@127.0.0.1:5432/{name}"),
                    _dir: None,
                    pg_name: Some(name),
                })
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.pg_name.take() {
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(admin_execute(&format!(
                    "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                )))
            })
            .join();
        }
    }
}

/// The application running on a free port of 127.0.0.1.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The store the application uses.
    pub store: Store,
    /// Which database.
    pub kind: Kind,
    server: tokio::task::JoinHandle<()>,
    // Last: the database is dropped after the server task is aborted.
    _db: TestDb,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl TestApp {
    /// Starts the application with the default configuration (Secure cookies).
    pub async fn start(kind: Kind) -> Option<TestApp> {
        // Uploads in the browser answer with their outcome (not the progress page)
        // however busy the test machine is.
        let config = Config {
            import_wait: std::time::Duration::from_secs(120),
            ..Config::default()
        };
        TestApp::start_with(kind, config).await
    }

    /// Starts the application with `config`.
    pub async fn start_with(kind: Kind, config: Config) -> Option<TestApp> {
        let db = TestDb::new(kind).await?;
        let store = Store::open(&db.url).await.expect("open the store");
        let state = AppState::new(store.clone(), config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("address");
        let app = delar_web::app(state);
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        Some(TestApp {
            base: format!("http://{addr}"),
            store,
            kind,
            server,
            _db: db,
        })
    }

    /// Creates a user of `role` with `ansvar` and `committees` (password [`PASSWORD`]).
    pub async fn user(
        &self,
        name: &str,
        role: Role,
        ansvar: &[&str],
        committees: &[&str],
    ) -> delar_store::User {
        let ansvar: Vec<String> = ansvar.iter().map(|s| s.to_string()).collect();
        let committees: Vec<String> = committees.iter().map(|s| s.to_string()).collect();
        self.store
            .add_user_with_committees("test", name, role, &ansvar, &committees, PASSWORD)
            .await
            .expect("add user")
    }

    /// One user of each role, all assigned the example's committee; the manager has
    /// ansvar 110. Names: admin, controller, manager, reader.
    pub async fn users_of_every_role(&self) {
        self.user("admin", Role::Admin, &[], &[]).await;
        self.user("controller", Role::Controller, &[], &[COMMITTEE])
            .await;
        self.user("manager", Role::Manager, &["110"], &[COMMITTEE])
            .await;
        self.user("reader", Role::Reader, &[], &[COMMITTEE]).await;
    }

    /// A client without a session.
    pub fn anonymous(&self) -> Client {
        Client {
            base: self.base.clone(),
            // A fresh connection per request: reusing a pooled keep-alive connection
            // races with the server closing it, which showed once as a failed GET.
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .pool_max_idle_per_host(0)
                .build()
                .expect("client"),
            cookie: None,
            bearer: None,
        }
    }

    /// A client logged in as `name` (password [`PASSWORD`]). Panics if the login fails.
    pub async fn login(&self, name: &str) -> Client {
        let mut c = self.anonymous();
        let r = c.login(name, PASSWORD).await;
        assert_eq!(r.status(), 303, "login of {name}");
        assert!(c.cookie.is_some(), "session cookie of {name}");
        c
    }

    /// A client with an API token of `name`.
    pub async fn bearer(&self, name: &str) -> Client {
        let token = self.store.create_token("test", name).await.expect("token");
        let mut c = self.anonymous();
        c.bearer = Some(token);
        c
    }

    /// The row count of every table (to show that nothing changed).
    pub async fn counts(&self) -> Vec<(Table, i64)> {
        let mut out = Vec::new();
        for t in Table::ALL {
            out.push((t, self.store.count(t).await.expect("count")));
        }
        out
    }
}

/// An HTTP client that keeps the session cookie by hand and never follows redirects.
pub struct Client {
    /// The application's address.
    pub base: String,
    /// The HTTP client.
    pub http: reqwest::Client,
    /// `delar_session=…` once logged in.
    pub cookie: Option<String>,
    /// An API token to send as `Authorization: Bearer`.
    pub bearer: Option<String>,
}

/// The value of the first `name="csrf" value="…"` in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let at = html.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    let end = html[at..].find('"')?;
    Some(html[at..at + end].to_string())
}

impl Client {
    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        let mut r = self.http.request(method, format!("{}{path}", self.base));
        if let Some(c) = &self.cookie {
            r = r.header("cookie", c);
        }
        if let Some(t) = &self.bearer {
            r = r.bearer_auth(t);
        }
        r
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.request(reqwest::Method::GET, path)
            .send()
            .await
            .expect("GET")
    }

    /// GET `path` and its body as text, asserting the status.
    pub async fn page(&self, path: &str, status: u16) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), status, "GET {path}");
        r.text().await.expect("body")
    }

    /// Follows a redirect as a browser does, with the flash cookie it set; the page.
    pub async fn follow(&self, r: reqwest::Response) -> String {
        assert_eq!(r.status(), 303, "a redirect");
        let to = r.headers()["location"]
            .to_str()
            .expect("location")
            .to_string();
        let flash = r
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("delar_flash="))
            .map(|v| v.split(';').next().unwrap_or("").to_string());
        let cookies: Vec<String> = self.cookie.iter().cloned().chain(flash).collect();
        let mut req = self.http.get(format!("{}{to}", self.base));
        if !cookies.is_empty() {
            req = req.header("cookie", cookies.join("; "));
        }
        let page = req.send().await.expect("GET");
        assert_eq!(page.status(), 200, "GET {to}");
        page.text().await.expect("body")
    }

    /// The session's CSRF token, read from the start page's logout form.
    pub async fn csrf(&self) -> String {
        csrf_in(&self.page("/", 200).await).expect("csrf field in the start page")
    }

    /// POST a form with these fields exactly (no token added).
    pub async fn post_form_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.request(reqwest::Method::POST, path)
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    /// POST a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = if self.cookie.is_some() {
            self.csrf().await
        } else {
            String::new()
        };
        let mut all = vec![("csrf", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form_raw(path, &all).await
    }

    /// POST JSON (with the CSRF header when logged in by cookie).
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        let mut r = self.request(reqwest::Method::POST, path).json(body);
        if self.cookie.is_some() {
            r = r.header("x-csrf-token", self.csrf().await);
        }
        r.send().await.expect("POST")
    }

    /// Sends JSON with any method (with the CSRF header when logged in by cookie).
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &serde_json::Value,
    ) -> reqwest::Response {
        let mut r = self.request(method, path).json(body);
        if self.cookie.is_some() {
            r = r.header("x-csrf-token", self.csrf().await);
        }
        r.send().await.expect("request")
    }

    /// GET `path` as JSON, asserting the status.
    pub async fn json(&self, path: &str, status: u16) -> serde_json::Value {
        let r = self.get(path).await;
        assert_eq!(r.status(), status, "GET {path}");
        r.json().await.expect("JSON body")
    }

    /// POST raw bytes.
    pub async fn post_bytes(
        &self,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> reqwest::Response {
        self.request(reqwest::Method::POST, path)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("POST")
    }

    /// Uploads `zip` at /import as the browser's form does (`csrf` first).
    pub async fn upload(&self, zip: Vec<u8>) -> reqwest::Response {
        let token = self.csrf().await;
        self.upload_with_token(&token, zip).await
    }

    /// Uploads `zip` at /import with this CSRF token.
    pub async fn upload_with_token(&self, token: &str, zip: Vec<u8>) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("csrf", token.to_string())
            .part(
                "package",
                reqwest::multipart::Part::bytes(zip)
                    .file_name("paket.zip")
                    .mime_str("application/zip")
                    .expect("mime"),
            );
        self.request(reqwest::Method::POST, "/import")
            .multipart(form)
            .send()
            .await
            .expect("upload")
    }

    /// Posts the login form; keeps the session cookie if one is set.
    pub async fn login(&mut self, name: &str, password: &str) -> reqwest::Response {
        let r = self
            .post_form_raw("/logga-in", &[("name", name), ("password", password)])
            .await;
        for v in r.headers().get_all("set-cookie") {
            let v = v.to_str().unwrap_or("");
            if let Some(rest) = v.strip_prefix("delar_session=") {
                let value = rest.split(';').next().unwrap_or("");
                self.cookie = (!value.is_empty()).then(|| format!("delar_session={value}"));
            }
        }
        r
    }
}

/// Every file of the example package, by relative path.
pub fn example_files() -> Vec<(String, Vec<u8>)> {
    fn walk(root: &std::path::Path, dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read folder")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("inside root");
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((rel, std::fs::read(&path).expect("read file")));
            }
        }
    }
    let root = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/servicenamnd-it-2023"
    ));
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// A zip of `files` (deflated).
pub fn zip_of(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        w.start_file(name.as_str(), opts).expect("zip entry");
        w.write_all(bytes).expect("zip write");
    }
    w.finish().expect("zip finish").into_inner()
}

/// The example package as a zip, inside one top folder as "compress this folder" makes.
pub fn example_zip() -> Vec<u8> {
    let files: Vec<_> = example_files()
        .into_iter()
        .map(|(p, b)| (format!("servicenamnd-it-2023/{p}"), b))
        .collect();
    zip_of(&files)
}

/// The example package with its current ledger grown to at least `rows` rows (its
/// vouchers repeated under new numbers), as files; and the number of rows.
pub fn large_example(rows: usize) -> (Vec<(String, Vec<u8>)>, usize) {
    let mut total = 0;
    let files = example_files()
        .into_iter()
        .map(|(p, b)| {
            if p != "huvudbok/huvudbok-2023.se" {
                return (p, b);
            }
            let parsed = delar_sie::parse(&b, &delar_sie::ParseOptions::new(&p));
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
            total = file.vouchers.row_count();
            (p, delar_sie::write(&file, delar_sie::SieType::Type4))
        })
        .collect();
    (files, total)
}
