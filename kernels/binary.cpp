// Binary element-wise loops: one template, instantiated per (operation, dtype)
// into a table.
#include <type_traits>

#include "elementwise.hpp"
#include "scalar_ops.hpp"

namespace tessera::kernels {
namespace {

template <class Op, class T, class R>
void binary_loop(char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
  const T* a = reinterpret_cast<const T*>(p[0]);
  const T* b = reinterpret_cast<const T*>(p[1]);
  R* o = reinterpret_cast<R*>(p[2]);
  constexpr std::ptrdiff_t st = sizeof(T), sr = sizeof(R);
  if (s[2] == sr) {
    if (s[0] == st && s[1] == st) {
      for (std::int64_t i = 0; i < n; ++i) o[i] = Op::apply(a[i], b[i]);
      return;
    }
    if (s[0] == st && s[1] == 0) {
      const T bv = *b;
      for (std::int64_t i = 0; i < n; ++i) o[i] = Op::apply(a[i], bv);
      return;
    }
    if (s[0] == 0 && s[1] == st) {
      const T av = *a;
      for (std::int64_t i = 0; i < n; ++i) o[i] = Op::apply(av, b[i]);
      return;
    }
  }
  const char* pa = p[0];
  const char* pb = p[1];
  char* po = p[2];
  for (std::int64_t i = 0; i < n; ++i, pa += s[0], pb += s[1], po += s[2])
    *reinterpret_cast<R*>(po) =
        Op::apply(*reinterpret_cast<const T*>(pa), *reinterpret_cast<const T*>(pb));
}

enum Support { Any = 0, NoBool = 1, FloatOnly = 2, IntBool = 3, IntOnly = 4 };

template <class Op, bool Compare>
struct Entry {
  template <class T>
  static LineFn get() {
    if constexpr (Compare) return &binary_loop<Op, T, bool>;
    else return &binary_loop<Op, T, T>;
  }
};

template <class T>
bool supported(Support s) {
  constexpr bool is_b = std::is_same_v<T, bool>;
  constexpr bool is_f = std::is_floating_point_v<T>;
  switch (s) {
    case Any: return true;
    case NoBool: return !is_b;
    case FloatOnly: return is_f;
    case IntBool: return !is_f;
    case IntOnly: return !is_f && !is_b;
  }
  return false;
}

struct OpInfo {
  const char* name;
  LineFn loops[kNumDTypes];
};

template <class Op, bool Compare = false>
OpInfo make(const char* name, Support s) {
  OpInfo info{name, {}};
  for (int t = 0; t < kNumDTypes; ++t) {
    visit_dtype(static_cast<DType>(t), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if (supported<T>(s)) {
        if constexpr (std::is_same_v<T, bool> && !Compare &&
                      !(std::is_same_v<Op, ops::Add> || std::is_same_v<Op, ops::Mul> ||
                        std::is_same_v<Op, ops::Minimum> || std::is_same_v<Op, ops::Maximum> ||
                        std::is_same_v<Op, ops::BitAnd> || std::is_same_v<Op, ops::BitOr> ||
                        std::is_same_v<Op, ops::BitXor>)) {
          info.loops[t] = nullptr;
        } else if constexpr (std::is_floating_point_v<T> &&
                             (std::is_same_v<Op, ops::BitAnd> || std::is_same_v<Op, ops::BitOr> ||
                              std::is_same_v<Op, ops::BitXor> || std::is_same_v<Op, ops::Shl> ||
                              std::is_same_v<Op, ops::Shr>)) {
          info.loops[t] = nullptr;
        } else if constexpr (!std::is_floating_point_v<T> &&
                             (std::is_same_v<Op, ops::Div> || std::is_same_v<Op, ops::Atan2>)) {
          info.loops[t] = nullptr;
        } else {
          info.loops[t] = Entry<Op, Compare>::template get<T>();
        }
      }
    });
  }
  return info;
}

const OpInfo* table() {
  static const OpInfo t[static_cast<int>(BinaryOp::Count)] = {
      make<ops::Add>("add", Any),
      make<ops::Sub>("subtract", NoBool),
      make<ops::Mul>("multiply", Any),
      make<ops::Div>("divide", FloatOnly),
      make<ops::FloorDiv>("floor_divide", NoBool),
      make<ops::Mod>("mod", NoBool),
      make<ops::Pow>("power", NoBool),
      make<ops::Minimum>("minimum", Any),
      make<ops::Maximum>("maximum", Any),
      make<ops::Atan2>("arctan2", FloatOnly),
      make<ops::Eq, true>("eq", Any),
      make<ops::Ne, true>("ne", Any),
      make<ops::Lt, true>("lt", Any),
      make<ops::Le, true>("le", Any),
      make<ops::Gt, true>("gt", Any),
      make<ops::Ge, true>("ge", Any),
      make<ops::BitAnd>("bitwise_and", IntBool),
      make<ops::BitOr>("bitwise_or", IntBool),
      make<ops::BitXor>("bitwise_xor", IntBool),
      make<ops::Shl>("left_shift", IntOnly),
      make<ops::Shr>("right_shift", IntOnly),
  };
  return t;
}

}  // namespace

const char* binary_name(BinaryOp op) { return table()[static_cast<int>(op)].name; }

bool is_comparison(BinaryOp op) { return op >= BinaryOp::Eq && op <= BinaryOp::Ge; }

LineFn binary_line(BinaryOp op, DType t) {
  return table()[static_cast<int>(op)].loops[static_cast<int>(t)];
}

}  // namespace tessera::kernels
