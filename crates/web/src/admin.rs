//! User administration (role admin) at `/admin/anvandare`: the list with a form to add a
//! user, and one page per user with forms to change the role, assign and take away
//! ansvar and committees, and deactivate or activate. Each change is one transaction
//! in the store with its audit entry (old and new value). An admin cannot deactivate
//! themselves or change their own role (so that the last admin cannot lock everyone
//! out by mistake).

use crate::auth::{redirect_with_flash, CurrentUser};
use crate::error::AppError;
use crate::policy::{authorize, role_name, Action};
use crate::templates::{render, Flash, FlashIn};
use crate::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use delar_store::{Assignment, Role, User};
use minijinja::context;
use serde::Deserialize;

/// A user for pages and the API.
pub(crate) fn user_json(u: &User) -> serde_json::Value {
    serde_json::json!({
        "id": u.id,
        "name": u.name,
        "role": u.role.as_str(),
        "role_name": role_name(u.role),
        "ansvar": u.ansvar,
        "committees": u.committees.iter().map(|c| &c.name).collect::<Vec<_>>(),
        "active": u.active,
    })
}

fn roles() -> Vec<serde_json::Value> {
    Role::ALL
        .iter()
        .map(|r| serde_json::json!({"value": r.as_str(), "label": role_name(*r)}))
        .collect()
}

/// A comma- or line-separated list of codes (ansvar).
pub(crate) fn split_list(text: &str) -> Vec<String> {
    text.split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// A list of names, one per line (committee names may contain commas).
pub(crate) fn split_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The fields of the add-user form.
#[derive(Debug, Deserialize)]
pub(crate) struct NewUserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    ansvar: String,
    #[serde(default)]
    committees: String,
}

/// GET /admin/anvandare.
pub(crate) async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    flash: FlashIn,
) -> Result<Response, AppError> {
    authorize(&user, &Action::ManageUsers)?;
    list_page(&state, &user, flash.0, None).await
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    flash: Vec<Flash>,
    form: Option<&NewUserForm>,
) -> Result<Response, AppError> {
    let users: Vec<_> = state.store.users().await?.iter().map(user_json).collect();
    let committees: Vec<String> = state
        .store
        .committees()
        .await?
        .into_iter()
        .map(|c| c.name)
        .collect();
    let form = form.map(|f| {
        context! { name => f.name, role => f.role, ansvar => f.ansvar, committees => f.committees }
    });
    render(
        state,
        Some(user),
        flash,
        "/admin/anvandare",
        "admin/users.html",
        context! {
            users => users,
            roles => roles(),
            committees => committees,
            form => form,
            min_password => delar_store::accounts::MIN_PASSWORD_CHARS,
        },
    )
}

/// POST /admin/anvandare: adds a user.
pub(crate) async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<NewUserForm>,
) -> Result<Response, AppError> {
    authorize(&user, &Action::ManageUsers)?;
    let result = async {
        let role = Role::parse(&form.role)?;
        state
            .store
            .add_user_with_committees(
                &user.name,
                &form.name,
                role,
                &split_list(&form.ansvar),
                &split_lines(&form.committees),
                &form.password,
            )
            .await
    }
    .await;
    match result {
        Ok(created) => Ok(redirect_with_flash(
            &state,
            "/admin/anvandare",
            Flash::info(format!(
                "Användaren {} är skapad ({}).",
                created.name,
                role_name(created.role)
            )),
        )),
        Err(e) => {
            let e = AppError::from(e);
            if !matches!(e, AppError::Invalid(_) | AppError::Conflict(_)) {
                return Err(e);
            }
            let status = e.status();
            let mut r = list_page(
                &state,
                &user,
                vec![Flash::error(e.to_string())],
                Some(&form),
            )
            .await?;
            *r.status_mut() = status;
            Ok(r)
        }
    }
}

/// GET /admin/anvandare/{id}.
pub(crate) async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    flash: FlashIn,
) -> Result<Response, AppError> {
    authorize(&user, &Action::ManageUsers)?;
    let target = state
        .store
        .user_by_id(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("användare {id} finns inte")))?;
    let committees: Vec<String> = state
        .store
        .committees()
        .await?
        .into_iter()
        .map(|c| c.name)
        .filter(|c| !target.committees.iter().any(|t| &t.name == c))
        .collect();
    let history = state
        .store
        .audit_query(&delar_store::AuditFilter {
            entity: Some(format!("user:{}", target.name)),
            newest_first: true,
            limit: Some(50),
            ..Default::default()
        })
        .await?;
    let history: Vec<_> = history
        .into_iter()
        .filter(|e| e.entity == format!("user:{}", target.name))
        .map(|e| crate::audit_pages::entry_json(&e))
        .collect();
    render(
        &state,
        Some(&user),
        flash.0,
        "/admin/anvandare",
        "admin/user.html",
        context! {
            target => user_json(&target),
            is_self => target.id == user.id,
            roles => roles(),
            committees => committees,
            history => history,
        },
    )
}

/// The fields of a change form on a user's page.
#[derive(Debug, Deserialize)]
pub(crate) struct ChangeForm {
    op: String,
    #[serde(default)]
    value: String,
}

/// What a change does, or why it is refused.
pub(crate) enum Change {
    Role(Role),
    Assign(Assignment),
    Active(bool),
}

impl Change {
    /// The change named by a form's `op` and `value`.
    pub(crate) fn parse(op: &str, value: &str) -> Result<Change, AppError> {
        let v = value.trim().to_string();
        Ok(match op {
            "role" => Change::Role(Role::parse(&v)?),
            "add_ansvar" => Change::Assign(Assignment::AddAnsvar(v)),
            "remove_ansvar" => Change::Assign(Assignment::RemoveAnsvar(v)),
            "add_committee" => Change::Assign(Assignment::AddCommittee(v)),
            "remove_committee" => Change::Assign(Assignment::RemoveCommittee(v)),
            "deactivate" => Change::Active(false),
            "activate" => Change::Active(true),
            _ => return Err(AppError::Invalid(format!("okänd ändring \"{op}\""))),
        })
    }

    /// Applies the change as `actor` to user `id`.
    pub(crate) async fn apply(
        self,
        state: &AppState,
        actor: &CurrentUser,
        id: i64,
    ) -> Result<User, AppError> {
        if id == actor.id && matches!(self, Change::Role(_) | Change::Active(false)) {
            return Err(AppError::Conflict(
                "du kan inte ändra din egen roll eller stänga av ditt eget konto; be en annan administratör".into(),
            ));
        }
        Ok(match self {
            Change::Role(r) => state.store.set_role(&actor.name, id, r).await?,
            Change::Assign(a) => state.store.change_assignment(&actor.name, id, &a).await?,
            Change::Active(a) => state.store.set_active(&actor.name, id, a).await?,
        })
    }
}

/// POST /admin/anvandare/{id}: one change (field `op`, value `value`).
pub(crate) async fn change(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Form(form): Form<ChangeForm>,
) -> Result<Response, AppError> {
    authorize(&user, &Action::ManageUsers)?;
    let to = format!("/admin/anvandare/{id}");
    let result = match Change::parse(&form.op, &form.value) {
        Ok(c) => c.apply(&state, &user, id).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(target) => Ok(redirect_with_flash(
            &state,
            &to,
            Flash::info(format!("Ändringen för {} är sparad.", target.name)),
        )),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => Ok(redirect_with_flash(
            &state,
            &to,
            Flash::error(e.to_string()),
        )),
        Err(e) => Err(e),
    }
}
