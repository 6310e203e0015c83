-- wrk: cycle through the paths given after `--` (one path: the same page every time), and count
-- the answers that are not a 200 (wrk itself only counts 4xx and 5xx): a redirect is no page.
-- Each request accepts gzip, as every browser's does (BENCH_GZIP=0 to ask for plain bytes).
local threads = {}
local headers = {}
if os.getenv("BENCH_GZIP") ~= "0" then
  headers["Accept-Encoding"] = "gzip"
end
local paths = {}
local i = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  not_ok = 0
  i = 0
end

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end

response = function(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not_ok")
  end
  io.write(string.format("Responses other than 200: %d\n", total))
end
