//! Shared fixtures: a small in-memory report package (two municipalities, SIE 4 ledgers).
#![allow(dead_code)]

use delar_core::report::{Cell, Report, Table};
use delar_core::MemoryFiles;

pub const DELAR_TOML: &str = r#"
[report]
committee = "Testnämnden"
year = 2023
through_month = 8
memo_date = "2023-09-01"
author = "Klara Kälström"
author_title = "Controller"
decision = "Nämnden godkänner upprättad delårsrapport per {{ period.end }}."
distribution = ["Ekonomichef"]
for_information = ["Revisorerna"]

[[municipality]]
id = "herrljunga"
name = "Herrljunga"
host = true

[[municipality]]
id = "vargarda"
name = "Vårgårda"

[ledger]
current = "huvudbok/2023.se"
prior = "huvudbok/2022.se"
scope_dimension = 1
scope_objects = ["8500-8599"]

[[row]]
id = "intakter"
label = "Intäkter"
kind = "income"
accounts = ["3000-3899"]

[[row]]
id = "personalkostnader"
label = "Personalkostnader"
kind = "cost"
accounts = ["5000-5999"]

[[row]]
id = "lokalkostnader"
label = "Lokalkostnader, energi, VA"
kind = "cost"
accounts = ["6100-6299"]

[[row]]
id = "ovriga_kostnader"
label = "Övriga kostnader"
kind = "cost"
accounts = ["4000-4999", "6000-6099", "6300-7799"]

[[row]]
id = "kapitalkostnad"
label = "Kapitalkostnad"
kind = "cost"
accounts = ["7800-7899", "8400-8499"]
key = "kapital"

[[row]]
id = "kommunbidrag"
label = "Kommunbidrag"
kind = "contribution"
accounts = ["3900-3999"]

[allocation]
dimension = 1
default_key = "gemensam"

[[allocation.key]]
id = "gemensam"
label = "gemensamma kostnader efter avtalad andel"
shares = { herrljunga = "45.00", vargarda = "55.00" }

[[allocation.key]]
id = "kapital"
label = "kapitalkostnad efter andel av anläggningarna"
shares = { herrljunga = "47.78", vargarda = "52.22" }

[[allocation.specific]]
municipality = "herrljunga"
objects = ["8520-8529"]
label = "Herrljungaspec"

[[allocation.specific]]
municipality = "vargarda"
objects = ["8530-8539"]
label = "Vårgårdaspec"

[budget]
file = "budget/budget.csv"
changes = "budget/andringar.csv"

[forecast]
file = "prognos.csv"

[investments]
file = "investeringar.csv"
accounts = ["1200-1299"]
dimension = 6
total_label = "S:a investeringar Testnämnden"

[[investments.group]]
id = "gemensam"
label = "S:a investeringar gemensamma"

[[investments.group]]
id = "herrljunga"
label = "S:a investeringar Herrljungaspec"

[staff]
employments = "personal/anstallningar.csv"
sick_spells = "personal/sjukfall.csv"
min_group_size = 11

[goals]
file = "mal.toml"

[texts]
dir = "texter"
"#;

pub const SIE_2023: &str = r#"#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#PROGRAM "delar-test" 1
#GEN 20230901
#FNAMN "Testkommun"
#RAR 0 20230101 20231231
#DIM 1 "Ansvar"
#DIM 6 "Projekt"
#KONTO 1210 "Inventarier"
#KONTO 1930 "Bank"
#KONTO 2440 "Leverantörsskulder"
#KONTO 3010 "Intäkter"
#KONTO 3910 "Kommunbidrag"
#KONTO 4010 "Material"
#KONTO 5010 "Löner"
#KONTO 7810 "Avskrivningar"
#VER A 1 20230131 "Intäkter"
{
#TRANS 3010 {1 "8510"} -10400.00
#TRANS 1930 {} 10400.00
}
#VER A 2 20230228 "Löner"
{
#TRANS 5010 {1 "8510"} 20300.00
#TRANS 5010 {1 "8520"} 5300.00
#BTRANS 5010 {1 "8510"} 500.00
#TRANS 1930 {} -25600.00
}
#VER A 3 20230315 "Material och avskrivning"
{
#TRANS 4010 {1 "8530"} 3300.00
#TRANS 7810 {1 "8510"} 4300.00
#TRANS 1930 {} -7600.00
}
#VER A 4 20230430 "Kommunbidrag"
{
#TRANS 3910 {1 "8510"} -30000.00
#TRANS 1930 {} 30000.00
}
#VER A 5 20230510 "Annan nämnd"
{
#TRANS 5010 {1 "9999"} 1234.00
#TRANS 1930 {} -1234.00
}
#VER A 6 20230915 "Efter perioden"
{
#TRANS 5010 {1 "8510"} 999.00
#TRANS 1930 {} -999.00
}
#VER A 7 20230601 "Investering"
{
#TRANS 1210 {6 "P1"} 238000.00
#TRANS 2440 {} -238000.00
}
"#;

pub const SIE_2022: &str = r#"#FLAGGA 0
#FORMAT PC8
#SIETYP 4
#PROGRAM "delar-test" 1
#GEN 20220901
#FNAMN "Testkommun"
#RAR 0 20220101 20221231
#DIM 1 "Ansvar"
#KONTO 1930 "Bank"
#KONTO 3010 "Intäkter"
#KONTO 3910 "Kommunbidrag"
#KONTO 5010 "Löner"
#VER A 1 20220331 "Året före"
{
#TRANS 3010 {1 "8510"} -8000.00
#TRANS 5010 {1 "8510"} 15000.00
#TRANS 3910 {1 "8510"} -6000.00
#TRANS 1930 {} -1000.00
}
"#;

pub const BUDGET: &str = "konto;ansvar;belopp
3010;8510;-15 000
5010;8510;30000
5010;8520;6000
4010;8530;4000
7810;8510;5000
3910;;-30000
";

pub const CHANGES: &str = "omrade;forklaring;konto;ansvar;belopp
Lönerevidering 2023;avser löner april-dec;5010;8510;1000
Lönerevidering 2023;;3910;;-1000
Förändring kapitalkostnader;avser kapitalkostnad;7810;8510;500
Förändring kapitalkostnader;;3910;;-500
";

pub const FORECAST: &str = "rad;ansvar;prognos;kommentar
intakter;8510;-16000;mer intäkter
personalkostnader;8510;31000;
personalkostnader;8520;6000;
ovriga_kostnader;8530;5000;
kommunbidrag;;-31500;
";

pub const REGISTER: &str = "projekt;namn;grupp;budget;ombudgetering;prognos
P1;Reinvestering IT;gemensam;2350000;0;2350000
P2;Ombyggnation Wifi;herrljunga;0;400000;400000
";

pub const EMPLOYMENTS: &str = "id;kon;fodelsear;ordinarie_timmar;sysselsattningsgrad
a1;K;1980;1000;100
a2;M;1990;1000;100
a3;M;1960;500;50
";

pub const SPELLS: &str = "id;forsta_dag;sista_dag;sjuktimmar
a2;2023-02-01;2023-02-03;24
";

pub const GOALS: &str = r#"
[[goal]]
title = "Digitaliseringsstrategi"
status = "delvis"
text = "Strategin är framtagen. Resultatet är {{ rr.resultat.utfall }} tkr."

[[goal.indicator]]
name = "Antal e-tjänster"
target = "10"
outcome = "7"
"#;

/// The small package.
pub fn package() -> MemoryFiles {
    MemoryFiles::new()
        .with("delar.toml", DELAR_TOML)
        .with("huvudbok/2023.se", SIE_2023)
        .with("huvudbok/2022.se", SIE_2022)
        .with("budget/budget.csv", BUDGET)
        .with("budget/andringar.csv", CHANGES)
        .with("prognos.csv", FORECAST)
        .with("investeringar.csv", REGISTER)
        .with("personal/anstallningar.csv", EMPLOYMENTS)
        .with("personal/sjukfall.csv", SPELLS)
        .with("mal.toml", GOALS)
        .with(
            "texter/sammanfattning.md",
            "IT enheten redovisar ett resultat på {{ rr.resultat.utfall }} tkr för delåret {{ period.year }}.\n",
        )
        .with(
            "texter/investeringar-kommentar.md",
            "Utfallet uppgår till {{ inv.summa_totalt.utfall | tkr }} tkr av {{ inv.summa_totalt.summa_budget | tkr }} tkr.\n",
        )
        .with(
            "texter/tjansteskrivelse-sammanfattning.md",
            "Avvikelsen beror på personalkostnader.\n",
        )
}

/// Replaces `from` by `to` in the file at `path` (which must exist).
pub fn edit(files: MemoryFiles, path: &str, from: &str, to: &str) -> MemoryFiles {
    let text = String::from_utf8(files.files[path].clone()).expect("utf-8");
    assert!(text.contains(from), "{path} has no {from:?}");
    let new = text.replace(from, to);
    files.with(path, new)
}

/// The displayed values of a table: one line per row, `key: v1 v2 …` with `-` for blank
/// cells, `x` for suppressed ones and percentages as `3,17`.
pub fn dump(table: &Table) -> String {
    let mut out = String::new();
    for r in &table.rows {
        out.push_str(&r.key);
        out.push(':');
        for c in &r.cells {
            out.push(' ');
            match c {
                Cell::Empty => out.push('-'),
                Cell::Amount { shown_tkr, .. } => out.push_str(&shown_tkr.to_string()),
                Cell::Percent { shown_hundredths } => out.push_str(&format!(
                    "{},{:02}",
                    shown_hundredths / 100,
                    shown_hundredths % 100
                )),
                Cell::Suppressed { .. } => out.push('x'),
                Cell::Text { text } => out.push_str(text),
            }
        }
        out.push('\n');
    }
    out
}

/// The table with `id`, which must exist.
pub fn table<'a>(report: &'a Report, id: &str) -> &'a Table {
    report.table(id).unwrap_or_else(|| panic!("no table {id}"))
}
