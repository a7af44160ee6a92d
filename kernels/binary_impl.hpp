// Binary element-wise loops for one instruction set (Arch), tabulated per
// (operation, dtype). Included by kernels/elementwise_<isa>.cpp only.
//
// Float operations with a SIMD form run as explicit xsimd loops when the
// operands are contiguous or broadcast scalars; everything else runs the
// scalar loop, which the compiler vectorizes for the same instruction set.
#pragma once

#include <type_traits>

#include "kernel_table.hpp"
#include "simd_ops.hpp"

namespace tessera::kernels {
inline namespace TESSERA_KERNEL_ARCH {
namespace binary_impl {

template <class Op, class T, class R>
void scalar_loop(char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
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

// Loads W elements from a (stride sa bytes; 0 broadcasts) into a batch.
template <class B, class T>
B gather(const char* a, std::ptrdiff_t sa, std::int64_t count) {
  alignas(64) T buf[B::size] = {};
  for (std::int64_t i = 0; i < count; ++i) buf[i] = *reinterpret_cast<const T*>(a + i * sa);
  return B::load_aligned(buf);
}

template <class B, class T>
void scatter(const B& v, char* o, std::ptrdiff_t so, std::int64_t count) {
  alignas(64) T buf[B::size];
  v.store_aligned(buf);
  for (std::int64_t i = 0; i < count; ++i) *reinterpret_cast<T*>(o + i * so) = buf[i];
}

// Every element, body and tail, contiguous or strided, goes through the same
// batch function, so results never depend on where a line is split.
template <class Op, class T, class Arch>
void simd_loop(char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
  using B = xsimd::batch<T, Arch>;
  using S = simd::Simd<Op>;
  constexpr std::int64_t W = B::size;
  constexpr std::ptrdiff_t st = sizeof(T);
  const T* a = reinterpret_cast<const T*>(p[0]);
  const T* b = reinterpret_cast<const T*>(p[1]);
  T* o = reinterpret_cast<T*>(p[2]);
  std::int64_t i = 0;
  const bool dense = s[2] == st && (s[0] == st || s[0] == 0) && (s[1] == st || s[1] == 0);
  if (!dense && S::exact) return scalar_loop<Op, T, T>(p, s, n);
  if (dense) {
    const bool va = s[0] != 0, vb = s[1] != 0;
    const B sa(*a), sb(*b);
    for (; i + 2 * W <= n; i += 2 * W) {
      B x0 = va ? B::load_unaligned(a + i) : sa, x1 = va ? B::load_unaligned(a + i + W) : sa;
      B y0 = vb ? B::load_unaligned(b + i) : sb, y1 = vb ? B::load_unaligned(b + i + W) : sb;
      S::apply(x0, y0).store_unaligned(o + i);
      S::apply(x1, y1).store_unaligned(o + i + W);
    }
    for (; i + W <= n; i += W) {
      B x = va ? B::load_unaligned(a + i) : sa, y = vb ? B::load_unaligned(b + i) : sb;
      S::apply(x, y).store_unaligned(o + i);
    }
  }
  for (; i < n; i += W) {
    std::int64_t count = n - i < W ? n - i : W;
    B x = gather<B, T>(p[0] + i * s[0], s[0], count);
    B y = gather<B, T>(p[1] + i * s[1], s[1], count);
    scatter<B, T>(S::apply(x, y), p[2] + i * s[2], s[2], count);
  }
}

template <class Op, class T>
constexpr bool has_loop() {
  using namespace ops;
  constexpr bool is_b = std::is_same_v<T, bool>;
  constexpr bool is_f = std::is_floating_point_v<T>;
  constexpr bool compare = std::is_same_v<Op, Eq> || std::is_same_v<Op, Ne> ||
                           std::is_same_v<Op, Lt> || std::is_same_v<Op, Le> ||
                           std::is_same_v<Op, Gt> || std::is_same_v<Op, Ge>;
  constexpr bool bitwise = std::is_same_v<Op, BitAnd> || std::is_same_v<Op, BitOr> ||
                           std::is_same_v<Op, BitXor>;
  constexpr bool shift = std::is_same_v<Op, Shl> || std::is_same_v<Op, Shr>;
  if constexpr (is_complex_v<T>)  // no ordering, rounding or bits
    return std::is_same_v<Op, Add> || std::is_same_v<Op, Sub> || std::is_same_v<Op, Mul> ||
           std::is_same_v<Op, Div> || std::is_same_v<Op, Pow> || std::is_same_v<Op, Eq> ||
           std::is_same_v<Op, Ne>;
  if constexpr (is_b)
    return compare || bitwise || std::is_same_v<Op, Add> || std::is_same_v<Op, Mul> ||
           std::is_same_v<Op, Minimum> || std::is_same_v<Op, Maximum>;
  if constexpr (is_f) return !bitwise && !shift;
  return !std::is_same_v<Op, Div> && !std::is_same_v<Op, Atan2>;
}

template <class Op, class Arch>
void fill(LineFn* row) {
  for (int t = 0; t < kNumDTypes; ++t)
    visit_dtype(static_cast<DType>(t), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (has_loop<Op, T>()) {
        using R = decltype(Op::apply(T{}, T{}));
        if constexpr (simd::Simd<Op>::template ok<T> && std::is_same_v<R, T>)
          row[t] = &simd_loop<Op, T, Arch>;
        else
          row[t] = &scalar_loop<Op, T, R>;
      }
    });
}

template <class Arch>
void fill_table(KernelTable& k) {
  using namespace ops;
  auto row = [&](BinaryOp op) { return k.binary[static_cast<int>(op)]; };
  fill<Add, Arch>(row(BinaryOp::Add));
  fill<Sub, Arch>(row(BinaryOp::Sub));
  fill<Mul, Arch>(row(BinaryOp::Mul));
  fill<Div, Arch>(row(BinaryOp::Div));
  fill<FloorDiv, Arch>(row(BinaryOp::FloorDiv));
  fill<Mod, Arch>(row(BinaryOp::Mod));
  fill<Pow, Arch>(row(BinaryOp::Pow));
  fill<Minimum, Arch>(row(BinaryOp::Minimum));
  fill<Maximum, Arch>(row(BinaryOp::Maximum));
  fill<Atan2, Arch>(row(BinaryOp::Atan2));
  fill<Eq, Arch>(row(BinaryOp::Eq));
  fill<Ne, Arch>(row(BinaryOp::Ne));
  fill<Lt, Arch>(row(BinaryOp::Lt));
  fill<Le, Arch>(row(BinaryOp::Le));
  fill<Gt, Arch>(row(BinaryOp::Gt));
  fill<Ge, Arch>(row(BinaryOp::Ge));
  fill<BitAnd, Arch>(row(BinaryOp::BitAnd));
  fill<BitOr, Arch>(row(BinaryOp::BitOr));
  fill<BitXor, Arch>(row(BinaryOp::BitXor));
  fill<Shl, Arch>(row(BinaryOp::Shl));
  fill<Shr, Arch>(row(BinaryOp::Shr));
}

}  // namespace binary_impl
}  // namespace TESSERA_KERNEL_ARCH
}  // namespace tessera::kernels
