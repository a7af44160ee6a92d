// HDF5 datasets as Lua objects: properties (shape, dtype, chunks, ...),
// hyperslab reads and writes with the array slice conventions, resize,
// append, and streaming in blocks of rows (d:chunks) with read-ahead on the
// I/O thread.
#include <cmath>
#include <cstring>

#include "../h5/stream.hpp"
#include "h5_objects.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

constexpr const char* kBlocksMeta = "tessera.h5.Blocks";

h5::Brief get_brief(lua_State* L, h5::Object& d, const char* fname) {
  h5::Brief b;
  guarded(L, fname, [&] {
    b = h5::brief(d);
    return 0;
  });
  return b;
}

// Reads d with the selection at idx (none when nil) and pushes the result:
// an array, a Lua value when every dimension was indexed by a number,
// strings for string datasets.
int read_into(lua_State* L, h5::Object& d, int idx, const char* fname) {
  h5::Brief b = get_brief(L, d, fname);
  h5::Selection sel;
  bool has_sel = !lua_isnoneornil(L, idx);
  if (has_sel) check_selection(L, idx, b.shape, sel, fname);
  bool element = has_sel && sel.n == b.shape.n && b.shape.n > 0;
  for (int i = 0; element && i < sel.n; ++i) element = sel.dims[i].drop;
  if (b.kind == h5::TypeKind::String) {
    auto* s = push_box<h5::Strings>(L);
    guarded(L, fname, [&] {
      *s = h5::read_strings(d, has_sel ? &sel : nullptr);
      return 0;
    });
    push_strings(L, *s);
    lua_replace(L, -2);  // drop the box
    return 1;
  }
  Array* slot = push_array_slot(L);
  guarded(L, fname, [&] {
    *slot = h5::read(context(L), d, has_sel ? &sel : nullptr);
    return 1;
  });
  if (element) {
    Array& a = *slot;
    push_element(L, a.dtype(), a.data());
    a = Array();
    lua_replace(L, -2);  // drop the slot
  }
  return 1;
}

int l_read(lua_State* L) {
  h5::Object& d = check_dataset(L, 1, "read");
  lua_settop(L, 2);
  return read_into(L, d, 2, "read");
}

// Writes the value at vidx into the selection at sidx (nil: everything).
int write_from(lua_State* L, h5::Object& d, int vidx, int sidx, const char* fname) {
  h5::Brief b = get_brief(L, d, fname);
  if (b.kind == h5::TypeKind::String) {
    if (!lua_isnoneornil(L, sidx)) raise(L, fname, "string datasets are written whole (no slices)");
    std::size_t n = 1;
    const char* one = nullptr;
    const char** list = &one;
    if (lua_type(L, vidx) == LUA_TSTRING) {
      one = lua_tostring(L, vidx);
    } else if (lua_type(L, vidx) == LUA_TTABLE) {
      n = static_cast<std::size_t>(lua_rawlen(L, vidx));
      list = static_cast<const char**>(lua_newuserdatauv(L, (n ? n : 1) * sizeof(char*), 0));
      for (std::size_t i = 0; i < n; ++i) {
        if (lua_rawgeti(L, vidx, static_cast<lua_Integer>(i + 1)) != LUA_TSTRING)
          raise(L, fname, "expected a list of strings, got %s at position %d", luaL_typename(L, -1),
                int(i + 1));
        list[i] = lua_tostring(L, -1);
        lua_pop(L, 1);
      }
    } else {
      raise(L, fname, "expected a string or a list of strings for a string dataset, got %s",
            luaL_typename(L, vidx));
    }
    return guarded(L, fname, [&] {
      h5::write_strings(d, std::vector<std::string>(list, list + n));
      return 0;
    });
  }
  h5::Selection sel;
  bool has_sel = !lua_isnoneornil(L, sidx);
  if (has_sel) check_selection(L, sidx, b.shape, sel, fname);
  Array* a = to_array(L, vidx);
  Scalar s;
  if (a) {
    if (!a->valid()) raise(L, fname, "array has been closed");
  } else if (is_number_or_bool(L, vidx)) {
    s = to_scalar(L, vidx);
    check_fits(L, s, b.dtype, fname);
  } else {
    raise(L, fname, "expected an array or a number, got %s", luaL_typename(L, vidx));
  }
  return guarded(L, fname, [&] {
    if (a) {
      h5::write(context(L), d, *a, has_sel ? &sel : nullptr);
    } else {
      Array v = Array::empty(b.dtype, Dims{}, context(L).account);
      s.store(b.dtype, v.data());
      h5::write(context(L), d, v, has_sel ? &sel : nullptr);
    }
    return 0;
  });
}

int l_write(lua_State* L) {
  h5::Object& d = check_dataset(L, 1, "write");
  lua_settop(L, 3);
  return write_from(L, d, 2, 3, "write");
}

int l_resize(lua_State* L) {
  h5::Object& d = check_dataset(L, 1, "resize");
  Dims shape = check_shape(L, 2, "resize");
  return guarded(L, "resize", [&] {
    h5::resize(d, shape);
    return 0;
  });
}

int l_append(lua_State* L) {
  h5::Object& d = check_dataset(L, 1, "append");
  Array& a = check_array(L, 2, "append");
  return guarded(L, "append", [&] {
    h5::append(context(L), d, a);
    return 0;
  });
}

int l_len(lua_State* L) {
  h5::Object& d = check_dataset(L, 1, "len");
  h5::Brief b = get_brief(L, d, "len");
  if (b.shape.n == 0) raise(L, "len", "a scalar dataset has no length");
  lua_pushinteger(L, b.shape[0]);
  return 1;
}

// ---- streaming ----

h5::BlockReader** to_blocks(lua_State* L, int idx) {
  return static_cast<h5::BlockReader**>(luaL_testudata(L, idx, kBlocksMeta));
}

int blocks_close(lua_State* L) {
  if (auto** r = to_blocks(L, 1)) {
    h5::BlockReader* reader = *r;
    *r = nullptr;
    delete reader;  // waits for a read in flight
  }
  return 0;
}

// Upvalues: the Context, the Blocks userdata.
int blocks_next(lua_State* L) {
  auto** r = to_blocks(L, lua_upvalueindex(2));
  if (!r || !*r) raise(L, "chunks", "the block iterator has been closed");
  h5::BlockReader* reader = *r;
  Array* slot = push_array_slot(L);
  bool more = false;
  std::int64_t first = 0, count = 0;
  guarded(L, "chunks", [&] {
    more = reader->next(*slot, first, count);
    return 0;
  });
  if (!more) {
    lua_pushnil(L);
    return 1;
  }
  lua_createtable(L, 2, 0);
  lua_pushinteger(L, first + 1);
  lua_rawseti(L, -2, 1);
  lua_pushinteger(L, first + count);
  lua_rawseti(L, -2, 2);
  return 2;
}

int l_chunks(lua_State* L) {
  h5::Object& d = check_dataset(L, 1, "chunks");
  auto* ref = static_cast<ObjectRef*>(lua_touserdata(L, 1));
  lua_settop(L, 2);
  std::int64_t rows = 0;
  bool prefetch = true;
  if (!lua_isnil(L, 2)) {
    if (lua_type(L, 2) != LUA_TTABLE)
      raise(L, "chunks", "expected an options table {rows = n, prefetch = true}, got %s",
            luaL_typename(L, 2));
    if (lua_getfield(L, 2, "rows") != LUA_TNIL) {
      rows = check_integer(L, -1, "chunks", "row count");
      if (rows < 1)
        raise(L, "chunks", "rows must be at least 1, got %lld", static_cast<long long>(rows));
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 2, "prefetch") != LUA_TNIL) prefetch = lua_toboolean(L, -1);
    lua_pop(L, 1);
  }
  (void)d;
  auto** slot = static_cast<h5::BlockReader**>(lua_newuserdatauv(L, sizeof(h5::BlockReader*), 0));
  *slot = nullptr;
  luaL_setmetatable(L, kBlocksMeta);  // 3
  guarded(L, "chunks", [&] {
    *slot = new h5::BlockReader(context(L).account, ref->obj, rows, prefetch);
    return 0;
  });
  lua_pushvalue(L, lua_upvalueindex(1));  // the Context
  lua_pushvalue(L, 3);
  lua_pushcclosure(L, blocks_next, 2);  // the iterator
  lua_pushnil(L);
  lua_pushnil(L);
  lua_pushvalue(L, 3);  // the closing value: breaking out of the loop stops the read-ahead
  return 4;
}

// d.chunks is the chunk shape as a table (empty when not chunked) that is
// also callable, so that d:chunks{rows = n} iterates: __call(t, d, opts).
int l_chunks_call(lua_State* L) {
  lua_remove(L, 1);
  return l_chunks(L);
}

// ---- properties ----

void push_dims_or_nil(lua_State* L, const Dims& d, bool unlimited_huge = false) {
  if (d.n == 0 && !unlimited_huge) {
    lua_pushnil(L);
    return;
  }
  lua_createtable(L, d.n, 0);
  for (int i = 0; i < d.n; ++i) {
    if (unlimited_huge && d[i] == h5::kUnlimited) lua_pushnumber(L, HUGE_VAL);
    else lua_pushinteger(L, d[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

const char* kind_dtype(const h5::TypeInfo& t) {
  if (t.kind == h5::TypeKind::Numeric || t.kind == h5::TypeKind::Bool) return dtype_name(t.dtype);
  if (t.kind == h5::TypeKind::String) return "string";
  return nullptr;
}

int l_index(lua_State* L) {
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    const char* k = lua_tostring(L, 2);
    if (std::strcmp(k, "is_open") == 0) {
      auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
      lua_pushboolean(L, r->obj && r->obj->is_open());
      return 1;
    }
    h5::Object& d = check_dataset(L, 1, "index");
    if (std::strcmp(k, "name") == 0) {
      lua_pushstring(L, d.name().c_str());
      return 1;
    }
    if (std::strcmp(k, "attrs") == 0) {
      push_attrs(L, static_cast<ObjectRef*>(lua_touserdata(L, 1))->obj);
      return 1;
    }
    auto* di = push_box<h5::DatasetInfo>(L);
    guarded(L, "index", [&] {
      *di = h5::info(d);
      return 0;
    });
    const Dims& shape = di->shape;
    if (std::strcmp(k, "shape") == 0) push_dims_or_nil(L, shape, true);
    else if (std::strcmp(k, "ndim") == 0) lua_pushinteger(L, shape.n);
    else if (std::strcmp(k, "size") == 0) lua_pushinteger(L, shape.product());
    else if (std::strcmp(k, "dtype") == 0) {
      const char* n = kind_dtype(di->type);
      if (n) lua_pushstring(L, n);
      else lua_pushfstring(L, "%s (unsupported)", di->type.name.c_str());
    } else if (std::strcmp(k, "h5type") == 0) lua_pushstring(L, di->type.name.c_str());
    else if (std::strcmp(k, "chunks") == 0) {
      lua_createtable(L, di->chunks.n, 0);
      for (int i = 0; i < di->chunks.n; ++i) {
        lua_pushinteger(L, di->chunks[i]);
        lua_rawseti(L, -2, i + 1);
      }
      lua_pushvalue(L, lua_upvalueindex(3));
      lua_setmetatable(L, -2);
    } else if (std::strcmp(k, "layout") == 0)
      lua_pushstring(L, di->chunks.n ? "chunked" : "contiguous");
    else if (std::strcmp(k, "maxshape") == 0) push_dims_or_nil(L, di->maxshape, true);
    else if (std::strcmp(k, "compression") == 0) {
      if (di->compression.empty()) lua_pushnil(L);
      else lua_pushstring(L, di->compression.c_str());
    } else if (std::strcmp(k, "compression_opts") == 0) {
      if (di->level >= 0) lua_pushinteger(L, di->level);
      else lua_pushnil(L);
    } else if (std::strcmp(k, "shuffle") == 0) lua_pushboolean(L, di->shuffle);
    else if (std::strcmp(k, "fillvalue") == 0) {
      if (di->has_fill) push_element(L, di->type.dtype, di->fill);
      else lua_pushnil(L);
    } else lua_pushnil(L);
    return 1;
  }
  h5::Object& d = check_dataset(L, 1, "index");
  return read_into(L, d, 2, "index");
}

int l_newindex(lua_State* L) {
  h5::Object& d = check_dataset(L, 1, "newindex");
  if (lua_type(L, 2) == LUA_TSTRING)
    raise(L, "newindex", "cannot assign field '%s' of a dataset (use d:write or d[{...}] = v)",
          lua_tostring(L, 2));
  return write_from(L, d, 3, 2, "newindex");
}

int l_tostring(lua_State* L) {
  auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
  if (!r || !r->obj || !r->obj->is_open()) {
    lua_pushstring(L, "<closed HDF5 dataset>");
    return 1;
  }
  auto* di = push_box<h5::DatasetInfo>(L);
  guarded(L, "tostring", [&] {
    *di = h5::info(*r->obj);
    return 0;
  });
  const char* dt = kind_dtype(di->type);
  lua_pushfstring(L, "<HDF5 dataset '%s': shape %s, %s>", r->obj->name().c_str(),
                  format_shape(di->shape).c_str(), dt ? dt : di->type.name.c_str());
  return 1;
}

int l_gc(lua_State* L) {
  auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
  if (r) r->obj.reset();
  return 0;
}

int l_close(lua_State* L) {
  auto* r = static_cast<ObjectRef*>(luaL_testudata(L, 1, kH5DatasetMeta));
  if (!r) raise(L, "close", "expected an HDF5 dataset, got %s", luaL_typename(L, 1));
  if (r->obj) r->obj->close();
  return 0;
}

const Entry methods[] = {
    {"read", l_read, kMethod, "d:read([slices])",
     "Reads the dataset, or only the hyperslab slices from disk: a table of ranges as in "
     "a[{...}] ({first, last [, step]}, 1-based and inclusive, negative from the end; ':' or {} "
     "for everything; a number selects one index and drops the dimension), or a number for "
     "the first dimension. d[slices] is the same. Numbers give an array (a Lua value when every "
     "dimension is indexed by a number); strings give Lua strings. Negative steps return a "
     "reversed view of the block read."},
    {"write", l_write, kMethod, "d:write(value [, slices])",
     "Writes an array (broadcast to the selection, converted to the dataset's type) or a number "
     "into the whole dataset or into slices (as in read). d[slices] = value is the same. A "
     "string dataset takes a string or a list of strings."},
    {"resize", l_resize, kMethod, "d:resize(shape)",
     "Changes the extents of a chunked dataset within its maxshape; new elements hold the fill "
     "value."},
    {"append", l_append, kMethod, "d:append(a)",
     "Appends the rows of a along the first dimension (a has the dataset's row shape, or that "
     "shape with any first extent), resizing the dataset."},
    {"len", l_len, kMethod, "d:len()", "The extent of the first dimension (also #d)."},
    {"close", l_close, kMethod, "d:close()",
     "Closes this dataset handle (also at the end of a <close> scope); idempotent."},
};

const Entry chunks_call[] = {
    {"chunks", l_chunks_call, kMethod, "d:chunks([{rows = n, prefetch = true}])",
     "Iterates the dataset in blocks of n rows along the first dimension (default: whole chunks "
     "near 8 MiB) with one block in memory at a time: for block, rows in d:chunks{rows = 1e5} "
     "do ... end, rows = {first, last}. (d.chunks, the chunk shape as a table, empty when the "
     "dataset is not chunked, is what d:chunks calls.) With prefetch (the default) the next block "
     "is read on "
     "the HDF5 I/O thread while the loop body runs."},
};

const Entry meta[] = {
    {"__gc", l_gc, kMeta, "", ""},
    {"__len", l_len, kMeta, "", ""},
    {"__newindex", l_newindex, kMeta, "", ""},
    {"__tostring", l_tostring, kMeta, "", ""},
};

void setup(lua_State* L, const Tables& t) {
  lua_newtable(L);
  int m = lua_gettop(L);
  install_entries(L, t, m, methods, "h5.dataset.");

  luaL_newmetatable(L, kH5DatasetMeta);
  int mt = lua_gettop(L);
  install_entries(L, t, mt, meta);
  lua_newtable(L);  // the metatable of d.chunks tables: __call iterates
  install_entries(L, t, lua_gettop(L), chunks_call, "h5.dataset.");
  lua_getfield(L, -1, "chunks");
  lua_setfield(L, -2, "__call");
  lua_pushnil(L);
  lua_setfield(L, -2, "chunks");
  int call_meta = lua_gettop(L);
  lua_pushvalue(L, t.context);
  lua_pushvalue(L, m);
  lua_pushvalue(L, call_meta);
  lua_pushcclosure(L, l_index, 3);
  lua_setfield(L, mt, "__index");
  lua_pop(L, 1);
  lua_getfield(L, m, "close");
  lua_setfield(L, mt, "__close");
  lua_pushstring(L, kH5DatasetMeta);
  lua_setfield(L, mt, "__name");
  lua_pop(L, 2);

  luaL_newmetatable(L, kBlocksMeta);
  lua_pushcfunction(L, blocks_close);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, blocks_close);
  lua_setfield(L, -2, "__close");
  lua_pop(L, 1);
}

const bool registered = (register_part(Part{"h5_dataset", 81, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
