-- wrk: POST /v1/bench/recebimentos with a fresh Idempotency-Key per request.
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  n = 0
  math.randomseed(os.time() + tid)
  salt = math.random(1, 1000000000)
end
request = function()
  n = n + 1
  return wrk.format("POST", "/v1/bench/recebimentos",
    {["Content-Type"] = "application/json", ["Idempotency-Key"] = tid .. "-" .. salt .. "-" .. n},
    '{"material":"MP-001","quantidade":12.5,"lote_fornecedor":"F-2026-0001"}')
end
