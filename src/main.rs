use anyhow::Context as _;
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
        Command::Recompute => {
            let db = prepare_database(&config)?;
            let started = std::time::Instant::now();
            let written = jeugdhulpcatalogus::outcomes::compute::recompute_all_pipelined(&db)?;
            println!(
                "Scores recomputed in {:.1} s: {written} score sets.",
                started.elapsed().as_secs_f64()
            );
        }
        Command::SeedDemo(args) => {
            let db = prepare_database(&config)?;
            let mut conn = db.conn()?;
            let secret = jeugdhulpcatalogus::accounts::secrets::signing_key(
                &mut conn,
                config.secret_key.as_deref(),
            )?;
            let started = std::time::Instant::now();
            let size = jeugdhulpcatalogus::demo::Size {
                providers: args.providers,
                years: args.years,
                seed: args.seed,
            };
            let made = jeugdhulpcatalogus::demo::seed_if_empty(
                &mut conn,
                &secret,
                &config.public_url(config.port),
                size,
            )?;
            match made {
                Some(c) => println!(
                    "Demo data added in {:.1} s: {} providers, {} trajectories, {} published reports, {} hulpvragen, {} questionnaire answers.",
                    started.elapsed().as_secs_f64(),
                    c.providers,
                    c.trajectories,
                    c.published_reports,
                    c.hulpvragen,
                    c.answers
                ),
                None => println!("The database already has providers; nothing added."),
            }
        }
        Command::CreateUser(args) => {
            let db = prepare_database(&config)?;
            let generated = if args.password_stdin {
                None
            } else {
                Some(jeugdhulpcatalogus::accounts::secrets::random_token()?[..24].to_owned())
            };
            let password = match &generated {
                Some(p) => p.clone(),
                None => {
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            jeugdhulpcatalogus::accounts::cli::create_user(&mut *db.conn()?, &args, &password)?;
            println!("User {} created as {}.", args.email, args.role);
            if let Some(p) = generated {
                println!("Password (shown once): {p}");
            }
        }
        Command::ImportRegion(args) => {
            let db = prepare_database(&config)?;
            let mut files =
                jeugdhulpcatalogus::reference::regions::RegionFiles::from_dir(&args.dir)?;
            files.tariffs_from = args.tariffs_from;
            match jeugdhulpcatalogus::reference::regions::import(&mut *db.conn()?, None, &files)? {
                Ok(s) => println!(
                    "Imported: {} regions, {} municipalities, {} profiles, {} intensities, {} tariffs.",
                    s.regions, s.municipalities, s.profiles, s.intensities, s.tariffs
                ),
                Err(problems) => {
                    for problem in &problems {
                        eprintln!("{problem}");
                    }
                    anyhow::bail!("nothing imported: {} problems", problems.len());
                }
            }
        }
        Command::ImportHistory(args) => {
            let db = prepare_database(&config)?;
            let bytes = std::fs::read(&args.file)
                .with_context(|| format!("cannot read {}", args.file.display()))?;
            let today = jeugdhulpcatalogus::clock::today();
            match jeugdhulpcatalogus::outcomes::history::import(&db, &args.region, &bytes, today)? {
                Ok(loaded) => {
                    let seconds = (loaded.read + loaded.stored).as_secs_f64();
                    println!(
                        "Loaded {} trajectories of {} providers ({} replaced) in {:.1} s ({:.0} rows/s: read and checked in {:.1} s, stored in {:.1} s); {} scores and the region's funnels recomputed in {:.1} s.",
                        loaded.rows,
                        loaded.providers,
                        loaded.replaced,
                        seconds,
                        loaded.rows as f64 / seconds.max(1e-9),
                        loaded.read.as_secs_f64(),
                        loaded.stored.as_secs_f64(),
                        loaded.scores,
                        loaded.recomputed.as_secs_f64(),
                    );
                }
                Err(refused) => {
                    for p in &refused.problems {
                        if p.row == 0 {
                            eprintln!("{}: {}", p.column, p.message);
                        } else {
                            eprintln!("regel {}, {}: {}", p.row, p.column, p.message);
                        }
                    }
                    if refused.total > refused.problems.len() {
                        eprintln!(
                            "… and {} more problems.",
                            refused.total - refused.problems.len()
                        );
                    }
                    anyhow::bail!("nothing loaded: {} problems", refused.total);
                }
            }
        }
        Command::Serve => {
            if config.demo {
                let db = prepare_database(&config)?;
                let secret = jeugdhulpcatalogus::accounts::secrets::signing_key(
                    &mut *db.conn()?,
                    config.secret_key.as_deref(),
                )?;
                println!("Demo accounts (demo mode only):");
                for account in jeugdhulpcatalogus::demo::accounts::demo_accounts(&secret) {
                    println!(
                        "  {:<20} {:<46} {:<20} {}",
                        account.role.as_str(),
                        account.email,
                        account.password,
                        account.works_for
                    );
                }
            }
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
