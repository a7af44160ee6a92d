// Moving Lua values between lua_States (the caller and its par workers).
//
// A Message holds encoded values: nil, booleans, numbers and strings by
// value; tables deep-copied (keys and values of these kinds; shared and
// cyclic references kept); arrays shared without copying (the Message holds
// the Array, so the storage stays alive); ts.par atomics shared; Lua
// functions as bytecode with their upvalues encoded the same way (upvalues
// shared between functions stay shared); and, by name, the global table,
// modules in package.loaded and functions reachable from them (math.sqrt,
// ts.zeros, ...), which the other side finds with require. Registered
// userdata types (random generators) cross by value. Anything else (a
// coroutine, other userdata, a C function not found in a module, a table with
// a metatable) raises a Lua error that names where it was found.
//
// This is the one place in runtime/par that uses the Lua C API.
#pragma once

#include <lua.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../array.hpp"

namespace tessera::par {

// A ts.par.atomic cell (lock-free on x86-64), shared by every state holding it.
struct AtomicCell {
  std::atomic<std::int64_t> value{0};
};
static_assert(std::atomic<std::int64_t>::is_always_lock_free, "atomics must be lock-free");

struct Message {
  std::string bytes;
  std::vector<Array> arrays;
  std::vector<std::shared_ptr<AtomicCell>> atomics;
  int count = 0;             // values at the top level
  bool has_objects = false;  // tables or functions (decoding then keeps a memo)

  void clear() {
    bytes.clear();
    arrays.clear();
    atomics.clear();
    count = 0;
    has_objects = false;
  }
};

// A userdata type that crosses by value: encode writes what decode needs to
// push an equal value in another state. encode may throw std::bad_alloc;
// decode pushes exactly one value, may raise Lua errors, and returns false
// (after pushing) when the bytes make no sense.
struct Crossing {
  const char* meta;  // registry name of the type's metatable
  void (*encode)(lua_State* L, int idx, std::string& out);
  bool (*decode)(lua_State* L, const char* bytes, std::size_t n);
};
bool register_crossing(const Crossing& c);

// The metatable name of ts.par atomics (lua/par.cpp makes them).
inline constexpr const char* kAtomicMeta = "tessera.par.Atomic";
// Pushes a new atomic userdata sharing cell.
void push_atomic(lua_State* L, const std::shared_ptr<AtomicCell>& cell);

// Encodes the values at stack indices [first, first + count) into m (which
// should be empty). On a value that cannot cross raises the Lua error
// "fname: <what> <path>: <reason>", e.g. "par.map: the function's upvalue
// 'co': a coroutine cannot cross to another Lua state". `what` names the
// values ("argument", "result", "item 3"); when `function_first` the first
// value is the task's function and is described as such. Must run inside a C
// function whose upvalue 1 is the Context (arrays are recognised through it).
// m should be owned by Lua (a userdata) so that a raised error leaks nothing.
void encode(lua_State* L, int first, int count, Message& m, const char* fname, const char* what,
            bool function_first = false);

// Names of module functions and tables are collected once (package.loaded
// scanned) and kept until forget_names, which each operation calls first so
// that modules changed since are seen.
void forget_names(lua_State* L);

// Pushes m's m.count values. Raises Lua errors (a module that require cannot
// find, out of memory). Same upvalue requirement as encode.
void decode(lua_State* L, const Message& m);

}  // namespace tessera::par
