# The analyser's benchmarks (bench/analyser/README.md): the resolver alone on
# a synthetic program built in memory (no Clang), and scripts that generate a
# v1 codebase and time whole commands.
if(TARGET varscope_analysis)
  add_executable(resolver_bench ${CMAKE_CURRENT_LIST_DIR}/analyser/resolver_bench.cpp)
  target_link_libraries(resolver_bench PRIVATE varscope_analysis)
endif()
