# Runs an example twice with --dump and requires the two store dumps to be
# identical: `varscope-dump diff` (when built) and byte equality of both files.
#   cmake -DPROGRAM=<exe> -DWORK_DIR=<dir> [-DDUMP_TOOL=<varscope-dump>] -P reproducible_dump.cmake
foreach(var PROGRAM WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "reproducible_dump.cmake: -D${var}=... is required")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
foreach(run first second)
  execute_process(COMMAND ${PROGRAM} --dump ${WORK_DIR}/${run}
    OUTPUT_QUIET ERROR_VARIABLE errors RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${PROGRAM} --dump ${WORK_DIR}/${run} exited with ${status}\nstderr:\n${errors}")
  endif()
endforeach()

if(DUMP_TOOL)
  # The report goes straight to the test's output.
  execute_process(COMMAND ${DUMP_TOOL} diff ${WORK_DIR}/first ${WORK_DIR}/second RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "the two dumps differ (varscope-dump diff exited with ${status}; report above)")
  endif()
endif()

foreach(file store.json values.safetensors)
  if(NOT EXISTS ${WORK_DIR}/first/${file})
    message(FATAL_ERROR "the dump has no ${file}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/first/${file} ${WORK_DIR}/second/${file}
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${file} differs between two runs of ${PROGRAM} (${WORK_DIR}/first, ${WORK_DIR}/second)")
  endif()
endforeach()
