//! The access layer: the one place that decides who may do what. Every handler calls
//! [`authorize`] (directly, or through a helper that does) before it reads or changes
//! anything; a page may hide a link the user cannot use, but hiding is never the check.
//!
//! The rules (issue 9), by role:
//!
//! | Action | admin | controller | manager | reader |
//! |---|---|---|---|---|
//! | `ManageUsers` | yes | – | – | – |
//! | `OpenImport` (the upload page) | yes | yes | – | – |
//! | `ImportPackage{committee}` | yes | own committee | – | – |
//! | `ReadAudit` | yes | yes | – | yes |
//! | `ListPackages` | yes | yes | yes | yes |
//! | `ReadReport{committee}` | yes (all) | own committee | own committee | own committee |
//! | `OpenRound{committee}` | – | own committee | – | – |
//! | `EditForecast{committee, ansvar}` | – | own committee | own committee and own ansvar | – |
//! | `ReviewRound{committee}` | – | own committee | – | – |
//! | `LockRound{committee}` | – | own committee | – | – |
//! | `ApproveRound{committee}` | – | own committee | – | – |
//!
//! "Own committee" means assigned in `user_committees`; "own ansvar" means assigned in
//! `user_ansvar`. Managers and readers are tied to committees the same way as
//! controllers (the committee whose report they read). Admin manages users, imports and
//! reads everything, but takes no part in a round (separation of duties). Readers
//! (politicians, auditors) read the audit log: auditors need it. A controller imports
//! only packages of their own committees; a package of a committee not yet in the
//! database can only be imported by an admin (who then assigns the controller).

use crate::auth::CurrentUser;
use crate::error::AppError;
use delar_store::Role;

/// Something a user may want to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Create users, change roles and assignments, deactivate.
    ManageUsers,
    /// See the import page (upload form).
    OpenImport,
    /// Import a package of a committee (`None`: the committee is not yet known).
    ImportPackage {
        /// The committee's id, if it exists.
        committee: Option<i64>,
    },
    /// Read the audit log and export it.
    ReadAudit,
    /// See the list of imported packages (each row is filtered by `ReadReport`).
    ListPackages,
    /// Read a committee's report, packages and ledger rows.
    ReadReport {
        /// The committee's id.
        committee: i64,
    },
    /// Open a follow-up round for a committee.
    OpenRound {
        /// The committee's id.
        committee: i64,
    },
    /// Enter or change a forecast and its comment for an ansvar.
    EditForecast {
        /// The committee's id.
        committee: i64,
        /// The ansvar of the row.
        ansvar: String,
    },
    /// Review a round: comment back, return or accept submissions.
    ReviewRound {
        /// The committee's id.
        committee: i64,
    },
    /// Lock a round.
    LockRound {
        /// The committee's id.
        committee: i64,
    },
    /// Record the committee's decision (approval) of a locked round.
    ApproveRound {
        /// The committee's id.
        committee: i64,
    },
}

/// Whether `user` may do `action` (the table in the module documentation).
pub fn allowed(user: &CurrentUser, action: &Action) -> bool {
    let own = |c: &i64| user.committees.contains(c);
    match (user.role, action) {
        (Role::Admin, Action::ManageUsers) => true,
        (Role::Admin | Role::Controller, Action::OpenImport) => true,
        (Role::Admin, Action::ImportPackage { .. }) => true,
        (Role::Controller, Action::ImportPackage { committee }) => {
            committee.as_ref().is_some_and(own)
        }
        (Role::Admin | Role::Controller | Role::Reader, Action::ReadAudit) => true,
        (_, Action::ListPackages) => true,
        (Role::Admin, Action::ReadReport { .. }) => true,
        (Role::Controller | Role::Manager | Role::Reader, Action::ReadReport { committee }) => {
            own(committee)
        }
        (
            Role::Controller,
            Action::OpenRound { committee }
            | Action::EditForecast { committee, .. }
            | Action::ReviewRound { committee }
            | Action::LockRound { committee }
            | Action::ApproveRound { committee },
        ) => own(committee),
        (Role::Manager, Action::EditForecast { committee, ansvar }) => {
            own(committee) && user.ansvar.iter().any(|a| a == ansvar)
        }
        _ => false,
    }
}

/// `Ok` if `user` may do `action`, else a 403 saying what is not allowed.
pub fn authorize(user: &CurrentUser, action: &Action) -> Result<(), AppError> {
    if allowed(user, action) {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "du ({}, roll {}) får inte {}; be en administratör om behörighet om du behöver den",
            user.name,
            role_name(user.role),
            describe(action)
        )))
    }
}

/// The Swedish name of a role, as shown in pages.
pub fn role_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "administratör",
        Role::Controller => "controller",
        Role::Manager => "enhetschef",
        Role::Reader => "läsare",
    }
}

/// What an action is, in Swedish, for the 403 message.
fn describe(action: &Action) -> String {
    match action {
        Action::ManageUsers => "hantera användare".into(),
        Action::OpenImport => "importera paket".into(),
        Action::ImportPackage { committee: None } => {
            "importera ett paket för en nämnd som inte finns i databasen (det gör en administratör)"
                .into()
        }
        Action::ImportPackage { committee: Some(_) } => {
            "importera paket för den här nämnden (du är inte tilldelad nämnden)".into()
        }
        Action::ReadAudit => "läsa granskningsloggen".into(),
        Action::ListPackages => "se paketen".into(),
        Action::ReadReport { .. } => "läsa den här nämndens rapport".into(),
        Action::OpenRound { .. } => "öppna en uppföljningsomgång för den här nämnden".into(),
        Action::EditForecast { ansvar, .. } => {
            format!("ändra prognos eller kommentar för ansvar {ansvar}")
        }
        Action::ReviewRound { .. } => "granska den här omgången".into(),
        Action::LockRound { .. } => "låsa den här omgången".into(),
        Action::ApproveRound { .. } => "anteckna nämndens beslut för den här omgången".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWN: i64 = 1;
    const OTHER: i64 = 2;

    fn user(role: Role) -> CurrentUser {
        CurrentUser {
            id: 1,
            name: "test".into(),
            role,
            ansvar: vec!["110".into()],
            committees: vec![OWN],
            committee_names: vec!["Egen nämnd".into()],
            auth: crate::auth::AuthKind::Bearer,
        }
    }

    /// Every role against every action: (action, [admin, controller, manager, reader]).
    #[test]
    fn every_role_against_every_action() {
        let edit = |committee, ansvar: &str| Action::EditForecast {
            committee,
            ansvar: ansvar.into(),
        };
        let table: Vec<(Action, [bool; 4])> = vec![
            (Action::ManageUsers, [true, false, false, false]),
            (Action::OpenImport, [true, true, false, false]),
            (
                Action::ImportPackage { committee: None },
                [true, false, false, false],
            ),
            (
                Action::ImportPackage {
                    committee: Some(OWN),
                },
                [true, true, false, false],
            ),
            (
                Action::ImportPackage {
                    committee: Some(OTHER),
                },
                [true, false, false, false],
            ),
            (Action::ReadAudit, [true, true, false, true]),
            (Action::ListPackages, [true, true, true, true]),
            (
                Action::ReadReport { committee: OWN },
                [true, true, true, true],
            ),
            (
                Action::ReadReport { committee: OTHER },
                [true, false, false, false],
            ),
            (
                Action::OpenRound { committee: OWN },
                [false, true, false, false],
            ),
            (
                Action::OpenRound { committee: OTHER },
                [false, false, false, false],
            ),
            (edit(OWN, "110"), [false, true, true, false]),
            (edit(OWN, "120"), [false, true, false, false]),
            (edit(OTHER, "110"), [false, false, false, false]),
            (
                Action::ReviewRound { committee: OWN },
                [false, true, false, false],
            ),
            (
                Action::ReviewRound { committee: OTHER },
                [false, false, false, false],
            ),
            (
                Action::LockRound { committee: OWN },
                [false, true, false, false],
            ),
            (
                Action::LockRound { committee: OTHER },
                [false, false, false, false],
            ),
            (
                Action::ApproveRound { committee: OWN },
                [false, true, false, false],
            ),
            (
                Action::ApproveRound { committee: OTHER },
                [false, false, false, false],
            ),
        ];
        for (action, expected) in &table {
            for (role, want) in Role::ALL.iter().zip(expected) {
                let u = user(*role);
                assert_eq!(allowed(&u, action), *want, "{role:?} {action:?}");
                let result = authorize(&u, action);
                assert_eq!(result.is_ok(), *want, "{role:?} {action:?}");
                if let Err(e) = result {
                    assert_eq!(e.status(), axum::http::StatusCode::FORBIDDEN);
                    assert!(e.to_string().contains("får inte"), "{e}");
                }
            }
        }
    }

    /// A user without committees reads no committee's report (except an admin).
    #[test]
    fn no_committee_reads_nothing() {
        for role in [Role::Controller, Role::Manager, Role::Reader] {
            let mut u = user(role);
            u.committees.clear();
            assert!(
                !allowed(&u, &Action::ReadReport { committee: OWN }),
                "{role:?}"
            );
            assert!(!allowed(
                &u,
                &Action::ImportPackage {
                    committee: Some(OWN)
                }
            ));
        }
    }
}
