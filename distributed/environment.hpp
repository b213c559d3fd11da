#pragma once
// The MPI runtime of a data-parallel run: one per process, for the whole of
// main, as torch.distributed.init_process_group is.
//
//   int main(int argc, char** argv) {
//     xg::distributed::Environment env(argc, argv);
//     ... env.rank(), env.world_size() ...
//   }
//
// Every MPI call of distributed/ goes through check(): a failing call throws
// MpiError naming the call and MPI's error string instead of aborting inside
// MPI. An exception that leaves main through the Environment ends the whole
// job (MPI_Abort), so that the other processes do not wait forever for this
// one in their next collective.

#include <stdexcept>
#include <string>

namespace xg::distributed {

class MpiError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws MpiError "<call> failed: <MPI's error string>" unless `code` is MPI_SUCCESS.
void check(int code, const char* call);

// Returns when every rank has called it (MPI_Barrier): e.g. after rank 0
// wrote a checkpoint, before the others read it.
void barrier();

// The sum of `value` over all ranks, on every rank (MPI_Allreduce): e.g. an
// epoch's loss from each rank's share of it.
double sum_over_ranks(double value);

class Environment {
 public:
  // MPI_Init_thread asking for MPI_THREAD_FUNNELED (only the thread that
  // built the Environment calls MPI; BLAS threads never do); throws MpiError
  // when MPI provides less, or when MPI was already initialised.
  Environment(int& argc, char**& argv);
  ~Environment();
  Environment(const Environment&) = delete;
  Environment& operator=(const Environment&) = delete;

  int rank() const { return rank_; }
  int world_size() const { return world_size_; }
  // The rank among the processes on this machine (OMPI_COMM_WORLD_LOCAL_RANK).
  int local_rank() const { return local_rank_; }

  // Prints "rank R: <message>" on stderr and ends every process of the job
  // with `status` (MPI_Abort).
  [[noreturn]] void abort(const std::string& message, int status = 1) const;

 private:
  int rank_ = 0;
  int world_size_ = 1;
  int local_rank_ = 0;
};

}  // namespace xg::distributed
