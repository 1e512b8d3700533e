//! The accessibility statement every Dutch government site publishes (Besluit digitale
//! toegankelijkheid overheid), in the form of the register at toegankelijkheidsverklaring.nl:
//! status, scope, how it was checked, known shortcomings with their plan, contact and date.
//! The facts are kept here, in one place; a new review changes [`STATEMENT`].

use chrono::NaiveDate;
use maud::{Markup, html};

use crate::web::SiteInfo;
use crate::web::layout::{Crumb, Page};
use crate::web::text::date_nl;

/// The register's compliance statuses (nalevingsstatussen); one is in force.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    A,
    B,
    C,
    D,
    E,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::A => "A - voldoet volledig",
            Status::B => "B - voldoet gedeeltelijk",
            Status::C => "C - eerste maatregelen genomen",
            Status::D => "D - eisen nog niet nageleefd",
            Status::E => "E - voldoet niet",
        }
    }
}

/// One known shortcoming: which success criterion, what goes wrong for whom, why, and what
/// we do about it by when.
pub struct Shortcoming {
    pub criterion: &'static str,
    pub what: &'static str,
    pub cause: &'static str,
    pub plan: &'static str,
    pub by: &'static str,
}

pub struct Statement {
    pub status: Status,
    /// The day the statement was last revised.
    pub revised: NaiveDate,
    /// The day of the last manual review (WCAG-EM).
    pub reviewed: NaiveDate,
    pub shortcomings: &'static [Shortcoming],
}

pub const STATEMENT: Statement = Statement {
    status: Status::B,
    revised: match NaiveDate::from_ymd_opt(2026, 12, 7) {
        Some(d) => d,
        None => panic!("a valid date"),
    },
    reviewed: match NaiveDate::from_ymd_opt(2026, 12, 7) {
        Some(d) => d,
        None => panic!("a valid date"),
    },
    shortcomings: SHORTCOMINGS,
};

const SHORTCOMINGS: &[Shortcoming] = &[
    Shortcoming {
        criterion: "2.2.1 Timing aanpasbaar",
        what: "Na 10 uur ingelogd zijn wordt u uitgelogd, zonder waarschuwing vooraf. Verstuurt u daarna een formulier, dan gaat wat u invulde verloren en komt u niet terug op de pagina waar u was.",
        cause: "De sessie heeft een vaste duur en wordt niet verlengd als u actief bent.",
        plan: "De sessie verlengen zolang u actief bent, vooraf waarschuwen, en na opnieuw inloggen terugkeren naar het formulier met wat u invulde.",
        by: "1 april 2027",
    },
    Shortcoming {
        criterion: "3.3.1 Foutidentificatie",
        what: "Bij het aanmelden als aanbieder (/registreren) brengt een link in de foutmelding u naar de groep van keuzes, niet naar het eerste vakje. Bij de verklaring krijgt het vakje geen markering als ongeldig voor een schermlezer.",
        cause: "De foutmelding verwijst naar de hele groep.",
        plan: "De link gaat naar het eerste vakje van de groep en het vakje krijgt de markering ongeldig.",
        by: "1 april 2027",
    },
    Shortcoming {
        criterion: "1.3.1 Info en relaties",
        what: "Op de pagina van een hulpvraag staat in de smalle weergave soms een lege kop 'Kiezen'. De aanwijzing 'Schrijf geen namen, geboortedata of burgerservicenummers' is bij de doelen niet gekoppeld aan de velden. In de lijst van scores voor contractmanagers zijn de namen van aanbieders geen rijkoppen.",
        cause: "Deze onderdelen zijn gemaakt voordat de controle hierop bestond.",
        plan: "De lege kop weghalen, de aanwijzing koppelen aan elk doelveld en de namen als rijkop opnemen.",
        by: "1 april 2027",
    },
    Shortcoming {
        criterion: "3.1.2 Taal van onderdelen",
        what: "Teksten die aanbieders en de regio zelf schrijven (zoals de beschrijving van een aanbieder of een profiel) zijn in het Nederlands, ook als u de site in een andere taal leest. Ze zijn wel als Nederlands gemarkeerd. De vertalingen zijn nog niet nagekeken door moedertaalsprekers.",
        cause: "De portal vertaalt niet wat anderen schrijven. De vertalingen zijn gemaakt door het ontwikkelteam.",
        plan: "Moedertaalsprekers kijken elke vertaling na voordat de site live gaat (zie README).",
        by: "1 april 2027",
    },
    Shortcoming {
        criterion: "Alle criteria (onafhankelijk onderzoek)",
        what: "De handmatige beoordeling is gedaan door het eigen ontwikkelteam, niet door een onafhankelijke deskundige. Er is niet getest met een schermlezer.",
        cause: "Het onafhankelijke onderzoek is nog niet uitgevoerd.",
        plan: "Een onafhankelijke deskundige onderzoekt de site volgens WCAG-EM, ook met schermlezers. De uitkomst komt op deze pagina.",
        by: "1 juli 2027",
    },
];

pub fn page(site: &SiteInfo) -> Markup {
    let s = &STATEMENT;
    Page {
        title: "Toegankelijkheid",
        site,
        crumbs: vec![Crumb::here("Toegankelijkheid")],
        section: None,
        account: None,
    }
    .render(html! {
        h1 { "Toegankelijkheid" }
        p.lead {
            "Iedereen moet deze site kunnen gebruiken. Ook als u slecht ziet, niet kunt horen, geen muis gebruikt of moeite hebt met lezen. "
            "Op deze pagina leest u hoe goed dat lukt en wat wij nog verbeteren."
        }
        h2 { "Status" }
        p {
            "De jeugdhulpcatalogus moet voldoen aan het Besluit digitale toegankelijkheid overheid. Dat betekent: voldoen aan de eisen van WCAG 2.1 op niveau A en AA. "
            "De status van deze site is: " strong data-status=(format!("{:?}", s.status)) { (s.status.label()) } "."
        }
        p { "Dit is een eigen verklaring. De uitleg over de statussen staat op " a href="https://www.toegankelijkheidsverklaring.nl" { "toegankelijkheidsverklaring.nl" } "." }
        h2 { "Voor welke pagina's geldt dit?" }
        p {
            "Voor alle pagina's van deze site: de pagina's voor ouders en jongeren, de pagina's van aanbieders en de pagina's voor medewerkers van gemeenten en de regio. "
            "Dus ook de pagina's waarvoor u moet inloggen. En ook de pagina's in andere talen."
        }
        p {
            "Niet op deze site, en daarom niet in deze verklaring: de inlogpagina's van uw gemeente en van eHerkenning. "
            "Daarvoor is de organisatie zelf verantwoordelijk die de inlogpagina maakt."
        }
        h2 { "Hoe hebben wij dit gecontroleerd?" }
        ul {
            li {
                strong { "Automatisch, bij elke wijziging. " }
                "Een browser doorloopt de belangrijkste routes van ouders, aanbieders en medewerkers. Op elke pagina controleert axe-core de regels van WCAG 2.1 A en AA. "
                "Elke pagina wordt ook getoond op een scherm van 320 pixels breed: niets mag dan naar opzij scrollen. "
                "Een wijziging met een fout komt niet op de site."
            }
            li {
                strong { "Met de hand, volgens WCAG-EM. " }
                "Het ontwikkelteam heeft een steekproef van 24 pagina's beoordeeld, in het Nederlands, Engels en Arabisch, als bezoeker, toegangsmedewerker en contractmanager: bedienen met alleen het toetsenbord, de volgorde van de focus, koppen en oriëntatiepunten, formulieren met fouten, contrast, extra tekstafstand, en een scherm van 320 pixels breed. "
                "Datum van deze beoordeling: " (date_nl(s.reviewed)) "."
            }
        }
        h2 { "Wat werkt nog niet goed?" }
        @if s.shortcomings.is_empty() {
            p { "Wij kennen op dit moment geen onderdelen die niet voldoen." }
        } @else {
            p { "Deze onderdelen voldoen nog niet. Bij elk onderdeel staat wat wij doen en wanneer." }
            @for item in s.shortcomings {
                section.shortcoming aria-label=(item.criterion) {
                    h3 { (item.criterion) }
                    dl {
                        dt { "Wat gaat er mis?" } dd { (item.what) }
                        dt { "Waarom?" } dd { (item.cause) }
                        dt { "Wat doen wij eraan?" } dd { (item.plan) }
                        dt { "Klaar op" } dd { (item.by) }
                    }
                }
            }
        }
        h2 { "Loopt u tegen een probleem aan?" }
        p {
            "Kunt u iets op deze site niet lezen of niet gebruiken? Of wilt u informatie op een andere manier krijgen? Mail ons: "
            a href=(format!("mailto:{}", site.contact_email)) { (site.contact_email) } ". "
            "Schrijf op welke pagina het was en wat er misging. Binnen 5 werkdagen hoort u van ons wat wij gaan doen. Binnen 3 weken krijgt u een inhoudelijk antwoord."
        }
        p {
            "Bent u niet tevreden over hoe wij uw melding behandelen? Dan kunt u een klacht indienen bij de Nationale ombudsman: "
            a href="https://www.nationaleombudsman.nl" { "nationaleombudsman.nl" } "."
        }
        h2 { "Datum" }
        p { "Deze verklaring is voor het laatst bijgewerkt op " (date_nl(s.revised)) "." }
    })
}
