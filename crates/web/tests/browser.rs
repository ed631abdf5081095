//! The follow-up round in a real browser: Debian's headless Chromium driven through
//! chromedriver (WebDriver). A manager logs in, enters a forecast with a comment and
//! submits; the controller logs in and locks the round; the new figure and the comment
//! are in the report page and in the archived PDF.
//!
//! Needs `chromium` and `chromedriver` on PATH (`.ci/run` installs Debian's chromium and
//! chromium-driver) and `pdftotext` (poppler-utils). With `DELAR_SCREENSHOTS=DIR` the test
//! also saves a screenshot of every page it visits into DIR.

mod common;

use common::{example_zip, large_example, zip_of, Kind, TestApp, COMMITTEE, PASSWORD};
use delar_core::money::format_thousands;
use delar_store::{Role, Table};
use delar_web::Config;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// chromedriver on a free port, killed when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

async fn start_driver() -> Driver {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver (apt-get install chromium chromium-driver)");
    let driver = Driver {
        child,
        url: format!("http://127.0.0.1:{port}"),
    };
    let start = Instant::now();
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "chromedriver did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    driver
}

async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_string(),
        json!({"args": ["--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--window-size=1280,1000"]}),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a WebDriver session with headless Chromium")
}

/// Saves a screenshot when `DELAR_SCREENSHOTS` names a folder.
async fn shot(c: &Client, name: &str) {
    if let Ok(dir) = std::env::var("DELAR_SCREENSHOTS") {
        std::fs::create_dir_all(&dir).expect("screenshot folder");
        let png = c.screenshot().await.expect("screenshot");
        std::fs::write(format!("{dir}/{name}.png"), png).expect("write screenshot");
    }
}

async fn login(c: &Client, base: &str, name: &str) {
    c.delete_all_cookies()
        .await
        .expect("forget the last session");
    c.goto(&format!("{base}/logga-in"))
        .await
        .expect("login page");
    c.find(Locator::Id("name"))
        .await
        .expect("name field")
        .send_keys(name)
        .await
        .expect("type the name");
    c.find(Locator::Id("password"))
        .await
        .expect("password field")
        .send_keys(PASSWORD)
        .await
        .expect("type the password");
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .expect("login button")
        .click()
        .await
        .expect("log in");
    wait_for(c, &format!("{name} is logged in"), |path, _| {
        !path.starts_with("/logga-in")
    })
    .await;
}

/// The page source once `done(url path, source)` holds: a click that submits a form
/// returns before the next page is loaded on a busy machine. Fails after 30 s.
async fn wait_for(c: &Client, what: &str, done: impl Fn(&str, &str) -> bool) -> String {
    let start = Instant::now();
    loop {
        let url = c.current_url().await.expect("url");
        let source = c.source().await.expect("page source");
        if done(url.path(), &source) {
            return source;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "{what}: still at {url}: {source}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Text with the report's typography made plain: minus sign and no-break spaces (the
/// browser's page source writes those as `&nbsp;`).
fn plain(text: &str) -> String {
    text.replace(['\u{a0}', '\u{202f}', '\u{2009}'], " ")
        .replace("&nbsp;", " ")
        .replace('\u{2212}', "-")
}

/// The forecast (tkr, as displayed) of the income statement's row `key`.
fn forecast_tkr(report: &Value, key: &str) -> i64 {
    let table = &report["tables"]["resultatrakning"];
    let col = table["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == "prognos")
        .expect("a forecast column");
    let row = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key)
        .expect("the row");
    row["values"][col].as_i64().expect("a figure")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn manager_forecasts_and_controller_locks_in_a_browser() {
    let Some(app) = TestApp::start(Kind::Sqlite).await else {
        return;
    };
    app.user("admin", Role::Admin, &[], &[]).await;
    app.user("controller", Role::Controller, &[], &[COMMITTEE])
        .await;
    app.user("chef", Role::Manager, &["8510"], &[COMMITTEE])
        .await;
    let admin = app.bearer("admin").await;
    let r = admin
        .post_bytes("/api/import", "application/zip", example_zip())
        .await;
    assert_eq!(r.status(), 201, "import");
    let package = admin.json("/api/packages", 200).await["packages"][0]["id"]
        .as_i64()
        .unwrap();
    let api = app.bearer("controller").await;
    let r = api
        .post_json("/api/rounds", &json!({ "package": package }))
        .await;
    assert_eq!(r.status(), 201);
    let round = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let before: Value = api
        .get(&format!("/api/rounds/{round}/report"))
        .await
        .json()
        .await
        .unwrap();
    let before_tkr = forecast_tkr(&before, "intakter");

    let driver = start_driver().await;
    let c = browser(&driver).await;
    let base = &app.base;

    // The manager: the round, the ansvar's form, a forecast with a comment, submit.
    login(&c, base, "chef").await;
    shot(&c, "01-start-chef").await;
    c.goto(&format!("{base}/rundor/{round}")).await.unwrap();
    shot(&c, "02-runda-chef").await;
    c.find(Locator::Css("a[href*='ansvar?a=8510']"))
        .await
        .expect("the link to ansvar 8510")
        .click()
        .await
        .unwrap();
    wait_for(&c, "the form of ansvar 8510", |path, _| {
        path.ends_with("/ansvar")
    })
    .await;
    shot(&c, "03-ansvar-8510").await;
    // The same form on a tablet held upright.
    c.set_window_size(820, 1180).await.unwrap();
    shot(&c, "03b-ansvar-surfplatta").await;
    c.set_window_size(1280, 1000).await.unwrap();
    let rows = c
        .find_all(Locator::Css("input[type=hidden][name=row]"))
        .await
        .unwrap();
    let mut first_row = None;
    for (i, r) in rows.iter().enumerate() {
        if r.attr("value").await.unwrap().as_deref() == Some("intakter") {
            first_row = Some(i + 1);
        }
    }
    let n = first_row.expect("the row intakter on the form");
    let amount = c
        .find(Locator::Id(&format!("amount-{n}")))
        .await
        .expect("the amount field");
    let shown = amount.prop("value").await.unwrap().unwrap_or_default();
    let old_ore = delar_core::money::parse_ore(&shown).expect("the shown forecast parses");
    // 1 234 567 kr more income (negative in the ledger's sign).
    let new_ore = old_ore - 123_456_700;
    amount.clear().await.unwrap();
    amount
        .send_keys(&delar_web::round::kr(new_ore))
        .await
        .unwrap();
    let comment = "Nya avtal med skolorna ger mer intäkter";
    let field = c.find(Locator::Id(&format!("comment-{n}"))).await.unwrap();
    // The field offers the package's comment; this forecast has its own.
    field.clear().await.unwrap();
    field.send_keys(comment).await.unwrap();
    shot(&c, "04-ansvar-ifylld").await;
    c.find(Locator::Css("button[name=action][value=skicka]"))
        .await
        .expect("the submit button")
        .click()
        .await
        .unwrap();
    wait_for(&c, "submitted", |_, page| page.contains("inskickade")).await;
    shot(&c, "05-inskickad").await;

    // The controller: the round's overview, lock.
    login(&c, base, "controller").await;
    c.goto(&format!("{base}/rundor/{round}")).await.unwrap();
    shot(&c, "06-runda-controller").await;
    c.find(Locator::Css("form[action$='/las'] button"))
        .await
        .expect("the lock button")
        .click()
        .await
        .unwrap();
    wait_for(&c, "locked", |_, page| {
        page.contains("är låst och rapporten arkiverad")
    })
    .await;
    shot(&c, "07-last").await;

    // The report page and the archived PDF have the new figure and the comment.
    let after: Value = api
        .get(&format!("/api/rounds/{round}/report"))
        .await
        .json()
        .await
        .unwrap();
    let after_tkr = forecast_tkr(&after, "intakter");
    assert_ne!(after_tkr, before_tkr, "the forecast changed the report");
    assert!(
        (after_tkr - before_tkr + 1235).abs() <= 1,
        "about 1 235 tkr more income: {before_tkr} → {after_tkr}"
    );
    c.goto(&format!("{base}/rundor/{round}/rapport"))
        .await
        .unwrap();
    shot(&c, "08-rapport").await;
    let report = plain(&c.source().await.unwrap());
    assert!(report.contains(comment), "the comment in the report page");
    assert!(
        report.contains(&format!(">{}<", format_thousands(after_tkr))),
        "{} in the report page",
        format_thousands(after_tkr)
    );
    let pdf = app
        .bearer("chef")
        .await
        .get(&format!("/api/rounds/{round}/files/report.pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    let archived = app.store.archive_file(round, "report.pdf").await.unwrap();
    assert_eq!(archived.as_deref(), Some(&pdf[..]), "the archived PDF");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.pdf"), &pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg(dir.path().join("r.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    let text = plain(&String::from_utf8_lossy(&out.stdout));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains(comment), "the comment in the archived PDF");
    assert!(
        flat.contains(&format_thousands(after_tkr)),
        "{} in the archived PDF",
        format_thousands(after_tkr)
    );
    // The other pages of the round, as the controller sees them after the lock.
    for (path, name, expect) in [
        (
            format!("/rundor/{round}/utfall?rad=intakter&ansvar=8510"),
            "09-utfall",
            "Summa",
        ),
        (
            format!("/rundor/{round}/historik?rad=intakter&a=8510"),
            "10-historik",
            "prognos lämnad",
        ),
        (
            format!("/rundor/{round}/prognossakerhet"),
            "11-prognossakerhet",
            "Vägd avvikelse",
        ),
        (
            "/prognossakerhet".to_string(),
            "12-prognossakerhet-alla",
            "Vägd avvikelse",
        ),
        ("/rundor".to_string(), "13-rundor", "Uppföljningsrundor"),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        shot(&c, name).await;
        let page = c.source().await.unwrap();
        assert!(page.contains(expect), "{path}: {page}");
    }
    // The admin's pages.
    login(&c, base, "admin").await;
    for (path, name, expect) in [
        ("/", "14-start-admin", "delar"),
        ("/paket", "15-paket", "Servicenämnd IT"),
        ("/import", "16-import", "zip"),
        ("/logg", "17-logg", "round.lock"),
        ("/admin/anvandare", "18-anvandare", "controller"),
    ] {
        c.goto(&format!("{base}{path}")).await.unwrap();
        shot(&c, name).await;
        let page = c.source().await.unwrap();
        assert!(page.contains(expect), "{path}: {page}");
    }
    c.delete_all_cookies().await.unwrap();
    c.goto(&format!("{base}/logga-in")).await.unwrap();
    shot(&c, "19-logga-in").await;
    c.close().await.unwrap();
}

/// An upload in the browser that outlasts `import_wait` lands on its progress page, which
/// refreshes itself (no script) through the rows written to the outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_upload_shows_its_progress_in_a_browser() {
    let config = Config {
        import_wait: Duration::ZERO,
        ..Config::default()
    };
    let Some(app) = TestApp::start_with(Kind::Sqlite, config).await else {
        return;
    };
    app.user("admin", Role::Admin, &[], &[]).await;
    let (files, rows) = large_example(150_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let zip = dir.path().join("paket.zip");
    std::fs::write(&zip, zip_of(&files)).expect("write the zip");

    let driver = start_driver().await;
    let c = browser(&driver).await;
    let base = &app.base;
    login(&c, base, "admin").await;
    c.goto(&format!("{base}/import")).await.unwrap();
    c.find(Locator::Id("package"))
        .await
        .expect("file field")
        .send_keys(zip.to_str().expect("a UTF-8 path"))
        .await
        .expect("choose the zip");
    c.find(Locator::Css("main form button[type=submit]"))
        .await
        .expect("import button")
        .click()
        .await
        .expect("upload");
    let page = wait_for(&c, "the progress page", |path, _| {
        path.starts_with("/import/")
    })
    .await;
    assert!(page.contains("Importen pågår"), "{page}");
    shot(&c, "20-import-pagar").await;
    // The page reloads itself each second until the import is done.
    let start = Instant::now();
    let mut seen_rows = false;
    let done = loop {
        let page = c.source().await.expect("page source");
        if page.contains("Importerat") {
            break page;
        }
        if !seen_rows && page.contains(" rader skrivna") {
            seen_rows = true;
            shot(&c, "21-import-rader").await;
        }
        if page.contains("huvudbok-2022.se</code>: ") {
            // The prior year's ledger is written after the large current one.
            let grouped = format_thousands(rows as i64);
            assert!(
                page.contains(&format!(
                    "Redan skrivna: <code>huvudbok/huvudbok-2023.se</code> ({grouped} rader)"
                )),
                "{page}"
            );
        }
        assert!(
            start.elapsed() < Duration::from_secs(300),
            "the import never finished: {page}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    shot(&c, "22-import-klar").await;
    let grouped = format_thousands(rows as i64);
    assert!(done.contains(&grouped), "{grouped}: {done}");
    assert!(app.store.count(Table::LedgerRows).await.unwrap() >= rows as i64);
    c.close().await.unwrap();
}
