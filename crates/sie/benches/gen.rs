//! Generates a large, valid SIE 4 file for benchmarks: vouchers of four #TRANS rows with
//! object lists on two dimensions, written by the crate's writer (CP437, #KSUMMA).

use delar_sie::*;
use std::sync::Arc;

/// A SIE 4 file with `rows` #TRANS rows (a multiple of 4).
pub fn generate(rows: usize) -> Vec<u8> {
    generate_with(rows, 4)
}

/// A SIE 4 file with `rows` #TRANS rows, `per_voucher` (even) rows in each voucher.
pub fn generate_with(rows: usize, per_voucher: usize) -> Vec<u8> {
    let per_voucher = per_voucher.max(2) / 2 * 2;
    let mut f = SieFile {
        sie_type: Some(SieType::Type4),
        program: Some(Program {
            name: "delar bench".into(),
            version: Some("1".into()),
        }),
        company_name: Some("Benchmark kommun".into()),
        fiscal_years: vec![FiscalYear {
            index: 0,
            start: Date::new(2023, 1, 1).unwrap(),
            end: Date::new(2023, 12, 31).unwrap(),
        }],
        ..SieFile::default()
    };
    let accounts: Vec<Sym> = (0..1000)
        .map(|i| Arc::from(format!("{}", 3000 + i * 5).as_str()))
        .collect();
    for a in &accounts {
        f.accounts.push(Account {
            number: a.clone(),
            name: format!("Konto {a} övrigt"),
            kind: None,
            unit: None,
            sru: Vec::new(),
            line: 0,
        });
    }
    let ansvar: Vec<Sym> = (0..200)
        .map(|i| Arc::from(format!("{}", 8000 + i).as_str()))
        .collect();
    let projekt: Vec<Sym> = (0..50)
        .map(|i| Arc::from(format!("P{i}").as_str()))
        .collect();
    f.dimensions.push(Dimension {
        number: 1,
        name: "Ansvar".into(),
        parent: None,
    });
    f.dimensions.push(Dimension {
        number: 6,
        name: "Projekt".into(),
        parent: None,
    });
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for v in 0..rows / per_voucher {
        let day = Date::new(2023, (v % 12) as u8 + 1, (v % 28) as u8 + 1).unwrap();
        let mut vrows = Vec::with_capacity(per_voucher);
        for k in 0..per_voucher / 2 {
            let amount = Amount((next() % 10_000_000) as i64 + 1);
            let objects = vec![
                (1, ansvar[(next() % 200) as usize].to_string()),
                (6, projekt[(next() % 50) as usize].to_string()),
            ];
            let a = accounts[(next() % 1000) as usize].to_string();
            let b = accounts[(next() % 1000) as usize].to_string();
            for (acc, amt) in [(a, amount), (b, -amount)] {
                vrows.push(RowData::new(acc, objects.clone(), amt));
            }
            let _ = k;
        }
        f.vouchers.push(&VoucherData {
            series: "A".into(),
            number: (v + 1).to_string(),
            date: day,
            text: Some(format!("Faktura {}", 100_000 + v)),
            registered: None,
            signature: None,
            rows: vrows,
            line: 0,
        });
    }
    write(&f, SieType::Type4)
}
