//! Writing a set of output files so that nothing half-written is ever left behind.
//!
//! Every file is first written completely to a hidden temporary name in the target
//! folder, then all of them are renamed into place. If any write fails, the temporary
//! files are removed and the folder is as it was.

use anyhow::{Context, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `files` (name, contents) into `dir`, creating it if needed.
///
/// Returns the final paths in the order given.
/// A name may hold `/` to write into a subfolder of `dir` (created if needed).
pub fn write_all(dir: &Path, files: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("kan inte skapa utdatamappen {}", dir.display()))?;
    for (name, _) in files {
        let target = dir.join(name);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("kan inte skapa utdatamappen {}", parent.display()))?;
        }
        if target.is_dir() {
            anyhow::bail!(
                "{} är en mapp; flytta undan den eller välj en annan utdatamapp",
                target.display()
            );
        }
    }
    let mut staged: Vec<(tempfile::NamedTempFile, PathBuf)> = Vec::with_capacity(files.len());
    for (name, contents) in files {
        let target = dir.join(name);
        let folder = target.parent().unwrap_or(dir);
        let file_name = target
            .file_name()
            .map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
        let prefix = format!(".{file_name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // Temporary files are private (0600); the finished outputs are ordinary documents.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(fs::Permissions::from_mode(0o644));
        }
        let mut tmp = builder
            .tempfile_in(folder)
            .with_context(|| format!("kan inte skapa en tillfällig fil i {}", folder.display()))?;
        tmp.write_all(contents)
            .and_then(|()| tmp.as_file().sync_all())
            .with_context(|| format!("kan inte skriva {}", target.display()))?;
        staged.push((tmp, target));
    }
    // Every file is complete: move them into place. `NamedTempFile` removes any file
    // that was not persisted when it is dropped (on error).
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, target) in staged {
        tmp.persist(&target).map_err(|e| e.error).with_context(|| {
            format!(
                "kan inte flytta den färdiga filen till {}",
                target.display()
            )
        })?;
        written.push(target);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_every_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let files = vec![
            ("a.html".to_string(), b"<p>a</p>".to_vec()),
            ("b.md".to_string(), b"# b".to_vec()),
        ];
        let written = write_all(&out, &files).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(fs::read(out.join("a.html")).unwrap(), b"<p>a</p>");
        let names: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(out.join("a.html"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o644, "outputs are readable documents");
        }
    }

    #[test]
    fn writes_into_subfolders() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let files = vec![
            ("kultur/report.md".to_string(), b"# k".to_vec()),
            ("report.md".to_string(), b"# r".to_vec()),
        ];
        write_all(&out, &files).unwrap();
        assert_eq!(fs::read(out.join("kultur/report.md")).unwrap(), b"# k");
        assert_eq!(fs::read(out.join("report.md")).unwrap(), b"# r");
        let names: Vec<_> = fs::read_dir(out.join("kultur"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["report.md".to_string()]);
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        fs::create_dir_all(out.join("b.md")).unwrap(); // a folder where a file must go
        let files = vec![
            ("a.html".to_string(), b"<p>a</p>".to_vec()),
            ("b.md".to_string(), b"# b".to_vec()),
        ];
        assert!(write_all(&out, &files).is_err());
        let names: Vec<_> = fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["b.md".to_string()], "nothing was written");
    }
}
