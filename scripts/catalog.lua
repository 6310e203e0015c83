-- wrk: spread requests over the catalog with the filters readers use, pages and htmx fragments,
-- and every Nth request (N = the script's argument, 5 by default, 0 for none) a search nobody
-- made before: a page-cache miss, rendered afresh.
local paths = {
  "/en/features/",
  "/en/features/?status=ga",
  "/en/features/?status=public-preview",
  "/en/features/?status=ga&status=preview",
  "/en/features/?area=fleet",
  "/en/features/?area=networking&status=ga",
  "/en/features/?session=brk120",
  "/en/features/?q=dns",
  "/en/features/?q=namespace&sort=name",
  "/en/features/?sort=-updated",
  "/ja/features/?status=ga",
  "/ja/features/?q=%E5%90%8D%E5%89%8D%E8%A7%A3%E6%B1%BA",
  "/en/features/?status=bogus",
  "/en/features/?page=99",
}
local threads = {}
local i = 0

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  miss_every = tonumber(args[1] or "5")
end

request = function()
  i = i + 1
  local path = paths[(i % #paths) + 1]
  if miss_every > 0 and i % miss_every == 0 then
    path = string.format("/en/features/?q=cluster+t%d-%d", id, i)
  end
  if i % 3 == 0 then
    return wrk.format("GET", path, { ["HX-Request"] = "true", ["HX-Target"] = "results" })
  end
  return wrk.format("GET", path)
end

-- Anything but a 200 counts against the run: a redirect or an error page is not a catalog.
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
