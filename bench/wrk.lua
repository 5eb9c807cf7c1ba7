-- One benchmark scenario for wrk 4.x, configured through the environment:
--   BENCH_METHOD   GET (default) or POST
--   BENCH_PATH     path and query string (default: the path of the URL given to wrk)
--   BENCH_BODY     request body, sent as application/json
--   BENCH_COOKIES  file with one Cookie header value per line; requests rotate over them
-- done() writes a single "WRKJSON {...}" line that bench/loadgen.py parses.

local function env(name)
  local value = os.getenv(name)
  if value == nil or value == "" then return nil end
  return value
end

local method = env("BENCH_METHOD") or "GET"
local target = env("BENCH_PATH")
local body = env("BENCH_BODY")

local cookies = {}
local cookie_file = env("BENCH_COOKIES")
if cookie_file then
  for line in io.lines(cookie_file) do
    if line ~= "" then cookies[#cookies + 1] = line end
  end
end

-- setup() runs once per thread in the main Lua state: number the threads.
local next_index = 0
function setup(thread)
  thread:set("thread_index", next_index)
  next_index = next_index + 1
end

-- init() runs inside each thread: pre-format every request once.
local requests, cursor = {}, 1
function init(args)
  local base = { Host = wrk.headers["Host"] }
  if body then base["Content-Type"] = "application/json" end
  local path = target or wrk.path
  local values = #cookies > 0 and cookies or { false }
  for i, cookie in ipairs(values) do
    local headers = {}
    for k, v in pairs(base) do headers[k] = v end
    if cookie then headers["Cookie"] = cookie end
    requests[i] = wrk.format(method, path, headers, body)
  end
  -- spread the threads over different users: thread k starts at user (7k mod n)
  cursor = ((thread_index or 0) * 7) % #requests + 1
end

function request()
  local r = requests[cursor]
  cursor = cursor % #requests + 1
  return r
end

function done(summary, latency, _)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  io.write(string.format(
    'WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.1f,' ..
    '"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"max_ms":%.3f,"mean_ms":%.3f,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_timeout":%d,"err_status":%d}\n',
    summary.requests, summary.duration, summary.bytes, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    e.connect, e.read, e.write, e.timeout, e.status))
end
