//! Configuration: every setting is an environment variable and a command-line flag.

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "jeugdhulpcatalogus",
    version,
    about = "Jeugdhulpcatalogus: families and access workers choose a youth-care provider on published results.",
    long_about = "Jeugdhulpcatalogus: families and access workers choose a youth-care provider on published results.\n\n\
        Without a command it serves the portal. Every option can also be given as the environment\n\
        variable named beside it. The database is created and migrated at start; SQLite needs no\n\
        set-up, PostgreSQL is chosen by a postgres:// URL.\n\n\
        Examples:\n  \
        jeugdhulpcatalogus --demo                          serve with fictional demo data on SQLite\n  \
        DATABASE_URL=postgres://postgres@127.0.0.1/jhc jeugdhulpcatalogus\n  \
        jeugdhulpcatalogus seed-demo                       add the demo data to an empty database\n  \
        jeugdhulpcatalogus seed-demo --providers 10000     the same world at benchmark size"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the portal (the default).
    Serve,
    /// Create or update the database schema and reference data, then stop.
    Migrate,
    /// Fill a database without providers with the fictional demo (providers, trajectories,
    /// reports, hulpvragen and the demo accounts), print what was made, then stop. Larger
    /// sizes are for benchmarks and load tests.
    SeedDemo(SeedDemo),
    /// Recompute every provider's scores and the funnels from the stored trajectories (after
    /// a change to how an indicator is computed), then stop. Uploads wait until it is done.
    Recompute,
    /// Create a user. The password is read from standard input (one line), or, without
    /// --password-stdin, a strong one is made and printed once.
    CreateUser(CreateUser),
    /// Add one or more regions from a directory of reference files (regions.csv,
    /// municipalities.csv, profiles.csv, intensities.csv; optionally
    /// profile-descriptions.csv and a tariffs*.csv), all checked first, stored together or
    /// not at all; every problem is printed with its file and line.
    ImportRegion(ImportRegion),
    /// Load a region's past trajectories from one CSV file: the columns of a provider's
    /// upload and `aanbieder` (the name in the provider's catalogue address, or its AGB
    /// code). Every row is checked first; stored all together or not at all (a trajectory
    /// already stored under the same provider and reference in the region is replaced; one
    /// in another region is refused), then the scores
    /// of the providers in the file and the region's funnels are recomputed.
    ImportHistory(ImportHistory),
}

#[derive(Debug, Clone, clap::Args)]
pub struct ImportHistory {
    /// The region, by the name in its address (for example `haaglanden`).
    #[arg(long)]
    pub region: String,
    /// The CSV file.
    pub file: std::path::PathBuf,
}

#[derive(Debug, Clone, clap::Args)]
pub struct ImportRegion {
    /// The directory with the files.
    pub dir: std::path::PathBuf,
    /// From when the tariffs of the tariff file are valid (default: 1 January this year).
    #[arg(long)]
    pub tariffs_from: Option<chrono::NaiveDate>,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SeedDemo {
    /// Number of providers (spread over the regions).
    #[arg(long, default_value_t = crate::demo::DEMO_PROVIDERS)]
    pub providers: usize,
    /// Years of trajectories up to today.
    #[arg(long, default_value_t = crate::demo::DEMO_YEARS, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub years: u32,
    /// The seed: the same seed (on the same day) makes the same demo.
    #[arg(long, default_value_t = crate::demo::DEMO_SEED)]
    pub seed: u64,
}

#[derive(Debug, Clone, clap::Args)]
pub struct CreateUser {
    /// aanbieder, toegangsmedewerker, contractmanager or beheerder.
    #[arg(long)]
    pub role: String,
    #[arg(long)]
    pub email: String,
    /// Full name (default: the part of the address before the @).
    #[arg(long)]
    pub name: Option<String>,
    /// For an aanbieder: the provider's slug.
    #[arg(long)]
    pub provider: Option<String>,
    /// For a toegangsmedewerker: the municipality's slug.
    #[arg(long)]
    pub municipality: Option<String>,
    /// For a contractmanager: the region's slug.
    #[arg(long)]
    pub region: Option<String>,
    /// Read the password from standard input instead of generating one.
    #[arg(long)]
    pub password_stdin: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Database: postgres://user@host/db, or sqlite://path (a plain path means SQLite too).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/jeugdhulpcatalogus.db"
    )]
    pub database_url: String,

    /// Address to listen on.
    #[arg(long, env = "HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// Port to listen on (0 picks a free port).
    #[arg(long, env = "PORT", default_value_t = 8080)]
    pub port: u16,

    /// Log filter, e.g. info, warn, or jeugdhulpcatalogus=debug.
    #[arg(long = "log", env = "RUST_LOG", default_value = "info")]
    pub log_filter: String,

    /// Write logs as JSON lines instead of text.
    #[arg(long, env = "LOG_JSON", value_parser = BoolishValueParser::new(), action = ArgAction::Set,
          num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false")]
    pub log_json: bool,

    /// Demo mode: fill an empty database with fictional providers and mark every page as a demo.
    #[arg(long, env = "DEMO", value_parser = BoolishValueParser::new(), action = ArgAction::Set,
          num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "false")]
    pub demo: bool,

    /// Database connections kept open.
    #[arg(long, env = "DATABASE_POOL_SIZE", default_value_t = 10)]
    pub pool_size: u32,

    /// HTTP worker threads (default: one per CPU core).
    #[arg(long, env = "WORKERS")]
    pub workers: Option<usize>,

    /// The address people use to reach the portal, for links in e-mails
    /// (default: http://HOST:PORT). An https:// address makes the session cookie Secure.
    #[arg(long, env = "PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Key that signs sessions (at least 32 characters). Without it a key is made once and
    /// kept in the database, shared by every node.
    #[arg(long, env = "SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Key the pseudonyms of clients in iJw messages are made with (at least 32 characters;
    /// per region a key is derived from it). Set it in production and keep it: a new key
    /// makes new pseudonyms, and a return within 12 months is then missed. Without it the
    /// pseudonyms follow SECRET_KEY.
    #[arg(long, env = "PSEUDONYM_KEY", hide_env_values = true)]
    pub pseudonym_key: Option<String>,

    /// Mail server, e.g. smtp://mail.example.nl:587?tls=required or smtps://user:pass@host.
    /// Without it every message is written as an .eml file into MAIL_DIR.
    #[arg(long, env = "SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Folder for e-mail files when no SMTP_URL is set.
    #[arg(long, env = "MAIL_DIR", default_value = "data/mail")]
    pub mail_dir: String,

    /// Sender of the portal's e-mail.
    #[arg(
        long,
        env = "MAIL_FROM",
        default_value = "Jeugdhulpcatalogus <noreply@jeugdhulpcatalogus.localhost>"
    )]
    pub mail_from: String,

    /// Where people report an accessibility problem or ask for information in another way
    /// (the accessibility statement at /toegankelijkheid names it).
    #[arg(
        long,
        env = "CONTACT_EMAIL",
        default_value = "toegankelijkheid@jeugdhulpcatalogus.localhost"
    )]
    pub contact_email: String,

    /// Run as if today were this date (YYYY-MM-DD), the time of day going on as usual: for
    /// tests and demos. Leave it out in production.
    #[arg(long, env = "TODAY")]
    pub today: Option<chrono::NaiveDate>,

    /// How often the mail worker looks for queued messages, in milliseconds; 0: this node
    /// sends no mail (another node of the same database does).
    #[arg(long, env = "MAIL_POLL_MS", default_value_t = 2000)]
    pub mail_poll_ms: u64,

    /// How often the job runner looks at the funnels that uploads marked stale, in
    /// milliseconds: it recomputes them once a look finds no new mark, or after 10 s of
    /// marks; 0 leaves them to the next full recomputation.
    #[arg(long, env = "FUNNEL_REFRESH_MS", default_value_t = 1000)]
    pub funnel_refresh_ms: u64,

    /// How often the job runner computes the municipal monitors that changes marked (and
    /// every monitor once a day), in seconds; 0 leaves them to whoever calls
    /// `monitor::store::refresh_due` (the tests).
    #[arg(long, env = "MONITOR_REFRESH_SECS", default_value_t = 60)]
    pub monitor_refresh_secs: u64,

    /// How long a node trusts the catalogue version it last read before reading it again,
    /// in milliseconds: another node's change shows within this time, the node's own at
    /// once; 0 reads it on every request.
    #[arg(long, env = "VERSION_POLL_MS", default_value_t = 250)]
    pub version_poll_ms: u64,

    /// Staff sign in with their organisation's account: the OpenID Connect issuer (e.g.
    /// https://login.gemeente.nl/realms/medewerkers). Unset: passwords only.
    #[arg(long, env = "OIDC_ISSUER_URL")]
    pub oidc_issuer_url: Option<String>,

    /// The portal's client id at the organisation's provider.
    #[arg(long, env = "OIDC_CLIENT_ID")]
    pub oidc_client_id: Option<String>,

    /// The portal's client secret at the organisation's provider.
    #[arg(long, env = "OIDC_CLIENT_SECRET", hide_env_values = true)]
    pub oidc_client_secret: Option<String>,

    /// The claim that lists a person's roles.
    #[arg(long, env = "OIDC_ROLES_CLAIM", default_value = "roles")]
    pub oidc_roles_claim: String,

    /// A role that must be in that claim at every sign-in.
    #[arg(long, env = "OIDC_REQUIRED_ROLE")]
    pub oidc_required_role: Option<String>,

    /// Whether staff may still sign in with a password where an organisation provider is
    /// configured (0: only their organisation's account).
    #[arg(long, env = "PASSWORD_LOGIN_STAFF", value_parser = BoolishValueParser::new(), action = ArgAction::Set,
          num_args = 0..=1, require_equals = true, default_missing_value = "true", default_value = "true")]
    pub password_login_staff: bool,

    /// Providers sign in with eHerkenning: the broker's OpenID Connect issuer.
    #[arg(long, env = "EHERKENNING_ISSUER_URL")]
    pub eherkenning_issuer_url: Option<String>,

    /// The portal's client id at the eHerkenning broker.
    #[arg(long, env = "EHERKENNING_CLIENT_ID")]
    pub eherkenning_client_id: Option<String>,

    /// The portal's client secret at the eHerkenning broker.
    #[arg(long, env = "EHERKENNING_CLIENT_SECRET", hide_env_values = true)]
    pub eherkenning_client_secret: Option<String>,

    /// The lowest eHerkenning level of assurance accepted (loa2 < loa2plus < loa3 < loa4).
    #[arg(
        long,
        env = "EHERKENNING_MIN_LOA",
        default_value = "urn:etoegang:core:assurance-class:loa3"
    )]
    pub eherkenning_min_loa: String,
}

impl Config {
    /// The base of links in e-mails, without a trailing slash.
    pub fn public_url(&self, port: u16) -> String {
        match &self.public_url {
            Some(url) if !url.is_empty() => url.trim_end_matches('/').to_owned(),
            _ => format!("http://{}:{port}", self.host),
        }
    }
}

impl Config {
    /// Settings for tests and benchmarks: a given database, a free port, no demo data.
    pub fn for_database(database_url: impl Into<String>) -> Self {
        Config {
            database_url: database_url.into(),
            host: "127.0.0.1".into(),
            port: 0,
            log_filter: "warn".into(),
            log_json: false,
            demo: false,
            pool_size: 8,
            workers: Some(2),
            public_url: None,
            secret_key: None,
            pseudonym_key: None,
            smtp_url: None,
            mail_dir: std::env::temp_dir()
                .join("jeugdhulpcatalogus-mail")
                .display()
                .to_string(),
            mail_from: "Jeugdhulpcatalogus <noreply@jeugdhulpcatalogus.localhost>".into(),
            contact_email: "toegankelijkheid@jeugdhulpcatalogus.localhost".into(),
            mail_poll_ms: 100,
            funnel_refresh_ms: 1000,
            // Tests compute the monitor when they need it, never on a timer.
            monitor_refresh_secs: 0,
            // An hour: a test sees a change at once only through this process's own writes,
            // never by the timing of a poll.
            version_poll_ms: 3_600_000,
            today: None,
            oidc_issuer_url: None,
            oidc_client_id: None,
            oidc_client_secret: None,
            oidc_roles_claim: "roles".into(),
            oidc_required_role: None,
            password_login_staff: true,
            eherkenning_issuer_url: None,
            eherkenning_client_id: None,
            eherkenning_client_secret: None,
            eherkenning_min_loa: "urn:etoegang:core:assurance-class:loa3".into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    /// A switch takes every usual spelling, on the command line (`--demo=1`) and in the
    /// environment (`DEMO=1`), which clap reads through the same value parser.
    #[test]
    fn boolean_settings_accept_every_usual_spelling() {
        let parse = |flag: &str| {
            Cli::try_parse_from(["jhc", flag])
                .ok()
                .map(|cli| (cli.config.demo, cli.config.log_json))
        };
        for yes in ["1", "true", "TRUE", "yes", "on", "y"] {
            assert_eq!(
                parse(&format!("--demo={yes}")),
                Some((true, false)),
                "{yes}"
            );
            assert_eq!(
                parse(&format!("--log-json={yes}")),
                Some((false, true)),
                "{yes}"
            );
        }
        for no in ["0", "false", "no", "off", "n"] {
            assert_eq!(parse(&format!("--demo={no}")), Some((false, false)), "{no}");
        }
        assert_eq!(parse("--demo"), Some((true, false)), "a bare switch is on");
        assert_eq!(parse("--demo=misschien"), None, "nonsense is refused");
        let cli = Cli::try_parse_from(["jhc"]).expect("valid");
        assert!(!cli.config.demo, "off unless asked");
    }

    #[test]
    fn flags_override_defaults() {
        let cli =
            Cli::try_parse_from(["jhc", "--port", "9000", "--demo", "seed-demo"]).expect("valid");
        assert_eq!(cli.config.port, 9000);
        assert!(cli.config.demo);
        assert!(matches!(cli.command, Some(Command::SeedDemo(_))));
    }
}
