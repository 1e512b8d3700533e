//! Who acts, with the one key their role needs. A user whose key is missing has no principal,
//! so "a contract manager without a region" cannot reach any handler.

use super::ids::{MunicipalityId, ProviderId, RegionId};
use super::role::Role;

/// The signed-in party: the provider a provider user acts for, the municipality of a
/// toegangsmedewerker, the region of a contract manager, or a beheerder: of every region
/// (the installation's) or of one (a regional beheerder).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Aanbieder(ProviderId),
    Toegang(MunicipalityId),
    /// A municipality's beleidsmedewerker: reads its municipality's monitor.
    Beleid(MunicipalityId),
    Contractmanager(RegionId),
    Beheerder(Option<RegionId>),
}

impl Principal {
    pub fn role(self) -> Role {
        match self {
            Principal::Aanbieder(_) => Role::Aanbieder,
            Principal::Toegang(_) => Role::Toegangsmedewerker,
            Principal::Beleid(_) => Role::Beleidsmedewerker,
            Principal::Contractmanager(_) => Role::Contractmanager,
            Principal::Beheerder(_) => Role::Beheerder,
        }
    }

    /// The regions this principal reviews and manages: a contract manager and a regional
    /// beheerder their own, the installation's beheerder every one; `None` for the other roles.
    pub fn region_scope(self) -> Option<RegionScope> {
        match self {
            Principal::Contractmanager(region) => Some(RegionScope::Only(region)),
            Principal::Beheerder(None) => Some(RegionScope::All),
            Principal::Beheerder(Some(region)) => Some(RegionScope::Only(region)),
            Principal::Aanbieder(_) | Principal::Toegang(_) | Principal::Beleid(_) => None,
        }
    }
}

impl Principal {
    /// The beheerder of the whole installation (every region), not a regional one.
    pub fn is_installation_beheerder(self) -> bool {
        self == Principal::Beheerder(None)
    }
}

/// The regions a user's review work covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionScope {
    /// The installation's beheerder: every region.
    All,
    /// A contract manager or a regional beheerder: its own region.
    Only(RegionId),
}

impl RegionScope {
    pub fn includes(self, region_id: i64) -> bool {
        match self {
            RegionScope::All => true,
            RegionScope::Only(own) => own == region_id,
        }
    }

    /// As a query filter: `None` means every region.
    pub fn filter(self) -> Option<i64> {
        match self {
            RegionScope::All => None,
            RegionScope::Only(own) => Some(own.get()),
        }
    }
}
