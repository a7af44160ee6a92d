# Installation: the CMake package (find_package(Tessera), Tessera::tessera),
# a pkg-config file, the public headers, the `tessera` executable and the
# `require "tessera"` Lua module. Included at the end of the top-level
# CMakeLists.txt, after every dependency has been added to the library.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(TESSERA_LUA_CMOD_DIR "${CMAKE_INSTALL_LIBDIR}/lua/5.4" CACHE STRING
    "Where `require \"tessera\"` is installed (a link to libtessera), relative to the prefix")
set(TESSERA_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/Tessera")

# Public headers: include/tessera/ plus the internal headers they include
# (installed under include/tessera/runtime/).
target_include_directories(tessera PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>)

# The library's other dependencies stay out of consumers' way: the public
# headers need none of them (libtessera.so records them itself), so the
# installed interface carries only Lua and the include directory.
foreach(prop INTERFACE_LINK_LIBRARIES INTERFACE_INCLUDE_DIRECTORIES)
  get_target_property(items tessera ${prop})
  set(wrapped "")
  foreach(item IN LISTS items)
    if(item MATCHES "^\\$<BUILD_INTERFACE:")
      list(APPEND wrapped "${item}")
    else()
      list(APPEND wrapped "$<BUILD_INTERFACE:${item}>")
    endif()
  endforeach()
  set_target_properties(tessera PROPERTIES ${prop} "${wrapped}")
endforeach()
target_include_directories(tessera INTERFACE $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)

set_target_properties(tessera PROPERTIES EXPORT_NAME tessera)
set_target_properties(tessera_repl PROPERTIES INSTALL_RPATH "$ORIGIN/../${CMAKE_INSTALL_LIBDIR}")
install(TARGETS tessera EXPORT TesseraTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS tessera_repl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tessera DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
foreach(header array buffer_pool context dtype errors hooks interrupt parallel shape storage xtensor)
  install(FILES ${PROJECT_SOURCE_DIR}/runtime/${header}.hpp
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tessera/runtime)
endforeach()

install(EXPORT TesseraTargets NAMESPACE Tessera:: DESTINATION ${TESSERA_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/runtime/cmake/TesseraConfig.cmake.in
  ${PROJECT_BINARY_DIR}/TesseraConfig.cmake INSTALL_DESTINATION ${TESSERA_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/TesseraConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/TesseraConfig.cmake ${PROJECT_BINARY_DIR}/TesseraConfigVersion.cmake
        DESTINATION ${TESSERA_CMAKE_DIR})

# pkg-config: relocatable (paths relative to the .pc file).
file(RELATIVE_PATH TESSERA_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
configure_file(${PROJECT_SOURCE_DIR}/runtime/cmake/tessera.pc.in ${PROJECT_BINARY_DIR}/tessera.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/tessera.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# The Lua module: a relative link to the library (one file, so the tessera
# executable and `require` inside it load the same copy).
if(IS_ABSOLUTE "${TESSERA_LUA_CMOD_DIR}")
  set(TESSERA_CMOD_TARGET "\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/libtessera.so")
  set(TESSERA_CMOD_DIR_AT_INSTALL "${TESSERA_LUA_CMOD_DIR}")
else()
  file(RELATIVE_PATH TESSERA_CMOD_TARGET "/prefix/${TESSERA_LUA_CMOD_DIR}"
       "/prefix/${CMAKE_INSTALL_LIBDIR}/libtessera.so")
  set(TESSERA_CMOD_DIR_AT_INSTALL "\${CMAKE_INSTALL_PREFIX}/${TESSERA_LUA_CMOD_DIR}")
endif()
install(CODE "
  set(dir \"\$ENV{DESTDIR}${TESSERA_CMOD_DIR_AT_INSTALL}\")
  file(MAKE_DIRECTORY \"\${dir}\")
  message(STATUS \"Installing: \${dir}/tessera.so\")
  execute_process(COMMAND \${CMAKE_COMMAND} -E create_symlink \"${TESSERA_CMOD_TARGET}\" \"\${dir}/tessera.so\")
")

# examples/embed built and run against an installed copy of this build.
if(BUILD_TESTING OR NOT DEFINED BUILD_TESTING)
  set(embed_flags "")
  if(TESSERA_SANITIZE)
    set(embed_flags "-fsanitize=address,undefined -fno-omit-frame-pointer")
  elseif(TESSERA_TSAN)
    set(embed_flags "-fsanitize=thread")
  endif()
  add_test(NAME embed.installed_example
           COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${PROJECT_BINARY_DIR}
                   -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DWORK_DIR=${PROJECT_BINARY_DIR}/embed-install-test
                   "-DFLAGS=${embed_flags}" -DGENERATOR=${CMAKE_GENERATOR}
                   -P ${PROJECT_SOURCE_DIR}/runtime/cmake/test_installed_example.cmake)
  set_tests_properties(embed.installed_example PROPERTIES TIMEOUT 600)
endif()
