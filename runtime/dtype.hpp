// The dtype system: the element types an Array can hold, their names, sizes,
// NumPy's type promotion, and the single point that maps a runtime DType to a
// C++ type (visit_dtype). complex64/complex128 are std::complex<float/double>;
// kernels that make no sense for them (ordering, bitwise, floor...) are left
// out of the kernel tables at compile time (is_complex_v).
#pragma once

#include <complex>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace tessera {

enum class DType : std::uint8_t {
  Bool,
  UInt8,
  Int32,
  Int64,
  Float32,
  Float64,
  Complex64,
  Complex128
};
inline constexpr int kNumDTypes = 8;

template <class T>
struct DTypeOf;
// clang-format off
template <> struct DTypeOf<bool> { static constexpr DType value = DType::Bool; };
template <> struct DTypeOf<std::uint8_t> { static constexpr DType value = DType::UInt8; };
template <> struct DTypeOf<std::int32_t> { static constexpr DType value = DType::Int32; };
template <> struct DTypeOf<std::int64_t> { static constexpr DType value = DType::Int64; };
template <> struct DTypeOf<float> { static constexpr DType value = DType::Float32; };
template <> struct DTypeOf<double> { static constexpr DType value = DType::Float64; };
template <> struct DTypeOf<std::complex<float>> { static constexpr DType value = DType::Complex64; };
template <> struct DTypeOf<std::complex<double>> { static constexpr DType value = DType::Complex128; };
// clang-format on
template <class T>
inline constexpr DType dtype_of = DTypeOf<T>::value;

template <class T>
inline constexpr bool is_complex_v = false;
template <class T>
inline constexpr bool is_complex_v<std::complex<T>> = true;

// Canonical NumPy name ("float64", "int32", "uint8", "bool", "complex128").
const char* dtype_name(DType t);
std::size_t dtype_size(DType t);
// Accepts canonical names and the aliases f64, f32, i64, i32, u8, and NumPy's "double",
// "float" (both float64) and "int" (int64); c8, c16 and "complex" (complex128).
std::optional<DType> parse_dtype(std::string_view name);

inline bool is_float(DType t) { return t == DType::Float32 || t == DType::Float64; }
inline bool is_integer(DType t) {
  return t == DType::UInt8 || t == DType::Int32 || t == DType::Int64;
}
inline bool is_bool(DType t) { return t == DType::Bool; }
inline bool is_complex(DType t) { return t == DType::Complex64 || t == DType::Complex128; }
// Float or complex: the dtypes NumPy calls inexact.
inline bool is_inexact(DType t) { return is_float(t) || is_complex(t); }
// The float dtype of a complex dtype's parts (complex64 -> float32); other
// dtypes are returned unchanged.
DType real_dtype(DType t);
// The complex dtype with parts of float dtype t (float32 -> complex64,
// anything else -> complex128); complex dtypes are returned unchanged.
DType complex_dtype(DType t);

// NumPy's promotion of two array dtypes (np.result_type).
DType promote(DType a, DType b);

// Lua numbers are "weak" scalars (NumPy's NEP 50): they take the array's kind
// when they fit it. An integer scalar keeps an integer or float array's dtype
// (and lifts bool to int64); a float scalar keeps a float dtype and lifts bool
// and integers to float64. A complex scalar (Python's complex) keeps a complex
// dtype, lifts float32 to complex64 and everything else to complex128.
enum class ScalarKind { Bool, Integer, Float, Complex };
DType promote_with_scalar(DType array, ScalarKind scalar);
// The dtype of an array made from a Lua value of this kind.
DType default_dtype(ScalarKind scalar);

// The float type a float-valued function (sqrt, sin, mean...) computes in:
// float32 stays, bool and uint8 go to float32, wider integers to float64;
// complex dtypes stay.
DType float_result(DType t);

template <class T>
struct Tag {
  using type = T;
};

// The one dtype switch: calls f(Tag<T>{}) with the C++ element type of t.
template <class F>
decltype(auto) visit_dtype(DType t, F&& f) {
  switch (t) {
    case DType::Bool: return f(Tag<bool>{});
    case DType::UInt8: return f(Tag<std::uint8_t>{});
    case DType::Int32: return f(Tag<std::int32_t>{});
    case DType::Int64: return f(Tag<std::int64_t>{});
    case DType::Float32: return f(Tag<float>{});
    case DType::Float64: return f(Tag<double>{});
    case DType::Complex64: return f(Tag<std::complex<float>>{});
    case DType::Complex128: break;
  }
  return f(Tag<std::complex<double>>{});
}

}  // namespace tessera
