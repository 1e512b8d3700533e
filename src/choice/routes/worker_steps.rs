//! The steps a worker takes on a hulpvraag: the family link, the shortlist, choosing
//! together, the start, closing and the questionnaire. Each runs in one transaction.

use crate::i18n::{Lang, Texts};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::prelude::*;
use serde::Deserialize;

use crate::choice::commands::{self, ChosenBy, Closing};
use crate::db::DbConnection;
use crate::domain::indicator::{GoalMark, ProblemsSmaller, WithoutCare};
use crate::outcomes::indicators::GoalResult;
use crate::outcomes::records::parse_date;
use crate::startup::AppState;
use crate::web::auth::SessionUser;
use crate::web::csrf::{CheckedForm, CsrfToken};
use crate::web::layout::see_other;
use crate::web::{AppError, FieldError};

use super::worker::{Shown, or_show_errors, render_worker, worker_step};

#[derive(Deserialize)]
pub(super) struct Nothing {}

/// Makes a new family link (an earlier one stops working) and shows the page again: the
/// page shows the current link for as long as the family may use it, so a refresh makes no
/// new code.
pub(super) async fn family_link(
    state: web::Data<AppState>,
    user: SessionUser,
    id: web::Path<i64>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let key = state.link_key.clone();
    let replaced = worker_step(&state, &user, id, move |conn, h| {
        if !h.status().may_choose() {
            return Err(AppError::Conflict(
                "Er is al een aanbieder gekozen; een nieuwe link is niet nodig.".into(),
            ));
        }
        commands::new_family_code(conn, h, &key)?;
        Ok(h.family_code_nonce.is_some())
    })
    .await?;
    let said = if replaced { "link_nieuw" } else { "link" };
    Ok(see_other(&format!(
        "/toegang/hulpvragen/{id}?gelukt={said}#link"
    )))
}

#[derive(Deserialize)]
pub(super) struct LinkMailForm {
    #[serde(default)]
    pub(super) email: String,
    /// The family's language: of the mail and of the pages its link opens.
    #[serde(default)]
    pub(super) taal: String,
}

/// The texts of a mail to a family, in the language the worker chose (Dutch when none).
pub(super) fn family_texts(taal: &str) -> Texts {
    Texts(Lang::from_code(taal.trim()).unwrap_or_default())
}

/// Sends the current family link to the family once; the address is not kept.
pub(super) async fn mail_family_link(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<LinkMailForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let key = state.link_key.clone();
    let public_url = state.public_url.clone();
    let result = async {
        let Some(email) = check_email(&form.email)? else {
            return Err(AppError::InvalidInput(vec![FieldError::new(
                "email",
                "Vul het e-mailadres van het gezin in.",
            )]));
        };
        let worker = user.id;
        let worker_contact = (user.name.clone(), user.email.clone());
        let t = family_texts(&form.taal);
        worker_step(&state, &user, id, move |conn, h| {
            limit_family_mails(conn, worker, h.id)?;
            let Some(code) = commands::current_family_code(h, &key) else {
                return Err(AppError::Conflict(
                    "Er is geen geldige link voor het gezin. Maak eerst een nieuwe link.".into(),
                ));
            };
            let url = format!("{public_url}/keuze/{code}");
            crate::mail::queue_and_forget(
                conn,
                &crate::choice::mail::family_link(
                    t,
                    &email,
                    &url,
                    &code,
                    h.family_token_expires_at,
                    (&worker_contact.0, &worker_contact.1),
                ),
            )?;
            commands::record_link_mailed(conn, h)?;
            Ok(())
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=link_gemaild#link"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

/// Family-link mails per hulpvraag and per worker within the throttle's window (15 minutes):
/// enough to correct a typo, too few to mail arbitrary addresses in bulk.
pub const FAMILY_MAILS_PER_HULPVRAAG: i64 = 3;
pub const FAMILY_MAILS_PER_WORKER: i64 = 20;

/// Counts one family-link mail, or refuses it when a limit is reached.
pub(super) fn limit_family_mails(
    conn: &mut crate::db::DbConnection,
    worker: i64,
    hulpvraag: i64,
) -> Result<(), AppError> {
    use crate::accounts::throttle;
    let (for_hulpvraag, for_worker) = (
        format!("gezinslink:hulpvraag:{hulpvraag}"),
        format!("gezinslink:medewerker:{worker}"),
    );
    conn.serialise_on(&for_worker)?;
    if throttle::count(conn, &for_hulpvraag)? >= FAMILY_MAILS_PER_HULPVRAAG {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "email",
            format!(
                "De link van deze hulpvraag is het afgelopen kwartier al {FAMILY_MAILS_PER_HULPVRAAG} keer gemaild. Controleer het e-mailadres met het gezin en probeer het over een kwartier opnieuw, of laat de link zien."
            ),
        )]));
    }
    if throttle::count(conn, &for_worker)? >= FAMILY_MAILS_PER_WORKER {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "email",
            format!(
                "U heeft het afgelopen kwartier al {FAMILY_MAILS_PER_WORKER} links naar gezinnen gemaild. Probeer het over een kwartier opnieuw, of laat de link zien."
            ),
        )]));
    }
    throttle::note(conn, &for_hulpvraag, "")?;
    throttle::note(conn, &for_worker, "")?;
    Ok(())
}

#[derive(Deserialize)]
pub(super) struct ProviderForm {
    #[serde(default)]
    pub(super) aanbieder: String,
}

pub(super) fn provider_id(form: &ProviderForm) -> Result<i64, AppError> {
    form.aanbieder.trim().parse().map_err(|_| {
        AppError::InvalidInput(vec![FieldError::new("aanbieder", "Kies een aanbieder.")])
    })
}

pub(super) async fn add_provider(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ProviderForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let result = async {
        let provider = provider_id(&form)?;
        worker_step(&state, &user, id, move |conn, h| {
            commands::add_to_shortlist(conn, h, provider)
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=toegevoegd"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

pub(super) async fn remove_provider(
    state: web::Data<AppState>,
    user: SessionUser,
    path: web::Path<(i64, i64)>,
    CheckedForm(_): CheckedForm<Nothing>,
) -> Result<HttpResponse, AppError> {
    let (id, provider) = path.into_inner();
    worker_step(&state, &user, id, move |conn, h| {
        commands::remove_from_shortlist(conn, h, provider)
    })
    .await?;
    Ok(see_other(&format!(
        "/toegang/hulpvragen/{id}?gelukt=verwijderd"
    )))
}

pub(super) async fn choose_together(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<ProviderForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let result = async {
        let provider = provider_id(&form)?;
        worker_step(&state, &user, id, move |conn, h| {
            commands::choose(conn, h, provider, ChosenBy::Samen, &public_url)
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=gekozen"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

#[derive(Deserialize)]
pub(super) struct StartForm {
    #[serde(default)]
    pub(super) startdatum: String,
    #[serde(default)]
    pub(super) toewijzing: String,
}

pub(super) async fn record_start(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<StartForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let result = async {
        let on = parse_date(form.startdatum.trim()).ok_or_else(|| {
            AppError::InvalidInput(vec![FieldError::new(
                "startdatum",
                "Vul een geldige startdatum in, bijvoorbeeld 2026-03-01.",
            )])
        })?;
        let toewijzing = commands::toewijzing::parse(&form.toewijzing)?;
        worker_step(&state, &user, id, move |conn, h| {
            commands::start(conn, h, on, toewijzing.as_deref())
        })
        .await?;
        Ok(see_other(&format!(
            "/toegang/hulpvragen/{id}?gelukt=gestart"
        )))
    }
    .await;
    or_show_errors(&state, &user, &csrf, id, result).await
}

#[derive(Deserialize)]
pub(super) struct CloseForm {
    #[serde(default)]
    pub(super) einddatum: String,
    #[serde(default)]
    pub(super) reden: String,
    #[serde(default)]
    pub(super) doelen: String,
    /// The mark of each agreed goal.
    #[serde(default)]
    pub(super) doel_1: String,
    #[serde(default)]
    pub(super) doel_2: String,
    #[serde(default)]
    pub(super) doel_3: String,
    #[serde(default)]
    pub(super) doel_4: String,
    #[serde(default)]
    pub(super) doel_5: String,
    /// 3.1: ja, lichtere_hulp or nee.
    #[serde(default)]
    pub(super) zonder_hulp: String,
    /// 3.3: ja, deels or nee.
    #[serde(default)]
    pub(super) problemen_kleiner: String,
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) taal: String,
}

pub(super) fn check_email(email: &str) -> Result<Option<String>, AppError> {
    let email = email.trim();
    if email.is_empty() {
        return Ok(None);
    }
    if crate::domain::email::Email::parse(email).is_err() {
        return Err(AppError::InvalidInput(vec![FieldError::new(
            "email",
            "Dit e-mailadres klopt niet. Controleer het, of laat het veld leeg en geef de link zelf.",
        )]));
    }
    Ok(Some(email.to_owned()))
}

pub(super) fn queue_invitation(
    conn: &mut DbConnection,
    public_url: &str,
    email: Option<&str>,
    code: &str,
    t: Texts,
) -> QueryResult<()> {
    if let Some(to) = email {
        crate::mail::queue_and_forget(
            conn,
            &crate::choice::mail::experience_invitation(
                t,
                to,
                &format!("{public_url}/ervaring/{code}"),
                code,
            ),
        )?;
    }
    Ok(())
}

pub(super) async fn close(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<CloseForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let result = async {
        let mut errors = Vec::new();
        let ended_on = parse_date(form.einddatum.trim());
        if ended_on.is_none() {
            errors.push(FieldError::new("einddatum", "Vul een geldige einddatum in."));
        }
        let reason = form.reden.trim().parse::<u8>().ok().filter(|r| (1..=5).contains(r));
        if reason.is_none() {
            errors.push(FieldError::new("reden", "Kies hoe de hulp is geëindigd."));
        }
        // Empty: asked only where no goals were agreed, which the step knows.
        let goal = match form.doelen.trim() {
            "" => None,
            typed => {
                let goal = GoalResult::read(typed);
                if goal.is_none() {
                    errors.push(FieldError::new("doelen", "Kies of de doelen zijn bereikt."));
                }
                goal
            }
        };
        let marks: Vec<Option<GoalMark>> =
            [&form.doel_1, &form.doel_2, &form.doel_3, &form.doel_4, &form.doel_5]
                .into_iter()
                .map(|typed| GoalMark::parse(typed.trim()))
                .collect();
        let without_care = WithoutCare::parse(form.zonder_hulp.trim());
        if without_care.is_none() {
            errors.push(FieldError::new(
                "zonder_hulp",
                "Kies of de jongere verder kan zonder jeugdhulp.",
            ));
        }
        let problems_smaller = ProblemsSmaller::parse(form.problemen_kleiner.trim());
        if problems_smaller.is_none() {
            errors.push(FieldError::new(
                "problemen_kleiner",
                "Kies of de problemen kleiner zijn geworden.",
            ));
        }
        let email = match check_email(&form.email) {
            Ok(email) => email,
            Err(AppError::InvalidInput(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(other) => return Err(other),
        };
        let (Some(ended_on), Some(cbs_reason), Some(without_care), Some(problems_smaller), true) = (
            ended_on,
            reason,
            without_care,
            problems_smaller,
            errors.is_empty(),
        ) else {
            return Err(AppError::InvalidInput(errors));
        };
        let closing = Closing {
            ended_on,
            cbs_reason,
            goal,
            marks,
            without_care,
            problems_smaller,
        };
        let t = family_texts(&form.taal);
        worker_step(&state, &user, id, move |conn, h| {
            let code = commands::close(conn, h, &closing)?;
            queue_invitation(conn, &public_url, email.as_deref(), &code, t)?;
            Ok((code, email.is_some()))
        })
        .await
        .map(|(code, mailed)| {
            (
                code,
                if mailed {
                    "De hulpvraag is afgesloten. Het gezin krijgt de vragenlijst per e-mail; het adres wordt daarna gewist."
                } else {
                    "De hulpvraag is afgesloten. Geef het gezin de link naar de vragenlijst."
                },
            )
        })
    }
    .await;
    match result {
        Ok((code, message)) => {
            let shown = Shown {
                experience_code: Some(&code),
                message: Some(message),
                errors: &[],
                status: StatusCode::OK,
                typed_goals: None,
            };
            render_worker(&state, &user, &csrf, id, shown).await
        }
        Err(other) => or_show_errors(&state, &user, &csrf, id, Err(other)).await,
    }
}

#[derive(Deserialize)]
pub(super) struct QuestionnaireForm {
    #[serde(default)]
    pub(super) email: String,
    #[serde(default)]
    pub(super) taal: String,
}

pub(super) async fn new_questionnaire(
    state: web::Data<AppState>,
    user: SessionUser,
    csrf: CsrfToken,
    id: web::Path<i64>,
    CheckedForm(form): CheckedForm<QuestionnaireForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let public_url = state.public_url.clone();
    let result = async {
        let email = check_email(&form.email)?;
        let t = family_texts(&form.taal);
        worker_step(&state, &user, id, move |conn, h| {
            let code = commands::new_experience_code(conn, h)?;
            queue_invitation(conn, &public_url, email.as_deref(), &code, t)?;
            Ok(code)
        })
        .await
    }
    .await;
    match result {
        Ok(code) => {
            let shown = Shown {
                experience_code: Some(&code),
                message: Some(
                    "Er is een nieuwe link voor de vragenlijst. De vorige werkt niet meer.",
                ),
                errors: &[],
                status: StatusCode::OK,
                typed_goals: None,
            };
            render_worker(&state, &user, &csrf, id, shown).await
        }
        Err(other) => or_show_errors(&state, &user, &csrf, id, Err(other)).await,
    }
}
