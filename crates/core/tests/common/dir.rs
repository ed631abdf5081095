//! Every file under a folder, by its `/`-separated path relative to it: a package folder as
//! `MemoryFiles::files` holds it. Shared by the integration tests, the unit tests of
//! `build.rs` and the `compute_time` example (each includes it with `#[path]`); it names
//! no crate, so the same file builds inside and outside `delar-core`.

use std::collections::BTreeMap;
use std::path::Path;

/// The files under `dir` (recursively), read whole; panics on an I/O error (test use).
pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                walk(root, &path, files);
            } else {
                let rel = path.strip_prefix(root).unwrap().to_string_lossy();
                let rel = rel.replace('\\', "/");
                files.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut files = BTreeMap::new();
    walk(dir, dir, &mut files);
    files
}
