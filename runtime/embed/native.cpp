#include "native.hpp"

#include <cstdio>
#include <exception>
#include <new>
#include <vector>

#include "../lua/binding.hpp"
#include "lua_values.hpp"

namespace tessera::embed {
namespace {

constexpr const char* kNativeMeta = "tessera.NativeFunction";

struct NativeBox {
  std::unique_ptr<detail::NativeFunction> fn;
  std::string name;  // for messages: "f" or "mylib.f"
};

int box_gc(lua_State* L) {
  static_cast<NativeBox*>(lua_touserdata(L, 1))->~NativeBox();
  return 0;
}

int push_results(lua_State* L, void* job) {
  const auto& results = *static_cast<const std::vector<Value>*>(job);
  luaL_checkstack(L, static_cast<int>(results.size()) + 2, "too many results");
  for (const Value& v : results) push_value(L, v);
  return static_cast<int>(results.size());
}

// The boundary: Lua arguments are copied into Values (no Lua error possible),
// the callable runs in try/catch, results are pushed in protected mode, and
// any error is raised only after every C++ object here has been destroyed.
int call_native(lua_State* L) {
  auto* box = static_cast<NativeBox*>(lua_touserdata(L, lua_upvalueindex(2)));
  char message[1024];
  bool failed = false;
  {
    std::vector<Value> args, results;
    try {
      args = take_values(L, 1);
      box->fn->invoke(lua::context(L), args, results);
      int status = protect(L, push_results, &results, LUA_MULTRET);
      if (status != LUA_OK) {
        std::snprintf(message, sizeof message, "%s", pop_message(L).c_str());
        failed = true;
      }
    } catch (const std::exception& e) {
      std::snprintf(message, sizeof message, "%s", e.what());
      failed = true;
    } catch (...) {
      std::snprintf(message, sizeof message, "unexpected C++ exception");
      failed = true;
    }
  }
  if (failed) lua::raise(L, box->name.c_str(), "%s", message);
  return lua_gettop(L);
}

// Leaves the module table on the stack.
void push_module(lua_State* L, const char* table) {
  luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
  if (lua_getfield(L, -1, table) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, table);
  }
  lua_remove(L, -2);
  lua_pushvalue(L, -1);
  lua_setglobal(L, table);
}

struct DefineJob {
  const std::string* table;
  const std::string* name;
  std::unique_ptr<detail::NativeFunction>* fn;
  std::string* full_name;
};

int define_body(lua_State* L, void* p) {
  auto& job = *static_cast<DefineJob*>(p);
  if (!job.table->empty()) push_module(L, job.table->c_str());
  if (luaL_newmetatable(L, kNativeMeta)) {
    lua_pushcfunction(L, box_gc);
    lua_setfield(L, -2, "__gc");
  }
  lua_pushvalue(L, lua_upvalueindex(1));  // the Context
  auto* box = static_cast<NativeBox*>(lua_newuserdatauv(L, sizeof(NativeBox), 0));
  // Nothing below can raise before the metatable (and so __gc) is set.
  new (box) NativeBox{std::move(*job.fn), std::move(*job.full_name)};  // noexcept moves
  lua_pushvalue(L, -3);
  lua_setmetatable(L, -2);
  lua_pushcclosure(L, call_native, 2);
  lua_remove(L, -2);  // the metatable
  if (job.table->empty()) lua_setglobal(L, job.name->c_str());
  else lua_setfield(L, -2, job.name->c_str());
  return 0;
}

int module_body(lua_State* L, void* table) {
  push_module(L, static_cast<const std::string*>(table)->c_str());
  return 0;
}

void check(lua_State* L, int status) {
  if (status != LUA_OK) throw ScriptError(pop_message(L), "");
}

}  // namespace

void make_module(lua_State* L, const std::string& table) {
  check(L, protect(L, module_body, const_cast<std::string*>(&table), 0));
}

void define_native(lua_State* L, const std::string& table, const std::string& name,
                   std::unique_ptr<detail::NativeFunction> fn) {
  std::string full_name = table.empty() ? name : table + "." + name;
  DefineJob job{&table, &name, &fn, &full_name};
  check(L, protect(L, define_body, &job, 0));
}

}  // namespace tessera::embed
