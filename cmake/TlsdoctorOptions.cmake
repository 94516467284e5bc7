# Compiler warnings and sanitizer flags shared by every tlsdoctor target.

# Warnings: -Wall -Wextra -Wpedantic -Wconversion (and -Wsign-conversion off: the OpenSSL and
# curl APIs take int and size_t interchangeably, and casting each call adds noise, not safety).
add_library(tlsdoctor_warnings INTERFACE)
target_compile_options(tlsdoctor_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wconversion -Wno-sign-conversion -Wshadow -Wnon-virtual-dtor
  $<$<BOOL:${TLSDOCTOR_WERROR}>:-Werror>)

if(TLSDOCTOR_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TLSDOCTOR_FUZZ needs clang (libFuzzer); use the fuzz preset")
  endif()
  # Every library gets the coverage instrumentation libFuzzer steers by; the fuzz targets
  # alone link libFuzzer's main (tests/fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(TLSDOCTOR_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# Adds a library made of every .cpp in DIR (re-globbed when files are added), with the
# checker/ folder as include root so that includes read "checks/clock.h".
function(tlsdoctor_library name dir)
  file(GLOB _sources CONFIGURE_DEPENDS ${dir}/*.cpp)
  add_library(${name} STATIC ${_sources})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/checker)
  target_link_libraries(${name} PRIVATE tlsdoctor_warnings)
endfunction()
