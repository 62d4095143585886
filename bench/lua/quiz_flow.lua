-- The quiz flow through the JSON API, one virtual student per wrk thread (the harness runs
-- wrk with as many threads as connections, so a thread's state is one connection's state):
-- start an attempt, save every answer, submit, then the next student and quiz.
-- Flow file lines: header: value|header: value <TAB> assignment id <TAB> qid=json<US>qid=json...
local flows_list = {}
local position = 0
local step = 0
local flow = nil
local attempt_id = nil
local started_body = ""
local stride = 1
local first = 0
local block = 1

flows = 0

local function split(text, separator)
  local parts = {}
  for piece in (text .. separator):gmatch("(.-)" .. separator) do table.insert(parts, piece) end
  return parts
end

local function parse(line)
  local fields = split(line, "\t")
  local headers = {["Content-Type"] = "application/json"}
  for _, header in ipairs(split(fields[1], "|")) do
    local name, value = header:match("^([^:]+):%s*(.*)$")
    headers[name] = value
  end
  local answers = {}
  for _, pair in ipairs(split(fields[3], "\31")) do
    local question, body = pair:match("^(%d+)=(.*)$")
    table.insert(answers, {question = question, body = body})
  end
  return {headers = headers, assignment = fields[2], answers = answers}
end

function init(args)
  -- Lines are parsed when a thread reaches them: at 100 threads, parsing every line in
  -- every thread would take longer than the run.
  local file = assert(io.open(args[1]))
  for line in file:lines() do table.insert(flows_list, line) end
  file:close()
  -- This run owns flows [first, first + block); thread t takes first + t, first + t + T, ...
  -- and starts over at its first flow when it has done them all (a retake: attempt 2, 3).
  stride = tonumber(args[2])
  first = tonumber(args[3])
  block = math.max(tonumber(args[4]), stride)
  position = nil
end

local function next_flow()
  local start = first + (id or 0) % block + 1
  if position == nil or position + stride >= first + block + 1 then
    position = start
  else
    position = position + stride
  end
  flow = parse(flows_list[(position - 1) % #flows_list + 1])
  step = 0
  attempt_id = nil
end

-- An ordering question's items go by keys of this attempt: read them from the started
-- attempt (the question's choices follow its id and kind) and send them in reverse order.
function ordering_body(question, items)
  local from = started_body:find('"id":%s*' .. question .. ',%s*"kind":%s*"ordering"')
  local keys = {}
  if from then
    local choices = started_body:find('"choices":%s*%[', from)
    for key in started_body:sub(choices or from):gmatch('"id":%s*(%d+)') do
      table.insert(keys, 1, key)
      if #keys == items then break end
    end
  end
  return '{"response":{"order":[' .. table.concat(keys, ",") .. ']}}'
end

function request()
  if flow == nil or step > #flow.answers + 1 then next_flow() end
  if step == 0 then
    return wrk.format("POST", "/api/v1/assignments/" .. flow.assignment .. "/attempts", flow.headers, "")
  end
  if attempt_id == nil then
    step = #flow.answers + 2
    return wrk.format("GET", "/api/v1/attempt-not-started")
  end
  if step <= #flow.answers then
    local answer = flow.answers[step]
    local body = answer.body
    local items = body:match("^@ORDER:(%d+)$")
    if items then body = ordering_body(answer.question, tonumber(items)) end
    return wrk.format("PUT", "/api/v1/attempts/" .. attempt_id .. "/answers/" .. answer.question,
      flow.headers, body)
  end
  local headers = {}
  for name, value in pairs(flow.headers) do headers[name] = value end
  headers["Idempotency-Key"] = "bench-" .. attempt_id
  return wrk.format("POST", "/api/v1/attempts/" .. attempt_id .. "/submit", headers, "")
end

function response(status, headers, body)
  if step == 0 then
    count_status(status, {[200] = true, [201] = true})
    attempt_id = body:match('"id"%s*:%s*(%d+)')
    started_body = body
  elseif flow ~= nil and step == #flow.answers + 1 then
    count_status(status, {[200] = true})
    if status == 200 then flows = flows + 1 end
  else
    count_status(status, {[200] = true})
  end
  step = step + 1
end
