//! A realistic report for the render tests: the seed's tables (Delårsrapport 2023-08-31,
//! Servicenämnd IT, Växel och Telefoni) with plausible exact amounts, one suppressed cell,
//! goals with statuses and indicators, and checks that pass, warn and fail.
#![allow(dead_code)]

use delar_core::report::{
    Block, Cell, Check, CheckStatus, Column, Goal, GoalStatus, Indicator, Memo, Meta,
    MonthlyNetCost, MunicipalityRef, Report, Rounding, Row, RowKind, Section, Table, Term, Unit,
};

use std::path::PathBuf;

/// Every file of the package folder `root` (absolute), in memory, by path inside it.
pub fn package_files(root: &str) -> delar_core::MemoryFiles {
    let mut files = delar_core::MemoryFiles::new();
    let mut stack = vec![PathBuf::from(root)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .to_string();
                files = files.with(&rel, std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// Compares `actual` with the golden file, or rewrites it when `UPDATE_EXPECT=1`.
pub fn check(actual: &str, golden: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(golden);
    if std::env::var("UPDATE_EXPECT").as_deref() == Ok("1") {
        if let Err(e) = std::fs::write(&path, actual) {
            panic!("cannot write {}: {e}", path.display());
        }
        return;
    }
    let expected = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!(
            "cannot read {}: {e} (run with UPDATE_EXPECT=1 to create it)",
            path.display()
        ),
    };
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from the output at line {}:\n  golden: {:?}\n  actual: {:?}\n(run with UPDATE_EXPECT=1 to accept the new output)",
            path.display(),
            line + 1,
            expected.lines().nth(line).unwrap_or("<end of file>"),
            actual.lines().nth(line).unwrap_or("<end of output>"),
        );
    }
}

/// Shorthand for a row: key, label, kind, note, displayed values (None = blank).
type RowSpec<'a> = (
    &'a str,
    &'a str,
    RowKind,
    Option<&'a str>,
    &'a [Option<i64>],
);

use RowKind::{Item, Subtotal, Total};

/// An amount table: displayed tkr from the seed, exact öre a few hundred kronor off the
/// displayed value in a fixed pattern (always within the rounding half-unit).
fn amount_table(
    id: &str,
    title: &str,
    columns: &[(&str, &str)],
    rows: &[RowSpec<'_>],
    notes: &[&str],
) -> Table {
    Table {
        id: id.to_string(),
        title: title.to_string(),
        unit: Unit::Tkr,
        columns: columns
            .iter()
            .map(|(id, label)| Column {
                id: id.to_string(),
                label: label.to_string(),
                sum_of: Vec::new(),
            })
            .collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(r, (key, label, kind, note, values))| Row {
                key: key.to_string(),
                label: label.to_string(),
                kind: *kind,
                note: note.map(str::to_string),
                sum_of: Vec::new(),
                cells: values
                    .iter()
                    .enumerate()
                    .map(|(c, v)| match v {
                        None => Cell::Empty,
                        Some(tkr) => {
                            let offset = ((r as i64 * 7 + c as i64 * 13) % 97) * 1000 - 48_000 + 37;
                            let offset = if *tkr == 0 { offset / 10 } else { offset };
                            Cell::Amount {
                                exact_ore: tkr * 100_000 + offset,
                                shown_tkr: *tkr,
                            }
                        }
                    })
                    .collect(),
            })
            .collect(),
        notes: notes.iter().map(|n| n.to_string()).collect(),
    }
}

const DRIFT_COLUMNS: [(&str, &str); 5] = [
    ("utfall_fg", "Utfall 202208"),
    ("utfall", "Utfall 202308"),
    ("budget", "Budget 2023"),
    ("prognos", "Prognos 2023"),
    ("avvikelse", "Avvikelse helår"),
];

/// The income statement with its sum structure as the engine states it: the subtotals
/// add up their items, the net cost both subtotals, the result is contribution − net cost.
fn resultatrakning() -> Table {
    let mut table = resultatrakning_figures();
    let sums: [(&str, Vec<Term>); 4] = [
        ("summa_intakter", vec![Term::plus("intakter")]),
        (
            "summa_kostnader",
            vec![
                Term::plus("personalkostnader"),
                Term::plus("lokalkostnader"),
                Term::plus("ovriga_kostnader"),
                Term::plus("kapitalkostnad"),
            ],
        ),
        (
            "summa_nettokostnader",
            vec![Term::plus("summa_intakter"), Term::plus("summa_kostnader")],
        ),
        (
            "resultat",
            vec![
                Term::plus("kommunbidrag"),
                Term::minus("summa_nettokostnader"),
            ],
        ),
    ];
    for (key, terms) in sums {
        if let Some(row) = table.rows.iter_mut().find(|r| r.key == key) {
            row.sum_of = terms;
        }
    }
    table
}

fn resultatrakning_figures() -> Table {
    amount_table(
        "resultatrakning",
        "RESULTATRÄKNING (tkr)",
        &DRIFT_COLUMNS,
        &[
            (
                "intakter",
                "Intäkter",
                Item,
                None,
                &[
                    Some(-4457),
                    Some(-5131),
                    Some(-8013),
                    Some(-8213),
                    Some(200),
                ],
            ),
            (
                "summa_intakter",
                "Summa intäkter",
                Subtotal,
                None,
                &[
                    Some(-4457),
                    Some(-5131),
                    Some(-8013),
                    Some(-8213),
                    Some(200),
                ],
            ),
            (
                "personalkostnader",
                "Personalkostnader",
                Item,
                None,
                &[Some(6193), Some(8908), Some(12881), Some(12881), Some(0)],
            ),
            (
                "lokalkostnader",
                "Lokalkostnader, energi, VA",
                Item,
                None,
                &[None, None, None, None, None],
            ),
            (
                "ovriga_kostnader",
                "Övriga kostnader",
                Item,
                None,
                &[Some(8915), Some(9930), Some(15530), Some(15730), Some(-200)],
            ),
            (
                "kapitalkostnad",
                "Kapitalkostnad",
                Item,
                None,
                &[Some(3735), Some(3872), Some(5614), Some(5614), Some(0)],
            ),
            (
                "summa_kostnader",
                "Summa kostnader",
                Subtotal,
                None,
                &[
                    Some(18843),
                    Some(22710),
                    Some(34025),
                    Some(34225),
                    Some(-200),
                ],
            ),
            (
                "summa_nettokostnader",
                "Summa Nettokostnader",
                Subtotal,
                None,
                &[Some(14386), Some(17579), Some(26012), Some(26012), Some(0)],
            ),
            (
                "kommunbidrag",
                "Kommunbidrag",
                Item,
                None,
                &[Some(12741), Some(17177), Some(26012), Some(26012), None],
            ),
            (
                "resultat",
                "Resultat",
                Total,
                None,
                &[Some(-1645), Some(-402), Some(0), Some(0), None],
            ),
        ],
        &["Avvikelse helår = budget − prognos; positivt är bättre än budget."],
    )
}

fn resultat_netto() -> Table {
    amount_table(
        "resultat_netto",
        "RESULTAT NETTO (tkr)",
        &DRIFT_COLUMNS,
        &[
            (
                "herrljunga",
                "Herrljunga",
                Item,
                None,
                &[Some(6220), Some(7712), Some(12279), Some(12079), Some(200)],
            ),
            (
                "vargarda",
                "Vårgårda",
                Item,
                None,
                &[Some(8165), Some(9866), Some(13732), Some(13932), Some(-200)],
            ),
            (
                "summa_verksamhet",
                "Summa verksamhet",
                Total,
                None,
                &[Some(14385), Some(17578), Some(26011), Some(26011), Some(0)],
            ),
        ],
        &[
            "Fördelning enligt fördelningsnyckel; Herrljungaspec och Vårgårdaspec belastar respektive kommun helt.",
        ],
    )
}

fn budgetforandringar() -> Table {
    amount_table(
        "budgetforandringar",
        "Budgetförändringar under 2023",
        &[("summa", "Summa")],
        &[
            (
                "lonerevidering",
                "Lönerevidering 2023",
                Item,
                Some("avser löner april-dec 2023 Hlj"),
                &[Some(268)],
            ),
            (
                "kapitalkostnader",
                "Förändring kapitalkostnader",
                Item,
                Some("avser kapitalkostn tom aug Vga+Hlj"),
                &[Some(383)],
            ),
            ("totalt", "Totalt", Total, None, &[Some(651)]),
        ],
        &[],
    )
}

fn investeringar() -> Table {
    amount_table(
        "investeringar",
        "INVESTERINGAR (tkr)",
        &[
            ("utfall", "Utfall 202308"),
            ("budget", "Budget 2023"),
            ("ombudgetering", "Ombudgetering"),
            ("summa_budget", "S:a Budget 2023"),
            ("prognos", "Prognos 2023"),
            ("avvikelse", "Avvikelse helår"),
        ],
        &[
            (
                "reinvestering_it",
                "Reinvestering IT",
                Item,
                None,
                &[
                    Some(238),
                    Some(2350),
                    Some(0),
                    Some(2350),
                    Some(2350),
                    Some(0),
                ],
            ),
            (
                "summa_gemensamma",
                "S:a investeringar gemensamma",
                Subtotal,
                None,
                &[
                    Some(238),
                    Some(2350),
                    Some(0),
                    Some(2350),
                    Some(2350),
                    Some(0),
                ],
            ),
            (
                "wifi_bildning",
                "Ombyggnation Wifi Bildning",
                Item,
                None,
                &[Some(0), Some(0), Some(400), Some(400), Some(400), Some(0)],
            ),
            (
                "tradlost_hlj",
                "Reinv trådlöst nätverk Hlj",
                Item,
                None,
                &[Some(0), Some(500), Some(0), Some(500), Some(500), Some(0)],
            ),
            (
                "summa_herrljunga",
                "S:a investeringar Herrljungaspec",
                Subtotal,
                None,
                &[Some(0), Some(500), Some(400), Some(900), Some(900), Some(0)],
            ),
            (
                "natverk_vga",
                "Nätverk",
                Item,
                None,
                &[Some(0), Some(500), Some(0), Some(500), Some(500), Some(0)],
            ),
            (
                "summa_vargarda",
                "S:a investeringar Vårgårdaspec",
                Subtotal,
                None,
                &[Some(0), Some(500), Some(0), Some(500), Some(500), Some(0)],
            ),
            (
                "summa_totalt",
                "S:a investeringar Servicenämnd IT",
                Total,
                None,
                &[
                    Some(238),
                    Some(3350),
                    Some(400),
                    Some(3750),
                    Some(3750),
                    Some(0),
                ],
            ),
        ],
        &["S:a budget = budget + ombudgetering från 2022."],
    )
}

/// The staff table; long-term sick leave for women is suppressed (small group).
pub const SUPPRESSION_REASON: &str = "Visas inte: gruppen har tio anställda eller färre (lag om kommunal bokföring och redovisning).";

fn personal() -> Table {
    let pct = |key: &str, label: &str, h: i64| Row {
        key: key.to_string(),
        label: label.to_string(),
        kind: Item,
        note: None,
        sum_of: Vec::new(),
        cells: vec![Cell::Percent {
            shown_hundredths: h,
        }],
    };
    Table {
        id: "personal".to_string(),
        title: "Redovisning av sjukfrånvaro i förhållande till ordinarie arbetstid i procent"
            .to_string(),
        unit: Unit::Procent,
        columns: vec![Column {
            id: "varde".to_string(),
            label: "Procent".to_string(),
            sum_of: Vec::new(),
        }],
        rows: vec![
            pct(
                "sjukfranvaro_total",
                "Total sjukfrånvarotid (% av ordinarie arbetstid)",
                317,
            ),
            pct("sjukfranvaro_kvinnor", "för kvinnor", 146),
            pct("sjukfranvaro_man", "för män", 426),
            pct(
                "langtid_total",
                "Långtidssjukfrånvaro, andel av total sjukfrånvaro",
                1950,
            ),
            Row {
                key: "langtid_kvinnor".to_string(),
                label: "för kvinnor".to_string(),
                kind: Item,
                note: None,
                sum_of: Vec::new(),
                cells: vec![Cell::Suppressed {
                    reason: SUPPRESSION_REASON.to_string(),
                }],
            },
            pct("langtid_man", "för män", 2379),
            pct("heltid_kvinnor", "Andel heltid, kvinnor", 4029),
            pct("heltid_man", "Andel heltid, män", 5970),
        ],
        notes: vec!["Långtidssjukfrånvaro avser sjukperioder om 60 dagar eller mer.".to_string()],
    }
}

fn md(text: &str) -> Block {
    Block::Markdown {
        text: text.to_string(),
    }
}

fn table(id: &str) -> Block {
    Block::Table { id: id.to_string() }
}

fn section(id: &str, heading: &str, level: u8, blocks: Vec<Block>) -> Section {
    Section {
        id: id.to_string(),
        heading: heading.to_string(),
        level,
        blocks,
    }
}

/// Net cost per month: 2023 January–August adds up to the exact Summa Nettokostnader of
/// Utfall 202308, 2022 January–August to that of Utfall 202208; the budget is the exact
/// Budget 2023 net cost. January carries the yearly licences, July the holidays.
pub fn monthly() -> MonthlyNetCost {
    MonthlyNetCost {
        current_ore: vec![
            268_154_210,
            205_331_845,
            221_478_930,
            214_902_117,
            236_015_664,
            228_640_392,
            148_226_501,
            235_164_378,
        ],
        prior_ore: vec![
            221_905_118,
            168_210_447,
            180_554_306,
            175_118_920,
            190_402_775,
            186_331_040,
            121_870_652,
            194_207_779,
            185_640_220,
            190_118_503,
            186_902_411,
            261_738_095,
        ],
        budget_ore: 2_601_227_037,
    }
}

/// The fixture report.
pub fn report() -> Report {
    Report {
        meta: Meta {
            committee: "Servicenämnd IT, Växel och Telefoni".to_string(),
            title: "Delårsrapport 2023-08-31".to_string(),
            report_name: "Delårsrapport".to_string(),
            cover_title: "Delårsrapport 2023".to_string(),
            year: 2023,
            through_month: 8,
            period_end: "2023-08-31".to_string(),
            municipalities: vec![
                MunicipalityRef { id: "herrljunga".to_string(), name: "Herrljunga kommun".to_string(), host: true },
                MunicipalityRef { id: "vargarda".to_string(), name: "Vårgårda kommun".to_string(), host: false },
            ],
            organisation: vec![
                "Gemensam nämnd för Herrljunga och Vårgårda".to_string(),
                "Huvudman: Herrljunga kommun".to_string(),
            ],
            sign_convention: "Tabellerna följer bokföringens tecken: intäkter är negativa och kostnader positiva. Avvikelse = budget − prognos; positivt är bättre än budget.".to_string(),
            rounding: Rounding::AddsUp,
        },
        sections: vec![
            section("sammanfattning", "Sammanfattning", 1, vec![md(
                "IT enheten redovisar ett resultat på -402 tkr för delåret 2023.\n\nAtt enheten arbetar aktivt med Arbetsförmedlingen/Försäkringskassa/socialförvaltning och AME gör att resurskostnaderna blir lägre. Det gör att fler uppdrag hanterats mer kostnadseffektivt.",
            )]),
            section("ansvar_uppdrag", "Ansvar och uppdrag", 1, vec![md(
                "Servicenämnden IT/Växel/Telefoni inrättades den 1 januari 2015 och är en gemensam funktion för både Herrljunga och Vårgårda kommun. Herrljunga kommun är huvudman och den gemensamma nämnden ingår i dess organisation.",
            )]),
            section("verksamhetsberattelse", "Verksamhetsberättelse", 1, vec![md(
                "Under första halvan av 2023 har enheten tillsammans med socialförvaltningen arbetat för att digitalisera ekonomiskt bistånd tillsammans med Vårgårda.\n\nPå prov har IT infört PIOS som är ett nytt kalkylering/projektplaneringsverktyg.",
            )]),
            section("planeringsforutsattningar", "Planeringsförutsättningar", 1, vec![md(
                "IT enheten har formerat en digitaliseringsgruppering som under hösten startar upp ett digitaliseringsråd.\n\n- Erbjud tekniskt stöd i projekt\n- Definiera roller och ansvar i varje del av IT\n- Fungera rådgivande under idéstadiet av behov\n- Portföljstyrning",
            )]),
            section("mal", "Mål", 1, vec![
                Block::Goal(Goal {
                    title: "Digitaliseringsstrategi".to_string(),
                    status: Some(GoalStatus::Delvis),
                    text: "En digitaliseringsstrategi är nu framtagen och efter remissrundor kommer den nya strategin läggas in som ett ärende för beslut under hösten/vintern.".to_string(),
                    indicators: vec![
                        Indicator { name: "Strategin antagen av nämnden".to_string(), target: "Senast 2023-12-31".to_string(), outcome: "Remiss klar".to_string() },
                        Indicator { name: "Verksamheter som deltagit i remissen".to_string(), target: "100 %".to_string(), outcome: "85 %".to_string() },
                    ],
                }),
                Block::Goal(Goal {
                    title: "Nytt arbetssätt inom IT enheten".to_string(),
                    status: Some(GoalStatus::Uppfyllt),
                    text: "Arbetet kring att etablera nya arbetssätt är ett ständigt pågående arbete, föregående mål kring uppdelning av verksamhetsområden har fallit väl ut.".to_string(),
                    indicators: vec![],
                }),
                Block::Goal(Goal {
                    title: "Strategiskt arbete".to_string(),
                    status: Some(GoalStatus::EjUppfyllt),
                    text: "Som ett led av alla initiativ och projekt som skapas i kommunerna behöver vi en gemensam **portföljstyrning**.".to_string(),
                    indicators: vec![],
                }),
                Block::Goal(Goal {
                    title: "Digitalisering".to_string(),
                    status: None,
                    text: "Arbete med att etablera ett digitaliseringsråd och styrelse är ett sätt att få prioritering av våra digitaliseringsinitiativ.".to_string(),
                    indicators: vec![],
                }),
            ]),
            section("personalredovisning", "Personalredovisning", 1, vec![
                md("Sjukfrånvaron är fortsatt låg; långtidssjukfrånvaron gäller ett fåtal personer."),
                table("personal"),
            ]),
            section("ekonomi", "Ekonomi", 1, vec![]),
            section("drift", "Drift", 2, vec![
                table("resultatrakning"),
                table("resultat_netto"),
                md("#### Kommentarer till utfall och prognos drift"),
                table("budgetforandringar"),
                md("Utfallet för hela IT-verksamheten visar på ett underskott mot budget per augusti på 402 tkr. Prognosen på +-0 för hela verksamheten kvarstår."),
            ]),
            section("investeringar", "Investeringar", 2, vec![
                table("investeringar"),
                md("Utfallet vid delåret uppgår till 238 tkr jämfört med totalt budgeterade medel om 3 750 tkr."),
            ]),
        ],
        tables: vec![
            resultatrakning(),
            resultat_netto(),
            budgetforandringar(),
            investeringar(),
            personal(),
        ],
        memo: Memo {
            title: "Delårsrapport 2023-08-31 Servicenämnden IT, Växel och Telefoni".to_string(),
            date: "2023-09-01".to_string(),
            summary: "Servicenämnd IT, Växel, Telefoni redovisar en negativ avvikelse från budget på 402 tkr per augusti.\n\nDet negativa resultatet beror på högre personalkostnader än budgeterat under våren samt periodiseringseffekter på inköp.".to_string(),
            background: "IT, Växel och Telefoni är sedan 2015 organiserade som en gemensam servicenämnd mellan Vårgårda och Herrljunga kommun.\n\nEnligt Kommunallagen 11 kap. 16 § ska minst en delårsrapport upprättas varje räkenskapsår.".to_string(),
            basis: vec![
                "Tjänsteskrivelse i ärendet daterad 2023-09-01".to_string(),
                "Delårsrapport 2023-08-31 Servicenämnd IT, Växel och Telefoni".to_string(),
            ],
            decision: "Servicenämnden godkänner upprättad delårsrapport per 2023-08-31.".to_string(),
            author: "Klara Kälström".to_string(),
            author_title: "Controller".to_string(),
            distribution: vec!["Ekonomiavdelningen, Herrljunga kommun".to_string()],
            for_information: vec![
                "Kommunstyrelsen, Herrljunga kommun".to_string(),
                "Kommunstyrelsen, Vårgårda kommun".to_string(),
            ],
        },
        monthly: Some(monthly()),
        text_figures: [
            ("investeringar_budget_tkr", 3750),
            ("investeringar_utfall_tkr", 238),
            ("sammanfattning_resultat_tkr", -402),
            ("tjansteskrivelse_avvikelse_tkr", -402),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
        checks: vec![
            Check {
                id: "ledger_balanced".to_string(),
                status: CheckStatus::Pass,
                message: "Verifikationerna balanserar: debet är lika med kredit.".to_string(),
                figures: vec![
                    ("Debet".to_string(), "48 211 904,17 kr".to_string()),
                    ("Kredit".to_string(), "48 211 904,17 kr".to_string()),
                ],
            },
            Check {
                id: "sums_add_up".to_string(),
                status: CheckStatus::Warn,
                message: "Resultat netto per kommun skiljer sig från resultaträkningens nettokostnad med avrundning.".to_string(),
                figures: vec![
                    ("Summa verksamhet".to_string(), "17 578 tkr".to_string()),
                    ("Summa Nettokostnader".to_string(), "17 579 tkr".to_string()),
                ],
            },
            Check {
                id: "budget_complete".to_string(),
                status: CheckStatus::Fail,
                message: "Konto 5011 har utfall men saknar budget.".to_string(),
                figures: vec![("Utfall 202308".to_string(), "112 tkr".to_string())],
            },
        ],
    }
}
