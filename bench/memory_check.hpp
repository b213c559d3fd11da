#pragma once
// The memory criteria of the benchmark, run in a process of their own
// (bench_compare --memory): peak resident memory of xgrad training W4 against
// what one step needs, and no growth over 100,000 W2 steps. Returns the exit
// status: 0 when both hold.

namespace bench {

int check_memory();

}  // namespace bench
