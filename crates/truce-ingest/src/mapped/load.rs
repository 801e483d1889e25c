//! Loading a mapping file: TOML, `format = 1`, every problem located.

use super::date::{DIRECTIVES, DateFormat};
use super::{Attribution, MappedColumn, MappedInput, Mapping, PrecisionRule};
use toml::de::DeValue;
use truce_model::diagnostic::{Code, Diagnostic};
use truce_model::kind::BUILT_IN_KINDS;
use truce_model::names::closest;
use truce_model::report::LocationPrecision;
use truce_model::toml_reader::Located;
use truce_model::toml_reader::{Reader, Table, quoted_list};

/// The mapping file format this truce reads.
const FORMAT_VERSION: i64 = 1;

const TOP_KEYS: &[&str] = &[
    "format",
    "source",
    "input",
    "delimiter",
    "id",
    "revision",
    "custom_kinds",
    "date",
    "place",
    "actors",
    "kind",
    "casualties",
    "text",
];
const DATE_KEYS: &[&str] = &["column", "format", "end_column"];
const PLACE_KEYS: &[&str] = &[
    "latitude",
    "longitude",
    "name",
    "admin1",
    "admin2",
    "country",
    "precision",
    "precision_column",
    "precision_map",
];
const ACTOR_KEYS: &[&str] = &[
    "actor",
    "target",
    "separator",
    "attribution",
    "unknown_values",
];
const KIND_KEYS: &[&str] = &["column", "map", "default"];
const CASUALTY_KEYS: &[&str] = &["killed", "low", "high", "civilians"];
const TEXT_KEYS: &[&str] = &["notes", "url", "media"];

/// Source names truce's own readers give their reports: a mapping that reused
/// one would mix a mission's reports with that dataset's in the store.
const READER_SOURCES: &[&str] = &["ucdp-ged", "acled", "gdelt", "hxl", "truce"];

/// A loaded mapping file: the mapping when it has no error, and every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedMapping {
    /// The mapping, or `None` when any diagnostic is an error.
    pub mapping: Option<Mapping>,
    /// Every problem found (errors and warnings), in file order, each located
    /// in the mapping file (line, column and byte span).
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads and checks a mapping file. `file_name` names it in diagnostics and in
/// errors about data files; `text` is its content. Never panics, whatever the text.
///
/// ```
/// let text = r#"
/// format = 1
/// source = "unsmis-patrol"
/// input = "csv"
/// id = "report_no"
/// [date]
/// column = "date_observed"
/// format = "%d/%m/%Y"
/// [kind]
/// column = "incident_type"
/// map = { "Shelling" = "shelling", "Air strike" = "air-strke" }
/// "#;
/// let loaded = truce_ingest::load_mapping("mapping.toml", text);
/// assert!(loaded.mapping.is_none());
/// let errors: Vec<String> = loaded.diagnostics.iter().filter(|d| d.is_error())
///     .map(|d| d.to_string()).collect();
/// assert_eq!(errors, [
///     "error[invalid-value]: `kind.map` maps `Air strike` to `air-strke`, which is not a kind \
///      (mapping.toml:11:49); found `air-strke`; expected a kind of truce's kind tree \
///      (docs/event-kinds.md) or one listed in `custom_kinds`",
/// ]);
/// let error = loaded.diagnostics.iter().find(|d| d.is_error());
/// assert_eq!(error.and_then(|d| d.hint.as_deref()), Some("did you mean `air-strike`?"));
/// // No `[place]` and no `[actors]`: allowed, but said.
/// assert_eq!(loaded.diagnostics.iter().filter(|d| !d.is_error()).count(), 2);
/// ```
pub fn load_mapping(file_name: &str, text: &str) -> LoadedMapping {
    let mut reader = Reader::new(file_name, text);
    let root = reader.parse();
    let root_table = Table::root(&root, "the mapping");
    let mut builder = Builder {
        reader,
        file: file_name,
        columns: Vec::new(),
        case_blind: true,
        custom_kinds: Vec::new(),
    };
    let mapping = builder.build(root_table);
    let mut diagnostics = builder.reader.diagnostics;
    diagnostics.sort_by_key(|d| (d.line, d.column));
    let has_errors = diagnostics.iter().any(Diagnostic::is_error);
    LoadedMapping {
        mapping: if has_errors { None } else { mapping },
        diagnostics,
    }
}

struct Builder<'s> {
    reader: Reader<'s>,
    file: &'s str,
    columns: Vec<MappedColumn>,
    /// CSV column names are compared without case (as every CSV reader does);
    /// JSON keys with case.
    case_blind: bool,
    /// Kinds the mission's agreement adds, declared in `custom_kinds`.
    custom_kinds: Vec<String>,
}

/// A kind id as the agreement format writes them: lower-case letters, digits and `-`.
fn well_formed_kind(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && id.len() <= 80
}

/// A source name: plain, since it becomes part of every report id (`source:id`).
fn plain_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && name.len() <= 80
}

impl Builder<'_> {
    fn build(&mut self, root: Table<'_, '_>) -> Option<Mapping> {
        self.reader.check_keys(root, TOP_KEYS);
        self.format(root);
        let source = self.source(root);
        let input = self.input(root);
        self.case_blind = !matches!(input, Some(MappedInput::JsonLines));
        let id = self.column(root, "id");
        let revision = self.column(root, "revision");
        self.custom_kinds(root);

        let date = self.date(root);
        let place = self.place(root);
        let actors = self.actors(root);
        let kind = self.kind(root);
        let casualties = self.casualties(root);
        let (summary, urls, media) = match self.reader.table(root, "text", "`[text]`", "text.") {
            Some(table) => {
                self.reader.check_keys(table, TEXT_KEYS);
                (
                    self.column(table, "notes"),
                    self.column(table, "url"),
                    self.column(table, "media"),
                )
            }
            None => (None, None, None),
        };

        let (Some(source), Some(input), Some(date), Some(kind)) = (source, input, date, kind)
        else {
            return None;
        };
        Some(Mapping {
            file: self.file.to_string(),
            source,
            input,
            columns: std::mem::take(&mut self.columns),
            id,
            revision,
            date_column: date.column,
            date_end_column: date.end_column,
            date_format: date.format,
            latitude: place.latitude,
            longitude: place.longitude,
            place_name: place.name,
            admin1: place.admin1,
            admin2: place.admin2,
            country: place.country,
            precision: place.precision,
            actor: actors.actor,
            target: actors.target,
            name_separator: actors.separator,
            attribution: actors.attribution,
            unknown_names: actors.unknown_names,
            kind_column: kind.column,
            kind_map: kind.map,
            kind_values: kind.values,
            kind_default: kind.default,
            killed: casualties[0],
            killed_low: casualties[1],
            killed_high: casualties[2],
            killed_civilians: casualties[3],
            summary,
            urls,
            media,
        })
    }

    // ------------------------------------------------------------ top level

    fn format(&mut self, root: Table<'_, '_>) {
        self.reader.format_version(root, FORMAT_VERSION, "mapping");
    }

    fn source(&mut self, root: Table<'_, '_>) -> Option<String> {
        let source = self.reader.req_string(root, "source")?;
        let name = source.value.trim();
        if !plain_name(name) {
            self.reader
                .error(
                    Code::InvalidValue,
                    source.span,
                    "`source` is not a plain name",
                )
                .found(format!("`{}`", source.value))
                .expected(
                    "letters, digits, `-`, `_` and `.`, starting with a letter or digit, at most \
                     80 characters, such as `unsmis-patrol`",
                );
            return None;
        }
        if READER_SOURCES.contains(&name) {
            self.reader
                .warning(
                    Code::InvalidValue,
                    source.span,
                    format!("`source` is `{name}`, the name truce gives that dataset's reports"),
                )
                .hint(
                    "name the mission's own form (`unsmis-patrol`) so its reports are not mixed \
                     with the dataset's",
                );
        }
        Some(name.to_string())
    }

    fn input(&mut self, root: Table<'_, '_>) -> Option<MappedInput> {
        let input = self.reader.req_string(root, "input");
        let delimiter = self.reader.opt_string(root, "delimiter");
        let input = match input {
            None => None,
            Some(input) => match input.value.trim().to_ascii_lowercase().as_str() {
                "csv" => Some((MappedInput::Csv { delimiter: b',' }, input.span)),
                "jsonl" | "json-lines" | "jsonlines" => Some((MappedInput::JsonLines, input.span)),
                _ => {
                    let d = self
                        .reader
                        .error(Code::InvalidValue, input.span, "unknown `input`")
                        .found(format!("`{}`", input.value))
                        .expected("`csv` or `jsonl`");
                    if let Some(near) =
                        closest(&input.value.to_ascii_lowercase(), &["csv", "jsonl"])
                    {
                        d.hint(format!("did you mean `{near}`?"));
                    }
                    None
                }
            },
        };
        let Some(delimiter) = delimiter else {
            return input.map(|(input, _)| input);
        };
        match input {
            Some((MappedInput::Csv { .. }, _)) | None => {
                let mut chars = delimiter.value.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) if c.is_ascii() && !matches!(c, '"' | '\n' | '\r') => {
                        input.map(|_| MappedInput::Csv { delimiter: c as u8 })
                    }
                    _ => {
                        self.reader
                            .error(
                                Code::InvalidValue,
                                delimiter.span,
                                "`delimiter` is not one plain character",
                            )
                            .found(format!("`{}`", delimiter.value.escape_default()))
                            .expected(
                                "one ASCII character other than a quote or a line end, such as \
                                 `,`, `;`, `|` or `\\t` (a tab)",
                            );
                        None
                    }
                }
            }
            Some((MappedInput::JsonLines, input_span)) => {
                let input_line = self.reader.line_of(input_span.start);
                self.reader
                    .error(
                        Code::InvalidValue,
                        delimiter.span,
                        "`delimiter` is set but `input` is `jsonl`",
                    )
                    .expected("`delimiter` only with `input = \"csv\"`")
                    .hint(format!(
                        "`input` is on line {input_line}; JSON Lines files have no delimiter"
                    ));
                None
            }
        }
    }

    /// A column the mapping names under `key` of `table`, recorded once.
    fn column(&mut self, table: Table<'_, '_>, key: &str) -> Option<usize> {
        let name = self.reader.opt_string(table, key)?;
        self.add_column(table, key, name)
    }

    fn req_column(&mut self, table: Table<'_, '_>, key: &str) -> Option<usize> {
        let name = self.reader.req_string(table, key)?;
        self.add_column(table, key, name)
    }

    fn add_column(
        &mut self,
        table: Table<'_, '_>,
        key: &str,
        name: Located<String>,
    ) -> Option<usize> {
        let path = table.path(key);
        let trimmed = name.value.trim();
        if trimmed.is_empty() {
            self.reader
                .error(Code::InvalidValue, name.span, format!("`{path}` is empty"))
                .expected("the name of a column of the data file");
            return None;
        }
        if !self.case_blind && trimmed.split('.').any(str::is_empty) {
            self.reader
                .error(
                    Code::InvalidValue,
                    name.span,
                    format!("`{path}` has an empty part in its key path"),
                )
                .found(format!("`{trimmed}`"))
                .expected("a key, or keys joined by `.` into nested objects (`location.lat`)");
            return None;
        }
        let same = |c: &MappedColumn| {
            if self.case_blind {
                c.name.eq_ignore_ascii_case(trimmed)
            } else {
                c.name == trimmed
            }
        };
        if let Some(index) = self.columns.iter().position(same) {
            return Some(index);
        }
        self.columns.push(MappedColumn {
            name: trimmed.to_string(),
            key: path,
            line: self.reader.line_of(name.span.start),
        });
        Some(self.columns.len() - 1)
    }

    fn custom_kinds(&mut self, root: Table<'_, '_>) {
        for id in self
            .reader
            .string_list(root, "custom_kinds", "an array of strings")
        {
            if !well_formed_kind(&id.value) {
                self.reader
                    .error(
                        Code::InvalidValue,
                        id.span,
                        "a kind in `custom_kinds` is not a kind id",
                    )
                    .found(format!("`{}`", id.value))
                    .expected("lower-case letters, digits and `-`, such as `checkpoint-closure`");
            } else if BUILT_IN_KINDS.iter().any(|(k, _, _)| *k == id.value) {
                self.reader
                    .warning(
                        Code::DuplicateId,
                        id.span,
                        format!("`{}` in `custom_kinds` is a built-in kind", id.value),
                    )
                    .hint("built-in kinds need not be listed");
            } else {
                self.custom_kinds.push(id.value);
            }
        }
    }

    /// A kind the mapping names: built in, or declared in `custom_kinds`.
    fn kind_id(&mut self, path: &str, value: &Located<String>, what: String) -> Option<String> {
        let id = value.value.trim();
        let known = BUILT_IN_KINDS.iter().any(|(k, _, _)| *k == id)
            || self.custom_kinds.iter().any(|k| k == id);
        if known {
            return Some(id.to_string());
        }
        let mut candidates: Vec<&str> = BUILT_IN_KINDS.iter().map(|(k, _, _)| *k).collect();
        candidates.extend(self.custom_kinds.iter().map(String::as_str));
        let hint = closest(&id.to_ascii_lowercase(), &candidates)
            .map(|near| format!("did you mean `{near}`?"))
            .unwrap_or_else(|| {
                format!(
                    "a kind the mission's agreement adds can be used once it is listed in \
                     `custom_kinds`; `{path}` names kinds such as `shelling`, `armed-clash`, \
                     `attack-on-civilians`"
                )
            });
        self.reader
            .error(
                Code::InvalidValue,
                value.span.clone(),
                format!("`{path}` {what}, which is not a kind"),
            )
            .found(format!("`{}`", value.value))
            .expected(
                "a kind of truce's kind tree (docs/event-kinds.md) or one listed in `custom_kinds`",
            )
            .hint(hint);
        None
    }

    // ------------------------------------------------------------ [date]

    fn date(&mut self, root: Table<'_, '_>) -> Option<DateRule> {
        let Some(table) = self.reader.table(root, "date", "`[date]`", "date.") else {
            if root.get("date").is_none() {
                self.reader.missing(root, "date");
            }
            return None;
        };
        self.reader.check_keys(table, DATE_KEYS);
        let column = self.req_column(table, "column");
        let end_column = self.column(table, "end_column");
        let format = match self.reader.opt_string(table, "format") {
            None => Some(DateFormat::Iso),
            Some(text) => match DateFormat::parse(&text.value) {
                Ok(format) => Some(format),
                Err(why) => {
                    self.reader
                        .error(
                            Code::InvalidValue,
                            text.span,
                            format!("`date.format` {why}"),
                        )
                        .found(format!("`{}`", text.value))
                        .expected(format!("`iso`, or a pattern of {DIRECTIVES}"))
                        .hint("for 21/03/2024 write `%d/%m/%Y`; for 2024-03-21 write `iso`");
                    None
                }
            },
        };
        Some(DateRule {
            column: column?,
            end_column,
            format: format?,
        })
    }

    // ------------------------------------------------------------ [place]

    fn place(&mut self, root: Table<'_, '_>) -> PlaceRule {
        let mut rule = PlaceRule {
            latitude: None,
            longitude: None,
            name: None,
            admin1: None,
            admin2: None,
            country: None,
            precision: PrecisionRule::Fixed(LocationPrecision::Unknown),
        };
        let Some(table) = self.reader.table(root, "place", "`[place]`", "place.") else {
            if root.get("place").is_none() {
                self.reader
                    .warning(
                        Code::MissingField,
                        0..0,
                        "the mapping has no `[place]` table: reports will have no location",
                    )
                    .expected("a `[place]` table naming the latitude, longitude or place columns");
            }
            return rule;
        };
        self.reader.check_keys(table, PLACE_KEYS);
        rule.latitude = self.column(table, "latitude");
        rule.longitude = self.column(table, "longitude");
        match (table.get("latitude"), table.get("longitude")) {
            (Some(_), None) => self.reader.missing(table, "longitude"),
            (None, Some(_)) => self.reader.missing(table, "latitude"),
            _ => {}
        }
        rule.name = self.column(table, "name");
        rule.admin1 = self.column(table, "admin1");
        rule.admin2 = self.column(table, "admin2");
        rule.country = self.column(table, "country");

        let fixed = self.reader.opt_string(table, "precision");
        let column = self.column(table, "precision_column");
        let map = table.get("precision_map");
        match (fixed, column, map) {
            (Some(fixed), None, None) => {
                if let Some(precision) = self.precision(&fixed, "place.precision", "is") {
                    rule.precision = PrecisionRule::Fixed(precision);
                }
            }
            (Some(fixed), _, _) => {
                self.reader
                    .error(
                        Code::InvalidValue,
                        fixed.span,
                        "`place.precision` is set together with `precision_column` or \
                         `precision_map`",
                    )
                    .expected(
                        "either one `precision` for every row, or a `precision_column` with its \
                         `precision_map`",
                    );
            }
            (None, Some(column), Some(map)) => {
                if let Some((map, values)) = self.precision_map(map) {
                    rule.precision = PrecisionRule::Column {
                        column,
                        map,
                        values,
                    };
                }
            }
            (None, Some(_), None) => self.reader.missing(table, "precision_map"),
            (None, None, Some(_)) => self.reader.missing(table, "precision_column"),
            (None, None, None) => {
                if table.get("precision_column").is_none() {
                    let start = table.span.0;
                    self.reader
                        .warning(
                            Code::MissingField,
                            start..start + 1,
                            "`[place]` gives no `precision`: every location's precision will be \
                             `unknown`, so no report is certainly inside a zone",
                        )
                        .expected(
                            "`precision = \"exact\"` (or `near`, `district`, …), or a \
                             `precision_column` with its `precision_map`",
                        );
                }
            }
        }
        rule
    }

    /// A location precision key, or `None` with a diagnostic.
    fn precision(
        &mut self,
        value: &Located<String>,
        path: &str,
        what: &str,
    ) -> Option<LocationPrecision> {
        let text = value.value.trim();
        if let Some(precision) = LocationPrecision::ALL
            .into_iter()
            .find(|p| p.key().eq_ignore_ascii_case(text))
        {
            return Some(precision);
        }
        let keys: Vec<&str> = LocationPrecision::ALL.iter().map(|p| p.key()).collect();
        let d = self
            .reader
            .error(
                Code::InvalidValue,
                value.span.clone(),
                format!("`{path}` {what} not a location precision"),
            )
            .found(format!("`{}`", value.value))
            .expected(format!("one of {}", quoted_list(&keys)));
        if let Some(near) = closest(&text.to_ascii_lowercase(), &keys) {
            d.hint(format!("did you mean `{near}`?"));
        }
        None
    }

    /// The precision map: `(value in lower case, precision)` pairs and the values as written.
    fn precision_map(
        &mut self,
        value: &toml::Spanned<DeValue<'_>>,
    ) -> Option<(PrecisionMap, Vec<String>)> {
        let (entries, mut ok) = self.text_map(value, "place.precision_map")?;
        let mut map = Vec::with_capacity(entries.len());
        let mut values = Vec::with_capacity(entries.len());
        for (key, target) in entries {
            let what = format!("maps `{key}` to `{}`, which is", target.value);
            match self.precision(&target, "place.precision_map", &what) {
                Some(precision) => {
                    map.push((key.to_lowercase(), precision));
                    values.push(key);
                }
                None => ok = false,
            }
        }
        ok.then_some((map, values))
    }

    /// A table of form values to strings (`{ "GPS" = "exact" }`), keys checked
    /// for emptiness and for duplicates without case.
    fn text_map(
        &mut self,
        value: &toml::Spanned<DeValue<'_>>,
        path: &str,
    ) -> Option<(FormValues, bool)> {
        let DeValue::Table(entries) = value.get_ref() else {
            self.reader.wrong_type(
                path,
                value,
                "a table of values (`{ \"Shelling\" = \"shelling\" }`)",
            );
            return None;
        };
        if entries.is_empty() {
            self.reader
                .error(
                    Code::InvalidValue,
                    value.span(),
                    format!("`{path}` is empty"),
                )
                .expected("at least one `\"value in the form\" = \"truce value\"` pair");
            return None;
        }
        let mut out: Vec<(String, Located<String>)> = Vec::with_capacity(entries.len());
        let mut seen: Vec<(String, usize)> = Vec::new();
        let mut ok = true;
        for (key, target) in entries.iter() {
            let name = key.get_ref().trim().to_string();
            if name.is_empty() {
                self.reader
                    .error(
                        Code::InvalidValue,
                        key.span(),
                        format!("`{path}` has an empty key"),
                    )
                    .expected("the value as the form writes it");
                ok = false;
                continue;
            }
            let lower = name.to_lowercase();
            if let Some((_, line)) = seen.iter().find(|(s, _)| *s == lower) {
                let line = *line;
                self.reader
                    .error(
                        Code::DuplicateId,
                        key.span(),
                        format!("`{path}` has `{name}` twice"),
                    )
                    .expected("each form value once")
                    .hint(format!(
                        "values are compared without case and surrounding blanks; the other is on \
                         line {line}"
                    ));
                ok = false;
                continue;
            }
            seen.push((lower, self.reader.line_of(key.span().start)));
            match self.reader.string(path, target) {
                Some(target) => out.push((name, target)),
                None => ok = false,
            }
        }
        // The entries read are returned even when others were wrong, so that
        // their values are checked too: every problem at once.
        Some((out, ok))
    }

    // ------------------------------------------------------------ [actors]

    fn actors(&mut self, root: Table<'_, '_>) -> ActorRule {
        let mut rule = ActorRule {
            actor: None,
            target: None,
            separator: ";".to_string(),
            attribution: Attribution::Stated,
            unknown_names: Vec::new(),
        };
        let Some(table) = self.reader.table(root, "actors", "`[actors]`", "actors.") else {
            if root.get("actors").is_none() {
                self.reader
                    .warning(
                        Code::MissingField,
                        0..0,
                        "the mapping has no `[actors]` table: reports will name no side, so no \
                         finding can name a party",
                    )
                    .expected("an `[actors]` table naming the `actor` column");
            }
            return rule;
        };
        self.reader.check_keys(table, ACTOR_KEYS);
        rule.actor = self.column(table, "actor");
        rule.target = self.column(table, "target");
        if rule.actor.is_none() && rule.target.is_none() && table.get("actor").is_none() {
            self.reader.missing(table, "actor");
        }
        if let Some(separator) = self.reader.opt_string(table, "separator") {
            if separator.value.is_empty() {
                self.reader
                    .error(
                        Code::InvalidValue,
                        separator.span,
                        "`actors.separator` is empty",
                    )
                    .expected("the text between two names in one cell, such as `;` or `,`");
            } else {
                rule.separator = separator.value;
            }
        }
        if let Some(attribution) = self.reader.opt_string(table, "attribution") {
            match attribution.value.trim() {
                "stated" => rule.attribution = Attribution::Stated,
                "unstated" => rule.attribution = Attribution::Unstated,
                other => {
                    let d = self
                        .reader
                        .error(
                            Code::InvalidValue,
                            attribution.span,
                            "unknown `actors.attribution`",
                        )
                        .found(format!("`{other}`"))
                        .expected(
                            "`stated` (the form says who acted and who was targeted) or \
                             `unstated` (it names the parties involved, not who attacked whom)",
                        );
                    if let Some(near) = closest(other, &["stated", "unstated"]) {
                        d.hint(format!("did you mean `{near}`?"));
                    }
                }
            }
        }
        rule.unknown_names = self
            .reader
            .string_list(table, "unknown_values", "an array of strings")
            .into_iter()
            .map(|v| v.value.trim().to_lowercase())
            .filter(|v| !v.is_empty())
            .collect();
        rule
    }

    // ------------------------------------------------------------ [kind]

    fn kind(&mut self, root: Table<'_, '_>) -> Option<KindRule> {
        let Some(table) = self.reader.table(root, "kind", "`[kind]`", "kind.") else {
            if root.get("kind").is_none() {
                self.reader.missing(root, "kind");
            }
            return None;
        };
        self.reader.check_keys(table, KIND_KEYS);
        let column = self.req_column(table, "column");
        let default = match self.reader.opt_string(table, "default") {
            Some(value) => self
                .kind_id("kind.default", &value, format!("is `{}`", value.value))
                .map(Some),
            None => Some(None),
        };
        let map = match table.get("map") {
            None => {
                self.reader.missing(table, "map");
                None
            }
            Some(value) => self
                .text_map(value, "kind.map")
                .and_then(|(entries, mut ok)| {
                    let mut map = Vec::with_capacity(entries.len());
                    let mut values = Vec::with_capacity(entries.len());
                    for (key, target) in entries {
                        let what = format!("maps `{key}` to `{}`", target.value);
                        match self.kind_id("kind.map", &target, what) {
                            Some(kind) => {
                                map.push((key.to_lowercase(), kind));
                                values.push(key);
                            }
                            None => ok = false,
                        }
                    }
                    ok.then_some((map, values))
                }),
        };
        let (map, values) = map?;
        Some(KindRule {
            column: column?,
            map,
            values,
            default: default?,
        })
    }

    // ------------------------------------------------------------ [casualties]

    fn casualties(&mut self, root: Table<'_, '_>) -> [Option<usize>; 4] {
        let Some(table) = self
            .reader
            .table(root, "casualties", "`[casualties]`", "casualties.")
        else {
            return [None; 4];
        };
        self.reader.check_keys(table, CASUALTY_KEYS);
        let killed = self.column(table, "killed");
        let low = self.column(table, "low");
        let high = self.column(table, "high");
        let civilians = self.column(table, "civilians");
        if table.get("killed").is_none()
            && (table.get("low").is_some() || table.get("high").is_some())
        {
            self.reader.missing(table, "killed");
        }
        [killed, low, high, civilians]
    }
}

/// `(form value in lower case, precision)` pairs.
type PrecisionMap = Vec<(String, LocationPrecision)>;

/// `(value as the form writes it, what the mapping maps it to)` pairs.
type FormValues = Vec<(String, Located<String>)>;

struct DateRule {
    column: usize,
    end_column: Option<usize>,
    format: DateFormat,
}

struct PlaceRule {
    latitude: Option<usize>,
    longitude: Option<usize>,
    name: Option<usize>,
    admin1: Option<usize>,
    admin2: Option<usize>,
    country: Option<usize>,
    precision: PrecisionRule,
}

struct ActorRule {
    actor: Option<usize>,
    target: Option<usize>,
    separator: String,
    attribution: Attribution,
    unknown_names: Vec<String>,
}

struct KindRule {
    column: usize,
    map: Vec<(String, String)>,
    values: Vec<String>,
    default: Option<String>,
}
