use maud::{Markup, html};
use serde::Deserialize;

use super::password::MIN_LENGTH;
use crate::web::components::{Field, error_summary, notice as notice_box};
use crate::web::csrf::CsrfToken;
use crate::web::layout::{Account, Crumb, Page};
use crate::web::{FieldError, SiteInfo};

#[derive(Deserialize, Default)]
pub struct LoginForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub wachtwoord: String,
    #[serde(default)]
    pub terug: String,
}

/// The ways in the login page offers besides the password.
#[derive(Debug, Clone, Copy, Default)]
pub struct Ways {
    pub organisation: bool,
    pub eherkenning: bool,
    pub password_for_staff: bool,
}

pub fn login(
    site: &SiteInfo,
    csrf: &CsrfToken,
    form: &LoginForm,
    errors: &[FieldError],
    notice: Option<&str>,
    ways: Ways,
) -> Markup {
    Page { title: "Inloggen", site, crumbs: vec![Crumb::here("Inloggen")], section: None, account: None }.render(html! {
        div.narrow {
            h1 { "Inloggen" }
            (notice_box(notice))
            (error_summary(errors))
            p { "Voor aanbieders, toegangsmedewerkers, contractmanagers en beheerders. Ouders en jongeren hebben geen account nodig." }
            @if ways.organisation {
                (way_in(csrf, &form.terug, ["Werkt u bij een gemeente of regio?", "Log in met het account dat u van uw werkgever heeft.", "/inloggen/organisatie", "Inloggen met uw organisatieaccount"]))
            }
            @if ways.eherkenning {
                (way_in(csrf, &form.terug, ["Werkt u bij een aanbieder?", "Log in met eHerkenning van uw organisatie.", "/inloggen/eherkenning", "Inloggen met eHerkenning"]))
            }
            @if ways.organisation || ways.eherkenning {
                h2 { "Inloggen met e-mailadres en wachtwoord" }
                @if !ways.password_for_staff {
                    p { "Alleen voor aanbieders. Medewerkers van gemeenten en regio's loggen in met hun organisatieaccount." }
                }
            }
            form method="post" action="/inloggen" novalidate {
                (csrf.field())
                input type="hidden" name="terug" value=(form.terug);
                (Field::text("email", "E-mailadres", &form.email).kind("email").autocomplete("username").render(errors))
                (Field::text("wachtwoord", "Wachtwoord", "").kind("password").autocomplete("current-password").render(errors))
                button type="submit" { "Inloggen" }
            }
            p { a href="/wachtwoord-vergeten" { "Wachtwoord vergeten?" } }
            p { "Nieuwe aanbieder? " a href="/registreren" { "Meld uw organisatie aan" } "." }
        }
    })
}

/// A way in through a provider: who it is for, and a button that starts it.
fn way_in(csrf: &CsrfToken, terug: &str, [heading, text, action, button]: [&str; 4]) -> Markup {
    html! {
        h2 { (heading) }
        p { (text) }
        form method="post" action=(action) {
            (csrf.field())
            input type="hidden" name="terug" value=(terug);
            button type="submit" { (button) }
        }
    }
}

pub fn verify(site: &SiteInfo, csrf: &CsrfToken, token: &str, valid: bool) -> Markup {
    Page { title: "E-mailadres bevestigen", site, crumbs: vec![Crumb::here("E-mailadres bevestigen")], section: None, account: None }.render(html! {
        div.narrow {
            h1 { "E-mailadres bevestigen" }
            @if valid {
                p { "Klik op de knop om uw e-mailadres te bevestigen." }
                form method="post" action={ "/bevestigen/" (token) } {
                    (csrf.field())
                    button type="submit" { "Bevestig mijn e-mailadres" }
                }
            } @else {
                p.lead { "Deze link is al gebruikt of verlopen." }
                p { "Is uw e-mailadres al bevestigd? Dan kunt u " a href="/inloggen" { "inloggen" } ". Zo niet: log in, dan sturen wij u een nieuwe link." }
            }
        }
    })
}

pub fn forgot(
    site: &SiteInfo,
    csrf: &CsrfToken,
    email: &str,
    errors: &[FieldError],
    sent: bool,
) -> Markup {
    Page { title: "Wachtwoord vergeten", site, crumbs: vec![Crumb::link("Inloggen", "/inloggen"), Crumb::here("Wachtwoord vergeten")], section: None, account: None }.render(html! {
        div.narrow {
            h1 { "Wachtwoord vergeten" }
            @if sent {
                (notice_box(Some("Als dit e-mailadres bij ons bekend is, krijgt u binnen een paar minuten een e-mail met een link. De link werkt 1 uur.")))
                p { "Geen e-mail gekregen? Kijk ook in uw map met ongewenste e-mail." }
            } @else {
                (error_summary(errors))
                p { "Vul uw e-mailadres in. U krijgt dan een e-mail met een link om een nieuw wachtwoord te kiezen." }
                form method="post" action="/wachtwoord-vergeten" novalidate {
                    (csrf.field())
                    (Field::text("email", "E-mailadres", email).kind("email").autocomplete("username").render(errors))
                    button type="submit" { "Stuur mij een link" }
                }
            }
        }
    })
}

fn new_password_fields(errors: &[FieldError]) -> Markup {
    let hint = format!("Minstens {MIN_LENGTH} tekens. Tip: gebruik een zin van een paar woorden.");
    html! {
        (Field::text("wachtwoord", "Nieuw wachtwoord", "").kind("password").autocomplete("new-password").hint(&hint).render(errors))
        (Field::text("herhaling", "Nieuw wachtwoord nog een keer", "").kind("password").autocomplete("new-password").render(errors))
    }
}

pub fn reset(
    site: &SiteInfo,
    csrf: &CsrfToken,
    token: &str,
    valid: bool,
    errors: &[FieldError],
) -> Markup {
    Page {
        title: "Nieuw wachtwoord kiezen",
        site,
        crumbs: vec![Crumb::here("Nieuw wachtwoord")],
        section: None,
        account: None,
    }
    .render(html! {
        div.narrow {
            h1 { "Nieuw wachtwoord kiezen" }
            @if valid {
                (error_summary(errors))
                form method="post" action={ "/wachtwoord-herstellen/" (token) } novalidate {
                    (csrf.field())
                    (new_password_fields(errors))
                    button type="submit" { "Wachtwoord opslaan" }
                }
            } @else {
                p.lead { "Deze link is al gebruikt of verlopen." }
                p { a href="/wachtwoord-vergeten" { "Vraag een nieuwe link aan" } "." }
            }
        }
    })
}

pub fn account(
    site: &SiteInfo,
    account: Account<'_>,
    notice: Option<&str>,
    errors: &[FieldError],
) -> Markup {
    let user = account.user;
    Page { title: "Uw account", site, crumbs: vec![Crumb::here("Account")], section: None, account: Some(account) }.render(html! {
        div.narrow {
            h1 { "Uw account" }
            (notice_box(notice))
            (error_summary(errors))
            dl {
                dt { "Naam" } dd { (user.name) }
                dt { "E-mailadres" } dd { (user.email) }
                dt { "Rol" } dd { (user.role().label()) }
            }
            h2 { "Wachtwoord wijzigen" }
            form method="post" action="/account/wachtwoord" novalidate {
                (account.csrf.field())
                (Field::text("huidig", "Huidig wachtwoord", "").kind("password").autocomplete("current-password").render(errors))
                (new_password_fields(errors))
                button type="submit" { "Wachtwoord wijzigen" }
            }
            h2 { "Overal uitloggen" }
            p { "Bent u ergens ingelogd gebleven, bijvoorbeeld op een computer van een ander? Log dan overal uit." }
            form method="post" action="/account/overal-uitloggen" {
                (account.csrf.field())
                button.button--secondary type="submit" { "Overal uitloggen" }
            }
        }
    })
}

/// `/inloggen` for someone who is signed in already: no second login form.
pub fn already_signed_in(site: &SiteInfo, user: &crate::web::auth::SessionUser) -> Markup {
    Page { title: "U bent ingelogd", site, crumbs: vec![Crumb::here("Inloggen")], section: None, account: None }.render(html! {
        div.narrow {
            h1 { "U bent al ingelogd" }
            p.lead { "U bent ingelogd als " strong { (user.name) } " (" (user.email) ")." }
            p { a.button href=(user.role().home()) { "Naar mijn werk" } }
            p { "Wilt u met een ander account inloggen? Log dan eerst uit met de knop bovenaan de pagina." }
        }
    })
}

/// What an invitation link found: a form, or why it no longer works and who to ask.
pub enum InvitationView<'a> {
    Valid {
        name: &'a str,
        email: &'a str,
    },
    /// Expired: the person who sent it (name, e-mail), if still here.
    Expired(Option<(&'a str, &'a str)>),
    Unknown,
}

pub fn invitation(
    site: &SiteInfo,
    csrf: &CsrfToken,
    token: &str,
    view: &InvitationView<'_>,
    errors: &[FieldError],
) -> Markup {
    Page {
        title: "Uitnodiging",
        site,
        crumbs: vec![Crumb::here("Uitnodiging")],
        section: None,
        account: None,
    }
    .render(html! {
        div.narrow {
            h1 { "Welkom bij de jeugdhulpcatalogus" }
            @match view {
                InvitationView::Valid { name, email } => {
                    p.lead { "Welkom, " (name) ". Kies een wachtwoord. Daarna logt u in met " strong { (email) } "." }
                    (error_summary(errors))
                    form method="post" action={ "/uitnodiging/" (token) } novalidate {
                        (csrf.field())
                        (new_password_fields(errors))
                        button type="submit" { "Wachtwoord opslaan" }
                    }
                }
                InvitationView::Expired(by) => {
                    p.lead { "Deze uitnodiging is verlopen. Een uitnodiging werkt 7 dagen." }
                    @if let Some((name, email)) = by {
                        p { "Vraag " (name) " (" a href={ "mailto:" (email) } { (email) } ") om een nieuwe uitnodiging." }
                    } @else {
                        p { "Vraag de beheerder van uw organisatie om een nieuwe uitnodiging." }
                    }
                }
                InvitationView::Unknown => {
                    p.lead { "Deze link werkt niet meer. De uitnodiging is al gebruikt, ingetrokken of opnieuw verstuurd." }
                    p { "Heeft u al een wachtwoord gekozen? " a href="/inloggen" { "Log dan in" } ". Anders: vraag de beheerder van uw organisatie om een nieuwe uitnodiging." }
                }
            }
        }
    })
}
