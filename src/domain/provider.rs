//! The words of a provider's place in the catalogue: the organisation's own status and its
//! admission per region.

crate::stored_enum! {
    /// Whether the organisation itself is active; admission is decided per region.
    pub enum ProviderStatus("provider status") {
        Actief = "actief",
        Inactief = "inactief",
    }
}

crate::stored_enum! {
    /// Where the care is given.
    pub enum Setting("setting") {
        Ambulant = "ambulant",
        Dagbehandeling = "dagbehandeling",
        Verblijf = "verblijf",
    }
}

impl Setting {
    /// Plain words for families.
    pub fn label(self) -> &'static str {
        match self {
            Setting::Ambulant => "Hulp thuis, op school of op de praktijk (ambulant)",
            Setting::Dagbehandeling => "Overdag op een groep (dagbehandeling)",
            Setting::Verblijf => "Dag en nacht ergens wonen (verblijf)",
        }
    }
}

crate::stored_enum! {
    /// The admission state of a provider in one region. Only `Toegelaten` is public.
    pub enum AdmissionStatus("admission status") {
        Aangemeld = "aangemeld",
        InBehandeling = "in_behandeling",
        Toegelaten = "toegelaten",
        Afgewezen = "afgewezen",
        Opgeschort = "opgeschort",
        Beeindigd = "beeindigd",
    }
}

impl AdmissionStatus {
    /// Plain Dutch for pages and e-mails.
    pub fn label(self) -> &'static str {
        match self {
            AdmissionStatus::Aangemeld => "aangemeld",
            AdmissionStatus::InBehandeling => "in behandeling",
            AdmissionStatus::Toegelaten => "toegelaten",
            AdmissionStatus::Afgewezen => "afgewezen",
            AdmissionStatus::Opgeschort => "opgeschort",
            AdmissionStatus::Beeindigd => "beëindigd",
        }
    }

    /// The steps a contract manager may take from here.
    pub fn next_steps(self) -> &'static [AdmissionStatus] {
        use AdmissionStatus::*;
        match self {
            Aangemeld => &[InBehandeling, Toegelaten, Afgewezen],
            InBehandeling => &[Toegelaten, Afgewezen],
            Toegelaten => &[Opgeschort, Beeindigd],
            Opgeschort => &[Toegelaten, Beeindigd],
            Afgewezen | Beeindigd => &[],
        }
    }

    /// Rejecting, suspending and ending always need a reason.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            AdmissionStatus::Afgewezen | AdmissionStatus::Opgeschort | AdmissionStatus::Beeindigd
        )
    }
}

crate::stored_enum! {
    /// What a report that a listing is wrong ("Klopt er iets niet?") is about.
    pub enum ListingTopic("listing topic") {
        Contact = "contact",
        Wachttijd = "wachttijd",
        Aanbod = "aanbod",
        Resultaten = "resultaten",
        Anders = "anders",
    }
}

impl ListingTopic {
    /// Plain Dutch for the provider's and the region's pages.
    pub fn label(self) -> &'static str {
        match self {
            ListingTopic::Contact => "Adres of contactgegevens",
            ListingTopic::Wachttijd => "Wachttijd of plek",
            ListingTopic::Aanbod => "Wat de aanbieder biedt",
            ListingTopic::Resultaten => "Resultaten",
            ListingTopic::Anders => "Iets anders",
        }
    }
}
