//! Prometheus text metrics: requests by operation and status, latency, DB pool state.
//! Labels are operation ids (a fixed set), never raw paths, so cardinality stays bounded.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Duration;

use crate::db::PoolState;

const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0];

#[derive(Default)]
struct Latency {
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, &'static str, u16), u64>>,
    latency: Mutex<BTreeMap<&'static str, Latency>>,
}

impl Metrics {
    /// Labels are `'static`: only fixed sets (operation ids, method names) can be recorded.
    pub fn record(&self, operation: &'static str, method: &'static str, status: u16, elapsed: Duration) {
        if let Ok(mut r) = self.requests.lock() {
            *r.entry((operation, method, status)).or_default() += 1;
        }
        if let Ok(mut l) = self.latency.lock() {
            let entry = l.entry(operation).or_default();
            let secs = elapsed.as_secs_f64();
            for (i, le) in BUCKETS.iter().enumerate() {
                if secs <= *le {
                    entry.buckets[i] += 1;
                }
            }
            entry.count += 1;
            entry.sum += secs;
        }
    }

    pub fn render(&self, pool: PoolState) -> String {
        let mut out = String::new();
        out.push_str("# HELP wenji_http_requests_total HTTP requests by operation, method and status.\n");
        out.push_str("# TYPE wenji_http_requests_total counter\n");
        if let Ok(r) = self.requests.lock() {
            for ((op, method, status), n) in r.iter() {
                let _ = writeln!(
                    out,
                    "wenji_http_requests_total{{operation=\"{op}\",method=\"{method}\",status=\"{status}\"}} {n}"
                );
            }
        }
        out.push_str("# HELP wenji_http_request_duration_seconds Time to answer a request.\n");
        out.push_str("# TYPE wenji_http_request_duration_seconds histogram\n");
        if let Ok(l) = self.latency.lock() {
            for (op, lat) in l.iter() {
                for (i, le) in BUCKETS.iter().enumerate() {
                    let _ = writeln!(
                        out,
                        "wenji_http_request_duration_seconds_bucket{{operation=\"{op}\",le=\"{le}\"}} {}",
                        lat.buckets[i]
                    );
                }
                let _ = writeln!(
                    out,
                    "wenji_http_request_duration_seconds_bucket{{operation=\"{op}\",le=\"+Inf\"}} {}",
                    lat.count
                );
                let _ = writeln!(out, "wenji_http_request_duration_seconds_sum{{operation=\"{op}\"}} {}", lat.sum);
                let _ = writeln!(out, "wenji_http_request_duration_seconds_count{{operation=\"{op}\"}} {}", lat.count);
            }
        }
        out.push_str("# HELP wenji_db_pool_connections Database pool connections by state.\n");
        out.push_str("# TYPE wenji_db_pool_connections gauge\n");
        let _ = writeln!(out, "wenji_db_pool_connections{{state=\"open\"}} {}", pool.size);
        let _ = writeln!(out, "wenji_db_pool_connections{{state=\"idle\"}} {}", pool.idle);
        let _ = writeln!(out, "wenji_db_pool_connections{{state=\"in_use\"}} {}", pool.size.saturating_sub(pool.idle));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_histograms() {
        let m = Metrics::default();
        m.record("login", "POST", 200, Duration::from_millis(3));
        m.record("login", "POST", 200, Duration::from_millis(30));
        m.record("login", "POST", 401, Duration::from_millis(30));
        let text = m.render(PoolState { size: 3, idle: 1 });
        assert!(text.contains("wenji_http_requests_total{operation=\"login\",method=\"POST\",status=\"200\"} 2"));
        assert!(text.contains("wenji_http_request_duration_seconds_bucket{operation=\"login\",le=\"0.005\"} 1"));
        assert!(text.contains("wenji_http_request_duration_seconds_count{operation=\"login\"} 3"));
        assert!(text.contains("wenji_db_pool_connections{state=\"in_use\"} 2"));
    }
}
