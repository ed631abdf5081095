//! The starter package that `delar init` writes: a small, runnable, commented example.

/// Every file of the starter package: path inside the package and contents.
pub const FILES: &[(&str, &[u8])] = &[
    (
        "budget/budget-2024.csv",
        include_bytes!("../starter/budget/budget-2024.csv"),
    ),
    (
        "budget/budgetforandringar-2024.csv",
        include_bytes!("../starter/budget/budgetforandringar-2024.csv"),
    ),
    ("delar.toml", include_bytes!("../starter/delar.toml")),
    (
        "huvudbok/huvudbok-2023.se",
        include_bytes!("../starter/huvudbok/huvudbok-2023.se"),
    ),
    (
        "huvudbok/huvudbok-2024.se",
        include_bytes!("../starter/huvudbok/huvudbok-2024.se"),
    ),
    (
        "investeringar/investeringar-2024.csv",
        include_bytes!("../starter/investeringar/investeringar-2024.csv"),
    ),
    ("mal.toml", include_bytes!("../starter/mal.toml")),
    (
        "personal/anstallningar.csv",
        include_bytes!("../starter/personal/anstallningar.csv"),
    ),
    (
        "personal/sjukfall.csv",
        include_bytes!("../starter/personal/sjukfall.csv"),
    ),
    (
        "prognos/prognos-2024.csv",
        include_bytes!("../starter/prognos/prognos-2024.csv"),
    ),
    (
        "texter/drift-kommentar.md",
        include_bytes!("../starter/texter/drift-kommentar.md"),
    ),
    (
        "texter/sammanfattning.md",
        include_bytes!("../starter/texter/sammanfattning.md"),
    ),
    (
        "texter/tjansteskrivelse-bakgrund.md",
        include_bytes!("../starter/texter/tjansteskrivelse-bakgrund.md"),
    ),
    (
        "texter/tjansteskrivelse-sammanfattning.md",
        include_bytes!("../starter/texter/tjansteskrivelse-sammanfattning.md"),
    ),
];
