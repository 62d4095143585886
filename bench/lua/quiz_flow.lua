-- The quiz flow through the JSON API, one virtual student per wrk thread (the harness runs
-- wrk with as many threads as connections, so a thread's state is one connection's state):
-- start an attempt, save every answer, submit, then the next student and quiz.
-- Flow file lines: header: value|header: value <TAB> assignment id <TAB> qid=json<US>qid=json...
local flows_list = {}
local position = 0
local step = 0
local flow = nil
local attempt_id = nil
local stride = 1

flows = 0

local function split(text, separator)
  local parts = {}
  for piece in (text .. separator):gmatch("(.-)" .. separator) do table.insert(parts, piece) end
  return parts
end

function init(args)
  local file = assert(io.open(args[1]))
  for line in file:lines() do
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
    table.insert(flows_list, {headers = headers, assignment = fields[2], answers = answers})
  end
  file:close()
  -- Thread t takes flows t, t + T, t + 2T, ...: no two threads share a student's quiz.
  stride = tonumber(args[2])
  position = tonumber(args[3] or "0") + (id or 0) + 1 - stride
end

local function next_flow()
  position = position + stride
  flow = flows_list[position]
  step = 0
  attempt_id = nil
end

function request()
  if flow == nil or step > #flow.answers + 1 then next_flow() end
  if flow == nil then
    -- Out of prepared quizzes: ask for something harmless and count it as an error.
    return wrk.format("GET", "/api/v1/flows-exhausted")
  end
  if step == 0 then
    return wrk.format("POST", "/api/v1/assignments/" .. flow.assignment .. "/attempts", flow.headers, "")
  end
  if attempt_id == nil then
    step = #flow.answers + 2
    return wrk.format("GET", "/api/v1/attempt-not-started")
  end
  if step <= #flow.answers then
    local answer = flow.answers[step]
    return wrk.format("PUT", "/api/v1/attempts/" .. attempt_id .. "/answers/" .. answer.question,
      flow.headers, answer.body)
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
  elseif flow ~= nil and step == #flow.answers + 1 then
    count_status(status, {[200] = true})
    if status == 200 then flows = flows + 1 end
  else
    count_status(status, {[200] = true})
  end
  step = step + 1
end
