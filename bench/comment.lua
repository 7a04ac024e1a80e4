-- POSTs a new comment each request (thread and counter keep texts apart), then reports.
dofile("bench/report.lua")
local thread_no = 0
function setup(thread)
  thread_no = thread_no + 1
  thread:set("tid", thread_no)
end
counter = 0
request = function()
  counter = counter + 1
  local body = '{"body":"压力测试意见第' .. (tid or 0) .. '-' .. counter .. '号：建议在小区周边增设养老服务站，方便老年人就近获得助餐服务。","category":"individual"}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
