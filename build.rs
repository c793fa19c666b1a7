//! Stamps the app with the format of what the page and its on-demand modules
//! exchange (the report the charts module draws, the data tools' requests and
//! events): a digest of the sources that define it. A tab left open across a
//! deploy whose page and module disagree then says so ("reload"), instead of
//! misreading what it is sent.

use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn main() {
    let roots = [
        "crates/engine/src",
        "src/charts",
        "src/data/data_events.rs",
        "src/data/ingest_protocol.rs",
        "src/tools/tools_context.rs",
    ];
    let mut all = Vec::new();
    for root in roots {
        println!("cargo:rerun-if-changed={root}");
        files(Path::new(root), &mut all);
    }
    all.sort();
    // FNV-1a, 64 bits: a change detector, not a security measure.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in &all {
        let name = path.to_string_lossy().replace('\\', "/");
        for byte in name
            .bytes()
            .chain([0])
            .chain(fs::read(path).unwrap_or_default())
        {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    println!("cargo:rustc-env=UPLIFT_PAGE_FORMAT={hash:016x}");
}
