-- ts.h5: files, groups, datasets, attributes, hyperslabs, streaming, save/load
-- and the errors (missing file, wrong mode, missing dataset or attribute,
-- shape mismatch, corrupt and truncated files), which must print nothing on
-- stderr.
local ts = require "tessera"

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

local temps = {}
local function temp(suffix)
  local base = os.tmpname()
  os.remove(base)
  local path = base .. (suffix or ".h5")
  temps[#temps + 1] = path
  return path
end

local function same(a, b)
  assert.are.same(a.shape, b.shape)
  assert.are.equal(a.dtype, b.dtype)
  if a.size > 0 then assert.is_true(ts.eq(a, b):all()) end
end

describe("ts.h5", function()
  teardown(function()
    for _, p in ipairs(temps) do os.remove(p) end
  end)

  describe("files", function()
    it("opens in the five modes", function()
      local path = temp()
      assert.error_matches(function() ts.h5.open(path, "r") end,
        "h5.open: cannot open '" .. path:gsub("%p", "%%%0") .. "' for reading %(HDF5: .*No such file or directory")
      assert.error_matches(function() ts.h5.open(path, "r+") end, "No such file or directory")
      local f = ts.h5.open(path, "x")
      assert.are.equal("x", f.mode)
      assert.are.equal(path, f.filename)
      f:write("a", ts.ones(3))
      f:close()
      assert.error_matches(function() ts.h5.open(path, "x") end, "file exists", 1, true)
      f = ts.h5.open(path, "a")
      assert.are.same({"a"}, f:keys())
      f:write("b", ts.zeros(2))
      f:close()
      f = ts.h5.open(path, "r+")
      assert.are.same({"a", "b"}, f:keys())
      f:close()
      f = ts.h5.open(path, "w")
      assert.are.same({}, f:keys())
      f:close()
      f = ts.h5.open(path)  -- "r" by default
      assert.are.equal("r", f.mode)
      f:close()
      assert.error_matches(function() ts.h5.open(path, "rw") end, "unknown mode 'rw'", 1, true)
    end)

    it("refuses to write to a file opened for reading, with HDF5's reason", function()
      local path = temp()
      ts.h5.save(path, {x = ts.ones(3)})
      local f <close> = ts.h5.open(path, "r")
      assert.error_matches(function() f:write("y", ts.ones(2)) end, "write: cannot create dataset 'y' %(HDF5: .*no write intent")
      assert.error_matches(function() f.x:write(ts.zeros(3)) end, "no write intent")
      assert.error_matches(function() f.attrs.a = 1 end, "no write intent")
      assert.error_matches(function() f:create_group("g") end, "no write intent")
    end)

    it("closes idempotently, on <close> and on collection; closed files are errors", function()
      local path = temp()
      local d, g
      do
        local f <close> = ts.h5.open(path, "w")
        g = f:create_group("g")
        d = g:write("x", ts.arange(4))
        assert.is_true(f.is_open)
      end
      assert.error_matches(function() d:read() end, "read: file has been closed", 1, true)
      assert.error_matches(function() return d.shape end, "file has been closed", 1, true)
      assert.error_matches(function() g:keys() end, "keys: file has been closed", 1, true)
      assert.is_false(d.is_open)
      local f = ts.h5.open(path, "r")
      f:close()
      f:close()
      assert.error_matches(function() f:keys() end, "keys: file has been closed", 1, true)
      assert.error_matches(function() return f.x end, "file has been closed", 1, true)
      assert.are.equal("<closed HDF5 file>", tostring(f))
      -- A collected file closes: it can then be truncated ("w" fails on an open file).
      ts.h5.open(path, "r")
      collectgarbage()
      collectgarbage()
      ts.h5.open(path, "w"):close()
      -- A dataset keeps its file open after the file handle is gone.
      ts.h5.save(path, {x = ts.arange(5)})
      local x = ts.h5.open(path).x
      collectgarbage()
      collectgarbage()
      same(ts.arange(5), x:read())
      x:close()
      x:close()
      assert.error_matches(function() x:read() end, "dataset '/x' has been closed", 1, true)
    end)
  end)

  describe("groups", function()
    it("creates, lists, tests, moves and deletes", function()
      local f <close> = ts.h5.open(temp(), "w")
      local b = f:create_group("a/b")
      assert.are.equal("/a/b", b.name)
      assert.are.equal("<HDF5 group '/a/b'>", tostring(b))
      b:write("x", ts.ones(2))
      f:create_group("c")
      assert.are.same({"a", "c"}, f:keys())
      assert.are.equal(2, #f)
      assert.are.equal("/a/b", f["a/b"].name)
      assert.are.equal("/a/b", f:get("/a/b").name)
      assert.are.equal("/a/b/x", f.a.b.x.name)
      assert.is_true(f:exists("a/b/x"))
      assert.is_false(f:exists("a/q/x"))
      assert.is_false(f:exists("nope"))
      local seen = {}
      for name, obj in f:items() do seen[#seen + 1] = name .. "=" .. tostring(obj) end
      assert.are.same({"a=<HDF5 group '/a'>", "c=<HDF5 group '/c'>"}, seen)
      local n = 0
      for name in pairs(f.a) do n = n + 1; assert.are.equal("b", name) end
      assert.are.equal(1, n)
      f:move("a/b", "c/d/e")
      assert.is_false(f:exists("a/b"))
      same(ts.ones(2), f:read("c/d/e/x"))
      f:delete("c/d")
      assert.are.same({}, f.c:keys())
      assert.error_matches(function() f:delete("zzz") end, "delete: cannot delete 'zzz' from '/' %(HDF5: .*")
      assert.error_matches(function() return f.missing end,
        "index: no object 'missing' in '/' (HDF5: unable to open object: object 'missing' doesn't exist)", 1, true)
      assert.error_matches(function() f:get("a/zz") end, "doesn't exist", 1, true)
      assert.error_matches(function() f:create_group("c") end, "create_group: cannot create group 'c' %(HDF5: ")
    end)
  end)

  describe("datasets", function()
    it("are created with h5py's options and report them", function()
      local f <close> = ts.h5.open(temp(), "w")
      local d = f:create_dataset("d", {shape = {1000, 1000}, dtype = "float32", compression = "gzip",
                                       level = 6, shuffle = true, fillvalue = 2.5})
      assert.are.same({1000, 1000}, d.shape)
      assert.are.equal("float32", d.dtype)
      assert.are.equal(2, d.ndim)
      assert.are.equal(1000000, d.size)
      assert.are.same({63, 125}, {d.chunks[1], d.chunks[2]})  -- h5py: guess_chunk((1000, 1000), None, 4)
      assert.are.equal("gzip", d.compression)
      assert.are.equal(6, d.compression_opts)
      assert.is_true(d.shuffle)
      assert.are.equal(2.5, d.fillvalue)
      assert.are.equal(2.5, d[{1, 1}])
      local c = f:create_dataset("c", {shape = {10}})
      assert.are.equal(0, #c.chunks)
      assert.are.equal("contiguous", c.layout)
      assert.is_nil(c.compression)
      assert.is_false(c.shuffle)
      assert.are.equal("float64", c.dtype)
      local u = f:create_dataset("u", {shape = {0, 3}, maxshape = {nil, 3}})
      assert.are.same({math.huge, 3}, u.maxshape)
      assert.are.same({512, 2}, {u.chunks[1], u.chunks[2]})
      local e = f:create_dataset("e", {shape = {6}, chunks = {4}, compression = 9, dtype = "i32"})
      assert.are.same({4}, {e.chunks[1]})
      assert.are.equal(9, e.compression_opts)
      local w = f:create_dataset("w", {data = ts.arange(6):reshape(2, 3)})
      same(ts.arange(6):reshape(2, 3), w:read())
      assert.error_matches(function() f:create_dataset("bad", {shape = {3}, compression = "zstd"}) end,
        "unknown compression 'zstd'", 1, true)
      assert.error_matches(function() f:create_dataset("bad", {dtype = "f32"}) end, "the options need a shape (or data)", 1, true)
      assert.error_matches(function() f:create_dataset("bad", {shape = {3}, level = 11}) end, "0 to 9", 1, true)
      assert.error_matches(function() f:create_dataset("d", {shape = {3}}) end,
        "create_dataset: cannot create dataset 'd' %(HDF5: .*already exists")
      assert.error_matches(function() f:create_dataset("bad", {shape = {3}, maxshape = {2}}) end,
        "maxshape (2) is smaller than shape (3)", 1, true)
    end)

    it("round-trips every dtype, bool, scalars and strings", function()
      local f <close> = ts.h5.open(temp(), "w")
      for _, dt in ipairs({"bool", "uint8", "int32", "int64", "float32", "float64"}) do
        local a = (ts.arange(12) % 5):astype(dt):reshape(3, 4)
        local d = f:write(dt, a)
        assert.are.equal(dt, d.dtype)
        same(a, d:read())
      end
      f:write("i", 42)
      f:write("x", 1.5)
      f:write("t", true)
      assert.are.equal(42, f.i:read():totable())
      assert.are.equal(1.5, f:read("x"):totable())
      assert.are.equal(true, f.t:read():totable())
      f:write("s", "héllo wörld")
      f:write("l", {"a", "", "ccc"})
      assert.are.equal("héllo wörld", f.s:read())
      assert.are.equal("string", f.s.dtype)
      assert.are.same({"a", "", "ccc"}, f.l:read())
      assert.are.same({"", "ccc"}, f.l:read{{2, 3}})
      f.l:write({"x", "y", "z"})
      assert.are.same({"x", "y", "z"}, f.l:read())
      assert.error_matches(function() f.l:write({"x"}) end, "shape mismatch", 1, true)
      local empty = f:write("empty", ts.zeros(0, 3))
      assert.are.same({0, 3}, empty:read().shape)
    end)

    it("reads hyperslabs exactly as array slicing does", function()
      local f <close> = ts.h5.open(temp(), "w")
      local a = ts.arange(7 * 9 * 4):reshape(7, 9, 4)
      local plain = f:write("p", a)
      local chunked = f:write("c", a, {chunks = {3, 4, 2}, compression = "gzip", shuffle = true})
      math.randomseed(1234)
      local function range(n)
        local k = math.random(5)
        if k == 1 then return math.random(-n, n) ~= 0 and math.random(1, n) or -1 end
        if k == 2 then return ":" end
        local step = math.random(1, 3) * (k == 5 and -1 or 1)
        local first, last = math.random(-n, n), math.random(-n, n)
        if first == 0 then first = 1 end
        if last == 0 then last = -1 end
        return {first, last, step}
      end
      for _ = 1, 300 do
        local key = {}
        for i = 1, math.random(0, 3) do key[i] = range(a.shape[i]) end
        local expect = a[key]
        for _, d in ipairs({plain, chunked}) do
          local got = d:read(key)
          if type(expect) == "number" then
            assert.are.equal(expect, got)
          else
            same(expect, got)
            same(expect, d[key])
          end
        end
      end
      same(a[2], plain[2])
      same(a[-1], chunked:read(-1))
      assert.are.equal(a:get(7, 9, 4), chunked[{7, 9, 4}])
      assert.error_matches(function() plain:read{{1, 2}, 10} end,
        "read: index 10 out of range for dimension 2 of size 9", 1, true)
      assert.error_matches(function() plain:read{1, 1, 1, 1} end, "4 ranges given for a 3-d dataset", 1, true)
      assert.error_matches(function() plain:read{{1, 2, 0}} end, "step must not be zero", 1, true)
    end)

    it("writes into hyperslabs, broadcasting and converting", function()
      local f <close> = ts.h5.open(temp(), "w")
      local d = f:create_dataset("d", {shape = {4, 5}, dtype = "int32"})
      local m = ts.zeros({4, 5}, "int32")
      d:write(ts.arange(5), {2})
      m[2] = ts.arange(5)
      d[{{1, -1, 2}, {5, 1, -2}}] = ts.array({{1, 2, 3}, {4, 5, 6}})
      m[{{1, -1, 2}, {5, 1, -2}}] = ts.array({{1, 2, 3}, {4, 5, 6}})
      d[{4, ":"}] = 7
      m[{4, ":"}] = 7
      d:write(ts.full({1, 5}, 9.75), {{3, 3}})
      m[{{3, 3}}] = 9
      same(m, d:read())
      assert.error_matches(function() d:write(ts.ones(4), {1}) end,
        "write: cannot write dataset '/d': shape mismatch: cannot write an array of shape (4) into a selection of shape (5)",
        1, true)
      assert.error_matches(function() d:write(ts.ones(3, 3)) end, "shape mismatch", 1, true)
      assert.error_matches(function() d:write(1 << 40) end, "out of range for int32", 1, true)
    end)

    it("resizes and appends along the first axis", function()
      local f <close> = ts.h5.open(temp(), "w")
      local d = f:create_dataset("log", {shape = {0, 2}, maxshape = {nil, 2}, dtype = "int64",
                                         compression = "gzip"})
      d:append(ts.array({{1, 2}, {3, 4}}))
      d:append(ts.array({5, 6}))
      assert.are.same({3, 2}, d.shape)
      assert.are.equal(3, #d)
      same(ts.array({{1, 2}, {3, 4}, {5, 6}}), d:read())
      d:resize({5, 2})
      same(ts.array({{5, 6}, {0, 0}, {0, 0}}), d:read{{3, 5}})
      d:resize({1, 2})
      same(ts.array({{1, 2}}), d:read())
      assert.error_matches(function() d:append(ts.ones(3)) end,
        "append: cannot append to dataset '/log': shape mismatch: expected rows of shape (2), got an array of shape (3)",
        1, true)
      assert.error_matches(function() d:resize({2, 3}) end, "maxshape is (inf", 1, true)
      local fixed = f:write("fixed", ts.ones(3))
      assert.error_matches(function() fixed:append(ts.ones(1)) end, "cannot resize dataset '/fixed'")
    end)
  end)

  describe("attributes", function()
    it("hold numbers, booleans, strings, arrays and lists of strings", function()
      local path = temp()
      do
        local f <close> = ts.h5.open(path, "w")
        local d = f:write("d", ts.ones(2))
        f.attrs.title = "run 1"
        f.attrs.n = 3
        f.attrs.x = 0.5
        f.attrs.ok = true
        f.attrs.v = ts.linspace(0, 1, 3, "float32")
        f.attrs.names = {"a", "b"}
        d.attrs.units = "m/s"
        d.attrs.keys = 1  -- shadowed by the method: read with get
      end
      local f <close> = ts.h5.open(path)
      assert.are.equal("run 1", f.attrs.title)
      assert.are.equal(3, f.attrs.n)
      assert.is_true(math.type(f.attrs.n) == "integer")
      assert.are.equal(0.5, f.attrs.x)
      assert.are.equal(true, f.attrs.ok)
      same(ts.linspace(0, 1, 3, "float32"), f.attrs.v)
      assert.are.same({"a", "b"}, f.attrs.names)
      assert.are.same({"n", "names", "ok", "title", "v", "x"}, f.attrs:keys())
      assert.are.equal(6, #f.attrs)
      local seen = {}
      for k, v in pairs(f.attrs) do seen[k] = type(v) end
      assert.are.same({names = "table", n = "number", ok = "boolean", title = "string", v = "userdata",
                       x = "number"}, seen)
      assert.are.equal("m/s", f.d.attrs.units)
      assert.are.equal(1, f.d.attrs:get("keys"))
      assert.is_nil(f.attrs:get("missing"))
      assert.are.equal(7, f.attrs:get("missing", 7))
      assert.is_true(f.attrs:exists("n"))
      assert.is_false(f.attrs:exists("missing"))
      assert.error_matches(function() return f.attrs.missing end,
        "attrs: cannot read attribute 'missing' of '/' (HDF5: unable to open attribute: 'missing': can't locate attribute: 'missing')",
        1, true)
    end)

    it("are replaced and deleted", function()
      local f <close> = ts.h5.open(temp(), "w")
      f.attrs.a = 1
      f.attrs.a = "one"
      assert.are.equal("one", f.attrs.a)
      f.attrs.a = nil
      assert.is_false(f.attrs:exists("a"))
      f.attrs.b = 2
      f.attrs:delete("b")
      assert.error_matches(function() f.attrs:delete("b") end, "cannot delete attribute 'b' of '/' %(HDF5: ")
      assert.error_matches(function() f.attrs.t = {1, 2} end, "list of strings", 1, true)
      assert.error_matches(function() f.attrs.t = print end, "attribute values are numbers", 1, true)
    end)
  end)

  describe("save and load", function()
    it("round-trip a table of arrays, numbers and strings", function()
      local path = temp()
      local t = {a = ts.arange(6):reshape(2, 3), ["g/h/b"] = ts.ones(4, "float32"), n = 7, s = "text"}
      ts.h5.save(path, t, {compression = "gzip"})
      local back = ts.h5.load(path)
      same(t.a, back.a)
      same(t["g/h/b"], back["g/h/b"])
      assert.are.equal(7, back.n:totable())
      assert.are.equal("text", back.s)
      local f <close> = ts.h5.open(path)
      assert.are.equal("gzip", f.a.compression)
      -- Not the temporary file's private mode: a new file's usual permissions.
      local p = io.popen("stat -c %a " .. path .. " && sh -c umask")
      local mode, mask = p:read("l"), p:read("l")
      p:close()
      assert.are.equal(("%o"):format(tonumber("666", 8) & ~tonumber(mask, 8)), mode)
    end)

    it("never destroys the previous file when a save fails", function()
      local path = temp()
      ts.h5.save(path, {keep = ts.ones(3)})
      -- "x" is a dataset, so "x/y" cannot be made: the save fails half-way.
      assert.error_matches(function() ts.h5.save(path, {x = ts.ones(2), ["x/y"] = ts.ones(2)}) end,
        "h5.save: cannot create dataset 'x/y' (HDF5: ", 1, true)
      same(ts.ones(3), ts.h5.load(path).keep)
      local dir, base = path:match("^(.*)/([^/]*)$")
      local leftovers = run("ls -a " .. quote(dir) .. " | grep -F " .. quote("." .. base .. ".tmp-") .. " || true")
      assert.are.equal("", leftovers)
      assert.error_matches(function() ts.h5.save(path, {a = {}}) end, "expected an array, a number or a string", 1, true)
      assert.error_matches(function() ts.h5.save("/nonexistent/dir/x.h5", {a = ts.ones(1)}) end,
        "cannot create a temporary file next to '/nonexistent/dir/x.h5'", 1, true)
    end)
  end)

  describe("streaming", function()
    it("iterates in blocks of rows, with and without read-ahead", function()
      local f <close> = ts.h5.open(temp(), "w")
      local a = ts.arange(1000 * 3):reshape(1000, 3):astype("float64")
      local d = f:write("x", a, {chunks = {64, 3}})
      for _, prefetch in ipairs({true, false}) do
        local total, rows_seen, blocks = 0, 0, 0
        for block, rows in d:chunks{rows = 128, prefetch = prefetch} do
          local b <close> = block
          blocks = blocks + 1
          assert.are.equal(rows_seen + 1, rows[1])
          rows_seen = rows[2]
          same(a[{rows}], b)
          total = total + b:sum()
        end
        assert.are.equal(8, blocks)
        assert.are.equal(1000, rows_seen)
        assert.are.equal(a:sum(), total)
      end
      local n = 0
      for block in d:chunks() do n = n + block.shape[1] end  -- default rows: whole chunks
      assert.are.equal(1000, n)
      for _ in d:chunks{rows = 100} do break end  -- breaking out stops the read-ahead
      assert.error_matches(function() d:chunks{rows = 0} end, "rows must be at least 1", 1, true)
      local s = f:write("s", {"a"})
      assert.error_matches(function() s:chunks() end, "string", 1, true)
    end)
  end)

  describe("errors", function()
    it("corrupt and truncated files give HDF5's reason, and nothing on stderr", function()
      local good, corrupt, truncated = temp(), temp(), temp()
      ts.h5.save(good, {x = ts.arange(100000)})
      local fh = assert(io.open(corrupt, "wb"))
      fh:write(("not an hdf5 file "):rep(300))
      fh:close()
      local src = assert(io.open(good, "rb"))
      local bytes = src:read("a")
      src:close()
      fh = assert(io.open(truncated, "wb"))
      fh:write(bytes:sub(1, #bytes // 2))
      fh:close()
      assert.error_matches(function() ts.h5.open(corrupt) end, "(HDF5: unable to open file: file signature not found)", 1, true)
      assert.error_matches(function() ts.h5.open(truncated) end, "truncated file", 1, true)
      assert.error_matches(function() ts.h5.load(truncated) end, "h5.load: cannot open '.*' for reading %(HDF5: .*truncated file")
      if not tessera then return end
      -- The same errors in a child process: its stderr must stay empty.
      local script = temp(".lua")
      fh = assert(io.open(script, "w"))
      fh:write(([[
        local ok, e1 = pcall(ts.h5.open, %q)
        local ok2, e2 = pcall(ts.h5.open, %q)
        local ok3, e3 = pcall(ts.h5.open, "/nonexistent/none.h5")
        local f = ts.h5.open(%q)
        local ok4, e4 = pcall(function() return f.missing end)
        local ok5, e5 = pcall(function() return f.x.attrs.missing end)
        local ok6, e6 = pcall(function() f.x:write(ts.ones(3)) end)
        io.stdout:write(tostring(ok or ok2 or ok3 or ok4 or ok5 or ok6), "\n")
      ]]):format(corrupt, truncated, good))
      fh:close()
      local out, rc = run(quote(tessera) .. " " .. quote(script))
      assert.are.equal(0, rc)
      assert.are.equal("false\n", out)
    end)
  end)

  describe("help", function()
    it("documents the functions and methods", function()
      for _, fn in ipairs({ts.h5.open, ts.h5.save, ts.h5.load, ts.stats.online}) do
        assert.is_truthy(ts._help[fn])
      end
      local f <close> = ts.h5.open(temp(), "w")
      local d = f:write("x", ts.ones(2))
      for _, fn in ipairs({f.create_group, f.keys, f.items, f.exists, f.delete, f.move, f.create_dataset,
                           f.write, f.read, f.close, f.get, f.flush, d.read, d.write, d.resize, d.append,
                           d.len, d.close, f.attrs.keys, f.attrs.get, f.attrs.items, f.attrs.exists,
                           f.attrs.delete}) do
        assert.is_truthy(ts._help[fn])
      end
      assert.is_truthy(ts.help_text("h5.dataset.chunks"):find("d:chunks", 1, true))
      assert.is_truthy(ts.help_text(ts.h5.open):find("to-be-closed", 1, true))
    end)
  end)
end)
