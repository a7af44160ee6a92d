// How Runtime::def turns a C++ callable into a Lua function.
//
// Any callable works: a lambda (also a mutable or capturing one), a function
// pointer, a std::function, a functor. Each parameter takes the next Lua
// argument through Convert<T> (see <tessera/convert.hpp>), from left to
// right; missing arguments are nil (so a std::optional parameter may be left
// out) and extra ones are ignored, as in Lua. A parameter of type
// `tessera::Context&` takes no argument: it is the calling runtime's context,
// whose `parallel` runs loops in the runtime's thread arena and stops them
// when the runtime is interrupted:
//
//   rt.def("scale", [](tessera::Context& ctx, tessera::Array a, double k) {
//     double* p = a.data_as<double>();          // (after checking a's dtype)
//     ctx.parallel.for_range(a.size(), 4096, [&](std::int64_t b, std::int64_t e) {
//       for (std::int64_t i = b; i < e; ++i) p[i] *= k;
//     });
//     return a;
//   });
//
// The result converts back with Convert<R>: void returns nothing, a
// std::tuple returns several values. A bad argument is a Lua error such as
// "scale: argument 2 expected number, got string"; an exception thrown by the
// callable is a Lua error "scale: <what()>". No Lua error ever unwinds
// through the callable: C++ runs to completion, then the error is raised.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "convert.hpp"

namespace tessera {

struct Context;

namespace detail {

// A registered function, type-erased: the runtime hands it the call's
// arguments and collects its results.
class NativeFunction {
 public:
  virtual ~NativeFunction() = default;
  virtual void invoke(Context& ctx, const std::vector<Value>& args,
                      std::vector<Value>& results) = 0;
};

template <class F>
struct Signature : Signature<decltype(&F::operator())> {};
template <class R, class... A>
struct Signature<R (*)(A...)> {
  using Result = R;
  using Args = std::tuple<A...>;
};
template <class R, class... A>
struct Signature<R(A...)> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...)> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) const> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) noexcept> : Signature<R (*)(A...)> {};
template <class C, class R, class... A>
struct Signature<R (C::*)(A...) const noexcept> : Signature<R (*)(A...)> {};
template <class R, class... A>
struct Signature<R(A...) noexcept> : Signature<R (*)(A...)> {};

template <class A>
inline constexpr bool is_context_v = std::is_same_v<std::decay_t<A>, Context>;

// What a parameter is converted into and held as during the call.
template <class A>
using Held = std::conditional_t<is_context_v<A>, std::reference_wrapper<Context>, std::decay_t<A>>;

// The Lua argument (0-based) each parameter takes; Context& takes none.
template <class... A>
constexpr std::array<std::size_t, sizeof...(A) + 1> argument_positions() {
  constexpr bool context[] = {is_context_v<A>..., false};
  std::array<std::size_t, sizeof...(A) + 1> pos{};
  std::size_t next = 0;
  for (std::size_t i = 0; i < sizeof...(A); ++i) {
    pos[i] = next;
    if (!context[i]) ++next;
  }
  return pos;
}

inline const Value& argument(const std::vector<Value>& args, std::size_t i) {
  static const Value nil;
  return i < args.size() ? args[i] : nil;
}

template <class A>
Held<A> take(Context& ctx, const std::vector<Value>& args, std::size_t i) {
  if constexpr (is_context_v<A>) {
    return std::ref(ctx);
  } else {
    return Convert<std::decay_t<A>>::from(argument(args, i), "argument " + std::to_string(i + 1));
  }
}

template <class T>
struct IsTuple : std::false_type {};
template <class... T>
struct IsTuple<std::tuple<T...>> : std::true_type {};

template <class R>
void put_results(R&& r, std::vector<Value>& results) {
  using D = std::decay_t<R>;
  if constexpr (IsTuple<D>::value) {
    std::apply(
        [&](auto&&... xs) {
          (results.push_back(Convert<std::decay_t<decltype(xs)>>::to(xs)), ...);
        },
        r);
  } else {
    results.push_back(Convert<D>::to(r));
  }
}

template <class F, class R, class Args>
class Bound;

template <class F, class R, class... A>
class Bound<F, R, std::tuple<A...>> final : public NativeFunction {
 public:
  explicit Bound(F f) : f_(std::move(f)) {}

  void invoke(Context& ctx, const std::vector<Value>& args, std::vector<Value>& results) override {
    call(ctx, args, results, std::index_sequence_for<A...>{});
  }

 private:
  template <std::size_t... I>
  void call(Context& ctx, const std::vector<Value>& args, std::vector<Value>& results,
            std::index_sequence<I...>) {
    constexpr auto pos = argument_positions<A...>();
    (void)pos;
    // Braced initialisation converts the arguments from left to right, so
    // the first bad one is the one reported.
    std::tuple<Held<A>...> held{take<A>(ctx, args, pos[I])...};
    if constexpr (std::is_void_v<R>) {
      std::apply(f_, held);
    } else {
      put_results(std::apply(f_, held), results);
    }
  }

  F f_;
};

template <class F>
std::unique_ptr<NativeFunction> make_native(F&& f) {
  using D = std::decay_t<F>;
  using S = Signature<std::conditional_t<std::is_function_v<std::remove_pointer_t<D>>,
                                         std::remove_pointer_t<D>, D>>;
  return std::make_unique<Bound<D, typename S::Result, typename S::Args>>(std::forward<F>(f));
}

}  // namespace detail
}  // namespace tessera
