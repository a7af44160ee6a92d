#include "elementwise.hpp"

#include <algorithm>
#include <string>

#include "../../kernels/nd_loop.hpp"

namespace tessera::ops {
namespace {

// A strided operand as the loop driver sees it: a base pointer and element
// strides already broadcast to the loop's shape.
struct Ref {
  char* data;
  std::size_t itemsize;
  Dims strides;
};

// a's strides broadcast to shape (already checked compatible): stride 0
// along new or extent-1 dimensions. No Array is copied.
Ref ref_of(const Array& a, const Dims& shape) {
  Ref r{static_cast<char*>(a.data()), a.itemsize(), Dims()};
  r.strides.n = shape.n;
  const int lead = shape.n - a.ndim();
  for (int d = 0; d < shape.n; ++d) {
    const int j = d - lead;
    r.strides[d] = j < 0 || a.dim(j) != shape[d] ? 0 : a.stride(j);
  }
  return r;
}

Ref ref_of_scalar(void* buffer, std::size_t itemsize, const Dims& shape) {
  return {static_cast<char*>(buffer), itemsize, Dims::filled(shape.n, 0)};
}

// Elements per task for an operation of unit cost; expensive operations
// (transcendentals) split finer. Below two grains no TBB is involved at all.
constexpr std::int64_t kUnitGrain = 1 << 16;

// Runs fn over the layout; split across par's threads when par is given.
template <int K>
void run(Parallel* par, int cost, kernels::LineFn fn, const Dims& shape, const Ref* refs) {
  std::ptrdiff_t bytes[K][kMaxDims];
  const std::ptrdiff_t* rows[K];
  char* base[K];
  for (int k = 0; k < K; ++k) {
    for (int d = 0; d < shape.n; ++d)
      bytes[k][d] = refs[k].strides[d] * static_cast<std::ptrdiff_t>(refs[k].itemsize);
    rows[k] = bytes[k];
    base[k] = refs[k].data;
  }
  auto plan = kernels::make_plan<K>(shape.n, shape.v, rows, /*reorder=*/true);
  std::int64_t total = kernels::plan_size(plan);
  if (total == 0) return;
  if (!par) {
    kernels::run_plan(plan, base, fn);
    return;
  }
  par->for_range(total, kUnitGrain / cost, [&](std::int64_t begin, std::int64_t end) {
    kernels::run_plan_range<K>(plan, base, begin, end, fn);
  });
}

DType operand_dtype(const Operand& o) { return o.array->dtype(); }

Dims operand_shape(const Operand& o) { return o.array ? o.array->shape() : Dims(); }

// True when writing dst may clobber src before src is read (shared storage
// with a different layout).
bool overlaps(const Array& dst, const Array& src) {
  if (!dst.shares_storage(src)) return false;
  return !(dst.offset() == src.offset() && dst.strides() == src.strides() &&
           dst.shape() == src.shape() && dst.dtype() == src.dtype());
}

// An operand ready for the loop: converted to dtype t, contiguous copy when
// it must be cast or would be clobbered by writing out.
struct Prepared {
  Array holder;
  alignas(16) unsigned char scalar[16];
  bool is_scalar = false;
};

void prepare(Context& ctx, const Operand& o, DType t, const Array* out, Prepared& p) {
  if (!o.array) {
    p.is_scalar = true;
    o.scalar.store(t, p.scalar);
    return;
  }
  if (o.array->dtype() != t || (out && overlaps(*out, *o.array)))
    p.holder = astype(ctx, *o.array, t);
  else
    p.holder = *o.array;
}

Ref prepared_ref(Prepared& p, DType t, const Dims& shape) {
  if (p.is_scalar) return ref_of_scalar(p.scalar, dtype_size(t), shape);
  return ref_of(p.holder, shape);
}

// Strides for a new result laid out like `like` (NumPy's order='K'): when an
// input is a dense permutation of a contiguous block (a transpose, say), the
// result takes the same order, so the loop runs over all of them as one line.
bool dense_layout(const Array& like, Dims& strides) {
  int n = like.ndim();
  if (n < 2 || like.is_contiguous()) return false;
  int perm[kMaxDims];
  for (int i = 0; i < n; ++i) perm[i] = i;
  auto mag = [&](int d) { return like.stride(d) < 0 ? -like.stride(d) : like.stride(d); };
  std::stable_sort(perm, perm + n, [&](int x, int y) { return mag(x) > mag(y); });
  strides = Dims::filled(n, 0);
  std::int64_t s = 1;
  for (int i = n - 1; i >= 0; --i) {
    int d = perm[i];
    if (like.dim(d) != 1 && mag(d) != s) return false;  // gaps or broadcast: not dense
    strides[d] = s;
    s *= like.dim(d);
  }
  return true;
}

Array new_result(Context& ctx, DType t, const Dims& shape, const Array* like) {
  Dims strides;
  if (like && like->shape() == shape && dense_layout(*like, strides)) {
    std::size_t bytes = static_cast<std::size_t>(checked_size(shape)) * dtype_size(t);
    return Array(Storage::allocate(bytes, ctx.account), t, shape, strides, 0);
  }
  return Array::empty(t, shape, ctx.account);
}

// Makes or checks the output. When out's dtype differs from the result's,
// the loop writes to a temporary that is then cast into out.
Array output(Context& ctx, const char* name, DType result, const Dims& shape, const Array* out,
             const Array* like = nullptr) {
  if (!out) return new_result(ctx, result, shape, like);
  if (out->shape() != shape)
    throw Error(std::string("out has shape ") + format_shape(out->shape()) + ", expected " +
                format_shape(shape));
  if (!can_cast_same_kind(result, out->dtype()))
    throw Error(std::string("cannot cast ") + dtype_name(result) + " result of " + name +
                " to " + dtype_name(out->dtype()) + " output");
  if (out->dtype() != result) return Array::empty(result, shape, ctx.account);
  return *out;
}

Array finish(const Array& result, const Array* out) {
  if (!out) return result;
  if (!result.shares_storage(*out)) copy_into(*out, result);
  return *out;
}

Dims result_shape(const Operand& a, const Operand& b) {
  return broadcast_shapes(operand_shape(a), operand_shape(b));
}

}  // namespace

bool can_cast_same_kind(DType from, DType to) {
  auto kind = [](DType t) { return is_bool(t) ? 0 : is_integer(t) ? 1 : is_float(t) ? 2 : 3; };
  return kind(from) <= kind(to);
}

Signature binary_signature(BinaryOp op, const Operand& a, const Operand& b) {
  DType t;
  if (a.array && b.array) {
    t = promote(a.array->dtype(), b.array->dtype());
  } else if (a.array || b.array) {
    const Operand& arr = a.array ? a : b;
    const Operand& sc = a.array ? b : a;
    t = promote_with_scalar(operand_dtype(arr), sc.scalar.kind);
    // Comparing with an integer the dtype cannot hold is still exact (NumPy 2):
    // compare in int64, which holds every Lua integer and every integer dtype.
    if (is_integer(t) && !sc.scalar.fits(t) && kernels::is_comparison(op)) t = DType::Int64;
    if (is_integer(t) && !sc.scalar.fits(t))
      throw Error("Lua integer " + std::to_string(sc.scalar.i) + " is out of range for " +
                  dtype_name(t));
  } else {
    t = promote(default_dtype(a.scalar.kind), default_dtype(b.scalar.kind));
  }
  if ((op == BinaryOp::Div || op == BinaryOp::Atan2) && !is_inexact(t))
    t = op == BinaryOp::Div ? DType::Float64 : float_result(t);
  if (!kernels::binary_line(op, t))
    throw Error(std::string("not supported for ") + dtype_name(t) + " operands");
  return {t, kernels::is_comparison(op) ? DType::Bool : t};
}

namespace {

// NumPy's fast paths for a power with a scalar exponent: a^2 is a square,
// a^0.5 a square root, a^1 a copy, a^-1 a reciprocal (floats).
bool fast_power(Context& ctx, const Operand& a, const Operand& b, const Signature& sig,
                const Array* out, Array& result) {
  if (!a.array || b.array || b.scalar.kind == ScalarKind::Complex) return false;
  double e = b.scalar.kind == ScalarKind::Integer ? double(b.scalar.i) : b.scalar.f;
  if (!is_inexact(sig.compute)) {
    if (e != 2 || b.scalar.kind != ScalarKind::Integer) return false;
    result = binary(ctx, BinaryOp::Mul, a, a, out);
    return true;
  }
  Array x = a.array->dtype() == sig.compute ? *a.array : astype(ctx, *a.array, sig.compute);
  if (e == 2) result = unary(ctx, UnaryOp::Square, x, out);
  else if (e == 0.5) result = unary(ctx, UnaryOp::Sqrt, x, out);
  else if (e == -1) result = binary(ctx, BinaryOp::Div, Operand(Scalar::number(1.0)), Operand(x), out);
  else if (e == 1) result = out ? (copy_into(*out, x), *out) : copy(ctx, x);
  else return false;
  return true;
}

}  // namespace

namespace {

// The common small case, without plans or copies: contiguous operands of the
// compute dtype, same shape (or a scalar), a new result, one thread's worth.
bool flat_binary(Context& ctx, BinaryOp op, const Operand& a, const Operand& b,
                 const Signature& sig, Array& result) {
  const Array* x = a.array ? a.array : b.array;
  if (x->dtype() != sig.compute || !x->is_contiguous()) return false;
  if (a.array && b.array &&
      (b.array->dtype() != sig.compute || b.array->shape() != x->shape() ||
       !b.array->is_contiguous()))
    return false;
  const std::int64_t n = x->size();
  if (n >= 2 * kUnitGrain / kernels::binary_cost(op)) return false;
  alignas(16) unsigned char scalar[16];
  if (!a.array) a.scalar.store(sig.compute, scalar);
  if (!b.array) b.scalar.store(sig.compute, scalar);
  result = Array::empty(sig.result, x->shape(), ctx.account);
  const std::ptrdiff_t item = static_cast<std::ptrdiff_t>(dtype_size(sig.compute));
  char* p[3] = {a.array ? static_cast<char*>(a.array->data()) : reinterpret_cast<char*>(scalar),
                b.array ? static_cast<char*>(b.array->data()) : reinterpret_cast<char*>(scalar),
                static_cast<char*>(result.data())};
  std::ptrdiff_t st[3] = {a.array ? item : 0, b.array ? item : 0,
                          static_cast<std::ptrdiff_t>(result.itemsize())};
  if (n > 0) kernels::binary_line(op, sig.compute)(p, st, n);
  return true;
}

}  // namespace

Array binary(Context& ctx, BinaryOp op, const Operand& a, const Operand& b, const Array* out) {
  Signature sig = binary_signature(op, a, b);
  if (op == BinaryOp::Pow) {
    Array result;
    if (fast_power(ctx, a, b, sig, out, result)) return result;
  }
  if (!out && (a.array || b.array)) {
    Array result;
    if (flat_binary(ctx, op, a, b, sig, result)) return result;
  }
  Dims shape = result_shape(a, b);
  Prepared pa, pb;
  prepare(ctx, a, sig.compute, out, pa);
  prepare(ctx, b, sig.compute, out, pb);
  Array result = output(ctx, kernels::binary_name(op), sig.result, shape, out,
                        a.array ? a.array : b.array);
  Ref refs[3] = {prepared_ref(pa, sig.compute, shape), prepared_ref(pb, sig.compute, shape),
                 ref_of(result, shape)};
  run<3>(&ctx.parallel, kernels::binary_cost(op), kernels::binary_line(op, sig.compute), shape,
         refs);
  return finish(result, out);
}

Array unary(Context& ctx, UnaryOp op, const Array& a, const Array* out) {
  DType t = a.dtype();
  if (kernels::unary_needs_float(op) && !is_inexact(t)) t = float_result(t);
  if (!kernels::unary_line(op, t))
    throw Error(std::string("not supported for ") + dtype_name(t) + " arrays");
  DType rt = kernels::unary_result(op, t);
  Prepared pa;
  prepare(ctx, Operand(a), t, out, pa);
  Array result = output(ctx, kernels::unary_name(op), rt, a.shape(), out, &a);
  Ref refs[2] = {prepared_ref(pa, t, a.shape()), ref_of(result, a.shape())};
  run<2>(&ctx.parallel, kernels::unary_cost(op), kernels::unary_line(op, t), a.shape(), refs);
  return finish(result, out);
}

Array where(Context& ctx, const Array& cond, const Operand& a, const Operand& b,
            const Array* out) {
  DType t = binary_signature(BinaryOp::Add, a, b).compute;
  if (!a.array && !b.array && a.scalar.kind == ScalarKind::Bool && b.scalar.kind == ScalarKind::Bool)
    t = DType::Bool;
  Dims shape = broadcast_shapes(cond.shape(), result_shape(a, b));
  Prepared pc, pa, pb;
  prepare(ctx, Operand(cond), DType::Bool, out, pc);
  prepare(ctx, a, t, out, pa);
  prepare(ctx, b, t, out, pb);
  Array result = output(ctx, "where", t, shape, out);
  Ref refs[4] = {prepared_ref(pc, DType::Bool, shape), prepared_ref(pa, t, shape),
                 prepared_ref(pb, t, shape), ref_of(result, shape)};
  run<4>(&ctx.parallel, 1, kernels::where_line(t), shape, refs);
  return finish(result, out);
}

Array clip(Context& ctx, const Array& a, const Operand& lo, const Operand& hi, const Array* out) {
  Array lower = binary(ctx, BinaryOp::Maximum, Operand(a), lo);
  return binary(ctx, BinaryOp::Minimum, Operand(lower), hi, out);
}

void copy_into(const Array& dst, const Array& src) {
  // Leading extent-1 dimensions of the source beyond dst's rank are dropped
  // first, as NumPy's assignment does (a[{}] = ts.ones(1, 3) into a (3)).
  Array s = src;
  while (s.ndim() > dst.ndim() && s.dim(0) == 1) s = s.squeeze(0);
  if (s.shape() != dst.shape()) s = s.broadcast_to(dst.shape());
  Context scratch;
  if (overlaps(dst, s)) s = copy(scratch, s);
  Ref refs[2] = {ref_of(s, dst.shape()), ref_of(dst, dst.shape())};
  run<2>(nullptr, 1, kernels::cast_line(s.dtype(), dst.dtype()), dst.shape(), refs);
}

void fill(const Array& dst, const Scalar& value) {
  alignas(16) unsigned char buffer[16];
  value.store(dst.dtype(), buffer);
  Ref refs[2] = {ref_of_scalar(buffer, dst.itemsize(), dst.shape()), ref_of(dst, dst.shape())};
  run<2>(nullptr, 1, kernels::cast_line(dst.dtype(), dst.dtype()), dst.shape(), refs);
}

Array astype(Context& ctx, const Array& a, DType t) {
  Array r = Array::empty(t, a.shape(), ctx.account);
  Ref refs[2] = {ref_of(a, a.shape()), ref_of(r, a.shape())};
  run<2>(&ctx.parallel, 1, kernels::cast_line(a.dtype(), t), a.shape(), refs);
  return r;
}

Array copy(Context& ctx, const Array& a) { return astype(ctx, a, a.dtype()); }

Array contiguous(Context& ctx, const Array& a, DType t) {
  if (a.dtype() == t && a.is_contiguous()) return a;
  return astype(ctx, a, t);
}

Array contiguous(Context& ctx, const Array& a) { return contiguous(ctx, a, a.dtype()); }

Array reshape(Context& ctx, const Array& a, const Dims& shape) {
  if (checked_size(shape) != a.size())
    throw Error("cannot reshape array of size " + std::to_string(a.size()) + " into shape " +
                format_shape(shape));
  Array v = a.view_as(shape);
  if (v.valid()) return v;
  return copy(ctx, a).view_as(shape);
}

}  // namespace tessera::ops
