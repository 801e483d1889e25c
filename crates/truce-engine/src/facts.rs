//! What the engine establishes about one incident before looking at any clause:
//! its kind in the agreement's taxonomy, which actors its names are, which zones
//! and protected sites it is (certainly or possibly) in.

use crate::actors::{ActorMatch, ActorResolver, Resolution};
use rayon::prelude::*;
use truce_geo::{SiteIndex, ZoneIndex, ZoneRelation, haversine_km};
use truce_model::agreement::{Agreement, SetAside};
use truce_model::finding::Certainty;
use truce_model::kind::KindIndex;
use truce_model::report::{ActorCategory, Report, Role};

/// A zone the incident is certainly or possibly in.
#[derive(Clone, Debug)]
pub struct ZonePlace {
    pub zone: usize,
    pub certainty: Certainty,
    /// Inside: distance to the zone's edge; outside: distance to the zone.
    pub distance_km: f64,
    pub inside: bool,
    /// The zone is an administrative unit the source itself names (GED `adm_1`):
    /// the place is certain whatever the point's radius.
    pub named_by_source: bool,
}

/// A protected site the incident is certainly or possibly at.
#[derive(Clone, Debug)]
pub struct SitePlace {
    pub site: usize,
    pub certainty: Certainty,
    pub distance_km: f64,
}

#[derive(Clone, Debug)]
pub struct SideFacts {
    /// Index of the side in the report.
    pub side: usize,
    pub role: Role,
    /// Names that resolved: (index of the name in the side, match).
    pub matched: Vec<(usize, ActorMatch)>,
    pub unmatched: Vec<usize>,
    pub ambiguous: Vec<(usize, Vec<usize>)>,
    /// The source says this side is civilians.
    pub civilians_by_source: bool,
}

impl SideFacts {
    pub fn is_civilian(&self, agreement: &Agreement) -> bool {
        self.civilians_by_source
            || (!self.matched.is_empty()
                && self.unmatched.is_empty()
                && self
                    .matched
                    .iter()
                    .all(|(_, m)| agreement.actors[m.actor].civilian))
    }
}

#[derive(Clone, Debug)]
pub struct Facts {
    pub kind: KindIndex,
    /// False when the report's kind is not in the taxonomy (then `kind` is the root).
    pub kind_known: bool,
    pub radius_km: f64,
    pub zones: Vec<ZonePlace>,
    pub sites: Vec<SitePlace>,
    pub sides: Vec<SideFacts>,
    /// Why counts over days leave the report out under the agreement's `[evidence]`
    /// filter (an aggregate, a long span, a country-wide place), if they do.
    pub set_aside: Option<SetAside>,
}

/// Spatial indexes and lookups shared by every incident of a check.
pub struct Context<'a> {
    pub agreement: &'a Agreement,
    pub resolver: ActorResolver<'a>,
    pub zones: ZoneIndex,
    pub sites: SiteIndex,
    pub max_site_reach_km: f64,
    pub root_kind: KindIndex,
    /// Ids shared by every finding that names them.
    pub clause_ids: Vec<std::sync::Arc<str>>,
    pub actor_ids: Vec<std::sync::Arc<str>>,
    pub party_ids: Vec<std::sync::Arc<str>>,
    /// No party, shared by every finding that names none.
    pub no_parties: std::sync::Arc<[std::sync::Arc<str>]>,
    /// Each party alone, shared by the findings it is the one candidate of.
    pub single_party: Vec<std::sync::Arc<[std::sync::Arc<str>]>>,
    /// Each party's guarantors, shared by the findings it is responsible for.
    pub guarantors_of: Vec<std::sync::Arc<[std::sync::Arc<str>]>>,
    /// `kind_gate[clause][kind]`: whether an event of that kind may fall under the clause.
    kind_gate: Vec<Vec<bool>>,
    /// Kind id → index: every report's kind is looked up.
    kinds: rustc_hash::FxHashMap<String, KindIndex>,
    /// Administrative unit names the evidence gives (`admin1`, `admin2`) → the zones
    /// they name: made once per distinct name, as a million reports repeat a few
    /// hundred names. Empty when no zone is an administrative unit.
    named_units: [NamedUnits; 2],
}

/// For every distinct unit name the reports give, the zones that are that unit: a
/// report's `admin1` names first-order units, its `admin2` second-order ones. Keyed
/// by name, one map per level.
fn named_units(agreement: &Agreement, reports: &[Report]) -> [NamedUnits; 2] {
    let units: Vec<(usize, &truce_model::agreement::AdminUnit)> = agreement
        .zones
        .iter()
        .enumerate()
        .filter_map(|(i, z)| z.admin.as_ref().map(|u| (i, u)))
        .collect();
    let mut maps = [NamedUnits::default(), NamedUnits::default()];
    if units.is_empty() {
        return maps;
    }
    let names: rustc_hash::FxHashSet<(u8, &str)> = reports
        .par_iter()
        .fold(rustc_hash::FxHashSet::default, |mut set, r| {
            set.extend(r.location.admin1.as_deref().map(|n| (1, n)));
            set.extend(r.location.admin2.as_deref().map(|n| (2, n)));
            set
        })
        .reduce(rustc_hash::FxHashSet::default, |mut a, b| {
            a.extend(b);
            a
        });
    for (level, name) in names {
        let key = truce_model::agreement::admin_key(name);
        let fold = truce_model::names::fold_key(&key);
        let zones: Vec<usize> = units
            .iter()
            .filter(|(_, unit)| unit.level == level && unit.named_by_keys(&key, &fold))
            .map(|(i, _)| *i)
            .collect();
        if !zones.is_empty() {
            maps[usize::from(level - 1)].insert(name.to_string(), zones);
        }
    }
    maps
}

/// Unit names as sources write them → the zones they name.
type NamedUnits = rustc_hash::FxHashMap<String, Vec<usize>>;

impl<'a> Context<'a> {
    pub fn new(agreement: &'a Agreement, reports: &[Report]) -> Self {
        let mut resolver = ActorResolver::new(agreement);
        // The distinct names, gathered in parallel: a million reports repeat a few hundred names.
        let names: rustc_hash::FxHashSet<&str> = reports
            .par_iter()
            .fold(rustc_hash::FxHashSet::default, |mut set, r| {
                set.extend(
                    r.sides
                        .iter()
                        .flat_map(|s| s.names.iter().map(String::as_str)),
                );
                set
            })
            .reduce(rustc_hash::FxHashSet::default, |mut a, b| {
                a.extend(b);
                a
            });
        let mut names: Vec<&str> = names.into_iter().collect();
        // Sorted, so the resolver's cache is built the same way on every run.
        names.sort_unstable();
        resolver.warm(names);
        let geometries: Vec<_> = agreement.zones.iter().map(|z| z.geometry.clone()).collect();
        let points: Vec<_> = agreement.sites.iter().map(|s| s.point).collect();
        let max_site_reach_km = agreement
            .sites
            .iter()
            .map(|s| s.protection_radius_km + s.location_uncertainty_km)
            .fold(0.0, f64::max);
        let root_kind = agreement.taxonomy.find("event").unwrap_or(KindIndex(0));
        let named_units = named_units(agreement, reports);
        Context {
            named_units,
            agreement,
            resolver,
            zones: ZoneIndex::new(&geometries),
            sites: SiteIndex::new(&points),
            max_site_reach_km,
            root_kind,
            kinds: agreement
                .taxonomy
                .iter()
                .map(|(i, k)| (k.id.clone(), i))
                .collect(),
            kind_gate: agreement
                .clauses
                .iter()
                .map(|c| {
                    agreement
                        .taxonomy
                        .iter()
                        .map(|(k, _)| {
                            c.kinds.iter().any(|&w| {
                                agreement.taxonomy.relate(k, w) != truce_model::kind::KindMatch::No
                            })
                        })
                        .collect()
                })
                .collect(),
            clause_ids: agreement
                .clauses
                .iter()
                .map(|c| c.id.as_str().into())
                .collect(),
            actor_ids: agreement
                .actors
                .iter()
                .map(|a| a.id.as_str().into())
                .collect(),
            party_ids: agreement
                .parties
                .iter()
                .map(|p| p.id.as_str().into())
                .collect(),
            no_parties: std::sync::Arc::from(Vec::new()),
            single_party: agreement
                .parties
                .iter()
                .map(|p| std::sync::Arc::from(vec![std::sync::Arc::<str>::from(p.id.as_str())]))
                .collect(),
            guarantors_of: (0..agreement.parties.len())
                .map(|p| {
                    let list: Vec<std::sync::Arc<str>> = agreement
                        .parties
                        .iter()
                        .filter(|g| g.guarantees.contains(&p))
                        .map(|g| std::sync::Arc::from(g.id.as_str()))
                        .collect();
                    std::sync::Arc::from(list)
                })
                .collect(),
        }
    }

    /// Whether an event of `kind` may fall under clause `clause` (certainly or possibly).
    pub fn clause_may_concern_kind(&self, clause: usize, kind: KindIndex) -> bool {
        self.kind_gate[clause]
            .get(kind.0 as usize)
            .copied()
            .unwrap_or(true)
    }

    fn sites_near(
        &self,
        point: truce_model::report::LonLat,
        radius_km: f64,
        sites: &mut Vec<SitePlace>,
    ) {
        if self.agreement.sites.is_empty() {
            return;
        }
        let agreement = self.agreement;
        let mut near: Vec<(usize, f64)> = Vec::new();
        self.sites
            .within(point, self.max_site_reach_km + radius_km, &mut near);
        for (site_index, _) in near {
            let site = &agreement.sites[site_index];
            let distance = haversine_km(point, site.point);
            let slack = radius_km + site.location_uncertainty_km;
            let certainty = if distance + slack <= site.protection_radius_km {
                Some(Certainty::Certain)
            } else if distance - slack <= site.protection_radius_km {
                Some(Certainty::Possible)
            } else {
                None
            };
            if let Some(certainty) = certainty {
                sites.push(SitePlace {
                    site: site_index,
                    certainty,
                    distance_km: distance,
                });
            }
        }
    }

    pub fn facts(&self, report: &Report) -> Facts {
        let agreement = self.agreement;
        let (kind, kind_known) = match self.kinds.get(report.kind.as_str()).copied() {
            Some(k) => (k, true),
            None => (self.root_kind, false),
        };
        let radius_km = agreement.evidence.uncertainty_km(report.location.precision);
        let mut zones = Vec::new();
        let mut sites = Vec::new();
        match report.location.point.filter(|p| p.is_valid()) {
            Some(point) if radius_km == 0.0 => {
                // An exact point: in or out, no distance to weigh.
                let mut containing = Vec::new();
                self.zones.containing(point, &mut containing);
                zones.extend(containing.into_iter().map(|zone| ZonePlace {
                    zone,
                    certainty: Certainty::Certain,
                    distance_km: f64::NAN,
                    inside: true,
                    named_by_source: false,
                }));
                self.sites_near(point, radius_km, &mut sites);
            }
            Some(point) if radius_km.is_finite() => {
                let mut relations: Vec<ZoneRelation> = Vec::new();
                self.zones.relate(point, radius_km, &mut relations);
                for rel in relations {
                    let certainty = if rel.inside && rel.distance_km >= radius_km {
                        Some(Certainty::Certain)
                    } else if rel.inside || rel.distance_km <= radius_km {
                        Some(Certainty::Possible)
                    } else {
                        None
                    };
                    if let Some(certainty) = certainty {
                        zones.push(ZonePlace {
                            zone: rel.zone,
                            certainty,
                            distance_km: rel.distance_km,
                            inside: rel.inside,
                            named_by_source: false,
                        });
                    }
                }
                self.sites_near(point, radius_km, &mut sites);
                sites.sort_by_key(|s| s.site);
            }
            _ => {
                // Located to the country at best, or not at all: it may be in any zone and at any site.
                for zone in 0..agreement.zones.len() {
                    zones.push(ZonePlace {
                        zone,
                        certainty: Certainty::Possible,
                        distance_km: f64::NAN,
                        inside: false,
                        named_by_source: false,
                    });
                }
                for site in 0..agreement.sites.len() {
                    sites.push(SitePlace {
                        site,
                        certainty: Certainty::Possible,
                        distance_km: f64::NAN,
                    });
                }
            }
        }
        self.place_by_named_unit(report, &mut zones);
        zones.sort_by_key(|z| z.zone);
        let sides = report
            .sides
            .iter()
            .enumerate()
            .map(|(index, side)| {
                let mut facts = SideFacts {
                    side: index,
                    role: side.role,
                    matched: Vec::new(),
                    unmatched: Vec::new(),
                    ambiguous: Vec::new(),
                    civilians_by_source: side.category == Some(ActorCategory::Civilians),
                };
                for (n, name) in side.names.iter().enumerate() {
                    match self.resolver.resolve(name, &report.date) {
                        Resolution::Matched(m) => facts.matched.push((n, m)),
                        Resolution::Ambiguous(actors) => facts.ambiguous.push((n, actors)),
                        Resolution::Unmatched => facts.unmatched.push(n),
                    }
                }
                facts
            })
            .collect();
        Facts {
            kind,
            kind_known,
            radius_km,
            zones,
            sites,
            sides,
            set_aside: agreement.evidence.counting.set_aside(report),
        }
    }

    /// A source that names the administrative unit of a place (GED `adm_1 =
    /// "Aleppo governorate"`, `where_prec = 4`) places it there for certain, and
    /// certainly not in the other units of the same boundaries file, whatever a
    /// circle around its point would say (and whatever a generalised boundary drawn
    /// at 1:10 million says of a village near the line). When the point is
    /// certainly inside another unit of that file, the two statements disagree and
    /// the geometry stands.
    fn place_by_named_unit(&self, report: &Report, zones: &mut Vec<ZonePlace>) {
        if self.named_units.iter().all(|m| m.is_empty()) {
            return;
        }
        let mut named: Vec<usize> = [&report.location.admin1, &report.location.admin2]
            .into_iter()
            .zip(&self.named_units)
            .filter_map(|(name, units)| name.as_deref().and_then(|n| units.get(n)))
            .flatten()
            .copied()
            .collect();
        if named.is_empty() {
            return;
        }
        named.sort_unstable();
        named.dedup();
        let agreement = self.agreement;
        let files: Vec<&str> = named
            .iter()
            .filter_map(|&z| agreement.zones[z].admin.as_ref().map(|u| u.file.as_str()))
            .collect();
        let same_file = |zone: usize| {
            agreement.zones[zone]
                .admin
                .as_ref()
                .is_some_and(|unit| files.contains(&unit.file.as_str()))
        };
        let contradicted = zones.iter().any(|p| {
            p.certainty == Certainty::Certain && same_file(p.zone) && !named.contains(&p.zone)
        });
        if contradicted {
            return;
        }
        // Units of the same file that the source does not name: certainly not there.
        zones.retain(|place| named.contains(&place.zone) || !same_file(place.zone));
        for &zone in &named {
            match zones.iter_mut().find(|p| p.zone == zone) {
                Some(place) => {
                    if place.certainty != Certainty::Certain {
                        place.certainty = Certainty::Certain;
                        place.named_by_source = true;
                    }
                }
                None => zones.push(ZonePlace {
                    zone,
                    certainty: Certainty::Certain,
                    distance_km: f64::NAN,
                    inside: true,
                    named_by_source: true,
                }),
            }
        }
    }
}
