//! The server's settings: one struct, filled from a TOML file, then the
//! environment (`TRUCE_*`), then the command line, each overriding the one before.

use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// How finely the public may see where an incident happened.
#[derive(Copy, Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Coordinates {
    /// The source's point as it is.
    Exact,
    /// Snapped to the centre of a 0.25° cell (about 25 km, a district's size).
    District,
    /// Snapped to the centre of a 1° cell (about 100 km, a province's size).
    Province,
    /// No point at all.
    Withheld,
}

impl Coordinates {
    /// The size of the cell points are snapped to, in degrees; `None` when exact.
    pub fn cell_degrees(self) -> Option<f64> {
        match self {
            Coordinates::Exact => None,
            Coordinates::District => Some(0.25),
            Coordinates::Province => Some(1.0),
            Coordinates::Withheld => Some(f64::INFINITY),
        }
    }

    pub fn parse(text: &str) -> Option<Coordinates> {
        match text {
            "exact" => Some(Coordinates::Exact),
            "district" => Some(Coordinates::District),
            "province" => Some(Coordinates::Province),
            "withheld" => Some(Coordinates::Withheld),
            _ => None,
        }
    }
}

/// What the public (observers, and callers without a token) may see, in the style
/// of WHO's reporting of attacks on health care: aggregates and findings are
/// published; exact places, facility names, sources and free text are withheld
/// or coarsened. The server applies it to every answer; the page never does.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Disclosure {
    /// How finely places are shown (`exact`, `district`, `province`, `withheld`).
    pub coordinates: Coordinates,
    /// Show which sources reported an incident.
    pub sources: bool,
    /// Show the names of protected sites (hospitals, schools) and place names finer than a district.
    pub facility_names: bool,
    /// Show the sources' free-text summaries.
    pub summaries: bool,
}

impl Default for Disclosure {
    fn default() -> Disclosure {
        Disclosure {
            coordinates: Coordinates::District,
            sources: false,
            facility_names: false,
            summaries: false,
        }
    }
}

/// What a party's liaison sees of the incidents its own party is named in (of
/// the others it sees what the public sees). The defaults are a protection
/// officer's: the accused party learns which sources and which findings, to
/// answer them, but not a witness's words, the exact point, a facility's name
/// or who on the mission's staff did what, unless the mission turns them on.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LiaisonDisclosure {
    /// How finely places are shown (`exact`, `district`, `province`, `withheld`).
    pub coordinates: Coordinates,
    /// Show which sources reported an incident (a monitor's report by its random id).
    pub sources: bool,
    /// Show the names of protected sites and place names finer than a district.
    pub facility_names: bool,
    /// Show the free text: the sources' summaries and the monitors' words.
    pub free_text: bool,
    /// Name the mission's staff in the ledger (who published, released, added a
    /// user); otherwise the ledger gives their role and a keyed pseudonym. This
    /// holds for every reader of the ledger.
    pub staff_names: bool,
}

impl Default for LiaisonDisclosure {
    fn default() -> LiaisonDisclosure {
        LiaisonDisclosure {
            coordinates: Coordinates::District,
            sources: true,
            facility_names: false,
            free_text: false,
            staff_names: false,
        }
    }
}

impl LiaisonDisclosure {
    /// The fields shown, as the answers apply them.
    pub fn shown(&self) -> Disclosure {
        Disclosure {
            coordinates: self.coordinates,
            sources: self.sources,
            facility_names: self.facility_names,
            summaries: self.free_text,
        }
    }
}

/// How the server logs.
#[derive(Copy, Clone, Debug, PartialEq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogFormat {
    Text,
    Json,
}

/// Everything `truce serve` is told.
#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Where to listen.
    pub listen: SocketAddr,
    /// The store: a SQLite file, or a PostgreSQL URL (`postgres://user@host/db`).
    pub database: String,
    /// The agreement the mission verifies (a file; the files it names are read beside it).
    pub agreement: Option<PathBuf>,
    /// Let the agreement name files outside its own folder (absolute paths, `..`);
    /// off by default, so an uploaded agreement cannot make the server read others.
    pub agreement_files_anywhere: bool,
    /// The day checks are made as of (YYYY-MM-DD); by default the last day of the evidence.
    pub as_of: Option<String>,
    pub log_format: LogFormat,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// The largest evidence file accepted by upload, in bytes (larger ones: `truce import`).
    pub max_upload_bytes: usize,
    /// The longest a request may take, in seconds.
    pub request_timeout_seconds: u64,
    /// Requests per minute allowed per client address.
    pub rate_limit_per_minute: u32,
    /// Logins per minute allowed per client address, and per account name.
    pub login_attempts_per_minute: u32,
    /// Mark the session cookie `Secure` (sent over HTTPS only): on whenever the
    /// server is reached through TLS (a reverse proxy), which it should be beyond loopback.
    pub secure_cookies: bool,
    /// How long a login lasts, in hours.
    pub session_hours: u32,
    /// An XYZ raster tile URL the dashboard draws beneath the boundaries when online
    /// (`https://…/{z}/{x}/{y}.png`); none by default, so nothing leaves the machine.
    pub tile_url: Option<String>,
    /// The mission's private key file (`truce keys generate`): with it a mission admin
    /// signs a checkpoint of the ledger from the dashboard (`POST
    /// /api/v1/ledger/checkpoint`); without it, checkpoints are signed with `truce
    /// ledger checkpoint --key`. Keep the file readable by the server's user only.
    pub mission_key: Option<PathBuf>,
    /// What the public may see.
    pub public: Disclosure,
    /// What a party's liaison sees of the incidents its party is named in.
    pub liaison: LiaisonDisclosure,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: "truce.db".to_string(),
            agreement: None,
            agreement_files_anywhere: false,
            as_of: None,
            log_format: LogFormat::Text,
            max_body_bytes: 16 << 20,
            max_upload_bytes: 512 << 20,
            request_timeout_seconds: 30,
            rate_limit_per_minute: 6000,
            login_attempts_per_minute: 10,
            secure_cookies: false,
            session_hours: 12,
            tile_url: None,
            mission_key: None,
            public: Disclosure::default(),
            liaison: LiaisonDisclosure::default(),
        }
    }
}

/// A settings problem, naming where the value came from.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("cannot read the settings file `{file}`")]
    Read {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the settings file `{file}` is not valid: {message}")]
    Parse { file: String, message: String },
    #[error("the environment variable `{name}` is `{value}`: expected {expected}")]
    Environment {
        name: String,
        value: String,
        expected: &'static str,
    },
}

impl Settings {
    /// Reads a settings file (TOML, the fields of [`Settings`]).
    pub fn from_file(path: &Path) -> Result<Settings, SettingsError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| SettingsError::Read {
            file: file.clone(),
            source,
        })?;
        toml::from_str(&text).map_err(|e| SettingsError::Parse {
            file,
            message: e.to_string().trim().to_string(),
        })
    }

    /// Applies `TRUCE_LISTEN`, `TRUCE_DATABASE`, `TRUCE_AGREEMENT`, `TRUCE_MISSION_KEY_FILE`, `TRUCE_AS_OF`,
    /// `TRUCE_LOG_FORMAT`, `TRUCE_MAX_BODY_BYTES`, `TRUCE_REQUEST_TIMEOUT_SECONDS`,
    /// `TRUCE_RATE_LIMIT_PER_MINUTE` and `TRUCE_PUBLIC_COORDINATES`, read through
    /// `get` (the process environment in the binary, a map in tests).
    pub fn apply_environment(
        &mut self,
        get: impl Fn(&str) -> Option<String>,
    ) -> Result<(), SettingsError> {
        fn parsed<T: std::str::FromStr>(
            name: &str,
            value: String,
            expected: &'static str,
        ) -> Result<T, SettingsError> {
            value
                .trim()
                .parse()
                .map_err(|_| SettingsError::Environment {
                    name: name.to_string(),
                    value,
                    expected,
                })
        }
        if let Some(v) = get("TRUCE_LISTEN") {
            self.listen = parsed(
                "TRUCE_LISTEN",
                v,
                "an address and port such as 127.0.0.1:8080",
            )?;
        }
        if let Some(v) = get("TRUCE_DATABASE") {
            self.database = v;
        }
        if let Some(v) = get("TRUCE_MISSION_KEY_FILE") {
            self.mission_key = Some(PathBuf::from(v));
        }
        if let Some(v) = get("TRUCE_AGREEMENT") {
            self.agreement = Some(PathBuf::from(v));
        }
        if let Some(v) = get("TRUCE_AS_OF") {
            self.as_of = Some(v);
        }
        if let Some(v) = get("TRUCE_LOG_FORMAT") {
            self.log_format = match v.as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => {
                    return Err(SettingsError::Environment {
                        name: "TRUCE_LOG_FORMAT".into(),
                        value: v,
                        expected: "`text` or `json`",
                    });
                }
            };
        }
        if let Some(v) = get("TRUCE_MAX_BODY_BYTES") {
            self.max_body_bytes = parsed("TRUCE_MAX_BODY_BYTES", v, "a number of bytes")?;
        }
        if let Some(v) = get("TRUCE_REQUEST_TIMEOUT_SECONDS") {
            self.request_timeout_seconds =
                parsed("TRUCE_REQUEST_TIMEOUT_SECONDS", v, "a number of seconds")?;
        }
        if let Some(v) = get("TRUCE_RATE_LIMIT_PER_MINUTE") {
            self.rate_limit_per_minute =
                parsed("TRUCE_RATE_LIMIT_PER_MINUTE", v, "a number of requests")?;
        }
        if let Some(v) = get("TRUCE_PUBLIC_COORDINATES") {
            self.public.coordinates =
                Coordinates::parse(&v).ok_or_else(|| SettingsError::Environment {
                    name: "TRUCE_PUBLIC_COORDINATES".into(),
                    value: v,
                    expected: "`exact`, `district`, `province` or `withheld`",
                })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_then_environment() {
        let mut settings: Settings = toml::from_str(
            "listen = \"127.0.0.1:9000\"\ndatabase = \"m.db\"\n[public]\ncoordinates = \"province\"\n",
        )
        .expect("settings");
        assert_eq!(settings.listen.port(), 9000);
        assert_eq!(settings.public.coordinates, Coordinates::Province);
        settings
            .apply_environment(|name| (name == "TRUCE_LISTEN").then(|| "0.0.0.0:7000".into()))
            .expect("environment");
        assert_eq!(settings.listen.port(), 7000);
        assert_eq!(settings.database, "m.db");
        let error = settings
            .apply_environment(|name| (name == "TRUCE_MAX_BODY_BYTES").then(|| "lots".into()))
            .expect_err("not a number");
        assert!(
            error.to_string().contains("TRUCE_MAX_BODY_BYTES"),
            "{error}"
        );
    }

    #[test]
    fn unknown_fields_are_named() {
        let error = toml::from_str::<Settings>("listne = \"x\"").expect_err("unknown field");
        assert!(error.to_string().contains("listne"), "{error}");
    }
}
