//! The starter package that `delar init` writes: a small, runnable, commented example,
//! in the form of a committee of one municipality (default) or of a joint committee.

/// `delar.toml` of a committee of one municipality (`delar init`).
pub const KOMMUN_TOML: &[u8] = include_bytes!("../starter/delar-kommun.toml");

/// `delar.toml` of a joint committee (`delar init --gemensam`).
pub const GEMENSAM_TOML: &[u8] = include_bytes!("../starter/delar.toml");

/// Text files only the single-municipality form uses (its own section).
pub const KOMMUN_ONLY: &[(&str, &[u8])] = &[(
    "texter/viktiga-handelser.md",
    include_bytes!("../starter/texter/viktiga-handelser.md"),
)];

/// The files both forms share: path inside the package and contents.
pub const FILES: &[(&str, &[u8])] = &[
    (
        "budget/budget-2024.csv",
        include_bytes!("../starter/budget/budget-2024.csv"),
    ),
    (
        "budget/budgetforandringar-2024.csv",
        include_bytes!("../starter/budget/budgetforandringar-2024.csv"),
    ),
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
        "texter/ansvar-och-uppdrag.md",
        include_bytes!("../starter/texter/ansvar-och-uppdrag.md"),
    ),
    (
        "texter/planeringsforutsattningar.md",
        include_bytes!("../starter/texter/planeringsforutsattningar.md"),
    ),
    (
        "texter/verksamhetsberattelse.md",
        include_bytes!("../starter/texter/verksamhetsberattelse.md"),
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
