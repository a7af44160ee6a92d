#include "transfer.hpp"

#include <cstdio>
#include <cstring>
#include <new>

#include "../lua/binding.hpp"

namespace tessera::par {
namespace {

enum Tag : unsigned char {
  kNil,
  kFalse,
  kTrue,
  kInt,
  kNum,
  kStr,
  kTable,  // id, then key/value pairs, then kEnd
  kEnd,
  kRef,       // id of a table or function already sent
  kFunction,  // id, bytecode, upvalue count, upvalues (values or kJoin)
  kJoin,      // this upvalue is upvalue k of function id
  kArray,     // index into Message::arrays
  kAtomic,    // index into Message::atomics
  kGlobals,   // the other side's global table
  kModule,    // package.loaded[name] (or require(name)), then keys to index
  kCrossing,  // registered userdata type: index, bytes
};

// Registry key of the cached names table (see forget_names).
constexpr const char* kNamesKey = "tessera.par.names";

std::vector<Crossing>& crossings() {
  static std::vector<Crossing> all;
  return all;
}

// ---- encoding ------------------------------------------------------------------

// Everything the encoder keeps is plain data or lives in Lua tables on the
// stack, so a Lua error raised in the middle leaks nothing.
struct Enc {
  lua_State* L = nullptr;
  Message* m = nullptr;
  const char* fname = "";
  const char* what = "";
  // Scratch tables, pushed before the first value is encoded (so that none
  // appears in the middle of a table traversal):
  int memo = 0;    // object -> id
  int upvals = 0;  // upvalue id (light userdata) -> function id * 256 + index
  int names = 0;   // module table or function -> {module, key...}; nil until needed
  int next_id = 0;
  char path[200] = {};
  std::size_t path_len = 0;
  char what_buf[64] = {};
};

void put(Enc& e, unsigned char c) { e.m->bytes.push_back(static_cast<char>(c)); }
void put_raw(Enc& e, const void* p, std::size_t n) {
  e.m->bytes.append(static_cast<const char*>(p), n);
}
void put_varint(Enc& e, std::uint64_t v) {
  while (v >= 0x80) {
    put(e, static_cast<unsigned char>(v | 0x80));
    v >>= 7;
  }
  put(e, static_cast<unsigned char>(v));
}
void put_string(Enc& e, const char* s, std::size_t n) {
  put_varint(e, n);
  put_raw(e, s, n);
}

// Appends " > segment" to the path; returns the previous length to restore.
std::size_t push_path(Enc& e, const char* fmt, const char* arg) {
  std::size_t old = e.path_len;
  if (e.path_len < sizeof e.path) {
    int n = std::snprintf(e.path + e.path_len, sizeof e.path - e.path_len, fmt, arg);
    if (n > 0) e.path_len = std::min(sizeof e.path - 1, e.path_len + static_cast<std::size_t>(n));
  }
  return old;
}
void pop_path(Enc& e, std::size_t old) {
  e.path_len = old;
  e.path[old] = '\0';
}

[[noreturn]] void refuse(Enc& e, const char* kind) {
  lua::raise(e.L, e.fname, "%s%s is %s, which cannot cross between Lua states", e.what, e.path,
             kind);
}

// names[t] = {module} for each module table; names[f] = {module, key} and
// {module, key, key2} for functions and tables one or two levels down
// (ts.zeros, ts.random.new).
void build_names(Enc& e) {
  lua_State* L = e.L;
  luaL_checkstack(L, 10, "par");
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, kNamesKey);
  lua_replace(L, e.names);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  int loaded = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, loaded)) {
    if (lua_type(L, -2) != LUA_TSTRING || lua_type(L, -1) != LUA_TTABLE) {
      lua_pop(L, 1);
      continue;
    }
    int mod = lua_gettop(L);
    // names[module] = {name}
    lua_pushvalue(L, mod);
    lua_createtable(L, 1, 0);
    lua_pushvalue(L, mod - 1);
    lua_rawseti(L, -2, 1);
    lua_rawset(L, e.names);
    lua_pushnil(L);
    while (lua_next(L, mod)) {
      int vt = lua_type(L, -1);
      if (lua_type(L, -2) == LUA_TSTRING && (vt == LUA_TFUNCTION || vt == LUA_TTABLE)) {
        lua_pushvalue(L, -1);
        if (lua_rawget(L, e.names) == LUA_TNIL) {  // first name wins
          lua_pop(L, 1);
          lua_pushvalue(L, -1);
          lua_createtable(L, 2, 0);
          lua_pushvalue(L, mod - 1);
          lua_rawseti(L, -2, 1);
          lua_pushvalue(L, -4);
          lua_rawseti(L, -2, 2);
          lua_rawset(L, e.names);
          if (vt == LUA_TTABLE) {  // one level further: ts.random.new
            int sub = lua_gettop(L);
            lua_pushnil(L);
            while (lua_next(L, sub)) {
              if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TFUNCTION) {
                lua_pushvalue(L, -1);
                if (lua_rawget(L, e.names) == LUA_TNIL) {
                  lua_pop(L, 1);
                  lua_pushvalue(L, -1);
                  lua_createtable(L, 3, 0);
                  lua_pushvalue(L, mod - 1);
                  lua_rawseti(L, -2, 1);
                  lua_pushvalue(L, sub - 1);
                  lua_rawseti(L, -2, 2);
                  lua_pushvalue(L, -4);
                  lua_rawseti(L, -2, 3);
                  lua_rawset(L, e.names);
                } else {
                  lua_pop(L, 1);
                }
              }
              lua_pop(L, 1);
            }
          }
        } else {
          lua_pop(L, 1);
        }
      }
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);  // loaded
}

// When the value at idx has a name (a module, or a function or table in one),
// writes kModule with it and returns true.
bool put_name(Enc& e, int idx) {
  lua_State* L = e.L;
  if (lua_isnil(L, e.names)) build_names(e);
  lua_pushvalue(L, idx);
  if (lua_rawget(L, e.names) != LUA_TTABLE) {
    lua_pop(L, 1);
    return false;
  }
  auto n = static_cast<int>(lua_rawlen(L, -1));
  bool skip = false;
  if (n >= 2 && !lua_iscfunction(L, idx)) {
    // A table or Lua function reached through _G is the script's own (the
    // other state's globals do not have it): it is copied instead.
    lua_rawgeti(L, -1, 1);
    skip = std::strcmp(lua_tostring(L, -1), "_G") == 0;
    lua_pop(L, 1);
  }
  if (skip) {
    lua_pop(L, 1);
    return false;
  }
  put(e, kModule);
  put_varint(e, static_cast<std::uint64_t>(n));
  for (int i = 1; i <= n; ++i) {
    lua_rawgeti(L, -1, i);
    std::size_t len;
    const char* s = lua_tolstring(L, -1, &len);
    put_string(e, s, len);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return true;
}

// Returns true (after writing kRef) when the object at idx was sent before;
// otherwise records it under a new id and returns false.
bool memo(Enc& e, int idx, int& id) {
  lua_State* L = e.L;
  lua_pushvalue(L, idx);
  if (lua_rawget(L, e.memo) == LUA_TNUMBER) {
    put(e, kRef);
    put_varint(e, static_cast<std::uint64_t>(lua_tointeger(L, -1)));
    lua_pop(L, 1);
    return true;
  }
  lua_pop(L, 1);
  id = e.next_id++;
  e.m->has_objects = true;
  lua_pushvalue(L, idx);
  lua_pushinteger(L, id);
  lua_rawset(L, e.memo);
  return false;
}

void encode_value(Enc& e, int idx);

void encode_table(Enc& e, int idx) {
  lua_State* L = e.L;
  lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS);
  bool globals = lua_rawequal(L, -1, idx);
  lua_pop(L, 1);
  if (globals) {
    put(e, kGlobals);
    return;
  }
  if (put_name(e, idx)) return;
  int id;
  if (memo(e, idx, id)) return;
  if (lua_getmetatable(L, idx)) {
    lua_pop(L, 1);
    refuse(e, "a table with a metatable");
  }
  put(e, kTable);
  put_varint(e, static_cast<std::uint64_t>(id));
  lua_pushnil(L);
  while (lua_next(L, idx)) {
    char seg[64];
    if (lua_type(L, -2) == LUA_TSTRING) {
      std::snprintf(seg, sizeof seg, " > field '%.40s'", lua_tostring(L, -2));
    } else if (lua_isinteger(L, -2)) {
      std::snprintf(seg, sizeof seg, " > [%lld]", static_cast<long long>(lua_tointeger(L, -2)));
    } else {
      std::snprintf(seg, sizeof seg, " > a %s key", luaL_typename(L, -2));
    }
    std::size_t old = push_path(e, "%s", seg);
    encode_value(e, lua_gettop(L) - 1);
    encode_value(e, lua_gettop(L));
    pop_path(e, old);
    lua_pop(L, 1);
  }
  put(e, kEnd);
}

int dump_writer(lua_State*, const void* p, size_t n, void* ud) {
  try {
    static_cast<std::string*>(ud)->append(static_cast<const char*>(p), n);
    return 0;
  } catch (...) {
    return 1;
  }
}

void encode_function(Enc& e, int idx) {
  lua_State* L = e.L;
  // Functions of loaded modules go by name (the other side requires the
  // module), whatever their upvalues hold.
  if (put_name(e, idx)) return;
  if (lua_iscfunction(L, idx)) refuse(e, "a C function that is not in a loaded module");
  int id;
  if (memo(e, idx, id)) return;
  put(e, kFunction);
  put_varint(e, static_cast<std::uint64_t>(id));
  // The bytecode, prefixed by its length (patched in after the dump).
  std::size_t at = e.m->bytes.size();
  put_raw(e, "\0\0\0\0\0\0\0\0", 8);
  lua_pushvalue(L, idx);
  int status = lua_dump(L, dump_writer, &e.m->bytes, 0);
  lua_pop(L, 1);
  if (status != 0) lua::raise(L, e.fname, "not enough memory to copy a function");
  std::uint64_t len = e.m->bytes.size() - at - 8;
  std::memcpy(&e.m->bytes[at], &len, 8);
  lua_Debug ar;
  lua_pushvalue(L, idx);
  lua_getinfo(L, ">u", &ar);
  put_varint(e, ar.nups);
  for (int i = 1; i <= ar.nups; ++i) {
    const char* name = lua_getupvalue(L, idx, i);  // pushes the value
    void* uid = lua_upvalueid(L, idx, i);
    lua_pushlightuserdata(L, uid);
    if (lua_rawget(L, e.upvals) == LUA_TNUMBER) {
      lua_Integer where = lua_tointeger(L, -1);
      put(e, kJoin);
      put_varint(e, static_cast<std::uint64_t>(where / 256));
      put_varint(e, static_cast<std::uint64_t>(where % 256));
      lua_pop(L, 2);
      continue;
    }
    lua_pop(L, 1);
    lua_pushlightuserdata(L, uid);
    lua_pushinteger(L, static_cast<lua_Integer>(id) * 256 + i);
    lua_rawset(L, e.upvals);
    std::size_t old = push_path(e, " > upvalue '%s'", name && name[0] ? name : "?");
    if (name && std::strcmp(name, "_ENV") == 0) put(e, kGlobals);  // globals are each state's own
    else encode_value(e, lua_gettop(L));
    pop_path(e, old);
    lua_pop(L, 1);
  }
}

void encode_userdata(Enc& e, int idx) {
  lua_State* L = e.L;
  if (Array* a = lua::to_array(L, idx)) {
    if (!a->valid()) refuse(e, "a closed array");
    put(e, kArray);
    put_varint(e, e.m->arrays.size());
    e.m->arrays.push_back(*a);
    return;
  }
  if (auto* cell = static_cast<std::shared_ptr<AtomicCell>*>(luaL_testudata(L, idx, kAtomicMeta))) {
    put(e, kAtomic);
    put_varint(e, e.m->atomics.size());
    e.m->atomics.push_back(*cell);
    return;
  }
  const auto& all = crossings();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!luaL_testudata(L, idx, all[i].meta)) continue;
    put(e, kCrossing);
    put_varint(e, i);
    std::string bytes;
    all[i].encode(L, idx, bytes);  // raises no Lua error
    put_string(e, bytes.data(), bytes.size());
    return;
  }
  if (luaL_getmetafield(L, idx, "__name") == LUA_TSTRING) {
    char kind[96];
    std::snprintf(kind, sizeof kind, "a userdata (%.60s)", lua_tostring(L, -1));
    lua_pop(L, 1);
    refuse(e, kind);
  }
  refuse(e, "a userdata");
}

void encode_value(Enc& e, int idx) {
  lua_State* L = e.L;
  luaL_checkstack(L, 16, "par: value nested too deeply");
  idx = lua_absindex(L, idx);
  switch (lua_type(L, idx)) {
    case LUA_TNIL: put(e, kNil); return;
    case LUA_TBOOLEAN: put(e, lua_toboolean(L, idx) ? kTrue : kFalse); return;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) {
        lua_Integer v = lua_tointeger(L, idx);
        put(e, kInt);
        put_raw(e, &v, sizeof v);
      } else {
        lua_Number v = lua_tonumber(L, idx);
        put(e, kNum);
        put_raw(e, &v, sizeof v);
      }
      return;
    case LUA_TSTRING: {
      std::size_t n;
      const char* s = lua_tolstring(L, idx, &n);
      put(e, kStr);
      put_string(e, s, n);
      return;
    }
    case LUA_TTABLE: encode_table(e, idx); return;
    case LUA_TFUNCTION: encode_function(e, idx); return;
    case LUA_TUSERDATA: encode_userdata(e, idx); return;
    case LUA_TTHREAD: refuse(e, "a coroutine");
    case LUA_TLIGHTUSERDATA: refuse(e, "a light userdata");
    default: refuse(e, "a value of unknown type");
  }
}

// ---- decoding ------------------------------------------------------------------

struct Dec {
  lua_State* L;
  const Message* m;
  const char* p;
  const char* end;
  int memo = 0;  // id -> object
};

[[noreturn]] void corrupt(Dec& d) {
  luaL_error(d.L, "par: malformed message");
  std::abort();
}

unsigned char get(Dec& d) {
  if (d.p >= d.end) corrupt(d);
  return static_cast<unsigned char>(*d.p++);
}
std::uint64_t get_varint(Dec& d) {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    unsigned char c = get(d);
    v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
    if (!(c & 0x80)) return v;
  }
  corrupt(d);
}
const char* get_bytes(Dec& d, std::size_t n) {
  if (static_cast<std::size_t>(d.end - d.p) < n) corrupt(d);
  const char* s = d.p;
  d.p += n;
  return s;
}

void decode_value(Dec& d);

void remember(Dec& d, std::uint64_t id, int idx) {
  if (!d.memo) corrupt(d);
  lua_pushvalue(d.L, idx);
  lua_rawseti(d.L, d.memo, static_cast<lua_Integer>(id));
}

void decode_module(Dec& d) {
  lua_State* L = d.L;
  auto n = static_cast<int>(get_varint(d));
  if (n < 1) corrupt(d);
  std::size_t len = get_varint(d);
  const char* name = get_bytes(d, len);
  lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  lua_pushlstring(L, name, len);
  if (lua_rawget(L, -2) == LUA_TNIL) {
    lua_pop(L, 1);
    lua_getglobal(L, "require");
    lua_pushlstring(L, name, len);
    lua_call(L, 1, 1);
  }
  lua_remove(L, -2);
  for (int i = 1; i < n; ++i) {
    std::size_t klen = get_varint(d);
    const char* key = get_bytes(d, klen);
    lua_pushlstring(L, key, klen);
    if (lua_type(L, -2) != LUA_TTABLE || lua_gettable(L, -2) == LUA_TNIL) {
      lua_pushlstring(L, key, klen);
      const char* k = lua_tostring(L, -1);
      lua_pushlstring(L, name, len);
      luaL_error(L, "par: '%s' is not in module '%s' of this Lua state", k, lua_tostring(L, -1));
    }
    lua_remove(L, -2);
  }
}

void decode_value(Dec& d) {
  lua_State* L = d.L;
  luaL_checkstack(L, 8, "par: value nested too deeply");
  switch (get(d)) {
    case kNil: lua_pushnil(L); return;
    case kFalse: lua_pushboolean(L, 0); return;
    case kTrue: lua_pushboolean(L, 1); return;
    case kInt: {
      lua_Integer v;
      std::memcpy(&v, get_bytes(d, sizeof v), sizeof v);
      lua_pushinteger(L, v);
      return;
    }
    case kNum: {
      lua_Number v;
      std::memcpy(&v, get_bytes(d, sizeof v), sizeof v);
      lua_pushnumber(L, v);
      return;
    }
    case kStr: {
      std::size_t n = get_varint(d);
      lua_pushlstring(L, get_bytes(d, n), n);
      return;
    }
    case kGlobals: lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS); return;
    case kModule: decode_module(d); return;
    case kRef: {
      std::uint64_t id = get_varint(d);
      if (!d.memo || lua_rawgeti(L, d.memo, static_cast<lua_Integer>(id)) == LUA_TNIL) corrupt(d);
      return;
    }
    case kTable: {
      std::uint64_t id = get_varint(d);
      lua_newtable(L);
      int t = lua_gettop(L);
      remember(d, id, t);
      while (d.p < d.end && static_cast<unsigned char>(*d.p) != kEnd) {
        decode_value(d);
        decode_value(d);
        if (lua_isnil(L, -2)) corrupt(d);
        lua_rawset(L, t);
      }
      get(d);  // kEnd
      return;
    }
    case kFunction: {
      std::uint64_t id = get_varint(d);
      std::uint64_t len;
      std::memcpy(&len, get_bytes(d, 8), 8);
      const char* code = get_bytes(d, len);
      if (luaL_loadbufferx(L, code, len, "=par", "b") != LUA_OK) lua_error(L);
      int f = lua_gettop(L);
      remember(d, id, f);
      auto nups = static_cast<int>(get_varint(d));
      for (int i = 1; i <= nups; ++i) {
        if (d.p < d.end && static_cast<unsigned char>(*d.p) == kJoin) {
          ++d.p;
          auto other = static_cast<lua_Integer>(get_varint(d));
          auto k = static_cast<int>(get_varint(d));
          if (lua_rawgeti(L, d.memo, other) != LUA_TFUNCTION) corrupt(d);
          lua_upvaluejoin(L, f, i, -1, k);
          lua_pop(L, 1);
          continue;
        }
        decode_value(d);
        if (!lua_setupvalue(L, f, i)) lua_pop(L, 1);
      }
      return;
    }
    case kArray: {
      std::uint64_t i = get_varint(d);
      if (i >= d.m->arrays.size()) corrupt(d);
      lua::push_array(L, d.m->arrays[i]);
      return;
    }
    case kAtomic: {
      std::uint64_t i = get_varint(d);
      if (i >= d.m->atomics.size()) corrupt(d);
      push_atomic(L, d.m->atomics[i]);
      return;
    }
    case kCrossing: {
      std::uint64_t i = get_varint(d);
      std::size_t n = get_varint(d);
      const char* bytes = get_bytes(d, n);
      if (i >= crossings().size() || !crossings()[i].decode(L, bytes, n)) corrupt(d);
      return;
    }
    default: corrupt(d);
  }
}

}  // namespace

void forget_names(lua_State* L) {
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, kNamesKey);
}

bool register_crossing(const Crossing& c) {
  crossings().push_back(c);
  return true;
}

void encode(lua_State* L, int first, int count, Message& m, const char* fname, const char* what,
            bool function_first) {
  first = lua_absindex(L, first);
  Enc e;
  e.L = L;
  e.m = &m;
  e.fname = fname;
  e.what = what;
  const int values = count - (function_first ? 1 : 0);
  int top = lua_gettop(L);
  for (int i = 0; i < count; ++i) {
    int t = lua_type(L, first + i);
    if (t == LUA_TTABLE || t == LUA_TFUNCTION || t == LUA_TUSERDATA) {
      luaL_checkstack(L, 24, "par");
      lua_newtable(L);
      e.memo = lua_gettop(L);
      lua_newtable(L);
      e.upvals = lua_gettop(L);
      lua_getfield(L, LUA_REGISTRYINDEX, kNamesKey);
      e.names = lua_gettop(L);
      break;
    }
  }
  bool failed = false;
  try {
    for (int i = 0; i < count; ++i) {
      if (function_first && i == 0) {
        e.what = "the function";
      } else if (values > 1) {
        std::snprintf(e.what_buf, sizeof e.what_buf, "%s %d", what, i + (function_first ? 0 : 1));
        e.what = e.what_buf;
      } else {
        e.what = what;
      }
      encode_value(e, first + i);
      ++m.count;
    }
  } catch (const std::bad_alloc&) {
    failed = true;
  }
  lua_settop(L, top);
  if (failed) lua::raise(L, fname, "not enough memory to copy values between Lua states");
}

void decode(lua_State* L, const Message& m) {
  Dec d{L, &m, m.bytes.data(), m.bytes.data() + m.bytes.size()};
  luaL_checkstack(L, m.count + 8, "par: too many values");
  if (m.has_objects) {
    lua_newtable(L);
    d.memo = lua_gettop(L);
  }
  for (int i = 0; i < m.count; ++i) decode_value(d);
  if (d.memo) lua_remove(L, d.memo);
}

}  // namespace tessera::par
