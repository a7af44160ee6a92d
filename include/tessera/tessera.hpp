// Tessera for C++ hosts: one include for the embedding API.
//
//   #include <tessera/tessera.hpp>
//
//   tessera::Runtime rt;                                   // runtime.hpp
//   rt.def("gain", [](double x, double k) { return x * k; });  // function.hpp
//   rt.run("print(gain(2, 3))");
//
// Headers:
//   runtime.hpp   Runtime, Options, Libraries, Results
//   array.hpp     Array, borrow (host memory); runtime/array.hpp for views
//   value.hpp     Value, what crosses between C++ and Lua
//   convert.hpp   Convert<T>: which C++ types convert, and how
//   function.hpp  how Runtime::def binds C++ callables
//   errors.hpp    ScriptError, ConversionError, Error, Interrupted
//   xtensor.hpp   from_xtensor, as_xtensor, as_xstrided (not included here:
//                 include it where you use xtensor)
//   runtime/context.hpp  Context: memory account, Parallel (threads,
//                 for_range), the interrupt flag
// docs/embedding.md walks through a complete program.
#pragma once

#include "array.hpp"
#include "convert.hpp"
#include "errors.hpp"
#include "function.hpp"
#include "runtime.hpp"
#include "runtime/context.hpp"
#include "value.hpp"
