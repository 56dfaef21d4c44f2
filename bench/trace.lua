-- wrk: GET /v1/relatorios/rastreabilidade/{codigo}?direcao=ambos of a random lot of the
-- 1,000,000 (bench/trace-load.sql codes B0000001..B1000000). TOKEN comes from the environment.
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  math.randomseed(os.time() * 1000 + tid)
  token = os.getenv("TOKEN")
end
request = function()
  local path = string.format("/v1/relatorios/rastreabilidade/B%07d?direcao=ambos", math.random(1, 1000000))
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. token})
end
function done(summary, latency, requests)
  io.write(string.format("PERCENTILES %d %d %d %d %d\n", latency:percentile(50), latency:percentile(95),
    latency:percentile(99), summary.requests, summary.errors.status))
end
