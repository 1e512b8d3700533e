//! Whose monitor: a municipality or a whole region, and who may read which. The one rule:
//! a beleidsmedewerker reads its own municipality; a contract manager and a regional
//! beheerder their region and each municipality in it; the installation's beheerder all.

use crate::domain::principal::{Principal, RegionScope};
use crate::reference::ReferenceData;
use crate::web::AppError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Region(i64),
    Municipality {
        region_id: i64,
        municipality_id: i64,
    },
}

impl Scope {
    /// The stored rows of a whole region have this as their municipality.
    pub const REGION_ROW: i64 = 0;

    pub fn region_id(self) -> i64 {
        match self {
            Scope::Region(id) | Scope::Municipality { region_id: id, .. } => id,
        }
    }

    pub fn municipality_row(self) -> i64 {
        match self {
            Scope::Region(_) => Scope::REGION_ROW,
            Scope::Municipality {
                municipality_id, ..
            } => municipality_id,
        }
    }

    /// The municipality (today's) by its slug, or the region by its slug.
    pub fn of_municipality(reference: &ReferenceData, slug: &str) -> Option<Scope> {
        let m = reference.municipality_by_slug(slug)?;
        let today = crate::clock::today();
        m.exists_on(today).then_some(Scope::Municipality {
            region_id: m.region_id,
            municipality_id: m.id,
        })
    }

    pub fn of_region(reference: &ReferenceData, slug: &str) -> Option<Scope> {
        reference
            .regions
            .iter()
            .find(|r| r.slug == slug)
            .map(|r| Scope::Region(r.id))
    }

    /// "Delft" or "regio Haaglanden".
    pub fn name(self, reference: &ReferenceData) -> String {
        match self {
            Scope::Region(id) => reference
                .region(id)
                .map_or_else(String::new, |r| format!("regio {}", r.name)),
            Scope::Municipality {
                municipality_id, ..
            } => reference
                .municipality(municipality_id)
                .map_or_else(String::new, |m| m.name.clone()),
        }
    }

    /// The query that shows this scope: `gemeente=delft` or `regio=haaglanden`.
    pub fn query(self, reference: &ReferenceData) -> (&'static str, String) {
        match self {
            Scope::Region(id) => (
                "regio",
                reference
                    .region(id)
                    .map(|r| r.slug.clone())
                    .unwrap_or_default(),
            ),
            Scope::Municipality {
                municipality_id, ..
            } => (
                "gemeente",
                reference
                    .municipality(municipality_id)
                    .map(|m| m.slug.clone())
                    .unwrap_or_default(),
            ),
        }
    }
}

/// Whether this principal may read this scope's monitor.
pub fn may_read(principal: Principal, scope: Scope) -> bool {
    match principal {
        Principal::Beleid(own) => scope.municipality_row() == own.get(),
        other => other
            .region_scope()
            .is_some_and(|regions| regions.includes(scope.region_id())),
    }
}

/// The scope shown when none is asked for: a beleidsmedewerker's municipality, a contract
/// manager's region, the first region for the installation's beheerder.
pub fn default_scope(principal: Principal, reference: &ReferenceData) -> Option<Scope> {
    match principal {
        Principal::Beleid(own) => reference
            .municipality(own.get())
            .map(|m| Scope::Municipality {
                region_id: m.region_id,
                municipality_id: m.id,
            }),
        other => match other.region_scope()? {
            RegionScope::Only(region) => Some(Scope::Region(region.get())),
            RegionScope::All => reference.regions.first().map(|r| Scope::Region(r.id)),
        },
    }
}

/// The scopes this principal may choose from, the region before its municipalities.
pub fn choices(principal: Principal, reference: &ReferenceData) -> Vec<Scope> {
    let today = crate::clock::today();
    let mut out = Vec::new();
    for region in &reference.regions {
        let scope = Scope::Region(region.id);
        if may_read(principal, scope) {
            out.push(scope);
        }
        let mut municipalities: Vec<_> = reference
            .municipalities_of(region.id)
            .filter(|m| m.exists_on(today))
            .collect();
        municipalities.sort_by(|a, b| a.name.cmp(&b.name));
        for m in municipalities {
            let scope = Scope::Municipality {
                region_id: region.id,
                municipality_id: m.id,
            };
            if may_read(principal, scope) {
                out.push(scope);
            }
        }
    }
    out
}

/// The scope a request asks for (`gemeente` or `regio`), or the default; 404 for one that
/// does not exist, 403 for one this principal may not read.
pub fn resolve(
    principal: Principal,
    reference: &ReferenceData,
    gemeente: Option<&str>,
    regio: Option<&str>,
) -> Result<Scope, AppError> {
    let asked = match (
        gemeente.filter(|s| !s.is_empty()),
        regio.filter(|s| !s.is_empty()),
    ) {
        (Some(slug), _) => Some(Scope::of_municipality(reference, slug).ok_or(AppError::NotFound)?),
        (None, Some(slug)) => Some(Scope::of_region(reference, slug).ok_or(AppError::NotFound)?),
        (None, None) => None,
    };
    let scope = match asked {
        Some(scope) => scope,
        None => default_scope(principal, reference).ok_or(AppError::NotFound)?,
    };
    if may_read(principal, scope) {
        Ok(scope)
    } else {
        Err(AppError::Forbidden(
            "U kunt alleen de monitor van uw eigen gemeente of regio bekijken.".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{MunicipalityId, ProviderId, RegionId};

    #[test]
    fn each_role_reads_only_its_own_scope() {
        let delft = Scope::Municipality {
            region_id: 1,
            municipality_id: 10,
        };
        let breda = Scope::Municipality {
            region_id: 2,
            municipality_id: 20,
        };
        let policy = Principal::Beleid(MunicipalityId(10));
        assert!(may_read(policy, delft));
        assert!(!may_read(policy, breda));
        assert!(!may_read(policy, Scope::Region(1)), "not the whole region");
        let manager = Principal::Contractmanager(RegionId(1));
        assert!(may_read(manager, delft) && may_read(manager, Scope::Region(1)));
        assert!(!may_read(manager, breda) && !may_read(manager, Scope::Region(2)));
        assert!(may_read(Principal::Beheerder(None), breda));
        assert!(!may_read(Principal::Beheerder(Some(RegionId(1))), breda));
        assert!(!may_read(Principal::Toegang(MunicipalityId(10)), delft));
        assert!(!may_read(Principal::Aanbieder(ProviderId(1)), delft));
    }
}
