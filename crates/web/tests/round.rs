//! The follow-up round over HTTP, on SQLite and on PostgreSQL: opening a round, a
//! manager's forecasts and submission, review, conflicts on concurrent edits, lock with
//! the archived report, the decision, the ledger rows behind a figure, the history of a
//! cell and every role against every round action.

mod common;

use common::{example_zip, Client, Kind, TestApp, COMMITTEE};
use delar_store::Role;
use reqwest::Method;
use serde_json::{json, Value};

/// Imports the example package (as admin) and makes the round's people: controller,
/// managers of ansvar 8510 (`chef`) and 8520 (`chef2`), a reader, an admin and a
/// controller of another committee (`annan`). Returns the package id.
async fn setup(app: &TestApp) -> i64 {
    app.user("admin", Role::Admin, &[], &[]).await;
    app.user("controller", Role::Controller, &[], &[COMMITTEE])
        .await;
    app.user("chef", Role::Manager, &["8510"], &[COMMITTEE])
        .await;
    app.user("chef2", Role::Manager, &["8520"], &[COMMITTEE])
        .await;
    app.user("reader", Role::Reader, &[], &[COMMITTEE]).await;
    app.user("annan", Role::Controller, &[], &["Annan nämnd"])
        .await;
    let admin = app.bearer("admin").await;
    let r = admin
        .post_bytes("/api/import", "application/zip", example_zip())
        .await;
    assert_eq!(r.status(), 201, "import");
    let list = admin.json("/api/packages", 200).await;
    list["packages"][0]["id"].as_i64().expect("package id")
}

/// Opens a round by the form as the controller; its id.
async fn open_round(app: &TestApp, package: i64) -> i64 {
    let controller = app.login("controller").await;
    let r = controller
        .post_form(
            "/rundor",
            &[("package", &package.to_string()), ("name", "")],
        )
        .await;
    assert_eq!(r.status(), 303, "open round");
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let page = controller.follow(r).await;
    assert!(page.contains("är öppnad"), "{page}");
    to.trim_start_matches("/rundor/").parse().expect("round id")
}

/// The cells of an ansvar from the API.
async fn cells(c: &Client, round: i64, ansvar: &str) -> Vec<Value> {
    let v = c
        .json(
            &format!("/api/rounds/{round}/forecasts?ansvar={ansvar}"),
            200,
        )
        .await;
    v["cells"].as_array().expect("cells").clone()
}

/// The form fields that save every cell of `cells` with `amount(cell)` and `comment`.
fn form_fields(
    cells: &[Value],
    amount: impl Fn(&Value) -> String,
    comment: impl Fn(&Value) -> String,
    action: &str,
) -> Vec<(String, String)> {
    let mut f = Vec::new();
    for c in cells {
        f.push(("row".to_string(), c["row"].as_str().unwrap().to_string()));
        f.push(("amount".to_string(), amount(c)));
        f.push(("comment".to_string(), comment(c)));
        if let Some(v) = c["forecast"]["version"].as_i64() {
            f.push(("version".to_string(), v.to_string()));
        }
    }
    f.push(("action".to_string(), action.to_string()));
    f
}

fn as_refs(f: &[(String, String)]) -> Vec<(&str, &str)> {
    f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Kronor as the form takes them, from öre.
fn kronor(ore: i64) -> String {
    format!("{},{:02}", ore / 100, (ore % 100).abs())
}

async fn round_flow(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    let package = setup(&app).await;
    let round = open_round(&app, package).await;
    let chef = app.login("chef").await;
    let controller = app.login("controller").await;
    // The package's period has its round now: no second one is offered.
    let list = controller.page("/rundor", 200).await;
    assert!(!list.contains("Öppna en ny runda"), "{list}");
    let page = chef.page(&format!("/rundor/{round}"), 200).await;
    assert!(page.contains("8510"), "{page}");

    // The manager's form: every row of 8510 with outcome, budget and proposals.
    let page = chef
        .page(&format!("/rundor/{round}/ansvar?a=8510"), 200)
        .await;
    assert!(page.contains("Helårsprognos") || page.contains("prognos"));
    let mine = cells(&chef, round, "8510").await;
    assert!(!mine.is_empty());
    // A deviation from budget without a comment cannot be submitted.
    let deviating = mine[0]["row"].as_str().unwrap().to_string();
    let budget = |c: &Value| c["budget_ore"].as_i64().unwrap();
    let amount = |c: &Value| {
        if c["row"] == deviating.as_str() {
            kronor(budget(c) + 12_345_600)
        } else {
            kronor(budget(c))
        }
    };
    let fields = form_fields(&mine, amount, |_| String::new(), "skicka");
    let r = chef
        .post_form(&format!("/rundor/{round}/ansvar?a=8510"), &as_refs(&fields))
        .await;
    assert_eq!(r.status(), 422, "deviation without comment");
    let page = r.text().await.unwrap();
    assert!(page.contains("skickades inte in"), "{page}");
    // Saved as draft though.
    let mine = cells(&chef, round, "8510").await;
    assert!(mine.iter().all(|c| c["forecast"]["status"] == "draft"));
    // With a comment (one that tries markup): submitted.
    let comment = "Fler licenser <script>alert(1)</script> än budgeterat";
    let fields = form_fields(
        &mine,
        amount,
        |c| {
            if c["row"] == deviating.as_str() {
                comment.to_string()
            } else {
                String::new()
            }
        },
        "skicka",
    );
    let r = chef
        .post_form(&format!("/rundor/{round}/ansvar?a=8510"), &as_refs(&fields))
        .await;
    let page = chef.follow(r).await;
    assert!(page.contains("inskickade"), "{page}");
    assert!(!page.contains("<script>alert(1)</script>"));
    assert!(page.contains("&lt;script&gt;"), "the comment shows as text");
    let mine = cells(&chef, round, "8510").await;
    assert!(mine.iter().all(|c| c["forecast"]["status"] == "submitted"));
    // Submitted forecasts are not editable by the manager.
    let fields = form_fields(&mine, amount, |_| "x".into(), "spara");
    let r = chef
        .post_form(&format!("/rundor/{round}/ansvar?a=8510"), &as_refs(&fields))
        .await;
    assert_eq!(r.status(), 422);

    // The controller sees 8510 submitted, returns it with a comment.
    let page = controller.page(&format!("/rundor/{round}"), 200).await;
    assert!(page.contains("inskickad"), "{page}");
    let r = controller
        .post_form(
            &format!("/rundor/{round}/granska?a=8510"),
            &[("action", "aterlamna"), ("comment", "")],
        )
        .await;
    assert_eq!(r.status(), 422, "return needs a comment");
    let r = controller
        .post_form(
            &format!("/rundor/{round}/granska?a=8510"),
            &[
                ("action", "aterlamna"),
                ("comment", "Förklara licenserna mer"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let page = chef
        .page(&format!("/rundor/{round}/ansvar?a=8510"), 200)
        .await;
    assert!(page.contains("Förklara licenserna mer"), "{page}");
    assert!(page.contains("återlämnad"));
    // The manager changes the figure and submits again.
    let mine = cells(&chef, round, "8510").await;
    let forecast_ore = budget(&mine[0]) + 23_456_700;
    let fields = form_fields(
        &mine,
        |c| {
            if c["row"] == deviating.as_str() {
                kronor(forecast_ore)
            } else {
                kronor(budget(c))
            }
        },
        |c| {
            if c["row"] == deviating.as_str() {
                comment.to_string()
            } else {
                String::new()
            }
        },
        "skicka",
    );
    let r = chef
        .post_form(&format!("/rundor/{round}/ansvar?a=8510"), &as_refs(&fields))
        .await;
    assert_eq!(r.status(), 303);
    let r = controller
        .post_form(
            &format!("/rundor/{round}/granska?a=8510"),
            &[("action", "godkann"), ("comment", "")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let mine = cells(&chef, round, "8510").await;
    assert!(mine.iter().all(|c| c["forecast"]["status"] == "accepted"));

    // The history of the cell: every change with who and the values.
    let history = chef
        .page(
            &format!("/rundor/{round}/historik?rad={deviating}&a=8510"),
            200,
        )
        .await;
    assert!(
        history.contains("chef") && history.contains("controller"),
        "{history}"
    );

    // The live report carries the forecast and the comment (as text).
    let report = chef.page(&format!("/rundor/{round}/rapport"), 200).await;
    assert!(report.contains("Fler licenser"), "comment in the report");
    assert!(!report.contains("<script>alert(1)</script>"));
    let json_report = chef.get(&format!("/api/rounds/{round}/report")).await;
    assert_eq!(json_report.status(), 200);
    let live_pdf = chef.get(&format!("/rundor/{round}/filer/report.pdf")).await;
    assert_eq!(live_pdf.status(), 200);
    assert_eq!(live_pdf.headers()["content-type"], "application/pdf");

    // Lock: a stale version is refused, the current one locks and archives.
    let info = controller.json(&format!("/api/rounds/{round}"), 200).await;
    let version = info["version"].as_i64().unwrap();
    let r = controller
        .post_form(
            &format!("/rundor/{round}/las"),
            &[("version", &(version - 1).to_string())],
        )
        .await;
    assert_eq!(r.status(), 409, "stale lock");
    let r = controller
        .post_form(
            &format!("/rundor/{round}/las"),
            &[("version", &version.to_string())],
        )
        .await;
    assert_eq!(r.status(), 303, "lock");
    let page = controller.follow(r).await;
    assert!(page.contains("låst"), "{page}");
    // Read-only now: the manager's save is refused.
    let fields = form_fields(&mine, |c| kronor(budget(c)), |_| "sent".into(), "spara");
    let r = chef
        .post_form(&format!("/rundor/{round}/ansvar?a=8510"), &as_refs(&fields))
        .await;
    assert_eq!(r.status(), 409, "locked round refuses a save");
    // The archive: every document, downloaded twice byte-identical, with its SHA-256.
    let archived = app.store.archives(round).await.unwrap();
    assert!(archived.iter().any(|a| a.format == "report.pdf"));
    for a in &archived {
        let first = chef
            .get(&format!("/rundor/{round}/filer/{}", a.format))
            .await
            .bytes()
            .await
            .unwrap();
        let second = app
            .bearer("reader")
            .await
            .get(&format!("/api/rounds/{round}/files/{}", a.format))
            .await
            .bytes()
            .await
            .unwrap();
        assert_eq!(first, second, "{}", a.format);
        use sha2::Digest;
        assert_eq!(
            format!("{:x}", sha2::Sha256::digest(&first)),
            a.sha256,
            "{}",
            a.format
        );
    }
    // The archived PDF holds the forecast and the comment.
    let pdf = chef
        .get(&format!("/rundor/{round}/filer/report.pdf"))
        .await
        .bytes()
        .await
        .unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains("Fler licenser"),
        "comment in the archived PDF"
    );
    // The decision: wrong version refused, then recorded.
    let locked = controller.json(&format!("/api/rounds/{round}"), 200).await;
    let version = locked["version"].as_i64().unwrap();
    let r = controller
        .post_form(
            &format!("/rundor/{round}/beslut"),
            &[
                ("version", &version.to_string()),
                ("date", "2023-09-28"),
                ("paragraph", "§ 42"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let done = controller.json(&format!("/api/rounds/{round}"), 200).await;
    assert_eq!(done["status"], "approved");
    assert_eq!(done["decision_paragraph"], "§ 42");
    // Forecast accuracy: the round's forecasts against the outcome (the package runs
    // through August, so the comparison says the year is not closed).
    let acc = chef
        .json(&format!("/api/rounds/{round}/accuracy"), 200)
        .await;
    assert_eq!(acc["final"], false);
    let compared = acc["cells"].as_array().unwrap();
    assert_eq!(compared.len(), mine.len(), "every forecast of the round");
    for c in compared {
        assert_eq!(
            c["deviation_ore"].as_i64().unwrap(),
            c["forecast_ore"].as_i64().unwrap() - c["outcome_ore"].as_i64().unwrap()
        );
    }
    let dev = compared
        .iter()
        .find(|c| c["row"] == deviating.as_str())
        .unwrap();
    assert_eq!(dev["forecast_ore"], forecast_ore);
    let page = chef
        .page(&format!("/rundor/{round}/prognossakerhet"), 200)
        .await;
    assert!(
        page.contains("Året är inte avslutat") && page.contains("<svg"),
        "{page}"
    );
    let page = chef.page("/prognossakerhet", 200).await;
    assert!(page.contains(&format!("/rundor/{round}/prognossakerhet")));
    assert_eq!(
        app.bearer("annan")
            .await
            .get(&format!("/api/rounds/{round}/accuracy"))
            .await
            .status(),
        403
    );
    // The audit trail of the round has every kind of change.
    let audit = controller
        .json(&format!("/api/rounds/{round}/audit"), 200)
        .await;
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert!(actions.len() >= 6, "{actions:?}");
}

/// The text of a PDF, by the `pdftotext` tool when it is installed (CI installs
/// poppler-utils); without it, the raw bytes (Typst compresses text, so the checks then
/// fail loudly rather than pass by accident).
fn pdf_text(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (apt-get install poppler-utils)");
    assert!(out.status.success(), "pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn concurrent_edit_conflict(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    let package = setup(&app).await;
    let round = open_round(&app, package).await;
    // The manager and the controller both start from the same (new) cell.
    let chef = app.bearer("chef").await;
    let controller = app.login("controller").await;
    let cell = cells(&chef, round, "8510").await[0].clone();
    let row = cell["row"].as_str().unwrap().to_string();
    let put = |amount: i64, version: Option<i64>| {
        json!({"forecasts": [{"row": row, "ansvar": "8510", "amount_ore": amount,
            "comment": "", "version": version}]})
    };
    let r = chef
        .send_json(
            Method::PUT,
            &format!("/api/rounds/{round}/forecasts"),
            &put(10_000, None),
        )
        .await;
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.unwrap();
    let v1 = saved["saved"][0]["version"].as_i64().unwrap();
    // The controller, who also saw "no forecast", saves: conflict with the chef's value.
    let r = controller
        .send_json(
            Method::PUT,
            &format!("/api/rounds/{round}/forecasts"),
            &put(20_000, None),
        )
        .await;
    assert_eq!(r.status(), 409);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["conflicts"][0]["theirs"]["amount_ore"], 10_000);
    assert_eq!(body["conflicts"][0]["theirs"]["updated_by"], "chef");
    // Both from v1: the first wins, the second conflicts.
    let r = chef
        .send_json(
            Method::PUT,
            &format!("/api/rounds/{round}/forecasts"),
            &put(30_000, Some(v1)),
        )
        .await;
    assert_eq!(r.status(), 200);
    // The page form from v1: 409, the other's value shown, mine kept in the field.
    let fields = vec![
        ("row", row.as_str()),
        ("amount", "400"),
        ("comment", ""),
        ("version", &*v1.to_string()),
        ("action", "spara"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect::<Vec<_>>();
    let r = controller
        .post_form(&format!("/rundor/{round}/ansvar?a=8510"), &as_refs(&fields))
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert!(page.contains("300,00"), "the other's value: {page}");
    assert!(page.contains("medan du skrev"));
    let now = cells(&chef, round, "8510").await;
    assert_eq!(now[0]["forecast"]["amount_ore"], 30_000, "no lost update");
    // Many writers at once on one cell from the same version: exactly one wins.
    let v2 = now[0]["forecast"]["version"].as_i64().unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let c = app
            .bearer(if i % 2 == 0 { "chef" } else { "controller" })
            .await;
        let body = put(100_000 + i, Some(v2));
        let path = format!("/api/rounds/{round}/forecasts");
        tasks.push(tokio::spawn(async move {
            c.send_json(Method::PUT, &path, &body)
                .await
                .status()
                .as_u16()
        }));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, vec![200, 409, 409, 409, 409, 409, 409, 409]);
}

async fn ledger_rows_sum_to_the_figure(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    let package = setup(&app).await;
    let round = open_round(&app, package).await;
    let reader = app.bearer("reader").await;
    // An open round has no accuracy yet.
    assert_eq!(
        reader
            .get(&format!("/api/rounds/{round}/accuracy"))
            .await
            .status(),
        409
    );
    let mut checked = 0;
    for c in cells(&reader, round, "8510").await {
        let row = c["row"].as_str().unwrap();
        let d = reader
            .json(
                &format!("/api/rounds/{round}/ledger?rad={row}&ansvar=8510"),
                200,
            )
            .await;
        let lines = d["lines"].as_array().unwrap();
        let sum: i64 = lines
            .iter()
            .map(|l| l["amount_ore"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, d["total_ore"].as_i64().unwrap());
        assert_eq!(sum, c["outcome_ore"].as_i64().unwrap(), "row {row}");
        checked += lines.len();
    }
    assert!(checked > 0, "some ledger rows behind the figures");
    // The report page links its outcome figures to those rows; the page shows them.
    let browser = app.login("reader").await;
    let report = browser.page(&format!("/rundor/{round}/rapport"), 200).await;
    let href = report
        .split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .find(|h| h.contains("/utfall?"))
        .expect("an outcome link in the report")
        .replace("&amp;", "&");
    let page = browser.page(&href, 200).await;
    assert!(
        page.contains("Verifikation") || page.contains("verifikation"),
        "{page}"
    );
    // An unknown row is a clear 404.
    let r = reader
        .get(&format!("/api/rounds/{round}/ledger?rad=finns-inte"))
        .await;
    assert_eq!(r.status(), 404);
}

/// Every role against every round action: allowed, or 403.
async fn every_role_against_round_actions(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    let package = setup(&app).await;
    // Opening: only the committee's controller.
    for (who, status) in [
        ("admin", 403),
        ("chef", 403),
        ("reader", 403),
        ("annan", 403),
        ("controller", 201),
    ] {
        let r = app
            .bearer(who)
            .await
            .post_json("/api/rounds", &json!({"package": package}))
            .await;
        assert_eq!(r.status(), status, "{who} opens a round");
    }
    let rounds = app
        .bearer("controller")
        .await
        .json("/api/rounds", 200)
        .await;
    let round = rounds["rounds"][0]["id"].as_i64().unwrap();
    // Reading: the committee's people and admin; not another committee's controller.
    for (who, status) in [
        ("admin", 200),
        ("controller", 200),
        ("chef", 200),
        ("reader", 200),
        ("annan", 403),
    ] {
        let c = app.login(who).await;
        for path in [
            format!("/rundor/{round}"),
            format!("/rundor/{round}/ansvar?a=8510"),
            format!("/rundor/{round}/rapport"),
            format!("/rundor/{round}/filer/report.md"),
        ] {
            assert_eq!(c.get(&path).await.status(), status, "{who} GET {path}");
        }
        let api = app.bearer(who).await;
        for path in [
            format!("/api/rounds/{round}"),
            format!("/api/rounds/{round}/forecasts"),
            format!("/api/rounds/{round}/report"),
        ] {
            assert_eq!(api.get(&path).await.status(), status, "{who} GET {path}");
        }
    }
    let list = app.bearer("annan").await.json("/api/rounds", 200).await;
    assert_eq!(list["rounds"].as_array().unwrap().len(), 0);
    // Editing a forecast of 8510: its manager and the controller.
    let cell = cells(&app.bearer("chef").await, round, "8510").await[0].clone();
    let row = cell["row"].as_str().unwrap();
    for (who, status) in [
        ("admin", 403),
        ("chef2", 403),
        ("reader", 403),
        ("annan", 403),
        ("chef", 200),
    ] {
        let c = app.login(who).await;
        let r = c
            .post_form(
                &format!("/rundor/{round}/ansvar?a=8510"),
                &[
                    ("row", row),
                    ("amount", "1"),
                    ("comment", ""),
                    ("action", "spara"),
                ],
            )
            .await;
        let expected = if status == 200 { 303 } else { 403 };
        assert_eq!(r.status(), expected, "{who} saves a forecast (form)");
    }
    let v = cells(&app.bearer("chef").await, round, "8510").await[0]["forecast"]["version"]
        .as_i64()
        .unwrap();
    for (who, status) in [("chef2", 403), ("reader", 403), ("controller", 200)] {
        let r = app
            .bearer(who)
            .await
            .send_json(
                Method::PUT,
                &format!("/api/rounds/{round}/forecasts"),
                &json!({"forecasts": [{"row": row, "ansvar": "8510", "amount_ore": 2, "version": v}]}),
            )
            .await;
        assert_eq!(r.status(), status, "{who} saves a forecast (API)");
    }
    // Comments: the ansvar's manager and the controller; not another manager or a reader.
    for (who, status) in [
        ("chef2", 403),
        ("reader", 403),
        ("admin", 403),
        ("chef", 201),
        ("controller", 201),
    ] {
        let r = app
            .bearer(who)
            .await
            .post_json(
                &format!("/api/rounds/{round}/comments"),
                &json!({"ansvar": "8510", "row": row, "body": format!("från {who}")}),
            )
            .await;
        assert_eq!(r.status(), status, "{who} comments");
    }
    // Review: the controller only.
    for who in ["admin", "chef", "chef2", "reader", "annan"] {
        let r = app
            .bearer(who)
            .await
            .post_json(
                &format!("/api/rounds/{round}/status"),
                &json!({"ansvar": "8510", "action": "return", "comment": "nej"}),
            )
            .await;
        assert_eq!(r.status(), 403, "{who} returns");
    }
    // Lock and decision: the controller only.
    let version = app
        .bearer("controller")
        .await
        .json(&format!("/api/rounds/{round}"), 200)
        .await["version"]
        .as_i64()
        .unwrap();
    for who in ["admin", "chef", "reader", "annan"] {
        let c = app.login(who).await;
        let r = c
            .post_form(
                &format!("/rundor/{round}/las"),
                &[("version", &version.to_string())],
            )
            .await;
        assert_eq!(r.status(), 403, "{who} locks");
        let r = app
            .bearer(who)
            .await
            .post_json(
                &format!("/api/rounds/{round}/lock"),
                &json!({ "version": version }),
            )
            .await;
        assert_eq!(r.status(), 403, "{who} locks (API)");
    }
    let r = app
        .bearer("controller")
        .await
        .post_json(
            &format!("/api/rounds/{round}/lock"),
            &json!({ "version": version }),
        )
        .await;
    assert_eq!(r.status(), 200, "controller locks");
    let locked: Value = r.json().await.unwrap();
    let version = locked["version"].as_i64().unwrap();
    for who in ["admin", "chef", "reader", "annan"] {
        let r = app
            .bearer(who)
            .await
            .post_json(
                &format!("/api/rounds/{round}/decision"),
                &json!({"version": version, "date": "2023-09-28", "paragraph": "§ 1"}),
            )
            .await;
        assert_eq!(r.status(), 403, "{who} records the decision");
    }
    // Anonymous: 401 on the API, the login page for pages.
    let anon = app.anonymous();
    assert_eq!(anon.get("/api/rounds").await.status(), 401);
    assert_eq!(
        anon.get(&format!("/api/rounds/{round}/report"))
            .await
            .status(),
        401
    );
    let r = anon.get(&format!("/rundor/{round}")).await;
    assert_eq!(r.status(), 303);
}

#[allow(unused)]
fn unused(_: Client) {}

macro_rules! on_both_databases {
    ($($test:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $test() { super::$test(super::Kind::Sqlite).await })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $test() { super::$test(super::Kind::Postgres).await })*
        }
    };
}

on_both_databases!(
    round_flow,
    concurrent_edit_conflict,
    ledger_rows_sum_to_the_figure,
    every_role_against_round_actions,
);
