-- wrk script for vigil serve: POSTs small JSON posts to the path given to wrk, with the key in $VIGIL_KEY.
local texts = { "Lovely weather in Leeds", "new release from amaq just dropped, share it",
                "The council meets on Tuesday to discuss the new bus lanes.", "Great match last night, what a goal!" }
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("VIGIL_KEY")
request = function()
  n = n + 1
  local body = string.format('{"text":"%s %d","content_id":"wrk-%d"}', texts[(n % #texts) + 1], n, n)
  return wrk.format(nil, nil, nil, body)
end
done = function(summary, latency, requests)
  io.write(string.format("requests/s %.0f  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  errors %d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
