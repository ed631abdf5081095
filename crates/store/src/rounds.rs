//! The follow-up round in storage: rounds of a committee and period, the managers'
//! forecasts per report row and ansvar with their status, comments, the lock with the
//! archived report and the committee's decision. Every change is in the audit log, in the
//! transaction of the change.
//!
//! No lost updates: a forecast and a round carry a version; a change names the version it
//! was made from and is refused as a [`Saved::Conflict`] (with the other's value) when
//! someone changed it in between. The check is the UPDATE's own `WHERE version = …`, so it
//! holds across server processes on one PostgreSQL.
//!
//! Every writing transaction starts with a write (the round's guard row, whose version it
//! counts up), so on SQLite it takes the write lock before it reads and never fails on a
//! stale snapshot, and a lock made from an older round version is refused.

use crate::audit::audit;
use crate::{error, on_db, Store, StoreError, User};
use serde_json::json;

/// The first statement of a transaction that changes an open round: a write on the round's
/// row (so SQLite takes its write lock now and PostgreSQL serialises against a lock of the
/// round) that counts up the round's version, so a lock made from the version shown
/// before a forecast changed is refused (the archived report is always of the forecasts
/// the controller saw); refuses when the round is missing or not open.
macro_rules! round_guard {
    ($tx:expr, $round_id:expr) => {{
        let open = sqlx::query(
            "UPDATE rounds SET version = version + 1 WHERE id = $1 AND status = 'open'",
        )
        .bind($round_id)
        .execute(&mut *$tx)
        .await
        .map_err(error::db("läsa rundan"))?
        .rows_affected();
        if open != 1 {
            return Err(StoreError::Closed(
                "rundan är låst eller finns inte: inget ändrades".into(),
            ));
        }
    }};
}

/// Inserts a comment and its audit entry inside the transaction `$tx`.
macro_rules! insert_comment {
    ($tx:expr, $actor:expr, $round_id:expr, $row_id:expr, $ansvar:expr, $body:expr, $now:expr) => {{
        let row_id: Option<&str> = $row_id;
        let ansvar: Option<&str> = $ansvar;
        let body: &str = $body;
        sqlx::query(
            "INSERT INTO comments (round_id, row_id, ansvar, author_id, body, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind($round_id)
        .bind(row_id)
        .bind(ansvar)
        .bind($actor.id)
        .bind(body)
        .bind($now)
        .execute(&mut *$tx)
        .await
        .map_err(error::db("spara kommentaren"))?;
        let entity = comment_entity($round_id, row_id, ansvar);
        let new = json!({"comment": body}).to_string();
        audit!($tx, &$actor.name, "comment.add", entity, None::<String>, Some(new))?;
    }};
}

fn comment_entity(round_id: i64, row_id: Option<&str>, ansvar: Option<&str>) -> String {
    match (row_id, ansvar) {
        (Some(r), Some(a)) => forecast_entity(round_id, r, a),
        (None, Some(a)) => format!("ansvar:{round_id}/{a}"),
        _ => round_entity(round_id),
    }
}

/// Where a round is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoundStatus {
    /// Managers enter forecasts.
    Open,
    /// The controller locked it; the report is archived; read-only.
    Locked,
    /// The committee approved the report (decision recorded).
    Approved,
}

impl RoundStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RoundStatus::Open => "open",
            RoundStatus::Locked => "locked",
            RoundStatus::Approved => "approved",
        }
    }

    /// The Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            RoundStatus::Open => "öppen",
            RoundStatus::Locked => "låst",
            RoundStatus::Approved => "godkänd",
        }
    }

    fn parse(s: &str) -> Result<RoundStatus, StoreError> {
        Ok(match s {
            "open" => RoundStatus::Open,
            "locked" => RoundStatus::Locked,
            "approved" => RoundStatus::Approved,
            other => return Err(StoreError::Invalid(format!("okänd rundstatus {other}"))),
        })
    }
}

/// Where a forecast is: the manager's draft, submitted, returned by the controller with
/// a comment, or accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ForecastStatus {
    /// Saved, not yet submitted.
    Draft,
    /// Submitted to the controller.
    Submitted,
    /// Returned by the controller to be reworked.
    Returned,
    /// Accepted by the controller.
    Accepted,
}

impl ForecastStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ForecastStatus::Draft => "draft",
            ForecastStatus::Submitted => "submitted",
            ForecastStatus::Returned => "returned",
            ForecastStatus::Accepted => "accepted",
        }
    }

    /// The Swedish label.
    pub fn label(self) -> &'static str {
        match self {
            ForecastStatus::Draft => "utkast",
            ForecastStatus::Submitted => "inskickad",
            ForecastStatus::Returned => "återlämnad",
            ForecastStatus::Accepted => "godkänd",
        }
    }

    /// Whether the manager may still change it.
    pub fn editable(self) -> bool {
        matches!(self, ForecastStatus::Draft | ForecastStatus::Returned)
    }

    /// The status of a stored name.
    pub fn parse(s: &str) -> Result<ForecastStatus, StoreError> {
        Ok(match s {
            "draft" => ForecastStatus::Draft,
            "submitted" => ForecastStatus::Submitted,
            "returned" => ForecastStatus::Returned,
            "accepted" => ForecastStatus::Accepted,
            other => return Err(StoreError::Invalid(format!("okänd prognosstatus {other}"))),
        })
    }
}

/// A follow-up round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    /// Id.
    pub id: i64,
    /// Committee id.
    pub committee_id: i64,
    /// Committee name.
    pub committee: String,
    /// Year.
    pub year: i32,
    /// Last month of the period.
    pub through_month: u32,
    /// Name, e.g. "Delår augusti 2023".
    pub name: String,
    /// Status.
    pub status: RoundStatus,
    /// Who opened it.
    pub opened_by: String,
    /// When (µs since 1970 UTC).
    pub opened_at: i64,
    /// When it was locked.
    pub locked_at: Option<i64>,
    /// The committee's decision: meeting date (YYYY-MM-DD).
    pub decision_date: Option<String>,
    /// The committee's decision: paragraph (e.g. "§ 42").
    pub decision_paragraph: Option<String>,
    /// Version, for optimistic concurrency.
    pub version: i64,
}

/// A stored forecast of one row and ansvar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forecast {
    /// Round.
    pub round_id: i64,
    /// Report row id.
    pub row_id: String,
    /// Ansvar ("" for amounts without one).
    pub ansvar: String,
    /// Full-year forecast, öre, ledger sign.
    pub amount_ore: i64,
    /// The manager's comment.
    pub comment: String,
    /// Status.
    pub status: ForecastStatus,
    /// Who changed it last.
    pub updated_by: String,
    /// When.
    pub updated_at: i64,
    /// Version (1 when created).
    pub version: i64,
}

/// A forecast as entered, with the version it was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForecastInput {
    /// Report row id.
    pub row_id: String,
    /// Ansvar.
    pub ansvar: String,
    /// Full-year forecast, öre.
    pub amount_ore: i64,
    /// Comment.
    pub comment: String,
    /// The version the form showed; `None` when it showed no stored forecast.
    pub expected_version: Option<i64>,
}

/// What became of one entered forecast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Stored (or unchanged: same amount and comment).
    Saved(Forecast),
    /// Someone else changed it since the form was shown: nothing was written for it.
    Conflict {
        /// What was entered.
        mine: ForecastInput,
        /// What is stored now.
        theirs: Forecast,
    },
    /// It is submitted or accepted and cannot be changed until the controller returns it.
    NotEditable(Forecast),
}

/// A comment in a round: on a row and ansvar, on an ansvar, or on the round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundComment {
    /// Id.
    pub id: i64,
    /// Report row, if on a row.
    pub row_id: Option<String>,
    /// Ansvar, if on an ansvar.
    pub ansvar: Option<String>,
    /// Author's name.
    pub author: String,
    /// Text.
    pub body: String,
    /// When.
    pub created_at: i64,
}

/// An archived report file of a locked round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveInfo {
    /// Format (file name, e.g. `report.pdf`).
    pub format: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// SHA-256 of the report's inputs (package files and the round's forecasts).
    pub inputs_sha256: String,
    /// Size in bytes.
    pub size: i64,
}

/// A change of a round refused because it changed since it was shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoundChange {
    /// Done; the round as it is now.
    Done(Round),
    /// The round changed in between (or is not in the state the change needs): the round
    /// as it is now.
    Conflict(Round),
}

/// The longest comment accepted (characters).
pub const MAX_COMMENT_CHARS: usize = 4000;

type RoundRow = (
    i64,
    i64,
    String,
    i64,
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    i64,
);

const ROUND_SELECT: &str = "SELECT r.id, r.committee_id, c.name, r.year, r.through_month, r.name, \
     r.status, u.name, r.opened_at, r.locked_at, r.decision_date, r.decision_paragraph, \
     r.version FROM rounds r JOIN committees c ON c.id = r.committee_id \
     JOIN users u ON u.id = r.opened_by";

fn round_from(r: RoundRow) -> Result<Round, StoreError> {
    Ok(Round {
        id: r.0,
        committee_id: r.1,
        committee: r.2,
        year: i32::try_from(r.3).unwrap_or_default(),
        through_month: u32::try_from(r.4).unwrap_or_default(),
        name: r.5,
        status: RoundStatus::parse(&r.6)?,
        opened_by: r.7,
        opened_at: r.8,
        locked_at: r.9,
        decision_date: r.10,
        decision_paragraph: r.11,
        version: r.12,
    })
}

type ForecastRow = (i64, String, String, i64, String, String, String, i64, i64);

const FORECAST_SELECT: &str = "SELECT f.round_id, f.row_id, f.ansvar, f.amount_ore, f.comment, \
     f.status, u.name, f.updated_at, f.version FROM forecasts f \
     JOIN users u ON u.id = f.updated_by";

fn forecast_from(r: ForecastRow) -> Result<Forecast, StoreError> {
    Ok(Forecast {
        round_id: r.0,
        row_id: r.1,
        ansvar: r.2,
        amount_ore: r.3,
        comment: r.4,
        status: ForecastStatus::parse(&r.5)?,
        updated_by: r.6,
        updated_at: r.7,
        version: r.8,
    })
}

fn check_comment(text: &str) -> Result<(), StoreError> {
    if text.chars().count() > MAX_COMMENT_CHARS {
        return Err(StoreError::Invalid(format!(
            "kommentaren är för lång (högst {MAX_COMMENT_CHARS} tecken)"
        )));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(StoreError::Invalid(
            "kommentaren innehåller styrtecken; skriv den som vanlig text".into(),
        ));
    }
    Ok(())
}

fn forecast_json(f: &Forecast) -> String {
    json!({"amount_ore": f.amount_ore, "comment": f.comment, "status": f.status.as_str(), "version": f.version})
        .to_string()
}

/// The audit entity of a forecast cell.
pub fn forecast_entity(round_id: i64, row_id: &str, ansvar: &str) -> String {
    format!("forecast:{round_id}/{row_id}/{ansvar}")
}

/// The audit entity of a round.
pub fn round_entity(round_id: i64) -> String {
    format!("round:{round_id}")
}

impl Store {
    /// The current package (id) of a committee and year, if one is imported.
    pub async fn current_package(
        &self,
        committee_id: i64,
        year: i32,
    ) -> Result<Option<i64>, StoreError> {
        on_db!(self, p => sqlx::query_scalar(
            "SELECT id FROM packages WHERE committee_id = $1 AND year = $2 AND replaced_at IS NULL",
        )
        .bind(committee_id)
        .bind(i64::from(year))
        .fetch_optional(p)
        .await)
        .map_err(error::db("läsa paket"))
    }

    /// The files of a stored package: path, SHA-256 and bytes, by path.
    pub async fn package_files(
        &self,
        package_id: i64,
    ) -> Result<Vec<(String, String, Vec<u8>)>, StoreError> {
        on_db!(self, p => sqlx::query_as(
            "SELECT f.path, f.sha256, c.bytes FROM package_files f \
             JOIN file_contents c ON c.sha256 = f.sha256 \
             WHERE f.package_id = $1 ORDER BY f.path",
        )
        .bind(package_id)
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa paketets filer"))
    }

    /// Opens a round for a committee and period. The committee needs an imported package
    /// for the year; there is at most one round per committee, year and month.
    pub async fn open_round(
        &self,
        actor: &User,
        committee_id: i64,
        year: i32,
        through_month: u32,
        name: &str,
    ) -> Result<Round, StoreError> {
        let name = name.trim();
        if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 200 {
            return Err(StoreError::Invalid(
                "ge rundan ett namn (högst 200 tecken), till exempel \"Delår augusti 2023\"".into(),
            ));
        }
        if !(1..=12).contains(&through_month) {
            return Err(StoreError::Invalid(
                "periodens sista månad ska vara 1–12".into(),
            ));
        }
        if self.current_package(committee_id, year).await?.is_none() {
            return Err(StoreError::Invalid(format!(
                "nämnden har inget importerat paket för {year}: importera paketet först"
            )));
        }
        let id: i64 = on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let taken: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM rounds WHERE committee_id = $1 AND year = $2 AND through_month = $3",
            )
            .bind(committee_id)
            .bind(i64::from(year))
            .bind(i64::from(through_month))
            .fetch_optional(&mut *tx)
            .await
            .map_err(error::db("läsa rundor"))?;
            if taken.is_some() {
                return Err(StoreError::Invalid(format!(
                    "nämnden har redan en uppföljningsrunda för {year} t.o.m. månad {through_month}"
                )));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO rounds (committee_id, year, through_month, name, status, opened_by, opened_at) \
                 VALUES ($1, $2, $3, $4, 'open', $5, $6) RETURNING id",
            )
            .bind(committee_id)
            .bind(i64::from(year))
            .bind(i64::from(through_month))
            .bind(name)
            .bind(actor.id)
            .bind(crate::now_micros())
            .fetch_one(&mut *tx)
            .await
            .map_err(error::db("spara rundan"))?;
            let new = json!({"committee_id": committee_id, "year": year, "through_month": through_month, "name": name, "status": "open"}).to_string();
            audit!(tx, &actor.name, "round.open", round_entity(id), None::<String>, Some(new))?;
            tx.commit().await.map_err(error::db("spara rundan"))?;
            id
        });
        self.round(id)
            .await?
            .ok_or_else(|| StoreError::Invalid("rundan försvann".into()))
    }

    /// Every round, newest first.
    pub async fn rounds(&self) -> Result<Vec<Round>, StoreError> {
        let sql = format!("{ROUND_SELECT} ORDER BY r.year DESC, r.through_month DESC, r.id DESC");
        let rows: Vec<RoundRow> = on_db!(self, p => sqlx::query_as(&sql).fetch_all(p).await)
            .map_err(error::db("läsa rundor"))?;
        rows.into_iter().map(round_from).collect()
    }

    /// A round.
    pub async fn round(&self, id: i64) -> Result<Option<Round>, StoreError> {
        let sql = format!("{ROUND_SELECT} WHERE r.id = $1");
        let row: Option<RoundRow> =
            on_db!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await)
                .map_err(error::db("läsa rundan"))?;
        row.map(round_from).transpose()
    }

    /// The round of the same committee and year before this one (the latest with an
    /// earlier month), whose forecasts are "last round's forecast".
    pub async fn previous_round(&self, round: &Round) -> Result<Option<Round>, StoreError> {
        let sql = format!(
            "{ROUND_SELECT} WHERE r.committee_id = $1 AND r.year = $2 AND r.through_month < $3 \
             ORDER BY r.through_month DESC LIMIT 1"
        );
        let row: Option<RoundRow> = on_db!(self, p => sqlx::query_as(&sql)
            .bind(round.committee_id)
            .bind(i64::from(round.year))
            .bind(i64::from(round.through_month))
            .fetch_optional(p)
            .await)
        .map_err(error::db("läsa rundor"))?;
        row.map(round_from).transpose()
    }

    /// The forecasts of a round, by ansvar and row.
    pub async fn forecasts(&self, round_id: i64) -> Result<Vec<Forecast>, StoreError> {
        let sql = format!("{FORECAST_SELECT} WHERE f.round_id = $1 ORDER BY f.ansvar, f.row_id");
        let rows: Vec<ForecastRow> =
            on_db!(self, p => sqlx::query_as(&sql).bind(round_id).fetch_all(p).await)
                .map_err(error::db("läsa prognoser"))?;
        rows.into_iter().map(forecast_from).collect()
    }

    /// Saves forecasts of an open round, each against the version it was made from, in one
    /// transaction. A forecast someone else changed in between is not written and comes
    /// back as [`Saved::Conflict`] with their value; a submitted or accepted one as
    /// [`Saved::NotEditable`]; the others are stored (status draft, or returned kept until
    /// submitted) with an audit entry each. Unchanged ones write nothing.
    pub async fn save_forecasts(
        &self,
        actor: &User,
        round_id: i64,
        inputs: &[ForecastInput],
    ) -> Result<Vec<Saved>, StoreError> {
        for i in inputs {
            check_comment(&i.comment)?;
            if i.amount_ore.abs() > delar_core::money::MAX_AMOUNT_ORE {
                return Err(StoreError::Invalid(
                    "prognosen är orimligt stor (högst 100 000 000 000 kr)".into(),
                ));
            }
        }
        let now = crate::now_micros();
        let select =
            format!("{FORECAST_SELECT} WHERE f.round_id = $1 AND f.row_id = $2 AND f.ansvar = $3");
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            round_guard!(tx, round_id);
            let mut out = Vec::with_capacity(inputs.len());
            for i in inputs {
                let current: Option<ForecastRow> = sqlx::query_as(&select)
                    .bind(round_id)
                    .bind(&i.row_id)
                    .bind(&i.ansvar)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(error::db("läsa prognosen"))?;
                let current = current.map(forecast_from).transpose()?;
                let entity = forecast_entity(round_id, &i.row_id, &i.ansvar);
                match (current, i.expected_version) {
                    (Some(c), _) if c.amount_ore == i.amount_ore && c.comment == i.comment => {
                        out.push(Saved::Saved(c));
                    }
                    (Some(c), expected) if expected != Some(c.version) => {
                        out.push(Saved::Conflict { mine: i.clone(), theirs: c });
                    }
                    (Some(c), _) if !c.status.editable() => out.push(Saved::NotEditable(c)),
                    (Some(c), Some(v)) => {
                        let changed = sqlx::query(
                            "UPDATE forecasts SET amount_ore = $1, comment = $2, updated_by = $3, \
                             updated_at = $4, version = version + 1 \
                             WHERE round_id = $5 AND row_id = $6 AND ansvar = $7 AND version = $8",
                        )
                        .bind(i.amount_ore)
                        .bind(&i.comment)
                        .bind(actor.id)
                        .bind(now)
                        .bind(round_id)
                        .bind(&i.row_id)
                        .bind(&i.ansvar)
                        .bind(v)
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db("spara prognosen"))?
                        .rows_affected();
                        if changed != 1 {
                            // Changed by another process since it was read in this
                            // transaction (PostgreSQL, read committed).
                            let theirs: ForecastRow = sqlx::query_as(&select)
                                .bind(round_id)
                                .bind(&i.row_id)
                                .bind(&i.ansvar)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(error::db("läsa prognosen"))?;
                            out.push(Saved::Conflict { mine: i.clone(), theirs: forecast_from(theirs)? });
                            continue;
                        }
                        let new = Forecast {
                            amount_ore: i.amount_ore,
                            comment: i.comment.clone(),
                            updated_by: actor.name.clone(),
                            updated_at: now,
                            version: v + 1,
                            ..c.clone()
                        };
                        audit!(tx, &actor.name, "forecast.update", entity, Some(forecast_json(&c)), Some(forecast_json(&new)))?;
                        out.push(Saved::Saved(new));
                    }
                    (Some(_), None) => unreachable!("matched by the version arm"),
                    (None, _) => {
                        let inserted = sqlx::query(
                            "INSERT INTO forecasts (round_id, row_id, ansvar, amount_ore, comment, status, updated_by, updated_at) \
                             VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7) ON CONFLICT (round_id, row_id, ansvar) DO NOTHING",
                        )
                        .bind(round_id)
                        .bind(&i.row_id)
                        .bind(&i.ansvar)
                        .bind(i.amount_ore)
                        .bind(&i.comment)
                        .bind(actor.id)
                        .bind(now)
                        .execute(&mut *tx)
                        .await
                        .map_err(error::db("spara prognosen"))?
                        .rows_affected();
                        if inserted != 1 {
                            let theirs: ForecastRow = sqlx::query_as(&select)
                                .bind(round_id)
                                .bind(&i.row_id)
                                .bind(&i.ansvar)
                                .fetch_one(&mut *tx)
                                .await
                                .map_err(error::db("läsa prognosen"))?;
                            out.push(Saved::Conflict { mine: i.clone(), theirs: forecast_from(theirs)? });
                            continue;
                        }
                        let new = Forecast {
                            round_id,
                            row_id: i.row_id.clone(),
                            ansvar: i.ansvar.clone(),
                            amount_ore: i.amount_ore,
                            comment: i.comment.clone(),
                            status: ForecastStatus::Draft,
                            updated_by: actor.name.clone(),
                            updated_at: now,
                            version: 1,
                        };
                        audit!(tx, &actor.name, "forecast.create", entity, None::<String>, Some(forecast_json(&new)))?;
                        out.push(Saved::Saved(new));
                    }
                }
            }
            tx.commit().await.map_err(error::db("spara prognoserna"))?;
            Ok(out)
        })
    }

    /// Moves every forecast of `ansvar` in an open round whose status is one of `from` to
    /// `to` (submit: draft/returned → submitted; return: submitted → returned; accept:
    /// submitted → accepted), with an optional comment to the ansvar, in one transaction.
    /// Returns how many forecasts changed.
    pub async fn set_forecast_status(
        &self,
        actor: &User,
        round_id: i64,
        ansvar: &str,
        from: &[ForecastStatus],
        to: ForecastStatus,
        comment: Option<&str>,
    ) -> Result<u64, StoreError> {
        if let Some(c) = comment {
            check_comment(c)?;
        }
        let now = crate::now_micros();
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            round_guard!(tx, round_id);
            let mut changed = 0;
            for f in from {
                changed += sqlx::query(
                    "UPDATE forecasts SET status = $1, updated_by = $2, updated_at = $3, \
                     version = version + 1 WHERE round_id = $4 AND ansvar = $5 AND status = $6",
                )
                .bind(to.as_str())
                .bind(actor.id)
                .bind(now)
                .bind(round_id)
                .bind(ansvar)
                .bind(f.as_str())
                .execute(&mut *tx)
                .await
                .map_err(error::db("ändra prognosernas status"))?
                .rows_affected();
            }
            if changed > 0 {
                let old = json!({"status": from.iter().map(|s| s.as_str()).collect::<Vec<_>>()}).to_string();
                let new = json!({"status": to.as_str(), "forecasts": changed, "comment": comment}).to_string();
                audit!(tx, &actor.name, "ansvar.status", format!("ansvar:{round_id}/{ansvar}"), Some(old), Some(new))?;
                if let Some(body) = comment.filter(|c| !c.trim().is_empty()) {
                    insert_comment!(tx, actor, round_id, None, Some(ansvar), body, now);
                }
            }
            tx.commit().await.map_err(error::db("ändra prognosernas status"))?;
            Ok(changed)
        })
    }

    /// Adds a comment to an open round (on a row and ansvar, an ansvar, or the round).
    pub async fn add_comment(
        &self,
        actor: &User,
        round_id: i64,
        row_id: Option<&str>,
        ansvar: Option<&str>,
        body: &str,
    ) -> Result<(), StoreError> {
        if body.trim().is_empty() {
            return Err(StoreError::Invalid("kommentaren är tom".into()));
        }
        check_comment(body)?;
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            round_guard!(tx, round_id);
            insert_comment!(tx, actor, round_id, row_id, ansvar, body, crate::now_micros());
            tx.commit().await.map_err(error::db("spara kommentaren"))?;
            Ok(())
        })
    }

    /// The comments of a round, oldest first.
    pub async fn comments(&self, round_id: i64) -> Result<Vec<RoundComment>, StoreError> {
        type Row = (i64, Option<String>, Option<String>, String, String, i64);
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(
            "SELECT c.id, c.row_id, c.ansvar, u.name, c.body, c.created_at FROM comments c \
             JOIN users u ON u.id = c.author_id WHERE c.round_id = $1 ORDER BY c.id",
        )
        .bind(round_id)
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa kommentarer"))?;
        Ok(rows
            .into_iter()
            .map(|r| RoundComment {
                id: r.0,
                row_id: r.1,
                ansvar: r.2,
                author: r.3,
                body: r.4,
                created_at: r.5,
            })
            .collect())
    }

    /// Locks an open round made from `expected_version` and archives its report (every
    /// format: file name and bytes) with the SHA-256 of its inputs, in one transaction.
    pub async fn lock_round(
        &self,
        actor: &User,
        round_id: i64,
        expected_version: i64,
        archive: &[(String, Vec<u8>)],
        inputs_sha256: &str,
    ) -> Result<RoundChange, StoreError> {
        let now = crate::now_micros();
        let done = on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let changed = sqlx::query(
                "UPDATE rounds SET status = 'locked', locked_at = $1, version = version + 1 \
                 WHERE id = $2 AND version = $3 AND status = 'open'",
            )
            .bind(now)
            .bind(round_id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(error::db("låsa rundan"))?
            .rows_affected();
            if changed == 1 {
                for (format, bytes) in archive {
                    let sha = crate::sha256_hex(bytes);
                    sqlx::query(
                        "INSERT INTO file_contents (sha256, size, bytes) VALUES ($1, $2, $3) \
                         ON CONFLICT (sha256) DO NOTHING",
                    )
                    .bind(&sha)
                    .bind(bytes.len() as i64)
                    .bind(bytes.as_slice())
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("arkivera rapporten"))?;
                    sqlx::query(
                        "INSERT INTO round_archives (round_id, format, sha256, inputs_sha256, created_at) \
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(round_id)
                    .bind(format)
                    .bind(&sha)
                    .bind(inputs_sha256)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("arkivera rapporten"))?;
                }
                let files: Vec<_> = archive.iter().map(|(f, b)| json!({"format": f, "sha256": crate::sha256_hex(b)})).collect();
                let new = json!({"status": "locked", "inputs_sha256": inputs_sha256, "archive": files}).to_string();
                audit!(tx, &actor.name, "round.lock", round_entity(round_id), Some(json!({"status": "open"}).to_string()), Some(new))?;
            }
            tx.commit().await.map_err(error::db("låsa rundan"))?;
            changed == 1
        });
        self.round_change(round_id, done).await
    }

    /// Records the committee's decision on a locked round: it becomes approved.
    pub async fn approve_round(
        &self,
        actor: &User,
        round_id: i64,
        expected_version: i64,
        meeting_date: &str,
        paragraph: &str,
    ) -> Result<RoundChange, StoreError> {
        if delar_core::money::Date::parse(meeting_date.trim()).is_none() {
            return Err(StoreError::Invalid(format!(
                "sammanträdesdatumet \"{meeting_date}\" är inget datum; skriv det som ÅÅÅÅ-MM-DD"
            )));
        }
        let paragraph = paragraph.trim();
        if paragraph.is_empty()
            || paragraph.chars().count() > 50
            || paragraph.chars().any(char::is_control)
        {
            return Err(StoreError::Invalid(
                "ange protokollets paragraf, till exempel \"§ 42\" (högst 50 tecken)".into(),
            ));
        }
        let done = on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            let changed = sqlx::query(
                "UPDATE rounds SET status = 'approved', decision_date = $1, decision_paragraph = $2, \
                 version = version + 1 WHERE id = $3 AND version = $4 AND status = 'locked'",
            )
            .bind(meeting_date.trim())
            .bind(paragraph)
            .bind(round_id)
            .bind(expected_version)
            .execute(&mut *tx)
            .await
            .map_err(error::db("registrera beslutet"))?
            .rows_affected();
            if changed == 1 {
                let new = json!({"status": "approved", "decision_date": meeting_date.trim(), "decision_paragraph": paragraph}).to_string();
                audit!(tx, &actor.name, "round.approve", round_entity(round_id), Some(json!({"status": "locked"}).to_string()), Some(new))?;
            }
            tx.commit().await.map_err(error::db("registrera beslutet"))?;
            changed == 1
        });
        self.round_change(round_id, done).await
    }

    async fn round_change(&self, round_id: i64, done: bool) -> Result<RoundChange, StoreError> {
        let round = self
            .round(round_id)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("rundan {round_id} finns inte")))?;
        Ok(if done {
            RoundChange::Done(round)
        } else {
            RoundChange::Conflict(round)
        })
    }

    /// The archived files of a round.
    pub async fn archives(&self, round_id: i64) -> Result<Vec<ArchiveInfo>, StoreError> {
        type Row = (String, String, String, i64);
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(
            "SELECT a.format, a.sha256, a.inputs_sha256, c.size FROM round_archives a \
             JOIN file_contents c ON c.sha256 = a.sha256 WHERE a.round_id = $1 ORDER BY a.format",
        )
        .bind(round_id)
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa arkivet"))?;
        Ok(rows
            .into_iter()
            .map(|r| ArchiveInfo {
                format: r.0,
                sha256: r.1,
                inputs_sha256: r.2,
                size: r.3,
            })
            .collect())
    }

    /// The bytes of one archived file of a round.
    pub async fn archive_file(
        &self,
        round_id: i64,
        format: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        on_db!(self, p => sqlx::query_scalar(
            "SELECT c.bytes FROM round_archives a JOIN file_contents c ON c.sha256 = a.sha256 \
             WHERE a.round_id = $1 AND a.format = $2",
        )
        .bind(round_id)
        .bind(format)
        .fetch_optional(p)
        .await)
        .map_err(error::db("läsa arkivet"))
    }
}
