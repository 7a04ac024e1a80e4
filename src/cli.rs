//! The `wenji` command line.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use migrations::{Migrator, MigratorTrait};

use crate::app::{self, Application};
use crate::config::Config;

#[derive(Parser)]
#[command(name = "wenji", version, about = "Wenji (问计): public participation in government decisions")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run pending migrations, then serve HTTP.
    Serve,
    /// Database migrations.
    Migrate {
        #[arg(value_enum, default_value_t = MigrateAction::Up)]
        action: MigrateAction,
    },
    /// Print the OpenAPI spec (needs no database).
    Openapi {
        #[arg(long, value_enum, default_value_t = SpecFormat::Yaml)]
        format: SpecFormat,
    },
    /// Create the platform admin (or reset its password). The password is read from
    /// WENJI_ADMIN_PASSWORD or, if unset, from standard input — never from the command line.
    CreateAdmin {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "政务公开办")]
        name: String,
    },
    /// Load the demo district: agencies, staff, residents, policy areas, and decisions in every
    /// state with their comments (idempotent).
    DemoData,
    /// Copy the SQLite database to FILE while the server keeps serving (one consistent
    /// moment; attachments included, the receipt key file not: back that up separately).
    Backup { file: std::path::PathBuf },
    /// Put the SQLite backup FILE in place of the database (every node stopped first); the
    /// database it replaces is kept beside it.
    Restore { file: std::path::PathBuf },
}

#[derive(Clone, Copy, ValueEnum)]
enum MigrateAction {
    Up,
    Status,
}

#[derive(Clone, Copy, ValueEnum)]
enum SpecFormat {
    Yaml,
    Json,
}

pub fn init_tracing() {
    use tracing_subscriber::{EnvFilter, fmt};
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn,sea_orm_migration=warn"));
    let json = std::env::var("WENJI_LOG_FORMAT").is_ok_and(|f| f == "json");
    let builder = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = if json { builder.json().try_init() } else { builder.try_init() };
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Openapi { format } = cli.command {
        let spec = crate::routes::api_service();
        print!(
            "{}",
            match format {
                SpecFormat::Yaml => spec.spec_yaml(),
                SpecFormat::Json => spec.spec(),
            }
        );
        return ExitCode::SUCCESS;
    }
    init_tracing();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("wenji: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wenji: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli.command, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wenji: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    match command {
        Command::Serve => {
            let application = Application::build(config.clone()).await?;
            tracing::info!(
                address = %format!("{}:{}", config.listen.ip(), application.port()),
                public_url = %config.public_url,
                "serving; API docs at /docs"
            );
            application.run_until_stopped().await?;
        }
        Command::Backup { file } => {
            let copy = crate::db::backup::backup(&config.database_url, &file).await?;
            println!("backup written: {copy}");
            let keys = config.data_dir.join("receipt-keys");
            if config.receipt_keys.is_none() && keys.exists() {
                println!("not in it: the receipt key file {} (a secret; keep one copy of it apart)", keys.display());
            }
        }
        Command::Restore { file } => {
            let (copy, kept) = crate::db::backup::restore(&config.database_url, &config.data_dir, &file).await?;
            println!("restored: {copy}");
            if let Some(kept) = kept {
                println!("the database it replaced is kept as {}", kept.display());
            }
            if config.receipt_keys.is_none() && !config.data_dir.join("receipt-keys").exists() {
                println!(
                    "warning: no receipt key file in {}: put the backed-up one there before starting, or \
                     receipts issued before the backup cannot be used",
                    config.data_dir.display()
                );
            }
        }
        Command::Migrate { action } => {
            let db = app::connect(&config).await?;
            if let MigrateAction::Up = action {
                app::migrate(&db).await?;
            }
            for m in Migrator::get_migration_with_status(db.conn()).await? {
                println!("{:?}\t{}", m.status(), m.name());
            }
        }
        Command::CreateAdmin { email, name } => {
            let password = match std::env::var("WENJI_ADMIN_PASSWORD") {
                Ok(p) if !p.is_empty() => p,
                _ => {
                    let mut p = String::new();
                    std::io::stdin().read_to_string(&mut p)?;
                    p.trim_end_matches(['\r', '\n']).to_string()
                }
            };
            let db = app::connect(&config).await?;
            app::migrate(&db).await?;
            let admin = crate::accounts::service::ensure_platform_admin(&db, &email, &password, &name)
                .await
                .map_err(describe)?;
            println!("platform admin ready: {} ({})", admin.email, admin.id);
        }
        Command::DemoData => {
            let db = app::connect(&config).await?;
            app::migrate(&db).await?;
            let started = std::time::Instant::now();
            let r = crate::demo::load(&db).await.map_err(describe)?;
            let keys =
                crate::kernel::receipts::load_keys(db.conn(), config.receipt_keys.as_deref(), &config.data_dir).await?;
            let d = crate::demo::load_district(&db, &keys).await.map_err(describe)?;
            let state = crate::state::AppState::new(db, config.clone(), keys);
            let reported = crate::demo::publish_demo_report(&state).await.map_err(describe)?;
            let events = crate::demo::schedule_demo_events(&state).await.map_err(describe)?;
            let items = crate::demo::load_demo_catalogue(&state).await.map_err(describe)?;
            let followed = crate::demo::follow_demo_decisions(&state).await.map_err(describe)?;
            println!(
                "demo data loaded in {:.1} s: {} agencies, {} policy areas, {} accounts, {} decisions ({} already there), \
                 {} comments, {} attachments created, {} feedback report published, {} meetings and open days scheduled, \
                 {} disclosure catalogue items, {} decisions followed by the demo resident (password for all accounts: {})",
                started.elapsed().as_secs_f64(),
                r.agencies_created,
                r.policy_areas_created,
                r.accounts_created,
                d.decisions_created,
                d.decisions_present,
                d.comments_created,
                d.attachments_created,
                usize::from(reported),
                events,
                items,
                followed,
                crate::demo::DEMO_PASSWORD
            );
        }
        Command::Openapi { .. } => unreachable!("handled before configuration is read"),
    }
    Ok(())
}

/// Domain errors on the command line, in plain words.
fn describe(e: crate::error::AppError) -> anyhow::Error {
    match e {
        crate::error::AppError::Invalid(issues) => anyhow::anyhow!(
            "{}",
            issues.iter().map(|i| format!("{}: {}", i.field, i.message.en)).collect::<Vec<_>>().join("; ")
        ),
        other => anyhow::anyhow!("{other}"),
    }
}
