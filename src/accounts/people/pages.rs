//! The pages of `/beheer/gebruikers`: the list, the invitation form and one account.

use maud::{Markup, html};

use super::queries::{Event, Row, Standing};
use crate::accounts::model::{Affiliation, Role, User};
use crate::accounts::oidc::identities::AccessRequest;
use crate::reference::model::ReferenceData;
use crate::web::components::{
    Field, error_summary, filter_select, notice, pagination, scroll_region, select,
};
use crate::web::layout::{Account, Crumb, Page};
use crate::web::{FieldError, SiteInfo};

/// The values of the filter form as typed, for the form and the page links.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ListQuery {
    pub zoek: String,
    pub rol: String,
    pub regio: String,
    pub gemeente: String,
    pub stand: String,
    pub pagina: Option<u32>,
    pub gedaan: String,
}

impl ListQuery {
    fn href(&self, page: u32) -> String {
        let page = page.to_string();
        let pairs: Vec<(&str, &str)> = [
            ("zoek", self.zoek.as_str()),
            ("rol", &self.rol),
            ("regio", &self.regio),
            ("gemeente", &self.gemeente),
            ("stand", &self.stand),
            ("pagina", &page),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .collect();
        format!(
            "/beheer/gebruikers?{}",
            serde_urlencoded::to_string(pairs).unwrap_or_default()
        )
    }
}

/// The value of the region field that means every region.
pub const ALL_REGIONS: &str = "alle";

/// The staff roles a beheerder gives; provider accounts come from the provider.
pub const STAFF_ROLES: [Role; 4] = [
    Role::Toegangsmedewerker,
    Role::Beleidsmedewerker,
    Role::Contractmanager,
    Role::Beheerder,
];

/// The regions and municipalities this beheerder may choose from.
pub struct Choices<'a> {
    pub reference: &'a ReferenceData,
    /// `None`: every region (the installation's beheerder).
    pub own_region: Option<i64>,
}

impl Choices<'_> {
    fn regions(&self) -> Vec<(String, String)> {
        self.reference
            .regions
            .iter()
            .filter(|r| self.own_region.is_none_or(|own| own == r.id))
            .map(|r| (r.id.to_string(), r.name.clone()))
            .collect()
    }

    /// For a role: the regions, and for the installation's beheerder "all regions" as a
    /// choice of its own (an empty choice is never "all").
    fn regions_for_a_role(&self) -> Vec<(String, String)> {
        let mut list = self.regions();
        if self.own_region.is_none() {
            list.push((
                ALL_REGIONS.into(),
                "Alle regio's (alleen voor een beheerder)".into(),
            ));
        }
        list
    }

    /// The municipalities that exist today (merged ones left out).
    fn municipalities(&self) -> Vec<(String, String)> {
        self.reference
            .regions
            .iter()
            .filter(|r| self.own_region.is_none_or(|own| own == r.id))
            .flat_map(|r| self.reference.municipalities_of(r.id))
            .map(|m| (m.id.to_string(), m.name.clone()))
            .collect()
    }
}

/// Where the account works: its municipality, region or provider, in words.
pub fn works_for(user: &User, provider: Option<&str>, reference: &ReferenceData) -> String {
    match user.affiliation() {
        Affiliation::Municipality(id) => reference
            .municipality(id)
            .map_or_else(String::new, |m| format!("Gemeente {}", m.name)),
        Affiliation::Region(id) => reference
            .region(id)
            .map_or_else(String::new, |r| format!("Regio {}", r.name)),
        Affiliation::Provider(_) => provider.unwrap_or("").to_owned(),
        Affiliation::None => "Alle regio's".into(),
    }
}

/// A stored (UTC) moment as Dutch local time.
fn moment(at: Option<chrono::NaiveDateTime>) -> String {
    at.map(crate::clock::local).map_or_else(
        || "Nog nooit".into(),
        |t| {
            format!(
                "{} {}",
                crate::web::text::date_nl(t.date()),
                t.format("%H:%M")
            )
        },
    )
}

const DONE: [(&str, &str); 9] = [
    (
        "gekoppeld",
        "De aanvraag is gekoppeld aan dit bestaande account. De persoon logt voortaan in met het organisatieaccount.",
    ),
    (
        "toegang",
        "De persoon heeft toegang. Bij de volgende keer inloggen met het organisatieaccount komt hij of zij binnen.",
    ),
    (
        "afgewezen",
        "De aanvraag is afgewezen. De persoon krijgt geen toegang.",
    ),
    ("uitgenodigd", "De uitnodiging is verstuurd."),
    (
        "opnieuw",
        "De uitnodiging is opnieuw verstuurd. De vorige link werkt niet meer.",
    ),
    (
        "ingetrokken",
        "De uitnodiging is ingetrokken. De link werkt niet meer.",
    ),
    (
        "gewijzigd",
        "De wijziging is opgeslagen. De persoon logt opnieuw in met de nieuwe rechten.",
    ),
    (
        "gedeactiveerd",
        "Het account is gedeactiveerd. De persoon is overal uitgelogd.",
    ),
    (
        "geactiveerd",
        "Het account is weer actief. De persoon kan weer inloggen.",
    ),
];

fn done_message(code: &str) -> Option<&'static str> {
    DONE.iter().find(|(c, _)| *c == code).map(|(_, m)| *m)
}

pub fn list(
    site: &SiteInfo,
    account: Account<'_>,
    choices: &Choices<'_>,
    query: &ListQuery,
    (rows, total): (&[Row], i64),
    requests: &[AccessRequest],
) -> Markup {
    let errors: &[FieldError] = &[];
    let page = query.pagina.unwrap_or(1).max(1);
    let pages = crate::web::components::page_count(total, super::queries::PAGE_SIZE);
    let roles: Vec<(String, String)> = Role::ALL
        .iter()
        .filter(|r| choices.own_region.is_none() || **r != Role::Aanbieder)
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect();
    let standings: Vec<(String, String)> =
        [Standing::Active, Standing::Invited, Standing::Inactive]
            .iter()
            .map(|s| (s.code().to_owned(), s.label().to_owned()))
            .collect();
    Page { title: "Gebruikers", site, crumbs: vec![Crumb::here("Gebruikers")], section: None, account: Some(account) }.render(html! {
        h1 { "Gebruikers" }
        (notice(done_message(&query.gedaan)))
        p { a.button href="/beheer/gebruikers/uitnodigen" { "Iemand uitnodigen" } }
        (super::requests::list(requests))
        (error_summary(errors))
        form.filters method="get" action="/beheer/gebruikers" role="search" aria-label="Gebruikers zoeken" {
            (Field::text("zoek", "Zoek op naam of e-mailadres", &query.zoek).optional().render(errors))
            (filter_select("rol", "Rol", &roles, &query.rol))
            @if choices.own_region.is_none() {
                (filter_select("regio", "Regio", &choices.regions(), &query.regio))
            }
            (filter_select("gemeente", "Gemeente", &choices.municipalities(), &query.gemeente))
            (filter_select("stand", "Status", &standings, &query.stand))
            button type="submit" { "Zoeken" }
        }
        p role="status" { (total) @if total == 1 { " gebruiker" } @else { " gebruikers" } }
        @if rows.is_empty() {
            p { "Geen gebruikers gevonden. Probeer minder filters of een ander zoekwoord." }
        } @else {
            (scroll_region("Gebruikers", html! {
                table.data-table {
                    caption.visually-hidden { "Gebruikers" }
                    thead { tr {
                        th scope="col" { "Naam" } th scope="col" { "E-mailadres" } th scope="col" { "Rol" }
                        th scope="col" { "Werkt voor" } th scope="col" { "Status" } th scope="col" { "Laatst ingelogd" }
                    } }
                    tbody {
                        @for row in rows {
                            tr {
                                td { a href={ "/beheer/gebruikers/" (row.user.id) } { (row.user.name) } }
                                td { (row.user.email) }
                                td { (row.user.role.label()) }
                                td { (works_for(&row.user, row.provider.as_deref(), choices.reference)) }
                                td { (Standing::of(&row.user).label()) }
                                td { (moment(row.user.last_sign_in_at)) }
                            }
                        }
                    }
                }
            }))
        }
        (pagination(page, pages, |n| query.href(n)))
    })
}

/// The invitation form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub naam: String,
    pub email: String,
    pub rol: String,
    pub gemeente: String,
    pub regio: String,
}

/// Role, municipality and region: the part the invitation and the change share.
pub(super) fn role_fields(
    choices: &Choices<'_>,
    rol: &str,
    gemeente: &str,
    regio: &str,
    errors: &[FieldError],
) -> Markup {
    let roles: Vec<(String, String)> = STAFF_ROLES
        .iter()
        .map(|r| (r.as_str().to_owned(), r.label().to_owned()))
        .collect();
    html! {
        (select("rol", "Rol", &roles, rol, None, errors))
        (select("gemeente", "Gemeente", &choices.municipalities(), gemeente,
            Some("Alleen voor een toegangsmedewerker of beleidsmedewerker: de gemeente waar deze persoon werkt."), errors))
        (select("regio", "Regio", &choices.regions_for_a_role(), regio,
            Some(if choices.own_region.is_none() {
                "Voor een contractmanager: de regio. Voor een beheerder: de regio die deze persoon beheert, of alle regio's."
            } else {
                "Voor een contractmanager of beheerder: uw regio."
            }), errors))
    }
}

pub fn invite(
    site: &SiteInfo,
    account: Account<'_>,
    choices: &Choices<'_>,
    form: &InviteForm,
    errors: &[FieldError],
) -> Markup {
    let crumbs = vec![
        Crumb::link("Gebruikers", "/beheer/gebruikers"),
        Crumb::here("Uitnodigen"),
    ];
    Page { title: "Iemand uitnodigen", site, crumbs, section: None, account: Some(account) }.render(html! {
        div.narrow {
            h1 { "Iemand uitnodigen" }
            p { "De persoon krijgt een e-mail met een link om een wachtwoord te kiezen. De link werkt 7 dagen." }
            (error_summary(errors))
            form method="post" action="/beheer/gebruikers/uitnodigen" novalidate {
                (account.csrf.field())
                (Field::text("naam", "Naam", &form.naam).autocomplete("off").render(errors))
                (Field::text("email", "E-mailadres", &form.email).kind("email").autocomplete("off").render(errors))
                (role_fields(choices, &form.rol, &form.gemeente, &form.regio, errors))
                button type="submit" { "Uitnodiging versturen" }
            }
        }
    })
}

/// One account: what it is, what can be done, and its history.
pub struct Detail<'a> {
    pub user: &'a User,
    pub provider: Option<&'a str>,
    /// When the open invitation link expires, if there is one.
    pub invitation_expires: Option<chrono::NaiveDateTime>,
    pub history: &'a [Event],
    pub is_self: bool,
}

pub fn detail(
    site: &SiteInfo,
    account: Account<'_>,
    choices: &Choices<'_>,
    detail: &Detail<'_>,
    form: &InviteForm,
    errors: &[FieldError],
    done: Option<&str>,
) -> Markup {
    let user = detail.user;
    let base = format!("/beheer/gebruikers/{}", user.id);
    let standing = Standing::of(user);
    let crumbs = vec![
        Crumb::link("Gebruikers", "/beheer/gebruikers"),
        Crumb::here(user.name.clone()),
    ];
    let button = |path: &str, label: &str, secondary: bool| {
        html! {
            form.inline-form method="post" action={ (base) "/" (path) } {
                (account.csrf.field())
                button.button--secondary[secondary] type="submit" { (label) }
            }
        }
    };
    Page { title: &user.name, site, crumbs, section: None, account: Some(account) }.render(html! {
        h1 { (user.name) }
        (notice(done.and_then(done_message)))
        (error_summary(errors))
        dl {
            dt { "E-mailadres" } dd { (user.email) }
            dt { "Rol" } dd { (user.role.label()) }
            dt { "Werkt voor" } dd { (works_for(user, detail.provider, choices.reference)) }
            dt { "Status" } dd { (standing.label())
                @if let Some(expires) = detail.invitation_expires {
                    @if expires > crate::clock::now() {
                        " (de link werkt tot " (moment(Some(expires))) ")"
                    } @else {
                        " (de link is verlopen)"
                    }
                }
            }
            dt { "Laatst ingelogd" } dd { (moment(user.last_sign_in_at)) }
        }
        @if standing == Standing::Invited {
            h2 { "Uitnodiging" }
            div.button-row {
                (button("opnieuw-uitnodigen", "Uitnodiging opnieuw versturen", false))
                (button("intrekken", "Uitnodiging intrekken", true))
            }
        }
        @if user.role != Role::Aanbieder && !detail.is_self {
            h2 { "Rol wijzigen" }
            form method="post" action=(base) novalidate {
                (account.csrf.field())
                (role_fields(choices, &form.rol, &form.gemeente, &form.regio, errors))
                button type="submit" { "Wijziging opslaan" }
            }
        }
        @if !detail.is_self {
            h2 { "Toegang" }
            @if user.active {
                p { "Deactiveren logt de persoon overal uit en stopt de API-sleutels. Wat de persoon deed, blijft bewaard." }
                (button("deactiveren", "Account deactiveren", true))
            } @else {
                p { "Dit account is gedeactiveerd. Na activeren kan de persoon weer inloggen." }
                (button("activeren", "Account weer activeren", false))
            }
        }
        h2 { "Geschiedenis" }
        @if detail.history.is_empty() {
            p { "Nog niets vastgelegd." }
        } @else {
            (scroll_region("Geschiedenis", html! {
                table.data-table {
                    caption.visually-hidden { "Geschiedenis van dit account" }
                    thead { tr { th scope="col" { "Wanneer" } th scope="col" { "Door" } th scope="col" { "Wat" } } }
                    tbody {
                        @for e in detail.history {
                            tr {
                                td { (moment(Some(e.at))) }
                                td { (e.by.as_deref().unwrap_or("Systeem")) }
                                td {
                                    (e.action)
                                    @if !e.field.is_empty() {
                                        ": " (e.field)
                                        @if let Some(old) = &e.old_value { " was " (old) }
                                        @if let Some(new) = &e.new_value { ", nu " (new) }
                                    }
                                }
                            }
                        }
                    }
                }
            }))
        }
    })
}
