-- wrk: spread requests over the catalog with the filters readers use.
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
local i = 0
request = function()
  i = i + 1
  local path = paths[(i % #paths) + 1]
  if i % 3 == 0 then
    return wrk.format("GET", path, { ["HX-Request"] = "true", ["HX-Target"] = "results" })
  end
  return wrk.format("GET", path)
end
