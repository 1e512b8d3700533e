//! The four roles of the portal.

crate::stored_enum! {
    pub enum Role("role") {
        Aanbieder = "aanbieder",
        Toegangsmedewerker = "toegangsmedewerker",
        Contractmanager = "contractmanager",
        Beheerder = "beheerder",
    }
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Aanbieder => "Aanbieder",
            Role::Toegangsmedewerker => "Toegangsmedewerker",
            Role::Contractmanager => "Contractmanager",
            Role::Beheerder => "Beheerder",
        }
    }

    /// Where the user lands after logging in.
    /// Every role starts at "Mijn werk", which lists its work.
    pub fn home(self) -> &'static str {
        "/mijn-werk"
    }
}
