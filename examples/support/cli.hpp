#pragma once
// The flags every bundled example takes, parsed the same way everywhere.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xg::examples {

struct TrainFlags {
  std::string optimizer = "Adagrad";
  double lr = 0.1;
  int epochs = 20;
  std::size_t batch_size = 32;
  std::uint64_t seed = 0;
  std::string schedule = "none";
  std::string out;  // folder for metrics.csv, loss.svg and accuracy.svg; nothing written when empty
  bool dense = false;
  bool distributed = false;           // data-parallel under mpirun (--batch-size per process); examples with MPI only
  std::string checkpoint;             // resumed from when it exists, written during the run
  std::int64_t checkpoint_every = 0;  // steps between checkpoints; 0: at the end of every epoch
  std::string save_model;             // the final parameters (Module::save); nothing written when empty
  bool force_resume = false;          // resume even when the checkpoint was written under other run flags
};

// The flags that shape a run's numbers (--optimizer, --lr, --epochs,
// --batch-size, --seed, --schedule, --dense), by flag name, as text that
// reads back exactly: what a checkpoint records, so that a resumed run can
// refuse other values.
std::map<std::string, std::string> run_flags(const TrainFlags& flags);

// Parses --optimizer NAME --lr X --epochs N --batch-size N --seed N
// --schedule NAME --out DIR --checkpoint FILE --checkpoint-every N
// --save-model FILE --force-resume (--dense where the example has a sparse path,
// --distributed where it can run under mpirun) over
// `defaults`. Prints usage and exits on --help (status 0) or a bad flag (2).
TrainFlags parse_flags(int argc, char** argv, TrainFlags defaults);

// Takes a flag of the program's own out of argv (argc shrinks) before
// parse_flags reads the rest: `flag` and, when the next argument is not a
// flag, its comma-separated list ("--sweep Lion,LAMB": {"Lion", "LAMB"}).
// nullopt when `flag` is not given; an empty list when it comes alone.
std::optional<std::vector<std::string>> take_list_flag(int& argc, char** argv, std::string_view flag);

// The flags of a program that takes none of the above (lr_schedules,
// optimizer_paths): `--flag VALUE` pairs over `defaults`, which names every flag the
// program takes with its value when not given. Throws std::invalid_argument
// naming those flags for any other argument or a flag without its value.
std::map<std::string, std::string> parse_flag_values(int argc, char** argv,
                                                     std::map<std::string, std::string> defaults);

}  // namespace xg::examples
