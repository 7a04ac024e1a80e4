//! Real `wenji serve` processes on a test's database: several nodes at once, or one to kill.

use crate::helpers::TestApp;

/// A free port on the loopback interface.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `wenji serve` process on the test's database (several nodes, crashes).
pub struct Node {
    pub child: std::process::Child,
    pub base: String,
    pub log: std::path::PathBuf,
}

impl Node {
    pub fn start(app: &TestApp, data_dir: &std::path::Path) -> Node {
        Node::start_with(app, data_dir, &[])
    }

    /// A node with more settings (`WENJI_…` variables) than the database and address.
    pub fn start_with(app: &TestApp, data_dir: &std::path::Path, settings: &[(&str, &str)]) -> Node {
        Node::start_with_url(&app.config.database_url, data_dir, settings)
    }

    /// A node on the database at `database_url`.
    pub fn start_with_url(database_url: &str, data_dir: &std::path::Path, settings: &[(&str, &str)]) -> Node {
        let port = free_port();
        let log = data_dir.join(format!("node-{port}.log"));
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_wenji"))
            .arg("serve")
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("WENJI_DATABASE_URL", database_url)
            .env("WENJI_DATA_DIR", data_dir)
            .env("WENJI_LISTEN", format!("127.0.0.1:{port}"))
            .env("WENJI_SIGNUP_MAX_PER_ADDRESS", "100000")
            .env("WENJI_MAX_DB_CONNECTIONS", "10")
            .env("RUST_LOG", "warn")
            .envs(settings.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::fs::File::create(&log).expect("node log"))
            .spawn()
            .expect("wenji serve starts");
        Node { child, base: format!("http://127.0.0.1:{port}"), log }
    }

    pub async fn ready(&mut self, client: &reqwest::Client) {
        for _ in 0..600 {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "node at {} exited ({status}): {}",
                    self.base,
                    std::fs::read_to_string(&self.log).unwrap_or_default()
                );
            }
            if client.get(format!("{}/readyz", self.base)).send().await.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!(
            "node at {} did not become ready: {}",
            self.base,
            std::fs::read_to_string(&self.log).unwrap_or_default()
        );
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
