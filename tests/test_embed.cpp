// The embedding API (include/tessera/): results and conversions, functions
// registered from C++, errors in both directions, ownership across the
// boundary, xtensor interop.
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "script_error.hpp"
#include "tessera/tessera.hpp"
#include "tessera/xtensor.hpp"

using namespace tessera;

namespace {

template <class F>
std::string conversion_error(F&& f) {
  try {
    f();
  } catch (const ConversionError& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("run returns the chunk's results, converted on request") {
  Runtime rt;
  Results r = rt.run("return 6 * 7, 'text', {1.5, 2, 3}, nil, true");
  REQUIRE(r.size() == 5);
  CHECK(r.get<int>(0) == 42);
  CHECK(r.get<double>(0) == 42.0);
  CHECK(r.get<std::string>(1) == "text");
  CHECK(r.get<std::vector<double>>(2) == std::vector<double>{1.5, 2, 3});
  CHECK(r.get<std::optional<int>>(3) == std::nullopt);
  CHECK(r.get<bool>(4));
  CHECK(r[7].is_nil());  // past the end: nil
  CHECK(conversion_error([&] { r.get<int>(2); }) == "(run): result 3 expected integer, got table");
  CHECK(conversion_error([&] { r.get<std::vector<int>>(2); }) ==
        "(run): result 3[1] expected an integer, got 1.5");
  CHECK(rt.run("return").empty());
}

TEST_CASE("call converts arguments and results") {
  Runtime rt;
  rt.run(R"(
    function add(a, b) return a + b end
    function pair(s) return #s, s:upper() end
    lib = {twice = function(x) return 2 * x end}
    function fail(msg) error(msg) end
  )");
  CHECK(rt.call<int>("add", 2, 3) == 5);
  CHECK(rt.call<double>("add", 0.5, 0.25) == 0.75);
  CHECK(rt.call<std::tuple<int, std::string>>("pair", "abc") == std::make_tuple(3, "ABC"));
  CHECK(rt.call<int>("lib.twice", 21) == 42);
  rt.call<void>("add", 1, 1);
  Results all = rt.call("pair", std::string("xy"));
  CHECK(all.size() == 2);
  CHECK(conversion_error([&] { rt.call<std::string>("add", 1, 2); }) ==
        "add: result 1 expected string, got number");
  try {
    rt.call("fail", "bad input");
    FAIL("expected a ScriptError");
  } catch (const ScriptError& e) {
    CHECK(std::string(e.what()).find("bad input") != std::string::npos);
    CHECK(e.traceback().find("stack traceback") != std::string::npos);
    CHECK(e.traceback().find("fail") != std::string::npos);
  }
  CHECK_THROWS_WITH_AS(rt.call("nope"), "call 'nope': not a function (a nil value)", ScriptError);
  CHECK_THROWS_WITH_AS(rt.call("add.x"), "call 'add.x': 'add' is not a table (a function value)",
                       ScriptError);
}

TEST_CASE("set and get share arrays without copies") {
  Runtime rt;
  Array a = Array::zeros(DType::Float64, {3}, rt.account());
  rt.set("a", a);
  rt.run("a[2] = 7");
  CHECK(a.data_as<double>()[1] == 7.0);
  rt.run("b = ts.arange(4) * 1.5");
  Array b = rt.get<Array>("b");
  CHECK(b.dtype() == DType::Float64);
  CHECK(b.data_as<double>()[3] == 6.0);
  rt.run("b[1] = -1");
  CHECK(b.data_as<double>()[0] == -1.0);  // the same memory
  rt.set("n", 5);
  rt.set("list", std::vector<std::string>{"x", "y"});
  CHECK(rt.run("return n + #list").get<int>() == 7);
  CHECK(rt.get<std::optional<double>>("missing") == std::nullopt);
  CHECK(conversion_error([&] { rt.get<Array>("missing"); }) ==
        "get 'missing': expected array, got nil");
  rt.run("cfg = {}");
  rt.set("cfg.rate", 0.5);
  CHECK(rt.get<double>("cfg.rate") == 0.5);
}

TEST_CASE("registered functions convert and check their arguments") {
  Runtime rt;
  rt.def("scale", [](Array a, double k) {
    if (a.dtype() != DType::Float64) throw Error("expected float64");
    double* p = a.data_as<double>();
    for (std::int64_t i = 0; i < a.size(); ++i) p[i] *= k;
    return a;
  });
  rt.def("byte", [](std::uint8_t b) { return int(b) + 1; });
  rt.def("join", [](const std::vector<std::string>& parts, std::optional<std::string> sep) {
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? sep.value_or(",") : "") + parts[i];
    return out;
  });
  rt.def("total", [](std::vector<double> xs) {
    double s = 0;
    for (double x : xs) s += x;
    return s;
  });
  rt.def("stats", [](std::string_view s, bool upper) {
    return std::make_tuple(static_cast<int>(s.size()), upper, std::vector<int>{1, 2});
  });
  rt.def("maybe", [](int x) -> std::optional<int> {
    if (x > 0) return x;
    return std::nullopt;
  });
  rt.def("nothing", [] {});
  rt.run(R"(
    local a = ts.ones(3)
    assert(scale(a, 2.5) == a or true)
    assert(a:sum() == 7.5)
    assert(byte(255) == 256 and byte(3.0) == 4)
    assert(join({"a", "b", "c"}) == "a,b,c")
    assert(join({"a", "b"}, "-") == "a-b")
    assert(join({}) == "")
    assert(total({1, 2, 3.5}) == 6.5)
    assert(total(ts.arange(4) * 1.0) == 10)
    local n, up, t = stats("hello", true)
    assert(n == 5 and up == true and #t == 2 and t[2] == 2)
    assert(maybe(3) == 3 and maybe(-1) == nil)
    assert(select("#", nothing()) == 0)
  )");
  CHECK(script_error(rt, "scale(ts.ones(2), 'x')") ==
        "test:1: scale: argument 2 expected number, got string");
  CHECK(script_error(rt, "scale(5, 1)") == "test:1: scale: argument 1 expected array, got number");
  CHECK(script_error(rt, "scale()") == "test:1: scale: argument 1 expected array, got nil");
  CHECK(script_error(rt, "byte(300)") ==
        "test:1: byte: argument 1 expected an integer in [0, 255], got 300");
  CHECK(script_error(rt, "byte(1.5)") == "test:1: byte: argument 1 expected an integer, got 1.5");
  CHECK(script_error(rt, "join({'a', 2})") ==
        "test:1: join: argument 1[2] expected string, got number");
  CHECK(script_error(rt, "total(ts.ones(2, 2))") ==
        "test:1: total: argument 1 expected a 1-D array, got 2 dimensions");
  CHECK(script_error(rt, "total(ts.arange(3))") ==
        "test:1: total: argument 1 expected an array of float64, got int64");
  CHECK(script_error(rt, "stats('x', 1)") ==
        "test:1: stats: argument 2 expected boolean, got number");
  CHECK(script_error(rt, "scale(ts.ones(2, 'int32'), 2)") == "test:1: scale: expected float64");
  CHECK(script_error(rt, "local a; do local b <close> = ts.ones(2); a = b end; scale(a, 1)") ==
        "test:1: scale: argument 1: array has been closed");
}

TEST_CASE("C++ exceptions reach scripts as Lua errors, catchable with pcall") {
  Runtime rt;
  rt.def("boom", [](std::string what) -> double { throw std::runtime_error(what); });
  rt.run(R"(
    local ok, err = pcall(boom, "sensor offline")
    assert(not ok and err:find("boom: sensor offline", 1, true), err)
  )");
  CHECK(script_error(rt, "boom('x')") == "test:1: boom: x");
  // The runtime is unharmed.
  CHECK(rt.run("return 1 + 1").get<int>() == 2);
}

TEST_CASE("modules group functions under a table that require finds") {
  Runtime rt;
  rt.module("mylib").def("add", [](double a, double b) { return a + b; }).def("name", [] {
    return std::string("mylib");
  });
  rt.run(R"(
    assert(mylib.add(1, 2) == 3)
    local m = require("mylib")
    assert(m == mylib and m.name() == "mylib")
  )");
  CHECK(script_error(rt, "mylib.add('a', 1)") ==
        "test:1: mylib.add: argument 1 expected number, got string");
  CHECK(rt.call<double>("mylib.add", 2, 3) == 5);
}

TEST_CASE("registered functions get the runtime's context and threads") {
  Runtime rt(Options{2});
  CHECK(rt.context().parallel.threads() == 2);
  rt.def("fill_index", [](Context& ctx, Array a) {
    double* p = a.data_as<double>();
    ctx.parallel.for_range(a.size(), 1024, [&](std::int64_t b, std::int64_t e) {
      for (std::int64_t i = b; i < e; ++i) p[i] = double(i);
    });
    return a.size();
  });
  CHECK(rt.run("local a = ts.zeros(100000); return fill_index(a), a:sum()").get<double>(1) ==
        100000.0 * 99999.0 / 2);
}

TEST_CASE("arrays outlive their runtime") {
  Array a;
  std::shared_ptr<MemoryAccount> account;
  {
    Runtime rt;
    account = rt.account();
    a = rt.run("return ts.arange(5) * 2").get<Array>();
    rt.run("collectgarbage()");
  }
  REQUIRE(a.valid());
  CHECK(a.data_as<std::int64_t>()[4] == 10);
  CHECK(account->live_bytes() == 40);
  a = Array();
  CHECK(account->live_bytes() == 0);
}

TEST_CASE("a runtime destroyed while C++ holds the arrays it shared") {
  Array host = Array::zeros(DType::Float32, {4});
  {
    Runtime rt;
    rt.set("x", host);
    rt.run("kept = x; x[1] = 3");
  }
  CHECK(host.data_as<float>()[0] == 3.0f);
  CHECK(host.storage().use_count() == 1);
}

TEST_CASE("a moved runtime keeps its state") {
  Runtime a;
  a.run("v = 41");
  a.def("inc", [](int x) { return x + 1; });
  Runtime b = std::move(a);
  CHECK(b.run("return inc(v)").get<int>() == 42);
  Runtime c;
  c = std::move(b);
  CHECK(c.call<int>("inc", 1) == 2);
}

TEST_CASE("borrowed memory stays alive while a script holds it") {
  auto data = std::make_shared<std::vector<double>>(std::vector<double>{1, 2, 3, 4, 5, 6});
  std::weak_ptr<std::vector<double>> watch = data;
  {
    Runtime rt;
    rt.set("m", borrow(data->data(), {2, 3}, data));
    data.reset();  // the runtime's view keeps it
    CHECK_FALSE(watch.expired());
    CHECK(rt.run("return m:sum(), m[{2, 1}]").get<double>(0) == 21);
    CHECK(rt.run("return m[{2, 1}]").get<double>() == 4);
    CHECK(rt.account()->live_bytes() == 0);  // borrowed bytes are the host's
  }
  CHECK(watch.expired());
  // Strided borrow: every other element.
  std::vector<std::int32_t> raw{0, 10, 1, 11, 2, 12};
  Array evens = borrow(raw.data(), {3}, nullptr, {2});
  Runtime rt;
  rt.set("e", evens);
  CHECK(rt.run("return e:sum()").get<int>() == 3);
}

TEST_CASE("xtensor containers are adopted and viewed without copies") {
  Runtime rt;
  xt::xtensor<double, 2> grid = xt::zeros<double>({3, 4});
  const double* where = grid.data();
  Array a = from_xtensor(std::move(grid), rt.account());
  CHECK(a.data_as<double>() == where);
  CHECK(a.shape() == Dims{3, 4});
  CHECK(rt.account()->live_bytes() == 3 * 4 * 8);
  rt.set("g", a);
  rt.run("g[{2, 3}] = 5; g2 = g:T()");
  auto view = as_xtensor<double, 2>(a);
  CHECK(view(1, 2) == 5.0);
  view(0, 0) = 1.5;
  CHECK(rt.run("return g[{1, 1}]").get<double>() == 1.5);
  auto t = as_xstrided<double>(rt.get<Array>("g2"));
  CHECK(t(2, 1) == 5.0);
  CHECK_THROWS_WITH_AS((as_xtensor<float, 2>(a)), "array has dtype float64, expected float32",
                       Error);
  CHECK_THROWS_WITH_AS((as_xtensor<double, 3>(a)), "array has 2 dimensions, expected 3", Error);
  CHECK_THROWS_AS((as_xtensor<double, 2>(rt.get<Array>("g2"))), Error);

  xt::xarray<std::int32_t> dyn = {{1, 2}, {3, 4}};
  rt.set("d", from_xtensor(std::move(dyn)));
  CHECK(rt.run("return d:sum(), d.dtype").get<int>() == 10);
  CHECK(rt.run("return d.dtype").get<std::string>() == "int32");
  rt.run("g, g2, d = nil, nil, nil; collectgarbage()");
  a = Array();
  CHECK(rt.account()->live_bytes() == 0);
}
