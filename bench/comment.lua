-- POSTs a new comment each request (the counter keeps texts apart within a thread).
counter = 0
request = function()
  counter = counter + 1
  local body = '{"body":"压力测试意见第' .. counter .. '号：建议在小区周边增设养老服务站，方便老年人就近获得助餐服务。","category":"individual"}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
