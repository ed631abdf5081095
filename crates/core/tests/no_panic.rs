//! No panics on input: random bytes and random edits of a sound package give a report or
//! an error value, never a panic.

mod common;

use delar_core::money::parse_ore;
use delar_core::sources::{
    parse_budget, parse_changes, parse_employments, parse_forecast, parse_register,
    parse_sick_spells,
};
use delar_core::{build_report, check_package, Options};
use proptest::prelude::*;

const FILES: [&str; 11] = [
    "delar.toml",
    "huvudbok/2023.se",
    "huvudbok/2022.se",
    "budget/budget.csv",
    "budget/andringar.csv",
    "prognos.csv",
    "investeringar.csv",
    "personal/anstallningar.csv",
    "personal/sjukfall.csv",
    "mal.toml",
    "texter/sammanfattning.md",
];

fn edit_char() -> impl Strategy<Value = char> {
    prop_oneof![
        Just(';'),
        Just(','),
        Just('-'),
        Just('"'),
        Just('{'),
        Just('}'),
        Just('\n'),
        Just('9'),
        Just('å'),
        Just('\u{2212}'),
        any::<char>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn csv_parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200), header in 0usize..6) {
        let headers = [
            "konto;ansvar;belopp\n",
            "omrade;forklaring;konto;ansvar;belopp\n",
            "rad;ansvar;prognos;kommentar\n",
            "projekt;namn;grupp;budget;ombudgetering;prognos\n",
            "id;kon;fodelsear;ordinarie_timmar;sysselsattningsgrad\n",
            "id;forsta_dag;sista_dag;sjuktimmar\n",
        ];
        let mut input = headers[header].as_bytes().to_vec();
        input.extend(&bytes);
        let _ = parse_budget("x.csv", &input);
        let _ = parse_changes("x.csv", &input);
        let _ = parse_forecast("x.csv", &input);
        let _ = parse_register("x.csv", &input);
        let _ = parse_employments("x.csv", &input);
        let _ = parse_sick_spells("x.csv", &input);
        let _ = parse_budget("x.csv", &bytes);
    }

    #[test]
    fn amounts_never_panic(s in "\\PC{0,20}") {
        let _ = parse_ore(&s);
    }

    #[test]
    fn config_never_panics(s in "\\PC{0,200}") {
        let _ = delar_core::config::parse_config(s.as_bytes());
    }

    #[test]
    fn edited_package_never_panics(
        file in 0usize..FILES.len(),
        at in any::<prop::sample::Index>(),
        len in 0usize..4,
        with in prop::collection::vec(edit_char(), 0..3),
    ) {
        let mut files = common::package();
        let text = String::from_utf8(files.files[FILES[file]].clone()).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let start = at.index(chars.len() + 1);
        let end = (start + len).min(chars.len());
        let mut edited: String = chars[..start].iter().collect();
        edited.extend(with.iter());
        edited.extend(chars[end..].iter());
        files = files.with(FILES[file], edited);
        let _ = build_report(&files, &Options::default());
        let _ = check_package(&files, &Options::default());
    }
}
