// A host program that lets a Lua script steer its simulation: 2-D heat
// diffusion on a grid the host owns (an xtensor), shared with the script
// without copies, advanced by a C++ kernel the host registers.
//
//   embed_heat steer.lua
#include <tessera/tessera.hpp>
#include <tessera/xtensor.hpp>

#include <chrono>
#include <cstdio>
#include <xtensor/xtensor.hpp>

namespace {

// One explicit step of the heat equation from T into scratch (interior
// cells; the edges stay at 0), then scratch back into T. Rows are split over
// the runtime's threads; for_range stops between blocks when the runtime is
// interrupted (the script then sees "heat.diffuse: interrupted").
void diffuse(tessera::Context& ctx, tessera::Array t, tessera::Array scratch, double alpha) {
  auto T = tessera::as_xtensor<double, 2>(t);  // throws on another dtype, rank or layout
  auto S = tessera::as_xtensor<double, 2>(scratch);
  if (T.shape() != S.shape()) throw tessera::Error("scratch must have the shape of T");
  if (!(alpha > 0 && alpha <= 0.25)) throw tessera::Error("alpha must be in (0, 0.25]");
  const std::int64_t rows = t.dim(0), cols = t.dim(1);
  ctx.parallel.for_range(rows - 2, 8, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin + 1; i < end + 1; ++i)
      for (std::int64_t j = 1; j < cols - 1; ++j)
        S(i, j) =
            T(i, j) + alpha * (T(i - 1, j) + T(i + 1, j) + T(i, j - 1) + T(i, j + 1) - 4 * T(i, j));
  });
  ctx.parallel.for_range(rows - 2, 8, [&](std::int64_t begin, std::int64_t end) {
    for (std::int64_t i = begin + 1; i < end + 1; ++i)
      for (std::int64_t j = 1; j < cols - 1; ++j) T(i, j) = S(i, j);
  });
}

}  // namespace

int main(int argc, char** argv) {
  const char* script = argc > 1 ? argv[1] : "steer.lua";
  tessera::Options options;
  options.libraries = tessera::Libraries::Safe;  // the script may be anyone's
  options.memory_limit = std::size_t{256} << 20;
  options.time_budget = std::chrono::seconds(5);  // per call into the script
  try {
    tessera::Runtime rt(options);

    // The host's state: an xtensor, handed over without a copy.
    constexpr std::size_t n = 96;
    xt::xtensor<double, 2> grid = xt::zeros<double>({n, n});
    tessera::Array T = tessera::from_xtensor(std::move(grid), rt.account());
    auto temperature = tessera::as_xtensor<double, 2>(T);  // the host's view, same memory
    rt.set("T", T);
    rt.module("heat").def("diffuse", diffuse);
    rt.run_file(script);

    const int steps = 200;
    double heat_added = 0;
    for (int step = 0; step < steps; ++step) {
      double power = rt.call<double>("steer", step);
      temperature(n / 2, n / 2) += power * 0.01;  // the heater, under the host's control
      heat_added += power * 0.01;
    }
    double total = 0, peak = 0;
    for (double v : temperature) {
      total += v;
      peak = v > peak ? v : peak;
    }
    std::printf("steps: %d, heat added %.3f, in the grid %.3f, peak %.3f\n", steps, heat_added,
                total, peak);
    return 0;
  } catch (const tessera::ScriptError& e) {
    std::fprintf(stderr, "script error: %s\n%s\n", e.what(), e.traceback().c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
  }
  return 1;
}
