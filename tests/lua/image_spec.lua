-- ts.image: colormap lookups against matplotlib's published float tables
-- (bytes = trunc(255 * value), as matplotlib's cmap(x, bytes=True)), PNG round
-- trips of RGB, RGBA and colormapped arrays, layouts and errors.
local ts = require "tessera"
local h = require "helpers"
local I = ts.image

local tmp = os.tmpname()
os.remove(tmp)
local dir = tmp .. "_images"
os.execute("mkdir -p '" .. dir .. "'")
local function path(name) return dir .. "/" .. name end

local function byte(v) return math.floor(v * 255) end
-- Entries 0, 128, 255 of matplotlib 3.6's _viridis_data and 0, 127, 255 of _magma_data.
local viridis = { [0] = { 0.267004, 0.004874, 0.329415 }, [128] = { 0.127568, 0.566949, 0.550556 },
                  [255] = { 0.993248, 0.906157, 0.143936 } }
local magma = { [0] = { 0.001462, 0.000466, 0.013866 }, [127] = { 0.709962, 0.212797, 0.477201 },
                [255] = { 0.987053, 0.991438, 0.749504 } }

-- pixel (i, j) of an (h, w, c) uint8 array as a list
local function px(a, i, j)
  local t = {}
  for k = 1, a.shape[3] do t[k] = a:get(i, j, k) end
  return t
end

describe("ts.image.colorize", function()
  it("looks entries up as matplotlib does", function()
    -- x = k + 0.5 with vmin 0, vmax 256 selects entry floor(256 * x / 256) = k
    local a = ts.array { { 0.5, 128.5, 255.5 } }
    local p = I.colorize(a, { vmin = 0, vmax = 256 })
    assert.are.equal("uint8", p.dtype)
    assert.are.same({ 1, 3, 3 }, p.shape)
    for j, k in ipairs { 0, 128, 255 } do
      local e = viridis[k]
      assert.are.same({ byte(e[1]), byte(e[2]), byte(e[3]) }, px(p, 1, j))
    end
    local m = I.colorize(ts.array { { 0.5, 127.5, 255.5 } }, { cmap = "magma", vmin = 0, vmax = 256 })
    for j, k in ipairs { 0, 127, 255 } do
      local e = magma[k]
      assert.are.same({ byte(e[1]), byte(e[2]), byte(e[3]) }, px(m, 1, j))
    end
  end)

  it("maps gray through matplotlib's linear table", function()
    local row = {}
    for k = 1, 256 do row[k] = k - 0.5 end
    local p = I.colorize(ts.array { row }, { cmap = "gray", vmin = 0, vmax = 256 })
    for k = 0, 255 do
      -- matplotlib: lut = ((k * (1/255)) * 255) / 255, bytes = trunc(lut * 255)
      local v = math.floor((((k * (1 / 255)) * 255) / 255) * 255)
      assert.are.same({ v, v, v }, px(p, 1, k + 1), "entry " .. k)
    end
  end)

  it("defaults vmin and vmax to the data's range and clips outside it", function()
    local p = I.colorize(ts.array { { 2, 7 }, { 4.5, 3 } })  -- vmin 2, vmax 7
    local lo, hi = viridis[0], viridis[255]
    assert.are.same({ byte(lo[1]), byte(lo[2]), byte(lo[3]) }, px(p, 1, 1))
    assert.are.same({ byte(hi[1]), byte(hi[2]), byte(hi[3]) }, px(p, 1, 2))
    assert.are.same(px(p, 2, 1), px(I.colorize(ts.array { { 128.5 } }, { vmin = 0, vmax = 256 }), 1, 1))
    local c = I.colorize(ts.array { { -5, 50 } }, { vmin = 0, vmax = 10 })
    assert.are.same(px(p, 1, 1), px(c, 1, 1))
    assert.are.same(px(p, 1, 2), px(c, 1, 2))
    local flat = I.colorize(ts.full({ 2, 2 }, 3.0))  -- vmin == vmax: the first entry
    assert.are.same(px(p, 1, 1), px(flat, 2, 2))
  end)

  it("makes NaN transparent (RGBA) and reads any dtype and layout", function()
    local p = I.colorize(ts.array { { 0, 0 / 0 }, { 1, 0.5 } })
    assert.are.same({ 2, 2, 4 }, p.shape)
    assert.are.same({ 0, 0, 0, 0 }, px(p, 1, 2))
    assert.are.equal(255, p:get(1, 1, 4))
    local a = ts.arange(12):reshape(3, 4)
    local want = I.colorize(a:T():copy():astype("float64"))
    assert.is_true(I.colorize(a:T()):eq(want):all())
    assert.is_true(I.colorize(a:astype("uint8"):slice({ -1, 1, -1 })):eq(
      I.colorize(a:slice({ -1, 1, -1 }):copy())):all())
  end)

  it("raises on bad arguments", function()
    h.errors(function() I.colorize(ts.zeros(3)) end, "image.colorize: expected a 2-d real array")
    h.errors(function() I.colorize(ts.zeros(2, 2), { cmap = "jet" }) end, "unknown colormap 'jet'")
    h.errors(function() I.colorize(ts.zeros(2, 2), { cmap = 3 }) end, "expected a colormap name")
    h.errors(function() I.colorize(ts.zeros(2, 2), { vmin = "a" }) end, "expected a number for vmin")
    h.errors(function() I.colorize(ts.zeros(2, 2), { vmin = 2, vmax = 1 }) end,
             "vmin must not exceed vmax")
    h.errors(function() I.colorize(ts.zeros(2, 2), 5) end, "expected an options table")
  end)
end)

describe("ts.image.save and load", function()
  teardown(function() os.execute("rm -rf '" .. dir .. "'") end)

  it("round-trips RGB and RGBA uint8 arrays", function()
    local rnd = h.lcg(3)
    for _, ch in ipairs { 3, 4 } do
      local t = {}
      for i = 1, 5 do
        t[i] = {}
        for j = 1, 7 do
          t[i][j] = {}
          for k = 1, ch do t[i][j][k] = rnd(256) - 1 end
        end
      end
      local a = ts.array(t, "uint8")
      local f = path("rgb" .. ch .. ".png")
      assert.are.equal(f, I.save(f, a))
      local b = I.load(f)
      assert.are.equal("uint8", b.dtype)
      assert.are.same({ 5, 7, ch }, b.shape)
      assert.is_true(b:eq(a):all())
    end
  end)

  it("writes 2-d arrays through the colormap, row 1 at the top", function()
    local a = ts.linspace(0, 1, 6 * 9):reshape(6, 9)
    local f = path("cmap.png")
    I.save(f, a, { cmap = "inferno" })
    local b = I.load(f)
    assert.are.same({ 6, 9, 3 }, b.shape)
    assert.is_true(b:eq(I.colorize(a, { cmap = "inferno" })):all())
    local n = path("nan.png")
    I.save(n, ts.array { { 0 / 0, 1 }, { 2, 3 } })
    local c = I.load(n)
    assert.are.same({ 2, 2, 4 }, c.shape)
    assert.are.same({ 0, 0, 0, 0 }, px(c, 1, 1))
  end)

  it("writes strided and reversed pixel views", function()
    local a = ts.arange(4 * 6 * 3):reshape(4, 6, 3):astype("uint8")
    local v = a:slice({ -1, 1, -1 }, { 1, -1, 2 })  -- rows reversed, every other column
    local f = path("view.png")
    I.save(f, v)
    assert.is_true(I.load(f):eq(v:copy()):all())
    local one = path("one.png")
    I.save(one, ts.array({ { { 1, 2, 3 } } }, "uint8"))
    assert.are.same({ 1, 2, 3 }, px(I.load(one), 1, 1))
  end)

  it("expands gray, gray-alpha, palette and 16-bit files", function()
    -- minimal PNG files made with Python's zlib and struct (IHDR, PLTE/tRNS, IDAT, IEND)
    local files = {
    gray = "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x03\x00\x00\x00\x02\x08\x00\x00\x00\x00\xb8\x1f\x39\xc6\x00\x00\x00\x10\x49\x44\x41\x54\x78\x9c\x63\x60\x48\xf9\xcf\xc0\xce\xc1\x09\x00\x07\x89\x01\x7c\xf3\x5b\xfa\x19\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
    gray_alpha = "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x02\x00\x00\x00\x01\x08\x04\x00\x00\x00\x5e\x2b\xb7\x01\x00\x00\x00\x0d\x49\x44\x41\x54\x78\x9c\x63\xe0\x12\x91\xd3\x00\x00\x00\xcd\x00\x65\x6a\x99\x84\x42\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
    palette = "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x03\x00\x00\x00\x01\x08\x03\x00\x00\x00\x2c\x3e\xe4\x86\x00\x00\x00\x06\x50\x4c\x54\x45\x01\x02\x03\xc8\x96\x64\xf4\x36\xd9\xc1\x00\x00\x00\x01\x74\x52\x4e\x53\x80\xad\x5e\x5b\x46\x00\x00\x00\x0c\x49\x44\x41\x54\x78\x9c\x63\x60\x60\x64\x04\x00\x00\x07\x00\x03\x75\x81\x81\x25\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
    rgb16 = "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x10\x02\x00\x00\x00\xc0\xe7\x8f\x9d\x00\x00\x00\x0f\x49\x44\x41\x54\x78\x9c\x63\x10\x32\xf9\xcf\xc0\xf0\x1f\x00\x06\x72\x02\x45\xd6\xc9\x5a\x84\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
    }
    local function load(name)
      local f = path(name .. ".png")
      local fh = assert(io.open(f, "wb"))
      fh:write(files[name])
      fh:close()
      return I.load(f)
    end
    local g = load("gray")
    assert.are.same({ 2, 3, 3 }, g.shape)
    assert.are.same({ 100, 100, 100 }, px(g, 1, 2))
    assert.are.same({ 9, 9, 9 }, px(g, 2, 3))
    local ga = load("gray_alpha")
    assert.are.same({ 1, 2, 4 }, ga.shape)
    assert.are.same({ 30, 30, 30, 40 }, px(ga, 1, 2))
    local pal = load("palette")  -- entry 0 has alpha 128 from tRNS, entry 1 none (opaque)
    assert.are.same({ 1, 3, 4 }, pal.shape)
    assert.are.same({ 1, 2, 3, 128 }, px(pal, 1, 1))
    assert.are.same({ 200, 150, 100, 255 }, px(pal, 1, 3))
    local deep = load("rgb16")  -- 16-bit channels keep their high bytes
    assert.are.same({ 0x12, 0xff, 0x00 }, px(deep, 1, 1))
  end)

  it("raises on bad shapes, dtypes and paths", function()
    local f = path("bad.png")
    h.errors(function() I.save(f, ts.zeros(2, 2, 3)) end, "image.save: expected uint8 pixels")
    h.errors(function() I.save(f, ts.zeros({ 2, 2, 2 }, "uint8")) end, "shape (2,2,2)")
    h.errors(function() I.save(f, ts.zeros(4)) end, "expected uint8 pixels")
    h.errors(function() I.save(f, ts.zeros({ 0, 3, 3 }, "uint8")) end, "cannot write a picture")
    h.errors(function() I.save(f, ts.zeros(0, 3)) end, "cannot write a picture")
    h.errors(function() I.save(dir .. "/no/such/dir/x.png", ts.zeros(2, 2)) end,
             "cannot open '" .. dir .. "/no/such/dir/x.png' for writing")
    h.errors(function() I.save(f) end, "expected an array at argument 2")
    h.errors(function() I.save(nil, ts.zeros(2, 2)) end,
             "image.save: expected a file path (a string) at argument 1, got nil")
    h.errors(function() I.load(42) end, "image.load: expected a file path (a string) at argument 1")
    h.errors(function() I.load(dir .. "/missing.png") end, "image.load: cannot open")
    local txt = path("text.png")
    local fh = assert(io.open(txt, "w"))
    fh:write("not a picture at all")
    fh:close()
    h.errors(function() I.load(txt) end, "is not a PNG file")
    -- a PNG cut short: libpng's error comes back as a Lua error
    local good = path("cmap.png")
    local data = assert(io.open(good, "rb")):read("a")
    local cut = path("cut.png")
    fh = assert(io.open(cut, "wb"))
    fh:write(data:sub(1, 60))
    fh:close()
    h.errors(function() I.load(cut) end, "cannot read PNG")
  end)

  it("lists its colormaps", function()
    assert.are.same({ "viridis", "magma", "inferno", "plasma", "cividis", "gray" }, I.colormaps())
  end)
end)

