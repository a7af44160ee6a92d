// Graph -> Program: dtypes by the core's rules (ops::binary_signature and
// the unary/where/astype rules of runtime/ops/elementwise.cpp), the core's
// power fast paths, optional strength reduction of other small powers,
// constant folding of number-only subexpressions, common subexpressions
// (one instruction per distinct function and operands), dead code removal,
// and block buffer slots reused after each value's last use.
#include <algorithm>
#include <climits>
#include <cstring>
#include <map>
#include <sstream>
#include <tuple>

#include "../errors.hpp"
#include "../ops/elementwise.hpp"
#include "graph.hpp"
#include "program.hpp"
#include "scalars.hpp"

namespace tessera::jit {

Scalar evaluate_uniform(const Uniform& u, const Scalar* values, const Scalar* args) {
  switch (u.kind) {
    case Uniform::Const: return u.value;
    case Uniform::Param: return args[u.arg];
    case Uniform::Binary: {
      const auto op = static_cast<BinaryOp>(u.op);
      return u.lua ? lua_binary(op, values[u.a], values[u.b])
                   : core_binary(op, values[u.a], values[u.b]);
    }
    case Uniform::Unary: {
      const auto op = static_cast<UnaryOp>(u.op);
      return u.lua ? lua_unary(op, values[u.a]) : core_unary(op, values[u.a]);
    }
  }
  return u.value;
}

namespace {

using kernels::LineFn;
using kernels::ReduceOp;

// What a graph node became.
struct Value {
  bool array = false;
  DType dtype = DType::Float64;  // array values
  int reg = -1;                  // array values
  int uniform = -1;              // number values
  bool constant = false;         // number value known now
  int shape = -1;                // ShapeNode of an array value
  bool reduce = false;
  int like_arg = -1;
};

class Compiler {
 public:
  Compiler(const Graph& g, const Signature& sig, bool exact, Program& p)
      : g_(g), sig_(sig), exact_(exact), p_(p) {
    for (int t = 0; t < kNumDTypes; ++t)
      dummy_[t] = Array(nullptr, static_cast<DType>(t), Dims(), Dims(), 0);
  }

  void run() {
    p_.sig = sig_;
    v_.resize(g_.nodes.size());
    for (std::size_t i = 0; i < g_.nodes.size(); ++i) node(static_cast<int>(i));
    outputs();
    eliminate_dead_code();
    allocate_slots();
    for (const Instr& in : p_.instrs) p_.cost += in.cost;
    precompute();
  }

 private:
  const Graph& g_;
  const Signature& sig_;
  bool exact_;
  Program& p_;
  std::vector<Value> v_;
  Array dummy_[kNumDTypes];
  std::map<std::vector<std::intptr_t>, int> cse_;
  std::map<std::pair<int, int>, int> scalar_regs_;  // (uniform, dtype) -> register
  std::map<std::pair<int, int>, int> input_regs_;   // (arg, 0) -> register
  std::vector<bool> claimed_;

  [[noreturn]] void fail(const Node& n, const std::string& message) {
    std::string at = n.name.empty() ? std::string() : n.name;
    if (!n.where.empty()) at += (at.empty() ? "at " : " at ") + n.where;
    throw Error(at.empty() ? message : at + ": " + message);
  }

  // ---- registers and instructions ----

  int new_reg(RegKind kind, DType t) {
    Reg r;
    r.kind = kind;
    r.dtype = t;
    p_.regs.push_back(r);
    return static_cast<int>(p_.regs.size()) - 1;
  }

  int input_reg(int arg) {
    auto it = input_regs_.find({arg, 0});
    if (it != input_regs_.end()) return it->second;
    int r = new_reg(RegKind::Input, sig_.dtype(arg));
    p_.regs[r].arg = arg;
    input_regs_[{arg, 0}] = r;
    return r;
  }

  int scalar_reg(int uniform, DType t) {
    const Uniform& u = p_.uniforms[uniform];
    ScalarValue s;
    s.uniform = uniform;
    s.dtype = t;
    s.per_call = u.kind != Uniform::Const;
    std::pair<int, int> key{uniform, static_cast<int>(t)};
    if (!s.per_call) {  // equal constants share a register
      u.value.store(t, s.bytes);
      for (std::size_t k = 0; k < p_.scalars.size(); ++k) {
        const ScalarValue& o = p_.scalars[k];
        if (!o.per_call && o.dtype == t && std::memcmp(o.bytes, s.bytes, 16) == 0)
          for (std::size_t r = 0; r < p_.regs.size(); ++r)
            if (p_.regs[r].kind == RegKind::Scalar && p_.regs[r].scalar == static_cast<int>(k))
              return static_cast<int>(r);
      }
    } else {
      auto it = scalar_regs_.find(key);
      if (it != scalar_regs_.end()) return it->second;
    }
    p_.scalars.push_back(s);
    int r = new_reg(RegKind::Scalar, t);
    p_.regs[r].scalar = static_cast<int>(p_.scalars.size()) - 1;
    scalar_regs_[key] = r;
    return r;
  }

  int constant_reg(Scalar value, DType t) {
    Uniform u;
    u.kind = Uniform::Const;
    u.value = value;
    u.result = value.kind;
    p_.uniforms.push_back(u);
    return scalar_reg(static_cast<int>(p_.uniforms.size()) - 1, t);
  }

  // One instruction, or the register of an identical earlier one.
  int emit(LineFn fn, std::initializer_list<int> srcs, DType out, int cost, const std::string& text,
           bool share = true) {
    if (!fn) throw Error("internal error: no kernel for " + text);
    std::vector<std::intptr_t> key{reinterpret_cast<std::intptr_t>(fn)};
    for (int s : srcs) key.push_back(s);
    if (share) {
      auto it = cse_.find(key);
      if (it != cse_.end()) return it->second;
    }
    Instr in;
    in.fn = fn;
    for (int s : srcs) in.src[in.nsrc++] = s;
    in.dst = new_reg(RegKind::Temp, out);
    in.cost = cost;
    in.text = text;
    p_.instrs.push_back(in);
    if (share) cse_[key] = in.dst;
    return in.dst;
  }

  static std::string typed(const char* name, DType t) {
    return std::string(name) + "." + dtype_name(t);
  }

  int cast(int reg, DType t) {
    const DType from = p_.regs[reg].dtype;
    if (from == t) return reg;
    return emit(kernels::cast_line(from, t), {reg}, t, 1,
                std::string("cast.") + dtype_name(from) + "." + dtype_name(t));
  }

  int binary(BinaryOp op, int a, int b, DType compute, DType result) {
    return emit(kernels::binary_line(op, compute), {a, b}, result, kernels::binary_cost(op),
                typed(kernels::binary_name(op), compute));
  }

  int unary(UnaryOp op, int a, DType t) {
    return emit(kernels::unary_line(op, t), {a}, kernels::unary_yields_bool(op) ? DType::Bool : t,
                kernels::unary_cost(op), typed(kernels::unary_name(op), t));
  }

  // A value as an operand computing in dtype t.
  int operand(const Value& v, DType t) {
    return v.array ? cast(v.reg, t) : scalar_reg(v.uniform, t);
  }

  // A value as the core's dispatch sees it when choosing dtypes. Numbers
  // known only per call stand in as 0 of their kind: their fit is checked
  // per call (FitsCheck).
  ops::Operand typing_operand(const Value& v) {
    if (v.array) return ops::Operand(dummy_[static_cast<int>(v.dtype)]);
    const Uniform& u = p_.uniforms[v.uniform];
    if (v.constant) return ops::Operand(u.value);
    Scalar s;
    s.kind = u.result;
    return ops::Operand(s);
  }

  bool per_call_integer(const Value& v) const {
    return !v.array && !v.constant && p_.uniforms[v.uniform].result == ScalarKind::Integer;
  }

  void check_fits(const Node& n, const Value& v, DType t) {
    if (!per_call_integer(v) || !is_integer(t)) return;
    FitsCheck f;
    f.uniform = v.uniform;
    f.dtype = t;
    f.name = n.name;
    f.where = n.where;
    p_.fits.push_back(f);
  }

  // ---- nodes ----

  void node(int i) {
    const Node& n = g_.nodes[i];
    Value& v = v_[i];
    for (int k = 0; k < 3; ++k)
      if (n.in[k] >= 0 && v_[n.in[k]].reduce)
        fail(n, "the result of a reduction can only be returned (a final reduction)");
    bool any_array = false;
    for (int k = 0; k < 3; ++k)
      if (n.in[k] >= 0 && v_[n.in[k]].array) any_array = true;
    switch (n.kind) {
      case Node::Arg:
        if (n.arg >= sig_.n || !sig_.is_array(n.arg))
          fail(n, "internal error: not an array argument");
        v.array = true;
        v.dtype = sig_.dtype(n.arg);
        v.reg = input_reg(n.arg);
        v.like_arg = n.arg;
        break;
      case Node::Param:
      case Node::Const: uniform(n, v); return;
      case Node::Binary:
        if (!any_array) return uniform(n, v);
        binary_node(n, v);
        break;
      case Node::Unary:
        if (!any_array) return uniform(n, v);
        unary_node(n, v);
        break;
      case Node::Where: where_node(n, v); break;
      case Node::Cast: {
        const Value& a = v_[n.in[0]];
        if (!a.array) fail(n, "expected an array");
        v.array = true;
        v.dtype = n.dtype;
        v.reg = cast(a.reg, n.dtype);
        break;
      }
      case Node::Reduce: {
        const Value& a = v_[n.in[0]];
        if (!a.array) fail(n, "expected an array");
        const auto op = static_cast<ReduceOp>(n.op);
        if (!kernels::reduce_line(op, a.dtype))
          fail(n, std::string("not supported for ") + dtype_name(a.dtype) + " arrays");
        v.reduce = true;
        v.array = true;
        v.dtype = a.dtype;
        v.reg = a.reg;
        v.shape = a.shape;
        return;
      }
    }
    // the node's shape: broadcast of its array operands'
    ShapeNode s;
    s.name = n.name;
    s.where = n.where;
    int k2 = 0;
    for (int k = 0; k < 3; ++k)
      if (n.in[k] >= 0 && v_[n.in[k]].array) s.operands[k2++] = v_[n.in[k]].shape;
    if (n.kind == Node::Arg) s.arg = n.arg;
    p_.shape_nodes.push_back(s);
    v.shape = static_cast<int>(p_.shape_nodes.size()) - 1;
  }

  void uniform(const Node& n, Value& v) {
    Uniform u;
    u.name = n.name;
    u.where = n.where;
    u.lua = n.lua;
    u.op = static_cast<std::uint8_t>(n.op);
    bool constant = true;
    if (n.kind == Node::Param) {
      const std::uint8_t c = n.arg < sig_.n ? sig_.code[n.arg] : Signature::kNil;
      if (c != Signature::kInteger && c != Signature::kFloat && c != Signature::kBool)
        throw Error("internal error: not a number argument");
      u.kind = Uniform::Param;
      u.arg = n.arg;
      u.result = c == Signature::kInteger ? ScalarKind::Integer
                 : c == Signature::kFloat ? ScalarKind::Float
                                          : ScalarKind::Bool;
      constant = false;
    } else if (n.kind == Node::Const) {
      u.kind = Uniform::Const;
      u.value = n.value;
      u.result = n.value.kind;
    } else if (n.kind != Node::Binary && n.kind != Node::Unary) {
      fail(n, "expected an array");
    } else {
      try {
        if (n.kind == Node::Binary) {
          const Value &a = v_[n.in[0]], &b = v_[n.in[1]];
          u.kind = Uniform::Binary;
          u.a = a.uniform;
          u.b = b.uniform;
          const auto op = static_cast<BinaryOp>(n.op);
          const ScalarKind ka = p_.uniforms[u.a].result, kb = p_.uniforms[u.b].result;
          u.result = n.lua ? lua_binary_kind(op, ka, kb) : core_binary_kind(op, ka, kb);
          constant = a.constant && b.constant;
        } else {
          const Value& a = v_[n.in[0]];
          u.kind = Uniform::Unary;
          u.a = a.uniform;
          const auto op = static_cast<UnaryOp>(n.op);
          const ScalarKind ka = p_.uniforms[u.a].result;
          u.result = n.lua ? lua_unary_kind(op, ka) : core_unary_kind(op, ka);
          constant = a.constant;
        }
        if (constant) {  // constant folding
          std::vector<Scalar> values(p_.uniforms.size());
          for (std::size_t k = 0; k < p_.uniforms.size(); ++k)
            if (p_.uniforms[k].kind == Uniform::Const) values[k] = p_.uniforms[k].value;
          u.value = evaluate_uniform(u, values.data(), nullptr);
          u.kind = Uniform::Const;
          u.result = u.value.kind;
        }
      } catch (const Error& e) {
        fail(n, e.what());
      }
    }
    p_.uniforms.push_back(u);
    v.uniform = static_cast<int>(p_.uniforms.size()) - 1;
    v.constant = constant;
  }

  ops::Signature signature(const Node& n, BinaryOp op, const Value& a, const Value& b) {
    try {
      return ops::binary_signature(op, typing_operand(a), typing_operand(b));
    } catch (const Error& e) {
      fail(n, e.what());
    }
  }

  void binary_node(const Node& n, Value& v) {
    const auto op = static_cast<BinaryOp>(n.op);
    const Value &a = v_[n.in[0]], &b = v_[n.in[1]];
    ops::Signature s = signature(n, op, a, b);
    if (kernels::is_comparison(op) && is_integer(s.compute) &&
        (per_call_integer(a) || per_call_integer(b)))
      s.compute =
          DType::Int64;  // exact whatever the number's value (the core's rule when it does not fit)
    check_fits(n, a, s.compute);
    check_fits(n, b, s.compute);
    v.array = true;
    v.dtype = s.result;
    v.like_arg = a.array ? a.like_arg : b.like_arg;
    if (op == BinaryOp::Pow && a.array && !b.array) {
      v.reg = power(n, a, b, s);
      v.dtype = p_.regs[v.reg].dtype;  // a bool array squared stays bool, as in the core
      return;
    }
    v.reg = binary(op, operand(a, s.compute), operand(b, s.compute), s.compute, s.result);
  }

  // x^n by repeated squaring (integers: exact, as the core's pow).
  int integer_power(int x, std::int64_t n, DType t) {
    int result = -1, base = x;
    for (std::int64_t e = n; e; e >>= 1) {
      if (e & 1) result = result < 0 ? base : binary(BinaryOp::Mul, result, base, t, t);
      if (e >> 1) base = binary(BinaryOp::Mul, base, base, t, t);
    }
    return result;
  }

  // Floats: x^k for k = 1..4 with squares and multiplies.
  int float_power(int x, int k, DType t) {
    switch (k) {
      case 1: return x;
      case 2: return unary(UnaryOp::Square, x, t);
      case 3: return binary(BinaryOp::Mul, unary(UnaryOp::Square, x, t), x, t, t);
      default: return unary(UnaryOp::Square, unary(UnaryOp::Square, x, t), t);
    }
  }

  int reciprocal(int x, DType t) {
    return binary(BinaryOp::Div, constant_reg(Scalar::number(1.0), t), x, t, t);
  }

  // Strength reduction of x^e for a constant e outside the core's fast paths:
  // integer e with 3 <= |e| <= 4 or e = -2, and half-integer e with |e| <= 3.5.
  // -1 when e is not one of those.
  int reduced_float_power(int x, double e, DType t) {
    const double m = e < 0 ? -e : e;
    const bool whole = m == static_cast<int>(m) && m >= 2 && m <= 4;
    const bool half = m - static_cast<int>(m) == 0.5 && m <= 3.5;
    if (!whole && !half) return -1;
    const int k = static_cast<int>(m);
    int r = whole ? float_power(x, k, t)
                  : (k == 0 ? unary(UnaryOp::Sqrt, x, t)
                            : binary(BinaryOp::Mul, float_power(x, k, t),
                                     unary(UnaryOp::Sqrt, x, t), t, t));
    return e < 0 ? reciprocal(r, t) : r;
  }

  // a ^ b with an array base and a number exponent: the core's fast paths
  // (runtime/ops/elementwise.cpp, fast_power), then strength reduction.
  int power(const Node& n, const Value& a, const Value& b, const ops::Signature& s) {
    const Uniform& u = p_.uniforms[b.uniform];
    if (!b.constant) {
      if (a.dtype == DType::Bool)
        fail(n,
             "a bool array to the power of a number argument is not supported (its result "
             "dtype would depend on the number's value); use astype first");
      DynamicPower d;
      d.uniform = b.uniform;
      d.t = s.compute;
      d.x = operand(a, s.compute);
      d.e = scalar_reg(b.uniform, s.compute);
      if (is_float(s.compute)) d.one = constant_reg(Scalar::number(1.0), s.compute);
      p_.powers.push_back(d);
      Instr in;
      in.fn = kernels::binary_line(BinaryOp::Pow, s.compute);
      in.nsrc = 2;
      in.src[0] = d.x;
      in.src[1] = d.e;
      if (d.one >= 0) in.src[in.nsrc++] = d.one;
      in.dst = new_reg(RegKind::Temp, s.result);
      in.cost = kernels::binary_cost(BinaryOp::Pow);
      in.power = static_cast<int>(p_.powers.size()) - 1;
      in.text = typed("power", s.compute) + "(by value)";
      p_.instrs.push_back(in);
      return in.dst;
    }
    const Scalar& ev = u.value;
    const double e = ev.kind == ScalarKind::Integer ? double(ev.i) : ev.f;
    if (!is_float(s.compute)) {
      if (e == 2 && ev.kind == ScalarKind::Integer) {  // the core: a * a in a's dtype
        const ops::Operand x(dummy_[static_cast<int>(a.dtype)]);
        const ops::Signature m = ops::binary_signature(BinaryOp::Mul, x, x);
        return binary(BinaryOp::Mul, operand(a, m.compute), operand(a, m.compute), m.compute,
                      m.result);
      }
      if (!exact_ && ev.kind == ScalarKind::Integer && ev.i >= 3 && ev.i <= 8)
        return integer_power(operand(a, s.compute), ev.i, s.compute);
    } else {
      const int x = operand(a, s.compute);
      if (e == 2) return unary(UnaryOp::Square, x, s.compute);
      if (e == 0.5) return unary(UnaryOp::Sqrt, x, s.compute);
      if (e == -1) return reciprocal(x, s.compute);
      if (e == 1) return x;
      if (!exact_) {
        int r = reduced_float_power(x, e, s.compute);
        if (r >= 0) return r;
      }
    }
    return binary(BinaryOp::Pow, operand(a, s.compute), operand(b, s.compute), s.compute, s.result);
  }

  void unary_node(const Node& n, Value& v) {
    const auto op = static_cast<UnaryOp>(n.op);
    const Value& a = v_[n.in[0]];
    DType t = a.dtype;
    if (kernels::unary_needs_float(op) && !is_float(t)) t = float_result(t);
    if (!kernels::unary_line(op, t))
      fail(n, std::string("not supported for ") + dtype_name(t) + " arrays");
    v.array = true;
    v.dtype = kernels::unary_yields_bool(op) ? DType::Bool : t;
    v.reg = unary(op, operand(a, t), t);
    v.like_arg = a.like_arg;
  }

  void where_node(const Node& n, Value& v) {
    const Value &c = v_[n.in[0]], &a = v_[n.in[1]], &b = v_[n.in[2]];
    if (!c.array) fail(n, "expected an array condition");
    DType t = signature(n, BinaryOp::Add, a, b).compute;
    if (!a.array && !b.array && p_.uniforms[a.uniform].result == ScalarKind::Bool &&
        p_.uniforms[b.uniform].result == ScalarKind::Bool)
      t = DType::Bool;
    check_fits(n, a, t);
    check_fits(n, b, t);
    v.array = true;
    v.dtype = t;
    v.reg = emit(kernels::where_line(t), {cast(c.reg, DType::Bool), operand(a, t), operand(b, t)},
                 t, 1, typed("where", t));
  }

  // ---- outputs, dead code, slots ----

  std::uint32_t deps(int shape) const {
    if (shape < 0) return 0;
    const ShapeNode& s = p_.shape_nodes[shape];
    std::uint32_t m = s.arg >= 0 ? std::uint32_t{1} << s.arg : 0;
    for (int k = 0; k < 3; ++k) m |= deps(s.operands[k]);
    return m;
  }

  void outputs() {
    if (g_.outputs.size() > static_cast<std::size_t>(kMaxOutputs))
      throw Error("at most " + std::to_string(kMaxOutputs) + " results");
    claimed_.assign(p_.regs.size(), false);
    for (int node : g_.outputs) {
      const Node& n = g_.nodes[node];
      const Value& v = v_[node];
      Output o;
      o.name = n.name;
      o.where = n.where;
      if (!v.array) {
        o.kind = Output::Uniform;
        o.uniform = v.uniform;
      } else if (v.reduce) {
        o.kind = Output::Reduce;
        o.reg = v.reg;
        o.reduce = static_cast<ReduceOp>(n.op);
        o.dtype = v.dtype;
        o.node = v.shape;
        p_.has_reduction = true;
      } else {
        o.kind = Output::Array;
        o.dtype = v.dtype;
        o.node = v.shape;
        o.like_arg = v.like_arg;
        int r = v.reg;
        claimed_.resize(p_.regs.size(), false);
        if (p_.regs[r].kind != RegKind::Temp || claimed_[r])  // an argument, or already a result
          r = emit(kernels::cast_line(v.dtype, v.dtype), {r}, v.dtype, 1, typed("copy", v.dtype),
                   false);
        claimed_.resize(p_.regs.size(), false);
        claimed_[r] = true;
        o.reg = r;
      }
      o.deps = deps(o.node);
      p_.outputs.push_back(o);
    }
  }

  void eliminate_dead_code() {
    std::vector<bool> live(p_.regs.size(), false);
    for (const Output& o : p_.outputs)
      if (o.reg >= 0) live[o.reg] = true;
    std::vector<Instr> kept;
    for (int i = static_cast<int>(p_.instrs.size()) - 1; i >= 0; --i) {
      const Instr& in = p_.instrs[i];
      if (!live[in.dst]) continue;
      for (int k = 0; k < in.nsrc; ++k) live[in.src[k]] = true;
      kept.push_back(in);
    }
    std::reverse(kept.begin(), kept.end());
    p_.instrs = std::move(kept);
    for (std::size_t r = 0; r < p_.regs.size(); ++r)
      if (live[r] && p_.regs[r].kind == RegKind::Input)
        p_.input_regs.push_back(static_cast<int>(r));
  }

  void precompute() {
    for (std::size_t i = 0; i < p_.uniforms.size(); ++i)
      if (p_.uniforms[i].kind != Uniform::Const) p_.per_call.push_back(static_cast<int>(i));
    for (const Instr& in : p_.instrs) {
      Step s;
      s.fn = in.fn;
      s.n = in.nsrc + 1;
      for (int k = 0; k < in.nsrc; ++k) s.regs[k] = in.src[k];
      s.regs[in.nsrc] = in.dst;
      p_.steps.push_back(s);
      if (in.power >= 0) p_.dynamic_steps = true;
    }
    for (ScalarValue& v : p_.scalars) {
      p_.scalar_data.push_back(v.per_call ? nullptr : reinterpret_cast<char*>(v.bytes));
      if (v.per_call) p_.per_call_scalars = true;
    }
  }

  void allocate_slots() {
    const int n = static_cast<int>(p_.instrs.size());
    std::vector<int> last(p_.regs.size(), -1);
    for (int i = 0; i < n; ++i)
      for (int k = 0; k < p_.instrs[i].nsrc; ++k) last[p_.instrs[i].src[k]] = i;
    for (const Output& o : p_.outputs)
      if (o.reg >= 0) last[o.reg] = INT_MAX;
    std::vector<int> free_slots;
    auto take = [&]() {
      if (free_slots.empty()) return p_.slots++;
      int s = free_slots.back();
      free_slots.pop_back();
      return s;
    };
    for (int r : p_.input_regs) p_.regs[r].slot = take();
    for (int i = 0; i < n; ++i) {
      const Instr& in = p_.instrs[i];
      const std::size_t out_size = dtype_size(p_.regs[in.dst].dtype);
      int ending[3];
      int count = 0;
      for (int k = 0; k < in.nsrc; ++k) {
        const int s = in.src[k];
        if (last[s] != i || p_.regs[s].kind == RegKind::Scalar) continue;
        if (std::find(ending, ending + count, s) == ending + count) ending[count++] = s;
      }
      // A slot may be overwritten in place by an element of the same size only.
      for (int k = 0; k < count; ++k)
        if (dtype_size(p_.regs[ending[k]].dtype) == out_size)
          free_slots.push_back(p_.regs[ending[k]].slot);
      p_.regs[in.dst].slot = take();
      for (int k = 0; k < count; ++k)
        if (dtype_size(p_.regs[ending[k]].dtype) != out_size)
          free_slots.push_back(p_.regs[ending[k]].slot);
    }
  }
};

}  // namespace

std::unique_ptr<Program> compile(const std::string& description, const Signature& sig, bool exact) {
  const Graph g = parse_graph(description);
  auto p = std::make_unique<Program>();
  Compiler(g, sig, exact, *p).run();
  return p;
}

std::string Program::listing() const {
  std::ostringstream o;
  auto name = [&](int r) {
    const Reg& g = regs[r];
    std::ostringstream s;
    if (g.kind == RegKind::Input) s << "arg" << g.arg + 1;
    else if (g.kind == RegKind::Scalar) {
      const ScalarValue& v = scalars[g.scalar];
      if (v.per_call) s << "u" << v.uniform;
      else {
        const Scalar x = uniforms[v.uniform].value;
        if (x.kind == ScalarKind::Float) s << x.f;
        else s << x.i;
      }
      s << ":" << dtype_name(g.dtype);
    } else {
      s << "t" << g.slot;
    }
    return s.str();
  };
  for (const Instr& in : instrs) {
    o << name(in.dst) << " = " << in.text;
    for (int k = 0; k < in.nsrc; ++k) o << (k ? ", " : " ") << name(in.src[k]);
    o << "\n";
  }
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const Output& out = outputs[k];
    o << "result " << k + 1 << ": ";
    if (out.kind == Output::Uniform) o << "number u" << out.uniform;
    else if (out.kind == Output::Reduce)
      o << kernels::reduce_name(out.reduce) << " of " << name(out.reg);
    else o << name(out.reg) << " " << dtype_name(out.dtype);
    o << "\n";
  }
  o << "slots " << slots << ", cost " << cost << "\n";
  return o.str();
}

}  // namespace tessera::jit
