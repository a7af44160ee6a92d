// ts.h5: HDF5 files and groups as Lua objects (open, groups, links, dataset
// creation, save/load). Datasets are in h5_dataset.cpp, attributes in
// h5_attrs.cpp; the HDF5 work itself is in runtime/h5 (no Lua there).
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "../h5/file.hpp"
#include "h5_objects.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {

// ---- shared helpers (declared in h5_objects.hpp) ----

ObjectRef* to_object(lua_State* L, int idx, bool attrs) {
  for (const char* meta : {kH5FileMeta, kH5GroupMeta, kH5DatasetMeta})
    if (void* p = luaL_testudata(L, idx, meta)) return static_cast<ObjectRef*>(p);
  if (attrs)
    if (void* p = luaL_testudata(L, idx, kH5AttrsMeta)) return static_cast<ObjectRef*>(p);
  return nullptr;
}

static h5::Object& check_open(lua_State* L, ObjectRef* r, const char* fname, const char* kind) {
  if (!r->obj || !r->obj->file() || !r->obj->file()->open) {
    if (r->obj && r->obj->file() && r->obj->file()->open == false)
      raise(L, fname, "file has been closed");
    raise(L, fname, "%s has been closed", kind);
  }
  if (!r->obj->is_open()) raise(L, fname, "%s '%s' has been closed", kind, r->obj->name().c_str());
  return *r->obj;
}

h5::Object& check_group(lua_State* L, int idx, const char* fname) {
  if (void* p = luaL_testudata(L, idx, kH5FileMeta)) {
    auto* r = static_cast<ObjectRef*>(p);
    if (!r->obj || !r->obj->is_open()) raise(L, fname, "file has been closed");
    return *r->obj;
  }
  if (void* p = luaL_testudata(L, idx, kH5GroupMeta))
    return check_open(L, static_cast<ObjectRef*>(p), fname, "group");
  raise(L, fname, "expected an HDF5 file or group at argument %d, got %s", idx,
        luaL_typename(L, idx));
}

h5::Object& check_dataset(lua_State* L, int idx, const char* fname) {
  if (void* p = luaL_testudata(L, idx, kH5DatasetMeta))
    return check_open(L, static_cast<ObjectRef*>(p), fname, "dataset");
  raise(L, fname, "expected an HDF5 dataset at argument %d, got %s", idx, luaL_typename(L, idx));
}

h5::Object& check_any(lua_State* L, int idx, const char* fname) {
  if (luaL_testudata(L, idx, kH5DatasetMeta)) return check_dataset(L, idx, fname);
  return check_group(L, idx, fname);
}

ObjectRef* push_object_slot(lua_State* L) {
  void* p = lua_newuserdatauv(L, sizeof(ObjectRef), 0);
  auto* r = new (p) ObjectRef();
  luaL_setmetatable(L, kH5GroupMeta);
  return r;
}

void fix_object_meta(lua_State* L, int idx) {
  idx = lua_absindex(L, idx);
  auto* r = static_cast<ObjectRef*>(lua_touserdata(L, idx));
  if (r && r->obj && r->obj->kind() == h5::ObjectKind::Dataset) {
    luaL_getmetatable(L, kH5DatasetMeta);
    lua_setmetatable(L, idx);
  }
}

void push_attrs(lua_State* L, const std::shared_ptr<h5::Object>& obj) {
  void* p = lua_newuserdatauv(L, sizeof(ObjectRef), 0);
  auto* r = new (p) ObjectRef();
  luaL_setmetatable(L, kH5AttrsMeta);
  r->obj = obj;  // copying a shared_ptr does not throw
}

const char* check_string(lua_State* L, int idx, const char* fname, const char* what) {
  if (lua_type(L, idx) != LUA_TSTRING)
    raise(L, fname, "expected %s (a string) at argument %d, got %s", what, idx,
          luaL_typename(L, idx));
  return lua_tostring(L, idx);
}

void check_selection(lua_State* L, int idx, const Dims& shape, h5::Selection& sel,
                     const char* fname) {
  idx = lua_absindex(L, idx);
  auto take = [&](int i, int vidx) {
    DimRange r = check_range(L, vidx, shape[i], i, fname);
    sel.dims[i] = h5::Range{r.start, r.count, r.step, r.drop};
  };
  if (lua_type(L, idx) == LUA_TNUMBER || lua_type(L, idx) == LUA_TSTRING) {
    if (shape.n == 0) raise(L, fname, "cannot index a scalar dataset");
    sel.n = 1;
    take(0, idx);
    return;
  }
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, fname, "expected a number or a table of ranges, got %s", luaL_typename(L, idx));
  lua_Integer n = luaL_len(L, idx);
  if (n > shape.n) raise(L, fname, "%d ranges given for a %d-d dataset", int(n), shape.n);
  sel.n = static_cast<int>(n);
  for (int i = 0; i < sel.n; ++i) {
    lua_geti(L, idx, i + 1);
    take(i, lua_gettop(L));
    lua_pop(L, 1);
  }
}

static void push_strings_dim(lua_State* L, const h5::Strings& s, int dim, std::size_t& pos) {
  std::int64_t n = s.shape[dim];
  lua_createtable(L, n > 1 << 24 ? 1 << 24 : static_cast<int>(n), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    if (dim + 1 == s.shape.n) {
      const std::string& v = s.values[pos++];
      lua_pushlstring(L, v.data(), v.size());
    } else {
      push_strings_dim(L, s, dim + 1, pos);
    }
    lua_rawseti(L, -2, i + 1);
  }
}

void push_strings(lua_State* L, const h5::Strings& s) {
  luaL_checkstack(L, s.shape.n + 4, "strings nested too deeply");
  if (s.shape.n == 0) {
    if (s.values.empty()) lua_pushliteral(L, "");
    else lua_pushlstring(L, s.values[0].data(), s.values[0].size());
    return;
  }
  std::size_t pos = 0;
  push_strings_dim(L, s, 0, pos);
}

void push_value_array(lua_State* L, const Array& a, bool scalar) {
  if (scalar && a.ndim() == 0) push_element(L, a.dtype(), a.data());
  else push_array(L, a);
}

namespace {

// ---- files and groups ----

int l_open(lua_State* L) {
  const char* path = check_string(L, 1, "h5.open", "a path");
  const char* mode = lua_isnoneornil(L, 2) ? "r" : check_string(L, 2, "h5.open", "a mode");
  if (std::strcmp(mode, "r") && std::strcmp(mode, "r+") && std::strcmp(mode, "w") &&
      std::strcmp(mode, "x") && std::strcmp(mode, "w-") && std::strcmp(mode, "a"))
    raise(L, "h5.open", "unknown mode '%s' (expected 'r', 'r+', 'w', 'x' or 'a')", mode);
  void* p = lua_newuserdatauv(L, sizeof(ObjectRef), 0);
  auto* r = new (p) ObjectRef();
  luaL_setmetatable(L, kH5FileMeta);
  return guarded(L, "h5.open", [&] {
    r->obj = h5::root(h5::open_file(path, mode));
    return 1;
  });
}

int l_close(lua_State* L) {
  if (void* p = luaL_testudata(L, 1, kH5FileMeta)) {
    auto* r = static_cast<ObjectRef*>(p);
    if (r->obj) {
      h5::FileState* f = r->obj->file().get();
      return guarded(L, "close", [&] {
        f->close();
        return 0;
      });
    }
    return 0;
  }
  ObjectRef* r = to_object(L, 1);
  if (!r) raise(L, "close", "expected an HDF5 file, group or dataset, got %s", luaL_typename(L, 1));
  if (r->obj) r->obj->close();
  return 0;
}

// __gc: drop the reference (the file closes when nothing opened from it is left).
int l_gc(lua_State* L) {
  auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
  if (r) r->obj.reset();
  return 0;
}

int l_create_group(lua_State* L) {
  h5::Object& g = check_group(L, 1, "create_group");
  const char* path = check_string(L, 2, "create_group", "a path");
  ObjectRef* slot = push_object_slot(L);
  return guarded(L, "create_group", [&] {
    slot->obj = h5::create_group(g, path);
    return 1;
  });
}

int l_get(lua_State* L) {
  h5::Object& g = check_group(L, 1, "get");
  const char* path = check_string(L, 2, "get", "a path");
  ObjectRef* slot = push_object_slot(L);
  guarded(L, "get", [&] {
    slot->obj = h5::open_object(g, path);
    return 1;
  });
  fix_object_meta(L, -1);
  return 1;
}

int l_keys(lua_State* L) {
  h5::Object& g = check_group(L, 1, "keys");
  auto* names = push_box<std::vector<std::string>>(L);
  guarded(L, "keys", [&] {
    *names = h5::keys(g);
    return 0;
  });
  push_name_list(L, *names);
  return 1;
}

// Iterator of items(): upvalues: the group, the names (a Lua list), position.
int items_next(lua_State* L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(3)) + 1;
  if (lua_rawgeti(L, lua_upvalueindex(2), i) == LUA_TNIL) return 1;
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(3));
  h5::Object& g = check_group(L, lua_upvalueindex(1), "items");
  const char* name = lua_tostring(L, -1);
  ObjectRef* slot = push_object_slot(L);
  guarded(L, "items", [&] {
    slot->obj = h5::open_object(g, name);
    return 2;
  });
  fix_object_meta(L, -1);
  return 2;
}

int l_items(lua_State* L) {
  check_group(L, 1, "items");
  lua_settop(L, 1);
  lua_pushcfunction(L, l_keys);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, items_next, 3);
  return 1;
}

int l_exists(lua_State* L) {
  h5::Object& g = check_group(L, 1, "exists");
  const char* path = check_string(L, 2, "exists", "a path");
  bool e = false;
  guarded(L, "exists", [&] {
    e = h5::exists(g, path);
    return 0;
  });
  lua_pushboolean(L, e);
  return 1;
}

int l_delete(lua_State* L) {
  h5::Object& g = check_group(L, 1, "delete");
  const char* path = check_string(L, 2, "delete", "a path");
  return guarded(L, "delete", [&] {
    h5::remove(g, path);
    return 0;
  });
}

int l_move(lua_State* L) {
  h5::Object& g = check_group(L, 1, "move");
  const char* from = check_string(L, 2, "move", "a source path");
  const char* to = check_string(L, 3, "move", "a destination path");
  return guarded(L, "move", [&] {
    h5::move(g, from, to);
    return 0;
  });
}

int l_flush(lua_State* L) {
  h5::Object& g = check_group(L, 1, "flush");
  return guarded(L, "flush", [&] {
    h5::flush(g);
    return 0;
  });
}

// ---- dataset creation options ----

// Plain (trivially destructible) options read from Lua, made into
// h5::CreateOptions inside guarded().
struct Options {
  bool has_shape = false, has_dtype = false, has_max = false, has_chunks = false;
  bool auto_chunks = false, shuffle = false, has_fill = false;
  Dims shape, max, chunks;
  DType dtype = DType::Float64;
  const char* compression = "";
  int level = -1;
  Scalar fill;
};

Dims check_maxshape(lua_State* L, int idx, int ndim, const char* fname) {
  Dims d;
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, fname, "expected a table for maxshape, got %s", luaL_typename(L, idx));
  lua_Integer n = luaL_len(L, idx);
  int rank = ndim >= 0 ? ndim : static_cast<int>(n);
  if (rank > kMaxDims) raise(L, fname, "at most %d dimensions", kMaxDims);
  for (int i = 1; i <= rank; ++i) {
    int t = lua_geti(L, idx, i);
    std::int64_t v = h5::kUnlimited;
    if (t == LUA_TNUMBER && lua_isinteger(L, -1)) {
      v = lua_tointeger(L, -1);
      if (v < -1) raise(L, fname, "invalid maxshape entry %lld", static_cast<long long>(v));
    } else if (t == LUA_TNUMBER && lua_tonumber(L, -1) == HUGE_VAL) {
      v = h5::kUnlimited;
    } else if (t != LUA_TNIL) {
      raise(L, fname,
            "maxshape entries are integers, or nil / -1 / math.huge for unlimited; got %s",
            luaL_typename(L, -1));
    }
    d.v[d.n++] = v;
    lua_pop(L, 1);
  }
  return d;
}

// Reads the options table at idx (may be nil).
void check_options(lua_State* L, int idx, Options& o, const char* fname) {
  if (lua_isnoneornil(L, idx)) return;
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, fname, "expected an options table at argument %d, got %s", idx, luaL_typename(L, idx));
  idx = lua_absindex(L, idx);
  if (lua_getfield(L, idx, "shape") != LUA_TNIL) {
    o.shape = check_shape(L, lua_gettop(L), fname);
    o.has_shape = true;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "dtype") != LUA_TNIL) {
    o.dtype = check_dtype(L, lua_gettop(L), fname, DType::Float64);
    o.has_dtype = true;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "chunks") != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TBOOLEAN) {
      o.auto_chunks = lua_toboolean(L, -1);
    } else {
      o.chunks = check_shape(L, lua_gettop(L), fname);
      o.has_chunks = true;
    }
  }
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "compression") != LUA_TNIL) {
    if (lua_type(L, -1) == LUA_TNUMBER) {
      o.compression = "gzip";
      o.level = static_cast<int>(check_integer(L, -1, fname, "gzip level"));
    } else {
      o.compression = check_string(L, lua_gettop(L), fname, "a compression name");
      if (std::strcmp(o.compression, "gzip") && std::strcmp(o.compression, "lzf"))
        raise(L, fname, "unknown compression '%s' (expected 'gzip' or 'lzf')", o.compression);
    }
  }
  lua_pop(L, 1);  // the options table keeps the string alive
  for (const char* key : {"level", "compression_opts"}) {
    if (lua_getfield(L, idx, key) != LUA_TNIL) {
      o.level = static_cast<int>(check_integer(L, -1, fname, "gzip level"));
      if (o.level < 0 || o.level > 9) raise(L, fname, "gzip level must be 0 to 9, got %d", o.level);
      if (!o.compression[0]) o.compression = "gzip";
    }
    lua_pop(L, 1);
  }
  if (o.level > 9 || (o.level != -1 && o.level < 0))
    raise(L, fname, "gzip level must be 0 to 9, got %d", o.level);
  if (lua_getfield(L, idx, "shuffle") != LUA_TNIL) o.shuffle = lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "fillvalue") != LUA_TNIL) {
    if (!is_number_or_bool(L, -1))
      raise(L, fname, "expected a number for fillvalue, got %s", luaL_typename(L, -1));
    o.fill = to_scalar(L, -1);
    o.has_fill = true;
  }
  lua_pop(L, 1);
  if (lua_getfield(L, idx, "maxshape") != LUA_TNIL) {
    o.max = check_maxshape(L, lua_gettop(L), o.has_shape ? o.shape.n : -1, fname);
    o.has_max = true;
  }
  lua_pop(L, 1);
}

h5::CreateOptions make_options(const Options& o) {
  h5::CreateOptions c;
  c.dtype = o.dtype;
  c.shape = o.shape;
  if (o.has_max) c.maxshape = o.max;
  if (o.has_chunks) c.chunks = o.chunks;
  c.auto_chunks = o.auto_chunks;
  c.compression = o.compression;
  c.level = o.level;
  c.shuffle = o.shuffle;
  if (o.has_fill) c.fillvalue = o.fill;
  return c;
}

int l_create_dataset(lua_State* L) {
  h5::Object& g = check_group(L, 1, "create_dataset");
  const char* name = check_string(L, 2, "create_dataset", "a dataset name");
  Options o;
  if (lua_type(L, 3) != LUA_TTABLE)
    raise(L, "create_dataset", "expected an options table with a shape at argument 3, got %s",
          luaL_typename(L, 3));
  check_options(L, 3, o, "create_dataset");
  Array* data = nullptr;
  if (lua_getfield(L, 3, "data") != LUA_TNIL) {
    data = &check_array(L, lua_gettop(L), "create_dataset");
    if (!o.has_shape) {
      o.shape = data->shape();
      o.has_shape = true;
    }
    if (!o.has_dtype) o.dtype = data->dtype();
  }
  if (!o.has_shape) raise(L, "create_dataset", "the options need a shape (or data)");
  if (o.has_max && o.max.n != o.shape.n)
    raise(L, "create_dataset", "maxshape has %d dimensions, shape has %d", o.max.n, o.shape.n);
  ObjectRef* slot = push_object_slot(L);
  guarded(L, "create_dataset", [&] {
    slot->obj = h5::create_dataset(g, name, make_options(o));
    if (data) h5::write(context(L), *slot->obj, *data);
    return 1;
  });
  fix_object_meta(L, -1);
  return 1;
}

// Collects a Lua list of strings at idx into a userdata-owned array of
// pointers (the table keeps the strings alive).
const char** check_string_list(lua_State* L, int idx, std::size_t& n, const char* fname) {
  n = static_cast<std::size_t>(lua_rawlen(L, idx));
  auto** list = static_cast<const char**>(lua_newuserdatauv(L, (n ? n : 1) * sizeof(char*), 0));
  for (std::size_t i = 0; i < n; ++i) {
    if (lua_rawgeti(L, idx, static_cast<lua_Integer>(i + 1)) != LUA_TSTRING)
      raise(L, fname, "expected a list of strings, got %s at position %d", luaL_typename(L, -1),
            int(i + 1));
    list[i] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  return list;
}

// f:write(name, value [, opts]): value is an array, a number or boolean (a
// 0-d dataset), a string or a list of strings.
int l_write(lua_State* L) {
  h5::Object& g = check_group(L, 1, "write");
  const char* name = check_string(L, 2, "write", "a dataset name");
  lua_settop(L, 4);
  Options o;
  check_options(L, 4, o, "write");
  int vt = lua_type(L, 3);
  if (vt == LUA_TSTRING || vt == LUA_TTABLE) {
    std::size_t n = 1;
    const char* one = nullptr;
    const char** list = &one;
    bool scalar = vt == LUA_TSTRING;
    if (scalar) one = lua_tostring(L, 3);
    else list = check_string_list(L, 3, n, "write");
    ObjectRef* slot = push_object_slot(L);
    guarded(L, "write", [&] {
      h5::CreateOptions c = make_options(o);
      c.strings = true;
      c.shape = scalar ? Dims{} : Dims{static_cast<std::int64_t>(n)};
      slot->obj = h5::create_dataset(g, name, c);
      std::vector<std::string> values(list, list + n);
      h5::write_strings(*slot->obj, values);
      return 1;
    });
    fix_object_meta(L, -1);
    return 1;
  }
  Array* a = to_array(L, 3);
  Scalar s;
  bool scalar = false;
  if (!a) {
    if (!is_number_or_bool(L, 3))
      raise(L, "write",
            "expected an array, a number, a string or a list of strings at argument 3, got %s",
            luaL_typename(L, 3));
    s = to_scalar(L, 3);
    scalar = true;
  } else if (!a->valid()) {
    raise(L, "write", "array has been closed");
  }
  if (!o.has_dtype) o.dtype = scalar ? default_dtype(s.kind) : a->dtype();
  if (!o.has_shape) o.shape = scalar ? Dims{} : a->shape();
  ObjectRef* slot = push_object_slot(L);
  guarded(L, "write", [&] {
    slot->obj = h5::create_dataset(g, name, make_options(o));
    if (scalar) {
      Array v = Array::empty(o.dtype, Dims{}, context(L).account);
      s.store(o.dtype, v.data());
      h5::write(context(L), *slot->obj, v);
    } else {
      h5::write(context(L), *slot->obj, *a);
    }
    return 1;
  });
  fix_object_meta(L, -1);
  return 1;
}

// ---- __index, __tostring, __len of files and groups ----

int l_group_index(lua_State* L) {
  // methods (upvalue 2) first
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  if (lua_type(L, 2) != LUA_TSTRING)
    raise(L, "index", "expected a path (a string), got %s", luaL_typename(L, 2));
  const char* k = lua_tostring(L, 2);
  bool is_file = luaL_testudata(L, 1, kH5FileMeta) != nullptr;
  if (std::strcmp(k, "filename") == 0 && is_file) {
    auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
    if (!r->obj) raise(L, "index", "file has been closed");
    lua_pushstring(L, r->obj->file()->path.c_str());
    return 1;
  }
  if (std::strcmp(k, "mode") == 0 && is_file) {
    auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
    if (!r->obj) raise(L, "index", "file has been closed");
    lua_pushstring(L, r->obj->file()->mode.c_str());
    return 1;
  }
  if (std::strcmp(k, "is_open") == 0) {
    auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
    lua_pushboolean(L, r->obj && r->obj->is_open());
    return 1;
  }
  h5::Object& g = check_group(L, 1, "index");
  if (std::strcmp(k, "name") == 0) {
    lua_pushstring(L, g.name().c_str());
    return 1;
  }
  if (std::strcmp(k, "attrs") == 0) {
    push_attrs(L, static_cast<ObjectRef*>(lua_touserdata(L, 1))->obj);
    return 1;
  }
  ObjectRef* slot = push_object_slot(L);
  guarded(L, "index", [&] {
    slot->obj = h5::open_object(g, k);
    return 1;
  });
  fix_object_meta(L, -1);
  return 1;
}

int l_group_tostring(lua_State* L) {
  auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
  bool is_file = luaL_testudata(L, 1, kH5FileMeta) != nullptr;
  if (!r || !r->obj || !r->obj->is_open()) {
    lua_pushstring(L, is_file ? "<closed HDF5 file>" : "<closed HDF5 group>");
    return 1;
  }
  if (is_file)
    lua_pushfstring(L, "<HDF5 file '%s' (mode %s)>", r->obj->file()->path.c_str(),
                    r->obj->file()->mode.c_str());
  else lua_pushfstring(L, "<HDF5 group '%s'>", r->obj->name().c_str());
  return 1;
}

int l_group_len(lua_State* L) {
  h5::Object& g = check_group(L, 1, "len");
  lua_Integer n = 0;
  guarded(L, "len", [&] {
    n = static_cast<lua_Integer>(h5::keys(g).size());
    return 0;
  });
  lua_pushinteger(L, n);
  return 1;
}

int l_group_read(lua_State* L) {
  check_group(L, 1, "read");
  check_string(L, 2, "read", "a dataset name");
  lua_settop(L, 3);
  lua_pushcfunction(L, l_get);  // not guarded by context: l_get uses none
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 2);
  lua_call(L, 2, 1);  // the object
  if (!luaL_testudata(L, -1, kH5DatasetMeta))
    raise(L, "read", "'%s' is a group, not a dataset", lua_tostring(L, 2));
  lua_getfield(L, -1, "read");
  lua_insert(L, -2);
  int nargs = 1;
  if (!lua_isnil(L, 3)) {
    lua_pushvalue(L, 3);
    nargs = 2;
  }
  lua_call(L, nargs, 1);
  return 1;
}

// ---- save / load ----

struct SaveItem {
  const char* name;
  Array* array;  // or
  const char* string;
  Scalar scalar;
  bool is_scalar;
};

int l_save(lua_State* L) {
  const char* path = check_string(L, 1, "h5.save", "a path");
  if (lua_type(L, 2) != LUA_TTABLE)
    raise(L, "h5.save", "expected a table {name = array, ...} at argument 2, got %s",
          luaL_typename(L, 2));
  lua_settop(L, 3);
  Options o;
  check_options(L, 3, o, "h5.save");
  std::size_t n = 0;
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    ++n;
    lua_pop(L, 1);
  }
  auto* items = static_cast<SaveItem*>(lua_newuserdatauv(L, (n ? n : 1) * sizeof(SaveItem), 0));
  std::size_t i = 0;
  lua_pushnil(L);
  while (lua_next(L, 2)) {
    if (lua_type(L, -2) != LUA_TSTRING)
      raise(L, "h5.save", "dataset names must be strings, got %s", luaL_typename(L, -2));
    SaveItem& it = items[i++];
    it = SaveItem{lua_tostring(L, -2), nullptr, nullptr, Scalar(), false};
    if (Array* a = to_array(L, -1)) {
      if (!a->valid()) raise(L, "h5.save", "array '%s' has been closed", it.name);
      it.array = a;
    } else if (lua_type(L, -1) == LUA_TSTRING) {
      it.string = lua_tostring(L, -1);
    } else if (is_number_or_bool(L, -1)) {
      it.scalar = to_scalar(L, -1);
      it.is_scalar = true;
    } else {
      raise(L, "h5.save", "'%s': expected an array, a number or a string, got %s", it.name,
            luaL_typename(L, -1));
    }
    lua_pop(L, 1);
  }
  std::sort(items, items + n,
            [](const SaveItem& a, const SaveItem& b) { return std::strcmp(a.name, b.name) < 0; });
  return guarded(L, "h5.save", [&] {
    std::string target(path);
    std::size_t slash = target.rfind('/');
    std::string dir = slash == std::string::npos ? "." : target.substr(0, slash + 1);
    std::string base = slash == std::string::npos ? target : target.substr(slash + 1);
    std::string tmp = (slash == std::string::npos ? "" : dir) + "." + base + ".tmp-XXXXXX";
    int fd = ::mkstemp(tmp.data());
    if (fd < 0)
      throw h5::Error("cannot create a temporary file next to '" + target +
                      "': " + std::strerror(errno));
    // mkstemp makes the file private (0600): give it the previous file's
    // permissions, or those a new file would get (0666 less the umask).
    struct stat st;
    mode_t mode = 0;
    if (::stat(target.c_str(), &st) == 0) {
      mode = st.st_mode & 07777;
    } else {
      mode_t mask = ::umask(0);
      ::umask(mask);
      mode = 0666 & ~mask;
    }
    (void)::fchmod(fd, mode);
    ::close(fd);
    try {
      {
        auto file = h5::open_file(tmp, "w");
        auto root = h5::root(file);
        for (std::size_t k = 0; k < n; ++k) {
          const SaveItem& it = items[k];
          h5::CreateOptions c = make_options(o);
          if (it.string) {
            c = h5::CreateOptions();  // a scalar: no chunks or filters
            c.strings = true;
            c.shape = Dims{};
            auto ds = h5::create_dataset(*root, it.name, c);
            h5::write_strings(*ds, {std::string(it.string)});
            continue;
          }
          Array v;
          if (it.is_scalar) {
            DType t = default_dtype(it.scalar.kind);
            v = Array::empty(t, Dims{}, context(L).account);
            it.scalar.store(t, v.data());
          } else {
            v = *it.array;
          }
          c.dtype = v.dtype();
          c.shape = v.shape();
          if (v.ndim() == 0) {  // scalars cannot be chunked or compressed
            c.compression.clear();
            c.level = -1;
            c.shuffle = false;
            c.auto_chunks = false;
          }
          auto ds = h5::create_dataset(*root, it.name, c);
          h5::write(context(L), *ds, v);
        }
        file->close();
      }
      if (std::rename(tmp.c_str(), target.c_str()) != 0)
        throw h5::Error("cannot rename '" + tmp + "' to '" + target + "': " + std::strerror(errno));
    } catch (...) {
      std::remove(tmp.c_str());
      throw;
    }
    return 0;
  });
}

struct Loaded {
  std::vector<std::string> names;
  std::vector<Array> arrays;         // numeric datasets (invalid for strings)
  std::vector<h5::Strings> strings;  // string datasets
};

int l_load(lua_State* L) {
  const char* path = check_string(L, 1, "h5.load", "a path");
  auto* out = push_box<Loaded>(L);
  guarded(L, "h5.load", [&] {
    auto file = h5::open_file(path, "r");
    auto root = h5::root(file);
    out->names = h5::dataset_paths(*root);
    for (const std::string& name : out->names) {
      auto ds = h5::open_object(*root, name);
      h5::DatasetInfo di = h5::info(*ds);
      if (di.type.kind == h5::TypeKind::String) {
        out->strings.push_back(h5::read_strings(*ds));
        out->arrays.emplace_back();
      } else {
        out->arrays.push_back(h5::read(context(L), *ds));
        out->strings.emplace_back();
      }
    }
    file->close();
    return 0;
  });
  lua_createtable(L, 0, static_cast<int>(out->names.size()));
  for (std::size_t i = 0; i < out->names.size(); ++i) {
    if (out->arrays[i].valid()) push_array(L, out->arrays[i]);
    else push_strings(L, out->strings[i]);
    lua_setfield(L, -2, out->names[i].c_str());
  }
  out->arrays.clear();
  return 1;
}

int l_box_gc(lua_State* L) {
  auto* h = static_cast<BoxHeader*>(lua_touserdata(L, 1));
  if (h && h->destroy) {
    auto destroy = h->destroy;
    h->destroy = nullptr;
    destroy(h);
  }
  return 0;
}

const Entry functions[] = {
    {"open", l_open, kFunction, "ts.h5.open(path [, mode])",
     "Opens an HDF5 file. Modes: 'r' (read, the default), 'r+' (read and write; must exist), "
     "'w' (create, truncating), 'x' (create; fails if it exists), 'a' (read and write, created "
     "when missing). The file is the root group; use it as a to-be-closed variable "
     "(local f <close> = ts.h5.open(...)) or call f:close(); it also closes when it and every "
     "object opened from it have been collected."},
    {"save", l_save, kFunction, "ts.h5.save(path, {name = value, ...} [, opts])",
     "Writes arrays (and numbers and strings) as datasets of a new file; names may contain "
     "'/' (groups are made). opts are create_dataset's (compression, shuffle, chunks ...). "
     "Writes a temporary file in the same directory and renames it over path, so an "
     "interrupted save leaves any previous file intact."},
    {"load", l_load, kFunction, "ts.h5.load(path)",
     "Reads every dataset of a file into a table {name = array}, nested names as 'group/name'; "
     "string datasets give Lua strings (tables of them when not scalar)."},
};

const Entry group_methods[] = {
    {"close", l_close, kMethod, "f:close()",
     "Closes a file (and every group and dataset opened from it; using them afterwards is an "
     "error), or a group or dataset handle. Closing twice does nothing."},
    {"create_group", l_create_group, kMethod, "g:create_group(path)",
     "Creates a group (and any missing groups on the way: 'a/b/c') and returns it."},
    {"get", l_get, kMethod, "g:get(path)",
     "The group or dataset at path (relative to g, or absolute from '/'); g[path] is the same "
     "unless path is a method or property name (name, attrs, filename, mode)."},
    {"keys", l_keys, kMethod, "g:keys()", "The names of g's members, sorted."},
    {"items", l_items, kMethod, "g:items()",
     "An iterator over (name, object) for g's members: for name, obj in g:items() do ... end "
     "(pairs(g) does the same)."},
    {"exists", l_exists, kMethod, "g:exists(path)",
     "True when path names an object below g (every group on the way must exist)."},
    {"delete", l_delete, kMethod, "g:delete(path)",
     "Removes the link path (the space is reused by HDF5 but the file does not shrink)."},
    {"move", l_move, kMethod, "g:move(from, to)",
     "Renames or moves the object at from to to (both relative to g); missing groups are made."},
    {"flush", l_flush, kMethod, "f:flush()", "Writes the file's buffers to disk."},
    {"create_dataset", l_create_dataset, kMethod, "g:create_dataset(name, opts)",
     "Creates a dataset. opts: shape, dtype (default float64), maxshape (a table; nil, -1 or "
     "math.huge entries are unlimited), chunks (a shape, or true; chosen as h5py does when "
     "omitted and compression, shuffle or maxshape need them), compression ('gzip' or 'lzf', "
     "or a gzip level 0-9), level (gzip level, default 4), shuffle (true), fillvalue, data "
     "(an array written at once; gives shape and dtype). Returns the dataset."},
    {"write", l_write, kMethod, "g:write(name, value [, opts])",
     "Creates dataset name from value and writes it: an array (its shape and dtype), a number "
     "or boolean (a scalar dataset), a string (a scalar UTF-8 string) or a list of strings. "
     "opts are create_dataset's. Returns the dataset."},
    {"read", l_group_read, kMethod, "g:read(name [, slices])",
     "Shorthand for g:get(name):read(slices)."},
};

const Entry group_meta[] = {
    {"__gc", l_gc, kMeta, "", ""},
    {"__len", l_group_len, kMeta, "", ""},
    {"__tostring", l_group_tostring, kMeta, "", ""},
};

void setup(lua_State* L, const Tables& t) {
  int h5 = module_subtable(L, t, "h5");
  install_entries(L, t, h5, functions, "h5.");

  lua_newtable(L);  // methods shared by files and groups
  int methods = lua_gettop(L);
  install_entries(L, t, methods, group_methods, "h5.group.");
  for (const char* meta : {kH5FileMeta, kH5GroupMeta}) {
    luaL_newmetatable(L, meta);
    int m = lua_gettop(L);
    install_entries(L, t, m, group_meta);
    lua_pushvalue(L, t.context);
    lua_pushvalue(L, methods);
    lua_pushcclosure(L, l_group_index, 2);
    lua_setfield(L, m, "__index");
    lua_getfield(L, methods, "items");
    lua_setfield(L, m, "__pairs");
    // <close>: a file closes; a group handle closes.
    lua_getfield(L, methods, "close");
    lua_setfield(L, m, "__close");
    lua_pushstring(L, meta);
    lua_setfield(L, m, "__name");
    lua_pop(L, 1);
  }
  lua_setfield(L, h5, "_group_methods");
  luaL_newmetatable(L, kH5BoxMeta);
  lua_pushcfunction(L, l_box_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 2);  // box meta, h5
}

// Everything goes into ts.h5 and the objects' metatables: no entries for ts itself.
const bool registered = (register_part(Part{"h5", 80, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
