-- wrk script: cycles through the queries in the file named by the
-- QUERIES environment variable (one per line; JSONL lines use "question"),
-- requesting top-10 provisions from GET /api/v1/search.
-- Usage: QUERIES=../shared/eval/dev.jsonl wrk -t2 -c32 -d20s --latency -s bench/wrk-search.lua http://127.0.0.1:8080
local queries = {}

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local path = os.getenv("QUERIES") or "../shared/eval/dev.jsonl"
for line in io.lines(path) do
  local q = line:match('"question"%s*:%s*"(.-)"') or line
  if #q > 0 then table.insert(queries, "/api/v1/search?k=10&q=" .. urlencode(q)) end
end

local i = 0
request = function()
  i = i % #queries + 1
  return wrk.format("GET", queries[i])
end
