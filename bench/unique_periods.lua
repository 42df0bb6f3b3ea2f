-- Every request a different period (its end moves one day at a time, from 2030 on), so that
-- neither the page cache nor the cached figures help: the figures of a complete cache miss.
-- Start from the clock so that two runs never ask for the same periods.
local day = os.time() % 15000
local first = 1893456000  -- 2030-01-01T00:00:00Z
request = function()
  day = day + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "to=" .. os.date("!%Y-%m-%d", first + day * 86400))
end
