# ctest embed.installed_example: installs BUILD_DIR into a fresh prefix under
# WORK_DIR, builds examples/embed against it with find_package(Tessera), runs
# it, and checks that pkg-config and the stock lua5.4 find the installed copy.
#   cmake -DBUILD_DIR= -DSOURCE_DIR= -DWORK_DIR= [-DFLAGS=] [-DGENERATOR=] -P this
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
  endif()
  set(last_output "${out}" PARENT_SCOPE)
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${prefix})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})

set(launcher "")
find_program(CCACHE ccache)
if(CCACHE)
  set(launcher -DCMAKE_CXX_COMPILER_LAUNCHER=${CCACHE})
endif()
if(NOT GENERATOR)
  set(GENERATOR Ninja)
endif()
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples/embed -B ${WORK_DIR}/example -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=${prefix} ${launcher}
    "-DCMAKE_CXX_FLAGS=${FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${FLAGS}")
run(${CMAKE_COMMAND} --build ${WORK_DIR}/example)
# The example must not have picked up the source tree.
file(READ ${WORK_DIR}/example/CMakeCache.txt cache)
if(NOT cache MATCHES "Tessera_DIR:PATH=${prefix}/")
  message(FATAL_ERROR "the example did not find the installed package")
endif()
run(${WORK_DIR}/example/embed_heat ${SOURCE_DIR}/examples/embed/steer.lua)
message("${last_output}")
if(NOT last_output MATCHES "steps: 200")
  message(FATAL_ERROR "unexpected example output:\n${last_output}")
endif()

# pkg-config: flags that compile and link a small program.
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
run(pkg-config --cflags --libs tessera)
string(STRIP "${last_output}" pc_flags)
separate_arguments(pc_flags UNIX_COMMAND "${pc_flags}")
file(WRITE ${WORK_DIR}/pc_main.cpp
  "#include <tessera/tessera.hpp>\nint main() { tessera::Runtime rt;\n"
  "  return rt.run(\"return 6 * 7\").get<int>() == 42 ? 0 : 1; }\n")
separate_arguments(flags UNIX_COMMAND "${FLAGS}")
run(c++ ${flags} ${WORK_DIR}/pc_main.cpp -o ${WORK_DIR}/pc_main ${pc_flags})
run(${WORK_DIR}/pc_main)

# The stock interpreter finds `require "tessera"` in the installed module dir
# (not under sanitizers: lua5.4 is not instrumented).
find_program(LUA54 lua5.4)
if(LUA54 AND NOT FLAGS)
  file(GLOB_RECURSE cmods ${prefix}/*/tessera.so)
  list(GET cmods 0 cmod)
  get_filename_component(cmod_dir ${cmod} DIRECTORY)
  set(ENV{LUA_CPATH} "${cmod_dir}/?.so")
  run(${LUA54} -e "local ts = require 'tessera' assert(ts.ones(3):sum() == 3) print('ok')")
endif()
run(${prefix}/bin/tessera -e "assert(ts.arange(4):sum() == 10)")
message("installed example: ok")
