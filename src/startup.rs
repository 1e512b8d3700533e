//! Builds the whole application: database, routes, middleware, listener. `main` only reads
//! the configuration and runs it; tests start the same application on a free port.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

use crate::config::Config;
use crate::db::Db;
use crate::web::{ApiError, AppError, SiteInfo};
use crate::{catalogue, demo, reference};

/// What every handler can reach: the database, facts about the site, and the features'
/// caches and keys. It lives here, where the features are put together, so `web` names
/// none of them.
pub struct AppState {
    pub db: crate::web::Database,
    pub site: SiteInfo,
    /// Regions, municipalities, profiles and intensities, kept for a minute.
    pub reference: std::sync::Arc<crate::reference::ReferenceCache>,
    /// Search results, kept while the catalogue is unchanged.
    pub catalogue: std::sync::Arc<crate::catalogue::cache::CatalogueCache>,
    /// Signs and checks sessions.
    pub keys: crate::accounts::session::SessionKeys,
    /// Derives the family links the worker can be shown again.
    pub link_key: crate::choice::code::LinkKey,
    /// Where links in e-mails point to, e.g. https://jeugdhulp.example.nl
    pub public_url: String,
    /// Makes the pseudonyms of clients in iJw messages: from `PSEUDONYM_KEY`, else from a
    /// `SECRET_KEY` given in the environment, else (the demo only) from the stored secret.
    /// None: a copy of the database would hold the key, so no iJw message is read.
    pub pseudonyms: Option<crate::outcomes::ijw::PseudonymKey>,
    /// Signing in with an organisation's account or eHerkenning, where configured.
    pub sign_in: std::sync::Arc<crate::accounts::oidc::SignIn>,
}

impl AppState {
    /// The reference data, from the cache or else read on a blocking thread.
    pub async fn reference_data(
        &self,
    ) -> Result<std::sync::Arc<crate::reference::ReferenceData>, AppError> {
        let cache = self.reference.clone();
        self.db.run(move |conn| Ok(cache.get(conn)?)).await
    }
}

pub struct Application {
    server: Server,
    port: u16,
    db: Db,
    mail_stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    /// The mail worker and the job runner, joined when the server has stopped.
    background: Vec<std::thread::JoinHandle<()>>,
}

/// Prepares the database: schema, reference data and, in demo mode, the demo providers.
pub fn prepare_database(config: &Config) -> anyhow::Result<Db> {
    crate::clock::set_today(config.today);
    let db = Db::connect(&config.database_url, config.pool_size)?;
    let mut conn = db.conn()?;
    reference::seed::ensure_reference_data(&mut conn)?;
    crate::providers::agreements::ensure_agreements(&mut conn)?;
    conn.write_transaction(crate::outcomes::reports::repair_published)?;
    crate::outcomes::compute::ensure_scores(&mut conn)?;
    conn.write_transaction(crate::outcomes::fair::ensure_funnels)?;
    if config.demo {
        let secret =
            crate::accounts::secrets::signing_key(&mut conn, config.secret_key.as_deref())?;
        demo::seed_if_empty(
            &mut conn,
            &secret,
            &config.public_url(config.port),
            demo::Size::default(),
        )?;
    }
    Ok(db)
}

impl Application {
    pub fn build(config: &Config) -> anyhow::Result<Application> {
        let db = prepare_database(config)?;
        // Every pooled connection opened before the first request, not by it: on PostgreSQL
        // an opening costs milliseconds, and the first burst after a start would wait for
        // ten of them. (Tests build with `build_with_db` and open connections as needed.)
        // Stops at the first that fails (each failure waits the pool's timeout); the
        // requests open what is missing. r2d2 closes those above one after ten idle
        // minutes, so a quiet node opens them again on its next burst.
        let mut opened = Vec::new();
        for _ in 0..config.pool_size {
            match db.conn() {
                Ok(conn) => opened.push(conn),
                Err(error) => {
                    tracing::warn!(%error, opened = opened.len(), "opening the database pool");
                    break;
                }
            }
        }
        drop(opened);
        Application::build_with_db(config, db)
    }

    pub fn build_with_db(config: &Config, db: Db) -> anyhow::Result<Application> {
        crate::clock::set_today(config.today);
        let site = SiteInfo {
            demo: demo::is_demo(&mut *db.conn()?)?,
            contact_email: config.contact_email.clone(),
        };
        let listener = TcpListener::bind((config.host.as_str(), config.port)).map_err(|e| {
            anyhow::anyhow!("cannot listen on {}:{}: {e}", config.host, config.port)
        })?;
        let port = listener.local_addr()?.port();
        let public_url = config.public_url(port);
        let secret =
            crate::accounts::secrets::signing_key(&mut *db.conn()?, config.secret_key.as_deref())?;
        if let Some(key) = config.pseudonym_key.as_deref().filter(|k| !k.is_empty()) {
            anyhow::ensure!(
                key.len() >= 32,
                "PSEUDONYM_KEY must be at least 32 characters"
            );
        }
        let keys =
            crate::accounts::session::SessionKeys::new(&secret, public_url.starts_with("https://"));
        let pseudonyms = crate::outcomes::ijw::pseudonym::key_of(
            config.pseudonym_key.as_deref(),
            config.secret_key.as_deref(),
            site.demo.then_some(secret.as_str()),
        );
        let worker = crate::mail::MailWorker::new(
            db.clone(),
            crate::mail::Transport::from_config(config.smtp_url.as_deref(), &config.mail_dir)?,
            &config.mail_from,
            std::time::Duration::from_millis(config.mail_poll_ms),
        )?;
        let mail_stop = worker.stop_flag();
        let mut background = Vec::new();
        if config.mail_poll_ms > 0 {
            background.push(worker.spawn()?);
        }
        background.push(crate::jobs::spawn(
            db.clone(),
            public_url.clone(),
            mail_stop.clone(),
            (config.funnel_refresh_ms > 0)
                .then(|| std::time::Duration::from_millis(config.funnel_refresh_ms)),
            (config.monitor_refresh_secs > 0)
                .then(|| std::time::Duration::from_secs(config.monitor_refresh_secs)),
        )?);
        let catalogue = std::sync::Arc::new(crate::catalogue::cache::CatalogueCache::new(
            std::time::Duration::from_millis(config.version_poll_ms),
        ));
        let shared = web::Data::new(crate::web::WebState {
            db: crate::web::Database::new(db.clone()),
            site: site.clone(),
            public_url: public_url.clone(),
        });
        let pages = web::Data::new(crate::web::page_cache::PublicPages::new(
            std::sync::Arc::clone(&catalogue.version),
        ));
        let session_keys = web::Data::new(keys.clone());
        let sign_in = std::sync::Arc::new(crate::accounts::oidc::SignIn::from_config(
            config,
            &public_url,
            &secret,
        )?);
        let state = web::Data::new(AppState {
            db: crate::web::Database::new(db.clone()),
            site,
            reference: Default::default(),
            catalogue,
            keys,
            link_key: crate::choice::code::LinkKey::new(&secret),
            pseudonyms,
            public_url,
            sign_in,
        });
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .app_data(shared.clone())
                .app_data(pages.clone())
                .app_data(session_keys.clone())
                .wrap(from_fn(crate::web::page_cache::serve))
                .wrap(from_fn(crate::web::uniform_errors))
                .wrap(from_fn(crate::web::input::refuse_control_characters))
                .wrap(from_fn(crate::web::context::attach))
                .wrap(Compress::default())
                .wrap(from_fn(crate::web::security::headers))
                .wrap(from_fn(crate::web::csrf::ensure_token))
                .wrap(from_fn(crate::web::input::head_as_get))
                .wrap(from_fn(crate::web::logging::log_request))
                .configure(routes)
        })
        // Without it a compressed page that is not kept (streamed by Compress in several
        // writes) waits for the browser's delayed ACK, 40 ms on Linux, before its last part.
        .tcp_nodelay(true)
        .shutdown_timeout(10)
        .listen(listener)?;
        if let Some(workers) = config.workers {
            server = server.workers(workers);
        }
        Ok(Application {
            server: server.run(),
            port,
            db,
            mail_stop,
            background,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Set to stop the mail worker (done by `run_until_stopped` when the server stops).
    pub fn mail_stop_flag(&self) -> std::sync::Arc<std::sync::atomic::AtomicBool> {
        self.mail_stop.clone()
    }

    /// Stops the server as SIGTERM would (for tests and embedding).
    pub fn stop_handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Runs until SIGINT or SIGTERM, then finishes the requests in flight, lets the mail
    /// worker finish its message and the job runner its job, and waits for both (graceful
    /// shutdown: nothing is cut off half-way).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.mail_stop
            .store(true, std::sync::atomic::Ordering::Relaxed);
        let background = self.background;
        let joined = actix_web::rt::task::spawn_blocking(move || {
            for thread in background {
                if thread.join().is_err() {
                    tracing::error!("a background thread panicked");
                }
            }
        })
        .await;
        if joined.is_err() {
            tracing::error!("waiting for the background threads failed");
        }
        tracing::info!("stopped");
        result
    }
}

/// Every route of the application, in one place: each feature publishes its routes, and the
/// scopes that several features fill (`/mijn-aanbod`, `/beheer/scores`) are put together
/// here, behind their role gate.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use crate::accounts::Role;
    use crate::web::auth::require;
    use crate::{accounts, choice, outcomes, providers};
    const MANAGERS: &[Role] = &[Role::Contractmanager, Role::Beheerder];
    const PROVIDERS: &[Role] = &[Role::Aanbieder];
    cfg.route("/healthz", web::get().to(healthz))
        .configure(crate::web::assets::routes)
        .configure(outcomes::report_routes::public_routes)
        .configure(outcomes::routes::api_routes)
        .configure(catalogue::routes::routes)
        .configure(providers::listing_reports::routes::public_routes)
        .configure(reference::routes::routes)
        .configure(crate::monitor::public_routes::routes)
        .configure(crate::hsds::routes)
        .configure(crate::api_docs::routes)
        .configure(accounts::routes::routes)
        .configure(accounts::oidc::routes::routes)
        .configure(accounts::people::routes::invitation_routes)
        .service(
            web::scope("/beheer/gemeenten")
                .wrap(from_fn(require(&[Role::Beheerder])))
                .configure(reference::municipalities::routes::routes),
        )
        .service(
            web::scope("/beheer/regios")
                .wrap(from_fn(require(&[Role::Beheerder])))
                .configure(reference::regions::routes::routes),
        )
        .service(
            web::scope("/beheer/tarieven")
                .wrap(from_fn(require(&[Role::Beheerder])))
                .configure(reference::tariffs::routes::routes),
        )
        .service(
            web::scope("/beheer/gebruikers")
                .wrap(from_fn(require(&[Role::Beheerder])))
                .configure(accounts::people::routes::routes),
        )
        .service(
            web::scope("/mijn-werk")
                .wrap(from_fn(require(Role::ALL)))
                .route("", web::get().to(crate::work::work_page)),
        )
        .configure(providers::routes::routes)
        .service(
            web::scope("/beheer/meldingen")
                .wrap(from_fn(require(MANAGERS)))
                .configure(providers::listing_reports::routes::manager_routes),
        )
        .service(
            web::scope("/beheer/scores")
                .wrap(from_fn(require(MANAGERS)))
                .configure(outcomes::report_routes::manager_routes),
        )
        .service(
            web::scope("/mijn-aanbod")
                // Inside the role gate (the last wrap runs first): a stopped provider changes
                // nothing, as through the API.
                .wrap(from_fn(providers::gate::refuse_stopped_providers))
                .wrap(from_fn(require(PROVIDERS)))
                .configure(providers::my_offer::routes)
                .configure(providers::listing_reports::routes::provider_routes)
                .configure(outcomes::routes::provider_routes)
                .configure(choice::routes::provider_routes),
        )
        .configure(choice::routes::routes)
        .service(
            web::scope("/monitor")
                .wrap(from_fn(require(&[
                    Role::Beleidsmedewerker,
                    Role::Contractmanager,
                    Role::Beheerder,
                ])))
                .configure(crate::monitor::routes::routes),
        )
        .default_service(web::to(not_found));
}

async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    use diesel::connection::SimpleConnection;
    let backend = state.db.backend().name();
    let check = state
        .db
        .run(|conn| Ok(conn.batch_execute("SELECT 1")?))
        .await;
    match check {
        Ok(()) => {
            HttpResponse::Ok().json(serde_json::json!({ "status": "ok", "database": backend }))
        }
        Err(error) => {
            tracing::warn!(%error, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(serde_json::json!({ "status": "error", "database": backend }))
        }
    }
}

async fn not_found(req: HttpRequest) -> Result<HttpResponse, actix_web::Error> {
    if crate::web::is_api_path(req.path()) {
        // A described route asked with another method: 405 with the methods it has.
        if let Some(allowed) = crate::api_docs::methods_of(req.path()) {
            return Ok(HttpResponse::MethodNotAllowed()
                .insert_header(("Allow", allowed.join(", ")))
                .json(serde_json::json!({
                    "error": "method_not_allowed",
                    "message": format!("Dit adres kent alleen {}.", allowed.join(" en ")),
                })));
        }
        Err(ApiError(AppError::NotFound).into())
    } else {
        Err(AppError::NotFound.into())
    }
}
