-- wrk script for scripts/bench: POSTs one SOAP request per call, optionally
-- with a fresh WS-Security UsernameToken PasswordDigest (new nonce each time,
-- so a server that rejects replayed nonces sees no replay).
--   wrk ... -s scripts/bench.lua URL -- BODY_FILE auth|noauth keepalive|close [USER PASS]
-- BODY_FILE holds the whole envelope with "@TOKEN@" where the Security header
-- goes. done() prints one line "BENCH {json}" that scripts/bench parses.
-- SHA-1 and Base64 are written out here because wrk's LuaJIT has neither;
-- scripts/bench checks this SHA-1 against Python's before it trusts it.
local bit = require("bit")
local band, bor, bxor, bnot, rol, lshift, rshift, tobit =
  bit.band, bit.bor, bit.bxor, bit.bnot, bit.rol, bit.lshift, bit.rshift, bit.tobit
local byte, char, rep, sub, format = string.byte, string.char, string.rep, string.sub, string.format

local function be32(h)
  return char(band(rshift(h, 24), 255), band(rshift(h, 16), 255), band(rshift(h, 8), 255), band(h, 255))
end

function sha1(msg)
  local h0, h1, h2, h3, h4 = tobit(0x67452301), tobit(0xEFCDAB89), tobit(0x98BADCFE), tobit(0x10325476), tobit(0xC3D2E1F0)
  local ml = #msg
  -- Padding: 0x80, zeros to 56 mod 64, then the bit length (64-bit big endian;
  -- our messages are far below 2^32 bits).
  msg = msg .. "\128" .. rep("\0", (55 - ml) % 64) .. "\0\0\0\0" .. be32(ml * 8)
  local w = {}
  for chunk = 1, #msg, 64 do
    for i = 0, 15 do
      local a, b, c, d = byte(msg, chunk + i * 4, chunk + i * 4 + 3)
      w[i] = bor(lshift(a, 24), lshift(b, 16), lshift(c, 8), d)
    end
    for i = 16, 79 do
      w[i] = rol(bxor(w[i - 3], w[i - 8], w[i - 14], w[i - 16]), 1)
    end
    local a, b, c, d, e = h0, h1, h2, h3, h4
    for i = 0, 79 do
      local f, k
      if i < 20 then
        f = bor(band(b, c), band(bnot(b), d)); k = 0x5A827999
      elseif i < 40 then
        f = bxor(b, c, d); k = 0x6ED9EBA1
      elseif i < 60 then
        f = bor(band(b, c), band(b, d), band(c, d)); k = 0x8F1BBCDC
      else
        f = bxor(b, c, d); k = 0xCA62C1D6
      end
      local t = tobit(rol(a, 5) + f + e + k + w[i])
      e = d; d = c; c = rol(b, 30); b = a; a = t
    end
    h0 = tobit(h0 + a); h1 = tobit(h1 + b); h2 = tobit(h2 + c); h3 = tobit(h3 + d); h4 = tobit(h4 + e)
  end
  return be32(h0) .. be32(h1) .. be32(h2) .. be32(h3) .. be32(h4)
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = byte(s, i, i + 2)
    local n = lshift(a, 16) + lshift(b or 0, 8) + (c or 0)
    local q1, q2, q3, q4 = rshift(n, 18) + 1, band(rshift(n, 12), 63) + 1, band(rshift(n, 6), 63) + 1, band(n, 63) + 1
    out[#out + 1] = sub(B64, q1, q1) .. sub(B64, q2, q2) ..
      (b and sub(B64, q3, q3) or "=") .. (c and sub(B64, q4, q4) or "=")
  end
  return table.concat(out)
end

local WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
local WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
local PROFILE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0"
local MESSAGE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0"

function token(user, password, nonce, created)
  local digest = base64(sha1(nonce .. created .. password))
  return '<wsse:Security xmlns:wsse="' .. WSSE .. '" xmlns:wsu="' .. WSU .. '"><wsse:UsernameToken>' ..
    "<wsse:Username>" .. user .. "</wsse:Username>" ..
    '<wsse:Password Type="' .. PROFILE .. '#PasswordDigest">' .. digest .. "</wsse:Password>" ..
    '<wsse:Nonce EncodingType="' .. MESSAGE .. '#Base64Binary">' .. base64(nonce) .. "</wsse:Nonce>" ..
    "<wsu:Created>" .. created .. "</wsu:Created></wsse:UsernameToken></wsse:Security>"
end

local prefix, suffix, auth, user, password
local counter = 0
local fixed_request
local threads_started = 0

function setup(thread)
  threads_started = threads_started + 1
  thread:set("id", threads_started)
end

-- `-- selftest`: prints digests of known strings for scripts/bench to compare.
local SELFTEST = { "abc", string.rep("0123456789", 13), "" }

function init(args)
  thread_id = id or 0
  math.randomseed(os.time() * 1000 + thread_id)
  if args[1] == "selftest" then
    local out = {}
    for _, s in ipairs(SELFTEST) do out[#out + 1] = base64(sha1(s)) end
    io.write("SELFTEST " .. table.concat(out, " ") .. "\n")
    wrk.method = "GET"
    return
  end
  local f = assert(io.open(args[1], "rb"))
  local text = f:read("*a")
  f:close()
  local at = string.find(text, "@TOKEN@", 1, true)
  prefix, suffix = sub(text, 1, at - 1), sub(text, at + 7)
  auth = args[2] == "auth"
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/soap+xml; charset=utf-8"
  if args[3] == "close" then wrk.headers["Connection"] = "close" end
  user, password = args[4] or "admin", args[5] or "admin"
  if not auth then fixed_request = wrk.format(nil, nil, nil, prefix .. suffix) end
end

function request()
  if not prefix then return wrk.format() end
  if not auth then return fixed_request end
  counter = counter + 1
  -- 16 nonce bytes: thread id, counter, and randomness; unique per request.
  local nonce = be32(thread_id) .. be32(counter) .. be32(math.random(0, 2 ^ 31)) .. be32(math.random(0, 2 ^ 31))
  local created = os.date("!%Y-%m-%dT%H:%M:%SZ")
  return wrk.format(nil, nil, nil, prefix .. token(user, password, nonce, created) .. suffix)
end

function done(summary, latency, requests)
  io.write(format('BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
