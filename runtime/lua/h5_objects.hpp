// Shared by the ts.h5 binding files: the userdata of files, groups, datasets
// and attribute sets, and Lua-owned boxes for C++ results.
//
// A File, Group or Dataset userdata holds a shared_ptr to an h5::Object (a
// file's is its root group); __gc drops it (the file closes when nothing
// opened from it is left), close() closes it now. An Attrs userdata holds the
// object whose attributes it shows.
#pragma once

#include <string>
#include <vector>
#include <memory>
#include <new>

#include "../h5/dataset.hpp"
#include "binding.hpp"

namespace tessera::lua {

inline constexpr const char* kH5FileMeta = "tessera.h5.File";
inline constexpr const char* kH5GroupMeta = "tessera.h5.Group";
inline constexpr const char* kH5DatasetMeta = "tessera.h5.Dataset";
inline constexpr const char* kH5AttrsMeta = "tessera.h5.Attrs";
inline constexpr const char* kH5BoxMeta = "tessera.h5.Box";

struct ObjectRef {
  std::shared_ptr<h5::Object> obj;
};

// The ObjectRef at idx when it is a File, Group or Dataset (or Attrs, with
// attrs = true), else nullptr.
ObjectRef* to_object(lua_State* L, int idx, bool attrs = false);
// A file or group (File: also when given a File); raises "fname: expected a
// group ..." or "fname: file has been closed".
h5::Object& check_group(lua_State* L, int idx, const char* fname);
h5::Object& check_dataset(lua_State* L, int idx, const char* fname);
h5::Object& check_any(lua_State* L, int idx, const char* fname);  // group or dataset
// Pushes a new Group userdata holding nothing; fill it inside guarded(),
// then fix_object_meta() gives it the Dataset metatable when it is one.
ObjectRef* push_object_slot(lua_State* L);
void fix_object_meta(lua_State* L, int idx);
// Pushes an Attrs userdata for obj.
void push_attrs(lua_State* L, const std::shared_ptr<h5::Object>& obj);

const char* check_string(lua_State* L, int idx, const char* fname, const char* what);

// A Lua-owned C++ value, destroyed by the box's __gc: results with
// destructors (strings, vectors) live in a box while Lua values are pushed
// from them, so a Lua error then leaks nothing.
struct BoxHeader {
  void (*destroy)(void*);
};
template <class T>
struct Box {
  BoxHeader header;
  T value;
};
template <class T>
T* push_box(lua_State* L) {
  void* p = lua_newuserdatauv(L, sizeof(Box<T>), 0);
  auto* box = new (p) Box<T>{{nullptr}, T{}};
  box->header.destroy = [](void* q) { static_cast<Box<T>*>(q)->~Box<T>(); };
  luaL_setmetatable(L, kH5BoxMeta);
  return &box->value;
}

// Reads a slice key (a number, or a table of ranges {first, last [, step]},
// ':' or {}) for a dataset of the given shape.
void check_selection(lua_State* L, int idx, const Dims& shape, h5::Selection& sel,
                     const char* fname);
// Pushes names as a Lua list of strings.
inline void push_name_list(lua_State* L, const std::vector<std::string>& names) {
  lua_createtable(L, static_cast<int>(names.size()), 0);
  for (std::size_t i = 0; i < names.size(); ++i) {
    lua_pushstring(L, names[i].c_str());
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
}

// Pushes strings (row-major, of shape) as nested tables, or a string when 0-d.
void push_strings(lua_State* L, const h5::Strings& s);
// Pushes a numeric h5 result: a Lua value for a 0-d array when scalar is
// true, otherwise the array.
void push_value_array(lua_State* L, const Array& a, bool scalar);

}  // namespace tessera::lua
