//! The five roles of the portal.

crate::stored_enum! {
    pub enum Role("role") {
        Aanbieder = "aanbieder",
        Toegangsmedewerker = "toegangsmedewerker",
        /// Reads the monitor of its own municipality; changes nothing.
        Beleidsmedewerker = "beleidsmedewerker",
        Contractmanager = "contractmanager",
        Beheerder = "beheerder",
    }
}

impl Role {
    pub fn label(self) -> &'static str {
        match self {
            Role::Aanbieder => "Aanbieder",
            Role::Toegangsmedewerker => "Toegangsmedewerker",
            Role::Beleidsmedewerker => "Beleidsmedewerker",
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
