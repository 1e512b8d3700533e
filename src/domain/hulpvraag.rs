//! The words of the choice workflow: a hulpvraag's status, its kader, and why a provider
//! declined.

crate::stored_enum! {
    pub enum Status("hulpvraag status") {
        /// Opened; the family has not chosen yet (or chooses again after a decline).
        Open = "open",
        /// A provider was chosen and has not answered yet.
        Gekozen = "gekozen",
        Geaccepteerd = "geaccepteerd",
        /// The chosen provider declined; the family chooses again.
        Afgewezen = "afgewezen",
        Gestart = "gestart",
        Afgesloten = "afgesloten",
        /// Withdrawn by the worker before help started, with a reason.
        Ingetrokken = "ingetrokken",
    }
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Open => "Open: nog geen keuze",
            Status::Gekozen => "Gekozen: wacht op antwoord aanbieder",
            Status::Geaccepteerd => "Geaccepteerd door aanbieder",
            Status::Afgewezen => "Afgewezen: opnieuw kiezen",
            Status::Gestart => "Hulp is gestart",
            Status::Afgesloten => "Afgesloten",
            Status::Ingetrokken => "Ingetrokken",
        }
    }

    /// The worker may still correct profile, intensity, age, kader and notes: no provider
    /// has accepted yet.
    pub fn may_correct(self) -> bool {
        matches!(self, Status::Open | Status::Gekozen | Status::Afgewezen)
    }

    /// The worker may withdraw the hulpvraag: help has not started.
    pub fn may_withdraw(self) -> bool {
        matches!(
            self,
            Status::Open | Status::Gekozen | Status::Afgewezen | Status::Geaccepteerd
        )
    }

    /// The family (or the worker for it) may choose a provider now.
    pub fn may_choose(self) -> bool {
        matches!(self, Status::Open | Status::Afgewezen)
    }
}

crate::stored_enum! {
    pub enum Kader("kader") {
        Vrijwillig = "vrijwillig",
        /// Court-ordered help: a gecertificeerde instelling decides, the family does not choose.
        Gedwongen = "gedwongen",
    }
}

impl Kader {
    pub fn label(self) -> &'static str {
        match self {
            Kader::Vrijwillig => "Vrijwillig",
            Kader::Gedwongen => "Gedwongen (gecertificeerde instelling beslist)",
        }
    }

    /// For a table cell.
    pub fn short_label(self) -> &'static str {
        match self {
            Kader::Vrijwillig => "Vrijwillig",
            Kader::Gedwongen => "Gedwongen kader",
        }
    }
}

crate::stored_enum! {
    pub enum DeclineReason("reason to decline") {
        GeenPlek = "geen_plek",
        PastNiet = "past_niet",
        Anders = "anders",
    }
}

impl DeclineReason {
    pub fn label(self) -> &'static str {
        match self {
            DeclineReason::GeenPlek => "Geen plek",
            DeclineReason::PastNiet => "Past niet bij ons aanbod",
            DeclineReason::Anders => "Anders",
        }
    }
}

crate::stored_enum! {
    /// A chosen provider's answer to the request.
    pub enum RequestAnswer("answer to a request") {
        Open = "open",
        Geaccepteerd = "geaccepteerd",
        Afgewezen = "afgewezen",
        /// The worker withdrew the hulpvraag before help started.
        Ingetrokken = "ingetrokken",
    }
}

crate::stored_enum! {
    /// Who chose: the family through its link, or family and worker together.
    pub enum ChosenBy("chosen by") {
        Gezin = "gezin",
        Samen = "samen",
    }
}

crate::stored_enum! {
    /// Who took a step of a hulpvraag.
    pub enum Actor("hulpvraag actor") {
        Medewerker = "medewerker",
        Gezin = "gezin",
        Aanbieder = "aanbieder",
    }
}

impl Actor {
    pub fn label(self) -> &'static str {
        match self {
            Actor::Medewerker => "Toegangsmedewerker",
            Actor::Gezin => "Gezin",
            Actor::Aanbieder => "Aanbieder",
        }
    }
}

crate::stored_enum! {
    /// A step in the history of a hulpvraag.
    pub enum EventKind("hulpvraag event") {
        Geopend = "geopend",
        LinkGemaakt = "link_gemaakt",
        LinkGemaild = "link_gemaild",
        Toegevoegd = "toegevoegd",
        Verwijderd = "verwijderd",
        Gekozen = "gekozen",
        HulpGevraagd = "hulp_gevraagd",
        Geaccepteerd = "geaccepteerd",
        Afgewezen = "afgewezen",
        Gestart = "gestart",
        Afgesloten = "afgesloten",
        Aangepast = "aangepast",
        Ingetrokken = "ingetrokken",
        DoelenVastgelegd = "doelen_vastgelegd",
        DoelenWeggehaald = "doelen_weggehaald",
        DoelenBevestigd = "doelen_bevestigd",
        GarantieAangeboden = "garantie_aangeboden",
        GarantieHeropend = "garantie_heropend",
        GarantieAfgezien = "garantie_afgezien",
        WijzigingVoorgesteld = "wijziging_voorgesteld",
        WijzigingIngetrokken = "wijziging_ingetrokken",
        WijzigingBevestigd = "wijziging_bevestigd",
    }
}

crate::stored_enum! {
    /// The 12-month guarantee at intake: offered, then taken up or waived with a reason.
    pub enum Guarantee("guarantee") {
        Aangeboden = "aangeboden",
        Heropend = "heropend",
        Afgezien = "afgezien",
    }
}

impl EventKind {
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Geopend => "Hulpvraag gemaakt",
            EventKind::LinkGemaakt => "Link voor het gezin gemaakt",
            EventKind::LinkGemaild => "Link naar het gezin gemaild",
            EventKind::Toegevoegd => "Aanbieder toegevoegd aan de lijst",
            EventKind::Verwijderd => "Aanbieder van de lijst gehaald",
            EventKind::Gekozen => "Aanbieder gekozen",
            EventKind::HulpGevraagd => "Gezin vraagt om hulp bij kiezen",
            EventKind::Geaccepteerd => "Aanbieder accepteert",
            EventKind::Afgewezen => "Aanbieder wijst af",
            EventKind::Gestart => "Hulp gestart",
            EventKind::Afgesloten => "Hulp afgesloten",
            EventKind::Aangepast => "Hulpvraag aangepast",
            EventKind::Ingetrokken => "Hulpvraag ingetrokken",
            EventKind::DoelenVastgelegd => "Doelen vastgelegd",
            EventKind::DoelenWeggehaald => "Doelen weggehaald",
            EventKind::DoelenBevestigd => "Doelen bevestigd door de aanbieder",
            EventKind::GarantieAangeboden => "12-maandengarantie aangeboden",
            EventKind::GarantieHeropend => "Eerder traject weer opgepakt onder de garantie",
            EventKind::GarantieAfgezien => "Afgezien van de garantie",
            EventKind::WijzigingVoorgesteld => "Wijziging van profiel of intensiteit vastgelegd",
            EventKind::WijzigingIngetrokken => "Wijziging van profiel of intensiteit ingetrokken",
            EventKind::WijzigingBevestigd => {
                "Wijziging van profiel of intensiteit bevestigd door de aanbieder"
            }
        }
    }
}

/// Why a trajectory ended: the CBS codes 1–5 of the beleidsinformatie jeugd, in plain words.
pub const END_REASONS: [(i32, &str); 5] = [
    (1, "Volgens plan"),
    (2, "Eerder gestopt, in overleg"),
    (3, "Eerder gestopt door het gezin of de jongere"),
    (4, "Eerder gestopt door de aanbieder"),
    (
        5,
        "Eerder gestopt door omstandigheden (bijvoorbeeld verhuizing)",
    ),
];

/// The endings iJw messages know beside the CBS codes (stored as 6-10): they count as ended,
/// not in uitval or terugval. `outcomes::ijw::JZ588` says which JZ588 code becomes which.
pub const IJW_END_REASONS: [(i32, &str); 5] = [
    (6, "Overleden"),
    (7, "Gestopt door de gemeente of na een wijzigingsverzoek"),
    (8, "Overgestapt naar een andere aanbieder"),
    (
        9,
        "Naar hulp buiten de jeugdhulp (Wmo, Wlz of zorgverzekering)",
    ),
    (10, "Tijdelijk gestopt; de hulp gaat later verder"),
];
