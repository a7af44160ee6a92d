// ts.image: pictures from arrays and PNG files (runtime/image/png.hpp).
#include <string>

#include "../image/png.hpp"
#include "binding.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

// The optional {cmap =, vmin =, vmax =} table at idx.
image::ColorOptions check_color_options(lua_State* L, int idx, const char* fname) {
  image::ColorOptions o;
  if (lua_isnoneornil(L, idx)) return o;
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, fname, "expected an options table {cmap =, vmin =, vmax =}, got %s",
          luaL_typename(L, idx));
  if (lua_getfield(L, idx, "cmap") != LUA_TNIL) {
    if (lua_type(L, -1) != LUA_TSTRING)
      raise(L, fname, "expected a colormap name for cmap, got %s", luaL_typename(L, -1));
    const char* name = lua_tostring(L, -1);
    o.cmap = image::find_colormap(name);
    if (!o.cmap) {
      lua_pushstring(L, image::colormap_names().c_str());  // no C++ object stays alive
      raise(L, fname, "unknown colormap '%s' (known: %s)", name, lua_tostring(L, -1));
    }
  }
  lua_pop(L, 1);
  const char* keys[2] = {"vmin", "vmax"};
  for (int k = 0; k < 2; ++k) {
    if (lua_getfield(L, idx, keys[k]) != LUA_TNIL) {
      if (lua_type(L, -1) != LUA_TNUMBER)
        raise(L, fname, "expected a number for %s, got %s", keys[k], luaL_typename(L, -1));
      (k ? o.vmax : o.vmin) = lua_tonumber(L, -1);
      (k ? o.has_vmax : o.has_vmin) = true;
    }
    lua_pop(L, 1);
  }
  return o;
}

int l_colorize(lua_State* L) {
  Array& a = check_array(L, 1, "image.colorize");
  const image::ColorOptions o = check_color_options(L, 2, "image.colorize");
  return push_new_array(L, "image.colorize", [&] { return image::colorize(context(L), a, o); });
}

const char* check_path(lua_State* L, int idx, const char* fname) {
  if (lua_type(L, idx) != LUA_TSTRING)
    raise(L, fname, "expected a file path (a string) at argument %d, got %s", idx,
          luaL_typename(L, idx));
  return lua_tostring(L, idx);
}

int l_save(lua_State* L) {
  const char* path = check_path(L, 1, "image.save");
  Array& a = check_array(L, 2, "image.save");
  const image::ColorOptions o = check_color_options(L, 3, "image.save");
  lua_pushvalue(L, 1);  // the result; the arguments stay alive below it
  return guarded(L, "image.save", [&] {
    if (a.ndim() == 2) image::write_png(path, image::colorize(context(L), a, o));
    else image::write_png(path, a);
    return 1;
  });
}

int l_load(lua_State* L) {
  const char* path = check_path(L, 1, "image.load");
  return push_new_array(L, "image.load", [&] { return image::read_png(context(L), path); });
}

int l_colormaps(lua_State* L) {
  lua_newtable(L);
  static const char* const names[] = {"viridis", "magma", "inferno", "plasma", "cividis", "gray"};
  int n = 0;
  for (const char* name : names)
    if (image::find_colormap(name)) {
      lua_pushstring(L, name);
      lua_rawseti(L, -2, ++n);
    }
  return 1;
}

const Entry entries[] = {
    {"save", l_save, kFunction, "ts.image.save(path, a [, {cmap =, vmin =, vmax =}])",
     "Writes the array a as a PNG file (libpng) and returns path. A 2-d array of any real dtype "
     "goes through a colormap (cmap: 'viridis' (default), 'magma', 'inferno', 'plasma', "
     "'cividis' or 'gray'; see ts.image.colorize for vmin, vmax and NaN); a uint8 array of "
     "shape (h, w, 3) is written as RGB, (h, w, 4) as RGBA. Row 1 is the top of the picture "
     "(matplotlib's imshow and imsave)."},
    {"load", l_load, kFunction, "ts.image.load(path)",
     "Reads a PNG file as a uint8 array of shape (h, w, 3) (RGB) or (h, w, 4) (RGBA): palette "
     "and gray images are expanded to RGB, 16-bit channels reduced to 8 bits."},
    {"colorize", l_colorize, kFunction, "ts.image.colorize(a [, {cmap =, vmin =, vmax =}])",
     "The pixels ts.image.save writes for the 2-d real array a: a uint8 array (h, w, 3), as "
     "matplotlib's cmap(Normalize(vmin, vmax)(a), bytes=True) computes it in float64 (entry "
     "floor(256 * (x - vmin) / (vmax - vmin)) of the colormap's 256; below vmin the first, from "
     "vmax up the last; vmin == vmax gives the first). vmin and vmax default to the smallest "
     "and largest non-NaN values. NaN is matplotlib's bad color, transparent black: with NaN "
     "in a the result is (h, w, 4) RGBA."},
    {"colormaps", l_colormaps, kFunction, "ts.image.colormaps()",
     "The names of the colormaps ts.image.save and ts.image.colorize know, as a list."},
};

void setup(lua_State* L, const Tables& t) {
  int k = module_subtable(L, t, "image");
  install_entries(L, t, k, entries, "image.");
  lua_pop(L, 1);
}

const bool registered = (register_part(Part{"image", 89, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
