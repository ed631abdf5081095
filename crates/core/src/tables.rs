//! Report stage, tables: exact figures become displayed tables in tkr (or percent), with
//! rounding that adds up as displayed (largest remainder inside every sum, top down) or
//! independent rounding per cell.

use crate::compute::{Computed, StaffFigure, BUDGET, COLS, FORECAST, PRIOR};
use crate::config::{Config, RowKindConfig};
use crate::money::{apportion, format_decimal, ore_to_tkr, ORE_PER_TKR};
use crate::report::{Cell, Column, Rounding, Row, RowKind, Table, Term, Unit};

/// Rounds a top-level sum.
fn root(exact: i64) -> i64 {
    ore_to_tkr(exact)
}

/// Displays the parts of a sum whose displayed value is `parent`: largest remainder
/// (adds up) or each part on its own (independent).
pub fn split(rounding: Rounding, parent: i64, exact: &[i64]) -> Vec<i64> {
    match rounding {
        Rounding::AddsUp => apportion(parent, exact, ORE_PER_TKR),
        Rounding::Independent => exact.iter().map(|e| ore_to_tkr(*e)).collect(),
    }
}

fn amount(exact_ore: i64, shown_tkr: i64) -> Cell {
    Cell::Amount {
        exact_ore,
        shown_tkr,
    }
}

/// The avvikelse cell: budget − prognos, as displayed (adds up) or rounded on its own.
fn deviation(rounding: Rounding, budget: (i64, i64), forecast: (i64, i64)) -> Cell {
    let exact = budget.0 - forecast.0;
    let shown = match rounding {
        Rounding::AddsUp => budget.1 - forecast.1,
        Rounding::Independent => ore_to_tkr(exact),
    };
    amount(exact, shown)
}

fn row(key: &str, label: &str, kind: RowKind, cells: Vec<Cell>) -> Row {
    Row {
        key: key.to_string(),
        label: label.to_string(),
        kind,
        note: None,
        cells,
        sum_of: Vec::new(),
    }
}

/// A sum row: `terms` are the rows it adds up.
fn sum_row(key: &str, label: &str, kind: RowKind, cells: Vec<Cell>, terms: Vec<Term>) -> Row {
    Row {
        sum_of: terms,
        ..row(key, label, kind, cells)
    }
}

/// The terms of a sum of rows that are all added.
fn plus_all<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<Term> {
    keys.into_iter().map(Term::plus).collect()
}

fn source_column(id: &str, label: String) -> Column {
    Column {
        id: id.to_string(),
        label,
        sum_of: Vec::new(),
    }
}

/// The columns of the operating tables. Up to November: Utfall prior year, Utfall,
/// Budget, Prognos, Avvikelse helår. Per December the year's outcome is known, so the
/// Prognos column is left out (see [`year_end`]) and Avvikelse is budget − utfall.
pub fn operating_columns(config: &Config) -> Vec<Column> {
    let m = config.through_month;
    let col = source_column;
    let (prior, current) = if m == 12 {
        (
            format!("Utfall {}", config.year - 1),
            format!("Utfall {}", config.year),
        )
    } else {
        (
            format!("Utfall {}{m:02}", config.year - 1),
            format!("Utfall {}{m:02}", config.year),
        )
    };
    vec![
        col("utfall_fg", prior),
        col("utfall", current),
        col("budget", format!("Budget {}", config.year)),
        col("prognos", format!("Prognos {}", config.year)),
        Column {
            sum_of: vec![Term::plus("budget"), Term::minus("prognos")],
            ..col("avvikelse", "Avvikelse helår".to_string())
        },
    ]
}

/// Per December (the year's outcome, where the engine sets prognos = utfall): drops the
/// Prognos column of an operating table, and Avvikelse becomes budget − utfall (the same
/// displayed figures, as both columns are rounded alike from the same amounts).
pub fn year_end(config: &Config, table: &mut Table) {
    if config.through_month != 12 {
        return;
    }
    let Some(p) = table.column_index("prognos") else {
        return;
    };
    table.columns.remove(p);
    for r in &mut table.rows {
        if p < r.cells.len() {
            r.cells.remove(p);
        }
    }
    if let Some(c) = table.columns.iter_mut().find(|c| c.id == "avvikelse") {
        c.label = "Avvikelse".into();
        c.sum_of = vec![Term::plus("budget"), Term::minus("utfall")];
    }
    for n in &mut table.notes {
        *n = n.replace(
            "Avvikelse helår = budget − prognos",
            "Avvikelse = budget − utfall",
        );
    }
}

/// Builds `prognoskommentarer`: the managers' comments of the forecast file (`kommentar`),
/// one row per commented line with the row it explains and its ansvar, in file order; the
/// comment is the row's note (printed in a wide column beside the row).
/// `None` when no line has a comment.
pub fn forecast_comments(config: &Config, lines: &[crate::sources::ForecastLine]) -> Option<Table> {
    let mut used: Vec<String> = Vec::new();
    let rows: Vec<Row> = lines
        .iter()
        .filter(|l| !l.comment.trim().is_empty())
        .map(|l| {
            let label = config
                .rows
                .iter()
                .find(|r| r.id == l.row)
                .map_or(l.row.as_str(), |r| r.label.as_str());
            let base = match &l.ansvar {
                Some(a) => format!("{}_{}", l.row, slug(a)),
                None => l.row.clone(),
            };
            let mut r = row(
                &unique_key(&mut used, base),
                label,
                RowKind::Item,
                vec![Cell::Text {
                    text: l.ansvar.clone().unwrap_or_default(),
                }],
            );
            r.note = Some(l.comment.trim().to_string());
            r
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    let text_column = |id: &str, label: &str| Column {
        id: id.to_string(),
        label: label.to_string(),
        sum_of: Vec::new(),
    };
    let about = if config.through_month == 12 {
        "utfallet"
    } else {
        "prognosen"
    };
    Some(Table {
        id: "prognoskommentarer".into(),
        title: format!("KOMMENTARER TILL {}", about.to_uppercase()),
        unit: Unit::Text,
        columns: vec![text_column("ansvar", "Ansvar")],
        rows,
        notes: vec![format!(
            "Ansvariga chefers kommentarer till {about} per rad i resultaträkningen och ansvar, ur prognosfilen."
        )],
    })
}

/// Exact and displayed values of a row per computed column.
type Figures = [(i64, i64); COLS];

fn cells(
    figures: &Figures,
    with_deviation: bool,
    prior_present: bool,
    rounding: Rounding,
) -> Vec<Cell> {
    let mut out: Vec<Cell> = figures
        .iter()
        .enumerate()
        .map(|(c, (e, s))| {
            if c == PRIOR && !prior_present {
                Cell::Empty
            } else {
                amount(*e, *s)
            }
        })
        .collect();
    out.push(if with_deviation {
        deviation(rounding, figures[BUDGET], figures[FORECAST])
    } else {
        Cell::Empty
    });
    out
}

const SIGN_NOTE: &str = "Belopp i tkr med huvudbokens tecken: intäkter negativa, kostnader positiva. Kommunbidrag visas som erhållet belopp (positivt); Resultat = Kommunbidrag − Summa nettokostnader. Avvikelse helår = budget − prognos: positiv avvikelse är bättre än budget.";

fn rounding_note(rounding: Rounding) -> String {
    match rounding {
        Rounding::AddsUp => "Avrundning: varje summa avrundas till hela tkr och fördelas på sina delar med största-restmetoden, så att tabellen summerar som den visas.".into(),
        Rounding::Independent => "Avrundning: varje cell avrundas för sig till hela tkr; summor kan därför avvika från de visade delarnas summa.".into(),
    }
}

/// The displayed net cost per computed column, needed by RESULTAT NETTO.
pub struct IncomeStatement {
    /// The table.
    pub table: Table,
    /// Net cost per column: (exact, shown).
    pub netto: Figures,
}

/// Builds `resultatrakning`.
pub fn income_statement(config: &Config, comp: &Computed, rounding: Rounding) -> IncomeStatement {
    let income: Vec<usize> = kinds(config, RowKindConfig::Income);
    let cost: Vec<usize> = kinds(config, RowKindConfig::Cost);
    let contribution = config.contribution_row();
    let mut shown = vec![[0i64; COLS]; config.rows.len()];
    let mut si = [(0, 0); COLS];
    let mut sk = [(0, 0); COLS];
    let mut netto = [(0, 0); COLS];
    let mut kb = [(0, 0); COLS];
    let mut res = [(0, 0); COLS];
    for c in 0..COLS {
        let ex_i: Vec<i64> = income.iter().map(|r| comp.rows[*r].total[c]).collect();
        let ex_k: Vec<i64> = cost.iter().map(|r| comp.rows[*r].total[c]).collect();
        let e_si: i64 = ex_i.iter().sum();
        let e_sk: i64 = ex_k.iter().sum();
        let e_net = e_si + e_sk;
        let e_kb = -comp.rows[contribution].total[c];
        let e_res = e_kb - e_net;
        let s_res = root(e_res);
        let top = split(rounding, s_res, &[e_kb, -e_net]);
        let (s_kb, s_net) = (top[0], -top[1]);
        let s_res = match rounding {
            Rounding::AddsUp => s_res,
            Rounding::Independent => ore_to_tkr(e_res),
        };
        let mid = split(rounding, s_net, &[e_si, e_sk]);
        for (r, s) in income.iter().zip(split(rounding, mid[0], &ex_i)) {
            shown[*r][c] = s;
        }
        for (r, s) in cost.iter().zip(split(rounding, mid[1], &ex_k)) {
            shown[*r][c] = s;
        }
        si[c] = (e_si, mid[0]);
        sk[c] = (e_sk, mid[1]);
        netto[c] = (e_net, s_net);
        kb[c] = (e_kb, s_kb);
        res[c] = (e_res, s_res);
    }
    let p = comp.prior_present;
    let item = |r: usize| {
        let rc = &config.rows[r];
        let f = &comp.rows[r];
        let cs = if f.has_data {
            let figs: Figures = std::array::from_fn(|c| (f.total[c], shown[r][c]));
            cells(&figs, true, p, rounding)
        } else {
            vec![Cell::Empty; COLS + 1]
        };
        row(&rc.id, &rc.label, RowKind::Item, cs)
    };
    let mut rows = Vec::new();
    rows.extend(income.iter().map(|r| item(*r)));
    rows.push(sum_row(
        "summa_intakter",
        "Summa intäkter",
        RowKind::Subtotal,
        cells(&si, true, p, rounding),
        plus_all(income.iter().map(|r| config.rows[*r].id.as_str())),
    ));
    rows.extend(cost.iter().map(|r| item(*r)));
    rows.push(sum_row(
        "summa_kostnader",
        "Summa kostnader",
        RowKind::Subtotal,
        cells(&sk, true, p, rounding),
        plus_all(cost.iter().map(|r| config.rows[*r].id.as_str())),
    ));
    rows.push(sum_row(
        "summa_nettokostnader",
        "Summa Nettokostnader",
        RowKind::Subtotal,
        cells(&netto, true, p, rounding),
        plus_all(["summa_intakter", "summa_kostnader"]),
    ));
    let kb_row = &config.rows[contribution];
    rows.push(row(
        &kb_row.id,
        &kb_row.label,
        RowKind::Item,
        cells(&kb, false, p, rounding),
    ));
    rows.push(sum_row(
        "resultat",
        "Resultat",
        RowKind::Total,
        cells(&res, false, p, rounding),
        vec![Term::plus(&kb_row.id), Term::minus("summa_nettokostnader")],
    ));
    IncomeStatement {
        table: Table {
            id: "resultatrakning".into(),
            title: "RESULTATRÄKNING (tkr)".into(),
            unit: Unit::Tkr,
            columns: operating_columns(config),
            rows,
            notes: vec![SIGN_NOTE.into(), rounding_note(rounding)],
        },
        netto,
    }
}

fn kinds(config: &Config, kind: RowKindConfig) -> Vec<usize> {
    config
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.kind == kind)
        .map(|(i, _)| i)
        .collect()
}

/// The allocation rule in Swedish.
pub fn allocation_rule(config: &Config) -> String {
    let names = |m: usize| config.municipalities[m].name.clone();
    let mut parts = Vec::new();
    for s in &config.allocation.specific {
        parts.push(format!(
            "Belopp på {} (objekt {} i dimension {}) förs i sin helhet till {}.",
            s.label,
            s.objects
                .iter()
                .map(|o| match o {
                    crate::config::ObjectRange::Numeric { from, to } if from == to =>
                        from.to_string(),
                    crate::config::ObjectRange::Numeric { from, to } => format!("{from}–{to}"),
                    crate::config::ObjectRange::Exact(s) => s.clone(),
                })
                .collect::<Vec<_>>()
                .join(", "),
            config.allocation.dimension,
            names(s.municipality)
        ));
    }
    let mut by_key: Vec<(usize, Vec<&str>)> = Vec::new();
    for r in config
        .rows
        .iter()
        .filter(|r| r.kind != RowKindConfig::Contribution)
    {
        match by_key.iter_mut().find(|(k, _)| *k == r.key) {
            Some((_, v)) => v.push(&r.label),
            None => by_key.push((r.key, vec![&r.label])),
        }
    }
    for (k, labels) in by_key {
        let key = &config.allocation.keys[k];
        let shares = key
            .shares
            .iter()
            .enumerate()
            .map(|(m, s)| format!("{} {} %", names(m), format_decimal(*s, 6)))
            .collect::<Vec<_>>()
            .join(", ");
        parts.push(format!(
            "Övriga belopp på {} fördelas efter {} ({shares}).",
            labels.join(", "),
            key.label
        ));
    }
    parts.push("Varje rads gemensamma belopp delas per kolumn med största-restmetoden i öre, så att kommunernas delar summerar exakt till helheten. Kommunbidraget ingår inte.".into());
    format!("Fördelning mellan kommunerna: {}", parts.join(" "))
}

/// Builds `resultat_netto` from the displayed net cost of the income statement.
pub fn municipality_split(
    config: &Config,
    comp: &Computed,
    netto: &Figures,
    rounding: Rounding,
) -> Table {
    let exact = comp.netto_by_municipality(config);
    let nm = config.municipalities.len();
    let mut shown = vec![[0i64; COLS]; nm];
    let mut total = [(0, 0); COLS];
    for c in 0..COLS {
        let ex: Vec<i64> = exact.iter().map(|m| m[c]).collect();
        let s = split(rounding, netto[c].1, &ex);
        for m in 0..nm {
            shown[m][c] = s[m];
        }
        total[c] = (netto[c].0, netto[c].1);
    }
    let p = comp.prior_present;
    let mut rows: Vec<Row> = config
        .municipalities
        .iter()
        .enumerate()
        .map(|(m, mu)| {
            let figs: Figures = std::array::from_fn(|c| (exact[m][c], shown[m][c]));
            row(
                &mu.id,
                &mu.name,
                RowKind::Item,
                cells(&figs, true, p, rounding),
            )
        })
        .collect();
    rows.push(sum_row(
        "summa_verksamhet",
        "Summa verksamhet",
        RowKind::Total,
        cells(&total, true, p, rounding),
        plus_all(config.municipalities.iter().map(|m| m.id.as_str())),
    ));
    Table {
        id: "resultat_netto".into(),
        title: "RESULTAT NETTO (tkr)".into(),
        unit: Unit::Tkr,
        columns: operating_columns(config),
        rows,
        notes: vec![
            allocation_rule(config),
            "Nettokostnad per kommun (intäkter och kostnader, huvudbokens tecken); Summa verksamhet är resultaträkningens Summa nettokostnader.".into(),
            rounding_note(rounding),
        ],
    }
}

/// A key for a row from its label: lower case ASCII, words joined by `_`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.trim().to_lowercase().chars() {
        let c = match ch {
            'å' | 'ä' | 'à' | 'á' | 'â' => 'a',
            'ö' | 'ø' | 'ó' | 'ô' => 'o',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'ü' | 'ú' => 'u',
            c if c.is_ascii_alphanumeric() => c,
            _ => '_',
        };
        if c == '_' && (out.is_empty() || out.ends_with('_')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("rad");
    }
    out
}

fn unique_key(used: &mut Vec<String>, base: String) -> String {
    let mut key = base.clone();
    let mut n = 2;
    while used.contains(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    used.push(key.clone());
    key
}

/// Builds `budgetforandringar`.
pub fn budget_changes(config: &Config, comp: &Computed, rounding: Rounding) -> Table {
    let exact: Vec<i64> = comp.changes.iter().map(|a| a.amount).collect();
    let e_total: i64 = exact.iter().sum();
    let s_total = root(e_total);
    let shown = split(rounding, s_total, &exact);
    let mut used = vec!["totalt".to_string()];
    let mut rows: Vec<Row> = comp
        .changes
        .iter()
        .zip(&shown)
        .map(|(a, s)| {
            let mut r = row(
                &unique_key(&mut used, a.key.clone().unwrap_or_else(|| slug(&a.label))),
                &a.label,
                RowKind::Item,
                vec![amount(a.amount, *s)],
            );
            r.note = (!a.note.is_empty()).then(|| a.note.clone());
            r
        })
        .collect();
    let terms = plus_all(rows.iter().map(|r| r.key.as_str()));
    rows.push(sum_row(
        "totalt",
        "Totalt",
        RowKind::Total,
        vec![amount(e_total, s_total)],
        terms,
    ));
    Table {
        id: "budgetforandringar".into(),
        title: format!("Budgetförändringar under {}", config.year),
        unit: Unit::Tkr,
        columns: vec![source_column("summa", "Summa".into())],
        rows,
        notes: vec![
            "Område, summa (tkr, huvudbokens tecken, exklusive kommunbidrag) och förtydligande."
                .into(),
            rounding_note(rounding),
        ],
    }
}

/// Builds `investeringar`.
pub fn investments(config: &Config, comp: &Computed, rounding: Rounding) -> Option<Table> {
    let inv = config.investments.as_ref()?;
    let y = config.year;
    let m = config.through_month;
    let col = source_column;
    let columns = vec![
        col("utfall", format!("Utfall {y}{m:02}")),
        col("budget", format!("Budget {y}")),
        col("ombudgetering", "Ombudgetering".into()),
        Column {
            sum_of: vec![Term::plus("budget"), Term::plus("ombudgetering")],
            ..col("summa_budget", format!("S:a budget {y}"))
        },
        col("prognos", format!("Prognos {y}")),
        Column {
            sum_of: vec![Term::plus("summa_budget"), Term::minus("prognos")],
            ..col("avvikelse", "Avvikelse helår".into())
        },
    ];
    // Four amount columns: outcome, budget, rebudget, forecast.
    let value = |p: &crate::compute::ProjectFigures, c: usize| match c {
        0 => p.outcome,
        1 => p.budget,
        2 => p.rebudget,
        _ => p.forecast,
    };
    let groups: Vec<Vec<&crate::compute::ProjectFigures>> = inv
        .groups
        .iter()
        .map(|g| comp.projects.iter().filter(|p| p.group == g.id).collect())
        .collect();
    let mut total = [(0i64, 0i64); 4];
    let mut group_figs = vec![[(0i64, 0i64); 4]; groups.len()];
    let mut project_shown: Vec<Vec<[i64; 4]>> =
        groups.iter().map(|g| vec![[0; 4]; g.len()]).collect();
    for c in 0..4 {
        let g_exact: Vec<i64> = groups
            .iter()
            .map(|g| g.iter().map(|p| value(p, c)).sum())
            .collect();
        let e_total: i64 = g_exact.iter().sum();
        let s_total = root(e_total);
        total[c] = (e_total, s_total);
        let g_shown = split(rounding, s_total, &g_exact);
        for (gi, g) in groups.iter().enumerate() {
            group_figs[gi][c] = (g_exact[gi], g_shown[gi]);
            let p_exact: Vec<i64> = g.iter().map(|p| value(p, c)).collect();
            for (pi, s) in split(rounding, g_shown[gi], &p_exact)
                .into_iter()
                .enumerate()
            {
                project_shown[gi][pi][c] = s;
            }
        }
    }
    let inv_cells = |f: [(i64, i64); 4]| {
        let sb = (f[1].0 + f[2].0, f[1].1 + f[2].1);
        let sb = match rounding {
            Rounding::AddsUp => sb,
            Rounding::Independent => (sb.0, ore_to_tkr(sb.0)),
        };
        vec![
            amount(f[0].0, f[0].1),
            amount(f[1].0, f[1].1),
            amount(f[2].0, f[2].1),
            amount(sb.0, sb.1),
            amount(f[3].0, f[3].1),
            deviation(rounding, sb, f[3]),
        ]
    };
    let mut used = Vec::new();
    let mut rows = Vec::new();
    let mut group_keys = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        let mut members = Vec::new();
        for (pi, p) in g.iter().enumerate() {
            let f: [(i64, i64); 4] =
                std::array::from_fn(|c| (value(p, c), project_shown[gi][pi][c]));
            let key = unique_key(&mut used, p.key.clone().unwrap_or_else(|| slug(&p.name)));
            rows.push(row(&key, &p.name, RowKind::Item, inv_cells(f)));
            members.push(key);
        }
        let group = &inv.groups[gi];
        let key = unique_key(&mut used, group.key.clone());
        rows.push(sum_row(
            &key,
            &group.label,
            RowKind::Subtotal,
            inv_cells(group_figs[gi]),
            plus_all(members.iter().map(String::as_str)),
        ));
        group_keys.push(key);
    }
    rows.push(sum_row(
        "summa_totalt",
        &inv.total_label,
        RowKind::Total,
        inv_cells(total),
        plus_all(group_keys.iter().map(String::as_str)),
    ));
    Some(Table {
        id: "investeringar".into(),
        title: "INVESTERINGAR (tkr)".into(),
        unit: Unit::Tkr,
        columns,
        rows,
        notes: vec![
            "S:a budget = budget + ombudgetering; Avvikelse helår = S:a budget − prognos.".into(),
            rounding_note(rounding),
        ],
    })
}

/// Row labels of the `personal` table.
pub fn staff_label(key: &str) -> &'static str {
    match key {
        "sjukfranvaro_total" => "Total sjukfrånvarotid (% av ordinarie arbetstid)",
        "sjukfranvaro_kvinnor" => "Sjukfrånvaro för kvinnor (% av kvinnornas ordinarie arbetstid)",
        "sjukfranvaro_man" => "Sjukfrånvaro för män (% av männens ordinarie arbetstid)",
        "sjukfranvaro_29" => "Sjukfrånvaro 29 år eller yngre",
        "sjukfranvaro_30_49" => "Sjukfrånvaro 30–49 år",
        "sjukfranvaro_50" => "Sjukfrånvaro 50 år eller äldre",
        "langtid_total" => "Långtidssjukfrånvaro (60 dagar eller mer), andel av total sjukfrånvaro",
        "langtid_kvinnor" => "Långtidssjukfrånvaro för kvinnor, andel av kvinnornas sjukfrånvaro",
        "langtid_man" => "Långtidssjukfrånvaro för män, andel av männens sjukfrånvaro",
        "heltid_kvinnor" => {
            "Andel heltid, kvinnor (andel av heltidsanställdas ordinarie arbetstid)"
        }
        "heltid_man" => "Andel heltid, män (andel av heltidsanställdas ordinarie arbetstid)",
        _ => "",
    }
}

/// Builds `personal`.
pub fn staff(config: &Config, comp: &Computed) -> Option<Table> {
    let s = comp.staff.as_ref()?;
    let min = config.staff.as_ref().map_or(11, |s| s.min_group_size);
    let rows = s
        .figures
        .iter()
        .map(|(key, f)| {
            let cell = match f {
                StaffFigure::Suppressed(reason) => Cell::Suppressed {
                    reason: reason.clone(),
                },
                StaffFigure::Undefined => Cell::Empty,
                StaffFigure::Ratio { .. } => match f.hundredths(config.percent_rounding) {
                    Some(h) => Cell::Percent {
                        shown_hundredths: h,
                    },
                    None => Cell::Empty,
                },
            };
            row(key, staff_label(key), RowKind::Item, vec![cell])
        })
        .collect();
    let rounding = match config.percent_rounding {
        crate::config::PercentRounding::HalfUp => "avrundade till två decimaler",
        crate::config::PercentRounding::Truncate => "avkortade (ej avrundade) till två decimaler",
    };
    Some(Table {
        id: "personal".into(),
        title: "Redovisning av sjukfrånvaro i förhållande till ordinarie arbetstid i procent".into(),
        unit: Unit::Procent,
        columns: vec![source_column("varde", "Procent".into())],
        rows,
        notes: vec![
            format!("Sjukfrånvaro = sjuktimmar i procent av gruppens ordinarie arbetstid. Långtidssjukfrånvaro = andel av sjuktimmarna som hör till sjukfall om 60 dagar eller mer. Andel heltid = könets andel av heltidsanställdas ordinarie arbetstid. Procenttal {rounding}."),
            format!("En grupp med färre än {min} anställda redovisas inte, inte heller en uppgift som kan härledas till en enskild person."),
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        for (text, expect) in [
            ("Lönerevidering 2023", "lonerevidering_2023"),
            ("Förändring kapitalkostnader", "forandring_kapitalkostnader"),
            ("Reinv trådlöst nätverk Hlj", "reinv_tradlost_natverk_hlj"),
            ("  S:a -- Ökning  ", "s_a_okning"),
            ("!!!", "rad"),
        ] {
            assert_eq!(slug(text), expect);
        }
    }
}
