#include "exec.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "../errors.hpp"
#include "../ops/elementwise.hpp"
#include "layout.hpp"
#include "reduce_sink.hpp"

namespace tessera::jit {

namespace {
// 0: chosen per program.
std::atomic<std::int64_t>& block_setting() {
  static std::atomic<std::int64_t> size{[] {
    if (const char* env = std::getenv("TESSERA_JIT_BLOCK")) {
      const long long v = std::atoll(env);
      if (v >= 16 && v <= kernels::kReduceChunk && (v & (v - 1)) == 0) return std::int64_t{v};
    }
    return std::int64_t{0};
  }()};
  return size;
}
}  // namespace

std::int64_t block_size() { return block_setting().load(std::memory_order_relaxed); }

bool memory_bound(const Program& p) {
  int streams = static_cast<int>(p.input_regs.size());
  for (const Output& o : p.outputs) streams += o.kind == Output::Array;
  return p.cost <= kMemoryBoundCost * std::max(streams, 1);
}

std::int64_t block_size(const Program& p) {
  if (const std::int64_t fixed = block_size()) return fixed;
  return memory_bound(p) ? kMemoryBlock : kComputeBlock;
}

bool set_block_size(std::int64_t n) {
  if (n != 0 && (n < 16 || n > kernels::kReduceChunk || (n & (n - 1)) != 0)) return false;
  block_setting().store(n, std::memory_order_relaxed);
  return true;
}

namespace {

using kernels::BinaryOp;
using kernels::LineFn;
using kernels::UnaryOp;

// Below this much work (elements times the program's relative cost) a task
// is not worth handing to another thread.
constexpr std::int64_t kMinTaskWork = std::int64_t{1} << 15;
constexpr int kTasksPerThread = 16;
// Grains of at most this much work keep Parallel::for_range's interrupt polls
// (every kPollGrains grains) milliseconds apart however large the array.
constexpr std::int64_t kMaxGrainWork = std::int64_t{1} << 16;

// n default-initialized values (no zeroing), inline when n <= N.
template <class T, std::size_t N>
class Small {
 public:
  explicit Small(std::size_t n) : n_(n) {
    if (n > N) heap_.resize(n);
    else
      for (std::size_t i = 0; i < n; ++i) new (inline_ + i * sizeof(T)) T;
  }
  ~Small() {
    if (n_ <= N)
      for (std::size_t i = 0; i < n_; ++i) data()[i].~T();
  }
  Small(const Small&) = delete;
  Small& operator=(const Small&) = delete;
  T* data() { return n_ > N ? heap_.data() : reinterpret_cast<T*>(inline_); }
  T& operator[](std::size_t i) { return data()[i]; }

 private:
  std::size_t n_;
  alignas(T) unsigned char inline_[N * sizeof(T)];
  std::vector<T> heap_;
};

struct Bytes16 {
  alignas(16) unsigned char b[16];
};

// This thread's block buffers, kept between calls.
char* scratch(std::size_t bytes) {
  struct Buffer {
    char* p = nullptr;
    std::size_t size = 0;
    ~Buffer() { std::free(p); }
  };
  thread_local Buffer buf;
  if (buf.size < bytes) {
    std::free(buf.p);
    buf.size = 0;
    buf.p = static_cast<char*>(std::aligned_alloc(64, (bytes + 63) / 64 * 64));
    if (buf.p) buf.size = bytes;
  }
  return buf.p;
}

std::string at_node(const std::string& name, const std::string& where) {
  std::string s = name;
  if (!where.empty()) s += (s.empty() ? "at " : " at ") + where;
  return s.empty() ? s : s + ": ";
}

// NumPy's order='K' for a new result, as the core's element-wise results:
// when `like` is a dense permutation of a contiguous block, its strides.
bool dense_layout(const Array& like, Dims& strides) {
  const int n = like.ndim();
  if (n < 2 || like.is_contiguous()) return false;
  int perm[kMaxDims];
  for (int i = 0; i < n; ++i) perm[i] = i;
  auto mag = [&](int d) { return like.stride(d) < 0 ? -like.stride(d) : like.stride(d); };
  std::stable_sort(perm, perm + n, [&](int x, int y) { return mag(x) > mag(y); });
  strides = Dims::filled(n, 0);
  std::int64_t s = 1;
  for (int i = n - 1; i >= 0; --i) {
    const int d = perm[i];
    if (like.dim(d) != 1 && mag(d) != s) return false;
    strides[d] = s;
    s *= like.dim(d);
  }
  return true;
}

Array new_result(Context& ctx, DType t, const Dims& shape, const Array* like) {
  Dims strides;
  if (like && like->shape() == shape && dense_layout(*like, strides)) {
    const std::size_t bytes = static_cast<std::size_t>(checked_size(shape)) * dtype_size(t);
    return Array(Storage::allocate(bytes, ctx.account), t, shape, strides, 0);
  }
  return Array::empty(t, shape, ctx.account);
}

bool same_layout(const Array& a, const Array& b) {
  return a.offset() == b.offset() && a.strides() == b.strides() && a.shape() == b.shape() &&
         a.dtype() == b.dtype();
}

struct RegPtr {
  char* p;
  std::ptrdiff_t s;
};

// The per-call state of a pass; run() may be called from several threads on
// disjoint element ranges.
struct Runner {
  const Program& p;
  Layout layout;
  std::int64_t block = 0;
  std::size_t slot_bytes = 0;
  int nin = 0, nout = 0, nred = 0;
  int in_reg[kMaxArgs];
  LineFn in_copy[kMaxArgs];
  std::ptrdiff_t in_item[kMaxArgs];
  int out_reg[kMaxOutputs];
  LineFn out_store[kMaxOutputs];
  std::ptrdiff_t out_item[kMaxOutputs];  // the result's element size
  bool out_direct[kMaxOutputs];
  int red_reg[kMaxOutputs];
  ReduceSink* sinks[kMaxOutputs];
  const Step* steps = nullptr;
  int nsteps = 0;
  char* const* scalar_ptr = nullptr;
  mutable std::atomic<bool> out_of_memory{false};

  explicit Runner(const Program& prog) : p(prog) {}

  char* slot(char* mem, int reg) const { return mem + p.regs[reg].slot * slot_bytes; }

  bool touch = false;
  // Reads one byte of every line of the block's contiguous inputs, a line of
  // each in turn: memory serves the streams together (an instruction reads
  // one stream at a time), and the instructions find them in L1.
  void touch_inputs(char* const* ptr, std::int64_t n) const {
    const char* base[kMaxArgs];
    std::ptrdiff_t len[kMaxArgs];
    int m = 0;
    std::ptrdiff_t bytes = 0;
    for (int k = 0; k < nin; ++k)
      if (layout.inner_stride(k) == in_item[k]) {
        base[m] = ptr[k];
        len[m] = n * in_item[k];
        bytes = std::max(bytes, len[m++]);
      }
    if (m < 2) return;
    unsigned acc = 0;
    for (std::ptrdiff_t off = 0; off < bytes; off += 64)
      for (int i = 0; i < m; ++i)
        if (off < len[i]) acc += *reinterpret_cast<const volatile unsigned char*>(base[i] + off);
    asm volatile("" : : "r"(acc));
  }

  void run(std::int64_t begin, std::int64_t end, kernels::ReduceState* states) const {
    char* mem = nullptr;
    if (p.slots > 0) {
      mem = scratch(p.slots * slot_bytes);
      if (!mem) {
        out_of_memory = true;
        return;
      }
    }
    Small<RegPtr, 64> regs(p.regs.size());
    for (std::size_t r = 0; r < p.regs.size(); ++r) {
      const Reg& g = p.regs[r];
      if (g.kind == RegKind::Scalar) regs[r] = {scalar_ptr[g.scalar], 0};
      else if (g.kind == RegKind::Temp)
        regs[r] = {slot(mem, static_cast<int>(r)),
                   static_cast<std::ptrdiff_t>(dtype_size(g.dtype))};
    }
    const std::int64_t inner = layout.inner();
    const bool long_lines = inner >= block / 4;
    std::int64_t at = begin;
    while (at < end) {
      std::int64_t e = std::min(end, at + block);
      if (long_lines) e = std::min(e, (at / inner + 1) * inner);
      const bool single = layout.ndim == 0 || at / inner == (e - 1) / inner;
      run_block(mem, regs.data(), at, e - at, single, states);
      at = e;
    }
  }

  void run_block(char* mem, RegPtr* regs, std::int64_t at, std::int64_t n, bool single,
                 kernels::ReduceState* states) const {
    char* ptr[kMaxOperands];
    if (single) {
      layout.pointers(at, ptr);
      if (touch) touch_inputs(ptr, n);
      for (int k = 0; k < nin; ++k) {
        const int r = in_reg[k];
        const std::ptrdiff_t st = layout.inner_stride(k);
        if (st == in_item[k] || st == 0) {
          regs[r] = {ptr[k], st};
        } else {
          char* s = slot(mem, r);
          char* cp[2] = {ptr[k], s};
          const std::ptrdiff_t cs[2] = {st, in_item[k]};
          in_copy[k](cp, cs, n);
          regs[r] = {s, in_item[k]};
        }
      }
      for (int j = 0; j < nout; ++j) {
        const int r = out_reg[j];
        if (out_direct[j] && layout.inner_stride(nin + j) == out_item[j])
          regs[r] = {ptr[nin + j], out_item[j]};
        else regs[r] = {slot(mem, r), out_item[j]};
      }
    } else {
      layout.walk(at, at + n, [&](char* const* lp, std::int64_t count, std::int64_t off) {
        for (int k = 0; k < nin; ++k) {
          char* cp[2] = {lp[k], slot(mem, in_reg[k]) + off * in_item[k]};
          const std::ptrdiff_t cs[2] = {layout.inner_stride(k), in_item[k]};
          in_copy[k](cp, cs, count);
        }
      });
      for (int k = 0; k < nin; ++k) regs[in_reg[k]] = {slot(mem, in_reg[k]), in_item[k]};
      for (int j = 0; j < nout; ++j) regs[out_reg[j]] = {slot(mem, out_reg[j]), out_item[j]};
    }
    for (int i = 0; i < nsteps; ++i) {
      const Step& s = steps[i];
      char* P[4];
      std::ptrdiff_t S[4];
      for (int k = 0; k < s.n; ++k) {
        P[k] = regs[s.regs[k]].p;
        S[k] = regs[s.regs[k]].s;
      }
      s.fn(P, S, n);
    }
    if (single) {
      for (int j = 0; j < nout; ++j) {
        const RegPtr& v = regs[out_reg[j]];
        if (v.p == ptr[nin + j]) continue;  // written in place
        char* cp[2] = {v.p, ptr[nin + j]};
        const std::ptrdiff_t cs[2] = {out_item[j], layout.inner_stride(nin + j)};
        out_store[j](cp, cs, n);
      }
    } else if (nout > 0) {
      layout.walk(at, at + n, [&](char* const* lp, std::int64_t count, std::int64_t off) {
        for (int j = 0; j < nout; ++j) {
          char* cp[2] = {regs[out_reg[j]].p + off * out_item[j], lp[nin + j]};
          const std::ptrdiff_t cs[2] = {out_item[j], layout.inner_stride(nin + j)};
          out_store[j](cp, cs, count);
        }
      });
    }
    for (int i = 0; i < nred; ++i) {
      const RegPtr& v = regs[red_reg[i]];
      sinks[i]->feed(states[i], v.p, v.s, n);
    }
  }
};

// The shape of every output (all the same), checking every operation's
// broadcast as the unfused operations would.
Dims result_shape(const Program& p, const Call& call) {
  const Dims* common = nullptr;
  bool same = true;
  for (int k = 0; k < p.sig.n; ++k) {
    if (!call.arrays[k]) continue;
    if (!common) common = &call.arrays[k]->shape();
    else if (*common != call.arrays[k]->shape()) same = false;
  }
  std::vector<Dims> shapes;
  if (!same) {
    shapes.resize(p.shape_nodes.size());
    for (std::size_t i = 0; i < p.shape_nodes.size(); ++i) {
      const ShapeNode& s = p.shape_nodes[i];
      if (s.arg >= 0) {
        shapes[i] = call.arrays[s.arg]->shape();
        continue;
      }
      try {
        Dims d = shapes[s.operands[0]];
        for (int k = 1; k < 3 && s.operands[k] >= 0; ++k)
          d = broadcast_shapes(d, shapes[s.operands[k]]);
        shapes[i] = d;
      } catch (const Error& e) {
        throw Error(at_node(s.name, s.where) + e.what());
      }
    }
  }
  Dims shape;
  const Output* first = nullptr;
  for (const Output& o : p.outputs) {
    if (o.node < 0) continue;
    const Dims& d = same ? *common : shapes[o.node];
    if (!first) {
      shape = d;
      first = &o;
    } else if (d != shape) {
      throw Error("results " + std::to_string(first - p.outputs.data() + 1) + " and " +
                  std::to_string(&o - p.outputs.data() + 1) + " have different shapes " +
                  format_shape(shape) + " and " + format_shape(d) +
                  "; one fused pass computes results of one shape");
    }
  }
  return shape;
}

void resolve_power(const Program& p, const Instr& in, const Scalar* values, Step& s) {
  const DynamicPower& d = p.powers[in.power];
  const Scalar& v = values[d.uniform];
  const double e = v.kind == ScalarKind::Integer ? double(v.i) : v.f;
  auto set = [&](LineFn fn, std::initializer_list<int> regs) {
    s.fn = fn;
    s.n = 0;
    for (int r : regs) s.regs[s.n++] = r;
    s.regs[s.n++] = in.dst;
  };
  if (!is_float(d.t)) {
    if (e == 2 && v.kind == ScalarKind::Integer)
      set(kernels::binary_line(BinaryOp::Mul, d.t), {d.x, d.x});
    else set(kernels::binary_line(BinaryOp::Pow, d.t), {d.x, d.e});
    return;
  }
  if (e == 2) set(kernels::unary_line(UnaryOp::Square, d.t), {d.x});
  else if (e == 0.5) set(kernels::unary_line(UnaryOp::Sqrt, d.t), {d.x});
  else if (e == -1) set(kernels::binary_line(BinaryOp::Div, d.t), {d.one, d.x});
  else if (e == 1) set(kernels::cast_line(d.t, d.t), {d.x});
  else set(kernels::binary_line(BinaryOp::Pow, d.t), {d.x, d.e});
}

}  // namespace

void execute(Context& ctx, const Program& p, const Call& call, Results& results) {
  // numbers computed once per call
  Small<Scalar, 32> values(p.per_call.empty() ? 0 : p.uniforms.size());
  if (!p.per_call.empty()) {
    for (std::size_t i = 0; i < p.uniforms.size(); ++i) {
      const Uniform& u = p.uniforms[i];
      if (u.kind == Uniform::Const) values[i] = u.value;
    }
    for (int i : p.per_call) {
      const Uniform& u = p.uniforms[i];
      try {
        values[i] = evaluate_uniform(u, values.data(), call.numbers);
      } catch (const Error& e) {
        throw Error(at_node(u.name, u.where) + e.what());
      }
    }
  }
  auto value = [&](int u) -> const Scalar& {
    return p.per_call.empty() ? p.uniforms[u].value : values[u];
  };
  for (const FitsCheck& f : p.fits) {
    const Scalar& v = value(f.uniform);
    if (!v.fits(f.dtype))
      throw Error(at_node(f.name, f.where) + "Lua integer " + std::to_string(v.i) +
                  " is out of range for " + dtype_name(f.dtype));
  }
  Small<Bytes16, 16> bytes(p.per_call_scalars ? p.scalars.size() : 0);
  Small<char*, 16> scalar_ptr(p.per_call_scalars ? p.scalars.size() : 0);
  if (p.per_call_scalars) {
    for (std::size_t k = 0; k < p.scalars.size(); ++k) {
      const ScalarValue& s = p.scalars[k];
      if (s.per_call) {
        value(s.uniform).store(s.dtype, bytes[k].b);
        scalar_ptr[k] = reinterpret_cast<char*>(bytes[k].b);
      } else {
        scalar_ptr[k] = p.scalar_data[k];
      }
    }
  }
  for (std::size_t k = 0; k < p.outputs.size(); ++k)
    if (p.outputs[k].kind == Output::Uniform) results.values[k] = value(p.outputs[k].uniform);

  const Dims shape = result_shape(p, call);

  // outputs
  Small<Array, 4> targets(p.outputs.size());
  for (std::size_t k = 0; k < p.outputs.size(); ++k) {
    const Output& o = p.outputs[k];
    if (o.kind != Output::Array) continue;
    if (const Array* out = call.out[k]) {
      if (out->shape() != shape)
        throw Error("out has shape " + format_shape(out->shape()) + ", expected " +
                    format_shape(shape));
      if (!ops::can_cast_same_kind(o.dtype, out->dtype()))
        throw Error(std::string("cannot cast ") + dtype_name(o.dtype) + " result " +
                    std::to_string(k + 1) + " to " + dtype_name(out->dtype()) + " output");
      targets[k] = *out;
    } else {
      const Array* like = o.like_arg >= 0 ? call.arrays[o.like_arg] : nullptr;
      targets[k] = new_result(ctx, o.dtype, shape, like);
      *results.arrays[k] = targets[k];
    }
  }

  // inputs: an input that shares memory with an output in another layout is
  // copied first (as the core does); in the same layout it is read before
  // the output is written, block by block
  std::vector<Array> holders;  // copies of overlapping inputs
  const Array* inputs[kMaxArgs];
  bool direct_ok = true;
  const int nin = static_cast<int>(p.input_regs.size());
  for (int k = 0; k < nin; ++k) {
    const Array* a = call.arrays[p.regs[p.input_regs[k]].arg];
    inputs[k] = a;
    for (std::size_t j = 0; j < p.outputs.size(); ++j) {
      if (!call.out[j] || !targets[j].valid() || !targets[j].shares_storage(*a)) continue;
      direct_ok = false;
      if (!same_layout(targets[j], *a)) {
        if (holders.empty()) holders.reserve(kMaxArgs);
        holders.push_back(ops::copy(ctx, *a));
        inputs[k] = &holders.back();
        break;
      }
    }
  }

  Runner run(p);
  run.block = block_size(p);
  run.touch = memory_bound(p);
  run.slot_bytes = static_cast<std::size_t>(run.block) * 8;
  LayoutOperand ops[kMaxOperands];
  for (int k = 0; k < nin; ++k) {
    const int r = p.input_regs[k];
    const DType t = p.regs[r].dtype;
    ops[k] = {static_cast<char*>(inputs[k]->data()), dtype_size(t), inputs[k]};
    run.in_reg[k] = r;
    run.in_copy[k] = kernels::cast_line(t, t);
    run.in_item[k] = static_cast<std::ptrdiff_t>(dtype_size(t));
  }
  run.nin = nin;
  std::vector<ReduceSink> sinks;
  if (p.has_reduction) sinks.reserve(p.outputs.size());
  std::int64_t reduce_index[kMaxOutputs];
  for (std::size_t k = 0; k < p.outputs.size(); ++k) {
    const Output& o = p.outputs[k];
    if (o.kind == Output::Array) {
      const int j = run.nout++;
      ops[nin + j] = {static_cast<char*>(targets[k].data()), targets[k].itemsize(), &targets[k]};
      run.out_reg[j] = o.reg;
      run.out_store[j] = kernels::cast_line(o.dtype, targets[k].dtype());
      run.out_item[j] = static_cast<std::ptrdiff_t>(dtype_size(o.dtype));
      run.out_direct[j] = direct_ok && targets[k].dtype() == o.dtype;
    } else if (o.kind == Output::Reduce) {
      reduce_index[run.nred] = static_cast<std::int64_t>(k);
      run.red_reg[run.nred++] = o.reg;
      try {
        sinks.emplace_back(o.reduce, o.dtype, shape.product());
      } catch (const Error& e) {
        throw Error(at_node(o.name, o.where) + e.what());
      }
    }
  }
  for (int i = 0; i < run.nred; ++i) run.sinks[i] = &sinks[i];
  if (run.nout == 0 && run.nred == 0) return;

  Small<Step, 16> steps(p.dynamic_steps ? p.steps.size() : 0);
  if (p.dynamic_steps) {
    for (std::size_t i = 0; i < p.steps.size(); ++i) {
      steps[i] = p.steps[i];
      if (p.instrs[i].power >= 0) resolve_power(p, p.instrs[i], values.data(), steps[i]);
    }
  }
  run.steps = p.dynamic_steps ? steps.data() : p.steps.data();
  run.nsteps = static_cast<int>(p.steps.size());
  run.scalar_ptr = p.per_call_scalars ? scalar_ptr.data() : p.scalar_data.data();

  make_layout(run.layout, shape, ops, nin + run.nout, p.has_reduction || run.nout == 0 ? -1 : nin);
  const std::int64_t total = run.layout.size();
  const std::int64_t threads = ctx.parallel.threads();
  const std::int64_t min_task =
      std::max<std::int64_t>(run.block, kMinTaskWork / std::max(p.cost, 1));
  const std::int64_t max_task = std::max(min_task, kMaxGrainWork / std::max(p.cost, 1));
  if (!p.has_reduction) {
    const std::int64_t blocks = (total + run.block - 1) / run.block;
    const std::int64_t grain = std::min(
        std::max((min_task + run.block - 1) / run.block, blocks / (kTasksPerThread * threads)),
        (max_task + run.block - 1) / run.block);
    const std::int64_t B = run.block;
    ctx.parallel.for_range(blocks, grain, [&](std::int64_t b, std::int64_t e) {
      run.run(b * B, std::min(e * B, total), nullptr);
    });
  } else if (total > 0) {
    constexpr std::int64_t C = ReduceSink::kChunk;
    const std::int64_t chunks = (total + C - 1) / C;
    const std::int64_t grain =
        std::min(std::max((min_task + C - 1) / C, chunks / (kTasksPerThread * threads)),
                 std::max((min_task + C - 1) / C, max_task / C));
    ctx.parallel.for_range(chunks, grain, [&](std::int64_t b, std::int64_t e) {
      kernels::ReduceState states[kMaxOutputs];
      for (std::int64_t c = b; c < e; ++c) {
        for (int i = 0; i < run.nred; ++i) sinks[i].start(states[i], c);
        run.run(c * C, std::min((c + 1) * C, total), states);
        for (int i = 0; i < run.nred; ++i) sinks[i].finish_chunk(states[i], c);
      }
    });
  }
  if (run.out_of_memory) throw Error("out of memory for block buffers");
  for (int i = 0; i < run.nred; ++i) results.values[reduce_index[i]] = sinks[i].result();
}

}  // namespace tessera::jit
