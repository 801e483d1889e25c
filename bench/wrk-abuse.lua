-- wrk script (bench/login-abuse.sh): an attacker's requests, counted by answer.
--   ABUSE=login  POST /api/v1/login with a wrong password for one account, a
--                fresh `Bearer junk-N` header each time (the header once chose
--                the rate limiter's key)
--   ABUSE=token  GET /api/v1/steps with a known token's lookup and a guessed secret
local threads = {}
local counter = 0
local mode = os.getenv("ABUSE") or "login"
local lookup = os.getenv("LOOKUP") or "0000000000000000"

function setup(thread)
  table.insert(threads, thread)
  thread:set("statuses", {})
end

function init(args)
  statuses = {}
end

function request()
  counter = counter + 1
  if mode == "token" then
    wrk.headers["authorization"] = string.format("Bearer truce_%s_guess%032d", lookup, counter)
    return wrk.format("GET", "/api/v1/steps")
  end
  wrk.headers["authorization"] = "Bearer junk-" .. counter
  wrk.headers["content-type"] = "application/json"
  return wrk.format("POST", "/api/v1/login", nil,
    string.format('{"name":"analyst","password":"guess %d"}', counter))
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do
      total[status] = (total[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(total) do
    table.insert(parts, string.format("%d=%d", status, n))
  end
  table.sort(parts)
  io.write(string.format("answers: %s\n", table.concat(parts, " ")))
end
