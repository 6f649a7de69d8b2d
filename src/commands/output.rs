//! Output folders written as one set (README "Errors and guarantees"): a command writes all
//! of its files into a hidden staging folder beside the target, then swaps it in, so the
//! target always holds one complete set — the old one or the new one, never a mix — and a
//! crashed or failed command leaves the previous results untouched.
//!
//! A lock file beside the folder (`.NAME.lock`) keeps a second fundsim process from writing
//! the same folder at the same time: it is refused with a clear message. Staging folders
//! left behind by a killed process are removed by the next command that takes the lock.
//! A folder that holds files fundsim did not write is never replaced.

use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// What went wrong while preparing or swapping an output folder.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// File-system failure.
    #[error(
        "{path}: {what}: {cause}; expected a folder fundsim can write (or choose another with --out)"
    )]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was being done.
        what: &'static str,
        /// The cause (not a `source`, so that its text is not printed twice).
        cause: std::io::Error,
    },
    /// Another process holds the folder's lock.
    #[error(
        "{dir} is being written by another fundsim process{pid}; expected one command per output folder at a time: wait for it to finish, or choose another folder with --out"
    )]
    Busy {
        /// The folder.
        dir: PathBuf,
        /// " (pid N)" when known.
        pid: String,
    },
    /// The folder holds files fundsim did not write.
    #[error(
        "{dir} holds {entry}, which fundsim did not write; expected an empty folder or a fundsim output folder (one with manifest.json): choose another folder with --out"
    )]
    Foreign {
        /// The folder.
        dir: PathBuf,
        /// The first foreign entry.
        entry: String,
    },
}

fn io<'a>(path: &'a Path, what: &'static str) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |cause| OutputError::Io {
        path: path.to_path_buf(),
        what,
        cause,
    }
}

/// Names of the files and folders fundsim writes into output folders: a folder holding
/// only these (or a `manifest.json`) may be replaced.
const KNOWN: &[&str] = &[
    "manifest.json",
    "summary.csv",
    "summary.parquet",
    "charts",
    "compare.csv",
    "compare.md",
    "sweep.csv",
    "sensitivity.csv",
    "solve.csv",
    "solve.json",
    "rebased",
    "previous",
];

/// The exclusive lock on one output folder, held while it is written (released on drop).
#[derive(Debug)]
pub struct OutputLock {
    dir: PathBuf,
    _file: File,
}

impl OutputLock {
    /// Take the lock of `dir` (created with its parents if missing); refuse when another
    /// process holds it. Stale staging folders of `dir` are removed.
    pub fn acquire(dir: &Path) -> Result<OutputLock, OutputError> {
        let (parent, name) = split(dir);
        fs::create_dir_all(&parent).map_err(io(&parent, "creating the folder"))?;
        let lock_path = parent.join(format!(".{name}.lock"));
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(io(&lock_path, "opening the lock file"))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let mut text = String::new();
                let _ = file.read_to_string(&mut text);
                let pid = text
                    .trim()
                    .parse::<u32>()
                    .map(|p| format!(" (pid {p})"))
                    .unwrap_or_default();
                return Err(OutputError::Busy {
                    dir: dir.to_path_buf(),
                    pid,
                });
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(io(&lock_path, "locking")(e));
            }
        }
        let _ = file.set_len(0);
        let _ = file.rewind();
        let _ = write!(file, "{}", std::process::id());
        let _ = file.flush();
        // Holding the lock, no other fundsim writes this folder: what staging folders of it
        // remain were left by a process that was killed.
        remove_stale(&parent, &name);
        Ok(OutputLock {
            dir: dir.to_path_buf(),
            _file: file,
        })
    }

    /// The locked folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

/// Remove the staging and set-aside folders of `parent/name` (`.NAME.tmp-*`, `.NAME.old-*`)
/// that a killed process left. Called only while holding the folder's lock.
fn remove_stale(parent: &Path, name: &str) {
    if let Ok(entries) = fs::read_dir(parent) {
        let stale = [format!(".{name}.tmp-"), format!(".{name}.old-")];
        for e in entries.flatten() {
            let n = e.file_name().to_string_lossy().into_owned();
            if stale.iter().any(|p| n.starts_with(p.as_str())) {
                let _ = fs::remove_dir_all(e.path());
            }
        }
    }
}

/// `dir` split into its parent folder and its file name.
fn split(dir: &Path) -> (PathBuf, String) {
    let abs = if dir.is_absolute() {
        dir.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|c| c.join(dir))
            .unwrap_or_else(|_| dir.to_path_buf())
    };
    let name = abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let parent = abs
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    (parent, name)
}

/// A whole output folder being written: files go into a staging folder, and
/// [`OutputSet::commit`] swaps it in for the target in one step.
#[derive(Debug)]
pub struct OutputSet {
    lock: OutputLock,
    staging: PathBuf,
    files: Vec<PathBuf>,
    committed: bool,
}

impl OutputSet {
    /// Start writing `dir` as a new set. Refuses a folder that holds files fundsim did not
    /// write, and a folder another process is writing.
    pub fn begin(dir: &Path) -> Result<OutputSet, OutputError> {
        let lock = OutputLock::acquire(dir)?;
        check_replaceable(dir)?;
        let (parent, name) = split(dir);
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        fs::create_dir_all(&staging).map_err(io(&staging, "creating the staging folder"))?;
        Ok(OutputSet {
            lock,
            staging,
            files: Vec::new(),
            committed: false,
        })
    }

    /// The final folder.
    pub fn dir(&self) -> &Path {
        self.lock.dir()
    }

    /// Where `rel` is written now (inside the staging folder).
    pub fn staged(&self, rel: &str) -> PathBuf {
        self.staging.join(rel)
    }

    /// Write one file of the set (`rel` is relative to the folder).
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.staging.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p).map_err(io(p, "creating the folder"))?;
        }
        let mut f = File::create(&path).map_err(io(&path, "creating"))?;
        f.write_all(bytes).map_err(io(&path, "writing"))?;
        f.sync_all().map_err(io(&path, "writing"))?;
        self.files.push(self.dir().join(rel));
        Ok(())
    }

    /// Record files written under [`OutputSet::staged`] by other code (e.g. a chart
    /// renderer), given by their staged paths, so that they are listed among the outputs.
    pub fn record(&mut self, staged: &[PathBuf]) {
        for p in staged {
            let rel = p.strip_prefix(&self.staging).unwrap_or(p);
            self.files.push(self.lock.dir.join(rel));
        }
    }

    /// Swap the staging folder in for the target. Returns the final paths of the files
    /// written, in order.
    pub fn commit(mut self) -> Result<Vec<PathBuf>, OutputError> {
        let dir = self.dir().to_path_buf();
        let (parent, name) = split(&dir);
        let aside = parent.join(format!(".{name}.old-{}", std::process::id()));
        swap_in(&self.staging, &dir, &aside)?;
        self.committed = true;
        Ok(std::mem::take(&mut self.files))
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// Put the folder `staging` in the place of `dir`: an atomic exchange where the file system
/// has one (Linux `renameat2(RENAME_EXCHANGE)`), else two renames through `aside`. The old
/// folder is removed.
fn swap_in(staging: &Path, dir: &Path, aside: &Path) -> Result<(), OutputError> {
    if !dir.exists() {
        return fs::rename(staging, dir).map_err(io(dir, "moving the new outputs in"));
    }
    if exchange(staging, dir).is_ok() {
        // `staging` now holds the old set.
        let _ = fs::remove_dir_all(staging);
    } else {
        fs::rename(dir, aside).map_err(io(dir, "moving the old outputs aside"))?;
        if let Err(e) = fs::rename(staging, dir) {
            let _ = fs::rename(aside, dir);
            return Err(io(dir, "moving the new outputs in")(e));
        }
        let _ = fs::remove_dir_all(aside);
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty())
        && let Ok(d) = File::open(parent)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; the call only reads them.
    let rc = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other("no atomic exchange here"))
}

/// A folder may be replaced when it is missing or empty, holds a `manifest.json`, or holds
/// only names fundsim writes.
fn check_replaceable(dir: &Path) -> Result<(), OutputError> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {
            return Err(OutputError::Foreign {
                dir: dir.to_path_buf(),
                entry: "a file of that name".into(),
            });
        }
        Err(e) => return Err(io(dir, "reading the folder")(e)),
    };
    if dir.join("manifest.json").is_file() {
        return Ok(());
    }
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let known = KNOWN.contains(&n.as_str())
            || n.starts_with("report.")
            || n.ends_with(".xlsx")
            || n.starts_with("evaluation.")
            || n.starts_with("backtest.");
        if !known {
            return Err(OutputError::Foreign {
                dir: dir.to_path_buf(),
                entry: format!("`{n}`"),
            });
        }
    }
    Ok(())
}

/// Replace the sub-folder `sub` of an existing output folder (e.g. `charts/` when charts are
/// re-rendered): `fill` writes into a staging folder beside the output folder
/// (`.NAME.tmp-PID-SUB`, so a killed process leaves nothing inside the set and the next
/// command's lock removes it), which is then swapped in. The caller holds the folder's lock.
pub fn replace_subfolder<E>(
    lock: &OutputLock,
    sub: &str,
    fill: impl FnOnce(&Path) -> Result<(), E>,
) -> Result<Result<(), E>, OutputError> {
    let dir = lock.dir();
    let (parent, name) = split(dir);
    let staging = parent.join(format!(".{name}.tmp-{}-{sub}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging).map_err(io(&staging, "creating the staging folder"))?;
    if let Err(e) = fill(&staging) {
        let _ = fs::remove_dir_all(&staging);
        return Ok(Err(e));
    }
    let aside = parent.join(format!(".{name}.old-{}-{sub}", std::process::id()));
    swap_in(&staging, &dir.join(sub), &aside)?;
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_replaces_the_old_one_whole() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let mut s = OutputSet::begin(&dir).unwrap();
        s.write("manifest.json", b"{}").unwrap();
        s.write("summary.csv", b"a").unwrap();
        s.write("charts/x.png", b"p").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(dir.join("summary.csv")).unwrap(), b"a");
        let mut s = OutputSet::begin(&dir).unwrap();
        s.write("manifest.json", b"{}").unwrap();
        s.write("summary.csv", b"b").unwrap();
        // Not committed: the old set stays.
        drop(s);
        assert_eq!(fs::read(dir.join("summary.csv")).unwrap(), b"a");
        let mut s = OutputSet::begin(&dir).unwrap();
        s.write("manifest.json", b"{}").unwrap();
        s.write("summary.csv", b"c").unwrap();
        s.commit().unwrap();
        assert_eq!(fs::read(dir.join("summary.csv")).unwrap(), b"c");
        assert!(!dir.join("charts").exists(), "old files are not kept");
        let hidden: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-") || n.contains(".old-"))
            .collect();
        assert!(hidden.is_empty(), "{hidden:?}");
    }

    #[test]
    fn a_second_writer_is_refused_and_foreign_folders_are_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let _held = OutputSet::begin(&dir).unwrap();
        let e = OutputSet::begin(&dir).unwrap_err().to_string();
        assert!(
            e.contains("being written by another fundsim process"),
            "{e}"
        );
        let home = tmp.path().join("home");
        fs::create_dir_all(&home).unwrap();
        fs::write(home.join("thesis.docx"), b"x").unwrap();
        let e = OutputSet::begin(&home).unwrap_err().to_string();
        assert!(
            e.contains("`thesis.docx`, which fundsim did not write"),
            "{e}"
        );
        assert!(home.join("thesis.docx").exists());
    }

    #[test]
    fn stale_staging_folders_are_cleaned() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        let stale = tmp.path().join(".out.tmp-999999");
        fs::create_dir_all(&stale).unwrap();
        fs::write(stale.join("summary.csv"), b"half").unwrap();
        let s = OutputSet::begin(&dir).unwrap();
        assert!(!stale.exists());
        drop(s);
    }
}
