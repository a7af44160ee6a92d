// tessera::Value: a Lua value copied into C++ (or about to be pushed to Lua).
//
// Values are what crosses between a host program and its scripts: the
// arguments and results of Runtime::call and of functions registered with
// Runtime::def, and what Runtime::set / Runtime::get exchange. Usually you
// never see one: the conversions in <tessera/convert.hpp> turn them into
// numbers, strings, arrays, std::vector and std::optional for you.
//
//   Lua              Value::Kind   C++
//   nil              Nil           std::nullopt, (void)
//   true / false     Boolean       bool
//   3                Integer       int, std::int64_t, ... (range-checked), double
//   3.5              Number        double, float
//   "text"           String        std::string, std::string_view
//   a tessera array  Array         tessera::Array (a view: no copy)
//   {1, 2, 3}        List          std::vector<T> (the sequence part of a table)
//   anything else    Other         (only its type name is kept, for messages)
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "runtime/array.hpp"

namespace tessera {

class Value {
 public:
  enum class Kind { Nil, Boolean, Integer, Number, String, Array, List, Other };

  Value() = default;  // nil
  static Value nil() { return Value(); }
  static Value boolean(bool b) { return Value(b); }
  static Value integer(std::int64_t i) { return Value(i); }
  static Value number(double d) { return Value(d); }
  static Value string(std::string s) { return Value(std::move(s)); }
  static Value array(tessera::Array a) { return Value(std::move(a)); }
  static Value list(std::vector<Value> items) { return Value(std::move(items)); }
  // A Lua value with no C++ counterpart (a function, a coroutine, ...).
  static Value other(std::string lua_type) { return Value(Other{std::move(lua_type)}); }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_nil() const { return kind() == Kind::Nil; }
  bool is_number() const { return kind() == Kind::Integer || kind() == Kind::Number; }
  // Lua's name for the type ("nil", "boolean", "number", "string", "table",
  // "function", ...), and "array" for tessera arrays.
  std::string type_name() const;

  // Accessors; each requires the matching kind (as_number also takes Integer).
  bool as_boolean() const { return std::get<bool>(v_); }
  std::int64_t as_integer() const { return std::get<std::int64_t>(v_); }
  double as_number() const {
    return kind() == Kind::Integer ? static_cast<double>(as_integer()) : std::get<double>(v_);
  }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  const tessera::Array& as_array() const { return std::get<tessera::Array>(v_); }
  const std::vector<Value>& as_list() const { return std::get<std::vector<Value>>(v_); }

 private:
  struct Other {
    std::string type;
  };
  template <class T>
  explicit Value(T v) : v_(std::move(v)) {}

  std::variant<std::monostate, bool, std::int64_t, double, std::string, tessera::Array,
               std::vector<Value>, Other>
      v_;
};

inline std::string Value::type_name() const {
  switch (kind()) {
    case Kind::Nil: return "nil";
    case Kind::Boolean: return "boolean";
    case Kind::Integer:
    case Kind::Number: return "number";
    case Kind::String: return "string";
    case Kind::Array: return "array";
    case Kind::List: return "table";
    case Kind::Other: break;
  }
  return std::get<Other>(v_).type;
}

}  // namespace tessera
