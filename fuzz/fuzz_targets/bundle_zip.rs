//! Fuzzes opening the bundle zip the server gives (`truce ledger verify|replay
//! BUNDLE.zip`): any bytes as the zip, unpacked into a folder of its own (no
//! name may leave it), then verified and replayed. Nothing panics, and the
//! folder is gone once the bundle is dropped.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::env::temp_dir().join(format!("truce-fuzz-{}.zip", std::process::id()));
    std::fs::write(&path, data).expect("write the zip");
    let Ok(opened) = truce_mission::verify::OpenedBundle::open(&path) else {
        return;
    };
    let root = opened.root().to_path_buf();
    assert!(
        root.starts_with(std::env::temp_dir()),
        "unpacked inside the temporary folder: {}",
        root.display()
    );
    let _ = truce_mission::verify::verify(&root, &[]);
    let _ = truce_mission::replay::replay(&root);
    drop(opened);
    assert!(!root.exists(), "the unpacked folder is removed");
});
