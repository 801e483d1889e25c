//! Embeds the dashboard's built files (`web/dist`, made by `scripts/web.sh`) in
//! the binary, so `truce serve` needs nothing else at run time. Without a build
//! a one-page notice says how to make it; the API works either way.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn files(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if path.is_dir() {
            files(&path, root, out);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let name = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            out.push((name, path));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let dist = manifest.join("../../web/dist");
    println!("cargo:rerun-if-changed={}", dist.display());
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_default());
    let mut found = Vec::new();
    files(&dist, &dist, &mut found);
    if !found.iter().any(|(name, _)| name == "index.html") {
        let notice = out_dir.join("index.html");
        let _ = std::fs::write(
            &notice,
            "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>truce</title>\
             <main><h1>truce</h1><p>The dashboard was not built into this binary. \
             Run <code>scripts/web.sh</code>, then build truce again. The API is at \
             <a href=\"/openapi.json\">/openapi.json</a>.</p></main></html>\n",
        );
        found = vec![("index.html".to_string(), notice)];
    }
    let mut code = String::from(
        "/// The dashboard's files: (path, bytes).\npub static ASSETS: &[(&str, &[u8])] = &[\n",
    );
    for (name, path) in &found {
        println!("cargo:rerun-if-changed={}", path.display());
        let _ = writeln!(
            code,
            "    ({name:?}, include_bytes!({:?})),",
            path.display().to_string()
        );
    }
    code.push_str("];\n");
    let _ = std::fs::write(out_dir.join("assets.rs"), code);
}
