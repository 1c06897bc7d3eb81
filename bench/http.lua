-- Request generator of bench/http.py (wrk 4): each request takes a random line of the paths
-- file and a random credential (an "Authorization: Bearer …" or a "Cookie: sessionid=…"
-- header), so 16 connections read different cases as different sessions. A `write_share`
-- of the requests (the mix) POSTs a random line of the bodies file to `write_path`.
--
--   wrk -s bench/http.lua http://127.0.0.1:PORT -- PATHS HEADERS [BODIES WRITE_PATH SHARE]
--
-- done() prints one line "BENCH_JSON {…}" that bench/http.py reads.

local counter = 0
local threads = {}

local function lines(path)
  local out = {}
  if path == nil or path == "" then
    return out
  end
  for line in io.lines(path) do
    if line ~= "" then
      out[#out + 1] = line
    end
  end
  return out
end

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  threads[#threads + 1] = thread
end

local paths, headers, bodies, write_path, write_share

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
  paths = lines(args[1])
  headers = lines(args[2])
  bodies = lines(args[3])
  write_path = args[4]
  write_share = tonumber(args[5] or "0") or 0
  writes = 0
end

local function header_table()
  local h = {}
  if #headers > 0 then
    local line = headers[math.random(#headers)]
    local name, value = line:match("^([^:]+):%s*(.*)$")
    h[name] = value
  end
  return h
end

function request()
  local h = header_table()
  if write_share > 0 and math.random() < write_share then
    writes = writes + 1
    h["Content-Type"] = "application/json"
    return wrk.format("POST", write_path, h, bodies[math.random(#bodies)])
  end
  return wrk.format("GET", paths[math.random(#paths)], h)
end

function done(summary, latency, requests)
  local w = 0
  for _, t in ipairs(threads) do
    w = w + (t:get("writes") or 0)
  end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.3f, "p99_ms": %.3f, '
      .. '"mean_ms": %.3f, "writes": %d, "http_errors": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.mean / 1000, w, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
  ))
end
