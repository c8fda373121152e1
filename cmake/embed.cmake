# jaga_embed(TARGET name SYMBOL sym FILE path): compiles a data file into the
# binary as `std::string_view sym()`, so that the one binary carries what it needs.
function(jaga_embed)
  cmake_parse_arguments(E "" "TARGET;SYMBOL;FILE;NAMESPACE" "" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/embed_${E_SYMBOL}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${E_FILE} -DOUT=${out} -DSYMBOL=${E_SYMBOL} -DNS=${E_NAMESPACE}
            -P ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    DEPENDS ${E_FILE} ${PROJECT_SOURCE_DIR}/cmake/embed_file.cmake
    VERBATIM)
  target_sources(${E_TARGET} PRIVATE ${out})
endfunction()
