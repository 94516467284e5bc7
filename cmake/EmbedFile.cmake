# Embeds data files (catalogs) into the binary as std::string_view constants at build time.

# tlsdoctor_embed(TARGET target NAMESPACE ns FILES a.csv b.csv):
# writes <build>/embedded/<target>_data.cpp defining `std::string_view ns::<stem>()` for each
# file (stem with non-identifier characters turned into '_'), and adds it to TARGET.
function(tlsdoctor_embed)
  cmake_parse_arguments(E "" "TARGET;NAMESPACE" "FILES" ${ARGN})
  set(_out ${CMAKE_CURRENT_BINARY_DIR}/embedded/${E_TARGET}_data.cpp)
  add_custom_command(
    OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${_out} -DNS=${E_NAMESPACE} "-DFILES=${E_FILES}"
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake
    DEPENDS ${E_FILES} ${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake
    COMMENT "Embedding data files into ${E_TARGET}"
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE ${_out})
endfunction()
