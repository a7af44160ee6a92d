// Conversions between C++ types and tessera::Value, used for the arguments
// and results of Runtime::call, Runtime::def and Runtime::set / get.
//
// Supported types (T below is again any supported type):
//   bool                          Lua boolean (no truthiness: 0 and "" are errors)
//   integer types                 Lua integer, or a float with an integral value,
//                                 range-checked for the C++ type
//   float, double                 any Lua number
//   std::string, std::string_view Lua string (a view lives as long as the call)
//   const char*                   results only
//   tessera::Array                an array handle: a view, never a copy
//   std::vector<T>                a Lua list {...}; a 1-D array of T's dtype
//                                 converts too (copied)
//   std::optional<T>              nil <-> std::nullopt
//   tessera::Value                anything, unconverted
//
// A failed conversion throws ConversionError naming the place, the type that
// was expected and what came: "argument 2 expected number, got string";
// Runtime prefixes the name of the function.
//
// Other types can be added by specializing Convert<T> with
//   static Value to(const T&);
//   static T from(const Value&, const std::string& what);
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "errors.hpp"
#include "value.hpp"

namespace tessera {

template <class T, class Enable = void>
struct Convert {
  static_assert(sizeof(T) == 0, "tessera::Convert: no conversion for this type");
};

namespace detail {

[[noreturn]] inline void mismatch(const std::string& what, const char* expected, const Value& got) {
  throw ConversionError(what + " expected " + expected + ", got " + got.type_name());
}

// As Lua prints a float ("%.14g").
inline std::string number_text(double d) {
  char text[32];
  std::snprintf(text, sizeof text, "%.14g", d);
  return text;
}

}  // namespace detail

template <>
struct Convert<Value> {
  static Value to(const Value& v) { return v; }
  static Value from(const Value& v, const std::string&) { return v; }
};

template <>
struct Convert<bool> {
  static Value to(bool b) { return Value::boolean(b); }
  static bool from(const Value& v, const std::string& what) {
    if (v.kind() != Value::Kind::Boolean) detail::mismatch(what, "boolean", v);
    return v.as_boolean();
  }
};

template <class T>
struct Convert<T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>>> {
  static Value to(T x) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (x > static_cast<T>(std::numeric_limits<std::int64_t>::max()))
        throw ConversionError("integer " + std::to_string(x) + " does not fit a Lua integer");
    }
    return Value::integer(static_cast<std::int64_t>(x));
  }
  static T from(const Value& v, const std::string& what) {
    using L = std::numeric_limits<T>;
    std::int64_t i = 0;
    if (v.kind() == Value::Kind::Integer) {
      i = v.as_integer();
    } else if (v.kind() == Value::Kind::Number) {
      double d = v.as_number();
      if (!(d == std::floor(d) && d >= -9.2233720368547758e18 && d < 9.2233720368547758e18))
        throw ConversionError(what + " expected an integer, got " + detail::number_text(d));
      i = static_cast<std::int64_t>(d);
    } else {
      detail::mismatch(what, "integer", v);
    }
    bool below = std::is_signed_v<T> ? i < static_cast<std::int64_t>(L::min()) : i < 0;
    bool above = sizeof(T) < sizeof(std::int64_t) &&
                 i > static_cast<std::int64_t>(std::min<std::uint64_t>(
                         L::max(), std::numeric_limits<std::int64_t>::max()));
    if (below || above)
      throw ConversionError(what + " expected an integer in [" + std::to_string(L::min()) + ", " +
                            std::to_string(L::max()) + "], got " + std::to_string(i));
    return static_cast<T>(i);
  }
};

template <class T>
struct Convert<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  static Value to(T x) { return Value::number(static_cast<double>(x)); }
  static T from(const Value& v, const std::string& what) {
    if (!v.is_number()) detail::mismatch(what, "number", v);
    return static_cast<T>(v.as_number());
  }
};

template <>
struct Convert<std::string> {
  static Value to(const std::string& s) { return Value::string(s); }
  static std::string from(const Value& v, const std::string& what) {
    if (v.kind() != Value::Kind::String) detail::mismatch(what, "string", v);
    return v.as_string();
  }
};

// The view points into the Value: valid while the call it came with runs.
template <>
struct Convert<std::string_view> {
  static Value to(std::string_view s) { return Value::string(std::string(s)); }
  static std::string_view from(const Value& v, const std::string& what) {
    if (v.kind() != Value::Kind::String) detail::mismatch(what, "string", v);
    return v.as_string();
  }
};

template <>
struct Convert<const char*> {
  static Value to(const char* s) { return s ? Value::string(s) : Value::nil(); }
};

template <>
struct Convert<Array> {
  static Value to(const Array& a) { return a.valid() ? Value::array(a) : Value::nil(); }
  static Array from(const Value& v, const std::string& what) {
    if (v.kind() != Value::Kind::Array) detail::mismatch(what, "array", v);
    if (!v.as_array().valid()) throw ConversionError(what + ": array has been closed");
    return v.as_array();
  }
};

template <class T>
struct Convert<std::optional<T>> {
  static Value to(const std::optional<T>& x) { return x ? Convert<T>::to(*x) : Value::nil(); }
  static std::optional<T> from(const Value& v, const std::string& what) {
    if (v.is_nil()) return std::nullopt;
    return Convert<T>::from(v, what);
  }
};

template <class T>
struct Convert<std::vector<T>> {
  static Value to(const std::vector<T>& xs) {
    std::vector<Value> items;
    items.reserve(xs.size());
    for (const T& x : xs) items.push_back(Convert<T>::to(x));
    return Value::list(std::move(items));
  }
  static std::vector<T> from(const Value& v, const std::string& what) {
    if constexpr (std::is_arithmetic_v<T>) {
      if (v.kind() == Value::Kind::Array) return from_array(v.as_array(), what);
    }
    if (v.kind() != Value::Kind::List) detail::mismatch(what, "table", v);
    const std::vector<Value>& items = v.as_list();
    std::vector<T> out;
    out.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i)
      out.push_back(Convert<T>::from(items[i], what + "[" + std::to_string(i + 1) + "]"));
    return out;
  }

 private:
  static std::vector<T> from_array(const Array& a, const std::string& what) {
    if (!a.valid()) throw ConversionError(what + ": array has been closed");
    if (a.ndim() != 1)
      throw ConversionError(what + " expected a 1-D array, got " + std::to_string(a.ndim()) +
                            " dimensions");
    if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::uint8_t> ||
                  std::is_same_v<T, std::int32_t> || std::is_same_v<T, std::int64_t> ||
                  std::is_same_v<T, float> || std::is_same_v<T, double>) {
      if (a.dtype() != dtype_of<T>)
        throw ConversionError(what + " expected an array of " + dtype_name(dtype_of<T>) + ", got " +
                              dtype_name(a.dtype()));
      std::vector<T> out(static_cast<std::size_t>(a.dim(0)));
      const T* p = a.data_as<T>();
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = p[std::int64_t(i) * a.stride(0)];
      return out;
    } else {
      throw ConversionError(what + " expected a table, got array");
    }
  }
};

}  // namespace tessera
