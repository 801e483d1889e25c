-- wrk script: POST a monitor's report with a new idempotency key each time
-- (bench/server.sh). Each wrk thread numbers its own requests.
local thread_id = 0
local counter = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

function init(args)
  counter = 0
  prefix = string.format("bench-%d-%d-", id or 0, os.time())
end

local body = '{"date":"2016-09-20","lat":36.2021,"lon":37.1343,"location_precision":"exact",' ..
  '"place":"Urum al-Kubra","kind":"air-strike",' ..
  '"actors":[{"name":"Military Forces of Russia (2000-) Air Force","role":"initiator"}],' ..
  '"casualties":{"low":10,"best":12,"high":20},"text":"load test"}'

function request()
  counter = counter + 1
  wrk.headers["idempotency-key"] = prefix .. counter
  wrk.headers["content-type"] = "application/json"
  return wrk.format("POST", "/api/v1/reports", nil, body)
end
