// Monte Carlo pi without arrays: points of the unit square drawn from a
// Philox stream (kernels/philox.hpp) and counted inside the quarter circle,
// as in High Performance Python's estimate_nbr_points_in_quarter_circle.
//
// Point p of a draw whose first block is `first` takes two words of block
// first + p / 2 (words 0 and 1 for even p, 2 and 3 for odd p); each word's
// top 31 bits are a coordinate x, y in [0, 2^31), and the point is inside
// when x^2 + y^2 < 2^62, an exact integer test (a lattice of 2^62 points
// whose count inside the circle differs from the area by under 2^-29 of it).
// So the count depends only on (stream, first block, n), never on chunking
// or threads.
#pragma once

#include <cstdint>

#include "philox.hpp"

namespace tessera::kernels {

// Points [p0, p0 + n) of a draw starting at block `first`, counted inside;
// p0 must be even.
std::int64_t quarter_circle_hits(const philox::Stream& s, std::uint64_t first, std::int64_t p0,
                                 std::int64_t n);

// Points of `words` (two words each) inside, one per instruction set
// (count_inside picks the widest the CPU has; all give the same count).
std::int64_t count_inside(const std::uint32_t* words, std::int64_t points);
std::int64_t count_inside_scalar(const std::uint32_t* words, std::int64_t points);
std::int64_t count_inside_avx2(const std::uint32_t* words, std::int64_t points);
std::int64_t count_inside_avx512(const std::uint32_t* words, std::int64_t points);

}  // namespace tessera::kernels
