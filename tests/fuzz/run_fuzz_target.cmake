# Runs one fuzz target for a bounded time on a fresh copy of its seed corpus
# (the committed corpus is never written to), failing on any crash, leak,
# timeout or out-of-memory. Crashing inputs are kept in ARTIFACTS.
#   cmake -DFUZZER=<exe> -DCORPUS=<dir> -DWORK=<dir> -DSECONDS=<n> -P run_fuzz_target.cmake
# The environment variable XGRAD_FUZZ_SECONDS, when set, overrides SECONDS
# (a shorter or longer run without configuring again).
foreach(var FUZZER CORPUS WORK SECONDS)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "run_fuzz_target.cmake: -D${var}=... is required")
  endif()
endforeach()
if(DEFINED ENV{XGRAD_FUZZ_SECONDS})
  set(SECONDS $ENV{XGRAD_FUZZ_SECONDS})
endif()
file(REMOVE_RECURSE "${WORK}/corpus")
file(MAKE_DIRECTORY "${WORK}/corpus" "${WORK}/artifacts")
file(GLOB seeds "${CORPUS}/*")
file(COPY ${seeds} DESTINATION "${WORK}/corpus")
execute_process(
  COMMAND "${FUZZER}" -max_total_time=${SECONDS} -timeout=20 -rss_limit_mb=2048 -max_len=65536
          -print_final_stats=1 -artifact_prefix=${WORK}/artifacts/ "${WORK}/corpus"
  RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${FUZZER} found a failure (exit status ${status}); the input is in ${WORK}/artifacts")
endif()
