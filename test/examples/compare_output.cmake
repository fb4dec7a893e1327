# Runs an example and compares its full stdout with the checked-in expected
# file; prints a unified diff on mismatch.
#   cmake -DPROGRAM=<exe> -DEXPECTED=<file> -DACTUAL=<file> -P compare_output.cmake
# With the environment variable VARSCOPE_UPDATE_EXPECTED=1 the expected file
# is rewritten from the actual output instead (then review `git diff`).
foreach(var PROGRAM EXPECTED ACTUAL)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "compare_output.cmake: -D${var}=... is required")
  endif()
endforeach()

execute_process(COMMAND ${PROGRAM}
  OUTPUT_VARIABLE actual ERROR_VARIABLE errors RESULT_VARIABLE status)
file(WRITE ${ACTUAL} "${actual}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}\nstderr:\n${errors}")
endif()

if("$ENV{VARSCOPE_UPDATE_EXPECTED}" STREQUAL "1")
  file(WRITE ${EXPECTED} "${actual}")
  message(STATUS "updated ${EXPECTED}")
  return()
endif()

if(NOT EXISTS ${EXPECTED})
  message(FATAL_ERROR "no expected output ${EXPECTED}; the actual output is in ${ACTUAL} "
    "(VARSCOPE_UPDATE_EXPECTED=1 ctest -L examples writes it)")
endif()
file(READ ${EXPECTED} expected)
if(actual STREQUAL expected)
  return()
endif()

# diff writes straight to the test's output: message() would re-wrap it.
find_program(DIFF_PROGRAM diff)
if(DIFF_PROGRAM)
  execute_process(COMMAND ${DIFF_PROGRAM} -u ${EXPECTED} ${ACTUAL})
else()
  execute_process(COMMAND ${CMAKE_COMMAND} -E echo "--- expected\n${expected}\n+++ actual\n${actual}")
endif()
message(FATAL_ERROR "output of ${PROGRAM} differs from ${EXPECTED} (diff above; actual output in ${ACTUAL})")
