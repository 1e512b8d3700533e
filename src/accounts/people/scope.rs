//! Who may manage whom: the one place that decides, for every route of `/beheer/gebruikers`
//! and for a provider inviting a colleague. The installation's beheerder manages every
//! account; a regional beheerder the staff of its own region (its contract managers and
//! beheerders, and the toegangsmedewerkers and beleidsmedewerkers of its municipalities); a
//! provider user invites colleagues for its own provider only.

use crate::accounts::model::{Affiliation, Role, User};
use crate::domain::principal::Principal;
use crate::reference::model::ReferenceData;

/// The region an account belongs to: a contract manager's or regional beheerder's own, a
/// toegangsmedewerker's or beleidsmedewerker's through its municipality; `None` for provider
/// accounts and the installation's beheerder.
pub fn region_of(role: Role, affiliation: Affiliation, reference: &ReferenceData) -> Option<i64> {
    match (role, affiliation) {
        (Role::Contractmanager | Role::Beheerder, Affiliation::Region(id)) => Some(id),
        (Role::Toegangsmedewerker | Role::Beleidsmedewerker, Affiliation::Municipality(id)) => {
            reference.municipality(id).map(|m| m.region_id)
        }
        _ => None,
    }
}

/// Whether `actor` may see and change the account `target`.
pub fn may_manage(actor: Principal, target: &User, reference: &ReferenceData) -> bool {
    match actor {
        Principal::Beheerder(None) => true,
        Principal::Beheerder(Some(own)) => {
            target.role != Role::Aanbieder
                && region_of(target.role, target.affiliation(), reference) == Some(own.get())
        }
        _ => false,
    }
}

/// Why `actor` may not give an account this role and link, in Dutch; `None` when it may.
/// The link must exist and fit the role.
pub fn refuse_assignment(
    actor: Principal,
    role: Role,
    affiliation: Affiliation,
    reference: &ReferenceData,
) -> Option<(&'static str, &'static str)> {
    let fits = match (role, affiliation) {
        (Role::Toegangsmedewerker | Role::Beleidsmedewerker, Affiliation::Municipality(id)) => {
            reference.municipality(id).is_some()
        }
        (Role::Contractmanager | Role::Beheerder, Affiliation::Region(id)) => {
            reference.region(id).is_some()
        }
        (Role::Beheerder, Affiliation::None) | (Role::Aanbieder, Affiliation::Provider(_)) => true,
        _ => false,
    };
    if !fits {
        return Some(match role {
            Role::Toegangsmedewerker | Role::Beleidsmedewerker => {
                ("gemeente", "Kies de gemeente waar deze persoon werkt.")
            }
            Role::Contractmanager => ("regio", "Kies de regio van deze contractmanager."),
            _ => ("rol", "Kies een rol."),
        });
    }
    let allowed = match actor {
        Principal::Beheerder(None) => role != Role::Aanbieder,
        Principal::Beheerder(Some(own)) => {
            role != Role::Aanbieder && region_of(role, affiliation, reference) == Some(own.get())
        }
        Principal::Aanbieder(own) => {
            role == Role::Aanbieder && affiliation == Affiliation::Provider(own.get())
        }
        Principal::Toegang(_) | Principal::Beleid(_) | Principal::Contractmanager(_) => false,
    };
    (!allowed).then_some((
        "rol",
        "U kunt alleen rollen geven binnen uw eigen regio, gemeente of organisatie.",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::{ProviderId, RegionId};
    use crate::reference::model::{Municipality, Region};

    fn reference() -> ReferenceData {
        let region = |id, slug: &str| Region {
            id,
            slug: slug.into(),
            name: slug.into(),
            procurement_method: "outputgericht".into(),
        };
        let municipality = |id, region_id, slug: &str| Municipality {
            id,
            region_id,
            slug: slug.into(),
            name: slug.into(),
            cbs_code: String::new(),
            merged_into_id: None,
            merged_on: None,
            moves_to_region_id: None,
            moves_on: None,
        };
        ReferenceData {
            regions: vec![region(1, "haaglanden"), region(2, "alkmaar")],
            municipalities: vec![municipality(10, 1, "delft"), municipality(20, 2, "heiloo")],
            ..Default::default()
        }
    }

    #[test]
    fn a_regional_beheerder_assigns_only_within_its_region_and_never_all_regions() {
        let r = reference();
        let regional = Principal::Beheerder(Some(RegionId(1)));
        let ok = |role, aff| refuse_assignment(regional, role, aff, &r).is_none();
        assert!(ok(Role::Toegangsmedewerker, Affiliation::Municipality(10)));
        assert!(ok(Role::Contractmanager, Affiliation::Region(1)));
        assert!(ok(Role::Beheerder, Affiliation::Region(1)));
        assert!(!ok(Role::Toegangsmedewerker, Affiliation::Municipality(20)));
        assert!(!ok(Role::Contractmanager, Affiliation::Region(2)));
        assert!(!ok(Role::Beheerder, Affiliation::None));
        assert!(!ok(Role::Aanbieder, Affiliation::Provider(3)));
        // The installation's beheerder: any staff role, a link that fits it, no provider.
        let all = Principal::Beheerder(None);
        assert!(refuse_assignment(all, Role::Beheerder, Affiliation::None, &r).is_none());
        assert!(
            refuse_assignment(all, Role::Toegangsmedewerker, Affiliation::Region(1), &r).is_some()
        );
        assert!(
            refuse_assignment(
                all,
                Role::Toegangsmedewerker,
                Affiliation::Municipality(99),
                &r
            )
            .is_some()
        );
        assert!(refuse_assignment(all, Role::Aanbieder, Affiliation::Provider(3), &r).is_some());
        // A provider invites colleagues for itself only; others invite nobody.
        let provider = Principal::Aanbieder(ProviderId(3));
        assert!(
            refuse_assignment(provider, Role::Aanbieder, Affiliation::Provider(3), &r).is_none()
        );
        assert!(
            refuse_assignment(provider, Role::Aanbieder, Affiliation::Provider(4), &r).is_some()
        );
        assert!(refuse_assignment(provider, Role::Beheerder, Affiliation::None, &r).is_some());
        let manager = Principal::Contractmanager(RegionId(1));
        assert!(
            refuse_assignment(manager, Role::Contractmanager, Affiliation::Region(1), &r).is_some()
        );
    }
}
