//! Typed configuration, read once at start-up from the environment (and an optional file
//! of `KEY=value` lines named by `WENJI_CONFIG`; the environment wins). Every problem names
//! the variable at fault so that a misconfigured node refuses to start instead of limping.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::kernel::client_address::IpNet;

#[derive(Debug, thiserror::Error)]
#[error("configuration error in {variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

#[derive(Clone, Debug)]
pub struct Config {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// Absolute lifetime of a session.
    pub session_ttl: Duration,
    /// A session unused for this long ends even before its absolute lifetime.
    pub session_idle_timeout: Duration,
    /// The address residents reach the platform at; used in links (feeds, e-mails).
    pub public_url: String,
    /// Origins allowed to call the API from a browser (CORS). Empty: same origin only.
    pub cors_origins: Vec<String>,
    /// Hosts whose players may be embedded in pages (livestreams), e.g. `https://live.example.cn`.
    pub embed_hosts: Vec<String>,
    /// Proxies (addresses or blocks) whose `X-Forwarded-For` is believed; empty: none is.
    pub trusted_proxies: Vec<IpNet>,
    /// A connection with no traffic for this long is closed (slow or stalled clients cannot
    /// hold connections forever).
    pub idle_timeout: Duration,
    /// A request head (HTTP/1) must arrive whole within this long of its first byte.
    pub header_read_timeout: Duration,
    /// Days after a window closes by which its feedback report is due.
    pub feedback_due_days: u32,
    /// A request body must arrive whole within this long of the handler starting to read it.
    pub body_read_timeout: Duration,
    /// Largest request body accepted, in bytes.
    pub body_limit: usize,
    /// Largest attachment accepted, in bytes.
    pub attachment_limit: usize,
    /// Sign-in throttling: failures allowed per account and per client address in one window.
    pub sign_in_max_failures_per_account: u32,
    pub sign_in_max_failures_per_address: u32,
    pub sign_in_window: Duration,
    /// How long a request waits for one of the node's password-hashing slots (one per core)
    /// before it is answered 429 with Retry-After.
    pub password_hash_wait: Duration,
    /// Receipt keys (`id=hex,…`, the last current); when absent, the key file in the data
    /// directory, created on first start.
    pub receipt_keys: Option<String>,
    /// When set, `/metrics` answers only requests with `Authorization: Bearer <token>`;
    /// otherwise only clients on this machine (after the trusted-proxy rule).
    pub metrics_token: Option<String>,
    /// Registrations allowed per client address in one window.
    pub register_max_per_address: u32,
    pub register_window: Duration,
    /// Directory of the built frontend, served at `/` when present.
    pub frontend_dir: Option<PathBuf>,
    pub max_db_connections: u32,
    /// Comment submissions allowed per client address and per account in one window.
    pub comment_max_per_address: u32,
    pub comment_max_per_account: u32,
    pub comment_window: Duration,
    /// Sign-ups for events (attendance requests, open-day registrations) per client address
    /// and window.
    pub signup_max_per_address: u32,
    pub signup_window: Duration,
    /// How long a node keeps what the public reads most in memory (0 turns it off).
    pub public_cache_ttl: Duration,
    /// How long a node keeps the facts behind a statistics filter (0 turns it off).
    pub statistics_cache_ttl: Duration,
    /// How often stored statuses catch up with the clock (windows opening and closing).
    pub window_sweep_interval: Duration,
    /// Where e-mail goes: `smtp://host:port`, `smtp://user:pass@host?tls=required`,
    /// `smtps://user:pass@host`. Absent: e-mails are written to the log (kind and recipient,
    /// never the body) and counted as sent.
    pub smtp_url: Option<String>,
    /// The From address of e-mails (`noreply@example.cn` or `问计 <noreply@example.cn>`).
    pub mail_from: String,
    /// How often each node looks for e-mails due in the outbox.
    pub outbox_interval: Duration,
}

struct Source {
    values: HashMap<String, String>,
}

impl Source {
    fn load(env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let mut values = HashMap::new();
        if let Some(path) = env.get("WENJI_CONFIG") {
            let text = std::fs::read_to_string(path)
                .map_err(|e| ConfigError { variable: "WENJI_CONFIG", message: format!("cannot read {path}: {e}") })?;
            for (n, line) in text.lines().enumerate() {
                let line = line.trim();
                if line.is_empty() || line.starts_with('#') {
                    continue;
                }
                let (k, v) = line.split_once('=').ok_or_else(|| ConfigError {
                    variable: "WENJI_CONFIG",
                    message: format!("{path}:{}: expected KEY=value", n + 1),
                })?;
                values.insert(k.trim().to_string(), v.trim().trim_matches('"').to_string());
            }
        }
        for (k, v) in env {
            if k.starts_with("WENJI_") {
                values.insert(k.clone(), v.clone());
            }
        }
        Ok(Source { values })
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str).filter(|v| !v.is_empty())
    }

    fn parse<T: std::str::FromStr>(&self, key: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(key) {
            None => Ok(default),
            Some(raw) => raw
                .parse()
                .map_err(|e: T::Err| ConfigError { variable: key, message: format!("cannot parse {raw:?}: {e}") }),
        }
    }

    fn duration(&self, key: &'static str, default: Duration) -> Result<Duration, ConfigError> {
        match self.get(key) {
            None => Ok(default),
            Some(raw) => parse_duration(raw).ok_or_else(|| ConfigError {
                variable: key,
                message: format!("cannot parse {raw:?}: use a number with s, m, h or d (e.g. 12h)"),
            }),
        }
    }
}

/// `90s`, `15m`, `12h`, `30d`, or plain seconds.
pub fn parse_duration(raw: &str) -> Option<Duration> {
    let raw = raw.trim();
    let (number, unit) = match raw.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => raw.split_at(i),
        None => (raw, "s"),
    };
    let n: u64 = number.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86400)?,
        _ => return None,
    };
    (secs > 0).then(|| Duration::from_secs(secs))
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_map(&std::env::vars().collect())
    }

    pub fn from_map(env: &HashMap<String, String>) -> Result<Self, ConfigError> {
        let src = Source::load(env)?;
        let data_dir = PathBuf::from(src.get("WENJI_DATA_DIR").unwrap_or("./data"));
        let database_url = match src.get("WENJI_DATABASE_URL") {
            Some(url) => {
                if !(url.starts_with("sqlite:") || url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                    return Err(ConfigError {
                        variable: "WENJI_DATABASE_URL",
                        message: "must start with sqlite:// or postgres://".into(),
                    });
                }
                url.to_string()
            }
            None => format!("sqlite://{}?mode=rwc", data_dir.join("wenji.db").display()),
        };
        let listen = src.parse("WENJI_LISTEN", SocketAddr::from(([127, 0, 0, 1], 8080)))?;
        let public_url = src
            .get("WENJI_PUBLIC_URL")
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{listen}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(ConfigError {
                variable: "WENJI_PUBLIC_URL",
                message: "must start with http:// or https://".into(),
            });
        }
        let session_ttl = src.duration("WENJI_SESSION_TTL", Duration::from_secs(12 * 3600))?;
        let session_idle_timeout = src.duration("WENJI_SESSION_IDLE_TIMEOUT", Duration::from_secs(2 * 3600))?;
        let cors_origins = src
            .get("WENJI_CORS_ORIGINS")
            .map(|s| s.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect())
            .unwrap_or_default();
        let embed_hosts: Vec<String> = src
            .get("WENJI_EMBED_HOSTS")
            .map(|s| {
                s.split(',').map(|o| o.trim().trim_end_matches('/').to_string()).filter(|o| !o.is_empty()).collect()
            })
            .unwrap_or_default();
        if let Some(bad) = embed_hosts
            .iter()
            .find(|h| !(h.starts_with("https://") || h.starts_with("http://")) || h.contains([';', ' ', '\'', '"']))
        {
            return Err(ConfigError {
                variable: "WENJI_EMBED_HOSTS",
                message: format!("{bad:?} is not an http(s) origin"),
            });
        }
        if src.get("WENJI_TRUST_PROXY").is_some() {
            return Err(ConfigError {
                variable: "WENJI_TRUST_PROXY",
                message: "no longer read: list the proxies' addresses in WENJI_TRUSTED_PROXIES instead \
                          (e.g. 10.0.0.0/8), so that X-Forwarded-For is believed only from them"
                    .into(),
            });
        }
        let trusted_proxies = src
            .get("WENJI_TRUSTED_PROXIES")
            .map(|s| {
                s.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| p.parse::<IpNet>())
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()
            .map_err(|message| ConfigError { variable: "WENJI_TRUSTED_PROXIES", message })?
            .unwrap_or_default();
        let frontend_dir = match src.get("WENJI_FRONTEND_DIR") {
            Some(dir) => Some(PathBuf::from(dir)),
            None => Some(PathBuf::from("frontend/dist")).filter(|p| p.join("index.html").is_file()),
        };
        let smtp_url = src.get("WENJI_SMTP_URL").map(str::to_string);
        if let Some(url) = &smtp_url {
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(url).map_err(|e| ConfigError {
                variable: "WENJI_SMTP_URL",
                message: format!("expected smtp://host:port, smtp://user:pass@host?tls=required or smtps://…: {e}"),
            })?;
        }
        let mail_from = src.get("WENJI_MAIL_FROM").unwrap_or("noreply@wenji.local").to_string();
        if let Err(e) = mail_from.parse::<lettre::message::Mailbox>() {
            return Err(ConfigError {
                variable: "WENJI_MAIL_FROM",
                message: format!("{mail_from:?} is not an address: {e}"),
            });
        }
        Ok(Config {
            database_url,
            listen,
            data_dir,
            session_ttl,
            session_idle_timeout,
            public_url,
            cors_origins,
            embed_hosts,
            trusted_proxies,
            idle_timeout: src.duration("WENJI_IDLE_TIMEOUT", Duration::from_secs(60))?,
            header_read_timeout: src.duration("WENJI_HEADER_READ_TIMEOUT", Duration::from_secs(20))?,
            feedback_due_days: src.parse("WENJI_FEEDBACK_DUE_DAYS", 30)?,
            body_read_timeout: src.duration("WENJI_BODY_READ_TIMEOUT", Duration::from_secs(120))?,
            body_limit: src.parse("WENJI_BODY_LIMIT", 1024 * 1024)?,
            attachment_limit: src.parse("WENJI_ATTACHMENT_LIMIT", 20 * 1024 * 1024)?,
            sign_in_max_failures_per_account: src.parse("WENJI_SIGN_IN_MAX_FAILURES_PER_ACCOUNT", 5)?,
            sign_in_max_failures_per_address: src.parse("WENJI_SIGN_IN_MAX_FAILURES_PER_ADDRESS", 30)?,
            sign_in_window: src.duration("WENJI_SIGN_IN_WINDOW", Duration::from_secs(15 * 60))?,
            password_hash_wait: src.duration("WENJI_PASSWORD_HASH_WAIT", Duration::from_secs(2))?,
            receipt_keys: src.get("WENJI_RECEIPT_KEYS").map(str::to_string).filter(|k| !k.is_empty()),
            metrics_token: src.get("WENJI_METRICS_TOKEN").map(str::to_string).filter(|t| !t.is_empty()),
            register_max_per_address: src.parse("WENJI_REGISTER_MAX_PER_ADDRESS", 10)?,
            register_window: src.duration("WENJI_REGISTER_WINDOW", Duration::from_secs(3600))?,
            frontend_dir,
            max_db_connections: src.parse("WENJI_MAX_DB_CONNECTIONS", 8)?,
            comment_max_per_address: src.parse("WENJI_COMMENT_MAX_PER_ADDRESS", 30)?,
            comment_max_per_account: src.parse("WENJI_COMMENT_MAX_PER_ACCOUNT", 20)?,
            comment_window: src.duration("WENJI_COMMENT_WINDOW", Duration::from_secs(10 * 60))?,
            signup_max_per_address: src.parse("WENJI_SIGNUP_MAX_PER_ADDRESS", 20)?,
            signup_window: src.duration("WENJI_SIGNUP_WINDOW", Duration::from_secs(10 * 60))?,
            public_cache_ttl: Duration::from_millis(src.parse("WENJI_PUBLIC_CACHE_MS", 1000)?),
            statistics_cache_ttl: Duration::from_millis(src.parse("WENJI_STATISTICS_CACHE_MS", 5000)?),
            window_sweep_interval: src.duration("WENJI_WINDOW_SWEEP_INTERVAL", Duration::from_secs(30))?,
            smtp_url,
            mail_from,
            outbox_interval: src.duration("WENJI_OUTBOX_INTERVAL", Duration::from_secs(5))?,
        })
    }

    pub fn signup_limit(&self) -> crate::kernel::signups::AddressLimit {
        crate::kernel::signups::AddressLimit {
            purpose: crate::kernel::rate_limit::Purpose::SignupAddress,
            max: self.signup_max_per_address,
            window: self.signup_window,
        }
    }

    /// Reports on catalogue items: limited per address like comments.
    pub fn disclosure_report_limit(&self) -> crate::kernel::signups::AddressLimit {
        crate::kernel::signups::AddressLimit {
            purpose: crate::kernel::rate_limit::Purpose::DisclosureReportAddress,
            max: self.comment_max_per_address,
            window: self.comment_window,
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_use_sqlite_under_data_dir() {
        let c = Config::from_map(&env(&[])).unwrap();
        assert!(c.database_url.starts_with("sqlite://./data/wenji.db"));
        assert_eq!(c.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(c.session_ttl, Duration::from_secs(43200));
    }

    #[test]
    fn errors_name_the_variable() {
        let e = Config::from_map(&env(&[("WENJI_LISTEN", "nowhere")])).unwrap_err();
        assert_eq!(e.variable, "WENJI_LISTEN");
        let e = Config::from_map(&env(&[("WENJI_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert_eq!(e.variable, "WENJI_DATABASE_URL");
        let e = Config::from_map(&env(&[("WENJI_EMBED_HOSTS", "live.example.cn; script-src *")])).unwrap_err();
        assert_eq!(e.variable, "WENJI_EMBED_HOSTS");
        let e = Config::from_map(&env(&[("WENJI_SESSION_TTL", "soon")])).unwrap_err();
        assert_eq!(e.variable, "WENJI_SESSION_TTL");
        let e = Config::from_map(&env(&[("WENJI_TRUSTED_PROXIES", "10.0.0.0/8, lb.internal")])).unwrap_err();
        assert_eq!(e.variable, "WENJI_TRUSTED_PROXIES");
        let e = Config::from_map(&env(&[("WENJI_TRUST_PROXY", "true")])).unwrap_err();
        assert_eq!(e.variable, "WENJI_TRUST_PROXY");
        let e = Config::from_map(&env(&[("WENJI_SMTP_URL", "mail.example.cn:25")])).unwrap_err();
        assert_eq!(e.variable, "WENJI_SMTP_URL");
        let e = Config::from_map(&env(&[("WENJI_MAIL_FROM", "noreply")])).unwrap_err();
        assert_eq!(e.variable, "WENJI_MAIL_FROM");
    }

    #[test]
    fn mail() {
        let c = Config::from_map(&env(&[])).unwrap();
        assert_eq!((c.smtp_url, c.mail_from.as_str()), (None, "noreply@wenji.local"));
        assert_eq!(c.outbox_interval, Duration::from_secs(5));
        let c = Config::from_map(&env(&[
            ("WENJI_SMTP_URL", "smtps://user:p%40ss@smtp.example.cn"),
            ("WENJI_MAIL_FROM", "问计平台 <noreply@example.cn>"),
            ("WENJI_OUTBOX_INTERVAL", "1m"),
        ]))
        .unwrap();
        assert_eq!(c.smtp_url.as_deref(), Some("smtps://user:p%40ss@smtp.example.cn"));
        assert_eq!(c.outbox_interval, Duration::from_secs(60));
        assert!(Config::from_map(&env(&[("WENJI_SMTP_URL", "smtp://127.0.0.1:2525")])).is_ok());
    }

    #[test]
    fn trusted_proxies() {
        let c = Config::from_map(&env(&[("WENJI_TRUSTED_PROXIES", "10.0.0.0/8, ::1")])).unwrap();
        assert_eq!(c.trusted_proxies.iter().map(ToString::to_string).collect::<Vec<_>>(), ["10.0.0.0/8", "::1/128"]);
        assert!(Config::from_map(&env(&[])).unwrap().trusted_proxies.is_empty());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("2d"), Some(Duration::from_secs(172800)));
        assert_eq!(parse_duration("0s"), None);
        assert_eq!(parse_duration("5w"), None);
        assert_eq!(parse_duration("99999999999999999999d"), None);
    }
}
