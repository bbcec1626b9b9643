-- wrk script of the benchmarks (bench/lib/load-generator.ts): GET requests rotating over the paths
-- given after `--`, and one JSON line of results at the end (percentiles in milliseconds).
local requests, i = {}, 0

function init(args)
  for _, path in ipairs(args) do
    requests[#requests + 1] = wrk.format('GET', path)
  end
end

function request()
  i = i + 1
  return requests[(i - 1) % #requests + 1]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    '\n{"requests":%d,"durationUs":%d,"non2xx":%d,"errors":%d,"p50":%.3f,"p95":%.3f,"p99":%.3f}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
