-- Round-robin over a file of prepared requests (one per line:
-- METHOD <TAB> PATH <TAB> header: value|header: value <TAB> body), each thread starting
-- at its own offset so that concurrent connections act as different users.

local requests_list = {}
local index = 0
local expected = {[200] = true}

local function split(text, separator)
  local parts = {}
  for piece in (text .. separator):gmatch("(.-)" .. separator) do table.insert(parts, piece) end
  return parts
end

function init(args)
  local file = assert(io.open(args[1]))
  for line in file:lines() do
    local fields = split(line, "\t")
    local headers = {}
    if fields[3] and fields[3] ~= "" then
      for _, header in ipairs(split(fields[3], "|")) do
        local name, value = header:match("^([^:]+):%s*(.*)$")
        headers[name] = value
      end
    end
    local body = fields[4] ~= "" and fields[4] or nil
    table.insert(requests_list, wrk.format(fields[1], fields[2], headers, body))
  end
  file:close()
  index = (id or 0) * 7919 % #requests_list
end

function request()
  index = index % #requests_list + 1
  return requests_list[index]
end

function response(status, headers, body)
  count_status(status, expected)
end
