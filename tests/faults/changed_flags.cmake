# A checkpoint records the flags that shape the run; resuming under other
# values of them is refused naming each changed flag and both values, and
# nothing is written, unless --force-resume is given.
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
set(checkpoint "${WORK}/run.ckpt")
# Without --checkpoint-every, one checkpoint at the end of each epoch: a resumed
# run writes its last one again, under its own flags.
set(flags --epochs 2 --checkpoint "${checkpoint}")

execute_process(COMMAND "${PROGRAM}" ${flags} --seed 1 --batch-size 32 --lr 0.1
                OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0 OR NOT EXISTS "${checkpoint}")
  message(FATAL_ERROR "the first run failed (${status}): ${output}${errors}")
endif()
file(SHA256 "${checkpoint}" written)

execute_process(COMMAND "${PROGRAM}" ${flags} --seed 2 --batch-size 64 --lr 0.5
                OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
message("${output}${errors}")
if(status EQUAL 0)
  message(FATAL_ERROR "resuming under --seed 2 --batch-size 64 --lr 0.5 was not refused")
endif()
foreach(expected "was written under other run flags"
                 "--batch-size '32' in the checkpoint, '64' now"
                 "--lr '0.1' in the checkpoint, '0.5' now"
                 "--seed '1' in the checkpoint, '2' now"
                 "add --force-resume")
  string(FIND "${errors}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the refusal does not say: ${expected}")
  endif()
endforeach()
foreach(same --epochs --optimizer --schedule --dense)
  string(FIND "${errors}" "${same} '" at)
  if(NOT at EQUAL -1)
    message(FATAL_ERROR "the refusal names ${same}, which did not change")
  endif()
endforeach()
file(SHA256 "${checkpoint}" after_refusal)
if(NOT after_refusal STREQUAL written)
  message(FATAL_ERROR "the refused run changed the checkpoint")
endif()

execute_process(COMMAND "${PROGRAM}" ${flags} --seed 2 --lr 0.5 --force-resume
                OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
message("${output}${errors}")
if(NOT status EQUAL 0 OR NOT output MATCHES "resumed from [^\n]*run.ckpt at epoch")
  message(FATAL_ERROR "--force-resume did not resume under the new flags (${status})")
endif()

execute_process(COMMAND "${PROGRAM}" ${flags} --seed 2 --batch-size 32 --lr 0.5
                OUTPUT_VARIABLE output ERROR_VARIABLE errors RESULT_VARIABLE status)
message("${output}${errors}")
if(NOT status EQUAL 0 OR NOT output MATCHES "resumed from [^\n]*run.ckpt at epoch")
  message(FATAL_ERROR "the checkpoint written under --force-resume did not record the new flags (${status})")
endif()
