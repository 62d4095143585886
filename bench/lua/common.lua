-- Shared by the bench's wrk scripts: per-thread status counting and a JSON summary.
-- A response that is not the expected status counts as an error, so that a page quietly
-- redirecting to the login form (an expired session) can never pass for a fast page.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

unexpected = 0
first_unexpected = ""

function count_status(status, expected)
  if not expected[status] then
    unexpected = unexpected + 1
    if first_unexpected == "" then first_unexpected = tostring(status) end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, ""
  local flows = 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("unexpected") or 0)
    flows = flows + (thread:get("flows") or 0)
    if first == "" then first = thread:get("first_unexpected") or "" end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, '
      .. '"max_us": %d, "mean_us": %.1f, "connect_errors": %d, "read_errors": %d, "write_errors": %d, '
      .. '"timeouts": %d, "non_2xx_3xx": %d, "unexpected_status": %d, "first_unexpected": "%s", "flows": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, latency.mean, e.connect, e.read, e.write, e.timeout, e.status,
    bad, first, flows))
end
