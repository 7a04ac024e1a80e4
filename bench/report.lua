-- Prints one machine-readable line at the end of a wrk run: requests/s, non-2xx answers and
-- the latency percentiles (µs) that wrk's own summary lacks (p99.9). Loaded by the scripts.
function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("WENJI_BENCH %.1f %d %d %d %d %d\n", summary.requests / seconds, bad,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), summary.requests))
end
