// tessera::Runtime: one Lua 5.4 state with the `tessera` module loaded (also
// as the global `ts`), its memory accounting, its threads and its limits.
//
//   tessera::Options opts;
//   opts.libraries = tessera::Libraries::Safe;
//   opts.memory_limit = 256 << 20;                 // Lua heap + arrays
//   opts.time_budget = std::chrono::seconds(2);    // per run/call
//   tessera::Runtime rt(opts);
//   rt.set("state", array);                        // shares memory
//   rt.def("kick", [](tessera::Array a, double k) { ... });
//   rt.run_file("steer.lua");
//   double e = rt.call<double>("energy", 0.5);     // a global Lua function
//
// Threads: a process may hold many runtimes; each is used by one thread at a
// time (different runtimes may run concurrently). Only interrupt() may be
// called from another thread or from a signal handler.
//
// Ownership: Arrays are reference-counted handles. An Array obtained from a
// runtime (get, call results, function arguments) stays valid after the
// runtime is destroyed, and a script's arrays stay valid while C++ holds
// them. A Runtime is movable, not copyable; a moved-from Runtime may only be
// destroyed or assigned to.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "convert.hpp"
#include "errors.hpp"
#include "function.hpp"
#include "value.hpp"

struct lua_State;

namespace tessera {

struct Context;
class MemoryAccount;

// Which standard libraries scripts see.
enum class Libraries {
  // Everything: Lua's standard libraries and the whole `tessera` module.
  Full,
  // For scripts you do not trust. Removed: io, debug, os except os.clock,
  // os.time, os.date and os.difftime; loadfile, dofile, string.dump,
  // package.loadlib and every package searcher except package.preload (so
  // require finds only modules the host registered: `tessera`, rt.module
  // tables, package.preload entries); load accepts text chunks only
  // (mode "t" whatever the caller asks). Also removed, because they reach
  // files or start unsandboxed states: ts.h5, ts.image.load, ts.image.save
  // and ts.par. Lua-side functions of `ts` that use the debug library (the
  // locals capture of ts.jit's string expressions) are unavailable.
  Safe,
};

struct Options {
  // Threads for native operations (0: TESSERA_NUM_THREADS or the cores).
  int threads = 0;
  // Bytes of Lua heap plus live array memory (0: no limit). Array creation
  // beyond it fails with the Lua error "<fn>: memory limit of N bytes
  // exceeded", a Lua allocation with "not enough memory" (reported by run and
  // call as "memory limit of N bytes exceeded"). Either can be caught with
  // pcall, and the runtime stays usable. Arrays the host lends (borrow) do not
  // count; buffers kept for reuse are not counted either.
  std::size_t memory_limit = 0;
  // Lua VM instructions per run/run_file/call (0: unlimited); exceeding it
  // raises "instruction budget of N exceeded". Checked every 1000
  // instructions (or every N when N is smaller).
  std::uint64_t instruction_budget = 0;
  // Wall time per run/run_file/call (0: unlimited); exceeding it raises
  // "time budget of N ms exceeded". Checked every 1000 instructions. A single
  // long native operation is not cut short by budgets (interrupt() is).
  std::chrono::milliseconds time_budget{0};
  Libraries libraries = Libraries::Full;
};

// What a chunk or a call returned, converted to C++ values.
class Results {
 public:
  Results() = default;
  Results(std::vector<Value> values, std::string source)
      : values_(std::move(values)), source_(std::move(source)) {}
  std::size_t size() const { return values_.size(); }
  bool empty() const { return values_.empty(); }
  // Missing results are nil.
  const Value& operator[](std::size_t i) const { return detail::argument(values_, i); }
  // Result i (0-based) as T; throws ConversionError
  // ("<source>: result 1 expected number, got nil").
  template <class T>
  T get(std::size_t i = 0) const {
    try {
      return Convert<T>::from((*this)[i], "result " + std::to_string(i + 1));
    } catch (const ConversionError& e) {
      throw ConversionError(source_ + ": " + e.what());
    }
  }
  const std::vector<Value>& values() const { return values_; }

 private:
  std::vector<Value> values_;
  std::string source_;
};

class Runtime {
 public:
  Runtime();
  explicit Runtime(const Options& options);
  ~Runtime();
  Runtime(Runtime&& other) noexcept;
  Runtime& operator=(Runtime&& other) noexcept;
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Runs Lua source text (binary chunks are refused) and returns what the
  // chunk returned. Throws ScriptError on a syntax or run-time error.
  Results run(std::string_view code, const std::string& chunkname = "=(run)");
  // Runs a Lua source file; throws ScriptError.
  Results run_file(const std::string& path);

  // Calls the Lua function `fn` (a global, or a dotted path such as
  // "mylib.step") with the arguments converted by Convert. R selects the
  // result: Results (all of them, unconverted), void, one type T (result 1),
  // or std::tuple<T...> (results 1..n). Throws ScriptError when the function
  // is missing or fails, ConversionError when a result does not convert.
  template <class R = Results, class... A>
  R call(const std::string& fn, A&&... args) {
    std::vector<Value> values;
    values.reserve(sizeof...(A));
    (values.push_back(Convert<std::decay_t<A>>::to(args)), ...);
    Results results = call_values(fn, std::move(values));
    if constexpr (std::is_same_v<R, Results>) {
      return results;
    } else if constexpr (std::is_void_v<R>) {
      return;
    } else if constexpr (detail::IsTuple<R>::value) {
      return tuple_of<R>(results, std::make_index_sequence<std::tuple_size_v<R>>{});
    } else {
      return results.get<R>(0);
    }
  }

  // Sets a global (or a dotted path into existing tables) to a converted
  // value. An Array is shared with the script, not copied.
  template <class T>
  void set(const std::string& name, const T& value) {
    set_value(name, Convert<T>::to(value));
  }
  // Reads a global (or a dotted path) as T; throws ConversionError
  // ("get 'y': expected array, got nil").
  template <class T>
  T get(const std::string& name) {
    return Convert<T>::from(get_value(name), "get '" + name + "':");
  }

  // Registers a C++ callable as the global Lua function `name`; see
  // <tessera/function.hpp> for the conversions and error handling.
  template <class F>
  Runtime& def(const std::string& name, F&& f) {
    define("", name, detail::make_native(std::forward<F>(f)));
    return *this;
  }

  // A table of functions, reachable as the global `name` and through
  // require(name): rt.module("mylib").def("f", f).def("g", g);
  class Module {
   public:
    template <class F>
    Module& def(const std::string& name, F&& f) {
      rt_->define(table_, name, detail::make_native(std::forward<F>(f)));
      return *this;
    }

   private:
    friend class Runtime;
    Module(Runtime* rt, std::string table) : rt_(rt), table_(std::move(table)) {}
    Runtime* rt_;
    std::string table_;
  };
  Module module(const std::string& name);

  // Stops the running script: Lua code raises "interrupted" at its next
  // instruction, native operations at their next block ("<fn>: interrupted").
  // Safe from any thread and from a signal handler. A request made while
  // nothing runs stops the next run or call at its first instruction.
  void interrupt() noexcept;

  const Options& options() const;
  // The runtime's context: its memory account, its threads (parallel) and
  // its interrupt flag; see <tessera/runtime/context.hpp>.
  Context& context() const;
  // Where arrays made for this runtime should be charged (Array::empty(...,
  // rt.account()), from_xtensor(..., rt.account())).
  std::shared_ptr<MemoryAccount> account() const;
  // The Lua state, for direct use of the Lua C API.
  lua_State* state() const;

 private:
  Results call_values(const std::string& fn, std::vector<Value> args);
  void set_value(const std::string& name, const Value& value);
  Value get_value(const std::string& name);
  void define(const std::string& table, const std::string& name,
              std::unique_ptr<detail::NativeFunction> fn);

  template <class Tuple, std::size_t... I>
  static Tuple tuple_of(const Results& r, std::index_sequence<I...>) {
    return Tuple{r.get<std::tuple_element_t<I, Tuple>>(I)...};
  }

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera
