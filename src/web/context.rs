//! What every page of a request shows around its content: whether the site is a demo and
//! who is signed in. Resolved once per request by [`attach`] and kept for the request's
//! task, so the layout shows "Mijn werk" and "Uitloggen" on every page, public and error
//! pages included, without each handler passing the user along.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, web};

use super::auth::SessionUser;
use super::csrf::CsrfToken;
use super::{SiteInfo, WebState};

#[derive(Debug, Clone, Default)]
pub struct PageContext {
    pub site: SiteInfo,
    pub user: Option<SessionUser>,
    pub csrf: Option<CsrfToken>,
    /// The page's language (Dutch on every page but the family pages).
    pub lang: crate::i18n::Lang,
    /// On a family page: its address ready for a `taal` parameter (the language switch).
    pub switch_base: Option<String>,
}

tokio::task_local! {
    static CONTEXT: PageContext;
}

/// The page language of the request being handled; `None` outside a request's task.
pub fn current_lang() -> Option<crate::i18n::Lang> {
    CONTEXT.try_with(|c| c.lang).ok()
}

/// The context of the request being handled (empty outside a request).
pub fn current() -> PageContext {
    CONTEXT.try_with(Clone::clone).unwrap_or_default()
}

/// The session as resolved for this request, kept so that it is read once.
#[derive(Clone)]
pub(super) struct Resolved(pub Option<SessionUser>);

/// Resolves the session and runs the rest of the request inside its context. Handlers'
/// errors become their pages inside it (actix converts them in the handler service), and so
/// do the guards' refusals (`auth::require` answers with the page itself), so an error page
/// knows the user too. The request must not be cloned here: routing needs it unshared.
pub async fn attach(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let site = req
        .app_data::<web::Data<WebState>>()
        .map(|s| s.site.clone())
        .unwrap_or_default();
    // Static files and the JSON API show no page frame: no session lookup for them.
    let framed = !req.path().starts_with("/assets/") && !req.path().starts_with("/api/");
    let user = if framed {
        super::auth::resolve(req.request())
            .await
            .unwrap_or_default()
    } else {
        None
    };
    let csrf = req.extensions().get::<CsrfToken>().cloned();
    let lang = super::language::resolve(req.request());
    let switch_base = super::language::switch_base(req.request());
    let remember = super::language::cookie_to_remember(req.request());
    let context = PageContext {
        site,
        user,
        csrf,
        lang,
        switch_base,
    };
    let mut response = CONTEXT
        .scope(context, next.call(req))
        .await
        .map(ServiceResponse::map_into_boxed_body)?;
    if let Some(cookie) = remember {
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
}
