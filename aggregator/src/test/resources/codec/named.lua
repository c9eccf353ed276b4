-- For tests (ProductCodecIT), appended after product_codec.lua in one script: slots keyed by their stored
-- bytes (slot_key) read back as "device|location", the way JSON values named them.
-- Per device table: a shape's index -> {the shape as a string.format pattern ('%s' per run), a
-- string.match pattern splitting the digits into its runs, the string.format pattern of all its digits}
local shape_fmts = {}
local function shape_format(devix, ix)
  local fmts = shape_fmts[devix]
  if not fmts then
    fmts = {}
    shape_fmts[devix] = fmts
  end
  local f = fmts[ix]
  if f then return f end
  local width, runs = 0, {}
  local pattern = string.gsub(string.gsub(string.sub(device_name(devix, ix), 2), '%%', '%%%%'), '[\1-\9]',
    function(w)
      width = width + string.byte(w)
      runs[#runs + 1] = '(' .. string.rep('%d', string.byte(w)) .. ')'
      return '%s'
    end)
  f = {pattern, '^' .. table.concat(runs) .. '$', '%0' .. width .. 'd'}
  fmts[ix] = f
  return f
end
-- the device and location of a slot's key
local function slot_name(devix, key)
  local b = bytes_of(key)
  local ix, code, i = nil, nil, 1
  ix, i = get_uint(b, i)
  code, i = get_uint(b, i)
  local loc
  if code % 2 == 0 then
    loc = sub(key, i, i + code / 2 - 1)
  else
    local fmt, digits = shape_format(devix, (code - 1) / 2), nil
    digits, i = get_uint(b, i)
    loc = string.format(fmt[1], string.match(string.format(fmt[3], digits), fmt[2]))
  end
  return device_name(devix, ix), loc
end
local function named(p, devix)
  local s = {}
  for k, v in pairs(p.s or {}) do
    local name, loc = slot_name(devix, k)
    s[name .. '|' .. loc] = v
  end
  p.s = s
  return p
end
