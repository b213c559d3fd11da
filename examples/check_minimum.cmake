# Runs one example and checks that KEY=<value> in its last line is at least
# MINIMUM (for examples whose summary is not a test_accuracy).
execute_process(COMMAND "${PROGRAM}" OUTPUT_VARIABLE output RESULT_VARIABLE status)
message("${output}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} exited with ${status}")
endif()
if(NOT output MATCHES " ${KEY}=(-?[0-9.]+)[^\n]*\n?$")
  message(FATAL_ERROR "no ${KEY}= in the summary line")
endif()
if(CMAKE_MATCH_1 LESS MINIMUM)
  message(FATAL_ERROR "${KEY} ${CMAKE_MATCH_1} is below the bound ${MINIMUM}")
endif()
message("${KEY} ${CMAKE_MATCH_1} >= ${MINIMUM}")
