-- Every request a different address (an ignored extra parameter), so that no page cache helps:
-- the figures of a cache miss.
-- Start from the clock so that two runs never ask for the same addresses.
local counter = (os.time() % 1000000) * 100000  -- small enough to print as an integer
request = function()
  counter = counter + 1
  local separator = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. separator .. "miss=" .. counter)
end
