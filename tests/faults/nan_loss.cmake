# A run whose loss diverges (SGD with a huge lr) must stop at the first loss
# that is not finite with a message naming it and a non-zero status, and keep
# the last checkpoint written before it: a restart resumes from exactly that
# step.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(checkpoint "${WORK}/diverging.ckpt")
set(flags --optimizer SGD --lr 1e37 --epochs 2 --checkpoint "${checkpoint}" --checkpoint-every 1)

execute_process(COMMAND "${PROGRAM}" ${flags} OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
message("${output}${errors}")
if(status EQUAL 0)
  message(FATAL_ERROR "the diverging run exited with status 0")
endif()
string(REGEX MATCH "training stopped: the loss is (nan|inf|-nan|-inf) at epoch [0-9]+ step ([0-9]+); the last good checkpoint '[^']*' \\(step ([0-9]+)\\) is kept"
       stopped "${errors}")
if(NOT stopped)
  message(FATAL_ERROR "no message naming the non-finite loss, its step and the checkpoint kept")
endif()
set(bad_step ${CMAKE_MATCH_2})
set(kept_step ${CMAKE_MATCH_3})
math(EXPR expected_kept "${bad_step} - 1")
if(NOT kept_step EQUAL expected_kept)
  message(FATAL_ERROR "the loss went bad at step ${bad_step}, but the checkpoint kept is of step ${kept_step}")
endif()

execute_process(COMMAND "${PROGRAM}" ${flags} OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
message("${output}${errors}")
if(NOT output MATCHES "resumed from [^\n]* at epoch [0-9]+ step ${kept_step}\n")
  message(FATAL_ERROR "the restart did not resume from the kept checkpoint of step ${kept_step}")
endif()
message("stopped at step ${bad_step}, checkpoint of step ${kept_step} kept and loadable")
