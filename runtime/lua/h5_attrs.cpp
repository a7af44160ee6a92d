// Attributes of HDF5 files, groups and datasets: obj.attrs.name reads,
// obj.attrs.name = value writes (numbers, booleans, strings, arrays, lists of
// strings; nil deletes), pairs(obj.attrs) iterates.
#include <cstring>

#include "h5_objects.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

h5::Object& check_attrs(lua_State* L, int idx, const char* fname) {
  auto* r = static_cast<ObjectRef*>(luaL_testudata(L, idx, kH5AttrsMeta));
  if (!r)
    raise(L, fname, "expected the attributes of an HDF5 object (obj.attrs), got %s",
          luaL_typename(L, idx));
  if (!r->obj || !r->obj->file() || !r->obj->file()->open) raise(L, fname, "file has been closed");
  if (!r->obj->is_open())
    raise(L, fname, "%s has been closed",
          r->obj->kind() == h5::ObjectKind::Dataset ? "dataset" : "group");
  return *r->obj;
}

// Pushes attribute `name` of o: numbers and booleans as Lua values when
// scalar, arrays otherwise; strings as Lua strings (tables when not scalar).
int push_attr(lua_State* L, h5::Object& o, const char* name, const char* fname) {
  h5::TypeKind kind = h5::TypeKind::Other;
  guarded(L, fname, [&] {
    h5::TypeInfo t = h5::attr_type(o, name);
    if (t.kind != h5::TypeKind::Numeric && t.kind != h5::TypeKind::Bool &&
        t.kind != h5::TypeKind::String)
      h5::unsupported(t, std::string("cannot read attribute '") + name + "'");
    kind = t.kind;
    return 0;
  });
  if (kind == h5::TypeKind::String) {
    auto* s = push_box<h5::Strings>(L);
    guarded(L, fname, [&] {
      *s = h5::read_attr_strings(o, name);
      return 0;
    });
    push_strings(L, *s);
    lua_replace(L, -2);  // drop the box
    return 1;
  }
  Array* slot = push_array_slot(L);
  guarded(L, fname, [&] {
    *slot = h5::read_attr(context(L), o, name);
    return 0;
  });
  if (slot->ndim() == 0) {
    push_element(L, slot->dtype(), slot->data());
    *slot = Array();
    lua_replace(L, -2);  // drop the slot
  }
  return 1;
}

int l_index(lua_State* L) {
  lua_pushvalue(L, 2);
  if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 1;
  lua_pop(L, 1);
  h5::Object& o = check_attrs(L, 1, "attrs");
  const char* name = check_string(L, 2, "attrs", "an attribute name");
  return push_attr(L, o, name, "attrs");
}

int l_get(lua_State* L) {
  h5::Object& o = check_attrs(L, 1, "attrs.get");
  const char* name = check_string(L, 2, "attrs.get", "an attribute name");
  lua_settop(L, 3);
  bool present = false;
  guarded(L, "attrs.get", [&] {
    present = h5::has_attr(o, name);
    return 0;
  });
  if (!present) return 1;  // the default (or nil)
  return push_attr(L, o, name, "attrs.get");
}

int l_exists(lua_State* L) {
  h5::Object& o = check_attrs(L, 1, "attrs.exists");
  const char* name = check_string(L, 2, "attrs.exists", "an attribute name");
  bool present = false;
  guarded(L, "attrs.exists", [&] {
    present = h5::has_attr(o, name);
    return 0;
  });
  lua_pushboolean(L, present);
  return 1;
}

int l_delete(lua_State* L) {
  h5::Object& o = check_attrs(L, 1, "attrs.delete");
  const char* name = check_string(L, 2, "attrs.delete", "an attribute name");
  return guarded(L, "attrs.delete", [&] {
    h5::delete_attr(o, name);
    return 0;
  });
}

int l_keys(lua_State* L) {
  h5::Object& o = check_attrs(L, 1, "attrs.keys");
  auto* names = push_box<std::vector<std::string>>(L);
  guarded(L, "attrs.keys", [&] {
    *names = h5::attr_names(o);
    return 0;
  });
  push_name_list(L, *names);
  return 1;
}

// Upvalues: the Context, the Attrs userdata, the list of names, position.
int items_next(lua_State* L) {
  lua_Integer i = lua_tointeger(L, lua_upvalueindex(4)) + 1;
  if (lua_rawgeti(L, lua_upvalueindex(3), i) == LUA_TNIL) return 1;
  lua_pushinteger(L, i);
  lua_replace(L, lua_upvalueindex(4));
  h5::Object& o = check_attrs(L, lua_upvalueindex(2), "attrs.items");
  push_attr(L, o, lua_tostring(L, -1), "attrs.items");
  return 2;
}

int l_items(lua_State* L) {
  check_attrs(L, 1, "attrs.items");
  lua_settop(L, 1);
  lua_pushvalue(L, lua_upvalueindex(1));  // Context
  lua_pushvalue(L, 1);
  lua_pushcfunction(L, l_keys);
  lua_pushvalue(L, 1);
  lua_call(L, 1, 1);
  lua_pushinteger(L, 0);
  lua_pushcclosure(L, items_next, 4);
  return 1;
}

int l_len(lua_State* L) {
  h5::Object& o = check_attrs(L, 1, "attrs.len");
  lua_Integer n = 0;
  guarded(L, "attrs.len", [&] {
    n = static_cast<lua_Integer>(h5::attr_names(o).size());
    return 0;
  });
  lua_pushinteger(L, n);
  return 1;
}

int l_newindex(lua_State* L) {
  h5::Object& o = check_attrs(L, 1, "attrs");
  const char* name = check_string(L, 2, "attrs", "an attribute name");
  int t = lua_type(L, 3);
  if (t == LUA_TNIL) {
    return guarded(L, "attrs", [&] {
      if (h5::has_attr(o, name)) h5::delete_attr(o, name);
      return 0;
    });
  }
  if (t == LUA_TSTRING || t == LUA_TTABLE) {
    std::size_t n = 1;
    const char* one = nullptr;
    const char** list = &one;
    bool scalar = t == LUA_TSTRING;
    if (scalar) {
      one = lua_tostring(L, 3);
    } else {
      n = static_cast<std::size_t>(lua_rawlen(L, 3));
      list = static_cast<const char**>(lua_newuserdatauv(L, (n ? n : 1) * sizeof(char*), 0));
      for (std::size_t i = 0; i < n; ++i) {
        if (lua_rawgeti(L, 3, static_cast<lua_Integer>(i + 1)) != LUA_TSTRING)
          raise(L, "attrs",
                "a table attribute must be a list of strings (use an array for "
                "numbers), got %s at position %d",
                luaL_typename(L, -1), int(i + 1));
        list[i] = lua_tostring(L, -1);
        lua_pop(L, 1);
      }
    }
    return guarded(L, "attrs", [&] {
      Dims shape = scalar ? Dims{} : Dims{static_cast<std::int64_t>(n)};
      h5::write_attr_strings(o, name, std::vector<std::string>(list, list + n), shape);
      return 0;
    });
  }
  Array* a = to_array(L, 3);
  Scalar s;
  if (a) {
    if (!a->valid()) raise(L, "attrs", "array has been closed");
  } else if (is_number_or_bool(L, 3)) {
    s = to_scalar(L, 3);
  } else {
    raise(L, "attrs",
          "attribute values are numbers, booleans, strings, arrays or lists of "
          "strings, got %s",
          luaL_typename(L, 3));
  }
  return guarded(L, "attrs", [&] {
    if (a) {
      h5::write_attr(context(L), o, name, *a);
    } else {
      DType dt = default_dtype(s.kind);
      Array v = Array::empty(dt, Dims{}, context(L).account);
      s.store(dt, v.data());
      h5::write_attr(context(L), o, name, v);
    }
    return 0;
  });
}

int l_gc(lua_State* L) {
  auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
  if (r) r->obj.reset();
  return 0;
}

int l_tostring(lua_State* L) {
  auto* r = static_cast<ObjectRef*>(lua_touserdata(L, 1));
  if (!r || !r->obj) lua_pushliteral(L, "<HDF5 attributes>");
  else lua_pushfstring(L, "<HDF5 attributes of '%s'>", r->obj->name().c_str());
  return 1;
}

const Entry methods[] = {
    {"keys", l_keys, kMethod, "obj.attrs:keys()",
     "The names of the attributes, in name order. obj.attrs.name reads one (numbers and "
     "booleans as Lua values, strings as Lua strings, others as arrays; a missing name is an "
     "error), obj.attrs.name = value writes one (a number, boolean, string, array or list of "
     "strings; nil deletes), pairs(obj.attrs) iterates. The method names (keys, items, get, "
     "exists, delete) shadow attributes of that name: read those with attrs:get(name)."},
    {"items", l_items, kMethod, "obj.attrs:items()",
     "An iterator over (name, value) of the attributes (pairs(obj.attrs) does the same)."},
    {"get", l_get, kMethod, "obj.attrs:get(name [, default])",
     "The attribute's value, or default (nil) when there is none."},
    {"exists", l_exists, kMethod, "obj.attrs:exists(name)", "True when the attribute exists."},
    {"delete", l_delete, kMethod, "obj.attrs:delete(name)",
     "Removes the attribute (an error when there is none)."},
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
  install_entries(L, t, m, methods, "h5.attrs.");
  luaL_newmetatable(L, kH5AttrsMeta);
  int mt = lua_gettop(L);
  install_entries(L, t, mt, meta);
  lua_pushvalue(L, t.context);
  lua_pushvalue(L, m);
  lua_pushcclosure(L, l_index, 2);
  lua_setfield(L, mt, "__index");
  lua_getfield(L, m, "items");
  lua_setfield(L, mt, "__pairs");
  lua_pushstring(L, kH5AttrsMeta);
  lua_setfield(L, mt, "__name");
  lua_pop(L, 2);
}

const bool registered = (register_part(Part{"h5_attrs", 82, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
