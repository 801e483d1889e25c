//! Reading the files an agreement references, relative to the agreement file.

use std::path::PathBuf;
use truce_model::agreement::Files;

pub struct RelativeFiles {
    base: PathBuf,
}

impl RelativeFiles {
    pub fn new(base: PathBuf) -> Self {
        RelativeFiles { base }
    }
}

impl Files for RelativeFiles {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let full = self.base.join(path);
        std::fs::read(&full).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => format!("no such file ({})", full.display()),
            _ => format!("{e} ({})", full.display()),
        })
    }
}
