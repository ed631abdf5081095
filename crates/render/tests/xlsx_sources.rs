//! Budget, budget changes and forecast given as Excel workbooks (`.xlsx`, read with
//! calamine) instead of CSV: the same report, byte for byte in every text format, and
//! errors that name the sheet, row and column of a broken cell.

mod common;

use delar_core::{build_report, MemoryFiles, Options};
use rust_xlsxwriter::Workbook;

const EXAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../examples/servicenamnd-it-2023"
);

/// Every file of the example package, in memory.
fn example_files() -> MemoryFiles {
    common::package_files(EXAMPLE)
}

/// A CSV file as a workbook with one sheet: numbers that parse as numbers become number
/// cells (as a controller's workbook has them), everything else text cells.
fn workbook_of(csv: &str, sheet: &str) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    for (r, line) in csv.lines().enumerate() {
        for (c, cell) in line.split(';').enumerate() {
            let (r, c) = (u32::try_from(r).unwrap(), u16::try_from(c).unwrap());
            // The external boundary: a workbook stores numbers as binary floating point.
            match cell.parse::<f64>() {
                Ok(v) if r > 0 => ws.write_number(r, c, v).map(|_| ()),
                _ => ws.write_string(r, c, cell).map(|_| ()),
            }
            .unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn text(files: &MemoryFiles, path: &str) -> String {
    String::from_utf8(files.files[path].clone()).unwrap()
}

/// The example with its budget, changes and forecast as workbooks.
fn as_workbooks(mut files: MemoryFiles) -> MemoryFiles {
    let pairs = [
        (
            "budget/budget-2023.csv",
            "budget/budget-2023.xlsx",
            "Budget",
        ),
        (
            "budget/budgetforandringar-2023.csv",
            "budget/budgetforandringar-2023.xlsx",
            "Förändringar",
        ),
        (
            "prognos/prognos-2023.csv",
            "prognos/prognos-2023.xlsx",
            "Prognos",
        ),
    ];
    let mut toml = text(&files, "delar.toml");
    for (csv, xlsx, sheet) in pairs {
        let book = workbook_of(&text(&files, csv), sheet);
        files.files.remove(csv);
        files = files.with(xlsx, book);
        assert!(toml.contains(csv));
        toml = toml.replace(csv, xlsx);
    }
    files.with("delar.toml", toml)
}

#[test]
fn workbooks_give_the_same_report_bytes_as_csv() {
    let csv = build_report(&example_files(), &Options::default()).unwrap();
    let xlsx = build_report(&as_workbooks(example_files()), &Options::default()).unwrap();
    assert_eq!(csv, xlsx);
    assert_eq!(
        delar_render::html::report(&csv),
        delar_render::html::report(&xlsx)
    );
    assert_eq!(
        delar_render::markdown::report(&csv),
        delar_render::markdown::report(&xlsx)
    );
    assert_eq!(
        delar_render::html::memo(&csv),
        delar_render::html::memo(&xlsx)
    );
    assert_eq!(
        delar_render::json::report(&csv),
        delar_render::json::report(&xlsx)
    );
    assert_eq!(
        delar_render::xlsx::workbook(&csv).unwrap(),
        delar_render::xlsx::workbook(&xlsx).unwrap()
    );
}

#[test]
fn a_broken_workbook_names_sheet_row_and_column() {
    let files = as_workbooks(example_files());
    let budget = text(&example_files(), "budget/budget-2023.csv");
    // (the edit to the CSV text before it becomes a workbook, the expected error)
    let third = budget.lines().nth(2).unwrap().to_string();
    let mut fields: Vec<&str> = third.split(';').collect();
    fields[2] = "12,345.6x";
    let broken_amount = budget.replacen(&third, &fields.join(";"), 1);
    let cases = [
        (
            broken_amount,
            "budget/budget-2023.xlsx: blad \"Budget\", rad 3, kolumn C (belopp): ",
        ),
        (
            budget.replacen("belopp", "beloop", 1),
            "budget/budget-2023.xlsx: blad \"Budget\", rad 1: okänd kolumn \"beloop\"",
        ),
    ];
    for (csv, expect) in cases {
        let broken = files
            .clone()
            .with("budget/budget-2023.xlsx", workbook_of(&csv, "Budget"));
        let err = build_report(&broken, &Options::default())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with(expect), "{err}");
    }
    // Not a workbook at all.
    let junk = files.with("budget/budget-2023.xlsx", b"konto;belopp\n");
    let err = build_report(&junk, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with(
            "budget/budget-2023.xlsx: kan inte läsas: filen är ingen läsbar Excel-arbetsbok"
        ),
        "{err}"
    );
}
