//! The web application over HTTP, on SQLite and on PostgreSQL: access by role, CSRF,
//! sessions and throttling, security headers, escaping, uploads and the API.

mod common;

use common::{
    csrf_in, example_files, example_zip, large_example, zip_of, Client, Kind, TestApp, COMMITTEE,
    PASSWORD,
};
use delar_store::{Role, Table};
use delar_web::Config;

/// The security headers every response carries.
fn assert_security_headers(r: &reqwest::Response, what: &str) {
    let h = r.headers();
    let csp = h
        .get("content-security-policy")
        .unwrap_or_else(|| panic!("CSP on {what}"))
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("script-src 'self'"), "{what}: {csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
    assert!(csp.contains("form-action 'self'"), "{what}: {csp}");
    assert!(csp.contains("base-uri 'none'"), "{what}: {csp}");
    assert!(csp.contains("'sha256-"), "{what}: {csp}");
    assert!(!csp.contains("unsafe-inline"), "{what}: {csp}");
    assert_eq!(h["x-content-type-options"], "nosniff", "{what}");
    assert_eq!(h["referrer-policy"], "same-origin", "{what}");
    assert_eq!(h["x-frame-options"], "DENY", "{what}");
}

async fn anonymous_is_refused(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    let c = app.anonymous();
    for path in ["/api/me", "/api/packages", "/api/audit", "/api/users"] {
        let r = c.get(path).await;
        assert_eq!(r.status(), 401, "{path}");
        assert_security_headers(&r, path);
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(
            body["error"].as_str().unwrap().contains("inte inloggad"),
            "{path}"
        );
    }
    let r = c
        .post_bytes("/api/import", "application/zip", example_zip())
        .await;
    assert_eq!(r.status(), 401);
    for path in [
        "/",
        "/paket",
        "/import",
        "/logg",
        "/logg.csv",
        "/admin/anvandare",
    ] {
        let r = c.get(path).await;
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(r.headers()["location"], "/logga-in", "{path}");
        assert_security_headers(&r, path);
    }
    // An unknown token is no login either.
    let mut bad = app.anonymous();
    bad.bearer = Some("delar_0000".into());
    assert_eq!(bad.get("/api/me").await.status(), 401);
    // Public: the login page, the style sheet and the API document.
    for path in ["/logga-in", "/static/delar.css", "/api/openapi.json"] {
        let r = c.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_security_headers(&r, path);
    }
    let r = c.get("/finns-inte").await;
    assert_eq!(r.status(), 404);
    assert_security_headers(&r, "404 page");
    assert!(r.text().await.unwrap().contains("Sidan finns inte"));
    let r = c.get("/api/finns-inte").await;
    assert_eq!(r.status(), 404);
    assert!(r.json::<serde_json::Value>().await.unwrap()["error"].is_string());
}

/// What each role gets for each request: [admin, controller, manager, reader].
async fn every_role_against_every_action(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let target = app.user("target", Role::Reader, &[], &[]).await;
    let roles = ["admin", "controller", "manager", "reader"];
    let gets: [(&str, [u16; 4]); 8] = [
        ("/", [200, 200, 200, 200]),
        ("/paket", [200, 200, 200, 200]),
        ("/import", [200, 200, 403, 403]),
        ("/logg", [200, 200, 403, 200]),
        ("/logg.csv", [200, 200, 403, 200]),
        ("/admin/anvandare", [200, 403, 403, 403]),
        ("/api/users", [200, 403, 403, 403]),
        ("/api/audit", [200, 200, 403, 200]),
    ];
    for (i, role) in roles.iter().enumerate() {
        let browser = app.login(role).await;
        let api = app.bearer(role).await;
        for (path, expected) in &gets {
            let by_cookie = browser.get(path).await;
            assert_eq!(
                by_cookie.status(),
                expected[i],
                "{role} GET {path} (cookie)"
            );
            let by_token = api.get(path).await;
            assert_eq!(by_token.status(), expected[i], "{role} GET {path} (token)");
        }
        let me: serde_json::Value = api.get("/api/me").await.json().await.unwrap();
        assert_eq!(me["role"], *role);
        let page = browser
            .page(
                &format!("/admin/anvandare/{}", target.id),
                [200, 403, 403, 403][i],
            )
            .await;
        if i != 0 {
            assert!(page.contains("får inte hantera användare"), "{page}");
        }
        // Changes: adding a user, changing a role, by form and by API.
        let name = format!("ny-{role}");
        let r = browser
            .post_form(
                "/admin/anvandare",
                &[("name", &name), ("role", "reader"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            r.status(),
            [303, 403, 403, 403][i],
            "{role} POST /admin/anvandare"
        );
        let r = browser
            .post_form(
                &format!("/admin/anvandare/{}", target.id),
                &[("op", "add_ansvar"), ("value", &format!("a-{role}"))],
            )
            .await;
        assert_eq!(r.status(), [303, 403, 403, 403][i], "{role} change");
        let body = serde_json::json!({"name": format!("api-{role}"), "role": "reader", "password": PASSWORD});
        let r = api.post_json("/api/users", &body).await;
        assert_eq!(
            r.status(),
            [201, 403, 403, 403][i],
            "{role} POST /api/users (token)"
        );
        let body = serde_json::json!({"name": format!("api2-{role}"), "role": "reader", "password": PASSWORD});
        let r = browser.post_json("/api/users", &body).await;
        assert_eq!(
            r.status(),
            [201, 403, 403, 403][i],
            "{role} POST /api/users (cookie)"
        );
        // Import: admin and controller (of the package's committee) only.
        let r = api
            .post_bytes("/api/import", "application/zip", example_zip())
            .await;
        let status = r.status().as_u16();
        match *role {
            "admin" => assert_eq!(status, 201, "admin import"),
            "controller" => assert_eq!(status, 200, "controller import (unchanged)"),
            _ => assert_eq!(status, 403, "{role} import"),
        }
    }
    let target = app.store.user_by_id(target.id).await.unwrap().unwrap();
    assert_eq!(target.ansvar, vec!["a-admin".to_string()]);
    for role in roles {
        let made = app
            .store
            .user(&format!("ny-{role}"))
            .await
            .unwrap()
            .is_some();
        assert_eq!(made, role == "admin", "{role}");
    }
    // The package list shows the package to those assigned its committee (and admin).
    for role in roles {
        let api = app.bearer(role).await;
        let list: serde_json::Value = api.get("/api/packages").await.json().await.unwrap();
        assert_eq!(list["packages"].as_array().unwrap().len(), 1, "{role}");
    }
    app.user("elsewhere", Role::Reader, &[], &["Annan nämnd"])
        .await;
    let list: serde_json::Value = app
        .bearer("elsewhere")
        .await
        .get("/api/packages")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["packages"].as_array().unwrap().len(), 0);
}

async fn controller_imports_only_own_committee(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.user("other", Role::Controller, &[], &["Annan nämnd"])
        .await;
    let other = app.login("other").await;
    // The committee is not in the database yet: only an admin may create it by import.
    let before = app.counts().await;
    let r = other.upload(example_zip()).await;
    assert_eq!(r.status(), 403);
    assert_eq!(app.counts().await, before);
    app.user("own", Role::Controller, &[], &[COMMITTEE]).await;
    let own = app.login("own").await;
    let r = own.upload(example_zip()).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Importerat"));
    let r = other.upload(example_zip()).await;
    assert_eq!(r.status(), 403);
}

async fn csrf_is_required(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let users = app.store.count(Table::Users).await.unwrap();
    let fields = [("name", "x1"), ("role", "reader"), ("password", PASSWORD)];
    // Missing token.
    let r = admin.post_form_raw("/admin/anvandare", &fields).await;
    assert_eq!(r.status(), 403);
    assert_security_headers(&r, "CSRF refusal");
    let text = r.text().await.unwrap();
    assert!(text.contains("säkerhetstoken"), "{text}");
    // Wrong token.
    let mut wrong = vec![("csrf", "0".repeat(64))];
    wrong.extend(fields.iter().map(|(k, v)| (*k, v.to_string())));
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(
        admin
            .post_form_raw("/admin/anvandare", &wrong)
            .await
            .status(),
        403
    );
    // Another session's token.
    let other = app.login("admin").await;
    let other_token = other.csrf().await;
    let mut foreign = vec![("csrf", other_token.as_str())];
    foreign.extend_from_slice(&fields);
    assert_eq!(
        admin
            .post_form_raw("/admin/anvandare", &foreign)
            .await
            .status(),
        403
    );
    assert_eq!(app.store.count(Table::Users).await.unwrap(), users);
    // JSON by cookie without the header, and with a wrong one.
    let body = serde_json::json!({"name": "x2", "role": "reader", "password": PASSWORD});
    let r = admin
        .http
        .post(format!("{}/api/users", admin.base))
        .header("cookie", admin.cookie.clone().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.json::<serde_json::Value>().await.unwrap()["error"].is_string());
    let r = admin
        .http
        .post(format!("{}/api/users", admin.base))
        .header("cookie", admin.cookie.clone().unwrap())
        .header("x-csrf-token", "nej")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    // Upload with a wrong token: refused before anything is read into the store.
    let before = app.counts().await;
    let r = admin
        .upload_with_token(&"1".repeat(64), example_zip())
        .await;
    assert_eq!(r.status(), 403);
    assert_eq!(app.counts().await, before);
    // Logout without the token does not log out.
    assert_eq!(admin.post_form_raw("/logga-ut", &[]).await.status(), 403);
    assert_eq!(admin.get("/").await.status(), 200);
    // With the right token every form works; a bearer token needs none.
    assert_eq!(
        admin.post_form("/admin/anvandare", &fields).await.status(),
        303
    );
    let api = app.bearer("admin").await;
    assert_eq!(api.post_json("/api/users", &body).await.status(), 201);
}

async fn login_is_throttled(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let mut c = app.anonymous();
    let mut refused = Vec::new();
    for _ in 0..5 {
        let r = c.login("manager", "fel lösenord!!").await;
        assert_eq!(r.status(), 401);
        refused.push(r.text().await.unwrap());
    }
    let r = c.login("manager", PASSWORD).await;
    assert_eq!(r.status(), 429, "6th attempt, right password");
    assert!(r.headers().contains_key("retry-after"));
    assert_security_headers(&r, "429");
    let text = r.text().await.unwrap();
    assert!(text.contains("Försök igen"), "{text}");
    assert!(text.contains("klockan"), "{text}");
    assert!(c.cookie.is_none());
    // Unknown names are throttled the same way, with the same refusal text.
    let mut unknown = Vec::new();
    for _ in 0..5 {
        let r = c.login("finns-inte", "fel lösenord!!").await;
        assert_eq!(r.status(), 401);
        unknown.push(r.text().await.unwrap());
    }
    let strip = |t: &str| t.replace("finns-inte", "NAME").replace("manager", "NAME");
    assert_eq!(strip(&unknown[0]), strip(&refused[0]));
    assert_eq!(c.login("finns-inte", "x").await.status(), 429);
    // Another name is not affected.
    assert_eq!(c.login("reader", PASSWORD).await.status(), 303);
    assert_eq!(app.store.count(Table::LoginFailures).await.unwrap(), 10);
}

async fn session_cookie_flags(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let r = app.anonymous().login("reader", PASSWORD).await;
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("delar_session="), "{cookie}");
    let value = cookie["delar_session=".len()..].split(';').next().unwrap();
    assert_eq!(value.len(), 64, "32 random bytes as hex");
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Secure",
        "Max-Age=43200",
    ] {
        assert!(cookie.split("; ").any(|p| p == flag), "{flag} in {cookie}");
    }
    // Only the hash is stored.
    let stored: i64 = app.store.session_count().await.unwrap();
    assert_eq!(stored, 1);
    assert!(app.store.session(value).await.unwrap().is_some());
    drop(app);
    let Some(app) = TestApp::start_with(
        kind,
        Config {
            cookie_secure: false,
            ..Config::default()
        },
    )
    .await
    else {
        return;
    };
    app.users_of_every_role().await;
    let r = app.anonymous().login("reader", PASSWORD).await;
    let cookie = r.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(!cookie.contains("Secure"), "{cookie}");
}

async fn logout_ends_the_session(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let c = app.login("controller").await;
    assert_eq!(c.get("/api/me").await.status(), 200);
    let r = c.post_form("/logga-ut", &[]).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/logga-in");
    let cleared = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|v| v.to_str().unwrap().starts_with("delar_session=;"));
    assert!(cleared);
    // The old cookie is worth nothing now.
    assert_eq!(c.get("/").await.status(), 303);
    assert_eq!(c.get("/api/me").await.status(), 401);
    assert_eq!(app.store.session_count().await.unwrap(), 0);
    let log = app.store.audit_log().await.unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "session.login" && e.actor == "controller"));
    assert!(log
        .iter()
        .any(|e| e.action == "session.logout" && e.actor == "controller"));
}

async fn inactive_user_is_refused(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let manager = app.store.user("manager").await.unwrap().unwrap();
    let session = app.login("manager").await;
    let token = app.bearer("manager").await;
    assert_eq!(token.get("/api/me").await.status(), 200);
    let admin = app.login("admin").await;
    let r = admin
        .post_form(
            &format!("/admin/anvandare/{}", manager.id),
            &[("op", "deactivate")],
        )
        .await;
    assert_eq!(r.status(), 303);
    assert_eq!(session.get("/").await.status(), 303);
    assert_eq!(token.get("/api/me").await.status(), 401);
    let r = app.anonymous().login("manager", PASSWORD).await;
    assert_eq!(r.status(), 401);
    // The change is in the audit log with old and new value.
    let log = app.store.audit_log().await.unwrap();
    let e = log.iter().find(|e| e.action == "user.deactivate").unwrap();
    assert_eq!(e.actor, "admin");
    assert_eq!(e.entity, "user:manager");
    assert_eq!(e.old_value.as_deref(), Some("{\"active\":true}"));
    assert_eq!(e.new_value.as_deref(), Some("{\"active\":false}"));
    // An admin cannot deactivate themselves.
    let me = app.store.user("admin").await.unwrap().unwrap();
    let r = admin
        .post_form(
            &format!("/admin/anvandare/{}", me.id),
            &[("op", "deactivate")],
        )
        .await;
    assert!(admin
        .follow(r)
        .await
        .contains("du kan inte ändra din egen roll"));
    assert!(app.store.user("admin").await.unwrap().unwrap().active);
    // Activated again, the manager can log in.
    admin
        .post_form(
            &format!("/admin/anvandare/{}", manager.id),
            &[("op", "activate")],
        )
        .await;
    assert_eq!(
        app.anonymous().login("manager", PASSWORD).await.status(),
        303
    );
}

async fn admin_changes_are_audited(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let r = admin
        .post_form(
            "/admin/anvandare",
            &[
                ("name", "eva"),
                ("role", "manager"),
                ("password", PASSWORD),
                ("ansvar", "110, 120"),
                ("committees", COMMITTEE),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let eva = app.store.user("eva").await.unwrap().unwrap();
    assert_eq!(eva.ansvar, vec!["110", "120"]);
    assert_eq!(eva.committees[0].name, COMMITTEE);
    let path = format!("/admin/anvandare/{}", eva.id);
    for (op, value) in [
        ("role", "controller"),
        ("remove_ansvar", "120"),
        ("add_committee", "Kultur- och fritidsnämnden"),
        ("remove_committee", COMMITTEE),
    ] {
        assert_eq!(
            admin
                .post_form(&path, &[("op", op), ("value", value)])
                .await
                .status(),
            303,
            "{op}"
        );
    }
    let eva = app.store.user("eva").await.unwrap().unwrap();
    assert_eq!(eva.role, Role::Controller);
    assert_eq!(eva.ansvar, vec!["110"]);
    assert_eq!(eva.committees.len(), 1);
    assert_eq!(eva.committees[0].name, "Kultur- och fritidsnämnden");
    let log = app.store.audit_log().await.unwrap();
    let of_eva: Vec<_> = log.iter().filter(|e| e.entity == "user:eva").collect();
    let actions: Vec<&str> = of_eva.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "user.add",
            "user.role",
            "user.ansvar",
            "user.committees",
            "user.committees"
        ]
    );
    assert_eq!(
        of_eva[1].old_value.as_deref(),
        Some("{\"role\":\"manager\"}")
    );
    assert_eq!(
        of_eva[1].new_value.as_deref(),
        Some("{\"role\":\"controller\"}")
    );
    assert_eq!(
        of_eva[2].old_value.as_deref(),
        Some("{\"ansvar\":[\"110\",\"120\"]}")
    );
    assert_eq!(
        of_eva[2].new_value.as_deref(),
        Some("{\"ansvar\":[\"110\"]}")
    );
    // The user's page shows the history; a bad role is refused with a message.
    let page = admin.page(&path, 200).await;
    assert!(page.contains("user.role"));
    let r = admin
        .post_form(&path, &[("op", "role"), ("value", "kung")])
        .await;
    let page = admin.follow(r).await;
    assert!(page.contains("okänd roll"), "{page}");
    // The flash is shown once.
    assert!(!admin.page(&path, 200).await.contains("okänd roll"));
    // A duplicate name: 409 in the API, the form again with the message in the page.
    let r = app
        .bearer("admin")
        .await
        .post_json(
            "/api/users",
            &serde_json::json!({"name": "eva", "role": "reader", "password": PASSWORD}),
        )
        .await;
    assert_eq!(r.status(), 409);
    let r = admin
        .post_form(
            "/admin/anvandare",
            &[("name", "eva"), ("role", "reader"), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("finns redan"));
    let r = admin
        .post_form(
            "/admin/anvandare",
            &[("name", "kort"), ("role", "reader"), ("password", "kort")],
        )
        .await;
    assert_eq!(r.status(), 422);
}

async fn script_is_escaped_and_sql_is_verbatim(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let evil = "<script>alert(1)</script>";
    let sql = "x'); DROP TABLE users;--";
    for name in [evil, sql] {
        let r = admin
            .post_form(
                "/admin/anvandare",
                &[
                    ("name", name),
                    ("role", "manager"),
                    ("password", PASSWORD),
                    ("ansvar", evil),
                ],
            )
            .await;
        assert_eq!(r.status(), 303, "{name}");
    }
    let stored = app.store.user(sql).await.unwrap().unwrap();
    assert_eq!(stored.name, sql);
    assert_eq!(
        app.store.user(evil).await.unwrap().unwrap().ansvar,
        vec![evil.to_string()]
    );
    assert!(
        app.store.count(Table::Users).await.unwrap() >= 6,
        "the users table is still there"
    );
    for path in [
        "/admin/anvandare",
        "/logg",
        &format!("/admin/anvandare/{}", stored.id),
    ] {
        let page = admin.page(path, 200).await;
        assert!(!page.contains("<script>"), "{path}");
        assert!(page.contains("&lt;script&gt;"), "{path}");
    }
    // The audit filter takes SQL-looking text as text.
    let api = app.bearer("admin").await;
    let q = form_query(&[("entity", &format!("user:{sql}"))]);
    let found: serde_json::Value = api
        .get(&format!("/api/audit?{q}"))
        .await
        .json()
        .await
        .unwrap();
    let entries = found["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["entity"], format!("user:{sql}"));
    let q = form_query(&[("entity", "user:%")]);
    let found: serde_json::Value = api
        .get(&format!("/api/audit?{q}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        found["entries"].as_array().unwrap().len(),
        0,
        "% is not a wildcard"
    );
    // The logged-in user's own name is escaped in the header too.
    app.user(evil.replace("1", "2").as_str(), Role::Reader, &[], &[])
        .await;
    let c = app.login(&evil.replace("1", "2")).await;
    let page = c.page("/", 200).await;
    assert!(!page.contains("<script>"));
}

fn form_query(pairs: &[(&str, &str)]) -> String {
    let mut s = String::new();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            s.push('&');
        }
        s.push_str(k);
        s.push('=');
        for b in v.bytes() {
            if b.is_ascii_alphanumeric() {
                s.push(b as char);
            } else {
                s.push_str(&format!("%{b:02X}"));
            }
        }
    }
    s
}

async fn oversize_upload_is_refused(kind: Kind) {
    let Some(app) = TestApp::start_with(kind, Config::with_upload_mb(1)).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let api = app.bearer("admin").await;
    let before = app.counts().await;
    let big = vec![7u8; 1536 * 1024];
    let r = admin.upload(big.clone()).await;
    assert_eq!(r.status(), 413);
    assert_security_headers(&r, "413");
    let text = r.text().await.unwrap();
    assert!(text.contains("för stor") && text.contains("1 MB"), "{text}");
    let r = api.post_bytes("/api/import", "application/zip", big).await;
    assert_eq!(r.status(), 413);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("för stor"));
    // A zip bomb: small upload, large inside (limit five times the upload: 5 MB).
    let bomb = zip_of(&[("delar.toml".into(), vec![b' '; 6 * 1024 * 1024])]);
    assert!(bomb.len() < 1024 * 1024);
    let r = admin.upload(bomb).await;
    assert_eq!(r.status(), 413);
    assert!(r.text().await.unwrap().contains("packas upp till mer än"));
    assert_eq!(app.counts().await, before);
}

/// A package of several MB through the browser's form is read whole (the 2 MB limit on
/// forms does not apply to the upload, which has its own).
async fn upload_of_several_mb_in_the_form(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let mut files = example_files();
    // 5 MB that do not compress (xorshift), in a file the package does not use.
    let mut x = 0x9E37_79B9_7F4A_7C15u64;
    let noise: Vec<u8> = (0..5 * 1024 * 1024)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect();
    files.push(("bilagor/foto.bin".into(), noise));
    let zip = zip_of(&files);
    assert!(zip.len() > 5 * 1024 * 1024, "{}", zip.len());
    let r = admin.upload(zip).await;
    let status = r.status();
    let page = r.text().await.unwrap();
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Importerat"), "{page}");
}

async fn unsafe_zips_are_refused(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let before = app.counts().await;
    for bad in ["../utanför.txt", "/etc/passwd", "a/../../x"] {
        let mut files = example_files();
        files.push((bad.to_string(), b"x".to_vec()));
        let r = admin.upload(zip_of(&files)).await;
        assert_eq!(r.status(), 422, "{bad}");
        let text = r.text().await.unwrap();
        assert!(text.contains("refuseras"), "{text}");
    }
    // A symbolic link.
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    w.add_symlink(
        "delar.toml",
        "/etc/passwd",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let r = admin.upload(w.finish().unwrap().into_inner()).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("symbolisk länk"));
    // Not a zip at all.
    let r = admin.upload(b"hej".to_vec()).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("ingen zip-fil"));
    assert_eq!(app.counts().await, before);
    assert!(!std::path::Path::new("utanför.txt").exists());
}

async fn malformed_sie_shows_the_line(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let api = app.bearer("admin").await;
    let before = app.counts().await;
    let files: Vec<_> = example_files()
        .into_iter()
        .map(|(p, b)| {
            if p == "huvudbok/huvudbok-2022.se" {
                let text = String::from_utf8_lossy(&b).into_owned();
                let from = "#TRANS 6410 {1 \"8510\" 20 \"920\"} 14856.53";
                assert!(text.contains(from));
                (
                    p,
                    text.replacen(from, "#TRANS 6410 {1 \"8510\" 20 \"920\"} 14856,5x3", 1)
                        .into_bytes(),
                )
            } else {
                (p, b)
            }
        })
        .collect();
    let r = admin.upload(zip_of(&files)).await;
    assert_eq!(r.status(), 422);
    let text = r.text().await.unwrap();
    assert!(text.contains("huvudbok/huvudbok-2022.se:1634:"), "{text}");
    assert_eq!(app.counts().await, before);
    let r = api
        .post_bytes("/api/import", "application/zip", zip_of(&files))
        .await;
    assert_eq!(r.status(), 422);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("huvudbok/huvudbok-2022.se:1634:"));
    assert_eq!(app.counts().await, before);
}

async fn example_imports_then_is_unchanged(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let r = admin.upload(example_zip()).await;
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(text.contains("Importerat"), "{text}");
    assert!(text.contains("huvudbok/huvudbok-2023.se"), "{text}");
    assert!(text.contains(COMMITTEE));
    let after_first = app.counts().await;
    assert!(app.store.count(Table::LedgerRows).await.unwrap() > 1000);
    let r = admin.upload(example_zip()).await;
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("Oförändrat"));
    let r = app
        .bearer("admin")
        .await
        .post_bytes("/api/import", "application/zip", example_zip())
        .await;
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["outcome"], "unchanged");
    // Sessions and tokens aside, nothing changed.
    let mut a = app.counts().await;
    let mut b = after_first;
    for v in [&mut a, &mut b] {
        v.retain(|(t, _)| !matches!(t, Table::ApiTokens | Table::Sessions | Table::AuditLog));
    }
    assert_eq!(a, b);
    let page = admin.page("/paket", 200).await;
    assert!(page.contains(COMMITTEE) && page.contains("2023"));
    let log = app.store.audit_log().await.unwrap();
    assert!(log
        .iter()
        .any(|e| e.action == "package.import" && e.actor == "admin"));
}

async fn audit_page_filters_and_exports(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    let reader = app.login("reader").await;
    let page = reader.page("/logg?actor=test", 200).await;
    assert!(page.contains("user:controller"));
    assert!(!page.contains("session.login"), "filtered by actor");
    let page = reader.page("/logg?entity=user%3Aman", 200).await;
    assert!(page.contains("user:manager") && !page.contains("user:controller"));
    let r = reader.get("/logg.csv?actor=test").await;
    assert_eq!(r.status(), 200);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("attachment"));
    let bytes = r.bytes().await.unwrap();
    assert!(bytes.starts_with("\u{feff}nr;tid;".as_bytes()));
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines.len(),
        1 + 4,
        "header and the four users added by test"
    );
    assert!(
        lines[1].contains(";test;user.add;user:admin;"),
        "{}",
        lines[1]
    );
}

async fn pages_render_for_every_role(kind: Kind) {
    let Some(app) = TestApp::start(kind).await else {
        return;
    };
    app.users_of_every_role().await;
    for role in ["admin", "controller", "manager", "reader"] {
        let c = app.login(role).await;
        let page = c.page("/", 200).await;
        assert!(page.contains(&format!("Välkommen, {role}")));
        assert!(
            csrf_in(&page).is_some_and(|t| t.len() == 64),
            "logout form has the token"
        );
        assert!(page.contains("/static/delar.css"));
        assert!(
            !page.contains("style=") && !page.contains("<script"),
            "no inline style or script"
        );
        let r = c.get("/").await;
        assert_eq!(r.headers()["cache-control"], "no-store");
        // The navigation shows what the role may use.
        assert_eq!(
            page.contains("href=\"/admin/anvandare\""),
            role == "admin",
            "{role}"
        );
        assert_eq!(
            page.contains("href=\"/import\""),
            role == "admin" || role == "controller",
            "{role}"
        );
    }
    let me: serde_json::Value = app
        .bearer("manager")
        .await
        .get("/api/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["ansvar"], serde_json::json!(["110"]));
    assert_eq!(me["committee_names"], serde_json::json!([COMMITTEE]));
}

/// An import in the browser that takes longer than `import_wait` answers with its
/// progress page, which refreshes itself, shows the rows written, and then the outcome;
/// only its user sees it; a failing import shows its error there.
async fn browser_import_shows_progress(kind: Kind) {
    let config = Config {
        import_wait: std::time::Duration::ZERO,
        ..Config::default()
    };
    let Some(app) = TestApp::start_with(kind, config).await else {
        return;
    };
    app.users_of_every_role().await;
    let admin = app.login("admin").await;
    let (files, rows) = large_example(150_000);
    let r = admin.upload(zip_of(&files)).await;
    assert_eq!(r.status(), 303);
    let job = r.headers()["location"].to_str().unwrap().to_string();
    assert!(job.starts_with("/import/"), "{job}");
    // Only the user who started it sees it.
    let other = app.login("controller").await;
    let r = other.get(&job).await;
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("startades av någon annan"));
    let r = app.anonymous().get(&job).await;
    assert_eq!(r.status(), 303);
    let total = format!(
        "av {} rader skrivna",
        delar_core::money::group_thousands(rows as u64, ' ')
    );
    let (mut reading, mut writing) = (0, 0);
    let started = std::time::Instant::now();
    let done = loop {
        let r = admin.get(&job).await;
        let status = r.status();
        let page = r.text().await.unwrap();
        assert_eq!(status, 200, "{page}");
        if !page.contains("Importen pågår") {
            break page;
        }
        assert!(
            page.contains(r#"<meta http-equiv="refresh" content="1">"#),
            "{page}"
        );
        if page.contains("Paketet läses och kontrolleras") {
            // What the loader reads, when it has said anything yet.
            if let Some(at) = page.find("Nu: ") {
                let now = &page[at..];
                let now = &now[..now.find("</p>").expect("the status paragraph ends")];
                assert!(
                    now.starts_with("Nu: läser ")
                        || now.ends_with(" läst")
                        || now.ends_with(" lästa")
                        || now.ends_with(" poster")
                        || now.ends_with("raderna förbereds för databasen …"),
                    "{page}"
                );
            }
            reading += 1;
        } else {
            assert!(page.contains("Huvudbokens rader sparas"), "{page}");
            assert!(page.contains(" rader skrivna"), "{page}");
            assert!(page.contains("<progress"), "{page}");
            // The large current ledger is written first, then the prior year's.
            if page.contains(&total) {
                writing += 1;
            }
        }
        assert!(
            started.elapsed().as_secs() < 300,
            "the import never finished"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    };
    assert!(
        writing > 0,
        "no page showed rows being written ({reading} while reading)"
    );
    assert!(done.contains("Importerat"), "{done}");
    let grouped = delar_core::money::group_thousands(rows as u64, ' ');
    assert!(
        done.contains(&format!("<td class=\"num\">{grouped}</td>")),
        "{done}"
    );
    assert!(app.store.count(Table::LedgerRows).await.unwrap() >= rows as i64);
    // The outcome stays readable.
    assert!(admin.page(&job, 200).await.contains("Importerat"));
    // A failing import shows its error, with the line, on its page; nothing is saved.
    let before = app.counts().await;
    let broken: Vec<_> = example_files()
        .into_iter()
        .map(|(p, b)| {
            if p == "huvudbok/huvudbok-2022.se" {
                let text = String::from_utf8_lossy(&b).replacen(
                    "#TRANS 6410 {1 \"8510\" 20 \"920\"} 14856.53",
                    "#TRANS 6410 {1 \"8510\" 20 \"920\"} 14856,5x3",
                    1,
                );
                (p, text.into_bytes())
            } else {
                (p, b)
            }
        })
        .collect();
    let r = admin.upload(zip_of(&broken)).await;
    assert_eq!(r.status(), 303);
    let job = r.headers()["location"].to_str().unwrap().to_string();
    let page = loop {
        let r = admin.get(&job).await;
        let status = r.status();
        let page = r.text().await.unwrap();
        if !page.contains("Importen pågår") {
            assert_eq!(status, 422, "{page}");
            break page;
        }
        assert!(
            started.elapsed().as_secs() < 300,
            "the import never finished"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    };
    assert!(page.contains("huvudbok/huvudbok-2022.se:1634:"), "{page}");
    assert_eq!(app.counts().await, before);
    // An unknown job.
    let r = admin.get("/import/999999").await;
    assert_eq!(r.status(), 404);
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
    anonymous_is_refused,
    every_role_against_every_action,
    controller_imports_only_own_committee,
    csrf_is_required,
    login_is_throttled,
    session_cookie_flags,
    logout_ends_the_session,
    inactive_user_is_refused,
    admin_changes_are_audited,
    script_is_escaped_and_sql_is_verbatim,
    oversize_upload_is_refused,
    upload_of_several_mb_in_the_form,
    unsafe_zips_are_refused,
    malformed_sie_shows_the_line,
    example_imports_then_is_unchanged,
    browser_import_shows_progress,
    audit_page_filters_and_exports,
    pages_render_for_every_role,
);
