//! Sessions, login throttling, user administration and the filtered audit log, on every
//! database (a SQLite file, SQLite in memory and a throwaway PostgreSQL database).

mod common;

use common::{Kind, TestDb};
use delar_store::sessions::LOGIN_FAILURE_LIMIT;
use delar_store::{Assignment, AuditFilter, LoginOutcome, Role, Store};

const PASSWORD: &str = "ett långt lösenord";

async fn store_with_users(db: &TestDb) -> Store {
    let store = db.open().await;
    store
        .add_user_with_committees(
            "cli:test",
            "anna",
            Role::Manager,
            &["110".into()],
            &["Nämnd, med komma".into()],
            PASSWORD,
        )
        .await
        .unwrap();
    store
        .add_user("cli:test", "bo", Role::Admin, &[], PASSWORD)
        .await
        .unwrap();
    store
}

async fn login_session_logout(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = store_with_users(&db).await;
    let LoginOutcome::LoggedIn {
        session_id,
        csrf_token,
        user,
    } = store.login("anna", PASSWORD).await.unwrap()
    else {
        panic!("login")
    };
    assert_eq!(user.name, "anna");
    assert_eq!(user.committees.len(), 1);
    assert_eq!(user.committees[0].name, "Nämnd, med komma");
    assert_eq!(session_id.len(), 64);
    assert_eq!(csrf_token.len(), 64);
    let s = store
        .session(&session_id)
        .await
        .unwrap()
        .expect("valid session");
    assert_eq!(s.user.name, "anna");
    assert_eq!(s.csrf_token, csrf_token);
    // Only the hash is stored.
    let found = store
        .execute_unchecked(&format!(
            "UPDATE sessions SET created_at = created_at WHERE id_hash = '{session_id}'"
        ))
        .await
        .unwrap();
    assert_eq!(found, 0, "the raw id is not in the database");
    // Unknown and malformed ids.
    assert!(store.session(&"0".repeat(64)).await.unwrap().is_none());
    assert!(store.session("x' OR '1'='1").await.unwrap().is_none());
    assert!(store.logout(&session_id).await.unwrap());
    assert!(store.session(&session_id).await.unwrap().is_none());
    assert!(!store.logout(&session_id).await.unwrap());
    let actions: Vec<String> = store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"session.login".to_string()));
    assert!(actions.contains(&"session.logout".to_string()));
}

async fn expired_sessions_are_refused(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = store_with_users(&db).await;
    let LoginOutcome::LoggedIn { session_id, .. } = store.login("anna", PASSWORD).await.unwrap()
    else {
        panic!("login")
    };
    store
        .execute_unchecked("UPDATE sessions SET expires_at = 1")
        .await
        .unwrap();
    assert!(store.session(&session_id).await.unwrap().is_none());
    assert_eq!(
        store.session_count().await.unwrap(),
        0,
        "the expired session is deleted"
    );
    // The absolute limit holds even when the idle expiry is later.
    let LoginOutcome::LoggedIn { session_id, .. } = store.login("anna", PASSWORD).await.unwrap()
    else {
        panic!("login")
    };
    store
        .execute_unchecked("UPDATE sessions SET created_at = 1, expires_at = 9000000000000000")
        .await
        .unwrap();
    assert!(store.session(&session_id).await.unwrap().is_none());
}

async fn throttling_counts_failures_per_name(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = store_with_users(&db).await;
    for _ in 0..LOGIN_FAILURE_LIMIT {
        assert_eq!(
            store.login("anna", "fel lösenord!!").await.unwrap(),
            LoginOutcome::Refused
        );
    }
    let LoginOutcome::Throttled { retry_at } = store.login("anna", PASSWORD).await.unwrap() else {
        panic!("throttled with the right password")
    };
    let in_15_min = delar_store::sessions::LOGIN_FAILURE_WINDOW_MICROS;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros() as i64;
    assert!(
        retry_at > now && retry_at <= now + in_15_min,
        "{retry_at} {now}"
    );
    // Unknown names count the same; other names are not affected.
    for _ in 0..LOGIN_FAILURE_LIMIT {
        assert_eq!(
            store.login("okänd", "x").await.unwrap(),
            LoginOutcome::Refused
        );
    }
    assert!(matches!(
        store.login("okänd", "x").await.unwrap(),
        LoginOutcome::Throttled { .. }
    ));
    assert!(matches!(
        store.login("bo", PASSWORD).await.unwrap(),
        LoginOutcome::LoggedIn { .. }
    ));
    // Failures older than the window do not count.
    store
        .execute_unchecked("UPDATE login_failures SET at = at - 900000001")
        .await
        .unwrap();
    assert!(matches!(
        store.login("anna", PASSWORD).await.unwrap(),
        LoginOutcome::LoggedIn { .. }
    ));
}

async fn deactivation_ends_sessions_and_tokens(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = store_with_users(&db).await;
    let anna = store.user("anna").await.unwrap().unwrap();
    let token = store.create_token("bo", "anna").await.unwrap();
    let LoginOutcome::LoggedIn { session_id, .. } = store.login("anna", PASSWORD).await.unwrap()
    else {
        panic!("login")
    };
    let after = store.set_active("bo", anna.id, false).await.unwrap();
    assert!(!after.active);
    assert!(store.session(&session_id).await.unwrap().is_none());
    assert_eq!(store.session_count().await.unwrap(), 0);
    assert!(store.user_for_token(&token).await.unwrap().is_none());
    assert_eq!(
        store.login("anna", PASSWORD).await.unwrap(),
        LoginOutcome::Refused
    );
    // Deactivating again changes nothing and writes nothing.
    let entries = store.audit_log().await.unwrap().len();
    store.set_active("bo", anna.id, false).await.unwrap();
    assert_eq!(store.audit_log().await.unwrap().len(), entries);
    store.set_active("bo", anna.id, true).await.unwrap();
    assert!(store.user_for_token(&token).await.unwrap().is_some());
}

async fn assignments_are_audited(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = store_with_users(&db).await;
    let anna = store.user("anna").await.unwrap().unwrap();
    store
        .set_role("bo", anna.id, Role::Controller)
        .await
        .unwrap();
    store
        .change_assignment("bo", anna.id, &Assignment::AddAnsvar("120".into()))
        .await
        .unwrap();
    store
        .change_assignment("bo", anna.id, &Assignment::AddAnsvar("120".into()))
        .await
        .unwrap();
    store
        .change_assignment("bo", anna.id, &Assignment::RemoveAnsvar("110".into()))
        .await
        .unwrap();
    store
        .change_assignment("bo", anna.id, &Assignment::AddCommittee("Ny nämnd".into()))
        .await
        .unwrap();
    let after = store
        .change_assignment(
            "bo",
            anna.id,
            &Assignment::RemoveCommittee("Nämnd, med komma".into()),
        )
        .await
        .unwrap();
    assert_eq!(after.role, Role::Controller);
    assert_eq!(after.ansvar, vec!["120"]);
    assert_eq!(
        after
            .committees
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        vec!["Ny nämnd"]
    );
    assert_eq!(store.committees().await.unwrap().len(), 2);
    let by_bo = store
        .audit_query(&AuditFilter {
            actor: Some("bo".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let summary: Vec<(String, Option<String>, Option<String>)> = by_bo
        .into_iter()
        .map(|e| (e.action, e.old_value, e.new_value))
        .collect();
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        summary,
        vec![
            (
                "user.role".into(),
                s(r#"{"role":"manager"}"#),
                s(r#"{"role":"controller"}"#)
            ),
            (
                "user.ansvar".into(),
                s(r#"{"ansvar":["110"]}"#),
                s(r#"{"ansvar":["110","120"]}"#)
            ),
            (
                "user.ansvar".into(),
                s(r#"{"ansvar":["110","120"]}"#),
                s(r#"{"ansvar":["120"]}"#)
            ),
            (
                "user.committees".into(),
                s(r#"{"committees":["Nämnd, med komma"]}"#),
                s(r#"{"committees":["Ny nämnd","Nämnd, med komma"]}"#)
            ),
            (
                "user.committees".into(),
                s(r#"{"committees":["Ny nämnd","Nämnd, med komma"]}"#),
                s(r#"{"committees":["Ny nämnd"]}"#)
            ),
        ]
    );
    // Unknown users and empty values are refused.
    assert!(store.set_role("bo", 9999, Role::Reader).await.is_err());
    assert!(store
        .change_assignment("bo", anna.id, &Assignment::AddAnsvar(" ".into()))
        .await
        .is_err());
}

async fn audit_filters(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = store_with_users(&db).await;
    let all = store.audit_query(&AuditFilter::default()).await.unwrap();
    assert_eq!(all, store.audit_log().await.unwrap());
    let newest = store
        .audit_query(&AuditFilter {
            newest_first: true,
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(newest, vec![all.last().unwrap().clone()]);
    let users = store
        .audit_query(&AuditFilter {
            entity: Some("user:a".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(users.len(), 1);
    assert_eq!(users[0].entity, "user:anna");
    for odd in ["user:%", "user:_nna", "'; DROP TABLE audit_log; --"] {
        let none = store
            .audit_query(&AuditFilter {
                entity: Some(odd.into()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert!(none.is_empty(), "{odd}");
    }
    let by_action = store
        .audit_query(&AuditFilter {
            action: Some("user.add".into()),
            actor: Some("cli:test".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(by_action.len(), 2);
    assert_eq!(store.audit_actors().await.unwrap(), vec!["cli:test"]);
}

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
    login_session_logout,
    expired_sessions_are_refused,
    throttling_counts_failures_per_name,
    deactivation_ends_sessions_and_tokens,
    assignments_are_audited,
    audit_filters,
);
