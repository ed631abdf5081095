//! Import of a report package: its files as bytes and its SIE ledgers as rows, into the
//! database in one transaction, all or nothing.
//!
//! [`prepare_import`] reads the package through delar-core's loader (a broken package is
//! refused with the loader's file:line message before anything is written) and parses
//! the ledgers into rows; [`Store::import`] writes it. The same package imported twice
//! changes nothing (the package's hash is that of its files' paths and SHA-256s); a
//! ledger file already stored for the committee and year is reused; a different export
//! of the same committee and year replaces the old one, and the replacement is recorded
//! in the audit log. PostgreSQL rows go in with COPY, SQLite rows with prepared
//! multi-row INSERTs.

use crate::audit::audit;
use crate::{error, on_db, sha256_hex, Store, StoreError};
use delar_core::ledger::LedgerKind;
use delar_core::{load_package, SourceError, SourceFiles};
use std::cell::RefCell;
use std::collections::BTreeMap;

/// One row of a ledger as stored: a voucher row (#TRANS, #RTRANS, #BTRANS) or, for a
/// ledger without vouchers, a #PSALDO record of the current year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// `#TRANS`, `#RTRANS`, `#BTRANS` or `#PSALDO`.
    pub kind: &'static str,
    /// Account as written in the file.
    pub account: String,
    /// Year of the row's date (its own, else the voucher's), or of the period.
    pub year: i32,
    /// Month 1..=12, likewise.
    pub month: u32,
    /// Objects as JSON, `[[dimension, "id"], …]`.
    pub objects: String,
    /// Voucher series and number (`A 12`), for voucher rows.
    pub voucher: Option<String>,
    /// The row's effective date, `YYYY-MM-DD`, for voucher rows.
    pub date: Option<String>,
    /// The row's text, else the voucher's.
    pub text: Option<String>,
    /// Amount in öre (debit positive).
    pub amount_ore: i64,
    /// Line in the file.
    pub line: u32,
}

/// A ledger of the package, read and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedLedger {
    /// `current` or `prior`.
    pub role: &'static str,
    /// Path inside the package.
    pub path: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// The fiscal year it covers.
    pub year: i32,
    /// `vouchers` or `period_balances`.
    pub kind: &'static str,
    /// Every row.
    pub rows: Vec<LedgerRow>,
    /// Sum of the counting rows (#TRANS, #RTRANS, #PSALDO), in öre.
    pub total_ore: i64,
}

/// A package read and checked, ready for [`Store::import`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedImport {
    /// Committee name (from `delar.toml`).
    pub committee: String,
    /// Report year.
    pub year: i32,
    /// Last month of the period.
    pub through_month: u32,
    /// Hash of the package: SHA-256 over its files' paths and SHA-256s.
    pub sha256: String,
    /// Every file the package consists of (those the loader read), path → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    /// Its ledgers.
    pub ledgers: Vec<PreparedLedger>,
}

impl PreparedImport {
    /// Number of ledger rows in all.
    pub fn row_count(&self) -> u64 {
        self.ledgers.iter().map(|l| l.rows.len() as u64).sum()
    }
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    /// The same package was already imported: nothing changed.
    Unchanged {
        /// The package already stored.
        package_id: i64,
    },
    /// The package was stored.
    Imported {
        /// The new package.
        package_id: i64,
        /// The package of the same committee and year it replaced.
        replaced: Option<i64>,
        /// Ledger rows written (ledgers already stored are reused, not rewritten).
        rows_written: u64,
    },
}

/// Progress of writing ledger rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportProgress {
    /// The ledger being written.
    pub path: String,
    /// Rows of it written so far.
    pub rows_done: u64,
    /// Rows of it in all.
    pub rows_total: u64,
}

/// A progress callback.
pub type ProgressFn<'a> = &'a (dyn Fn(&ImportProgress) + Sync);

/// Keeps every file the loader reads: the package is exactly what the loader needed.
struct Recording<'a> {
    inner: &'a dyn SourceFiles,
    read: RefCell<BTreeMap<String, Vec<u8>>>,
}

impl SourceFiles for Recording<'_> {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        let bytes = self.inner.read(path)?;
        self.read
            .borrow_mut()
            .insert(path.to_string(), bytes.clone());
        Ok(bytes)
    }

    // `open` stays the default (through `read`, so that the ledgers are recorded too).

    fn size(&self, path: &str) -> Option<u64> {
        self.inner.size(path)
    }
}

/// Reads the package through delar-core's loader (every error with file and line, and
/// nothing written) and parses its ledgers into rows.
pub fn prepare_import(files: &dyn SourceFiles) -> Result<PreparedImport, StoreError> {
    prepare_import_with(files, None)
}

/// [`prepare_import`], telling `progress` what it reads: the loader's steps, then (with
/// every step done) each ledger whose rows are being parsed for the database.
pub fn prepare_import_with(
    files: &dyn SourceFiles,
    progress: Option<&delar_core::ProgressFn>,
) -> Result<PreparedImport, StoreError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let recording = Recording {
        inner: files,
        read: RefCell::new(BTreeMap::new()),
    };
    let steps = std::sync::Arc::new(AtomicUsize::new(0));
    let forward: Option<delar_core::ProgressFn> = progress.map(|p| {
        let (p, steps) = (p.clone(), steps.clone());
        std::sync::Arc::new(move |x: &delar_core::Progress| {
            steps.store(x.steps, Ordering::Relaxed);
            p(x)
        }) as delar_core::ProgressFn
    });
    let package = load_package(&recording, forward.as_ref())?;
    let files = recording.read.into_inner();
    let config = &package.config;
    let mut ledgers = Vec::new();
    let mut sources = vec![("current", &package.current, config.year)];
    if let Some(prior) = &package.prior {
        sources.push(("prior", prior, config.year - 1));
    }
    for (role, ledger, default_year) in sources {
        let bytes = files.get(&ledger.path).map(Vec::as_slice).unwrap_or(&[]);
        let year = ledger.fiscal_year.map_or(default_year, |(_, end)| end.year);
        if let Some(p) = progress {
            let all = steps.load(Ordering::Relaxed);
            p(&delar_core::Progress {
                step: all,
                steps: all,
                message: format!("{}: raderna förbereds för databasen …", ledger.path),
            });
        }
        let (rows, total_ore) = ledger_rows(&ledger.path, bytes, ledger.kind);
        ledgers.push(PreparedLedger {
            role,
            path: ledger.path.clone(),
            sha256: sha256_hex(bytes),
            year,
            kind: match ledger.kind {
                LedgerKind::Vouchers => "vouchers",
                LedgerKind::PeriodBalances => "period_balances",
            },
            rows,
            total_ore,
        });
    }
    let mut listing = String::new();
    for (path, bytes) in &files {
        listing.push_str(path);
        listing.push('\0');
        listing.push_str(&sha256_hex(bytes));
        listing.push('\n');
    }
    Ok(PreparedImport {
        committee: config.committee.clone(),
        year: config.year,
        through_month: config.through_month,
        sha256: sha256_hex(listing.as_bytes()),
        files,
        ledgers,
    })
}

/// The rows of a ledger file the loader has accepted, and the sum of the counting ones.
fn ledger_rows(path: &str, bytes: &[u8], kind: LedgerKind) -> (Vec<LedgerRow>, i64) {
    let parsed = delar_sie::parse(bytes, &delar_sie::ParseOptions::new(path).lenient());
    let file = &parsed.file;
    let objects = |list: &mut dyn Iterator<Item = (u32, &str)>| {
        serde_json::to_string(&list.collect::<Vec<_>>()).unwrap_or_else(|_| "[]".into())
    };
    let mut rows = Vec::new();
    let mut total = 0i64;
    match kind {
        LedgerKind::Vouchers => {
            rows.reserve(file.vouchers.row_count());
            for v in file.vouchers.iter() {
                let voucher = format!("{} {}", v.series(), v.number()).trim().to_string();
                for r in v.rows() {
                    let date = r.booking_date(&v);
                    let amount = r.amount().ore();
                    if r.kind().counts() {
                        total += amount;
                    }
                    rows.push(LedgerRow {
                        kind: r.kind().label(),
                        account: r.account().to_string(),
                        year: i32::from(date.year),
                        month: u32::from(date.month),
                        objects: objects(&mut r.objects().map(|(d, id)| (d, &**id))),
                        voucher: Some(voucher.clone()),
                        date: Some(format!(
                            "{:04}-{:02}-{:02}",
                            date.year, date.month, date.day
                        )),
                        text: r.text().or(v.text()).map(str::to_string),
                        amount_ore: amount,
                        line: r.line(),
                    });
                }
            }
        }
        LedgerKind::PeriodBalances => {
            for p in file.period_balances.iter().filter(|p| p.year == 0) {
                total += p.amount.ore();
                rows.push(LedgerRow {
                    kind: "#PSALDO",
                    account: p.account.to_string(),
                    year: i32::from(p.period.year),
                    month: u32::from(p.period.month),
                    objects: objects(&mut p.objects.iter().map(|o| (o.dimension, &*o.id))),
                    voucher: None,
                    date: None,
                    text: None,
                    amount_ore: p.amount.ore(),
                    line: p.line,
                });
            }
        }
    }
    (rows, total)
}

/// The columns of `ledger_rows` written by an import, in order.
const ROW_COLUMNS: &str =
    "ledger_id, seq, kind, account, year, month, objects, voucher, date, text, amount_ore, line";
const ROW_COLUMN_COUNT: usize = 12;
/// Rows per INSERT on SQLite (12 parameters each, well under SQLite's 32 766).
const SQLITE_BATCH: usize = 400;
/// Rows between progress reports.
const PROGRESS_EVERY: usize = 20_000;

/// Writes a ledger's rows on the connection of an open transaction.
trait WriteRows {
    async fn write_rows(
        &mut self,
        ledger_id: i64,
        ledger: &PreparedLedger,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<(), StoreError>;
}

fn report(progress: Option<ProgressFn<'_>>, ledger: &PreparedLedger, done: usize) {
    if let Some(p) = progress {
        p(&ImportProgress {
            path: ledger.path.clone(),
            rows_done: done as u64,
            rows_total: ledger.rows.len() as u64,
        });
    }
}

impl WriteRows for sqlx::SqliteConnection {
    async fn write_rows(
        &mut self,
        ledger_id: i64,
        ledger: &PreparedLedger,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<(), StoreError> {
        let placeholders = |n: usize| {
            let one = format!("({})", ["?"; ROW_COLUMN_COUNT].join(", "));
            vec![one; n].join(", ")
        };
        let full = format!(
            "INSERT INTO ledger_rows ({ROW_COLUMNS}) VALUES {}",
            placeholders(SQLITE_BATCH)
        );
        let mut done = 0;
        for chunk in ledger.rows.chunks(SQLITE_BATCH) {
            let partial;
            let sql = if chunk.len() == SQLITE_BATCH {
                &full
            } else {
                partial = format!(
                    "INSERT INTO ledger_rows ({ROW_COLUMNS}) VALUES {}",
                    placeholders(chunk.len())
                );
                &partial
            };
            let mut q = sqlx::query(sql);
            for (i, r) in chunk.iter().enumerate() {
                q = q
                    .bind(ledger_id)
                    .bind((done + i) as i64)
                    .bind(r.kind)
                    .bind(r.account.as_str())
                    .bind(i64::from(r.year))
                    .bind(i64::from(r.month))
                    .bind(r.objects.as_str())
                    .bind(r.voucher.as_deref())
                    .bind(r.date.as_deref())
                    .bind(r.text.as_deref())
                    .bind(r.amount_ore)
                    .bind(i64::from(r.line));
            }
            q.execute(&mut *self)
                .await
                .map_err(error::db("skriva huvudbokens rader"))?;
            let before = done;
            done += chunk.len();
            if done / PROGRESS_EVERY != before / PROGRESS_EVERY || done == ledger.rows.len() {
                report(progress, ledger, done);
            }
        }
        Ok(())
    }
}

/// Rows of PostgreSQL's binary COPY format (`COPY … FROM STDIN (FORMAT binary)`):
/// integers travel as 8 big-endian bytes and texts as their UTF-8 bytes, so neither side
/// formats or parses numbers and nothing needs escaping. The layout is the one documented
/// under "Binary Format" of PostgreSQL's COPY: a signature, flags and header extension,
/// then per row the field count and each field as a length (-1 for NULL) and its bytes,
/// then a trailer of -1.
mod copy_binary {
    /// The file header: signature, flags (no OIDs) and an empty header extension.
    pub(super) const HEADER: &[u8] = b"PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0";
    /// The file trailer: a field count of -1.
    pub(super) const TRAILER: [u8; 2] = (-1i16).to_be_bytes();

    /// Starts a row of `fields` fields.
    pub(super) fn row(buf: &mut Vec<u8>, fields: i16) {
        buf.extend_from_slice(&fields.to_be_bytes());
    }

    /// A BIGINT field.
    pub(super) fn int8(buf: &mut Vec<u8>, v: i64) {
        buf.extend_from_slice(&8i32.to_be_bytes());
        buf.extend_from_slice(&v.to_be_bytes());
    }

    /// A TEXT field. Texts longer than 2 GiB cannot occur (a whole upload is far smaller).
    pub(super) fn text(buf: &mut Vec<u8>, s: &str) {
        let len = i32::try_from(s.len()).unwrap_or(i32::MAX);
        buf.extend_from_slice(&len.to_be_bytes());
        buf.extend_from_slice(s.as_bytes());
    }

    /// A nullable TEXT field.
    pub(super) fn optional(buf: &mut Vec<u8>, s: Option<&str>) {
        match s {
            Some(s) => text(buf, s),
            None => buf.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn header_is_signature_flags_and_empty_extension() {
            assert_eq!(super::HEADER.len(), 11 + 4 + 4);
            assert_eq!(&super::HEADER[..11], b"PGCOPY\n\xff\r\n\0");
            let mut buf = Vec::new();
            super::row(&mut buf, 2);
            super::int8(&mut buf, -2);
            super::optional(&mut buf, None);
            assert_eq!(
                buf,
                [0, 2, 0, 0, 0, 8, 255, 255, 255, 255, 255, 255, 255, 254, 255, 255, 255, 255]
            );
        }
    }
}

/// Bytes of COPY data sent to the server at a time.
const COPY_CHUNK: usize = 1 << 20;

impl WriteRows for sqlx::PgConnection {
    async fn write_rows(
        &mut self,
        ledger_id: i64,
        ledger: &PreparedLedger,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<(), StoreError> {
        let mut copy = self
            .copy_in_raw(&format!(
                "COPY ledger_rows ({ROW_COLUMNS}) FROM STDIN (FORMAT binary)"
            ))
            .await
            .map_err(error::db("börja skriva huvudbokens rader"))?;
        let mut buf: Vec<u8> = Vec::with_capacity(COPY_CHUNK);
        buf.extend_from_slice(copy_binary::HEADER);
        for (seq, r) in ledger.rows.iter().enumerate() {
            copy_binary::row(&mut buf, ROW_COLUMN_COUNT as i16);
            copy_binary::int8(&mut buf, ledger_id);
            copy_binary::int8(&mut buf, seq as i64);
            copy_binary::text(&mut buf, r.kind);
            copy_binary::text(&mut buf, &r.account);
            copy_binary::int8(&mut buf, i64::from(r.year));
            copy_binary::int8(&mut buf, i64::from(r.month));
            copy_binary::text(&mut buf, &r.objects);
            copy_binary::optional(&mut buf, r.voucher.as_deref());
            copy_binary::optional(&mut buf, r.date.as_deref());
            copy_binary::optional(&mut buf, r.text.as_deref());
            copy_binary::int8(&mut buf, r.amount_ore);
            copy_binary::int8(&mut buf, i64::from(r.line));
            let done = seq + 1;
            if done == ledger.rows.len() {
                buf.extend_from_slice(&copy_binary::TRAILER);
            }
            if buf.len() >= COPY_CHUNK - 4096 || done == ledger.rows.len() {
                copy.send(std::mem::take(&mut buf))
                    .await
                    .map_err(error::db("skriva huvudbokens rader"))?;
                buf.reserve(COPY_CHUNK);
            }
            if done % PROGRESS_EVERY == 0 || done == ledger.rows.len() {
                report(progress, ledger, done);
            }
        }
        if ledger.rows.is_empty() {
            buf.extend_from_slice(&copy_binary::TRAILER);
            copy.send(buf)
                .await
                .map_err(error::db("skriva huvudbokens rader"))?;
        }
        copy.finish()
            .await
            .map_err(error::db("skriva huvudbokens rader"))?;
        Ok(())
    }
}

impl Store {
    /// Stores a prepared package in one transaction: all of it, or (on any error,
    /// or if the process dies) nothing. `actor` is recorded in the audit log.
    pub async fn import(
        &self,
        actor: &str,
        package: &PreparedImport,
        progress: Option<ProgressFn<'_>>,
    ) -> Result<ImportOutcome, StoreError> {
        let now = crate::now_micros();
        let committee_entity = format!("{}/{}", package.committee, package.year);
        on_db!(self, p => {
            let mut tx = p.begin().await.map_err(error::db("börja en transaktion"))?;
            sqlx::query("INSERT INTO committees (name) VALUES ($1) ON CONFLICT (name) DO NOTHING")
                .bind(&package.committee)
                .execute(&mut *tx)
                .await
                .map_err(error::db("spara nämnden"))?;
            let committee_id: i64 = sqlx::query_scalar("SELECT id FROM committees WHERE name = $1")
                .bind(&package.committee)
                .fetch_one(&mut *tx)
                .await
                .map_err(error::db("läsa nämnden"))?;
            let old: Option<(i64, String)> = sqlx::query_as(
                "SELECT id, sha256 FROM packages \
                 WHERE committee_id = $1 AND year = $2 AND replaced_at IS NULL",
            )
            .bind(committee_id)
            .bind(i64::from(package.year))
            .fetch_optional(&mut *tx)
            .await
            .map_err(error::db("läsa importerade paket"))?;
            if let Some((id, sha)) = &old {
                if *sha == package.sha256 {
                    tx.rollback().await.map_err(error::db("avsluta transaktionen"))?;
                    return Ok(ImportOutcome::Unchanged { package_id: *id });
                }
                sqlx::query("UPDATE packages SET replaced_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("ersätta det gamla paketet"))?;
            }
            for bytes in package.files.values() {
                sqlx::query(
                    "INSERT INTO file_contents (sha256, size, bytes) VALUES ($1, $2, $3) \
                     ON CONFLICT (sha256) DO NOTHING",
                )
                .bind(sha256_hex(bytes))
                .bind(bytes.len() as i64)
                .bind(bytes.as_slice())
                .execute(&mut *tx)
                .await
                .map_err(error::db("spara paketets filer"))?;
            }
            let package_id: i64 = sqlx::query_scalar(
                "INSERT INTO packages \
                 (committee_id, year, through_month, sha256, imported_at, imported_by, replaces) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(committee_id)
            .bind(i64::from(package.year))
            .bind(i64::from(package.through_month))
            .bind(&package.sha256)
            .bind(now)
            .bind(actor)
            .bind(old.as_ref().map(|(id, _)| *id))
            .fetch_one(&mut *tx)
            .await
            .map_err(error::db("spara paketet"))?;
            for (path, bytes) in &package.files {
                sqlx::query("INSERT INTO package_files (package_id, path, sha256) VALUES ($1, $2, $3)")
                    .bind(package_id)
                    .bind(path)
                    .bind(sha256_hex(bytes))
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("spara paketets filer"))?;
            }
            let mut rows_written = 0u64;
            for ledger in &package.ledgers {
                let entity = format!("ledger:{}/{}", package.committee, ledger.year);
                let current: Option<(i64, String, String, i64)> = sqlx::query_as(
                    "SELECT id, sha256, path, row_count FROM ledgers \
                     WHERE committee_id = $1 AND year = $2 AND replaced_at IS NULL",
                )
                .bind(committee_id)
                .bind(i64::from(ledger.year))
                .fetch_optional(&mut *tx)
                .await
                .map_err(error::db("läsa huvudböcker"))?;
                let ledger_id = match current {
                    Some((id, sha, _, _)) if sha == ledger.sha256 => id,
                    current => {
                        if let Some((id, _, _, _)) = &current {
                            sqlx::query("UPDATE ledgers SET replaced_at = $1 WHERE id = $2")
                                .bind(now)
                                .bind(id)
                                .execute(&mut *tx)
                                .await
                                .map_err(error::db("ersätta huvudboken"))?;
                            sqlx::query("DELETE FROM ledger_rows WHERE ledger_id = $1")
                                .bind(id)
                                .execute(&mut *tx)
                                .await
                                .map_err(error::db("ta bort den ersatta huvudbokens rader"))?;
                        }
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO ledgers (committee_id, year, path, sha256, kind, \
                             row_count, total_ore, imported_at, replaces) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                        )
                        .bind(committee_id)
                        .bind(i64::from(ledger.year))
                        .bind(&ledger.path)
                        .bind(&ledger.sha256)
                        .bind(ledger.kind)
                        .bind(ledger.rows.len() as i64)
                        .bind(ledger.total_ore)
                        .bind(now)
                        .bind(current.as_ref().map(|c| c.0))
                        .fetch_one(&mut *tx)
                        .await
                        .map_err(error::db("spara huvudboken"))?;
                        tx.write_rows(id, ledger, progress).await?;
                        rows_written += ledger.rows.len() as u64;
                        let new_value = ledger_json(&ledger.path, &ledger.sha256, ledger.rows.len() as i64);
                        match &current {
                            Some((_, sha, path, count)) => audit!(
                                tx, actor, "ledger.replace", &entity,
                                Some(ledger_json(path, sha, *count)), Some(new_value)
                            )?,
                            None => audit!(tx, actor, "ledger.import", &entity, None::<String>, Some(new_value))?,
                        };
                        id
                    }
                };
                sqlx::query("INSERT INTO package_ledgers (package_id, ledger_id, role) VALUES ($1, $2, $3)")
                    .bind(package_id)
                    .bind(ledger_id)
                    .bind(ledger.role)
                    .execute(&mut *tx)
                    .await
                    .map_err(error::db("spara paketets huvudböcker"))?;
            }
            let package_json = |id: i64, sha: &str| {
                serde_json::json!({"package_id": id, "sha256": sha}).to_string()
            };
            let entity = format!("package:{committee_entity}");
            match &old {
                Some((id, sha)) => audit!(
                    tx, actor, "package.replace", &entity,
                    Some(package_json(*id, sha)), Some(package_json(package_id, &package.sha256))
                )?,
                None => audit!(
                    tx, actor, "package.import", &entity,
                    None::<String>, Some(package_json(package_id, &package.sha256))
                )?,
            };
            tx.commit().await.map_err(error::db("slutföra importen"))?;
            Ok(ImportOutcome::Imported {
                package_id,
                replaced: old.map(|(id, _)| id),
                rows_written,
            })
        })
    }
}

fn ledger_json(path: &str, sha256: &str, rows: i64) -> String {
    serde_json::json!({"path": path, "sha256": sha256, "rows": rows}).to_string()
}

/// A stored ledger, with what its rows in the database add up to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerInfo {
    /// Id.
    pub id: i64,
    /// Committee name.
    pub committee: String,
    /// Fiscal year.
    pub year: i32,
    /// Path in the package.
    pub path: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Rows the file has.
    pub row_count: i64,
    /// Sum of its counting rows, in öre.
    pub total_ore: i64,
    /// Whether a newer export replaced it.
    pub replaced: bool,
    /// Rows stored for it now (0 once replaced).
    pub stored_rows: i64,
    /// Sum of the counting rows stored for it now, in öre.
    pub stored_total_ore: i64,
}

/// A stored package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageInfo {
    /// Id.
    pub id: i64,
    /// Committee name.
    pub committee: String,
    /// Report year.
    pub year: i32,
    /// Hash of the package.
    pub sha256: String,
    /// The package it replaced.
    pub replaces: Option<i64>,
    /// Whether a newer import replaced it.
    pub replaced: bool,
    /// Its files: path and SHA-256.
    pub files: Vec<(String, String)>,
}

impl Store {
    /// Every stored ledger, oldest first.
    pub async fn ledgers(&self) -> Result<Vec<LedgerInfo>, StoreError> {
        type Row = (
            i64,
            String,
            i64,
            String,
            String,
            i64,
            i64,
            Option<i64>,
            i64,
            i64,
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(
            "SELECT l.id, c.name, l.year, l.path, l.sha256, l.row_count, l.total_ore, \
             l.replaced_at, \
             (SELECT COUNT(*) FROM ledger_rows r WHERE r.ledger_id = l.id), \
             (SELECT CAST(COALESCE(SUM(r.amount_ore), 0) AS BIGINT) FROM ledger_rows r \
              WHERE r.ledger_id = l.id AND r.kind <> '#BTRANS') \
             FROM ledgers l JOIN committees c ON c.id = l.committee_id ORDER BY l.id",
        )
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa huvudböcker"))?;
        Ok(rows
            .into_iter()
            .map(|r| LedgerInfo {
                id: r.0,
                committee: r.1,
                year: i32::try_from(r.2).unwrap_or_default(),
                path: r.3,
                sha256: r.4,
                row_count: r.5,
                total_ore: r.6,
                replaced: r.7.is_some(),
                stored_rows: r.8,
                stored_total_ore: r.9,
            })
            .collect())
    }

    /// Every stored package, oldest first.
    pub async fn packages(&self) -> Result<Vec<PackageInfo>, StoreError> {
        type Row = (i64, String, i64, String, Option<i64>, Option<i64>);
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(
            "SELECT p.id, c.name, p.year, p.sha256, p.replaces, p.replaced_at \
             FROM packages p JOIN committees c ON c.id = p.committee_id ORDER BY p.id",
        )
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa paket"))?;
        let files: Vec<(i64, String, String)> = on_db!(self, p => sqlx::query_as(
            "SELECT package_id, path, sha256 FROM package_files ORDER BY package_id, path",
        )
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa paketens filer"))?;
        Ok(rows
            .into_iter()
            .map(|r| PackageInfo {
                id: r.0,
                committee: r.1,
                year: i32::try_from(r.2).unwrap_or_default(),
                sha256: r.3,
                replaces: r.4,
                replaced: r.5.is_some(),
                files: files
                    .iter()
                    .filter(|f| f.0 == r.0)
                    .map(|f| (f.1.clone(), f.2.clone()))
                    .collect(),
            })
            .collect())
    }

    /// The bytes of a stored file, by SHA-256.
    pub async fn file_content(&self, sha256: &str) -> Result<Option<Vec<u8>>, StoreError> {
        on_db!(self, p => sqlx::query_scalar("SELECT bytes FROM file_contents WHERE sha256 = $1")
            .bind(sha256)
            .fetch_optional(p)
            .await)
        .map_err(error::db("läsa en fil"))
    }
}

/// The stored label of a row kind as the one the reader gives.
fn row_kind(stored: &str) -> Result<&'static str, StoreError> {
    ["#TRANS", "#RTRANS", "#BTRANS", "#PSALDO"]
        .into_iter()
        .find(|k| *k == stored)
        .ok_or_else(|| StoreError::Invalid(format!("okänd radtyp \"{stored}\" i databasen")))
}

impl Store {
    /// The rows stored for a ledger, in file order.
    pub async fn ledger_rows(&self, ledger_id: i64) -> Result<Vec<LedgerRow>, StoreError> {
        type Row = (
            String,
            String,
            i64,
            i64,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            i64,
            i64,
        );
        let rows: Vec<Row> = on_db!(self, p => sqlx::query_as(
            "SELECT kind, account, year, month, objects, voucher, date, text, amount_ore, line \
             FROM ledger_rows WHERE ledger_id = $1 ORDER BY seq",
        )
        .bind(ledger_id)
        .fetch_all(p)
        .await)
        .map_err(error::db("läsa huvudbokens rader"))?;
        rows.into_iter()
            .map(|r| {
                Ok(LedgerRow {
                    kind: row_kind(&r.0)?,
                    account: r.1,
                    year: i32::try_from(r.2).unwrap_or_default(),
                    month: u32::try_from(r.3).unwrap_or_default(),
                    objects: r.4,
                    voucher: r.5,
                    date: r.6,
                    text: r.7,
                    amount_ore: r.8,
                    line: u32::try_from(r.9).unwrap_or_default(),
                })
            })
            .collect()
    }
}
