use clap::Parser;

use jeugdhulpcatalogus::config::{Cli, Command};
use jeugdhulpcatalogus::startup::{Application, prepare_database};
use jeugdhulpcatalogus::web::logging;

#[actix_web::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    logging::init(&cli.config.log_filter, cli.config.log_json);
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error:#}");
            eprintln!("jeugdhulpcatalogus: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            prepare_database(&config)?;
            println!("Database is up to date.");
        }
        Command::SeedDemo => {
            let db = prepare_database(&config)?;
            let added = jeugdhulpcatalogus::demo::seed_if_empty(&mut *db.conn()?)?;
            println!(
                "{}",
                if added {
                    "Demo data added."
                } else {
                    "The database already has providers; nothing added."
                }
            );
        }
        Command::Serve => {
            let app = Application::build(&config)?;
            tracing::info!(
                url = %format!("http://{}:{}/", config.host, app.port()),
                database = app.db().backend().name(),
                "jeugdhulpcatalogus is listening"
            );
            app.run_until_stopped().await?;
        }
    }
    Ok(())
}
