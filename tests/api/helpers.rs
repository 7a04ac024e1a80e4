//! Spawning the app and talking to it. Tests speak in requests and answers; HTTP details
//! stay here.

use std::sync::atomic::{AtomicU32, Ordering};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use wenji::db::Db;
use wenji::{Application, Config};

#[path = "fixtures.rs"]
mod fixtures;
pub use fixtures::*;

pub const DEMO_PASSWORD: &str = wenji::demo::DEMO_PASSWORD;
pub const PLATFORM_ADMIN: &str = "admin@wenji.demo";
pub const FGW_ADMIN: &str = "fgw.admin@wenji.demo";
pub const FGW_STAFF: &str = "fgw.staff@wenji.demo";
pub const ZJJ_ADMIN: &str = "zjj.admin@wenji.demo";
pub const ZJJ_STAFF: &str = "zjj.staff@wenji.demo";
pub const RESIDENT: &str = "zhang.wei@wenji.demo";
pub const FGW: &str = "示范区发展和改革委员会";
pub const ZJJ: &str = "示范区住房和城乡建设局";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: Db,
    /// The server's receipt keys (for loading demo content whose receipts must work).
    pub keys: wenji::kernel::receipts::ReceiptKeys,
    /// The configuration it runs with (to start another node on the same database).
    pub config: Config,
    _dir: std::sync::Arc<tempfile::TempDir>,
}

/// An answer: status, headers and the body parsed as JSON (`Null` when it is not JSON).
pub struct Answer {
    pub status: StatusCode,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Answer {
    pub fn content_type(&self) -> &str {
        self.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    /// Asserts this is an RFC 9457 problem with `status`, and returns its body.
    #[track_caller]
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        assert!(self.content_type().starts_with("application/problem+json"), "content type {}", self.content_type());
        assert_eq!(self.body["status"], json!(status));
        for key in ["type", "title", "detail", "code", "request_id"] {
            assert!(self.body[key].is_string(), "problem lacks {key}: {}", self.text);
        }
        &self.body
    }

    #[track_caller]
    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text);
        &self.body
    }

    /// The field names of a problem's `errors`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|a| a.iter().filter_map(|e| e["field"].as_str().map(str::to_string)).collect())
            .unwrap_or_default()
    }
}

static SCHEMA_COUNTER: AtomicU32 = AtomicU32::new(0);

fn base_config() -> Config {
    let mut config = Config::from_map(&Default::default()).expect("default config");
    config.listen = "127.0.0.1:0".parse().unwrap();
    // All the tests' servers share this process's hashing slots (one per core); they wait
    // for one rather than being told to come back, which the flood test covers.
    config.password_hash_wait = std::time::Duration::from_secs(120);
    config.frontend_dir = None;
    config
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Starts the app with a configuration adjusted by `adjust`, on a fresh database.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        if std::env::var_os("WENJI_TEST_LOG").is_some() {
            wenji::cli::init_tracing();
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let mut config = base_config();
        config.data_dir = dir.path().to_path_buf();
        match std::env::var("WENJI_TEST_POSTGRES_URL") {
            Ok(url) if !url.is_empty() => {
                config.database_url = fresh_postgres_schema(&url).await;
            }
            _ => {
                config.database_url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
            }
        }
        adjust(&mut config);
        Self::start(config, std::sync::Arc::new(dir)).await
    }

    async fn start(config: Config, dir: std::sync::Arc<tempfile::TempDir>) -> TestApp {
        let app = Application::build(config.clone()).await.expect("application starts");
        let port = app.port();
        let db = app.state().db.clone();
        let keys = app.state().receipt_keys.clone();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            base: format!("http://127.0.0.1:{port}"),
            client: reqwest::Client::builder().build().unwrap(),
            db,
            keys,
            config,
            _dir: dir,
        }
    }

    /// Another node on the same database and data directory, its configuration adjusted.
    pub async fn another_node(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = self.config.clone();
        config.listen = "127.0.0.1:0".parse().unwrap();
        adjust(&mut config);
        Self::start(config, self._dir.clone()).await
    }

    /// Starts the app with the demo district loaded.
    pub async fn spawn_demo() -> TestApp {
        let app = Self::spawn().await;
        wenji::demo::load(&app.db).await.expect("demo data loads");
        app
    }

    pub async fn request(&self, method: Method, path: &str, token: Option<&str>, body: Option<Value>) -> Answer {
        let mut req = self.client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        Self::read(req.send().await.expect("request sent")).await
    }

    pub async fn send(&self, req: reqwest::RequestBuilder) -> Answer {
        Self::read(req.send().await.expect("request sent")).await
    }

    async fn read(resp: reqwest::Response) -> Answer {
        let status = resp.status();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Answer { status, headers, body, text }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Answer {
        self.request(Method::GET, path, token, None).await
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.request(Method::POST, path, token, Some(body)).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn login(&self, email: &str, password: &str) -> String {
        let a = self.post("/api/v1/auth/login", None, json!({ "email": email, "password": password })).await;
        a.ok(200);
        a.body["token"].as_str().expect("token").to_string()
    }

    pub async fn login_demo(&self, email: &str) -> String {
        self.login(email, DEMO_PASSWORD).await
    }

    pub async fn register(&self, email: &str, password: &str, name: &str) -> Answer {
        self.post("/api/v1/auth/register", None, json!({ "email": email, "password": password, "display_name": name }))
            .await
    }

    /// The id of the demo agency called `name`.
    pub async fn agency_id(&self, name: &str) -> String {
        let a = self.get("/api/v1/agencies?per_page=200", None).await;
        a.ok(200)["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("no agency {name}"))["id"]
            .as_str()
            .unwrap()
            .to_string()
    }
}

/// Creates an empty schema in the test database and answers a URL whose connections use it.
async fn fresh_postgres_schema(url: &str) -> String {
    use sea_orm::ConnectionTrait;
    let schema = format!(
        "t_{}_{}_{}",
        std::process::id(),
        SCHEMA_COUNTER.fetch_add(1, Ordering::Relaxed),
        uuid::Uuid::new_v4().simple().to_string().get(..8).unwrap_or("0")
    );
    let admin = sea_orm::Database::connect(url)
        .await
        .unwrap_or_else(|e| panic!("WENJI_TEST_POSTGRES_URL is set but PostgreSQL cannot be reached at {url}: {e}"));
    admin.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.expect("create schema");
    admin.close().await.ok();
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-c%20search_path%3D{schema}")
}
