//! The follow-up round in storage, on every database: opening, forecasts with optimistic
//! versions (conflicts name the other's value, nothing is overwritten), status changes,
//! comments, the lock with its archive, the decision, and the audit trail of each.

mod common;

use common::{example, Kind, TestDb};
use delar_store::rounds::{ForecastInput, ForecastStatus, RoundChange, RoundStatus, Saved};
use delar_store::{prepare_import, Role, Store, StoreError, User};

async fn setup(store: &Store) -> (User, User, i64) {
    let prepared = prepare_import(&example()).unwrap();
    store.import("test", &prepared, None).await.unwrap();
    let controller = store
        .add_user("admin", "klara", Role::Controller, &[], "lösenord123")
        .await
        .unwrap();
    let manager = store
        .add_user(
            "admin",
            "mona",
            Role::Manager,
            &["8510".into()],
            "lösenord123",
        )
        .await
        .unwrap();
    let committees = store.committees().await.unwrap();
    assert_eq!(committees.len(), 1);
    (controller, manager, committees[0].id)
}

fn input(row: &str, amount: i64, comment: &str, version: Option<i64>) -> ForecastInput {
    ForecastInput {
        row_id: row.into(),
        ansvar: "8510".into(),
        amount_ore: amount,
        comment: comment.into(),
        expected_version: version,
    }
}

async fn open_round_needs_a_package_and_is_unique(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let (controller, _, committee) = setup(&store).await;
    let err = store
        .open_round(&controller, committee, 2031, 8, "Delår augusti 2031")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("inget importerat paket för 2031"),
        "{err}"
    );
    let round = store
        .open_round(&controller, committee, 2023, 8, "Delår augusti 2023")
        .await
        .unwrap();
    assert_eq!(round.status, RoundStatus::Open);
    assert_eq!((round.year, round.through_month), (2023, 8));
    assert_eq!(round.opened_by, "klara");
    let again = store
        .open_round(&controller, committee, 2023, 8, "Igen")
        .await
        .unwrap_err();
    assert!(matches!(again, StoreError::Invalid(_)), "{again}");
    assert_eq!(store.rounds().await.unwrap(), vec![round.clone()]);
    let log = store.audit_log().await.unwrap();
    let last = log.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.entity.clone()),
        ("round.open", format!("round:{}", round.id))
    );
}

async fn forecasts_have_versions_and_conflicts_keep_both_values(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let (controller, manager, committee) = setup(&store).await;
    let round = store
        .open_round(&controller, committee, 2023, 8, "Delår augusti 2023")
        .await
        .unwrap();
    let saved = store
        .save_forecasts(
            &manager,
            round.id,
            &[input("intakter", -641_900_000, "Ökad försäljning", None)],
        )
        .await
        .unwrap();
    let Saved::Saved(first) = &saved[0] else {
        panic!("{saved:?}")
    };
    assert_eq!((first.version, first.status), (1, ForecastStatus::Draft));

    // Two people edit from version 1: the first wins, the second gets a conflict with the
    // first's value, and nothing of theirs is written.
    let a = store
        .save_forecasts(
            &manager,
            round.id,
            &[input("intakter", -650_000_000, "A", Some(1))],
        )
        .await
        .unwrap();
    assert!(matches!(&a[0], Saved::Saved(f) if f.version == 2 && f.comment == "A"));
    let b = store
        .save_forecasts(
            &controller,
            round.id,
            &[input("intakter", -660_000_000, "B", Some(1))],
        )
        .await
        .unwrap();
    match &b[0] {
        Saved::Conflict { mine, theirs } => {
            assert_eq!(
                (mine.amount_ore, theirs.amount_ore),
                (-660_000_000, -650_000_000)
            );
            assert_eq!(
                (
                    theirs.comment.as_str(),
                    theirs.updated_by.as_str(),
                    theirs.version
                ),
                ("A", "mona", 2)
            );
        }
        other => panic!("expected a conflict: {other:?}"),
    }
    // Creating a forecast someone else created meanwhile is a conflict too.
    let c = store
        .save_forecasts(&controller, round.id, &[input("intakter", 1, "C", None)])
        .await
        .unwrap();
    assert!(matches!(&c[0], Saved::Conflict { .. }), "{c:?}");
    let stored = store.forecasts(round.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].amount_ore, stored[0].version), (-650_000_000, 2));

    // Saving the same values again writes nothing (no version, no audit entry).
    let before = store.audit_log().await.unwrap().len();
    let same = store
        .save_forecasts(
            &manager,
            round.id,
            &[input("intakter", -650_000_000, "A", Some(2))],
        )
        .await
        .unwrap();
    assert!(matches!(&same[0], Saved::Saved(f) if f.version == 2));
    assert_eq!(store.audit_log().await.unwrap().len(), before);

    // The audit trail of the cell has every change with old and new value.
    let entity = delar_store::rounds::forecast_entity(round.id, "intakter", "8510");
    let trail: Vec<_> = store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.entity == entity)
        .collect();
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[0].action, "forecast.create");
    assert!(trail[1]
        .old_value
        .as_deref()
        .unwrap()
        .contains("-641900000"));
    assert!(trail[1]
        .new_value
        .as_deref()
        .unwrap()
        .contains("-650000000"));
}

async fn concurrent_saves_from_one_version_give_one_winner(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let (controller, manager, committee) = setup(&store).await;
    let round = store
        .open_round(&controller, committee, 2023, 8, "Delår augusti 2023")
        .await
        .unwrap();
    store
        .save_forecasts(&manager, round.id, &[input("intakter", 1, "start", None)])
        .await
        .unwrap();
    // Half of the writers through a second store on the same database (its own
    // connections, as a second server process has); an in-memory database exists only
    // in its own store.
    let second = if kind == Kind::SqliteMemory {
        store.clone()
    } else {
        db.open().await
    };
    let mut tasks = Vec::new();
    for i in 0..8i64 {
        let store = if i % 4 < 2 {
            store.clone()
        } else {
            second.clone()
        };
        let user = if i % 2 == 0 {
            manager.clone()
        } else {
            controller.clone()
        };
        tasks.push(tokio::spawn(async move {
            store
                .save_forecasts(
                    &user,
                    round.id,
                    &[input("intakter", 100 + i, &format!("v{i}"), Some(1))],
                )
                .await
                .unwrap()
        }));
    }
    let mut winners = Vec::new();
    let mut conflicts = 0;
    for t in tasks {
        match t.await.unwrap().remove(0) {
            Saved::Saved(f) => winners.push(f),
            Saved::Conflict { theirs, .. } => {
                assert_eq!(theirs.version, 2);
                conflicts += 1;
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!((winners.len(), conflicts), (1, 7));
    let stored = store.forecasts(round.id).await.unwrap();
    assert_eq!(stored[0].amount_ore, winners[0].amount_ore);
    assert_eq!(stored[0].version, 2);
}

async fn submit_return_accept_and_lock(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let (controller, manager, committee) = setup(&store).await;
    let round = store
        .open_round(&controller, committee, 2023, 8, "Delår augusti 2023")
        .await
        .unwrap();
    store
        .save_forecasts(
            &manager,
            round.id,
            &[
                input("intakter", -100, "x", None),
                input("personalkostnader", 200, "", None),
            ],
        )
        .await
        .unwrap();
    use ForecastStatus::*;
    let n = store
        .set_forecast_status(
            &manager,
            round.id,
            "8510",
            &[Draft, Returned],
            Submitted,
            None,
        )
        .await
        .unwrap();
    assert_eq!(n, 2);
    // Submitted forecasts are not editable.
    let f = store.forecasts(round.id).await.unwrap();
    let v = f.iter().find(|f| f.row_id == "intakter").unwrap().version;
    let r = store
        .save_forecasts(&manager, round.id, &[input("intakter", -1, "y", Some(v))])
        .await
        .unwrap();
    assert!(matches!(&r[0], Saved::NotEditable(_)), "{r:?}");
    // Returned with a comment: editable again, the comment is on the ansvar.
    store
        .set_forecast_status(
            &controller,
            round.id,
            "8510",
            &[Submitted],
            Returned,
            Some("Förklara personalkostnaderna"),
        )
        .await
        .unwrap();
    let comments = store.comments(round.id).await.unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!(
        (comments[0].ansvar.as_deref(), comments[0].author.as_str()),
        (Some("8510"), "klara")
    );
    let f = store.forecasts(round.id).await.unwrap();
    let v = f.iter().find(|f| f.row_id == "intakter").unwrap().version;
    let r = store
        .save_forecasts(&manager, round.id, &[input("intakter", -1, "y", Some(v))])
        .await
        .unwrap();
    assert!(
        matches!(&r[0], Saved::Saved(f) if f.status == Returned),
        "{r:?}"
    );
    store
        .set_forecast_status(
            &manager,
            round.id,
            "8510",
            &[Draft, Returned],
            Submitted,
            None,
        )
        .await
        .unwrap();
    store
        .set_forecast_status(&controller, round.id, "8510", &[Submitted], Accepted, None)
        .await
        .unwrap();
    assert!(store
        .forecasts(round.id)
        .await
        .unwrap()
        .iter()
        .all(|f| f.status == Accepted));

    // Lock from a stale version: conflict, nothing archived.
    let stale = store
        .lock_round(&controller, round.id, round.version + 100, &[], "x")
        .await
        .unwrap();
    assert!(matches!(stale, RoundChange::Conflict(_)));
    assert!(store.archives(round.id).await.unwrap().is_empty());
    let current = store.round(round.id).await.unwrap().unwrap();
    let files = vec![
        ("report.pdf".to_string(), b"%PDF-1.7 ...".to_vec()),
        ("report.html".to_string(), b"<html></html>".to_vec()),
    ];
    let locked = store
        .lock_round(&controller, round.id, current.version, &files, "abc123")
        .await
        .unwrap();
    let RoundChange::Done(locked) = locked else {
        panic!("{locked:?}")
    };
    assert_eq!(locked.status, RoundStatus::Locked);
    let archives = store.archives(round.id).await.unwrap();
    assert_eq!(archives.len(), 2);
    assert!(archives.iter().all(|a| a.inputs_sha256 == "abc123"));
    assert_eq!(
        store
            .archive_file(round.id, "report.pdf")
            .await
            .unwrap()
            .unwrap(),
        b"%PDF-1.7 ...".to_vec()
    );

    // A locked round is read-only.
    let err = store
        .save_forecasts(&manager, round.id, &[input("intakter", 5, "z", Some(1))])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Closed(_)), "{err:?}");
    assert!(err.to_string().contains("låst"), "{err}");
    assert!(store
        .add_comment(&manager, round.id, None, None, "hej")
        .await
        .is_err());
    assert!(store
        .set_forecast_status(&controller, round.id, "8510", &[Accepted], Returned, None)
        .await
        .is_err());

    // The decision.
    let bad = store
        .approve_round(&controller, round.id, locked.version, "igår", "§ 1")
        .await
        .unwrap_err();
    assert!(bad.to_string().contains("ÅÅÅÅ-MM-DD"), "{bad}");
    let approved = store
        .approve_round(&controller, round.id, locked.version, "2023-09-20", "§ 42")
        .await
        .unwrap();
    let RoundChange::Done(approved) = approved else {
        panic!("{approved:?}")
    };
    assert_eq!(approved.status, RoundStatus::Approved);
    assert_eq!(approved.decision_paragraph.as_deref(), Some("§ 42"));
    let actions: Vec<String> = store
        .audit_log()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .filter(|a| {
            a.starts_with("round.") || a.starts_with("ansvar.") || a.starts_with("comment.")
        })
        .collect();
    assert_eq!(
        actions,
        [
            "round.open",
            "ansvar.status",
            "ansvar.status",
            "comment.add",
            "ansvar.status",
            "ansvar.status",
            "round.lock",
            "round.approve"
        ]
    );
}

async fn comments_are_kept_verbatim(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let store = db.open().await;
    let (controller, manager, committee) = setup(&store).await;
    let round = store
        .open_round(&controller, committee, 2023, 8, "Delår augusti 2023")
        .await
        .unwrap();
    let body = "<script>alert(1)</script> '); DROP TABLE comments; -- \\N";
    store
        .add_comment(&manager, round.id, Some("intakter"), Some("8510"), body)
        .await
        .unwrap();
    let c = store.comments(round.id).await.unwrap();
    assert_eq!(c[0].body, body);
    let too_long = "x".repeat(delar_store::rounds::MAX_COMMENT_CHARS + 1);
    assert!(store
        .add_comment(&manager, round.id, None, None, &too_long)
        .await
        .is_err());
    assert!(store
        .add_comment(&manager, round.id, None, None, "a\u{0}b")
        .await
        .is_err());
    assert!(store
        .add_comment(&manager, round.id, None, None, "  ")
        .await
        .is_err());
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
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)] async fn $test() { super::$test(super::Kind::Postgres).await })*
        }
    };
}

on_every_database!(
    open_round_needs_a_package_and_is_unique,
    forecasts_have_versions_and_conflicts_keep_both_values,
    concurrent_saves_from_one_version_give_one_winner,
    submit_return_accept_and_lock,
    comments_are_kept_verbatim,
);
