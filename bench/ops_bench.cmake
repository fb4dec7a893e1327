# Ops benchmarks (docs/performance-ops.md): varscope's Eigen kernels against
# raw Eigen, against other instruction sets, and against libtorch.
#
#   gemm_bench               matmul vs raw Eigen GEMM, GFLOP/s
#   ops_overhead_bench       model forwards: runtime vs the same math in Eigen;
#                            per-op costs; kernel-fix prototypes
#   gemm_isa_bench_<isa>     raw Eigen GEMM built for sse2 (the runtime's
#                            flags), avx2 (x86-64-v3), avx512 (x86-64-v4)
#   torch_compare            MLP / LSTM / encoder vs libtorch (only when
#                            find_package(Torch) succeeds; CI never needs it)
#
# gemm_bench and ops_overhead_bench link the runtime and must be compiled with
# exactly its flags: Eigen's GEMM templates are inline, so an object built
# with other flags would lend its instantiations to the runtime's kernels.

set(VARSCOPE_OPS_BENCH_DIR ${CMAKE_CURRENT_SOURCE_DIR}/ops)

# The reference side's GEMM (raw_gemm.h): Eigen compiled for the instruction
# set the runtime picks at run time, with the runtime's per-ISA flags
# (runtime/CMakeLists.txt) and a private Eigen namespace per ISA.
# The reference models' elementwise steps likewise (raw_math.h).
set(VARSCOPE_RAW_SOURCES ${VARSCOPE_OPS_BENCH_DIR}/raw_gemm.cpp ${VARSCOPE_OPS_BENCH_DIR}/raw_gemm_sse2.cpp
    ${VARSCOPE_OPS_BENCH_DIR}/raw_math.cpp ${VARSCOPE_OPS_BENCH_DIR}/raw_math_sse2.cpp)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$" AND CMAKE_CXX_COMPILER_ID MATCHES "Clang|GNU")
  foreach(kind gemm math)
    list(APPEND VARSCOPE_RAW_SOURCES ${VARSCOPE_OPS_BENCH_DIR}/raw_${kind}_avx2.cpp
         ${VARSCOPE_OPS_BENCH_DIR}/raw_${kind}_avx512.cpp)
    # The same flags as the runtime's kernels (runtime/CMakeLists.txt).
    set_source_files_properties(${VARSCOPE_OPS_BENCH_DIR}/raw_${kind}_avx2.cpp PROPERTIES
      COMPILE_OPTIONS "${VARSCOPE_AVX2_FLAGS}")
    set_source_files_properties(${VARSCOPE_OPS_BENCH_DIR}/raw_${kind}_avx512.cpp PROPERTIES
      COMPILE_OPTIONS "${VARSCOPE_AVX512_FLAGS}")
    set_source_files_properties(${VARSCOPE_OPS_BENCH_DIR}/raw_${kind}.cpp PROPERTIES
      COMPILE_DEFINITIONS "VARSCOPE_HAVE_RAW_GEMM_AVX=1")
  endforeach()
endif()

foreach(name gemm_bench ops_overhead_bench)
  if(name STREQUAL "gemm_bench")
    set(source ${VARSCOPE_OPS_BENCH_DIR}/gemm_bench.cpp)
  else()
    set(source ${VARSCOPE_OPS_BENCH_DIR}/overhead_bench.cpp)
  endif()
  add_executable(${name} ${source} ${VARSCOPE_RAW_SOURCES})
  target_link_libraries(${name} PRIVATE varscope::runtime Eigen3::Eigen benchmark::benchmark)
  # ops/gemm.h and ops/gemm_kernel.inc (private runtime headers).
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/runtime/src)
  target_compile_options(${name} PRIVATE $<$<CONFIG:Release>:-O3>)
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON) # as the runtime
endforeach()

foreach(isa sse2 avx2 avx512)
  add_executable(gemm_isa_bench_${isa} ${VARSCOPE_OPS_BENCH_DIR}/gemm_isa_bench.cpp)
  target_link_libraries(gemm_isa_bench_${isa} PRIVATE Eigen3::Eigen benchmark::benchmark Threads::Threads)
  target_compile_options(gemm_isa_bench_${isa} PRIVATE $<$<CONFIG:Release>:-O3>)
endforeach()
target_compile_options(gemm_isa_bench_avx2 PRIVATE -march=x86-64-v3)
target_compile_options(gemm_isa_bench_avx512 PRIVATE -march=x86-64-v4)

# libtorch (Debian: apt-get install libtorch-dev puts TorchConfig.cmake in
# /usr/lib/x86_64-linux-gnu/cmake/Torch). Opt-in with
# -DVARSCOPE_BUILD_TORCH_COMPARE=ON, so the normal build and CI never depend
# on libtorch even on a machine that has it.
option(VARSCOPE_BUILD_TORCH_COMPARE "Build bench/ops/torch_compare (needs libtorch-dev)" OFF)
if(VARSCOPE_BUILD_TORCH_COMPARE)
  find_package(Torch REQUIRED)
endif()
if(VARSCOPE_BUILD_TORCH_COMPARE AND (Torch_FOUND OR TORCH_FOUND))
  # libtorch 1.13's headers do not compile as C++20: the torch side is a
  # C++17 object library behind torch_models.h.
  add_library(torch_compare_models OBJECT ${VARSCOPE_OPS_BENCH_DIR}/torch_models.cpp)
  set_target_properties(torch_compare_models PROPERTIES CXX_STANDARD 17)
  target_include_directories(torch_compare_models SYSTEM PRIVATE ${TORCH_INCLUDE_DIRS})
  target_link_libraries(torch_compare_models PRIVATE ${TORCH_LIBRARIES})
  target_compile_options(torch_compare_models PRIVATE $<$<CONFIG:Release>:-O3>)
  add_executable(torch_compare ${VARSCOPE_OPS_BENCH_DIR}/torch_compare.cpp $<TARGET_OBJECTS:torch_compare_models>)
  target_link_libraries(torch_compare PRIVATE varscope::runtime Eigen3::Eigen ${TORCH_LIBRARIES})
  target_include_directories(torch_compare PRIVATE ${PROJECT_SOURCE_DIR}/runtime/src) # ops/gemm.h
  target_compile_options(torch_compare PRIVATE $<$<CONFIG:Release>:-O3>)
  set_target_properties(torch_compare PROPERTIES POSITION_INDEPENDENT_CODE ON)
  message(STATUS "bench: libtorch found (${TORCH_INSTALL_PREFIX}); building torch_compare")
else()
  message(STATUS "bench: torch_compare not built (-DVARSCOPE_BUILD_TORCH_COMPARE=ON to build it)")
endif()
