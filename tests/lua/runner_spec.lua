-- The `tessera` executable: scripts, -e, stdin, errors and the prompt.
-- ctest sets TESSERA_BUILD to the build directory holding the binary.
local build = os.getenv("TESSERA_BUILD")
local tessera = build and (build .. "/tessera")

local function quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

-- Runs a shell command; returns its output (stdout and stderr) and exit code.
local function run(cmd)
  local p = assert(io.popen(cmd .. ' 2>&1; echo "rc=$?"'))
  local out = p:read("a")
  p:close()
  local body, rc = out:match("^(.*)rc=(%d+)\n$")
  return body, tonumber(rc)
end

local function write_temp(text)
  local path = os.tmpname()
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
  return path
end

local function feed(input, args)
  local path = write_temp(input)
  local out, rc = run(quote(tessera) .. " " .. (args or "") .. " < " .. quote(path))
  os.remove(path)
  return out, rc
end

local temps = {}
local function script(text)
  local path = write_temp(text)
  temps[#temps + 1] = path
  return path
end

describe("tessera runner", function()
  setup(function()
    assert(tessera, "TESSERA_BUILD is not set")
    assert(io.open(tessera, "r"), "no executable at " .. tessera):close()
  end)

  teardown(function()
    for _, p in ipairs(temps) do os.remove(p) end
  end)

  it("runs a script with arg and ... set", function()
    local path = script([[
      print(arg[0], arg[1], arg[2], #arg)
      print(select("#", ...), ...)
      print(ts.ones(2):get(1))
    ]])
    local out, rc = run(quote(tessera) .. " " .. quote(path) .. " a b")
    assert.are.equal(0, rc)
    assert.are.equal(path .. "\ta\tb\t2\n2\ta\tb\n1.0\n", out)
  end)

  it("runs -e chunks", function()
    local out, rc = run(quote(tessera) .. " -e 'print(1+1)'")
    assert.are.equal(0, rc)
    assert.are.equal("2\n", out)
    out, rc = run(quote(tessera) .. " -e 'x = 20' -e 'print(x + 1)'")
    assert.are.equal("21\n", out)
  end)

  it("reports a failing script with position and traceback", function()
    local path = script("local x = 1\nerror('boom')\n")
    local out, rc = run(quote(tessera) .. " " .. quote(path))
    assert.are_not.equal(0, rc)
    assert.truthy(out:find(path .. ":2: boom", 1, true))
    assert.truthy(out:find("stack traceback", 1, true))
  end)

  it("reports errors on stderr only", function()
    local path = script("error('boom')\n")
    local p = assert(io.popen(quote(tessera) .. " " .. quote(path) .. " 2>/dev/null"))
    local out = p:read("a")
    local ok = p:close()
    assert.are.equal("", out)
    assert.is_falsy(ok)
  end)

  it("reports a failing -e chunk", function()
    local out, rc = run(quote(tessera) .. " -e 'ts.zeros(-1)'")
    assert.are_not.equal(0, rc)
    assert.truthy(out:find("(command line):1:", 1, true))
  end)

  it("runs stdin with -", function()
    local out, rc = feed("print(ts.arange(3):get(3))\nprint(arg[0])\n", "- x")
    assert.are.equal(0, rc)
    assert.are.equal("3\n-\n", out)
  end)

  describe("prompt", function()
    it("prints expression values NumPy-style", function()
      local out, rc = feed("x = ts.ones(2)\nx * 3\n", "-i")
      assert.are.equal(0, rc)
      assert.are.equal("ts> ts> [3. 3.]\n[float64 array of shape (2)]\nts> \n", out)
    end)

    it("starts when stdin is not a terminal", function()
      local out, rc = feed("1 + 1\n")
      assert.are.equal(0, rc)
      assert.are.equal("ts> 2\nts> \n", out)
    end)

    it("continues incomplete chunks", function()
      local out = feed("for i=1,2 do\nprint(i)\nend\n")
      assert.are.equal("ts> >> >> 1\n2\nts> \n", out)
    end)

    it("keeps the last result in _", function()
      local out = feed("40 + 2\n_ + 1\n")
      assert.are.equal("ts> 42\nts> 43\nts> \n", out)
    end)

    it("suppresses printing after a trailing ;", function()
      local out = feed("ts.zeros(3);\n_.size\n")
      assert.are.equal("ts> ts> 3\nts> \n", out)
    end)

    it("prints several values and nil", function()
      local out = feed("1, 'a', nil\nundefined_name\n")
      assert.are.equal("ts> 1\ta\tnil\nts> nil\nts> \n", out)
    end)

    it("reports errors with a traceback and goes on", function()
      local out, rc = feed("error('boom')\nts.ones(2) + ts.ones(3)\nprint('still here')\n")
      assert.are.equal(0, rc)
      assert.truthy(out:find("stdin:1: boom", 1, true))
      assert.truthy(out:find("stack traceback", 1, true))
      assert.falsy(out:find("repl.lua", 1, true))
      assert.truthy(out:find("still here\n", 1, true))
    end)

    it("reports syntax errors and goes on", function()
      local out = feed("x = = 1\nprint('ok')\n")
      assert.truthy(out:find("stdin:1: unexpected symbol near '='", 1, true))
      assert.truthy(out:find("ok\n", 1, true))
    end)

    it("reports an incomplete chunk at end of input", function()
      local out, rc = feed("for i=1,2 do\n")
      assert.are.equal(0, rc)
      assert.truthy(out:find("'end' expected", 1, true))
    end)

    it("exits cleanly at end of input", function()
      local out, rc = feed("")
      assert.are.equal(0, rc)
      assert.are.equal("ts> \n", out)
    end)

    it("runs a script first with -i", function()
      local path = script("y = 5\n")
      local out, rc = feed("y * 2\n", "-i " .. quote(path))
      assert.are.equal(0, rc)
      assert.are.equal("ts> 10\nts> \n", out)
    end)
  end)
end)
