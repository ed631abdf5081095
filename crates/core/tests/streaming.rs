//! Ledgers are read through `SourceFiles::open` in pieces, never whole: every example
//! package shape (a committee with two years of vouchers, one with a #PSALDO ledger, a
//! municipality whose committees share one ledger) loads the same from a source that
//! only streams its ledgers as from memory, and an I/O error in the middle of a ledger
//! is a read error naming the file.

use delar_core::kommun::load_kommun;
use delar_core::{load_package, LoadError, MemoryFiles, SourceError, SourceFiles};
use std::io::Read;
use std::path::Path;

#[path = "common/dir.rs"]
mod dir;

fn example(name: &str) -> MemoryFiles {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    MemoryFiles {
        files: dir::files_under(&root),
    }
}

fn is_ledger(path: &str) -> bool {
    path.contains("huvudbok/")
}

/// Files from memory, but ledgers only through `open`, a few bytes a read; `fail_after`
/// makes every ledger read fail after that many bytes.
struct StreamOnly {
    inner: MemoryFiles,
    fail_after: Option<usize>,
}

struct Trickle<'a> {
    bytes: &'a [u8],
    left: Option<usize>,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == Some(0) {
            return Err(std::io::Error::other("the disk went away"));
        }
        let n = buf
            .len()
            .min(13)
            .min(self.bytes.len())
            .min(self.left.unwrap_or(usize::MAX));
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes = &self.bytes[n..];
        self.left = self.left.map(|l| l - n);
        Ok(n)
    }
}

impl SourceFiles for StreamOnly {
    fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
        assert!(!is_ledger(path), "{path} read whole");
        self.inner.read(path)
    }

    fn list(&self, dir: &str) -> Option<Vec<String>> {
        self.inner.list(dir)
    }

    fn open(&self, path: &str) -> Result<Box<dyn Read + Send + '_>, SourceError> {
        let bytes = self.inner.files.get(path).ok_or(SourceError::NotFound)?;
        Ok(Box::new(Trickle {
            bytes,
            left: self.fail_after,
        }))
    }

    fn size(&self, path: &str) -> Option<u64> {
        self.inner.size(path)
    }
}

#[test]
fn every_package_shape_loads_the_same_streamed() {
    for name in ["servicenamnd-it-2023", "kultur-fritid-2024"] {
        let files = example(name);
        assert!(files.files.keys().any(|p| is_ledger(p)), "{name}");
        let memory = load_package(&files, None).unwrap();
        let streamed = StreamOnly {
            inner: files,
            fail_after: None,
        };
        // (`assert!`, not `assert_eq!`: a whole package printed twice helps nobody.)
        assert!(load_package(&streamed, None).unwrap() == memory, "{name}");
        // Sizes unknown: the two ledgers are read one after the other, with the same result.
        struct NoSizes<'a>(&'a StreamOnly);
        impl SourceFiles for NoSizes<'_> {
            fn read(&self, path: &str) -> Result<Vec<u8>, SourceError> {
                self.0.read(path)
            }
            fn open(&self, path: &str) -> Result<Box<dyn Read + Send + '_>, SourceError> {
                self.0.open(path)
            }
            fn list(&self, dir: &str) -> Option<Vec<String>> {
                self.0.list(dir)
            }
        }
        let got = load_package(&NoSizes(&streamed), None).unwrap();
        assert!(got == memory, "{name}: sizes unknown");
    }
    let files = example("herrljunga-kommun-2023");
    let memory = load_kommun(&files, None).unwrap();
    let streamed = StreamOnly {
        inner: files,
        fail_after: None,
    };
    assert!(load_kommun(&streamed, None).unwrap() == memory);
}

#[test]
fn an_io_error_inside_a_ledger_names_the_file() {
    for fail_after in [0, 500, 5000] {
        let streamed = StreamOnly {
            inner: example("servicenamnd-it-2023"),
            fail_after: Some(fail_after),
        };
        match load_package(&streamed, None) {
            Err(LoadError::Read { path, message }) => {
                assert_eq!(path, "huvudbok/huvudbok-2023.se", "{fail_after}");
                assert!(message.contains("the disk went away"), "{message}");
            }
            other => panic!("{fail_after}: {other:?}"),
        }
    }
}
