-- wrk: POST /v1/estoque/consumos of 1 kg of a random material, as Produção's service client,
-- with a fresh Idempotency-Key and op_id per request. TOKEN comes from the environment.
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
function init(args)
  n = 0
  math.randomseed(os.time() * 1000 + tid)
  salt = math.random(1, 1000000000)
  token = os.getenv("TOKEN")
end
local function uuid()
  return string.format("%08x-%04x-7%03x-8%03x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffffffffff))
end
request = function()
  n = n + 1
  local body = string.format('{"op_id":"%s","material":"MB-%04d","quantidade":1}', uuid(), math.random(1, 1000))
  return wrk.format("POST", "/v1/estoque/consumos",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token,
     ["Idempotency-Key"] = tid .. "-" .. salt .. "-" .. n}, body)
end
