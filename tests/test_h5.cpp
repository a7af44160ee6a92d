// The HDF5 wrapper (runtime/h5) without Lua: errors carry HDF5's message and
// print nothing, handles close, chunk guesses match h5py, hyperslabs match
// array slicing, block streaming, and the online statistics.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

#include "runtime/h5/dataset.hpp"
#include "runtime/h5/stream.hpp"
#include "runtime/ops/elementwise.hpp"
#include "runtime/ops/stats.hpp"

using namespace tessera;

namespace {

std::string temp_path(const char* tag) {
  static int counter = 0;
  return "/tmp/tessera_test_h5_" + std::to_string(::getpid()) + "_" + tag + "_" +
         std::to_string(counter++) + ".h5";
}

// Runs f with stderr redirected to a file and returns what was written there.
template <class F>
std::string capture_stderr(F&& f) {
  std::string path = temp_path("stderr");
  std::fflush(stderr);
  int saved = ::dup(2);
  FILE* tmp = std::fopen(path.c_str(), "w");
  ::dup2(::fileno(tmp), 2);
  f();
  std::fflush(stderr);
  ::dup2(saved, 2);
  ::close(saved);
  std::fclose(tmp);
  std::ifstream in(path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  return text;
}

Array iota(Context& ctx, DType t, const Dims& shape) {
  Array a = Array::empty(DType::Float64, shape, ctx.account);
  for (std::int64_t i = 0; i < a.size(); ++i) a.data_as<double>()[i] = double(i);
  return ops::astype(ctx, a, t);
}

double at(const Array& a, std::initializer_list<std::int64_t> idx) {
  std::int64_t i[kMaxDims];
  int k = 0;
  for (auto v : idx) i[k++] = v;
  Array d = a;
  double out = 0;
  visit_dtype(d.dtype(), [&](auto tag) {
    using T = typename decltype(tag)::type;
    if constexpr (is_complex_v<T>) out = double(static_cast<const T*>(d.element_ptr(i))->real());
    else out = double(*static_cast<const T*>(d.element_ptr(i)));
  });
  return out;
}

}  // namespace

TEST_CASE("h5: errors carry HDF5's message and nothing reaches stderr") {
  std::string message;
  std::string err = capture_stderr([&] {
    try {
      h5::open_file("/nonexistent/dir/missing.h5", "r");
    } catch (const h5::Error& e) {
      message = e.what();
    }
  });
  CHECK(err.empty());
  CHECK(message.find("cannot open '/nonexistent/dir/missing.h5' for reading") == 0);
  CHECK(message.find("(HDF5: ") != std::string::npos);
  CHECK(message.find("No such file or directory") != std::string::npos);
  CHECK(h5::take_stack_message().empty());  // the stack was cleared

  std::string bad = temp_path("corrupt");
  {
    std::ofstream out(bad);
    out << std::string(4096, 'x');
  }
  err = capture_stderr([&] {
    try {
      h5::open_file(bad, "r");
      FAIL("opened a corrupt file");
    } catch (const h5::Error& e) {
      message = e.what();
    }
  });
  CHECK(err.empty());
  CHECK(message.find("file signature not found") != std::string::npos);
  std::remove(bad.c_str());
}

TEST_CASE("h5: modes") {
  std::string path = temp_path("modes");
  CHECK_THROWS_WITH_AS(h5::open_file(path, "r+"), doctest::Contains("No such file"), h5::Error);
  { auto f = h5::open_file(path, "x"); }
  CHECK_THROWS_WITH_AS(h5::open_file(path, "x"), doctest::Contains("file exists"), h5::Error);
  {
    auto f = h5::open_file(path, "a");
    CHECK(f->writable);
  }
  {
    auto f = h5::open_file(path, "r");
    CHECK_FALSE(f->writable);
    auto root = h5::root(f);
    h5::CreateOptions o;
    o.shape = Dims{3};
    CHECK_THROWS_WITH_AS(h5::create_dataset(*root, "x", o), doctest::Contains("no write intent"),
                         h5::Error);
  }
  CHECK_THROWS_WITH_AS(h5::open_file(path, "q"), doctest::Contains("unknown mode"), h5::Error);
  std::remove(path.c_str());
}

TEST_CASE("h5: closing a file closes what was opened from it") {
  std::string path = temp_path("close");
  auto f = h5::open_file(path, "w");
  auto root = h5::root(f);
  auto g = h5::create_group(*root, "a/b");
  CHECK(g->name() == "/a/b");
  h5::CreateOptions o;
  o.shape = Dims{4};
  auto d = h5::create_dataset(*g, "d", o);
  CHECK(d->name() == "/a/b/d");
  f->close();
  f->close();  // idempotent
  CHECK_THROWS_WITH_AS(d->id(), "file has been closed", h5::Error);
  CHECK_THROWS_WITH_AS(h5::keys(*g), "file has been closed", h5::Error);
  d.reset();  // destroying after the file closed is fine
  g.reset();
  // Nothing keeps the file open: it can be truncated again.
  auto again = h5::open_file(path, "w");
  again->close();
  std::remove(path.c_str());
}

TEST_CASE("h5: chunk guesses match h5py's") {
  CHECK(h5::guess_chunk(Dims{100}, 8) == Dims{100});
  CHECK(h5::guess_chunk(Dims{1000000}, 8) == Dims{3907});
  CHECK(h5::guess_chunk(Dims{100000000}, 8) == Dims{12208});
  CHECK(h5::guess_chunk(Dims{0, 3}, 4) == Dims{512, 3});
  CHECK(h5::guess_chunk(Dims{1000, 1000}, 8) == Dims{63, 63});
  CHECK(h5::guess_chunk(Dims{20000, 5000}, 8) == Dims{157, 79});
  CHECK(h5::guess_chunk(Dims{3, 4, 5}, 2) == Dims{3, 4, 5});
  CHECK(h5::guess_chunk(Dims{1024, 1024, 64}, 4) == Dims{64, 64, 4});
}

TEST_CASE("h5: hyperslabs read and write like array slices") {
  Context ctx;
  std::string path = temp_path("slab");
  auto f = h5::open_file(path, "w");
  auto root = h5::root(f);
  for (bool chunked : {false, true}) {
    h5::CreateOptions o;
    o.dtype = DType::Int32;
    o.shape = Dims{7, 9};
    if (chunked) {
      o.chunks = Dims{3, 4};
      o.compression = "gzip";
      o.shuffle = true;
    }
    auto d = h5::create_dataset(*root, chunked ? "c" : "p", o);
    Array a = iota(ctx, DType::Int32, Dims{7, 9});
    h5::write(ctx, *d, a);
    Array all = h5::read(ctx, *d);
    CHECK(all.shape() == Dims{7, 9});
    CHECK(at(all, {6, 8}) == 62);

    std::mt19937 rng(42);
    for (int trial = 0; trial < 200; ++trial) {
      h5::Selection sel;
      sel.n = 2;
      Array expect = a;
      int dim = 0;
      for (int k = 0; k < 2; ++k) {
        std::int64_t n = k == 0 ? 7 : 9;
        h5::Range r;
        int kind = int(rng() % 4);
        if (kind == 0) {  // a single index
          r = {std::int64_t(rng() % n), 1, 1, true};
          expect = expect.select(dim, r.start);
        } else {
          std::int64_t step = std::int64_t(rng() % 3) + 1;
          if (kind == 3) step = -step;
          std::int64_t start = std::int64_t(rng() % n);
          std::int64_t room = step > 0 ? (n - 1 - start) / step + 1 : start / -step + 1;
          std::int64_t count = std::int64_t(rng() % room) + 1;
          r = {start, count, step, false};
          expect = expect.slice(dim, start, count, step);
          ++dim;
        }
        sel.dims[k] = r;
      }
      Array got = h5::read(ctx, *d, &sel);
      REQUIRE(got.shape() == expect.shape());
      Array diff = ops::binary(ctx, kernels::BinaryOp::Sub, got, expect);
      for (std::int64_t i = 0; i < diff.size(); ++i) {
        Array c = ops::copy(ctx, diff);
        REQUIRE(c.data_as<std::int32_t>()[i] == 0);
      }
    }
    // Writing through a reversed, strided selection.
    h5::Selection sel;
    sel.n = 2;
    sel.dims[0] = {6, 3, -3, false};               // rows 6, 3, 0
    sel.dims[1] = {2, 1, 1, true};                 // column 2
    Array v = iota(ctx, DType::Float64, Dims{3});  // 0, 1, 2
    h5::write(ctx, *d, v, &sel);
    Array back = h5::read(ctx, *d);
    CHECK(at(back, {6, 2}) == 0);
    CHECK(at(back, {3, 2}) == 1);
    CHECK(at(back, {0, 2}) == 2);
    CHECK_THROWS_WITH_AS(h5::write(ctx, *d, iota(ctx, DType::Int32, Dims{4}), &sel),
                         doctest::Contains("shape mismatch"), h5::Error);
  }
  f->close();
  std::remove(path.c_str());
}

TEST_CASE("h5: types, attributes, resize and append") {
  Context ctx;
  std::string path = temp_path("types");
  auto f = h5::open_file(path, "w");
  auto root = h5::root(f);
  for (DType t :
       {DType::Bool, DType::UInt8, DType::Int32, DType::Int64, DType::Float32, DType::Float64}) {
    h5::CreateOptions o;
    o.dtype = t;
    o.shape = Dims{5};
    auto d = h5::create_dataset(*root, dtype_name(t), o);
    h5::write(ctx, *d, iota(ctx, t, Dims{5}));
    Array back = h5::read(ctx, *d);
    CHECK(back.dtype() == t);
    CHECK(at(back, {4}) == (t == DType::Bool ? 1 : 4));
    CHECK(h5::info(*d).type.kind ==
          (t == DType::Bool ? h5::TypeKind::Bool : h5::TypeKind::Numeric));
  }
  h5::write_attr(ctx, *root, "answer", iota(ctx, DType::Int64, Dims{}));
  h5::write_attr_strings(*root, "title", {"héllo"}, Dims{});
  CHECK(h5::attr_names(*root) == std::vector<std::string>{"answer", "title"});
  CHECK(h5::read_attr_strings(*root, "title").values[0] == "héllo");
  CHECK_THROWS_WITH_AS(h5::read_attr(ctx, *root, "missing"),
                       doctest::Contains("can't locate attribute"), h5::Error);

  h5::CreateOptions o;
  o.shape = Dims{0, 3};
  o.maxshape = Dims{h5::kUnlimited, 3};
  auto d = h5::create_dataset(*root, "grow", o);
  CHECK(h5::info(*d).chunks == Dims{512, 2});  // h5py: guess_chunk((0, 3), None, 8)
  h5::append(ctx, *d, iota(ctx, DType::Float64, Dims{2, 3}));
  h5::append(ctx, *d, iota(ctx, DType::Float64, Dims{3}));
  CHECK(h5::info(*d).shape == Dims{3, 3});
  CHECK_THROWS_WITH_AS(h5::append(ctx, *d, iota(ctx, DType::Float64, Dims{4})),
                       doctest::Contains("shape mismatch"), h5::Error);
  CHECK_THROWS_WITH_AS(h5::resize(*d, Dims{5, 4}), doctest::Contains("maxshape"), h5::Error);
  f->close();
  std::remove(path.c_str());
}

TEST_CASE("h5: blocks stream with read-ahead") {
  Context ctx;
  std::string path = temp_path("blocks");
  auto f = h5::open_file(path, "w");
  auto root = h5::root(f);
  h5::CreateOptions o;
  o.shape = Dims{1000, 3};
  o.chunks = Dims{64, 3};
  auto d = h5::create_dataset(*root, "x", o);
  h5::write(ctx, *d, iota(ctx, DType::Float64, Dims{1000, 3}));
  for (bool prefetch : {false, true}) {
    h5::BlockReader reader(ctx.account, d, 128, prefetch);
    Array block;
    std::int64_t first = 0, count = 0, seen = 0;
    double sum = 0;
    while (reader.next(block, first, count)) {
      CHECK(first == seen);
      seen += count;
      for (std::int64_t i = 0; i < block.size(); ++i) sum += block.data_as<double>()[i];
    }
    CHECK(seen == 1000);
    CHECK(sum == 2999.0 * 3000.0 / 2);
  }
  {
    // Stopping early with a read in flight, then closing the file.
    h5::BlockReader reader(ctx.account, d, 100, true);
    Array block;
    std::int64_t first = 0, count = 0;
    CHECK(reader.next(block, first, count));
    f->close();
    CHECK_THROWS_WITH_AS(reader.next(block, first, count), doctest::Contains("closed"), h5::Error);
  }
  std::remove(path.c_str());
}

TEST_CASE("stats: online moments match two-pass results, in any block split") {
  Context ctx;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(1e6, 3.0);  // a large mean tests stability
  const std::int64_t n = 300000;
  Array a = Array::empty(DType::Float64, Dims{n}, ctx.account);
  double* x = a.data_as<double>();
  for (std::int64_t i = 0; i < n; ++i) x[i] = normal(rng);
  long double sum = 0;
  for (std::int64_t i = 0; i < n; ++i) sum += x[i];
  double mean = double(sum / n);
  long double m2 = 0;
  for (std::int64_t i = 0; i < n; ++i) m2 += (x[i] - mean) * (x[i] - mean);
  double var = double(m2 / n);

  ops::OnlineStats whole(20, 1e6 - 10, 1e6 + 10);
  whole.update(ctx, a);
  ops::OnlineStats pieces(20, 1e6 - 10, 1e6 + 10);
  for (std::int64_t b = 0; b < n; b += 7777)
    pieces.update(ctx, a.slice(0, b, std::min<std::int64_t>(7777, n - b), 1));
  for (const auto* s : {&whole, &pieces}) {
    CHECK(s->count() == n);
    CHECK(s->mean() == doctest::Approx(mean).epsilon(1e-14));
    CHECK(s->var() == doctest::Approx(var).epsilon(1e-9));
    std::int64_t total = s->below() + s->above();
    for (auto c : s->histogram()) total += c;
    CHECK(total == n);
  }
  CHECK(whole.histogram() == pieces.histogram());
  ops::OnlineStats merged(20, 1e6 - 10, 1e6 + 10);
  ops::OnlineStats half(20, 1e6 - 10, 1e6 + 10);
  merged.update(ctx, a.slice(0, 0, n / 2, 1));
  half.update(ctx, a.slice(0, n / 2, n - n / 2, 1));
  merged.merge(half);
  CHECK(merged.var() == doctest::Approx(var).epsilon(1e-9));
  CHECK(merged.histogram() == whole.histogram());

  ops::OnlineStats with_nan;
  with_nan.update(1.0);
  with_nan.update(std::nan(""));
  CHECK(std::isnan(with_nan.mean()));
  CHECK(std::isnan(with_nan.max()));
  CHECK_THROWS_AS(ops::OnlineStats(0, 0, 1), Error);
  CHECK_THROWS_AS(merged.merge(with_nan), Error);
}

TEST_CASE("h5: parallel gzip chunks are HDF5's own, both ways") {
  Context ctx;
  ctx.parallel.set_threads(2);
  std::string path = temp_path("pgzip");
  auto f = h5::open_file(path, "w");
  auto root = h5::root(f);
  for (bool shuffle : {false, true}) {
    h5::CreateOptions o;
    o.dtype = DType::Int32;
    o.shape = Dims{37, 53};  // edge chunks are partial
    o.chunks = Dims{8, 16};
    o.compression = "gzip";
    o.shuffle = shuffle;
    auto d = h5::create_dataset(*root, shuffle ? "s" : "p", o);
    Array a = iota(ctx, DType::Int32, Dims{37, 53});
    h5::write(ctx, *d, a);  // the parallel path
    h5::Selection all;
    all.n = 1;
    all.dims[0] = {0, 37, 1, false};
    Array via_hdf5 = h5::read(ctx.account, *d, &all);  // HDF5's pipeline
    Array via_ours = h5::read(ctx, *d);
    for (std::int64_t i = 0; i < a.size(); ++i) {
      REQUIRE(via_hdf5.data_as<std::int32_t>()[i] == std::int32_t(i));
      REQUIRE(via_ours.data_as<std::int32_t>()[i] == std::int32_t(i));
    }
    Array twice = ops::binary(ctx, kernels::BinaryOp::Mul, a, Scalar::integer(2));
    h5::write(ctx, *d, twice, &all);  // HDF5's pipeline writes, ours reads
    Array back = h5::read(ctx, *d);
    CHECK(back.data_as<std::int32_t>()[a.size() - 1] == 2 * std::int32_t(a.size() - 1));
  }
  // Chunks never written read as the fill value.
  h5::CreateOptions o;
  o.shape = Dims{100};
  o.maxshape = Dims{h5::kUnlimited};
  o.chunks = Dims{10};
  o.compression = "gzip";
  o.fillvalue = Scalar::number(-1.5);
  auto d = h5::create_dataset(*root, "sparse", o);
  h5::Selection first;
  first.n = 1;
  first.dims[0] = {0, 10, 1, false};
  h5::write(ctx, *d, iota(ctx, DType::Float64, Dims{10}), &first);
  Array r = h5::read(ctx, *d);
  CHECK(r.data_as<double>()[9] == 9);
  CHECK(r.data_as<double>()[10] == -1.5);
  CHECK(r.data_as<double>()[99] == -1.5);
  f->close();
  std::remove(path.c_str());
}

TEST_CASE("h5: large contiguous reads go straight to the file, and agree with HDF5") {
  Context ctx;
  std::string path = temp_path("direct");
  auto f = h5::open_file(path, "w");
  auto root = h5::root(f);
  h5::CreateOptions o;
  o.shape = Dims{2000, 1000};  // 16 MB of float64
  auto d = h5::create_dataset(*root, "x", o);
  Array a = iota(ctx, DType::Float64, Dims{2000, 1000});
  h5::write(ctx, *d, a);
  h5::Selection rows;
  rows.n = 1;
  rows.dims[0] = {1500, 500, 1, false};
  Array via_hdf5 = h5::read(ctx.account, *d, &rows);
  CHECK(via_hdf5.data_as<double>()[0] == 1500000.0);
  CHECK(via_hdf5.data_as<double>()[499999] == 1999999.0);
  rows.dims[0] = {0, 2000, 1, false};
  Array direct = h5::read(ctx, *d, &rows);  // a row block: direct
  Array whole = h5::read(ctx, *d);
  for (std::int64_t i = 0; i < a.size(); i += 9973) {
    REQUIRE(direct.data_as<double>()[i] == double(i));
    REQUIRE(whole.data_as<double>()[i] == double(i));
  }
  // A small write through HDF5 is seen by the next direct read (no stale cache).
  h5::Selection one;
  one.n = 2;
  one.dims[0] = {7, 1, 1, true};
  one.dims[1] = {3, 1, 1, true};
  Array v = Array::empty(DType::Float64, Dims{}, ctx.account);
  *v.data_as<double>() = -5;
  h5::write(ctx, *d, v, &one);
  CHECK(h5::read(ctx, *d).data_as<double>()[7003] == -5);
  f->close();
  auto g = h5::open_file(path, "r");
  CHECK(h5::read(ctx, *h5::open_object(*h5::root(g), "x")).data_as<double>()[7003] == -5);
  g->close();
  std::remove(path.c_str());
}
