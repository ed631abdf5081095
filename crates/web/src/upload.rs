//! Uploaded report packages: the request body read within the size limit, and a zip
//! unpacked in memory into a `delar_core::MemoryFiles`, refusing what could harm the
//! server or smuggle files: paths with `..`, absolute paths, symlinks, encrypted
//! entries, too many files, and more uncompressed bytes than the limit (a zip bomb:
//! the limit is enforced on the bytes actually inflated, not on the sizes the zip
//! claims). Nothing is written to disk.

use crate::error::AppError;
use axum::body::{Body, Bytes};
use delar_core::MemoryFiles;
use futures_util::StreamExt;
use std::io::Read;

/// Limits for an upload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// The largest request body (bytes).
    pub max_body: usize,
    /// The most files in a zip.
    pub max_files: usize,
    /// The most bytes all files of a zip may inflate to.
    pub max_unzipped: u64,
}

fn mb(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

/// Reads a request body of at most `limit` bytes. A larger body is read on (and
/// thrown away, up to twice the limit) so that the client can read the 413 answer.
pub async fn read_body(body: Body, limit: usize) -> Result<Bytes, AppError> {
    let mut stream = body.into_data_stream();
    let mut buf: Vec<u8> = Vec::new();
    let mut seen: u64 = 0;
    let cap = (limit as u64).saturating_mul(2);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| AppError::Invalid(format!("uppladdningen avbröts: {e}")))?;
        seen += chunk.len() as u64;
        if seen > cap {
            break;
        }
        if buf.len() + chunk.len() <= limit {
            buf.extend_from_slice(&chunk);
        }
    }
    if seen > limit as u64 {
        return Err(AppError::TooLarge(format!(
            "filen är för stor: högst {} MB kan laddas upp (servern startas med --max-upload-mb för en annan gräns)",
            mb(limit as u64)
        )));
    }
    Ok(Bytes::from(buf))
}

/// A path inside the zip as a `/`-separated relative path, or why it is refused.
fn safe_path(raw: &[u8]) -> Result<String, AppError> {
    let name = std::str::from_utf8(raw)
        .map_err(|_| AppError::Invalid("zip-filen har ett filnamn som inte är UTF-8; packa om den med ett program som skriver UTF-8-namn".into()))?;
    let refused = |why: &str| {
        AppError::Invalid(format!(
            "zip-filen refuseras: sökvägen \"{name}\" {why}; inget har sparats"
        ))
    };
    let unified = name.replace('\\', "/");
    if unified.starts_with('/') || unified.as_bytes().get(1) == Some(&b':') {
        return Err(refused("är absolut"));
    }
    let mut parts = Vec::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(refused("går uppåt med ..")),
            p if p.chars().any(char::is_control) => return Err(refused("har styrtecken")),
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

/// Unpacks a zip into memory. The package may be at the zip's root or in one folder
/// (the usual "compress this folder"): a single top folder is removed when `delar.toml`
/// is not at the root. `__MACOSX/` entries and `.DS_Store` files are skipped.
pub fn unzip(bytes: &[u8], limits: &UploadLimits) -> Result<MemoryFiles, AppError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| {
        AppError::Invalid(
            "filen är ingen zip-fil (eller en trasig): packa paketets mapp som .zip och försök igen"
                .into(),
        )
    })?;
    if archive.len() > limits.max_files {
        return Err(AppError::TooLarge(format!(
            "zip-filen har {} filer; högst {} tas emot",
            archive.len(),
            limits.max_files
        )));
    }
    let bomb = || {
        AppError::TooLarge(format!(
            "zip-filen packas upp till mer än {} MB, gränsen för ett paket; inget har sparats",
            mb(limits.max_unzipped)
        ))
    };
    let mut total: u64 = 0;
    let mut files = MemoryFiles::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| AppError::Invalid(format!("zip-filen kan inte läsas: {e}")))?;
        let path = safe_path(entry.name_raw())?;
        if entry.is_symlink() {
            return Err(AppError::Invalid(format!(
                "zip-filen refuseras: \"{path}\" är en symbolisk länk; inget har sparats"
            )));
        }
        if entry.encrypted() {
            return Err(AppError::Invalid(format!(
                "zip-filen refuseras: \"{path}\" är krypterad"
            )));
        }
        if entry.is_dir()
            || path.is_empty()
            || path.starts_with("__MACOSX/")
            || path.rsplit('/').next() == Some(".DS_Store")
        {
            continue;
        }
        if total.saturating_add(entry.size()) > limits.max_unzipped {
            return Err(bomb());
        }
        let remaining = limits.max_unzipped - total;
        let mut content = Vec::new();
        (&mut entry)
            .take(remaining + 1)
            .read_to_end(&mut content)
            .map_err(|e| {
                AppError::Invalid(format!("\"{path}\" i zip-filen kan inte packas upp: {e}"))
            })?;
        total += content.len() as u64;
        if total > limits.max_unzipped {
            return Err(bomb());
        }
        if files.files.insert(path.clone(), content).is_some() {
            return Err(AppError::Invalid(format!(
                "zip-filen har \"{path}\" två gånger"
            )));
        }
    }
    Ok(strip_top_folder(files))
}

/// The package with a single top folder removed when `delar.toml` is not at the root.
fn strip_top_folder(files: MemoryFiles) -> MemoryFiles {
    if files.files.contains_key("delar.toml") {
        return files;
    }
    let tops: std::collections::BTreeSet<&str> = files
        .files
        .keys()
        .map(|p| p.split_once('/').map_or("", |(top, _)| top))
        .collect();
    match tops.into_iter().collect::<Vec<_>>().as_slice() {
        [top] if !top.is_empty() && files.files.contains_key(&format!("{top}/delar.toml")) => {
            let prefix = format!("{top}/");
            MemoryFiles {
                files: files
                    .files
                    .into_iter()
                    .map(|(p, b)| (p[prefix.len()..].to_string(), b))
                    .collect(),
            }
        }
        _ => files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn limits() -> UploadLimits {
        UploadLimits {
            max_body: 1 << 20,
            max_files: 10,
            max_unzipped: 1000,
        }
    }

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(bytes).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn paths_are_checked() {
        assert_eq!(safe_path(b"a/./b.txt").unwrap(), "a/b.txt");
        for bad in [
            &b"../x"[..],
            b"a/../../x",
            b"/etc/passwd",
            b"C:/x",
            b"a\\..\\x",
        ] {
            let e = safe_path(bad).unwrap_err();
            assert_eq!(e.status(), axum::http::StatusCode::UNPROCESSABLE_ENTITY);
        }
    }

    #[test]
    fn top_folder_is_removed() {
        let z = zip_of(&[("pkg/delar.toml", b"x"), ("pkg/a/b.txt", b"y")]);
        let files = unzip(&z, &limits()).unwrap();
        assert_eq!(
            files.files.keys().collect::<Vec<_>>(),
            vec!["a/b.txt", "delar.toml"]
        );
    }

    #[test]
    fn bombs_and_crowds_are_refused() {
        let big = vec![b'0'; 2000];
        let e = unzip(&zip_of(&[("delar.toml", &big)]), &limits()).unwrap_err();
        assert_eq!(e.status(), axum::http::StatusCode::PAYLOAD_TOO_LARGE);
        let names: Vec<String> = (0..11).map(|i| format!("f{i}")).collect();
        let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
        let e = unzip(&zip_of(&entries), &limits()).unwrap_err();
        assert_eq!(e.status(), axum::http::StatusCode::PAYLOAD_TOO_LARGE);
        let e = unzip(b"not a zip", &limits()).unwrap_err();
        assert_eq!(e.status(), axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    }
}
