-- ts.help, ts.help_text, ts.doc, ts.docs over the registry ts._help.
local ts = require "tessera"

-- Runs f with print captured; returns the printed text and f's result count.
local function capture(f)
  local lines, saved = {}, print
  _G.print = function(...)
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = tostring(parts[i]) end
    lines[#lines + 1] = table.concat(parts, "\t", 1, parts.n)
  end
  local ok, n = pcall(function() return select("#", f()) end)
  _G.print = saved
  if not ok then error(n, 0) end
  return table.concat(lines, "\n"), n
end

describe("help", function()
  it("shows the signature and docstring of a function", function()
    local e = ts._help[ts.zeros]
    assert.are.equal("ts.zeros(shape [, dtype])\n\n" .. e.doc, ts.help_text(ts.zeros))
    assert.truthy(#e.doc > 0)
  end)

  it("finds functions by name, with or without ts.", function()
    local text = ts.help_text(ts.zeros)
    assert.are.equal(text, ts.help_text("zeros"))
    assert.are.equal(text, ts.help_text("ts.zeros"))
  end)

  it("finds array methods by name", function()
    local text = ts.help_text("reshape")
    assert.are.equal(ts.help_text(ts._methods.reshape), text)
    assert.truthy(text:find("a:reshape(shape)", 1, true))
    assert.truthy(ts.help_text("get"):find("^a:get%(i, j, %.%.%.%)\n\n"))
    assert.are.equal(ts.help_text("get"), ts.help_text("a:get"))
  end)

  it("prints the text and returns nothing", function()
    local out, n = capture(function() return ts.help(ts.ones) end)
    assert.are.equal(ts.help_text(ts.ones), out)
    assert.are.equal(0, n)
  end)

  it("names the function in errors", function()
    assert.error_matches(function() ts.help("foo") end, "help: no documentation for 'foo'", 1, true)
    assert.error_matches(function() ts.help_text("foo") end, "help: no documentation for 'foo'", 1, true)
    assert.error_matches(function() ts.help(function() end) end,
                         "help: no documentation for this function", 1, true)
    assert.error_matches(function() ts.help(42) end, "help: expected a function or a name", 1, true)
  end)

  it("lists every documented function when called without argument", function()
    local out = capture(function() return ts.help() end)
    assert.are.equal(ts.help_text(), out)
    assert.truthy(out:find("Functions (ts.name):", 1, true))
    assert.truthy(out:find("Array methods (a:name(...)):", 1, true))
    assert.truthy(out:find("ts.zeros(shape [, dtype])", 1, true))
    assert.truthy(out:find("a:get(i, j, ...)", 1, true))
    assert.truthy(out:find("ts.help([f])", 1, true))
  end)

  it("registers Lua functions with ts.doc", function()
    local function twice(x) return 2 * x end
    assert.are.equal(twice, ts.doc(twice, "ts.twice(x)", "Twice x."))
    assert.are.equal("ts.twice(x)\n\nTwice x.", ts.help_text(twice))
    assert.are.equal("twice", ts._help[twice].name)
    assert.error_matches(function() ts.doc(1, "x", "y") end, "doc: expected a function", 1, true)
    assert.error_matches(function() ts.doc(twice, nil, "y") end, "doc: expected a signature", 1, true)
    assert.error_matches(function() ts.doc(twice, "x()", "") end, "doc: expected a docstring", 1, true)
  end)

  it("lists entries sorted by name with ts.docs", function()
    local list = ts.docs()
    assert.truthy(#list > 10)
    for i = 2, #list do assert.is_true(list[i - 1].name <= list[i].name) end
    local by_name = {}
    for _, e in ipairs(list) do
      assert.are.equal("string", type(e.signature))
      assert.are.equal("string", type(e.doc))
      assert.are.equal("function", type(e.fn))
      by_name[e.name] = e
    end
    assert.are.equal("function", by_name.zeros.kind)
    assert.are.equal("method", by_name.get.kind)
    assert.are.equal(ts.set_printoptions, by_name.set_printoptions.fn)
    assert.are.equal(ts._repl, by_name._repl.fn)
  end)

  it("documents every public function and method", function()
    local missing = {}
    for name, v in pairs(ts) do
      if type(v) == "function" and (not name:match("^_") or name == "_repl") and not ts._help[v] then
        missing[#missing + 1] = "ts." .. name
      end
    end
    for name, v in pairs(ts._methods) do
      if type(v) == "function" and not name:match("^_") and not ts._help[v] then
        missing[#missing + 1] = "a:" .. name
      end
    end
    table.sort(missing)
    assert.are.same({}, missing)
  end)
end)
