// ts.sketch: probabilistic counters and membership sketches as userdata, one
// metatable per structure (runtime/sketch/ holds the structures). Items are
// strings, numbers, booleans or whole arrays (hashed as kernels/hash.hpp
// defines; bulk operations run in parallel). Every sketch has add, count,
// merge, bytes, serialize, info and __tostring (and contains where it means
// something); ts.sketch.load(s) reads any serialized sketch back.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <new>
#include <string>
#include <vector>

#include "../sketch/bloom.hpp"
#include "../sketch/countmin.hpp"
#include "../sketch/hll.hpp"
#include "../sketch/kmv.hpp"
#include "../../kernels/sketch_ops.hpp"
#include "../sketch/morris.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

using sketch::Kind;
using kernels::Hash128;

// ---- handles -----------------------------------------------------------------

// A sketch userdata holds a Handle*: null until the constructor's C++ work
// succeeded, and again after __gc/__close. Its native bytes are charged to the
// runtime's memory account, so they pace the collector as arrays do.
struct Handle {
  std::unique_ptr<sketch::Sketch> obj;
  std::shared_ptr<MemoryAccount> account;
  std::size_t charged = 0;

  void recharge() {
    std::size_t now = obj ? obj->bytes() : 0;
    if (now > charged) account->charge(now - charged);
    else if (now < charged) account->release(charged - now);
    charged = now;
  }
  ~Handle() {
    if (charged) account->release(charged);
  }
};

struct TypeInfo {
  Kind kind;
  const char* meta;  // registry name of the metatable
  const char* name;  // prefix of errors and docs: "hll" in "hll:add"
};

const TypeInfo kTypes[] = {
    {Kind::Bloom, "tessera.sketch.bloom", "bloom"},
    {Kind::ScalableBloom, "tessera.sketch.scalable_bloom", "scalable_bloom"},
    {Kind::HyperLogLog, "tessera.sketch.hll", "hll"},
    {Kind::Morris, "tessera.sketch.morris", "morris"},
    {Kind::Kmv, "tessera.sketch.kmv", "kmv"},
    {Kind::CountMin, "tessera.sketch.countmin", "countmin"},
};

const TypeInfo& type_of(Kind k) {
  for (const auto& t : kTypes)
    if (t.kind == k) return t;
  return kTypes[0];
}

// The sketch type of the value at idx, or null.
const TypeInfo* sketch_type(lua_State* L, int idx) {
  for (const auto& t : kTypes)
    if (luaL_testudata(L, idx, t.meta)) return &t;
  return nullptr;
}

const char* describe_value(lua_State* L, int idx) {
  if (const TypeInfo* t = sketch_type(L, idx)) {
    lua_pushfstring(L, "a %s sketch", t->name);
    return lua_tostring(L, -1);
  }
  if (to_array(L, idx)) return "an array";
  return luaL_typename(L, idx);
}

template <class T>
T& check_sketch(lua_State* L, int idx, Kind kind, const char* fname) {
  const TypeInfo& t = type_of(kind);
  auto box = static_cast<Handle**>(luaL_testudata(L, idx, t.meta));
  if (!box)
    raise(L, fname, "expected a %s sketch at argument %d, got %s", t.name, idx,
          describe_value(L, idx));
  if (!*box || !(*box)->obj) raise(L, fname, "sketch has been closed");
  return static_cast<T&>(*(*box)->obj);
}

Handle& handle_at(lua_State* L, int idx) {
  return **static_cast<Handle**>(lua_touserdata(L, idx));
}

// Pushes an empty sketch box (with the kind's metatable unless null).
Handle** push_box(lua_State* L, const char* meta) {
  pace_collector(L);
  auto box = static_cast<Handle**>(lua_newuserdatauv(L, sizeof(Handle*), 0));
  *box = nullptr;
  if (meta) luaL_setmetatable(L, meta);
  return box;
}

// Runs make() (returning a unique_ptr to a sketch) inside guarded() and
// stores it in a new box of the given kind. Returns 1.
template <class Make>
int push_new_sketch(lua_State* L, Kind kind, const char* fname, Make&& make) {
  Handle** box = push_box(L, type_of(kind).meta);
  Context& ctx = context(L);
  return guarded(L, fname, [&] {
    auto h = std::make_unique<Handle>();
    h->account = ctx.account;
    h->obj = make();
    h->recharge();
    *box = h.release();
    return 1;
  });
}

int l_sketch_gc(lua_State* L) {
  auto box = static_cast<Handle**>(lua_touserdata(L, 1));
  if (box && *box) {
    delete *box;
    *box = nullptr;
  }
  return 0;
}

// A userdata owning one C++ value until collected: results built inside
// guarded() live here, so a Lua error while pushing them leaks nothing.
constexpr const char* kHolderMeta = "tessera.sketch.holder";
struct HolderHeader {
  void (*destroy)(void*);
};

template <class T>
T* push_holder(lua_State* L) {
  static_assert(alignof(T) <= alignof(std::max_align_t), "holder alignment");
  constexpr std::size_t offset = (sizeof(HolderHeader) + alignof(std::max_align_t) - 1) /
                                 alignof(std::max_align_t) * alignof(std::max_align_t);
  void* p = lua_newuserdatauv(L, offset + sizeof(T), 0);
  auto header = static_cast<HolderHeader*>(p);
  header->destroy = nullptr;
  luaL_setmetatable(L, kHolderMeta);
  T* obj = new (static_cast<char*>(p) + offset) T();
  header->destroy = [](void* q) {
    reinterpret_cast<T*>(static_cast<char*>(q) + offset)->~T();
  };
  return obj;
}

int l_holder_gc(lua_State* L) {
  auto header = static_cast<HolderHeader*>(lua_touserdata(L, 1));
  if (header && header->destroy) {
    header->destroy(header);
    header->destroy = nullptr;
  }
  return 0;
}

// ---- items -------------------------------------------------------------------

struct Item {
  Array* array = nullptr;  // a whole array, or
  Hash128 hash{0, 0};      // one value's hash
  int type = LUA_TNIL;
};

Item check_item(lua_State* L, int idx, const char* fname) {
  Item it;
  it.type = lua_type(L, idx);
  switch (it.type) {
    case LUA_TSTRING: {
      size_t n;
      const char* s = lua_tolstring(L, idx, &n);
      it.hash = kernels::hash_string(s, n);
      return it;
    }
    case LUA_TNUMBER:
      it.hash = lua_isinteger(L, idx) ? kernels::hash_integer(lua_tointeger(L, idx))
                                      : kernels::hash_number(lua_tonumber(L, idx));
      return it;
    case LUA_TBOOLEAN:
      it.hash = kernels::hash_integer(lua_toboolean(L, idx) ? 1 : 0);
      return it;
    default:
      break;
  }
  if ((it.array = test_array(L, idx, fname))) {
    if (is_complex(it.array->dtype()))
      raise(L, fname, "%s is not supported", dtype_name(it.array->dtype()));
    return it;
  }
  raise(L, fname, "expected a string, number, boolean or array at argument %d, got %s", idx,
        describe_value(L, idx));
}

// Pushes a bool array of a's shape with fill(contiguous a, out) inside guarded().
template <class Fill>
int push_bool_result(lua_State* L, const Array& a, const char* fname, Fill&& fill) {
  Context& ctx = context(L);
  return push_new_array(L, fname, [&] {
    Array src = sketch::contiguous(ctx, a);
    Array out = Array::empty(DType::Bool, a.shape(), ctx.account);
    fill(src, out.data_as<bool>());
    return out;
  });
}

int push_serialized(lua_State* L, const sketch::Sketch& s, const char* fname) {
  std::string* text = push_holder<std::string>(L);
  guarded(L, fname, [&] {
    *text = sketch::serialize(s);
    return 0;
  });
  lua_pushlstring(L, text->data(), text->size());
  return 1;
}

int push_bytes(lua_State* L, const sketch::Sketch& s) {
  lua_pushinteger(L, static_cast<lua_Integer>(s.bytes()));
  return 1;
}

int push_tostring(lua_State* L, const sketch::Sketch& s, const char* fname) {
  std::string* text = push_holder<std::string>(L);
  guarded(L, fname, [&] {
    *text = s.describe();
    return 0;
  });
  lua_pushlstring(L, text->data(), text->size());
  return 1;
}

void set_number(lua_State* L, const char* key, double v) {
  lua_pushnumber(L, v);
  lua_setfield(L, -2, key);
}
void set_integer(lua_State* L, const char* key, lua_Integer v) {
  lua_pushinteger(L, v);
  lua_setfield(L, -2, key);
}
void set_string(lua_State* L, const char* key, const char* v) {
  lua_pushstring(L, v);
  lua_setfield(L, -2, key);
}
void set_bool(lua_State* L, const char* key, bool v) {
  lua_pushboolean(L, v);
  lua_setfield(L, -2, key);
}

double check_number(lua_State* L, int idx, const char* fname, const char* what) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    raise(L, fname, "expected a number for %s at argument %d, got %s", what, idx,
          luaL_typename(L, idx));
  return lua_tonumber(L, idx);
}

double opt_number(lua_State* L, int idx, const char* fname, const char* what, double fallback) {
  return lua_isnoneornil(L, idx) ? fallback : check_number(L, idx, fname, what);
}

std::int64_t opt_integer(lua_State* L, int idx, const char* fname, const char* what,
                         std::int64_t fallback) {
  return lua_isnoneornil(L, idx) ? fallback : check_integer(L, idx, fname, what);
}

// Field `key` of the options table at idx moved to the stack top (nil if absent).
void get_option(lua_State* L, int idx, const char* key) { lua_getfield(L, idx, key); }

// ---- constructors ------------------------------------------------------------

int l_new_bloom(lua_State* L) {
  const char* f = "sketch.bloom";
  double capacity = check_number(L, 1, f, "capacity");
  double fp = opt_number(L, 2, f, "false-positive rate", 0.01);
  return push_new_sketch(L, Kind::Bloom, f,
                         [&] { return std::make_unique<sketch::Bloom>(capacity, fp); });
}

int l_new_scalable_bloom(lua_State* L) {
  const char* f = "sketch.scalable_bloom";
  double capacity = opt_number(L, 1, f, "initial capacity", 1024);
  double fp = opt_number(L, 2, f, "false-positive rate", 0.01);
  double growth = opt_number(L, 3, f, "growth", 2);
  double ratio = opt_number(L, 4, f, "tightening ratio", 0.85);
  return push_new_sketch(L, Kind::ScalableBloom, f, [&] {
    return std::make_unique<sketch::ScalableBloom>(capacity, fp, growth, ratio);
  });
}

int l_new_hll(lua_State* L) {
  const char* f = "sketch.hll";
  std::int64_t p = opt_integer(L, 1, f, "precision", 14);
  if (p < kernels::kHllMinPrecision || p > kernels::kHllMaxPrecision)
    raise(L, f, "precision must be an integer from %d to %d, got %lld", kernels::kHllMinPrecision,
          kernels::kHllMaxPrecision, static_cast<long long>(p));
  return push_new_sketch(L, Kind::HyperLogLog, f,
                         [&] { return std::make_unique<sketch::HyperLogLog>(int(p)); });
}

int l_new_morris(lua_State* L) {
  const char* f = "sketch.morris";
  double base = opt_number(L, 1, f, "base", 2.0);
  std::int64_t seed = opt_integer(L, 2, f, "seed", 0);
  return push_new_sketch(L, Kind::Morris, f, [&] {
    return std::make_unique<sketch::Morris>(base, static_cast<std::uint64_t>(seed));
  });
}

int l_new_kmv(lua_State* L) {
  const char* f = "sketch.kmv";
  std::int64_t k = opt_integer(L, 1, f, "k", 1024);
  return push_new_sketch(L, Kind::Kmv, f, [&] { return std::make_unique<sketch::Kmv>(k); });
}

int l_new_countmin(lua_State* L) {
  const char* f = "sketch.countmin";
  std::int64_t width = 0, depth = 0, topk = 10;
  if (lua_type(L, 1) == LUA_TTABLE) {
    lua_settop(L, 1);
    get_option(L, 1, "topk");
    topk = opt_integer(L, 2, f, "topk", 10);
    get_option(L, 1, "width");
    get_option(L, 1, "depth");
    get_option(L, 1, "epsilon");
    get_option(L, 1, "delta");
    if (!lua_isnil(L, 3) || !lua_isnil(L, 4)) {
      if (!lua_isnil(L, 5) || !lua_isnil(L, 6))
        raise(L, f, "give either width and depth or epsilon and delta, not both");
      width = check_integer(L, 3, f, "width");
      depth = check_integer(L, 4, f, "depth");
    } else {
      double eps = opt_number(L, 5, f, "epsilon", 0.001);
      double delta = opt_number(L, 6, f, "delta", 0.01);
      if (!(eps > 0 && eps < 1)) raise(L, f, "epsilon must be between 0 and 1, got %g", eps);
      if (!(delta > 0 && delta < 1)) raise(L, f, "delta must be between 0 and 1, got %g", delta);
      width = static_cast<std::int64_t>(std::ceil(std::exp(1.0) / eps));
      depth = static_cast<std::int64_t>(std::ceil(std::log(1 / delta)));
    }
  } else {
    width = check_integer(L, 1, f, "width");
    depth = check_integer(L, 2, f, "depth");
    topk = opt_integer(L, 3, f, "topk", 10);
  }
  return push_new_sketch(L, Kind::CountMin, f,
                         [&] { return std::make_unique<sketch::CountMin>(width, depth, topk); });
}

int l_load(lua_State* L) {
  const char* f = "sketch.load";
  if (lua_type(L, 1) != LUA_TSTRING)
    raise(L, f, "expected a string at argument 1, got %s", luaL_typename(L, 1));
  size_t n;
  const char* s = lua_tolstring(L, 1, &n);
  Handle** box = push_box(L, nullptr);
  Context& ctx = context(L);
  Kind kind = Kind::Bloom;
  guarded(L, f, [&] {
    auto h = std::make_unique<Handle>();
    h->account = ctx.account;
    h->obj = sketch::load(s, n);
    kind = h->obj->kind();
    h->recharge();
    *box = h.release();
    return 0;
  });
  luaL_setmetatable(L, type_of(kind).meta);
  return 1;
}

int l_hash(lua_State* L) {
  const char* f = "sketch.hash";
  Item it = check_item(L, 1, f);
  if (it.array) raise(L, f, "expected a string, number or boolean at argument 1, got an array");
  lua_pushinteger(L, static_cast<lua_Integer>(it.hash.h1));
  lua_pushinteger(L, static_cast<lua_Integer>(it.hash.h2));
  return 2;
}

// ---- common methods -----------------------------------------------------------

// A method's name for errors, like "hll:merge" (a plain char array: nothing
// to destroy when an error unwinds).
struct Name {
  char s[48];
};

template <Kind K>
Name method_name(const char* method) {
  Name n;
  std::snprintf(n.s, sizeof n.s, "%s:%s", type_of(K).name, method);
  return n;
}

template <class T, Kind K>
int m_bytes(lua_State* L) {
  const Name f = method_name<K>("bytes");
  return push_bytes(L, check_sketch<T>(L, 1, K, f.s));
}

template <class T, Kind K>
int m_serialize(lua_State* L) {
  const Name name = method_name<K>("serialize");
  const char* f = name.s;
  return push_serialized(L, check_sketch<T>(L, 1, K, f), f);
}

template <class T, Kind K>
int m_tostring(lua_State* L) {
  const Name name = method_name<K>("tostring");
  const char* f = name.s;
  auto box = static_cast<Handle**>(luaL_testudata(L, 1, type_of(K).meta));
  if (box && (!*box || !(*box)->obj)) {
    lua_pushfstring(L, "%s(closed)", type_of(K).name);
    return 1;
  }
  return push_tostring(L, check_sketch<T>(L, 1, K, f), f);
}

template <class T, Kind K>
int m_merge(lua_State* L) {
  const Name name = method_name<K>("merge");
  const char* f = name.s;
  T& self = check_sketch<T>(L, 1, K, f);
  T& other = check_sketch<T>(L, 2, K, f);
  Handle& h = handle_at(L, 1);
  return return_self(L, f, [&] {
    self.merge(other);
    h.recharge();
  });
}

template <class T, Kind K>
int m_add(lua_State* L) {
  const Name name = method_name<K>("add");
  const char* f = name.s;
  T& self = check_sketch<T>(L, 1, K, f);
  Item it = check_item(L, 2, f);
  Handle& h = handle_at(L, 1);
  Context& ctx = context(L);
  return return_self(L, f, [&] {
    if (it.array)
      self.add_array(ctx, *it.array);
    else
      self.add(it.hash);
    h.recharge();
  });
}

template <class T, Kind K>
int m_contains(lua_State* L) {
  const Name name = method_name<K>("contains");
  const char* f = name.s;
  T& self = check_sketch<T>(L, 1, K, f);
  Item it = check_item(L, 2, f);
  if (!it.array) {
    lua_pushboolean(L, self.contains(it.hash));
    return 1;
  }
  Context& ctx = context(L);
  return push_bool_result(L, *it.array, f,
                          [&](const Array& a, bool* out) { self.contains_array(ctx, a, out); });
}

// ---- bloom ---------------------------------------------------------------------

using sketch::Bloom;
using sketch::CountMin;
using sketch::HyperLogLog;
using sketch::Kmv;
using sketch::Morris;
using sketch::ScalableBloom;

int bloom_count(lua_State* L) {
  lua_pushnumber(L, check_sketch<Bloom>(L, 1, Kind::Bloom, "bloom:count").estimate());
  return 1;
}

int bloom_info(lua_State* L) {
  Bloom& b = check_sketch<Bloom>(L, 1, Kind::Bloom, "bloom:info");
  lua_createtable(L, 0, 9);
  set_string(L, "kind", "bloom");
  set_integer(L, "capacity", static_cast<lua_Integer>(b.capacity()));
  set_number(L, "fp_rate", b.fp_rate());
  set_integer(L, "bits", static_cast<lua_Integer>(b.nbits()));
  set_integer(L, "hashes", b.hashes());
  set_integer(L, "bits_set", static_cast<lua_Integer>(b.bits_set()));
  set_number(L, "fill", b.fill());
  set_number(L, "current_fp_rate", b.current_fp_rate());
  set_number(L, "estimate", b.estimate());
  return 1;
}

// ---- scalable bloom -----------------------------------------------------------

int sbf_count(lua_State* L) {
  auto& s = check_sketch<ScalableBloom>(L, 1, Kind::ScalableBloom, "scalable_bloom:count");
  lua_pushinteger(L, static_cast<lua_Integer>(s.count()));
  return 1;
}

int sbf_merge(lua_State* L) {
  const char* f = "scalable_bloom:merge";
  check_sketch<ScalableBloom>(L, 1, Kind::ScalableBloom, f);
  check_sketch<ScalableBloom>(L, 2, Kind::ScalableBloom, f);
  raise(L, f,
        "scalable Bloom filters cannot be merged without losing their false-positive bound "
        "(their chains differ); merge plain Bloom filters of equal capacity and rate, or add "
        "both streams to one filter");
}

int sbf_info(lua_State* L) {
  auto& s = check_sketch<ScalableBloom>(L, 1, Kind::ScalableBloom, "scalable_bloom:info");
  lua_createtable(L, 0, 5);
  set_string(L, "kind", "scalable_bloom");
  set_number(L, "fp_rate", s.fp_rate());
  set_integer(L, "filters", static_cast<lua_Integer>(s.filters()));
  set_integer(L, "count", static_cast<lua_Integer>(s.count()));
  set_number(L, "fp_bound", s.current_fp_bound());
  return 1;
}

// ---- hll -----------------------------------------------------------------------

int hll_count(lua_State* L) {
  lua_pushnumber(L, check_sketch<HyperLogLog>(L, 1, Kind::HyperLogLog, "hll:count").estimate());
  return 1;
}

int hll_info(lua_State* L) {
  auto& h = check_sketch<HyperLogLog>(L, 1, Kind::HyperLogLog, "hll:info");
  lua_createtable(L, 0, 7);
  set_string(L, "kind", "hll");
  set_integer(L, "precision", h.precision());
  set_integer(L, "registers", h.registers());
  set_bool(L, "sparse", h.is_sparse());
  set_number(L, "standard_error", 1.04 / std::sqrt(double(h.registers())));
  set_number(L, "estimate", h.estimate());
  set_number(L, "raw_estimate", h.raw_estimate());
  return 1;
}

// ---- morris --------------------------------------------------------------------

int morris_add(lua_State* L) {
  const char* f = "morris:add";
  Morris& m = check_sketch<Morris>(L, 1, Kind::Morris, f);
  std::uint64_t n = 1;
  if (!lua_isnoneornil(L, 2)) {
    Item it = check_item(L, 2, f);
    if (it.array) n = static_cast<std::uint64_t>(it.array->size());
  }
  m.add_events(n);
  lua_settop(L, 1);
  return 1;
}

int morris_increment(lua_State* L) {
  const char* f = "morris:increment";
  Morris& m = check_sketch<Morris>(L, 1, Kind::Morris, f);
  std::int64_t n = opt_integer(L, 2, f, "count", 1);
  if (n < 0) raise(L, f, "count must not be negative, got %lld", static_cast<long long>(n));
  m.add_events(static_cast<std::uint64_t>(n));
  lua_settop(L, 1);
  return 1;
}

int morris_count(lua_State* L) {
  lua_pushnumber(L, check_sketch<Morris>(L, 1, Kind::Morris, "morris:count").estimate());
  return 1;
}

int morris_info(lua_State* L) {
  auto& m = check_sketch<Morris>(L, 1, Kind::Morris, "morris:info");
  lua_createtable(L, 0, 5);
  set_string(L, "kind", "morris");
  set_number(L, "base", m.base());
  set_integer(L, "counter", m.counter());
  set_number(L, "estimate", m.estimate());
  set_number(L, "relative_error", m.relative_error());
  return 1;
}

// ---- kmv -----------------------------------------------------------------------

int kmv_count(lua_State* L) {
  lua_pushnumber(L, check_sketch<Kmv>(L, 1, Kind::Kmv, "kmv:count").estimate());
  return 1;
}

int kmv_union(lua_State* L) {
  const char* f = "kmv:union";
  Kmv& a = check_sketch<Kmv>(L, 1, Kind::Kmv, f);
  Kmv& b = check_sketch<Kmv>(L, 2, Kind::Kmv, f);
  return push_new_sketch(L, Kind::Kmv, f, [&] { return Kmv::union_of(a, b); });
}

int kmv_intersection(lua_State* L) {
  const char* f = "kmv:intersection";
  Kmv& a = check_sketch<Kmv>(L, 1, Kind::Kmv, f);
  Kmv& b = check_sketch<Kmv>(L, 2, Kind::Kmv, f);
  double v = 0;
  guarded(L, f, [&] {
    v = Kmv::intersection(a, b);
    return 0;
  });
  lua_pushnumber(L, v);
  return 1;
}

int kmv_jaccard(lua_State* L) {
  const char* f = "kmv:jaccard";
  Kmv& a = check_sketch<Kmv>(L, 1, Kind::Kmv, f);
  Kmv& b = check_sketch<Kmv>(L, 2, Kind::Kmv, f);
  double v = 0;
  guarded(L, f, [&] {
    v = Kmv::jaccard(a, b);
    return 0;
  });
  lua_pushnumber(L, v);
  return 1;
}

int kmv_info(lua_State* L) {
  auto& s = check_sketch<Kmv>(L, 1, Kind::Kmv, "kmv:info");
  lua_createtable(L, 0, 5);
  set_string(L, "kind", "kmv");
  set_integer(L, "k", s.k());
  set_integer(L, "values", static_cast<lua_Integer>(s.values().size()));
  set_number(L, "estimate", s.estimate());
  set_number(L, "relative_error", s.relative_error());
  return 1;
}

// ---- count-min -----------------------------------------------------------------

sketch::Key key_of(lua_State* L, int idx) {
  if (lua_type(L, idx) == LUA_TSTRING) {
    size_t n;
    const char* s = lua_tolstring(L, idx, &n);
    return sketch::Key::string(s, n);
  }
  if (lua_type(L, idx) == LUA_TBOOLEAN) return sketch::Key::integer(lua_toboolean(L, idx));
  if (lua_isinteger(L, idx)) return sketch::Key::integer(lua_tointeger(L, idx));
  return sketch::Key::number(lua_tonumber(L, idx));
}

int cm_add(lua_State* L) {
  const char* f = "countmin:add";
  CountMin& cm = check_sketch<CountMin>(L, 1, Kind::CountMin, f);
  Item it = check_item(L, 2, f);
  std::int64_t w = opt_integer(L, 3, f, "weight", 1);
  if (w < 0) raise(L, f, "weight must not be negative, got %lld", static_cast<long long>(w));
  Handle& h = handle_at(L, 1);
  Context& ctx = context(L);
  if (it.array) {
    return return_self(L, f, [&] {
      cm.add_array(ctx, *it.array, static_cast<std::uint64_t>(w));
      h.recharge();
    });
  }
  // The key (a std::string for strings) lives in a holder userdata.
  auto* key = push_holder<sketch::Key>(L);
  const int item = 2;
  lua_pushvalue(L, 1);
  return guarded(L, f, [&] {
    *key = key_of(L, item);  // reads the stack only; raises nothing
    cm.add(*key, it.hash, static_cast<std::uint64_t>(w));
    h.recharge();
    return 1;
  });
}

int cm_count(lua_State* L) {
  const char* f = "countmin:count";
  CountMin& cm = check_sketch<CountMin>(L, 1, Kind::CountMin, f);
  if (lua_isnoneornil(L, 2)) {
    lua_pushinteger(L, static_cast<lua_Integer>(cm.total()));
    return 1;
  }
  Item it = check_item(L, 2, f);
  if (!it.array) {
    lua_pushinteger(L, static_cast<lua_Integer>(cm.estimate(it.hash)));
    return 1;
  }
  Context& ctx = context(L);
  const Array& a = *it.array;
  return push_new_array(L, f, [&] {
    Array src = sketch::contiguous(ctx, a);
    Array out = Array::empty(DType::Int64, a.shape(), ctx.account);
    cm.estimate_array(ctx, src, out.data_as<std::int64_t>());
    return out;
  });
}

int cm_heavy_hitters(lua_State* L) {
  const char* f = "countmin:heavy_hitters";
  CountMin& cm = check_sketch<CountMin>(L, 1, Kind::CountMin, f);
  double phi = opt_number(L, 2, f, "fraction", 0);
  if (!(phi >= 0 && phi <= 1)) raise(L, f, "fraction must be from 0 to 1, got %g", phi);
  auto* list = push_holder<std::vector<CountMin::Candidate>>(L);
  std::uint64_t min_count = static_cast<std::uint64_t>(std::ceil(phi * double(cm.total())));
  guarded(L, f, [&] {
    *list = cm.heavy_hitters(min_count);
    return 0;
  });
  lua_createtable(L, static_cast<int>(list->size()), 0);
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& c = (*list)[i];
    lua_createtable(L, 0, 2);
    if (c.key.type == sketch::Key::Integer) lua_pushinteger(L, c.key.i);
    else if (c.key.type == sketch::Key::Float) lua_pushnumber(L, c.key.f);
    else lua_pushlstring(L, c.key.s.data(), c.key.s.size());
    lua_setfield(L, -2, "item");
    lua_pushinteger(L, static_cast<lua_Integer>(c.count));
    lua_setfield(L, -2, "count");
    lua_rawseti(L, -2, static_cast<lua_Integer>(i + 1));
  }
  return 1;
}

int cm_info(lua_State* L) {
  auto& cm = check_sketch<CountMin>(L, 1, Kind::CountMin, "countmin:info");
  lua_createtable(L, 0, 7);
  set_string(L, "kind", "countmin");
  set_integer(L, "width", static_cast<lua_Integer>(cm.width()));
  set_integer(L, "depth", cm.depth());
  set_integer(L, "topk", cm.topk());
  set_integer(L, "total", static_cast<lua_Integer>(cm.total()));
  set_number(L, "epsilon", cm.epsilon());
  set_number(L, "delta", cm.delta());
  return 1;
}

// ---- tables ----------------------------------------------------------------------

const char* const kItems =
    " Items are strings, numbers and booleans (3 and 3.0 are the same item, true is 1), or "
    "whole arrays of any dtype, whose elements are added as items (hashed in parallel).";

const Entry module_entries[] = {
    {"sketch.bloom", l_new_bloom, kFunction, "ts.sketch.bloom(capacity [, fp_rate])",
     "A Bloom filter for capacity items with false-positive rate fp_rate (default 0.01) at "
     "capacity: m = ceil(-n ln p / ln(2)^2) bits (rounded up to 64) and k = round(m/n ln 2) "
     "probes. Methods: add, contains, count, merge, bytes, serialize, info."},
    {"sketch.scalable_bloom", l_new_scalable_bloom, kFunction,
     "ts.sketch.scalable_bloom([capacity [, fp_rate [, growth [, ratio]]]])",
     "A scalable Bloom filter: a chain of Bloom filters, the i-th (from 0) of capacity "
     "capacity * growth^i (defaults 1024 and 2) and rate fp_rate * (1 - ratio) * ratio^i "
     "(defaults 0.01 and 0.85), so the overall false-positive rate stays below fp_rate however "
     "many items come. Methods: add, contains, count, bytes, serialize, info."},
    {"sketch.hll", l_new_hll, kFunction, "ts.sketch.hll([p])",
     "A HyperLogLog++ distinct counter with 2^p registers (p from 4 to 18, default 14: 16 KiB, "
     "standard error 1.04/sqrt(2^p) = 0.81%), a sparse representation for small counts and "
     "empirical bias correction. Methods: add, count, merge, bytes, serialize, info."},
    {"sketch.morris", l_new_morris, kFunction, "ts.sketch.morris([base [, seed]])",
     "A Morris approximate counter in one byte: counts events with relative standard error "
     "about sqrt((base - 1) / 2) (base 2 by default: 71%; base 1.1: 22%, up to about 3e11 "
     "events). seed fixes its coin flips. Methods: add, increment, count, merge, bytes, "
     "serialize, info."},
    {"sketch.kmv", l_new_kmv, kFunction, "ts.sketch.kmv([k])",
     "A K-minimum-values distinct counter keeping the k smallest item hashes (default 1024): "
     "relative standard error 1/sqrt(k - 2), exact below k items, with union, intersection and "
     "Jaccard estimates. Methods: add, count, merge, union, intersection, jaccard, bytes, "
     "serialize, info."},
    {"sketch.countmin", l_new_countmin, kFunction,
     "ts.sketch.countmin(width, depth [, topk]) or ts.sketch.countmin{epsilon=, delta= [, topk=]}",
     "A count-min sketch of depth rows of width counters; from epsilon and delta (defaults "
     "0.001, 0.01) width = ceil(e / epsilon) and depth = ceil(ln(1 / delta)). Point estimates "
     "never undercount and exceed the truth by more than epsilon * total with probability at "
     "most delta. Tracks the topk (default 10) heaviest items for heavy_hitters. Methods: add, "
     "count, heavy_hitters, merge, bytes, serialize, info."},
    {"sketch.load", l_load, kFunction, "ts.sketch.load(s)",
     "The sketch serialized in the string s by s:serialize() (any kind, format version 1)."},
    {"sketch.hash", l_hash, kFunction, "ts.sketch.hash(x)",
     "The two 64-bit halves (as Lua integers) of the hash the sketches use for x: "
     "MurmurHash3_x64_128 of a string's bytes with seed 0; of an integer's (and an integral "
     "float's) 8 little-endian bytes with seed 0x54534b31; of another float's IEEE-754 bits "
     "with seed 0x54534b32 (NaNs made canonical). true and false hash as 1 and 0."},
};

const std::string kAddDoc = std::string("Adds x; returns the sketch.") + kItems;

const Entry bloom_methods[] = {
    {"bloom:add", m_add<Bloom, Kind::Bloom>, kMethod, "bloom:add(x)", nullptr},
    {"bloom:contains", m_contains<Bloom, Kind::Bloom>, kMethod, "bloom:contains(x)",
     "Whether x may have been added (no false negatives; false positives at about the "
     "target rate at capacity). For an array, a bool array of its shape."},
    {"bloom:count", bloom_count, kMethod, "bloom:count()",
     "The number of distinct items added, estimated from the fill: -m/k ln(1 - bits set/m)."},
    {"bloom:merge", m_merge<Bloom, Kind::Bloom>, kMethod, "bloom:merge(other)",
     "Adds other's items (bitwise OR); both must have the same bits and probes (the same "
     "capacity and rate). Returns the filter."},
    {"bloom:bytes", m_bytes<Bloom, Kind::Bloom>, kMethod, "bloom:bytes()",
     "Native memory held, in bytes."},
    {"bloom:serialize", m_serialize<Bloom, Kind::Bloom>, kMethod, "bloom:serialize()",
     "A string holding the filter (versioned format; ts.sketch.load reads it back)."},
    {"bloom:info", bloom_info, kMethod, "bloom:info()",
     "A table of parameters and state: capacity, fp_rate, bits, hashes, bits_set, fill, "
     "current_fp_rate, estimate."},
    {"__tostring", m_tostring<Bloom, Kind::Bloom>, kMeta, "", nullptr},
};

const Entry sbf_methods[] = {
    {"scalable_bloom:add", m_add<ScalableBloom, Kind::ScalableBloom>, kMethod,
     "scalable_bloom:add(x)", nullptr},
    {"scalable_bloom:contains", m_contains<ScalableBloom, Kind::ScalableBloom>, kMethod,
     "scalable_bloom:contains(x)",
     "Whether x may have been added; for an array, a bool array of its shape."},
    {"scalable_bloom:count", sbf_count, kMethod, "scalable_bloom:count()",
     "Items added that were not already present (each counted once, up to false positives)."},
    {"scalable_bloom:merge", sbf_merge, kMethod, "scalable_bloom:merge(other)",
     "Always an error: merging two chains would break the false-positive bound."},
    {"scalable_bloom:bytes", m_bytes<ScalableBloom, Kind::ScalableBloom>, kMethod,
     "scalable_bloom:bytes()", "Native memory held, in bytes."},
    {"scalable_bloom:serialize", m_serialize<ScalableBloom, Kind::ScalableBloom>, kMethod,
     "scalable_bloom:serialize()", "A string holding the filter (ts.sketch.load reads it)."},
    {"scalable_bloom:info", sbf_info, kMethod, "scalable_bloom:info()",
     "A table: fp_rate, filters, count and fp_bound (the chain's bound on the rate now)."},
    {"__tostring", m_tostring<ScalableBloom, Kind::ScalableBloom>, kMeta, "", nullptr},
};

const Entry hll_methods[] = {
    {"hll:add", m_add<HyperLogLog, Kind::HyperLogLog>, kMethod, "hll:add(x)", nullptr},
    {"hll:count", hll_count, kMethod, "hll:count()",
     "The estimated number of distinct items added (a float)."},
    {"hll:merge", m_merge<HyperLogLog, Kind::HyperLogLog>, kMethod, "hll:merge(other)",
     "Adds other's items (register-wise maximum): the result equals a sketch of the union. "
     "Precisions must agree. Returns the sketch."},
    {"hll:bytes", m_bytes<HyperLogLog, Kind::HyperLogLog>, kMethod, "hll:bytes()",
     "Native memory held, in bytes (2^p once dense; less while sparse)."},
    {"hll:serialize", m_serialize<HyperLogLog, Kind::HyperLogLog>, kMethod, "hll:serialize()",
     "A string holding the sketch (ts.sketch.load reads it back)."},
    {"hll:info", hll_info, kMethod, "hll:info()",
     "A table: precision, registers, sparse, standard_error, estimate, raw_estimate."},
    {"__tostring", m_tostring<HyperLogLog, Kind::HyperLogLog>, kMeta, "", nullptr},
};

const Entry morris_methods[] = {
    {"morris:add", morris_add, kMethod, "morris:add([x])",
     "Counts one event (x, if given, is an item and is not remembered); an array counts one "
     "event per element. Returns the counter."},
    {"morris:increment", morris_increment, kMethod, "morris:increment([n])",
     "Counts n events (default 1) at once, with the same distribution as n single adds."},
    {"morris:count", morris_count, kMethod, "morris:count()",
     "The estimated number of events: (base^c - 1) / (base - 1), unbiased."},
    {"morris:merge", m_merge<Morris, Kind::Morris>, kMethod, "morris:merge(other)",
     "Counts other's estimated events into this counter (unbiased for the sum); bases must "
     "agree. Returns the counter."},
    {"morris:bytes", m_bytes<Morris, Kind::Morris>, kMethod, "morris:bytes()",
     "Memory held, in bytes (the counter itself is one byte; base and generator state add "
     "the rest)."},
    {"morris:serialize", m_serialize<Morris, Kind::Morris>, kMethod, "morris:serialize()",
     "A string holding the counter (ts.sketch.load reads it back)."},
    {"morris:info", morris_info, kMethod, "morris:info()",
     "A table: base, counter, estimate, relative_error."},
    {"__tostring", m_tostring<Morris, Kind::Morris>, kMeta, "", nullptr},
};

const Entry kmv_methods[] = {
    {"kmv:add", m_add<Kmv, Kind::Kmv>, kMethod, "kmv:add(x)", nullptr},
    {"kmv:count", kmv_count, kMethod, "kmv:count()",
     "The estimated number of distinct items: (k - 1) / (k-th smallest hash as a fraction of "
     "2^64), or the exact count below k."},
    {"kmv:merge", m_merge<Kmv, Kind::Kmv>, kMethod, "kmv:merge(other)",
     "Adds other's items (keeps the k smallest of both): equals a sketch of the union. k must "
     "agree (kmv:union allows different k). Returns the sketch."},
    {"kmv:union", kmv_union, kMethod, "kmv:union(other)",
     "A new sketch of the union, with the smaller k of the two."},
    {"kmv:intersection", kmv_intersection, kMethod, "kmv:intersection(other)",
     "The estimated number of distinct items in both: jaccard * the union's estimate."},
    {"kmv:jaccard", kmv_jaccard, kMethod, "kmv:jaccard(other)",
     "The estimated Jaccard index |A and B| / |A or B|: the share of the union's k smallest "
     "hashes held by both."},
    {"kmv:bytes", m_bytes<Kmv, Kind::Kmv>, kMethod, "kmv:bytes()",
     "Native memory held, in bytes (8 per kept hash)."},
    {"kmv:serialize", m_serialize<Kmv, Kind::Kmv>, kMethod, "kmv:serialize()",
     "A string holding the sketch (ts.sketch.load reads it back)."},
    {"kmv:info", kmv_info, kMethod, "kmv:info()",
     "A table: k, values (hashes held), estimate, relative_error."},
    {"__tostring", m_tostring<Kmv, Kind::Kmv>, kMeta, "", nullptr},
};

const Entry cm_methods[] = {
    {"countmin:add", cm_add, kMethod, "countmin:add(x [, weight])",
     "Adds weight (a non-negative integer, default 1) to the count of item x, or of each "
     "element of an array x. Returns the sketch."},
    {"countmin:count", cm_count, kMethod, "countmin:count([x])",
     "The point estimate of x's count (never below the truth), an int64 array of estimates "
     "for an array x, or without x the total weight added."},
    {"countmin:heavy_hitters", cm_heavy_hitters, kMethod, "countmin:heavy_hitters([fraction])",
     "The tracked items whose estimate is at least fraction (default 0) of the total, largest "
     "first, as a list of {item = x, count = n}."},
    {"countmin:merge", m_merge<CountMin, Kind::CountMin>, kMethod, "countmin:merge(other)",
     "Adds other's counts (counter-wise sum; candidates re-ranked). Width and depth must "
     "agree. Returns the sketch."},
    {"countmin:bytes", m_bytes<CountMin, Kind::CountMin>, kMethod, "countmin:bytes()",
     "Native memory held, in bytes."},
    {"countmin:serialize", m_serialize<CountMin, Kind::CountMin>, kMethod,
     "countmin:serialize()", "A string holding the sketch (ts.sketch.load reads it back)."},
    {"countmin:info", cm_info, kMethod, "countmin:info()",
     "A table: width, depth, topk, total, epsilon, delta."},
    {"__tostring", m_tostring<CountMin, Kind::CountMin>, kMeta, "", nullptr},
};

struct MethodSet {
  Kind kind;
  const Entry* entries;
  std::size_t count;
};

const MethodSet kMethodSets[] = {
    {Kind::Bloom, bloom_methods, std::size(bloom_methods)},
    {Kind::ScalableBloom, sbf_methods, std::size(sbf_methods)},
    {Kind::HyperLogLog, hll_methods, std::size(hll_methods)},
    {Kind::Morris, morris_methods, std::size(morris_methods)},
    {Kind::Kmv, kmv_methods, std::size(kmv_methods)},
    {Kind::CountMin, cm_methods, std::size(cm_methods)},
};

// help[fn] = {name, signature, doc} for the function on the stack top.
void add_help(lua_State* L, int help, const char* name, const char* signature, const char* doc) {
  lua_pushvalue(L, -1);
  lua_createtable(L, 0, 3);
  lua_pushstring(L, name);
  lua_setfield(L, -2, "name");
  lua_pushstring(L, signature);
  lua_setfield(L, -2, "signature");
  lua_pushstring(L, doc);
  lua_setfield(L, -2, "doc");
  lua_rawset(L, help);
}

// The key of a documented name: "hll" in "sketch.hll", "add" in "hll:add".
const char* key_of_name(const char* name) {
  const char* p = std::strrchr(name, ':');
  if (!p) p = std::strrchr(name, '.');
  return p ? p + 1 : name;
}

void setup(lua_State* L, const Tables& t) {
  luaL_newmetatable(L, kHolderMeta);
  lua_pushcfunction(L, l_holder_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);

  for (const MethodSet& set : kMethodSets) {
    const TypeInfo& type = type_of(set.kind);
    luaL_newmetatable(L, type.meta);
    int meta = lua_gettop(L);
    lua_newtable(L);
    int methods = lua_gettop(L);
    for (std::size_t i = 0; i < set.count; ++i) {
      const Entry& e = set.entries[i];
      lua_pushvalue(L, t.context);
      lua_pushcclosure(L, e.fn, 1);
      lua_pushvalue(L, -1);
      lua_setfield(L, e.where & kMeta ? meta : methods, key_of_name(e.name));
      if (e.where & kMethod) {
        const char* doc = e.doc ? e.doc : kAddDoc.c_str();
        add_help(L, t.help, e.name, e.signature, doc);
      }
      lua_pop(L, 1);
    }
    lua_pushvalue(L, methods);
    lua_setfield(L, meta, "__index");
    lua_pushcfunction(L, l_sketch_gc);
    lua_setfield(L, meta, "__gc");
    lua_pushcfunction(L, l_sketch_gc);
    lua_setfield(L, meta, "__close");
    lua_pushfstring(L, "ts.sketch.%s", type.name);
    lua_setfield(L, meta, "__name");
    lua_pop(L, 2);
  }

  lua_newtable(L);
  int mod = lua_gettop(L);
  for (const Entry& e : module_entries) {
    lua_pushvalue(L, t.context);
    lua_pushcclosure(L, e.fn, 1);
    lua_pushvalue(L, -1);
    lua_setfield(L, mod, key_of_name(e.name));
    add_help(L, t.help, e.name, e.signature, e.doc);
    lua_pop(L, 1);
  }
  lua_setfield(L, t.module, "sketch");
}

const Entry no_entries[] = {
    {"sketch", l_hash, 0, "", ""},
};

}  // namespace

// The part's only work is its setup (ts.sketch is a sub-table); the
// placeholder entry has where == 0 and no doc, so it installs nothing.
static const AutoPart part("sketch", 80, no_entries, setup);

}  // namespace tessera::lua
